//! The Docker build context: the directory sent to the builder, filtered by
//! `.dockerignore`, with an optional overlay of unsaved editor buffers.

use foldhash::HashMap;
use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::dockerignore::DockerIgnore;
use crate::glob::{Glob, has_meta};
use crate::paths::{join_rel, normalize_rel};
use crate::sensitive::SensitiveKind;

/// Largest file read as text (1 MiB).
pub const MAX_READ_BYTES: u64 = 1024 * 1024;
/// Largest number of directory entries visited by one walk or glob.
pub const MAX_WALK_ENTRIES: usize = 20_000;
/// Deepest directory level a walk descends to.
pub const MAX_WALK_DEPTH: usize = 32;

/// Unsaved editor buffers, consulted before the disk.
pub trait Overlay: Send + Sync {
    /// The buffer text for the absolute `path` (as built by
    /// [`BuildContext::abs_path`]), or `None` to fall back to the disk.
    fn read(&self, path: &Path) -> Option<String>;
}

impl<S: std::hash::BuildHasher + Send + Sync> Overlay
    for std::collections::HashMap<PathBuf, String, S>
{
    fn read(&self, path: &Path) -> Option<String> {
        self.get(path).cloned()
    }
}

/// Reads a regular file as UTF-8 text, refusing files over
/// [`MAX_READ_BYTES`], non-regular files (FIFOs, devices) and invalid UTF-8.
pub fn read_text_file(path: &Path) -> Option<String> {
    let bytes = read_capped(path)?;
    String::from_utf8(bytes).ok()
}

fn read_capped(path: &Path) -> Option<Vec<u8>> {
    let meta = fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_READ_BYTES {
        return None;
    }
    let file = fs::File::open(path).ok()?;
    let mut buf = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_READ_BYTES + 1).read_to_end(&mut buf).ok()?;
    (buf.len() as u64 <= MAX_READ_BYTES).then_some(buf)
}

/// Kind of a directory entry, without following symlinks (except to learn
/// whether a symlink points at a directory).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    File,
    Dir,
    /// A symlink; `true` when it resolves to a directory.
    Symlink(bool),
    Other,
}

#[derive(Debug, Clone)]
struct Entry {
    name: String,
    kind: EntryKind,
}

/// A Docker build context rooted at a directory.
///
/// Directory listings are cached, so a `BuildContext` reflects the disk as
/// it was when first asked; create a new one after changes. All methods are
/// infallible and bounded: paths escaping the root yield `false`/`None`/empty.
pub struct BuildContext {
    root: PathBuf,
    dockerfile: Option<PathBuf>,
    ignore: Option<DockerIgnore>,
    ignore_path: Option<PathBuf>,
    overlay: Option<Arc<dyn Overlay>>,
    listings: Mutex<HashMap<String, Arc<[Entry]>>>,
    walks: Memo<[String]>,
    globs: Memo<[String]>,
    pub(crate) sensitive: Memo<[(String, SensitiveKind)]>,
    canonical_root: OnceLock<Option<PathBuf>>,
    /// Disk answers of [`Self::exists`] (`false`) and [`Self::is_dir`] (`true`) by path.
    stats: Mutex<HashMap<(String, bool), bool>>,
}

impl fmt::Debug for BuildContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BuildContext")
            .field("root", &self.root)
            .field("dockerignore_path", &self.ignore_path)
            .field("overlay", &self.overlay.is_some())
            .finish_non_exhaustive()
    }
}

impl BuildContext {
    /// Creates a context rooted at `root`.
    ///
    /// `dockerfile` is the Dockerfile's path (it may lie outside `root`). The
    /// ignore file is `<Dockerfile name>.dockerignore` next to the Dockerfile
    /// when it exists (BuildKit's rule), else `<root>/.dockerignore`.
    pub fn new(root: PathBuf, dockerfile: Option<&Path>) -> BuildContext {
        let mut ctx = BuildContext {
            root,
            dockerfile: dockerfile.map(Path::to_path_buf),
            ignore: None,
            ignore_path: None,
            overlay: None,
            listings: Mutex::new(HashMap::default()),
            walks: Mutex::new(HashMap::default()),
            globs: Mutex::new(HashMap::default()),
            sensitive: Mutex::new(HashMap::default()),
            canonical_root: OnceLock::new(),
            stats: Mutex::new(HashMap::default()),
        };
        ctx.load_ignore();
        ctx
    }

