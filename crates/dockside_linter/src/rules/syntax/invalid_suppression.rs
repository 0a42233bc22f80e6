use crate::checker::Checker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports `# dockside ignore=…` comments that are malformed or name a rule
    /// that does not exist (with the closest rule name as a suggestion).
    ///
    /// ## Why is this bad?
    /// A misspelt suppression silently suppresses nothing: the finding it was
    /// meant to silence keeps failing the build, or worse, a typo in the rule name
    /// hides the intent of the comment from reviewers.
    ///
    /// ## Example
    /// ```dockerfile
    /// # dockside ignore=merge-consecutive-run
    /// RUN apt-get update
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// # dockside ignore=merge-consecutive-runs -- kept apart for caching
    /// RUN apt-get update
    /// ```
    pub struct InvalidSuppression {
        name: "invalid-suppression",
        code: "DF002",
        group: "syntax",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "A suppression comment is malformed or names an unknown rule",
    }
}

impl Rule for InvalidSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the suppression pass, which parses the comments anyway.
    fn check(&self, _cx: &Checker) {}
}
