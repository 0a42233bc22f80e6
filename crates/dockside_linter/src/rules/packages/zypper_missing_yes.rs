use crate::analysis::packages::{Manager, PackageOp};
use crate::checker::Checker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags `zypper install` (and `remove`, `update`, `patch`, `dist-upgrade`,
    /// …) without `--non-interactive` / `-n` before the command or
    /// `-y` / `--no-confirm` after it.
    ///
    /// Input piped into the command (`yes | zypper install …`) satisfies the rule.
    ///
    /// ## Why is this bad?
    /// zypper asks for confirmation before it changes anything. A build has no
    /// terminal: the prompt cannot be answered and the build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN zypper install nginx && zypper clean -a
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN zypper --non-interactive install nginx && zypper clean -a
    /// ```
    ///
    /// ## Fix safety
    /// Adding `--non-interactive` is safe: it answers the prompts the build
    /// cannot answer with their defaults.
    pub struct ZypperMissingYes {
        name: "zypper-missing-yes",
        code: "DF804",
        group: "packages",
        severity: Warning,
        aliases: ["DL3034"],
        fix: Always,
        summary: "`zypper install` without `--non-interactive`",
    }
}

impl Rule for ZypperMissingYes {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        super::check_missing_yes(
            cx,
            Manager::Zypper,
            assumes_yes,
            &[],
            &[
                (Some('n'), Some("non-interactive")),
                (Some('y'), Some("no-confirm")),
            ],
        );
    }
}

fn assumes_yes(op: &PackageOp) -> bool {
    let cmd = op.command;
    cmd.has_flag(Some('n'), Some("non-interactive")) || cmd.has_flag(Some('y'), Some("no-confirm"))
}