    /// Adds editor buffers that take precedence over the disk (including
    /// for the `.dockerignore` itself).
    pub fn with_overlay(mut self, overlay: Arc<dyn Overlay>) -> Self {
        self.overlay = Some(overlay);
        self.load_ignore();
        self
    }

    fn load_ignore(&mut self) {
        self.ignore = None;
        self.ignore_path = None;
        for path in ignore_candidates(&self.root, self.dockerfile.as_deref()) {
            let text = match self.overlay.as_ref().and_then(|o| o.read(&path)) {
                Some(text) => Some(text),
                None if path.is_file() => {
                    // Docker reads the file whatever its encoding.
                    Some(
                        read_capped(&path)
                            .map_or_else(String::new, |b| String::from_utf8_lossy(&b).into_owned()),
                    )
                }
                None => None,
            };
            if let Some(text) = text {
                self.ignore = Some(DockerIgnore::parse(&text));
                self.ignore_path = Some(path);
                return;
            }
        }
    }

    /// The context root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The parsed ignore file, if one exists.
    pub fn dockerignore(&self) -> Option<&DockerIgnore> {
        self.ignore.as_ref()
    }

    /// The path of the ignore file in use, if any.
    pub fn dockerignore_path(&self) -> Option<&Path> {
        self.ignore_path.as_deref()
    }

    /// Whether `.dockerignore` keeps `rel` out of the context.
    pub fn is_excluded(&self, rel: &str) -> bool {
        match (normalize_rel(rel), &self.ignore) {
            (Some(path), Some(ignore)) => !path.is_empty() && ignore.is_excluded(&path),
            _ => false,
        }
    }

    /// Whether a file, directory or symlink exists at `rel` (an overlay
    /// buffer counts). Ignores `.dockerignore`.
    pub fn exists(&self, rel: &str) -> bool {
        let Some(path) = normalize_rel(rel) else {
            return false;
        };
        let abs = self.root.join(&path);
        self.overlay_read(&abs).is_some()
            || self.stat(path, false, || fs::symlink_metadata(&abs).is_ok())
    }

    /// Whether `rel` is a directory (following symlinks).
    pub fn is_dir(&self, rel: &str) -> bool {
        normalize_rel(rel)
            .is_some_and(|p| self.stat(p.clone(), true, || self.root.join(&p).is_dir()))
    }

