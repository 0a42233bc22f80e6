//! Server state: open documents, the overlay they form, configurations,
//! diagnostics published into other files, and the analysis scheduler.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use dockside_context::Overlay;
use dockside_ide::{Analysis, ComposeAnalysis};
use dockside_linter::{Config, ConfigError, LintOptions};
use tokio::sync::watch;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::convert;
use crate::position::Encoding;
use crate::settings::Settings;

/// How long a request waits for the analysis of the current text before
/// answering from the previous one.
pub const ANALYSIS_WAIT: Duration = Duration::from_secs(10);

/// Contributor key of configuration-error diagnostics.
const CONFIG_CONTRIBUTOR: &str = "\0config";

static NEXT_OPEN_ID: AtomicU64 = AtomicU64::new(1);

pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The text of every open document, consulted by the build context before the disk.
#[derive(Default)]
pub struct OpenFiles(RwLock<HashMap<PathBuf, Arc<str>>>);

impl OpenFiles {
    pub fn set(&self, path: PathBuf, text: Arc<str>) {
        self.0
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path, text);
    }
    pub fn remove(&self, path: &Path) {
        self.0
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(path);
    }
}

impl Overlay for OpenFiles {
    fn read(&self, path: &Path) -> Option<String> {
        self.0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
            .map(|t| t.to_string())
    }
}

pub struct Document {
    /// Distinguishes successive openings of the same URI.
    pub open_id: u64,
    pub path: PathBuf,
    pub language_id: String,
    pub version: i32,
    pub text: Arc<str>,
    pub is_dockerfile: bool,
    /// A Compose file (language `dockercompose`, or a Compose file name).
    pub is_compose: bool,
    /// Bumped whenever the document needs analysing again.
    pub generation: u64,
    /// The generation last analysed (successfully or not).
    pub finished: watch::Sender<u64>,
    /// An analysis task is running for this document.
    pub running: bool,
    pub analysis: Option<Arc<Analysis>>,
    pub compose: Option<Arc<ComposeAnalysis>>,
    /// Files the latest Compose analysis read or looked for: a change to one re-lints it.
    pub dependencies: Vec<PathBuf>,
    /// The diagnostics of the latest analysis and the version they are for.
    pub diagnostics: Option<(i32, Vec<lsp::Diagnostic>)>,
}

impl Document {
    /// Keeps a new analysis of the document.
    pub fn store(&mut self, fresh: Fresh) {
        match fresh {
            Fresh::Dockerfile(analysis) => self.analysis = Some(analysis),
            Fresh::Compose(analysis) => {
                self.dependencies = analysis.dependencies();
                self.compose = Some(analysis);
            }
        }
    }

    /// The analysis kept, if any.
    pub fn kept(&self) -> Option<Fresh> {
        match (&self.analysis, &self.compose) {
            (Some(a), _) => Some(Fresh::Dockerfile(a.clone())),
            (_, Some(c)) => Some(Fresh::Compose(c.clone())),
            _ => None,
        }
    }
}

pub fn is_dockerfile(language_id: &str, path: &Path) -> bool {
    language_id.eq_ignore_ascii_case("dockerfile")
        || language_id.eq_ignore_ascii_case("containerfile")
        || dockside_linter::is_dockerfile_name(path)
}

/// Compose documents: the `dockercompose` language, or a Compose file name
/// (`compose.yaml`, `docker-compose.prod.yml`…) whatever the language (`yaml` usually).
pub fn is_compose(language_id: &str, path: &Path) -> bool {
    language_id.eq_ignore_ascii_case("dockercompose")
        || dockside_ide::compose::is_compose_file_name(path)
}

pub fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| dockside_config::CONFIG_FILE_NAMES.contains(&n))
}

#[derive(Default, Clone, Copy)]
pub struct ClientFlags {
    pub dynamic_watchers: bool,
    pub hierarchical_symbols: bool,
    pub workspace_configuration: bool,
    /// The client's `foldingRange.rangeLimit`.
    pub folding_range_limit: Option<u32>,
}

