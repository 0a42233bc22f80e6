use crate::checker::Checker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a suppression comment that does not say why the finding is acceptable:
    /// `# dockside ignore=…`, `# hadolint ignore=…` and their `global` forms, in
    /// Dockerfiles, in Compose files, and in the entrypoint scripts and supervisord
    /// files that have findings. The reason is the text after `--` at the end of the
    /// comment (`# hadolint ignore=DL3008 -- the base image pins the packages`);
    /// hadolint ignores that text, so the same comment serves both tools. Other text
    /// after a hadolint rule list does not count as a reason. BuildKit's
    /// `# check=skip=…` directive has no place for a reason and is not reported. Off
    /// by default.
    ///
    /// ## Why is this bad?
    /// A suppression without a reason cannot be reviewed: nobody can tell later whether
    /// the finding was a false alarm, an accepted risk or a shortcut, or whether the
    /// reason still holds once the instruction changes. Teams that require reasons make
    /// every silenced finding a decision someone wrote down.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// # hadolint ignore=DL3008
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:bookworm
    /// # hadolint ignore=DL3008 -- the snapshot mirror pins every package
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    pub struct SuppressionWithoutReason {
        name: "suppression-without-reason",
        code: "DF051",
        group: "suppressions",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "A suppression comment does not give a reason after `--`",
        opt_in: true,
    }
}

impl Rule for SuppressionWithoutReason {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the suppression passes, which parse the comments anyway.
    fn check(&self, _cx: &Checker) {}
}
