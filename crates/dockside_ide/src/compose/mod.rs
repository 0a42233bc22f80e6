//! Editor features for Compose files, over one [`ComposeAnalysis`]: the project loaded
//! the way `docker compose` (and `dockside check`) loads it from the document, and its lint.
//! Everything is in byte ranges of the document, or of another file named by its path.

mod actions;
mod completion;
pub mod cursor;
mod hover;
mod navigation;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dockside_compose::project::DEFAULT_FILE_NAMES;
use dockside_compose::yaml::{self, Node};
use dockside_compose::{LoadOptions, Project, load_project};
use dockside_context::Overlay;
use dockside_linter::{Config, FileId, LintOptions, LintResult, lint_compose};
use dockside_syntax::{LineIndex, TextRange};

pub use actions::{code_actions, fix_all};
pub use completion::completions;
pub use dockside_compose::is_compose_file_name;
pub use hover::hover;
pub use navigation::{ComposeSymbol, ComposeSymbolKind, Target, definition, document_symbols};

/// The override files `docker compose` merges over a default file, in its order of preference.
pub const OVERRIDE_FILE_NAMES: [&str; 4] = [
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
];

/// How to load the project a Compose document belongs to, the way `docker compose` run in
/// its folder would: a default-named file (`compose.yaml`…) with the override file next to
/// it (`compose.override.yml`…) when there is one; an override file after the default file
/// it overrides; any other name alone. `.env` of the folder feeds interpolation.
///
/// `environment` is the process environment; `overlay` holds editor buffers (a buffer counts
/// as an existing file).
pub fn load_options_for(
    path: &Path,
    environment: Vec<(String, String)>,
    overlay: Option<Arc<dyn Overlay>>,
) -> LoadOptions {
    let dir = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let exists = |p: &Path| overlay.as_ref().is_some_and(|o| o.read(p).is_some()) || p.is_file();
    let first_existing = |names: &[&str]| {
        names
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p != path && exists(p))
    };
    let files = if DEFAULT_FILE_NAMES.contains(&name) {
        let mut files = vec![path.to_path_buf()];
        files.extend(first_existing(&OVERRIDE_FILE_NAMES));
        files
    } else if OVERRIDE_FILE_NAMES.contains(&name) {
        let mut files: Vec<PathBuf> = first_existing(&DEFAULT_FILE_NAMES).into_iter().collect();
        files.push(path.to_path_buf());
        files
    } else {
        vec![path.to_path_buf()]
    };
    LoadOptions {
        files,
        dir,
        environment,
        overlay,
        ..LoadOptions::default()
    }
}

/// How to lint a Dockerfile that a Compose service builds: the service's build context and
/// build args, found in the default Compose file of the Dockerfile's folder or of up to three
/// folders above it. `None` when no Compose project builds it.
pub fn dockerfile_build_options(
    dockerfile: &Path,
    environment: Vec<(String, String)>,
    overlay: Option<Arc<dyn Overlay>>,
) -> Option<LintOptions> {
    let exists = |p: &Path| overlay.as_ref().is_some_and(|o| o.read(p).is_some()) || p.is_file();
    let target = std::fs::canonicalize(dockerfile).unwrap_or_else(|_| dockerfile.to_path_buf());
    for folder in dockerfile.ancestors().skip(1).take(4) {
        let Some(compose) = DEFAULT_FILE_NAMES
            .iter()
            .map(|n| folder.join(n))
            .find(|p| exists(p))
        else {
            continue;
        };
        let load = load_options_for(&compose, environment.clone(), overlay.clone());
        let project = dockside_compose::load_project(&load);
        let found = dockside_compose::model::dockerfile_builds(&project)
            .into_iter()
            .find(|b| {
                std::fs::canonicalize(&b.dockerfile).unwrap_or_else(|_| b.dockerfile.clone())
                    == target
            });
        if let Some(build) = found {
            return Some(LintOptions {
                context_root: Some(build.context),
                build_args: build.args,
                overlay,
                contexts: None,
            });
        }
    }
    None
}