    /// `ask`'s answer for `path`, asked of the disk once per context.
    fn stat(&self, path: String, is_dir: bool, ask: impl FnOnce() -> bool) -> bool {
        let key = (path, is_dir);
        let lock = || self.stats.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&answer) = lock().get(&key) {
            return answer;
        }
        let answer = ask();
        lock().insert(key, answer);
        answer
    }

    /// Reads `rel` as text: the overlay first, then the disk. `None` when
    /// missing, not a regular file, over 1 MiB or not valid UTF-8.
    pub fn read_text(&self, rel: &str) -> Option<String> {
        let abs = self.root.join(normalize_rel(rel)?);
        if let Some(text) = self.overlay_read(&abs) {
            return (text.len() as u64 <= MAX_READ_BYTES).then_some(text);
        }
        read_text_file(&abs)
    }

    /// The absolute path for `rel` (normalised; a path escaping the root is
    /// joined unnormalised so it stays truthful).
    pub fn abs_path(&self, rel: &str) -> PathBuf {
        match normalize_rel(rel) {
            Some(p) if p.is_empty() => self.root.clone(),
            Some(p) => self.root.join(p),
            None => self.root.join(rel.trim_start_matches('/')),
        }
    }

    fn overlay_read(&self, abs: &Path) -> Option<String> {
        self.overlay.as_ref()?.read(abs)
    }

    /// Files under `rel_dir` (recursively, without following symlinks,
    /// bounded) that would be sent to the builder, as sorted relative
    /// paths. Symlinks not pointing at directories count as files. If
    /// `rel_dir` is a file, it is returned alone (unless excluded).
    pub fn files_under(&self, rel_dir: &str) -> Arc<[String]> {
        memoized(&self.walks, rel_dir, || self.walk(rel_dir).into())
    }

    fn walk(&self, rel_dir: &str) -> Vec<String> {
        let mut out = Vec::new();
        let Some(start) = normalize_rel(rel_dir) else {
            return out;
        };
        let abs = self.root.join(&start);
        if !abs.is_dir() {
            // A file (or a symlink to one, or a dangling symlink) is sent as is.
            if !start.is_empty() && fs::symlink_metadata(&abs).is_ok() && !self.is_excluded(&start)
            {
                out.push(start);
            }
            return out;
        }
        // Symlinks along the way may lead out of the context: never walk there.
        if !start.is_empty() && !self.within_root(&abs) {
            return out;
        }
        if !start.is_empty() && self.is_excluded(&start) && !self.may_reinclude(&start) {
            return out;
        }

        let mut budget = MAX_WALK_ENTRIES;
        let mut stack = vec![(start, 0usize)];
        while let Some((dir, depth)) = stack.pop() {
            let entries = self.list(&dir);
            let mut subdirs = Vec::new();
            for entry in entries.iter() {
                if budget == 0 {
                    out.sort();
                    return out;
                }
                budget -= 1;
                let rel = join_rel(&dir, &entry.name);
                match entry.kind {
                    EntryKind::Dir => {
                        if depth < MAX_WALK_DEPTH
                            && (!self.is_excluded(&rel) || self.may_reinclude(&rel))
                        {
                            subdirs.push((rel, depth + 1));
                        }
                    }
                    EntryKind::File | EntryKind::Symlink(false) => {
                        if !self.is_excluded(&rel) {
                            out.push(rel);
                        }
                    }
                    EntryKind::Symlink(true) | EntryKind::Other => {}
                }
            }
            stack.extend(subdirs.into_iter().rev());
        }
        out.sort();
        out
    }

    /// Expands a COPY-style source pattern (`*.txt`, `src/*/x`, `conf/[ab]`)
    /// with Go `filepath.Match` semantics per path element. Returns the
    /// sorted relative paths (files or directories) that exist and are not
    /// excluded. A pattern without wildcards yields itself if it exists.
    pub fn glob(&self, pattern: &str) -> Arc<[String]> {
        memoized(&self.globs, pattern, || self.expand_glob(pattern).into())
    }

    fn expand_glob(&self, pattern: &str) -> Vec<String> {
        let Some(norm) = normalize_rel(pattern) else {
            return Vec::new();
        };
        if norm.is_empty() {
            return Vec::new();
        }
        let mut candidates = vec![String::new()];
        let mut budget = MAX_WALK_ENTRIES;
        for comp in norm.split('/') {
            let mut next = Vec::new();
            if has_meta(comp) {
                let Ok(glob) = Glob::go(comp) else {
                    return Vec::new();
                };
                for dir in &candidates {
                    let listable = dir.is_empty()
                        || (self.is_dir(dir) && self.within_root(&self.root.join(dir)));
                    if !listable {
                        continue;
                    }
                    for entry in self.list(dir).iter() {
                        if budget == 0 {
                            break;
                        }
                        budget -= 1;
                        if glob.matches(&entry.name) {
                            next.push(join_rel(dir, &entry.name));
                        }
                    }
                }
            } else {
                next = candidates.iter().map(|d| join_rel(d, comp)).collect();
            }
            candidates = next;
            if candidates.is_empty() {
                break;
            }
        }
        candidates.retain(|p| self.exists(p) && !self.is_excluded(p));
        candidates.sort();
        candidates.dedup();
        candidates
    }

    fn may_reinclude(&self, rel_dir: &str) -> bool {
        self.ignore
            .as_ref()
            .is_some_and(|i| i.may_reinclude_under(rel_dir))
    }

    fn within_root(&self, abs: &Path) -> bool {
        let root = self
            .canonical_root
            .get_or_init(|| fs::canonicalize(&self.root).ok());
        match (root, fs::canonicalize(abs)) {
            (Some(root), Ok(p)) => p.starts_with(root),
            _ => false,
        }
    }

    /// Cached, sorted, bounded listing of a normalised relative directory.
    fn list(&self, rel_dir: &str) -> Arc<[Entry]> {
        let mut cache = self.listings.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entries) = cache.get(rel_dir) {
            return Arc::clone(entries);
        }
        let entries: Arc<[Entry]> = read_listing(&self.root.join(rel_dir)).into();
        cache.insert(rel_dir.to_owned(), Arc::clone(&entries));
        entries
    }
}

