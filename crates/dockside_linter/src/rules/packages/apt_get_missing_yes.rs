use crate::analysis::packages::{Manager, PackageOp};
use crate::checker::Checker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags `apt-get install` (also `apt` and `aptitude`, and `upgrade`,
    /// `remove`, `purge`, …) without `-y` / `--yes` / `--assume-yes`.
    ///
    /// `-qq` (which implies `-y`), `-o APT::Get::Assume-Yes=true`, an earlier
    /// RUN of the stage writing `APT::Get::Assume-Yes` into the apt
    /// configuration, and input piped into the command (`yes | apt-get install …`)
    /// all satisfy the rule.
    ///
    /// ## Why is this bad?
    /// When apt needs to install more than what was asked (dependencies) it asks
    /// for confirmation. A build has no terminal: the prompt reads end of input,
    /// apt answers "Abort." and the build fails — often only once a dependency
    /// changes, long after the Dockerfile was written.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y curl
    /// ```
    ///
    /// ## Fix safety
    /// Adding `-y` is safe: it answers the prompt the build cannot answer.
    pub struct AptGetMissingYes {
        name: "apt-get-missing-yes",
        code: "DF801",
        group: "packages",
        severity: Warning,
        aliases: ["DL3014"],
        fix: Always,
        summary: "`apt-get install` without `-y`",
    }
}

impl Rule for AptGetMissingYes {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        super::check_missing_yes(
            cx,
            Manager::Apt,
            assumes_yes,
            &["apt::get::assume-yes"],
            &[(Some('y'), Some("yes")), (None, Some("assume-yes"))],
        );
    }
}

fn assumes_yes(op: &PackageOp) -> bool {
    let cmd = op.command;
    if cmd.has_flag(Some('y'), Some("yes")) || cmd.has_flag(None, Some("assume-yes")) {
        return true;
    }
    cmd.args().iter().any(|w| {
        let t = w.text();
        if t.to_ascii_lowercase().contains("assume-yes") {
            return true;
        }
        if matches!(t, "-q=2" | "--quiet=2" | "-q2") {
            return true;
        }
        t.strip_prefix('-')
            .filter(|r| !r.starts_with('-'))
            .is_some_and(|r| {
                r.chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .filter(|&c| c == 'q')
                    .count()
                    >= 2
            })
    })
}
