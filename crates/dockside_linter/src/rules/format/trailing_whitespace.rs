use super::{heredoc_regions, in_regions, physical_lines};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};
use dockside_syntax::TextRange;

declare_rule! {
    /// ## What it does
    /// Flags spaces and tabs at the end of a line. Heredoc bodies are left alone:
    /// they are the content of a file or script, where trailing whitespace can
    /// matter. The `\r` of a Windows (CRLF) line ending is not whitespace here.
    ///
    /// ## Why is this bad?
    /// Trailing whitespace is invisible, shows up as noise in diffs and code
    /// review, and after a line continuation character it hides whether the line
    /// really continues.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20␠␠
    /// RUN apk add --no-cache curl \␠
    ///     git
    /// ```
    /// (`␠` stands for a space.)
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl \
    ///     git
    /// ```
    ///
    /// ## Fix safety
    /// The fix deletes the whitespace. BuildKit trims it from the end of an
    /// instruction and ignores it after a line continuation character, so the
    /// build is the same: the fix is safe.
    pub struct TrailingWhitespace {
        name: "trailing-whitespace",
        code: "DF070",
        group: "format",
        severity: Style,
        aliases: ["no-trailing-spaces"],
        fix: Always,
        summary: "Spaces or tabs at the end of a line",
        opt_in: true,
    }
}

impl Rule for TrailingWhitespace {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let heredocs = heredoc_regions(cx);
        for line in physical_lines(cx.source) {
            if in_regions(&heredocs, line.start) {
                continue;
            }
            let text = line.text(cx.source);
            let kept = text.trim_end_matches([' ', '\t']).len();
            if kept == text.len() {
                continue;
            }
            let range = TextRange::new(line.start + kept, line.end);
            cx.report(
                Finding::new(range, "trailing whitespace: remove it").with_fix(Fix::safe(
                    "Remove the trailing whitespace",
                    vec![Edit::delete(range)],
                )),
            );
        }
    }
}
