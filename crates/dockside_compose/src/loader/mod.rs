//! Loading a project the way `docker compose` (compose-go) does:
//!
//! 1. the environment: the process environment over the env files (`--env-file`, else the
//!    project `.env`) ([`env`]);
//! 2. the Compose files: `-f` files, else `COMPOSE_FILE`, else the default name and its
//!    `.override` file ([`files`]);
//! 3. each file, document by document: YAML 1.1 traps, interpolation ([`interpolation`]),
//!    `extends` ([`extends`]), `include` ([`include`]), then merged over what came before
//!    with Compose's merge rules ([`merge`]);
//! 4. the project name and the active profiles ([`profiles`]).
//!
//! Every node keeps the file and range it was written at; every problem is a [`LoadIssue`]
//! at the place it was written.

mod env;
mod extends;
mod files;
mod include;
mod interpolation;
mod merge;
mod profiles;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use dockside_syntax::TextRange;

use crate::project::{
    FileRole, LoadIssue, LoadIssueKind, LoadOptions, Project, ProjectFile, load_yaml, read_source,
};
use crate::yaml::Node;

pub(crate) use env::Environment;

/// Deepest chain of `include` or `extends` followed.
pub(crate) const MAX_DEPTH: usize = 32;
/// Most files one project may read (Compose files, included, extended and env files).
pub(crate) const MAX_FILES: usize = 256;

pub(crate) fn load(options: &LoadOptions) -> Project {
    let mut loader = Loader::new(options);
    let env_dir = files::environment_dir(options);
    let env = loader.project_environment(&env_dir);
    let paths = files::compose_files(options, &env);
    let directory = files::project_directory(options, &paths);

    let mut model: Option<Node> = None;
    for path in &paths {
        let scope = Scope {
            env: &env,
            working_dir: directory.clone(),
            include_chain: vec![file_key(path)],
        };
        match loader.read(path, FileRole::Compose) {
            Ok((id, documents)) => {
                model = loader.load_layer(model.take(), id, documents, &scope, true);
            }
            Err(reason) => {
                let id = loader.push_file(path.clone(), String::new(), FileRole::Compose);
                loader.issue(
                    LoadIssueKind::MissingFile,
                    id,
                    TextRange::empty(0),
                    format!("cannot read the Compose file {}: {reason}", path.display()),
                );
            }
        }
    }

    let profiles = profiles::active_profiles(options, &env);
    let name = profiles::project_name(options, &env, model.as_ref(), &directory);
    let mut project = Project {
        name,
        directory,
        files: std::mem::take(&mut loader.files),
        variables: env.variables(),
        profiles,
        model,
        issues: Vec::new(),
        service_index: std::sync::OnceLock::new(),
    };
    interpolation::explain_unset_variables(
        options,
        &project,
        &mut loader.issues,
        &loader.unset_variables,
    );
    project.issues = dedup(loader.issues);
    project
}

/// Where a layer is loaded: its interpolation environment, the folder its relative
/// `include` paths resolve from, and the includes that led to it.
pub(crate) struct Scope<'e> {
    pub env: &'e Environment,
    pub working_dir: PathBuf,
    pub include_chain: Vec<PathBuf>,
}

pub(crate) struct Loader<'o> {
    pub options: &'o LoadOptions,
    pub files: Vec<ProjectFile>,
    pub issues: Vec<LoadIssue>,
    /// `UnsetVariable` issues (index into `issues`) and their variable.
    pub unset_variables: Vec<(usize, String)>,
    /// Files loaded for `extends`, by path: their file id and merged documents.
    extended_files: HashMap<PathBuf, Option<(u32, Node)>>,
    /// Resolved services of `extends` chains, by file and service name, with how
    /// many services each chain merged.
    extended_services: HashMap<(u32, String), (Node, usize)>,
    too_many_files: bool,
}

