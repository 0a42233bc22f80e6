//! A Compose project as `docker compose` loads it: its files, the variables used for
//! interpolation, the merged model, and every problem met while loading.
//!
//! Every [`Node`] keeps the index of the file it was written in ([`Node::file`] indexes
//! [`Project::files`]) and its byte range there, so a finding on the merged model points at
//! the file and line where the value was written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dockside_context::Overlay;
use dockside_syntax::TextRange;

use crate::yaml::{self, Node, Value};

/// The Compose file names `docker compose` looks for, in its order of preference.
pub const DEFAULT_FILE_NAMES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];

/// How to load a project (the `docker compose` flags that matter).
#[derive(Clone, Default)]
pub struct LoadOptions {
    /// Compose files in merge order (`-f`); empty: the default names in [`LoadOptions::dir`]
    /// (the first that exists, plus its `.override` file).
    pub files: Vec<PathBuf>,
    /// Where default files and the project `.env` are looked for when `files` is empty.
    pub dir: PathBuf,
    /// `--project-directory`: relative paths resolve from here (default: the first file's folder).
    pub project_directory: Option<PathBuf>,
    /// `--env-file` (repeatable); empty: `.env` in the project directory if it exists.
    pub env_files: Vec<PathBuf>,
    /// `--profile` (plus `COMPOSE_PROFILES` from the environment, comma-separated).
    pub profiles: Vec<String>,
    /// The process environment (wins over env files), as a snapshot so tests control it.
    pub environment: Vec<(String, String)>,
    /// `--project-name` / `-p`.
    pub project_name: Option<String>,
    /// Editor buffers that override the disk.
    pub overlay: Option<Arc<dyn Overlay>>,
}

/// A file that took part in loading.
#[derive(Clone, Debug)]
pub struct ProjectFile {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub role: FileRole,
    /// The file's first YAML document after interpolation (before merging), if it parsed.
    pub root: Option<Node>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileRole {
    /// A file of the project (`-f`, a default name, or its `.override`).
    Compose,
    /// A file pulled in by `include`.
    Included,
    /// A file pulled in by `extends: {file: …}`.
    Extended,
    /// An `.env`/`--env-file` file used for interpolation.
    EnvFile,
}

/// Where an interpolation variable's value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VariableSource {
    /// The process environment.
    Process,
    /// A line of an env file: the file and the byte range of `KEY=value`.
    EnvFile { file: u32, range: TextRange },
}

/// A variable available to interpolation, and where it was set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    pub value: String,
    pub source: VariableSource,
}

/// A problem found while loading (not a lint: the project is broken or ambiguous here).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadIssue {
    pub kind: LoadIssueKind,
    pub file: u32,
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LoadIssueKind {
    /// The file cannot be read or decoded (binary, invalid UTF-8), or is not valid YAML:
    /// syntax, duplicate keys, alias budget, nesting limit, bad merge keys.
    InvalidYaml,
    /// A YAML 1.1 trap other than ports (`yes`/`no`/`on`/`off`, octal-looking modes).
    YamlTrap,
    /// `${VAR}` without a default whose variable is not set (becomes an empty string).
    UnsetVariable,
    /// Bad interpolation syntax, or `${VAR:?err}` / `${VAR?err}` with the variable missing.
    InvalidInterpolation,
    /// A problem in an `.env` / `--env-file` file.
    EnvFile,
    /// `include` that cannot be loaded (missing file, cycle).
    Include,
    /// `extends` that cannot be resolved (missing file or service, cycle).
    Extends,
    /// A `-f` file or a default file that does not exist.
    MissingFile,
}

/// A loaded project.
#[derive(Clone, Debug)]
pub struct Project {
    /// The project name (`name:`, `--project-name`, or the folder name, normalised).
    pub name: String,
    /// Relative paths in the model resolve from here.
    pub directory: PathBuf,
    /// Every file read; `Node::file` indexes this. The first is the main Compose file.
    pub files: Vec<ProjectFile>,
    /// Interpolation variables (env files and process environment; later entries do not
    /// override earlier ones: the first entry for a name is the value used).
    pub variables: Vec<Variable>,
    /// Active profiles.
    pub profiles: Vec<String>,
    /// The merged model: files merged in order, `include` and `extends` resolved, values
    /// interpolated. All services are kept, active or not (see [`Project::is_active`]).
    pub model: Option<Node>,
    pub issues: Vec<LoadIssue>,
    /// Position of each service name in the `services` mapping (the first one
    /// written), built at the first [`Project::service`] lookup.
    pub(crate) service_index: std::sync::OnceLock<HashMap<String, usize>>,
}

/// One service of the merged model.
#[derive(Clone, Copy, Debug)]
pub struct Service<'a> {
    pub name: &'a str,
    /// The key node (`web:`), for findings about the service as a whole.
    pub key: &'a Node,
    /// The definition (a mapping when valid).
    pub node: &'a Node,
}

impl<'a> Service<'a> {
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }

    /// `profiles:` of the service.
    pub fn profiles(&self) -> Vec<&'a str> {
        self.get("profiles")
            .and_then(Node::as_sequence)
            .map(|items| items.iter().filter_map(Node::as_str).collect())
            .unwrap_or_default()
    }
}

