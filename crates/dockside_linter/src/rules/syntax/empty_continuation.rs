use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};
use dockside_syntax::TextRange;

declare_rule! {
    /// ## What it does
    /// Flags empty (or whitespace-only) lines inside an instruction continued
    /// with `\`.
    ///
    /// ## Why is this bad?
    /// BuildKit skips the empty line and joins the instruction across it, but
    /// this is deprecated and will become an error in a future Dockerfile syntax.
    /// It also hides mistakes: a forgotten `\` before the blank line would end the
    /// instruction there for a reader, while the builder keeps going.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && \
    ///
    ///     apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN apt-get update && \
    ///     apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ## Fix safety
    /// The fix deletes the empty line; the instruction the builder sees is the
    /// same, so it is safe.
    pub struct EmptyContinuation {
        name: "empty-continuation",
        code: "DF004",
        group: "syntax",
        severity: Warning,
        aliases: ["NoEmptyContinuation"],
        fix: Always,
        summary: "Empty line inside a continued instruction",
    }
}

impl Rule for EmptyContinuation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for &range in &cx.dockerfile.empty_continuation_lines {
            let start = range.start as usize;
            let end = range.end as usize;
            // Delete the line with its line terminator.
            let delete_end = cx.source[end..]
                .find('\n')
                .map_or(cx.source.len(), |n| end + n + 1);
            let mut finding = Finding::new(
                range,
                "empty line inside a continued instruction: remove it (empty continuation lines are deprecated)",
            );
            if delete_end > start {
                finding = finding.with_fix(Fix::safe(
                    "Remove the empty line",
                    vec![Edit::delete(TextRange::new(start, delete_end))],
                ));
            }
            cx.report(finding);
        }
    }
}