/// Answers computed once per argument (a relative path or pattern).
pub(crate) type Memo<T> = Mutex<HashMap<String, Arc<T>>>;

type ContextKey = (PathBuf, Option<PathBuf>);

/// The value cached under `key`, computed (outside the lock) when missing.
pub(crate) fn memoized<T: ?Sized>(
    cache: &Memo<T>,
    key: &str,
    compute: impl FnOnce() -> Arc<T>,
) -> Arc<T> {
    let lock = || cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(value) = lock().get(key) {
        return Arc::clone(value);
    }
    let value = compute();
    lock().insert(key.to_owned(), Arc::clone(&value));
    value
}

/// Where BuildKit looks for the ignore file, in order: `<Dockerfile name>.dockerignore`
/// next to the Dockerfile, then `<root>/.dockerignore`.
fn ignore_candidates(root: &Path, dockerfile: Option<&Path>) -> Vec<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(df) = dockerfile
        && let Some(name) = df.file_name()
    {
        let mut name = name.to_os_string();
        name.push(".dockerignore");
        candidates.push(df.with_file_name(name));
    }
    candidates.push(root.join(".dockerignore"));
    candidates
}

/// Build contexts shared by the Dockerfiles of one run that have the same
/// root and ignore file, so each folder is listed and searched once.
///
/// A pooled context reflects the disk as it was when first asked: use a pool
/// for one batch run, never across edits (the language server does not).
#[derive(Default)]
pub struct ContextPool {
    /// By root and ignore file.
    contexts: Mutex<HashMap<ContextKey, Arc<BuildContext>>>,
    /// The entry names of each folder an ignore file was looked for in (`None`:
    /// unreadable or too large to keep), so most answers need no `stat`.
    names: Mutex<HashMap<PathBuf, Option<Arc<foldhash::HashSet<std::ffi::OsString>>>>>,
}

impl fmt::Debug for ContextPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContextPool").finish_non_exhaustive()
    }
}

impl ContextPool {
    /// The context rooted at `root` for `dockerfile` (see [`BuildContext::new`]).
    pub fn get(&self, root: PathBuf, dockerfile: Option<&Path>) -> Arc<BuildContext> {
        let ignore = ignore_candidates(&root, dockerfile)
            .into_iter()
            .find(|p| self.may_exist(p) && p.is_file());
        let key = (root, ignore);
        let lock = || self.contexts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(context) = lock().get(&key) {
            return Arc::clone(context);
        }
        let context = Arc::new(BuildContext::new(key.0.clone(), dockerfile));
        Arc::clone(lock().entry(key).or_insert(context))
    }

    /// `false` when `path`'s folder, as first listed, has no entry of that name.
    fn may_exist(&self, path: &Path) -> bool {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return true;
        };
        let lock = || self.names.lock().unwrap_or_else(|e| e.into_inner());
        let known = lock().get(dir).cloned();
        let names = known.unwrap_or_else(|| {
            let listed = entry_names(dir);
            lock().insert(dir.to_path_buf(), listed.clone());
            listed
        });
        names.is_none_or(|names| names.contains(name))
    }
}

/// The entry names of `dir`, unless it cannot be read or holds more than
/// [`MAX_WALK_ENTRIES`].
fn entry_names(dir: &Path) -> Option<Arc<foldhash::HashSet<std::ffi::OsString>>> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut names = foldhash::HashSet::default();
    for entry in fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        if names.len() == MAX_WALK_ENTRIES {
            return None;
        }
        names.insert(entry.file_name());
    }
    Some(Arc::new(names))
}

fn read_listing(abs: &Path) -> Vec<Entry> {
    let Ok(rd) = fs::read_dir(abs) else {
        return Vec::new();
    };
    let mut entries: Vec<Entry> = rd
        .take(MAX_WALK_ENTRIES)
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let ft = e.file_type().ok()?;
            let kind = if ft.is_dir() {
                EntryKind::Dir
            } else if ft.is_file() {
                EntryKind::File
            } else if ft.is_symlink() {
                EntryKind::Symlink(e.path().is_dir())
            } else {
                EntryKind::Other
            };
            Some(Entry { name, kind })
        })
        .collect();
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    entries
}
