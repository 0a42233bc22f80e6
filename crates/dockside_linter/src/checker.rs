//! The view of one file that rules get: syntax, semantic model, build context
//! and configuration, plus the sink for findings.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dockside_config::Config;
use dockside_context::BuildContext;
use dockside_semantic::{InstructionInfo, Model};
use dockside_shell::{Script, SimpleCommand};
use dockside_syntax::{Dockerfile, Instruction, LineIndex, TextRange};

use crate::analysis::packages::PackageOp;
use crate::diagnostic::{FileId, Finding, SourceFile};
use crate::findings::Findings;
use crate::rule::RuleMeta;

pub struct Checker<'a> {
    pub path: &'a Path,
    pub source: &'a str,
    pub line_index: &'a LineIndex,
    pub dockerfile: &'a Dockerfile,
    pub model: &'a Model,
    pub context: &'a BuildContext,
    pub config: &'a Config,
    pub(crate) findings: Findings,
    pub(crate) files: RefCell<Vec<SourceFile>>,
    scripts: RefCell<Vec<(String, Option<ContextScript>)>>,
    /// The package-manager commands of every RUN, classified once for all rules.
    pub(crate) package_sites: std::cell::OnceCell<Vec<crate::rules::packages::Site<'a>>>,
    /// The commands of every RUN, listed once for all rules.
    pub(crate) run_commands: std::cell::OnceCell<Vec<crate::rules::shell::RunCommand<'a>>>,
    /// Index into `package_sites` by command address (a script the shell parser
    /// shares between identical RUNs has one address and one classification).
    package_ops: std::cell::OnceCell<Vec<(*const SimpleCommand, usize)>>,
    /// The main process of each stage asked about, by stage index.
    pub(crate) main_processes:
        RefCell<foldhash::HashMap<usize, crate::rules::process::main_process::Resolution>>,
    /// Per set of configuration needles asked about: for each stage, the index of
    /// its first RUN whose text contains one of them (`usize::MAX` if none).
    pub(crate) configured_runs: RefCell<Vec<(Vec<String>, Vec<usize>)>>,
    /// Answers about the whole Dockerfile text, by question (see [`Checker::source_fact`]).
    source_facts: RefCell<Vec<(&'static str, bool)>>,
}

pub use crate::findings::MAX_FINDINGS_PER_RULE;

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
            findings: Findings::new(),
            files: RefCell::new(vec![main]),
            scripts: RefCell::new(Vec::new()),
            package_sites: std::cell::OnceCell::new(),
            run_commands: std::cell::OnceCell::new(),
            package_ops: std::cell::OnceCell::new(),
            main_processes: RefCell::default(),
            configured_runs: RefCell::new(Vec::new()),
            source_facts: RefCell::new(Vec::new()),
        }
    }

    /// The package-manager operation of a command of a RUN instruction (see
    /// [`packages::classify`]), classified once per file for all rules.
    ///
    /// [`packages::classify`]: crate::analysis::packages::classify
    pub(crate) fn package_op(&self, cmd: &SimpleCommand) -> Option<&PackageOp<'a>> {
        let sites = crate::rules::packages::sites(self);
        let by_command = self.package_ops.get_or_init(|| {
            let mut index: Vec<_> = sites
                .iter()
                .enumerate()
                .map(|(i, site)| (std::ptr::from_ref(site.cmd), i))
                .collect();
            // Sorted by address, the first site of a shared command first.
            index.sort_unstable();
            index
        });
        let address = std::ptr::from_ref(cmd);
        match by_command
            .get(by_command.partition_point(|&(c, _)| c < address))
            .filter(|&&(c, _)| c == address)
        {
            Some(&(_, i)) => Some(&sites[i].op),
            None => {
                debug_assert!(
                    crate::analysis::packages::classify(cmd).is_none(),
                    "package_op is for the commands of RUN instructions"
                );
                None
            }
        }
    }

    /// Reports a finding of the rule being run.
    /// `answer` about the whole Dockerfile text, computed once per file whichever
    /// rule or stage asks (scanning the text per stage is quadratic in generated files).
    pub(crate) fn source_fact(
        &self,
        question: &'static str,
        answer: impl FnOnce() -> bool,
    ) -> bool {
        if let Some(&(_, known)) = self
            .source_facts
            .borrow()
            .iter()
            .find(|(q, _)| *q == question)
        {
            return known;
        }
        let known = answer();
        self.source_facts.borrow_mut().push((question, known));
        known
    }

    /// Sets the rule whose findings [`Checker::report`] records.
    pub(crate) fn start_rule(&self, rule: Option<&'static RuleMeta>) {
        self.findings.start_rule(rule);
    }

    /// Reports a finding of the rule being run.
    pub fn report(&self, finding: Finding) {
        self.findings.report(finding);
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
        self.findings.option_list(self.config, key)
    }

    pub fn option_bool(&self, key: &str) -> Option<bool> {
        self.findings.option_bool(self.config, key)
    }
}
