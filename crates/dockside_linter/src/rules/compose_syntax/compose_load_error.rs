use dockside_compose::LoadIssueKind;

use super::report_issues;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports `include` entries and `extends` references that `docker compose`
    /// cannot resolve: a file that does not exist, a service that is not defined
    /// in the extended file, or a cycle (`a` extends `b` extends `a`, a file that
    /// includes itself).
    ///
    /// ## Why is this bad?
    /// The project does not load: `docker compose up` stops with an error before
    /// starting anything.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     extends:
    ///       file: common.yaml
    ///       service: webapp   # common.yaml defines `web-app`
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     extends:
    ///       file: common.yaml
    ///       service: web-app
    /// ```
    pub struct ComposeLoadError {
        name: "compose-load-error",
        code: "DC003",
        group: "compose-syntax",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "include or extends that cannot be resolved",
        target: Compose,
    }
}

impl Rule for ComposeLoadError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        report_issues(cx, &[LoadIssueKind::Include, LoadIssueKind::Extends]);
    }
}
