use dockside_compose::LoadIssueKind;

use super::report_issues;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports problems in the `.env` / `--env-file` files used to interpolate the
    /// Compose file: lines that are not `KEY=value`, invalid variable names,
    /// unterminated quotes, and values whose quoting changes their meaning.
    ///
    /// ## Why is this bad?
    /// Compose either refuses the file or reads a different value than the one
    /// intended, and the mistake shows up later as a wrong setting.
    ///
    /// ## Example
    /// ```text
    /// # .env
    /// DB PASSWORD=secret
    /// TAG="1.2
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// DB_PASSWORD=secret
    /// TAG="1.2"
    /// ```
    pub struct EnvFileSyntax {
        name: "env-file-syntax",
        code: "DC006",
        group: "compose-syntax",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "A line of the project .env file that Compose cannot read as intended",
        target: Compose,
    }
}

impl Rule for EnvFileSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        report_issues(cx, &[LoadIssueKind::EnvFile]);
    }
}
