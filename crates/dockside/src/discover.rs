//! Which files to lint: explicit files, walked folders, stdin.
//!
//! Folders are walked with the `ignore` crate: `.gitignore`, `.ignore` and
//! `.git/info/exclude` are respected (also outside a Git repository), hidden
//! files are included, `.git` is skipped and symbolic links are not followed
//! (so link loops cannot hang the walk). A walked file is linted when its name
//! looks like a Dockerfile ([`dockside_linter::is_dockerfile_name`]) or, when
//! `--include` globs are given, when it matches one of them instead.
//! `--exclude` globs prune walked files and folders. Files named on the command
//! line are always linted.

use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

/// The outcome of discovery.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Dockerfiles to lint, sorted and deduplicated, as given or walked.
    pub files: Vec<PathBuf>,
    /// Compose files, sorted and deduplicated, as given or walked.
    pub compose: Vec<PathBuf>,
    /// Whether `-` (stdin) was among the paths.
    pub stdin: bool,
    /// Problems (missing paths, unreadable folders), each naming the path.
    pub errors: Vec<String>,
}

/// Compiled `--include` / `--exclude` globs.
pub struct Filters {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl Filters {
    pub fn new(include: &[String], exclude: &[String]) -> Result<Filters, String> {
        let include = if include.is_empty() {
            None
        } else {
            Some(build(include, "--include")?)
        };
        Ok(Filters {
            include,
            exclude: build(exclude, "--exclude")?,
        })
    }

    /// Does an `--exclude` glob match this walked path (relative to the walk root) or its name?
    fn excluded(&self, relative: &Path) -> bool {
        !self.exclude.is_empty() && matches(&self.exclude, relative)
    }

    /// Should this walked file be linted?
    fn selected(&self, relative: &Path) -> bool {
        match &self.include {
            Some(include) => matches(include, relative),
            None => {
                dockside_linter::is_dockerfile_name(relative)
                    || dockside_compose::is_compose_file_name(relative)
            }
        }
    }
}

fn build(globs: &[String], flag: &str) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for g in globs {
        let glob = Glob::new(g).map_err(|e| format!("{flag}: invalid glob `{g}`: {}", e.kind()))?;
        builder.add(glob);
    }
    builder.build().map_err(|e| format!("{flag}: {e}"))
}

fn matches(set: &GlobSet, relative: &Path) -> bool {
    set.is_match(relative) || relative.file_name().is_some_and(|name| set.is_match(name))
}

/// Resolves the command-line paths into files to lint.
pub fn discover(paths: &[PathBuf], filters: &Filters) -> Discovered {
    let mut out = Discovered::default();
    let mut files = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.stdin = true;
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => out
                .errors
                .push(format!("{}: {}", path.display(), io_message(&e))),
            Ok(meta) if meta.is_dir() => walk(path, filters, &mut files, &mut out.errors),
            Ok(_) => files.push(path.clone()),
        }
    }
    if sort_by_path(&mut files, |p| p) {
        files.dedup_by(|a, b| a.as_os_str() == b.as_os_str());
    } else {
        files.dedup();
    }
    let (compose, dockerfiles): (Vec<PathBuf>, Vec<PathBuf>) =
        files.into_iter().partition(|p| is_compose_input(p));
    out.files = dockerfiles;
    out.compose = compose;
    out
}

