use super::line_ending;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};
use dockside_syntax::TextRange;

declare_rule! {
    /// ## What it does
    /// Flags a Dockerfile whose last line does not end with a line terminator.
    /// An empty file is not flagged.
    ///
    /// ## Why is this bad?
    /// POSIX tools treat a final line without a newline as incomplete: `cat`
    /// glues the next output to it, `wc -l` does not count it, and every edit
    /// at the end of the file shows the old last line as changed in diffs.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// CMD ["sh"]
    /// ```
    /// (the file stops right after `]`, with no newline.)
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// CMD ["sh"]
    /// ```
    ///
    /// ## Fix safety
    /// The fix appends a line terminator (`\r\n` when the file's first line ends
    /// with one, `\n` otherwise). The instructions do not change: it is safe.
    pub struct MissingFinalNewline {
        name: "missing-final-newline",
        code: "DF071",
        group: "format",
        severity: Style,
        aliases: ["eol-last"],
        fix: Always,
        summary: "The file does not end with a line terminator",
        opt_in: true,
    }
}

impl Rule for MissingFinalNewline {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let source = cx.source;
        if source.is_empty() || source.ends_with('\n') {
            return;
        }
        let end = source.len();
        cx.report(
            Finding::new(
                TextRange::empty(end),
                "no line terminator at the end of the file: add one",
            )
            .with_fix(Fix::safe(
                "Add a line terminator at the end of the file",
                vec![Edit::insert(end, line_ending(source))],
            )),
        );
    }
}
