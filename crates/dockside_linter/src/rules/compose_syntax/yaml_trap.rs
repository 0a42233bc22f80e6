use dockside_compose::LoadIssueKind;

use super::report_issues;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports plain scalars that YAML 1.1 parsers read differently from YAML
    /// 1.2 ones or from what the author meant: `yes`, `no`, `on`, `off`, `y`, `n`
    /// where a string is expected (environment values, labels), and
    /// octal-looking numbers such as file modes (`mode: 0755`). Ports such as
    /// `22:22` are reported by `unquoted-port`.
    ///
    /// ## Why is this bad?
    /// Depending on the tool reading the file, `no` is the string `"no"` or the
    /// boolean `false`, and `0755` is 493 or 755. The value that reaches the
    /// container is not the one written.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     environment:
    ///       DEBUG: no
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     environment:
    ///       DEBUG: "no"
    /// ```
    pub struct YamlTrap {
        name: "yaml-trap",
        code: "DC007",
        group: "compose-syntax",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "A YAML 1.1 value that means something else than it looks (yes/no/on/off, octal)",
        target: Compose,
    }
}

impl Rule for YamlTrap {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        report_issues(cx, &[LoadIssueKind::YamlTrap]);
    }
}
