use crate::checker::Checker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a suppression comment (`# dockside ignore=…`, `# hadolint ignore=…`, and
    /// their `global` forms) that suppresses nothing, naming each rule of the comment that
    /// had no finding to silence. Rules that are disabled by the configuration and hadolint
    /// codes dockside has no rule for are not reported: the comment may serve another run
    /// or another tool.
    ///
    /// ## Why is this bad?
    /// Suppressions outlive the code they were written for: once the instruction is fixed
    /// the comment stays, and the next real problem on that instruction is silenced without
    /// anyone deciding so. dockside also understands cases hadolint gets wrong (ARG defaults
    /// in `FROM`, cache mounts, pinning syntaxes), so many `# hadolint ignore=` comments
    /// written to silence false alarms are no longer needed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// # hadolint ignore=DL3018,DL3059
    /// RUN apk add --no-cache curl=8.9.1-r0
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl=8.9.1-r0
    /// ```
    ///
    /// ## Fix safety
    /// The fix removes the unused rule names from the comment, or the whole comment line
    /// when nothing in it is used. It is safe: the findings of the file do not change.
    pub struct UnusedSuppression {
        name: "unused-suppression",
        code: "DF050",
        group: "suppressions",
        severity: Warning,
        aliases: [],
        fix: Always,
        summary: "A suppression comment suppresses nothing",
    }
}

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the suppression pass, which sees every finding before suppression.
    fn check(&self, _cx: &Checker) {}
}
