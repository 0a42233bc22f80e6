use dockside_compose::LoadIssueKind;

use super::report_issues;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports Compose files that `docker compose` cannot load as YAML: syntax
    /// errors, a key written twice in the same mapping, aliases that expand past
    /// the size budget (a "billion laughs" file), nesting deeper than 128 levels,
    /// `<<` merge keys whose value is not a mapping, binary or non-UTF-8 files, and
    /// Compose files named with `-f` that do not exist.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses the whole project. Duplicate keys are worse: some
    /// YAML parsers keep the last value silently, so the file does not mean what
    /// it seems to say.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     image: nginx:1.26
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    /// ```
    pub struct ComposeSyntaxError {
        name: "compose-syntax-error",
        code: "DC001",
        group: "compose-syntax",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "A Compose file that cannot be read or is not valid YAML",
        target: Compose,
    }
}

impl Rule for ComposeSyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        report_issues(
            cx,
            &[LoadIssueKind::InvalidYaml, LoadIssueKind::MissingFile],
        );
    }
}
