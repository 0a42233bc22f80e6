//! Where the rules run on one file report to: which rule is running, its
//! options, and how many of its findings are kept.

use std::cell::{Cell, RefCell};

use dockside_config::Config;
use dockside_syntax::TextRange;

use crate::diagnostic::{Diagnostic, FileId, Finding, Severity};
use crate::rule::RuleMeta;

/// The most findings one rule reports in one file: generated files with a
/// finding on each of 200,000 lines would otherwise need gigabytes. The rest
/// are counted and summed up in one finding (see [`Overflow::diagnostic`]).
pub const MAX_FINDINGS_PER_RULE: usize = 5_000;

pub(crate) struct Findings {
    rule: Cell<Option<&'static RuleMeta>>,
    /// Findings of the running rule so far.
    count: Cell<usize>,
    kept: RefCell<Vec<Diagnostic>>,
    /// Per rule over the limit: how many findings were not kept, and the first of them.
    overflow: RefCell<Vec<Overflow>>,
}

impl Findings {
    pub(crate) fn new() -> Self {
        Findings {
            rule: Cell::new(None),
            count: Cell::new(0),
            kept: RefCell::new(Vec::new()),
            overflow: RefCell::new(Vec::new()),
        }
    }

    /// Sets the rule whose findings [`Findings::report`] records.
    pub(crate) fn start_rule(&self, rule: Option<&'static RuleMeta>) {
        self.rule.set(rule);
        self.count.set(0);
    }

    pub(crate) fn report(&self, finding: Finding) {
        let Some(rule) = self.rule.get() else { return };
        let count = self.count.get();
        self.count.set(count + 1);
        let severity = finding.severity.unwrap_or(rule.severity);
        if count >= MAX_FINDINGS_PER_RULE {
            let mut overflow = self.overflow.borrow_mut();
            match overflow.last_mut() {
                Some(o) if std::ptr::eq(o.rule, rule) => o.dropped += 1,
                _ => overflow.push(Overflow {
                    rule,
                    severity,
                    file: finding.file,
                    range: finding.range,
                    dropped: 1,
                }),
            }
            return;
        }
        self.kept.borrow_mut().push(Diagnostic {
            rule,
            severity,
            message: finding.message,
            file: finding.file,
            range: finding.range,
            related: finding.related,
            fix: finding.fix,
            tags: finding.tags,
        });
    }

    /// The findings kept, then one per rule over the limit.
    pub(crate) fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut out = self.kept.into_inner();
        out.extend(self.overflow.into_inner().iter().map(Overflow::diagnostic));
        out
    }

    /// A string-list option of the running rule (`[rules.<name>] key = [...]`).
    pub(crate) fn option_list(&self, config: &Config, key: &str) -> Vec<String> {
        match self.rule.get() {
            Some(rule) => config.string_list_option(rule.name, key),
            None => Vec::new(),
        }
    }

    pub(crate) fn option_bool(&self, config: &Config, key: &str) -> Option<bool> {
        self.rule
            .get()
            .and_then(|rule| config.bool_option(rule.name, key))
    }
}

/// The findings of one rule beyond [`MAX_FINDINGS_PER_RULE`].
struct Overflow {
    rule: &'static RuleMeta,
    severity: Severity,
    /// Where the first finding not kept is.
    file: FileId,
    range: TextRange,
    dropped: usize,
}

impl Overflow {
    /// One finding, where the first dropped one was, that says how many there are.
    fn diagnostic(&self) -> Diagnostic {
        Diagnostic {
            rule: self.rule,
            severity: self.severity,
            message: format!(
                "{} more findings of this rule in this file are not shown: only the first {} are reported",
                self.dropped, MAX_FINDINGS_PER_RULE
            ),
            file: self.file,
            range: self.range,
            related: Vec::new(),
            fix: None,
            tags: Vec::new(),
        }
    }
}
