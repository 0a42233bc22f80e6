use dockside_compose::LoadIssueKind;

use super::report_issues;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports `${VAR}` and `$VAR` references without a default whose variable is
    /// set neither in the process environment nor in the project `.env` file (or
    /// the `--env-file` files). The message says where dockside looked.
    ///
    /// A service's `env_file:` does not count: it sets variables *inside the
    /// container*, not for interpolating the Compose file.
    ///
    /// ## Why is this bad?
    /// `docker compose` replaces the reference by an empty string and only prints
    /// a warning that scrolls by: `image: app:${TAG}` becomes `app:`, and
    /// `ports: ["${PORT}:80"]` a random host port.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: "registry.example.com/web:${TAG}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: "registry.example.com/web:${TAG:-1.4.2}"
    /// ```
    /// or define `TAG` in `.env` beside the Compose file.
    pub struct UndefinedVariable {
        name: "undefined-variable",
        code: "DC004",
        group: "compose-syntax",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "An interpolated variable without a default that is not set",
        target: Compose,
    }
}

impl Rule for UndefinedVariable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        report_issues(cx, &[LoadIssueKind::UnsetVariable]);
    }
}
