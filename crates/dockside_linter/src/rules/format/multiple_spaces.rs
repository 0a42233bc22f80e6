use super::{top_level_mask, whitespace_is_literal};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};
use dockside_syntax::TextRange;

declare_rule! {
    /// ## What it does
    /// Flags two or more spaces or tabs between the words of an instruction,
    /// including between the keyword and its arguments.
    ///
    /// Not flagged: indentation at the start of a line (see
    /// `inconsistent-indentation`), whitespace at the end of a line (see
    /// `trailing-whitespace`), spaces that line up the `\` of continued lines,
    /// anything inside quotes, `$(…)`, `${…}`, backquotes, JSON strings, shell
    /// comments and heredoc bodies, and instructions where whitespace is part of
    /// a value: legacy `ENV key value` / `LABEL key value`, `WORKDIR`,
    /// `MAINTAINER`, `ONBUILD`, unknown instructions and shell-form commands run
    /// by PowerShell or `cmd` (`cmd /S /C echo a  b` prints both spaces).
    ///
    /// ## Why is this bad?
    /// Runs of spaces make words look grouped or aligned when they are not, and
    /// the alignment breaks with the next edit.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM  alpine:3.20
    /// RUN apk add   --no-cache curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// ## Fix safety
    /// The fix replaces the run with one space. Outside quotes and substitutions
    /// the shell and BuildKit split words on any amount of whitespace, so the
    /// fix is safe.
    pub struct MultipleSpaces {
        name: "multiple-spaces",
        code: "DF073",
        group: "format",
        severity: Style,
        aliases: ["no-multi-spaces"],
        fix: Always,
        summary: "Several spaces between the words of an instruction",
        opt_in: true,
    }
}

/// Whether the source run `start..end` sits between two words of one line:
/// not indentation, not trailing, not before a line continuation.
fn between_words(source: &str, start: usize, end: usize, escape: char) -> bool {
    if start == 0 || matches!(source.as_bytes()[start - 1], b'\n' | b'\r') {
        return false;
    }
    let rest = &source[end..];
    let line_rest = &rest[..rest.find(['\r', '\n']).unwrap_or(rest.len())];
    if line_rest.trim_matches([' ', '\t']).is_empty() {
        return false;
    }
    let mut chars = line_rest.chars();
    !(chars.next() == Some(escape) && chars.as_str().trim_matches([' ', '\t']).is_empty())
}

fn report(cx: &Checker, range: TextRange) {
    cx.report(
        Finding::new(range, "several spaces or tabs between words: use one space").with_fix(
            Fix::safe("Replace with one space", vec![Edit::replace(range, " ")]),
        ),
    );
}

impl Rule for MultipleSpaces {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let source = cx.source;
        let escape = cx.dockerfile.escape;
        for (_, instruction, info) in cx.instructions() {
            let after_keyword = instruction.keyword_range.end as usize;
            let gap_len = source[after_keyword..]
                .find(|c| c != ' ' && c != '\t')
                .unwrap_or(source.len() - after_keyword);
            if gap_len >= 2 && between_words(source, after_keyword, after_keyword + gap_len, escape)
            {
                report(cx, TextRange::new(after_keyword, after_keyword + gap_len));
            }
            if whitespace_is_literal(instruction, info) {
                continue;
            }
            let text = &instruction.line;
            let Some(mask) = top_level_mask(text.as_str(), escape) else {
                continue;
            };
            let bytes = text.as_str().as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if !(mask[i] && matches!(bytes[i], b' ' | b'\t')) {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < bytes.len() && mask[i] && matches!(bytes[i], b' ' | b'\t') {
                    i += 1;
                }
                if i - start < 2 {
                    continue;
                }
                let range = text.source_range(start..i);
                if range.len() == i - start
                    && between_words(source, range.start as usize, range.end as usize, escape)
                {
                    report(cx, range);
                }
            }
        }
    }
}
