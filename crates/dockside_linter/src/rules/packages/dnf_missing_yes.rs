use crate::analysis::packages::Manager;
use crate::checker::Checker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags `dnf install` (also `tdnf`, and `upgrade`, `remove`,
    /// `group install`, `module install`, …) without `-y` / `--assumeyes`.
    /// `microdnf` never prompts and is not checked.
    ///
    /// Input piped into the command (`yes | dnf install …`) and an earlier RUN of
    /// the stage that sets `assumeyes` in `dnf.conf` satisfy the rule.
    ///
    /// ## Why is this bad?
    /// dnf asks for confirmation before it changes anything. A build has no
    /// terminal: the prompt reads end of input, dnf exits with "Operation
    /// aborted" and the build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN dnf install httpd && dnf clean all
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN dnf install -y httpd && dnf clean all
    /// ```
    ///
    /// ## Fix safety
    /// Adding `-y` is safe: it answers the prompt the build cannot answer.
    pub struct DnfMissingYes {
        name: "dnf-missing-yes",
        code: "DF803",
        group: "packages",
        severity: Warning,
        aliases: ["DL3038"],
        fix: Always,
        summary: "`dnf install` without `-y`",
    }
}

impl Rule for DnfMissingYes {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        super::check_missing_yes(
            cx,
            Manager::Dnf,
            super::yum_missing_yes::assumes_yes,
            &["assumeyes="],
            &[(Some('y'), Some("assumeyes")), (None, Some("yes"))],
        );
    }
}
