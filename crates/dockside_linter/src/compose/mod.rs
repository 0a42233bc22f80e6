//! Compose projects: the checker rules get ([`ComposeChecker`]), the pipeline
//! ([`lint_compose`]) and fixing ([`fix_compose`]).

mod lint;
mod suppression;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dockside_compose::model::{self, Build};
use dockside_compose::yaml::Node;
use dockside_compose::{Project, Service};
use dockside_config::Config;
use dockside_semantic::Model;
use dockside_syntax::{Dockerfile, TextRange};

use crate::diagnostic::{FileId, Finding, SourceFile};
use crate::findings::Findings;
use crate::lint::LintOptions;

pub use lint::{ComposeFixOutcome, fix_compose, lint_compose};

pub struct ComposeChecker<'a> {
    pub project: &'a Project,
    pub config: &'a Config,
    pub options: &'a LintOptions,
    pub(crate) findings: Findings,
    pub(crate) files: RefCell<Vec<SourceFile>>,
    dockerfiles: RefCell<Vec<(PathBuf, Option<Arc<BuiltDockerfile>>)>>,
}

/// A Dockerfile a service builds, parsed and modelled, registered as a file diagnostics
/// can point into.
pub struct BuiltDockerfile {
    pub path: PathBuf,
    pub file: FileId,
    pub text: Arc<str>,
    pub dockerfile: Dockerfile,
    pub model: Model,
}

impl<'a> ComposeChecker<'a> {
    pub(crate) fn new(project: &'a Project, config: &'a Config, options: &'a LintOptions) -> Self {
        let files = project
            .files
            .iter()
            .map(|f| SourceFile::new(f.path.clone(), f.text.clone()))
            .collect();
        ComposeChecker {
            project,
            config,
            options,
            findings: Findings::new(),
            files: RefCell::new(files),
            dockerfiles: RefCell::new(Vec::new()),
        }
    }

    /// Reports a finding of the rule being run.
    pub fn report(&self, finding: Finding) {
        self.findings.report(finding);
    }

    /// A finding on `node`, in the file where it was written.
    pub fn finding(&self, node: &Node, message: impl Into<String>) -> Finding {
        Finding::new(node.range, message).in_file(FileId(node.file))
    }

    /// A finding on a range of the file `node` was written in.
    pub fn finding_in(&self, node: &Node, range: TextRange, message: impl Into<String>) -> Finding {
        Finding::new(range, message).in_file(FileId(node.file))
    }

    /// The file `node` was written in.
    pub fn file_of(&self, node: &Node) -> FileId {
        FileId(node.file)
    }

    /// 1-based line of a node, for messages.
    pub fn line_of(&self, node: &Node) -> usize {
        let files = self.files.borrow();
        files
            .get(node.file as usize)
            .map_or(0, |f| f.position(node.range.start).line as usize + 1)
    }

    pub fn services(&self) -> impl Iterator<Item = Service<'a>> + 'a {
        self.project.services()
    }

    /// How a service is built, paths resolved.
    pub fn build(&self, service: &Service<'a>) -> Option<Build<'a>> {
        model::build(self.project, service)
    }

    /// Whether a path exists (editor buffers count).
    pub fn exists(&self, path: &Path) -> bool {
        self.options
            .overlay
            .as_ref()
            .is_some_and(|o| o.read(path).is_some())
            || path.exists()
    }

    /// A text file (editor buffer first), `None` when missing, binary or too large.
    pub fn read_text(&self, path: &Path) -> Option<String> {
        if let Some(text) = self.options.overlay.as_ref().and_then(|o| o.read(path)) {
            return Some(text);
        }
        dockside_context::read_text_file(path)
    }

    /// Registers another file diagnostics can point into (deduplicated by path).
    pub fn add_file(&self, path: PathBuf, text: impl Into<Arc<str>>) -> FileId {
        let mut files = self.files.borrow_mut();
        if let Some(i) = files.iter().position(|f| f.path == path) {
            return FileId(i as u32);
        }
        files.push(SourceFile::new(path, text));
        FileId(files.len() as u32 - 1)
    }

    /// The Dockerfile at `path`, parsed once per lint; `None` when it cannot be read.
    pub fn dockerfile(&self, path: &Path) -> Option<Arc<BuiltDockerfile>> {
        if let Some((_, d)) = self.dockerfiles.borrow().iter().find(|(p, _)| p == path) {
            return d.clone();
        }
        let built = self.read_text(path).map(|text| {
            let dockerfile = dockside_syntax::parse(&text);
            let model = crate::build_model(&dockerfile, &[], self.config);
            let file = self.add_file(path.to_path_buf(), text.as_str());
            Arc::new(BuiltDockerfile {
                path: path.to_path_buf(),
                file,
                text: Arc::from(text),
                dockerfile,
                model,
            })
        });
        self.dockerfiles
            .borrow_mut()
            .push((path.to_path_buf(), built.clone()));
        built
    }

    /// A string-list option of the running rule (`[rules.<name>] key = [...]`).
    pub fn option_list(&self, key: &str) -> Vec<String> {
        self.findings.option_list(self.config, key)
    }

    pub fn option_bool(&self, key: &str) -> Option<bool> {
        self.findings.option_bool(self.config, key)
    }
}