pub struct Inner {
    pub client: Client,
    encoding: AtomicU8,
    pub flags: Mutex<ClientFlags>,
    pub docs: Mutex<HashMap<Uri, Document>>,
    pub open_files: Arc<OpenFiles>,
    pub settings: Mutex<Settings>,
    /// File configurations (without client overrides) by folder.
    configs: Mutex<HashMap<PathBuf, Result<Arc<Config>, ConfigError>>>,
    /// Configuration errors already shown with `window/showMessage`.
    shown_errors: Mutex<HashSet<String>>,
    /// Diagnostics published into a file by others: target → contributor → diagnostics.
    contributions: Mutex<HashMap<Uri, BTreeMap<String, Vec<lsp::Diagnostic>>>>,
    /// Serialises `publishDiagnostics`, each sending the state current when it is sent.
    publish_lock: tokio::sync::Mutex<()>,
    pub shutdown: AtomicBool,
    /// Documents whose analysis is kept, most recently used last: memory stays
    /// bounded with many open documents, and an evicted analysis is rebuilt
    /// on demand (about a millisecond for a 400-line Dockerfile).
    retained: Mutex<VecDeque<Uri>>,
}

/// How many documents keep their analysis in memory.
const RETAINED_ANALYSES: usize = 16;

/// A new analysis of a document.
#[derive(Clone)]
pub enum Fresh {
    Dockerfile(Arc<Analysis>),
    Compose(Arc<ComposeAnalysis>),
}

/// Result of one analysis job.
struct Analysed {
    analysis: Fresh,
    grouped: convert::Grouped,
    config_changed: bool,
    config_error: Option<ConfigError>,
}

impl Inner {
    pub fn new(client: Client) -> Inner {
        Inner {
            client,
            encoding: AtomicU8::new(0),
            flags: Mutex::default(),
            docs: Mutex::default(),
            open_files: Arc::default(),
            settings: Mutex::default(),
            configs: Mutex::default(),
            shown_errors: Mutex::default(),
            contributions: Mutex::default(),
            publish_lock: tokio::sync::Mutex::new(()),
            shutdown: AtomicBool::new(false),
            retained: Mutex::default(),
        }
    }

    /// Marks `uri`'s analysis as recently used and drops the analyses of the
    /// least recently used documents beyond [`RETAINED_ANALYSES`].
    fn retain_analysis(&self, uri: &Uri) {
        let evicted: Vec<Uri> = {
            let mut retained = lock(&self.retained);
            retained.retain(|u| u != uri);
            retained.push_back(uri.clone());
            let excess = retained.len().saturating_sub(RETAINED_ANALYSES);
            retained.drain(..excess).collect()
        };
        if !evicted.is_empty() {
            let mut docs = lock(&self.docs);
            for u in evicted {
                if let Some(doc) = docs.get_mut(&u) {
                    doc.analysis = None;
                    doc.compose = None;
                }
            }
        }
    }