impl<'o> Loader<'o> {
    /// A path for messages: relative to the main Compose file's folder when inside it, so
    /// messages read the same wherever the project is.
    pub(crate) fn shown(&self, path: &Path) -> String {
        let base = self
            .files
            .first()
            .and_then(|f| f.path.parent())
            .filter(|p| !p.as_os_str().is_empty());
        match base.and_then(|b| path.strip_prefix(b).ok()) {
            Some(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
            _ => shown(path),
        }
    }

    fn new(options: &'o LoadOptions) -> Self {
        Loader {
            options,
            files: Vec::new(),
            issues: Vec::new(),
            unset_variables: Vec::new(),
            extended_files: HashMap::new(),
            extended_services: HashMap::new(),
            too_many_files: false,
        }
    }

    pub fn issue(&mut self, kind: LoadIssueKind, file: u32, range: TextRange, message: String) {
        self.issues.push(LoadIssue {
            kind,
            file,
            range,
            message,
        });
    }

    /// Reports a problem at `node` (at the alias when the node is an alias copy).
    pub fn issue_at(&mut self, kind: LoadIssueKind, node: &Node, message: String) {
        self.issue(kind, node.file, node.range, message);
    }

    pub fn push_file(&mut self, path: PathBuf, text: String, role: FileRole) -> u32 {
        let id = self.files.len() as u32;
        self.files.push(ProjectFile {
            path,
            text: text.into(),
            role,
            root: None,
        });
        id
    }

    pub fn file_path(&self, file: u32) -> &Path {
        self.files
            .get(file as usize)
            .map_or(Path::new(""), |f| f.path.as_path())
    }

    pub fn file_text(&self, file: u32) -> &str {
        self.files.get(file as usize).map_or("", |f| &f.text)
    }

    /// Whether another file may still be read.
    pub fn has_room(&mut self) -> bool {
        if self.files.len() < MAX_FILES {
            return true;
        }
        if !self.too_many_files {
            self.too_many_files = true;
            self.issue(
                LoadIssueKind::Include,
                0,
                TextRange::empty(0),
                format!(
                    "the project reads more than {MAX_FILES} files; the files after that are not loaded"
                ),
            );
        }
        false
    }

    /// Reads a text file (overlay first) and registers it. `Err`: why it cannot be read
    /// (nothing is registered then).
    pub fn read_text(&mut self, path: &Path, role: FileRole) -> Result<(u32, bool), String> {
        if !self.has_room() {
            return Err("too many files".into());
        }
        let bytes = match read_source(self.options, path) {
            None => return Err("no such file".into()),
            Some(Err(e)) => return Err(e),
            Some(Ok(bytes)) => bytes,
        };
        let what = if role == FileRole::EnvFile {
            "an env file"
        } else {
            "a Compose file"
        };
        match dockside_syntax::text::decode(&bytes, what) {
            Ok(text) => Ok((self.push_file(path.to_path_buf(), text, role), true)),
            Err((at, message)) => {
                let lossy = String::from_utf8_lossy(&bytes).into_owned();
                let id = self.push_file(path.to_path_buf(), lossy, role);
                let kind = if role == FileRole::EnvFile {
                    LoadIssueKind::EnvFile
                } else {
                    LoadIssueKind::InvalidYaml
                };
                let at = dockside_syntax::text::floor_char_boundary(self.file_text(id), at);
                self.issue(kind, id, TextRange::empty(at), message);
                Ok((id, false))
            }
        }
    }

    /// Reads and parses a Compose file: its id and its YAML documents.
    pub fn read(&mut self, path: &Path, role: FileRole) -> Result<(u32, Vec<Node>), String> {
        let (id, decoded) = self.read_text(path, role)?;
        if !decoded {
            return Ok((id, Vec::new()));
        }
        let loaded = load_yaml(self.file_text(id), id);
        for error in loaded.errors {
            self.issue(LoadIssueKind::InvalidYaml, id, error.range, error.message);
        }
        Ok((id, loaded.documents))
    }

    /// Loads the documents of one file as compose-go does: each document is checked,
    /// interpolated, its `extends` and `include` resolved, then merged over `model` (what
    /// the previous documents and files built). `traps`: report YAML 1.1 traps.
    pub fn load_layer(
        &mut self,
        mut model: Option<Node>,
        id: u32,
        documents: Vec<Node>,
        scope: &Scope,
        traps: bool,
    ) -> Option<Node> {
        let mut first = true;
        for mut document in documents {
            if document.is_null() {
                continue;
            }
            if document.as_mapping().is_none() {
                self.issue_at(
                    LoadIssueKind::InvalidYaml,
                    &document,
                    "the top level of a Compose file must be a mapping (`services:`, `volumes:`…)"
                        .into(),
                );
                continue;
            }
            if traps {
                interpolation::report_traps(self, &document);
            }
            interpolation::interpolate_document(self, &mut document, scope.env);
            if first {
                if let Some(file) = self.files.get_mut(id as usize) {
                    file.root = Some(document.clone());
                }
                first = false;
            }
            extends::apply(self, &mut document, id, scope.env);
            include::apply(self, &mut document, scope);
            model = Some(merge::merge_documents(model, document));
        }
        model
    }
}

/// A path made absolute and lexically normalised, to recognise a file reached twice.
pub(crate) fn file_key(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// `path` as written in a Compose file, resolved from `base`.
pub(crate) fn resolve_path(base: &Path, path: &str) -> PathBuf {
    crate::model::resolve(base, path)
}

/// The folder of a file (`.` for a bare file name).
pub(crate) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A file name for messages: the path as given.
pub(crate) fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// Drops repeated issues (the same value reached through several aliases).
fn dedup(issues: Vec<LoadIssue>) -> Vec<LoadIssue> {
    let mut seen = HashSet::new();
    issues
        .into_iter()
        .filter(|i| seen.insert((i.kind, i.file, i.range, i.message.clone())))
        .collect()
}
