//! The view of one file that rules get: syntax, semantic model, build context
//! and configuration, plus the sink for findings.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dockside_config::Config;
use dockside_context::BuildContext;
use dockside_semantic::{InstructionInfo, Model};
use dockside_shell::Script;
use dockside_syntax::{Dockerfile, Instruction, LineIndex, TextRange};

use crate::diagnostic::{Diagnostic, FileId, Finding, SourceFile};
use crate::rule::RuleMeta;

pub struct Checker<'a> {
    pub path: &'a Path,
    pub source: &'a str,
    pub line_index: &'a LineIndex,
    pub dockerfile: &'a Dockerfile,
    pub model: &'a Model,
    pub context: &'a BuildContext,
    pub config: &'a Config,
    pub(crate) rule: Cell<Option<&'static RuleMeta>>,
    pub(crate) diagnostics: RefCell<Vec<Diagnostic>>,
    pub(crate) files: RefCell<Vec<SourceFile>>,
    scripts: RefCell<Vec<(String, Option<ContextScript>)>>,
    /// The package-manager commands of every RUN, classified once for all rules.
    pub(crate) package_sites: std::cell::OnceCell<Vec<crate::rules::packages::Site<'a>>>,
    /// The main process of each stage asked about, by stage index.
    pub(crate) main_processes:
        RefCell<Vec<(usize, crate::rules::process::main_process::Resolution)>>,
    /// Per set of configuration needles asked about: for each stage, the index of
    /// its first RUN whose text contains one of them (`usize::MAX` if none).
    pub(crate) configured_runs: RefCell<Vec<(Vec<String>, Vec<usize>)>>,
}

/// A shell script from the build context, parsed.
#[derive(Clone)]
pub struct ContextScript {
    pub file: FileId,
    pub text: Arc<str>,
    pub script: Arc<Script>,
}

impl<'a> Checker<'a> {
    #[allow(clippy::too_many_arguments)] // one per layer of the analysis, all borrowed
    pub(crate) fn new(
        path: &'a Path,
        source: &'a str,
        line_index: &'a LineIndex,
        dockerfile: &'a Dockerfile,
        model: &'a Model,
        context: &'a BuildContext,
        config: &'a Config,
        main: SourceFile,
    ) -> Self {
        Checker {
            path,
            source,
            line_index,
            dockerfile,
            model,
            context,
            config,
            rule: Cell::new(None),
            diagnostics: RefCell::new(Vec::new()),
            files: RefCell::new(vec![main]),
            scripts: RefCell::new(Vec::new()),
            package_sites: std::cell::OnceCell::new(),
            main_processes: RefCell::new(Vec::new()),
            configured_runs: RefCell::new(Vec::new()),
        }
    }

    /// Reports a finding of the rule being run.
    pub fn report(&self, finding: Finding) {
        let Some(rule) = self.rule.get() else { return };
        self.diagnostics.borrow_mut().push(Diagnostic {
            rule,
            severity: finding.severity.unwrap_or(rule.severity),
            message: finding.message,
            file: finding.file,
            range: finding.range,
            related: finding.related,
            fix: finding.fix,
            tags: finding.tags,
        });
    }

    /// The instructions with their semantic information, in order.
    pub fn instructions(
        &self,
    ) -> impl Iterator<Item = (usize, &'a Instruction, &'a InstructionInfo)> + 'a {
        self.dockerfile
            .instructions
            .iter()
            .zip(&self.model.instructions)
            .enumerate()
            .map(|(i, (a, b))| (i, a, b))
    }

    pub fn text(&self, range: TextRange) -> &'a str {
        &self.source[range.as_range()]
    }

    /// 1-based line number of an offset in the Dockerfile, for messages.
    pub fn line_number(&self, offset: u32) -> usize {
        self.line_index.line_of(offset as usize) + 1
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

    /// A shell script of the build context (context-relative path), parsed once per lint.
    pub fn context_script(&self, rel: &str) -> Option<ContextScript> {
        if let Some((_, s)) = self.scripts.borrow().iter().find(|(p, _)| p == rel) {
            return s.clone();
        }
        let parsed = self.context.read_text(rel).map(|text| {
            let script = Arc::new(dockside_shell::parse(&text));
            let file = self.add_file(self.context.abs_path(rel), text.as_str());
            ContextScript {
                file,
                text: Arc::from(text),
                script,
            }
        });
        self.scripts
            .borrow_mut()
            .push((rel.to_string(), parsed.clone()));
        parsed
    }

    /// A string-list option of the running rule (`[rules.<name>] key = [...]`).
    pub fn option_list(&self, key: &str) -> Vec<String> {
        match self.rule.get() {
            Some(rule) => self.config.string_list_option(rule.name, key),
            None => Vec::new(),
        }
    }

    pub fn option_bool(&self, key: &str) -> Option<bool> {
        self.rule
            .get()
            .and_then(|rule| self.config.bool_option(rule.name, key))
    }
}