    pub fn encoding(&self) -> Encoding {
        match self.encoding.load(Ordering::Relaxed) {
            1 => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn set_encoding(&self, encoding: Encoding) {
        self.encoding
            .store(u8::from(encoding == Encoding::Utf8), Ordering::Relaxed);
    }

    // ----- configuration -------------------------------------------------

    /// The configuration for `path` with the client's overrides applied;
    /// defaults when the file configuration is invalid. Also says whether
    /// the cache changed (a configuration was loaded) and the error, if any.
    fn config_for(&self, path: &Path) -> (Config, bool, Option<ConfigError>) {
        let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let cached = lock(&self.configs).get(&dir).cloned();
        let (loaded, changed) = match cached {
            Some(found) => (found, false),
            None => {
                let loaded = dockside_linter::config_for(path).map(Arc::new);
                lock(&self.configs).insert(dir.clone(), loaded.clone());
                (loaded, true)
            }
        };
        let (mut config, error) = match loaded {
            Ok(config) => (Config::clone(&config), None),
            Err(e) => {
                let root = std::fs::canonicalize(&dir).unwrap_or(dir);
                (Config::default_for(root), Some(e))
            }
        };
        lock(&self.settings).apply(&mut config);
        (config, changed, error)
    }

    /// Forgets loaded configurations (a configuration file changed).
    pub fn clear_configs(&self) {
        lock(&self.configs).clear();
        lock(&self.shown_errors).clear();
    }

    /// A configuration file changed: forget the loaded ones. With no open
    /// Dockerfile to reload them, clear their error diagnostics now.
    pub async fn configs_changed(&self) {
        self.clear_configs();
        if self.open_dockerfiles().is_empty() && self.open_compose_documents().is_empty() {
            let uris = self.refresh_config_diagnostics();
            self.publish(uris).await;
        }
    }

    /// Recomputes the configuration-error diagnostics from the cache; returns the URIs to publish.
    fn refresh_config_diagnostics(&self) -> Vec<Uri> {
        let encoding = self.encoding();
        let mut by_file: HashMap<Uri, Vec<lsp::Diagnostic>> = HashMap::new();
        let mut seen = HashSet::new();
        let errors: Vec<ConfigError> = lock(&self.configs)
            .values()
            .filter_map(|r| r.as_ref().err().cloned())
            .collect();
        for err in &errors {
            if !seen.insert((err.path.clone(), err.message.clone())) {
                continue;
            }
            let Some(uri) = convert::path_to_uri(&err.path) else {
                continue;
            };
            let text = std::fs::read_to_string(&err.path).ok();
            by_file.entry(uri).or_default().push(convert::config_error(
                err,
                text.as_deref(),
                encoding,
            ));
        }
        self.set_contributions(CONFIG_CONTRIBUTOR, by_file)
    }

    // ----- publishing ----------------------------------------------------

    /// Replaces what `contributor` reports into other files; returns the URIs whose diagnostics changed.
    fn set_contributions(
        &self,
        contributor: &str,
        new: HashMap<Uri, Vec<lsp::Diagnostic>>,
    ) -> Vec<Uri> {
        let mut all = lock(&self.contributions);
        let mut touched = Vec::new();
        for (target, map) in all.iter_mut() {
            if map.remove(contributor).is_some() {
                touched.push(target.clone());
            }
        }
        for (uri, diagnostics) in new {
            if diagnostics.is_empty() {
                continue;
            }
            touched.push(uri.clone());
            all.entry(uri)
                .or_default()
                .insert(contributor.to_string(), diagnostics);
        }
        all.retain(|_, m| !m.is_empty());
        touched.sort();
        touched.dedup();
        touched
    }

    /// Drops what `contributor` reported into other files; returns those files.
    pub fn clear_contributions(&self, contributor: &str) -> Vec<Uri> {
        self.set_contributions(contributor, HashMap::new())
    }

    /// Everything known for `uri`: its own findings (an open Dockerfile) and
    /// what others report into it; with the version of the analysed text.
    pub fn diagnostics_of(&self, uri: &Uri) -> (Vec<lsp::Diagnostic>, Option<i32>) {
        let mut out = Vec::new();
        let mut version = None;
        if let Some((v, diagnostics)) = lock(&self.docs)
            .get(uri)
            .and_then(|d| d.diagnostics.as_ref())
        {
            out.extend(diagnostics.iter().cloned());
            version = Some(*v);
        }
        if let Some(map) = lock(&self.contributions).get(uri) {
            for diagnostics in map.values() {
                for d in diagnostics {
                    // Two analyses can see the same problem (a `.env` shared by Compose files).
                    if !out.contains(d) {
                        out.push(d.clone());
                    }
                }
            }
        }
        (out, version)
    }

    pub async fn publish(&self, uris: Vec<Uri>) {
        let _guard = self.publish_lock.lock().await;
        for uri in uris {
            let (diagnostics, version) = self.diagnostics_of(&uri);
            self.client
                .publish_diagnostics(uri, diagnostics, version)
                .await;
        }
    }

    // ----- documents -----------------------------------------------------

    /// Opens a document; returns whether it is analysed (a Dockerfile or a Compose file).
    pub fn open(&self, uri: Uri, language_id: String, version: i32, text: String) -> bool {
        let path = convert::document_path(&uri);
        let is_compose = is_compose(&language_id, &path);
        let is_dockerfile = !is_compose && is_dockerfile(&language_id, &path);
        let text: Arc<str> = Arc::from(text);
        self.open_files.set(path.clone(), text.clone());
        let mut docs = lock(&self.docs);
        let (finished, generation) = match docs.remove(&uri) {
            // Reopened: keep the generation counter moving forward.
            Some(old) => (old.finished, old.generation),
            None => (watch::channel(0).0, 0),
        };
        docs.insert(
            uri,
            Document {
                open_id: NEXT_OPEN_ID.fetch_add(1, Ordering::Relaxed),
                path,
                language_id,
                version,
                text,
                is_dockerfile,
                is_compose,
                generation,
                finished,
                running: false,
                analysis: None,
                compose: None,
                dependencies: Vec::new(),
                diagnostics: None,
            },
        );
        is_dockerfile || is_compose
    }

    /// Removes a document; returns it.
    pub fn close(&self, uri: &Uri) -> Option<Document> {
        let doc = lock(&self.docs).remove(uri)?;
        self.open_files.remove(&doc.path);
        Some(doc)
    }

    /// The open Compose documents.
    pub fn open_compose_documents(&self) -> Vec<Uri> {
        lock(&self.docs)
            .iter()
            .filter(|(_, d)| d.is_compose)
            .map(|(u, _)| u.clone())
            .collect()
    }

    /// Re-lints the open Compose documents whose analysis depends on `path` (or that have
    /// not been analysed yet), except `except`.
    pub fn schedule_compose_dependents(self: &Arc<Self>, path: &Path, except: Option<&Uri>) {
        let dependents: Vec<Uri> = lock(&self.docs)
            .iter()
            .filter(|(u, d)| {
                d.is_compose
                    && Some(*u) != except
                    && (d.dependencies.is_empty() || d.dependencies.iter().any(|p| p == path))
            })
            .map(|(u, _)| u.clone())
            .collect();
        for uri in dependents {
            self.schedule(&uri);
        }
    }

    pub fn schedule_all_compose(self: &Arc<Self>) {
        for uri in self.open_compose_documents() {
            self.schedule(&uri);
        }
    }

    /// The open Dockerfiles.
    pub fn open_dockerfiles(&self) -> Vec<Uri> {
        lock(&self.docs)
            .iter()
            .filter(|(_, d)| d.is_dockerfile)
            .map(|(u, _)| u.clone())
            .collect()
    }

    // ----- analysis ------------------------------------------------------

    /// Marks `uri` as needing analysis and starts a task unless one is running
    /// (the running one loops until the newest generation is analysed).
    pub fn schedule(self: &Arc<Self>, uri: &Uri) {
        let open_id = {
            let mut docs = lock(&self.docs);
            let Some(doc) = docs.get_mut(uri) else {
                return;
            };
            if !doc.is_dockerfile && !doc.is_compose {
                return;
            }
            doc.generation += 1;
            if doc.running {
                return;
            }
            doc.running = true;
            doc.open_id
        };
        let inner = self.clone();
        let uri = uri.clone();
        tokio::spawn(async move { inner.run_analyses(uri, open_id).await });
    }

    pub fn schedule_all_dockerfiles(self: &Arc<Self>) {
        for uri in self.open_dockerfiles() {
            self.schedule(&uri);
        }
    }

    async fn run_analyses(self: Arc<Self>, uri: Uri, open_id: u64) {
        loop {
            let Some((generation, version, path, text, is_compose, stale)) = lock(&self.docs)
                .get_mut(&uri)
                .filter(|d| d.open_id == open_id)
                .map(|d| {
                    // Requests wait for the new analysis: the old one need not be
                    // kept meanwhile (two analyses of a 200,000-line file would
                    // double the server's memory).
                    let stale = (d.analysis.take(), d.compose.take());
                    (
                        d.generation,
                        d.version,
                        d.path.clone(),
                        d.text.clone(),
                        d.is_compose,
                        stale,
                    )
                })
            else {
                return;
            };
            let inner = self.clone();
            let job_uri = uri.clone();
            let encoding = self.encoding();
            let job = move || {
                // Freed by the thread that allocates the new one: its allocator reuses the memory.
                drop(stale);
                let (config, config_changed, config_error) = inner.config_for(&path);
                let (analysis, grouped) = if is_compose {
                    let analysis = inner.compose_analysis(&path, &text, config);
                    let mut grouped =
                        convert::group_compose_diagnostics(&analysis, &job_uri, encoding);
                    // Open Compose documents report their own findings.
                    let open = inner.open_compose_documents();
                    grouped.others.retain(|u, _| !open.contains(u));
                    (Fresh::Compose(Arc::new(analysis)), grouped)
                } else {
                    let options = inner.dockerfile_options(&path);
                    let analysis = Analysis::new(&path, &text, config, options);
                    let grouped = convert::group_diagnostics(&analysis.lint, &job_uri, encoding);
                    (Fresh::Dockerfile(Arc::new(analysis)), grouped)
                };
                Analysed {
                    analysis,
                    grouped,
                    config_changed,
                    config_error,
                }
            };
            let result =
                tokio::task::spawn_blocking(move || catch_unwind(AssertUnwindSafe(job))).await;
            let analysed = match result {
                Ok(Ok(analysed)) => Some(analysed),
                Ok(Err(panic)) => {
                    self.client
                        .log_message(
                            lsp::MessageType::ERROR,
                            format!(
                                "dockside: analysis of {} failed: {}",
                                uri.as_str(),
                                panic_message(&*panic)
                            ),
                        )
                        .await;
                    None
                }
                Err(e) => {
                    self.client
                        .log_message(
                            lsp::MessageType::ERROR,
                            format!("dockside: analysis task failed: {e}"),
                        )
                        .await;
                    None
                }
            };

            let mut to_publish = Vec::new();
            let mut config_error = None;
            if let Some(analysed) = analysed {
                if analysed.config_changed {
                    to_publish.extend(self.refresh_config_diagnostics());
                }
                config_error = analysed.config_error;
                let current = {
                    let mut docs = lock(&self.docs);
                    match docs.get_mut(&uri).filter(|d| d.open_id == open_id) {
                        Some(doc) if doc.generation == generation => {
                            doc.store(analysed.analysis);
                            doc.diagnostics = Some((version, analysed.grouped.main));
                            true
                        }
                        Some(_) => false,
                        None => return,
                    }
                };
                if current {
                    self.retain_analysis(&uri);
                    to_publish
                        .extend(self.set_contributions(uri.as_str(), analysed.grouped.others));
                }
                to_publish.sort();
                to_publish.dedup();
                to_publish.retain(|u| *u != uri);
                if current {
                    // The Dockerfile itself last: its publication (with the
                    // analysed version) says everything of this analysis is out.
                    to_publish.push(uri.clone());
                }
            }
            if !to_publish.is_empty() {
                self.publish(to_publish).await;
            }
            if let Some(err) = config_error {
                self.show_config_error(&err).await;
            }

            let mut docs = lock(&self.docs);
            let Some(doc) = docs.get_mut(&uri).filter(|d| d.open_id == open_id) else {
                return;
            };
            doc.finished.send_replace(generation);
            if doc.generation == generation {
                doc.running = false;
                return;
            }
        }
    }

    async fn show_config_error(&self, err: &ConfigError) {
        let text = err.to_string();
        if !lock(&self.shown_errors).insert(text.clone()) {
            return;
        }
        self.client
            .show_message(
                lsp::MessageType::ERROR,
                format!("dockside: invalid configuration (using the defaults): {text}"),
            )
            .await;
    }

    /// The Dockerfile analysis of `uri` (see [`Inner::fresh_for`]).
    pub async fn analysis_for(self: &Arc<Self>, uri: &Uri) -> Option<Arc<Analysis>> {
        match self.fresh_for(uri).await? {
            Fresh::Dockerfile(analysis) => Some(analysis),
            Fresh::Compose(_) => None,
        }
    }

    /// The Compose analysis of `uri` (see [`Inner::fresh_for`]).
    pub async fn compose_analysis_for(self: &Arc<Self>, uri: &Uri) -> Option<Arc<ComposeAnalysis>> {
        match self.fresh_for(uri).await? {
            Fresh::Compose(analysis) => Some(analysis),
            Fresh::Dockerfile(_) => None,
        }
    }

    /// How to lint a Dockerfile: with the build context and build args of the Compose
    /// service that builds it, if any (like `dockside check`), else its own folder.
    fn dockerfile_options(&self, path: &Path) -> LintOptions {
        let overlay: Arc<dyn Overlay> = self.open_files.clone();
        dockside_ide::dockerfile_build_options(
            path,
            std::env::vars().collect(),
            Some(overlay.clone()),
        )
        .unwrap_or_else(|| LintOptions {
            overlay: Some(overlay),
            ..LintOptions::default()
        })
    }

    /// Analyses a Compose document: its project loaded like the CLI does, with the open
    /// documents as overlay and the server's environment for interpolation.
    fn compose_analysis(&self, path: &Path, text: &str, config: Config) -> ComposeAnalysis {
        let overlay: Arc<dyn Overlay> = self.open_files.clone();
        let load =
            dockside_ide::load_options_for(path, std::env::vars().collect(), Some(overlay.clone()));
        let options = LintOptions {
            overlay: Some(overlay),
            ..LintOptions::default()
        };
        ComposeAnalysis::new(path, text, load, config, options)
    }

    /// A new analysis of `text` as the document `path` (a Compose file or a Dockerfile).
    fn analyse_now(&self, path: &Path, text: &str, is_compose: bool) -> Fresh {
        let (config, _, _) = self.config_for(path);
        if is_compose {
            return Fresh::Compose(Arc::new(self.compose_analysis(path, text, config)));
        }
        let options = self.dockerfile_options(path);
        Fresh::Dockerfile(Arc::new(Analysis::new(path, text, config, options)))
    }

    /// The analysis of `uri`: for an open Dockerfile or Compose file, the one of
    /// its current text (waiting for it, up to [`ANALYSIS_WAIT`]); for a document
    /// that is not open, the file on disk analysed now (as a Compose file when its
    /// name says so). `None` for open documents that are neither, and files that
    /// cannot be read.
    pub async fn fresh_for(self: &Arc<Self>, uri: &Uri) -> Option<Fresh> {
        let waiting = {
            let docs = lock(&self.docs);
            match docs.get(uri) {
                Some(doc) if !doc.is_dockerfile && !doc.is_compose => return None,
                Some(doc) => Some((doc.generation, doc.finished.subscribe())),
                None => None,
            }
        };
        if let Some((generation, mut rx)) = waiting {
            let _ = tokio::time::timeout(ANALYSIS_WAIT, rx.wait_for(|&g| g >= generation)).await;
            let (kept, text, path, current, is_compose) = {
                let docs = lock(&self.docs);
                let doc = docs.get(uri)?;
                (
                    doc.kept(),
                    doc.text.clone(),
                    doc.path.clone(),
                    doc.generation,
                    doc.is_compose,
                )
            };
            if let Some(analysis) = kept {
                self.retain_analysis(uri);
                return Some(analysis);
            }
            // Evicted to bound memory: analyse the current text again.
            let inner = self.clone();
            let job = move || inner.analyse_now(&path, &text, is_compose);
            let analysis =
                tokio::task::spawn_blocking(move || catch_unwind(AssertUnwindSafe(job)).ok())
                    .await
                    .ok()
                    .flatten()?;
            let stored = {
                let mut docs = lock(&self.docs);
                match docs.get_mut(uri) {
                    Some(doc) if doc.generation == current && doc.kept().is_none() => {
                        doc.store(analysis.clone());
                        true
                    }
                    _ => false,
                }
            };
            if stored {
                self.retain_analysis(uri);
            }
            return Some(analysis);
        }
        let path = convert::uri_to_path(uri)?;
        let inner = self.clone();
        let job = move || -> Option<Fresh> {
            if !std::fs::metadata(&path).ok()?.is_file() {
                return None;
            }
            let bytes = std::fs::read(&path).ok()?;
            let is_compose = dockside_ide::compose::is_compose_file_name(&path);
            let what = if is_compose {
                "a Compose file"
            } else {
                "a Dockerfile"
            };
            let text = dockside_linter::decode(&bytes, what).ok()?;
            Some(inner.analyse_now(&path, &text, is_compose))
        };
        tokio::task::spawn_blocking(move || catch_unwind(AssertUnwindSafe(job)).ok().flatten())
            .await
            .ok()
            .flatten()
    }
}

pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;
    use tower_lsp_server::LspService;

    fn inner() -> Arc<Inner> {
        let (service, _socket) = LspService::new(crate::Backend::new);
        service.inner().inner().clone()
    }

    fn diag(message: &str) -> lsp::Diagnostic {
        lsp::Diagnostic {
            message: message.to_string(),
            ..Default::default()
        }
    }

    #[test]
    fn dockerfile_detection() {
        assert!(is_dockerfile("dockerfile", Path::new("/x/build.txt")));
        assert!(is_dockerfile("plaintext", Path::new("/x/Dockerfile.dev")));
        assert!(is_dockerfile("plaintext", Path::new("/x/api.Dockerfile")));
        assert!(!is_dockerfile("shellscript", Path::new("/x/entry.sh")));
        assert!(is_config_file(Path::new("/x/.dockside.toml")));
        assert!(!is_config_file(Path::new("/x/Cargo.toml")));
    }

    #[test]
    fn compose_detection() {
        assert!(is_compose("dockercompose", Path::new("/x/stack.yml")));
        assert!(is_compose("yaml", Path::new("/x/docker-compose.prod.yml")));
        assert!(!is_compose("yaml", Path::new("/x/config.yaml")));
        let inner = inner();
        let compose = Uri::from_str("file:///p/compose.yaml").unwrap();
        assert!(inner.open(compose.clone(), "yaml".into(), 1, "services: {}\n".into()));
        let other = Uri::from_str("file:///p/values.yaml").unwrap();
        assert!(!inner.open(other, "yaml".into(), 1, "a: 1\n".into()));
        assert_eq!(inner.open_compose_documents(), vec![compose]);
        assert!(inner.open_dockerfiles().is_empty());
    }

    #[test]
    fn open_documents_form_the_overlay() {
        let inner = inner();
        let uri = Uri::from_str("file:///p/entry.sh").unwrap();
        assert!(!inner.open(uri.clone(), "shellscript".into(), 1, "#!/bin/sh\n".into()));
        assert_eq!(
            inner.open_files.read(Path::new("/p/entry.sh")).as_deref(),
            Some("#!/bin/sh\n")
        );
        assert!(inner.open_dockerfiles().is_empty());
        inner.close(&uri);
        assert_eq!(inner.open_files.read(Path::new("/p/entry.sh")), None);
    }

    #[test]
    fn contributions_merge_and_clear() {
        let inner = inner();
        let script = Uri::from_str("file:///p/entry.sh").unwrap();
        let a = "file:///p/Dockerfile";
        let b = "file:///p/Dockerfile.dev";
        let touched =
            inner.set_contributions(a, HashMap::from([(script.clone(), vec![diag("from a")])]));
        assert_eq!(touched, vec![script.clone()]);
        inner.set_contributions(b, HashMap::from([(script.clone(), vec![diag("from b")])]));
        let (all, version) = inner.diagnostics_of(&script);
        assert_eq!(all.len(), 2);
        assert_eq!(version, None);
        // `a` no longer reports into the script.
        assert_eq!(
            inner.set_contributions(a, HashMap::new()),
            vec![script.clone()]
        );
        assert_eq!(inner.diagnostics_of(&script).0, vec![diag("from b")]);
        assert_eq!(inner.clear_contributions(b), vec![script.clone()]);
        assert!(inner.diagnostics_of(&script).0.is_empty());
        assert!(inner.clear_contributions(b).is_empty());
    }

    #[test]
    fn a_bad_configuration_falls_back_to_defaults() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".dockside.toml"), "select = [\"nope\"]\n").unwrap();
        let inner = inner();
        let dockerfile = dir.path().join("Dockerfile");
        let (config, changed, error) = inner.config_for(&dockerfile);
        assert!(changed);
        assert!(config.path.is_none());
        let error = error.unwrap();
        assert_eq!((error.line, error.column), (Some(1), Some(11)));
        // Cached: not loaded again, same error.
        let (_, changed, again) = inner.config_for(&dockerfile);
        assert!(!changed);
        assert_eq!(again, Some(error));
        let uris = inner.refresh_config_diagnostics();
        assert_eq!(uris.len(), 1);
        let (diagnostics, _) = inner.diagnostics_of(&uris[0]);
        assert_eq!(
            diagnostics[0].range.start,
            lsp::Position {
                line: 0,
                character: 10
            }
        );
        // The file is fixed: after a change notification it loads cleanly.
        std::fs::write(dir.path().join(".dockside.toml"), "ignore = []\n").unwrap();
        inner.clear_configs();
        let (config, changed, error) = inner.config_for(&dockerfile);
        assert!(changed && error.is_none() && config.path.is_some());
        assert_eq!(inner.refresh_config_diagnostics(), uris);
        assert!(inner.diagnostics_of(&uris[0]).0.is_empty());
    }
}
