use crate::analysis::packages::{Manager, PackageOp};
use crate::checker::Checker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags `yum install` (and `update`, `remove`, `groupinstall`, …) without
    /// `-y` / `--assumeyes`.
    ///
    /// Input piped into the command (`yes | yum install …`) and an earlier RUN of
    /// the stage that sets `assumeyes` in the yum configuration satisfy the rule.
    ///
    /// ## Why is this bad?
    /// yum asks for confirmation before it installs anything. A build has no
    /// terminal: the prompt reads end of input, yum exits with "Operation
    /// aborted" and the build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN yum install httpd && yum clean all
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN yum install -y httpd && yum clean all
    /// ```
    ///
    /// ## Fix safety
    /// Adding `-y` is safe: it answers the prompt the build cannot answer.
    pub struct YumMissingYes {
        name: "yum-missing-yes",
        code: "DF802",
        group: "packages",
        severity: Warning,
        aliases: ["DL3030"],
        fix: Always,
        summary: "`yum install` without `-y`",
    }
}

impl Rule for YumMissingYes {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        super::check_missing_yes(
            cx,
            Manager::Yum,
            assumes_yes,
            &["assumeyes="],
            &[(Some('y'), Some("assumeyes")), (None, Some("yes"))],
        );
    }
}

pub(super) fn assumes_yes(op: &PackageOp) -> bool {
    op.command.has_flag(Some('y'), Some("assumeyes"))
        || op.command.has_flag(None, Some("yes"))
        || op
            .command
            .args()
            .iter()
            .any(|w| w.text().to_ascii_lowercase().contains("assumeyes"))
}