impl Project {
    /// The services of the merged model, in the order written.
    pub fn services(&self) -> impl Iterator<Item = Service<'_>> {
        self.section("services")
            .into_iter()
            .flat_map(|entries| entries.iter())
            .filter_map(|(key, node)| {
                Some(Service {
                    name: key.scalar_text()?,
                    key,
                    node,
                })
            })
    }

    pub fn service(&self, name: &str) -> Option<Service<'_>> {
        let entries = self.section("services")?;
        let index = self.service_index.get_or_init(|| {
            let mut index = HashMap::with_capacity(entries.len());
            for (i, (key, _)) in entries.iter().enumerate() {
                if let Some(name) = key.scalar_text() {
                    index.entry(name.to_string()).or_insert(i);
                }
            }
            index
        });
        let (key, node) = &entries[*index.get(name)?];
        Some(Service {
            name: key.scalar_text()?,
            key,
            node,
        })
    }

    /// A top-level mapping of the merged model (`services`, `volumes`, `networks`…).
    pub fn section(&self, key: &str) -> Option<&[(Node, Node)]> {
        self.model.as_ref()?.get(key)?.as_mapping()
    }

    /// Whether a service runs with the active profiles (no `profiles:` = always).
    pub fn is_active(&self, service: &Service) -> bool {
        let profiles = service.profiles();
        profiles.is_empty()
            || profiles
                .iter()
                .any(|p| *p == "*" || self.profiles.iter().any(|a| a == p || a == "*"))
    }

    /// The text of `node` as written in its file (quotes included for quoted scalars).
    pub fn written(&self, node: &Node) -> &str {
        self.files
            .get(node.file as usize)
            .and_then(|f| f.text.get(node.range.as_range()))
            .unwrap_or("")
    }

    /// The path of the file `node` was written in.
    pub fn path_of(&self, node: &Node) -> &Path {
        self.files
            .get(node.file as usize)
            .map_or(Path::new(""), |f| f.path.as_path())
    }

    /// The folder relative paths of `node` resolve from: the project directory for the
    /// project's own files, the included or extended file's folder for theirs.
    pub fn base_dir_of(&self, node: &Node) -> PathBuf {
        match self.files.get(node.file as usize) {
            Some(f) if f.role == FileRole::Included || f.role == FileRole::Extended => f
                .path
                .parent()
                .map_or_else(|| self.directory.clone(), Path::to_path_buf),
            _ => self.directory.clone(),
        }
    }

    /// The value of an interpolation variable and where it was set.
    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }
}

/// Whether a file name is one Compose loads by default or a common variant of it:
/// `compose.yaml`, `docker-compose.yml`, `compose.override.yaml`, `docker-compose.prod.yml`.
pub fn is_compose_file_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    let Some(stem) = lower
        .strip_suffix(".yaml")
        .or_else(|| lower.strip_suffix(".yml"))
    else {
        return false;
    };
    let rest = stem
        .strip_prefix("docker-compose")
        .or_else(|| stem.strip_prefix("compose"));
    match rest {
        Some("") => true,
        Some(rest) => {
            (rest.starts_with('.') || rest.starts_with('-') || rest.starts_with('_'))
                && rest.len() > 1
        }
        None => false,
    }
}

/// Loads a project. Never panics; problems are in [`Project::issues`].
pub fn load_project(options: &LoadOptions) -> Project {
    crate::loader::load(options)
}

/// Reads a file through the overlay, then the disk.
pub(crate) fn read_source(options: &LoadOptions, path: &Path) -> Option<Result<Vec<u8>, String>> {
    if let Some(text) = options.overlay.as_ref().and_then(|o| o.read(path)) {
        return Some(Ok(text.into_bytes()));
    }
    match std::fs::metadata(path) {
        Err(_) => None,
        Ok(meta) if meta.is_dir() => Some(Err("is a directory".into())),
        // A device or a FIFO (`/dev/zero`, `/dev/stdin`) would never end, or block.
        Ok(meta) if !meta.is_file() => Some(Err("not a regular file".into())),
        Ok(meta) if meta.len() > MAX_SOURCE_BYTES => Some(Err("file larger than 32 MB".into())),
        Ok(_) => Some(read_capped(path)),
    }
}

const MAX_SOURCE_BYTES: u64 = 32 * 1024 * 1024;

/// Reads at most [`MAX_SOURCE_BYTES`] (the file may grow after its size was checked).
fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err("file larger than 32 MB".into());
    }
    Ok(bytes)
}

/// Whether a node is the empty mapping or null (a section written with no entries).
pub fn is_empty(node: &Node) -> bool {
    match &node.value {
        Value::Null => true,
        Value::Mapping(m) => m.is_empty(),
        Value::Sequence(s) => s.is_empty(),
        _ => false,
    }
}

/// Loads one YAML file into the project (used by the loader).
pub(crate) fn load_yaml(text: &str, file: u32) -> yaml::Loaded {
    yaml::load_file(text, file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_file_names() {
        for yes in [
            "compose.yaml",
            "compose.yml",
            "docker-compose.yml",
            "docker-compose.yaml",
            "compose.override.yaml",
            "docker-compose.override.yml",
            "docker-compose.prod.yml",
            "docker-compose-dev.yaml",
            "Docker-Compose.YML",
        ] {
            assert!(is_compose_file_name(Path::new(yes)), "{yes}");
        }
        for no in [
            "composer.yaml",
            "compose.json",
            "docker-compose.",
            "mycompose.yml",
            "compose.",
            "docker-compose..yml",
        ] {
            assert!(!is_compose_file_name(Path::new(no)), "{no}");
        }
    }
}
