use dockside_compose::LoadIssueKind;

use super::report_issues;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports interpolation that `docker compose` rejects: malformed references
    /// (`${VAR`, `${}`, `${VAR:x}`) and required variables (`${VAR:?message}`,
    /// `${VAR?message}`) that are not set, with the message the file gives.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses to load the project.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:17
    ///     environment:
    ///       POSTGRES_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}
    /// ```
    ///
    /// ## Use instead
    /// Define the variable (in `.env` beside the Compose file or in the
    /// environment), or write `$$` for a literal dollar sign.
    pub struct InvalidInterpolation {
        name: "invalid-interpolation",
        code: "DC005",
        group: "compose-syntax",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "Malformed ${…} syntax, or a required variable (${VAR:?err}) that is not set",
        target: Compose,
    }
}

impl Rule for InvalidInterpolation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        report_issues(cx, &[LoadIssueKind::InvalidInterpolation]);
    }
}