/// One Compose document analysed: its project and the lint of that project.
pub struct ComposeAnalysis {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub line_index: LineIndex,
    /// The document's index in `project.files` (and `lint.files`); `None` when the project
    /// could not take it in.
    pub file: Option<u32>,
    /// The document's YAML tree (interpolated when the project loaded it; ranges as written).
    pub tree: Option<Node>,
    pub project: Project,
    pub lint: LintResult,
    pub config: Config,
    pub load: LoadOptions,
    pub options: LintOptions,
}

/// An overlay that pins one file to the text being analysed, so the project sees exactly it.
struct Pinned {
    path: PathBuf,
    text: Arc<str>,
    rest: Option<Arc<dyn Overlay>>,
}

impl Overlay for Pinned {
    fn read(&self, path: &Path) -> Option<String> {
        if path == self.path {
            return Some(self.text.to_string());
        }
        self.rest.as_ref().and_then(|o| o.read(path))
    }
}

impl ComposeAnalysis {
    /// Loads the project of `path` (whose text is `text`) with `load` and lints it.
    pub fn new(
        path: &Path,
        text: &str,
        mut load: LoadOptions,
        config: Config,
        mut options: LintOptions,
    ) -> ComposeAnalysis {
        let text: Arc<str> = Arc::from(text);
        let pinned: Arc<dyn Overlay> = Arc::new(Pinned {
            path: path.to_path_buf(),
            text: text.clone(),
            rest: load.overlay.take(),
        });
        load.overlay = Some(pinned.clone());
        options.overlay = Some(pinned);
        let project = load_project(&load);
        let lint = lint_compose(&project, &config, &options);
        let file = project
            .files
            .iter()
            .position(|f| f.path == path)
            .map(|i| i as u32);
        let tree = file
            .and_then(|i| project.files[i as usize].root.clone())
            .or_else(|| {
                yaml::load_file(&text, file.unwrap_or(u32::MAX))
                    .documents
                    .into_iter()
                    .next()
            });
        ComposeAnalysis {
            path: path.to_path_buf(),
            line_index: LineIndex::new(&text),
            text,
            file,
            tree,
            project,
            lint,
            config,
            load,
            options,
        }
    }

    /// The document as a file of the lint result.
    pub fn main_file(&self) -> Option<FileId> {
        self.file.map(FileId)
    }

    /// The text of a file the analysis read (the document, a project file, a Dockerfile).
    pub fn text_of(&self, path: &Path) -> Option<Arc<str>> {
        if path == self.path {
            return Some(self.text.clone());
        }
        self.lint
            .files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.text.clone())
            .or_else(|| {
                self.project
                    .files
                    .iter()
                    .find(|f| f.path == path)
                    .map(|f| f.text.clone())
            })
    }

    /// Files whose change can change this analysis: every file read, the folder's `.env`
    /// and override files (which count once they exist), and the default files.
    pub fn dependencies(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = self
            .project
            .files
            .iter()
            .map(|f| f.path.clone())
            .chain(self.lint.files.iter().map(|f| f.path.clone()))
            .collect();
        let dir = &self.project.directory;
        out.push(dir.join(".env"));
        if let Some(folder) = self.path.parent() {
            out.extend(OVERRIDE_FILE_NAMES.iter().map(|n| folder.join(n)));
            out.extend(DEFAULT_FILE_NAMES.iter().map(|n| folder.join(n)));
        }
        out.sort();
        out.dedup();
        out
    }

    /// The text of `node` in the document (quotes included).
    fn written(&self, node: &Node) -> &str {
        self.text.get(node.range.as_range()).unwrap_or("")
    }

    /// Whether `node` was written in the document (not in another project file).
    fn in_document(&self, node: &Node) -> bool {
        Some(node.file) == self.file || (self.file.is_none() && node.file == u32::MAX)
    }
}