/// Whether a file to lint is a Compose file: a Compose name, or any `.yml`/`.yaml`
/// (named on the command line or matched by `--include`).
pub fn is_compose_input(path: &Path) -> bool {
    // Both kinds end in `.yml` or `.yaml`.
    let name = path.as_os_str().as_encoded_bytes();
    let yaml = |suffix: &[u8]| {
        name.len() >= suffix.len() && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    if !(yaml(b".yml") || yaml(b".yaml")) {
        return false;
    }
    dockside_compose::is_compose_file_name(path)
        // A name that is only `.yml` has no extension: not a YAML file to lint.
        || (!dockside_linter::is_dockerfile_name(path) && path.extension().is_some())
}

/// Sorts `items` in `Path` order (component by component) of `path(item)`, without
/// its cost when every path is plain: then it is the byte order with `/` below
/// every byte. Returns whether that held (equal paths then have equal bytes).
pub fn sort_by_path<T>(items: &mut [T], path: impl Fn(&T) -> &Path) -> bool {
    if !items.iter().all(|t| is_plain(bytes(path(t)))) {
        items.sort_by(|a, b| path(a).cmp(path(b)));
        return false;
    }
    let key = |c: u8| if c == b'/' { 0 } else { c };
    items.sort_by(|a, b| {
        let (x, y) = (bytes(path(a)), bytes(path(b)));
        match x.iter().zip(y).position(|(p, q)| p != q) {
            Some(i) => key(x[i]).cmp(&key(y[i])),
            None => x.len().cmp(&y.len()),
        }
    });
    true
}

fn bytes(p: &Path) -> &[u8] {
    p.as_os_str().as_encoded_bytes()
}

/// No empty, `.` or `..` components, no trailing `/`.
fn is_plain(p: &[u8]) -> bool {
    cfg!(unix)
        && !p.starts_with(b"./")
        && !p.ends_with(b"/")
        && !p.ends_with(b"/.")
        && !p.windows(2).any(|w| w == b"//" || w == b"..")
        && !p.windows(3).any(|w| w == b"/./")
}

fn walk(root: &Path, filters: &Filters, files: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .hidden(false)
        .follow_links(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .ignore(true)
        .parents(true)
        .require_git(false);
    let root_owned = root.to_path_buf();
    let excluded_dirs = {
        // Clone what the filter closure needs (it must be 'static + Send + Sync).
        let exclude = filters.exclude.clone();
        move |entry: &ignore::DirEntry| {
            if entry.file_name() == ".git" && entry.file_type().is_some_and(|t| t.is_dir()) {
                return false;
            }
            if entry.depth() == 0 || exclude.is_empty() {
                return true;
            }
            let relative = entry
                .path()
                .strip_prefix(&root_owned)
                .unwrap_or(entry.path());
            !matches(&exclude, relative)
        }
    };
    builder.filter_entry(excluded_dirs);
    for entry in builder.build() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(walk_error(&e));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        if filters.excluded(relative) || !filters.selected(relative) {
            continue;
        }
        files.push(strip_cur_dir(entry.path()));
    }
}

/// `./a/Dockerfile` → `a/Dockerfile` (walking `.` prefixes every path with `./`).
pub fn strip_cur_dir(path: &Path) -> PathBuf {
    let mut components = path.components().peekable();
    while components.peek() == Some(&Component::CurDir) {
        components.next();
    }
    let stripped: PathBuf = components.collect();
    if stripped.as_os_str().is_empty() {
        path.to_path_buf()
    } else {
        stripped
    }
}

fn walk_error(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { path, err } => format!("{}: {}", path.display(), walk_error(err)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(err)
        }
        ignore::Error::Io(io) => io_message(io),
        other => other.to_string(),
    }
}

/// An I/O error without the `(os error N)` suffix.
pub fn io_message(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_by_path_is_paths_order() {
        let plain = [
            "a/b",
            "a-b",
            "a",
            "/a",
            "a/b/c",
            "a.b/c",
            "-/x",
            "b",
            "A",
            "a b/c",
            ".hidden/x",
            ".x.y",
            "a/b-c",
            "a/b.c",
            "z",
        ];
        let odd = ["../x", "a//b", "./a", "a/./b", "a/"];
        for names in [&plain[..], &[&plain[..], &odd[..]].concat()] {
            let mut ours: Vec<&Path> = names.iter().map(Path::new).collect();
            let mut std = ours.clone();
            std.sort();
            let all_plain = sort_by_path(&mut ours, |p| p);
            assert_eq!(all_plain, names.len() == plain.len());
            assert_eq!(ours, std);
        }
    }

    #[test]
    fn strips_leading_cur_dir() {
        assert_eq!(
            strip_cur_dir(Path::new("./a/Dockerfile")),
            PathBuf::from("a/Dockerfile")
        );
        assert_eq!(
            strip_cur_dir(Path::new("a/./Dockerfile")),
            PathBuf::from("a/Dockerfile")
        );
        assert_eq!(
            strip_cur_dir(Path::new("/x/Dockerfile")),
            PathBuf::from("/x/Dockerfile")
        );
    }

    #[test]
    fn include_replaces_name_detection() {
        let f = Filters::new(&["*.df".into()], &[]).unwrap();
        assert!(f.selected(Path::new("x/build.df")));
        assert!(!f.selected(Path::new("Dockerfile")));
        let f = Filters::new(&[], &[]).unwrap();
        assert!(f.selected(Path::new("app/compose.yaml")));
        assert!(f.selected(Path::new("docker-compose.prod.yml")));
        assert!(!f.selected(Path::new(".github/workflows/ci.yml")));
        let f = Filters::new(&[], &["legacy/**".into(), "*.dev".into()]).unwrap();
        assert!(f.excluded(Path::new("legacy/Dockerfile")));
        assert!(f.excluded(Path::new("a/Dockerfile.dev")));
        assert!(!f.excluded(Path::new("Dockerfile")));
    }
}