/// A place in a file.
pub(crate) fn target(path: &Path, range: TextRange) -> Target {
    Target {
        path: path.to_path_buf(),
        range,
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// A project folder with `files`; the analysis of `name` with the `|` marker removed,
    /// and the marker's offset.
    pub fn analyse(
        files: &[(&str, &str)],
        name: &str,
    ) -> (tempfile::TempDir, ComposeAnalysis, usize) {
        let dir = tempfile::tempdir().unwrap();
        let mut offset = 0;
        let mut doc = String::new();
        for (rel, text) in files {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            let clean = text.replacen('|', "", 1);
            if *rel == name {
                offset = text.find('|').unwrap_or(0);
                doc = clean.clone();
            }
            std::fs::write(p, clean).unwrap();
        }
        let path = dir.path().join(name);
        let load = load_options_for(&path, Vec::new(), None);
        let config = Config::default_for(dir.path().to_path_buf());
        let analysis = ComposeAnalysis::new(&path, &doc, load, config, LintOptions::default());
        (dir, analysis, offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(options: &LoadOptions) -> Vec<String> {
        options
            .files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn files_loaded_with_a_document() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("compose.yaml"), "services: {}\n").unwrap();
        assert_eq!(
            names(&load_options_for(&d.join("compose.yaml"), Vec::new(), None)),
            ["compose.yaml"]
        );
        std::fs::write(d.join("compose.override.yaml"), "services: {}\n").unwrap();
        let base = load_options_for(&d.join("compose.yaml"), Vec::new(), None);
        assert_eq!(names(&base), ["compose.yaml", "compose.override.yaml"]);
        assert_eq!(base.dir, d);
        let over = load_options_for(&d.join("compose.override.yaml"), Vec::new(), None);
        assert_eq!(names(&over), ["compose.yaml", "compose.override.yaml"]);
        let other = load_options_for(&d.join("docker-compose.prod.yml"), Vec::new(), None);
        assert_eq!(names(&other), ["docker-compose.prod.yml"]);
    }

    #[test]
    fn an_open_buffer_counts_as_a_file() {
        struct One(PathBuf);
        impl Overlay for One {
            fn read(&self, path: &Path) -> Option<String> {
                (path == self.0).then(|| "services: {}\n".to_string())
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("docker-compose.yml");
        let overlay: Arc<dyn Overlay> = Arc::new(One(base.clone()));
        let over = dir.path().join("docker-compose.override.yml");
        let options = load_options_for(&over, vec![("A".into(), "1".into())], Some(overlay));
        assert_eq!(
            names(&options),
            ["docker-compose.yml", "docker-compose.override.yml"]
        );
        assert_eq!(options.environment, [("A".to_string(), "1".to_string())]);
    }

    #[test]
    fn every_feature_at_every_offset_of_odd_files() {
        let texts = [
            "x: &a [1, *a\nservices:\n  wéb:\n    image: \"ngïnx:${TAG:-1}\"\n    depends_on: [db, \n",
            "services:\n\tweb:\n  - - key: 'quoted: value' # ${X}\n    <<: *missing\n  \"db\": {ports: [80]}\n",
            "---\nservices:\n  web:\n    command: |\n      echo ${A:?😀}\n    links: [\"db:x\"]\n...\n",
            "",
            "-\n- :\n:\n? key\n: value\n",
        ];
        for text in texts {
            let (_dir, analysis, _) =
                test_support::analyse(&[("compose.yaml", text)], "compose.yaml");
            for offset in 0..=text.len() + 1 {
                let _ = hover(&analysis, offset);
                let _ = completions(&analysis, offset);
                let _ = definition(&analysis, offset);
                let _ = code_actions(
                    &analysis,
                    TextRange::new(offset.min(text.len()), text.len()),
                );
                let _ = cursor::context_at(text, offset);
            }
            let _ = document_symbols(&analysis);
            let _ = fix_all(&analysis);
        }
    }

    #[test]
    fn the_analysis_sees_the_buffer_not_the_disk() {
        let (_dir, analysis, _) = test_support::analyse(
            &[("compose.yaml", "version: '3'\nservices: {}\n")],
            "compose.yaml",
        );
        assert_eq!(analysis.file, Some(0));
        assert!(analysis.tree.is_some());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("compose.yaml");
        std::fs::write(&path, "services: {}\n").unwrap();
        let load = load_options_for(&path, Vec::new(), None);
        let config = Config::default_for(dir.path().to_path_buf());
        let a = ComposeAnalysis::new(
            &path,
            "version: '3'\nservices: {}\n",
            load,
            config,
            LintOptions::default(),
        );
        let rules: Vec<_> = a.lint.diagnostics.iter().map(|d| d.rule.name).collect();
        assert_eq!(rules, ["obsolete-version"]);
        assert!(a.dependencies().contains(&dir.path().join(".env")));
    }
}
