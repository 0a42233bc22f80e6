use super::{
    Line, continuation_lines, cooked_offset, dominant_indent, heredoc_regions, is_comment_line,
    physical_lines, top_level_mask, whitespace_is_literal,
};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{OptionKind, OptionSpec, Rule, RuleMeta};
use dockside_semantic::InstructionInfo;
use dockside_syntax::TextRange;
use dockside_syntax::ast::Instruction;

declare_rule! {
    /// ## What it does
    /// Checks indentation against the rest of the file:
    /// - an instruction keyword starts at the beginning of its line;
    /// - in a file whose continued instructions are indented, no continuation
    ///   line goes back to the first column;
    /// - continuation lines are indented with the same character, tabs or
    ///   spaces, as the rest of the file (a tab followed by spaces that align
    ///   words is fine).
    ///
    /// The file's indentation is the most common indentation of the first
    /// continuation line of its instructions; the `indent` option replaces it
    /// with a number of spaces. How deep a line is indented (the body of an
    /// `if`, a package list) is up to the author. Comment lines, empty lines (see
    /// `empty-continuation`) and heredoc bodies are not checked.
    ///
    /// ## Why is this bad?
    /// A continuation line at the first column reads like a new instruction, an
    /// indented instruction reads like a continuation, and tabs mixed with
    /// spaces line up differently in every editor.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && \
    ///     apt-get install -y --no-install-recommends curl
    ///   RUN set -eux; \
    ///     mkdir /app; \
    /// chown nobody /app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && \
    ///     apt-get install -y --no-install-recommends curl
    /// RUN set -eux; \
    ///     mkdir /app; \
    ///     chown nobody /app
    /// ```
    ///
    /// ## Fix safety
    /// Removing the indentation before a keyword is safe. Indenting a
    /// continuation line with the file's indentation adds whitespace between
    /// words, so it is safe too; it is not offered when a continuation line of
    /// the instruction starts inside quotes, `$(…)` or `${…}` (where whitespace
    /// is part of a string), or when the instruction keeps whitespace as part of
    /// a value (legacy `ENV key value`, `WORKDIR`, `MAINTAINER`, shell-form
    /// commands run by PowerShell or `cmd`). Tabs against spaces are reported
    /// without a fix: how wide a tab is depends on the reader's editor.
    pub struct InconsistentIndentation {
        name: "inconsistent-indentation",
        code: "DF072",
        group: "format",
        severity: Style,
        aliases: ["consistent-indentation"],
        fix: Sometimes,
        summary: "Instruction or continuation line indented differently from the rest of the file",
        options: [OptionSpec {
            key: "indent",
            kind: OptionKind::Integer,
            help: "Indent continuation lines with this many spaces; unset: like the rest of the file",
        }],
        opt_in: true,
    }
}

fn describe(indent: &str) -> String {
    let tabs = indent.chars().filter(|&c| c == '\t').count();
    let spaces = indent.len() - tabs;
    let plural = |n: usize, what: &str| {
        if n == 1 {
            format!("1 {what}")
        } else {
            format!("{n} {what}s")
        }
    };
    match (tabs, spaces) {
        (0, 0) => "no indentation".to_string(),
        (0, s) => plural(s, "space"),
        (t, 0) => plural(t, "tab"),
        (t, s) => format!("{} and {}", plural(t, "tab"), plural(s, "space")),
    }
}

/// Whether re-indenting the continuation lines of `instruction` leaves what the
/// builder sees unchanged: each line must start outside quotes and substitutions.
fn reindent_is_safe(
    cx: &Checker,
    instruction: &Instruction,
    info: &InstructionInfo,
    lines: &[Line],
) -> bool {
    if whitespace_is_literal(instruction, info) {
        return false;
    }
    let text = &instruction.line;
    let Some(mask) = top_level_mask(text.as_str(), cx.dockerfile.escape) else {
        return false;
    };
    lines
        .iter()
        .filter(|l| !l.is_blank(cx.source) && !is_comment_line(l, cx.source))
        .all(|l| {
            let first = l.start + l.indent(cx.source).len();
            match cooked_offset(text, first) {
                Some(cooked) => cooked == 0 || mask.get(cooked - 1).copied().unwrap_or(false),
                None => false,
            }
        })
}

impl Rule for InconsistentIndentation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let source = cx.source;
        let lines = physical_lines(source);
        let heredocs = heredoc_regions(cx);
        let configured = cx
            .config
            .integer_option(Self::META.name, "indent")
            .filter(|n| (0..=32).contains(n))
            .map(|n| " ".repeat(n as usize));
        let expected = match &configured {
            Some(indent) => Some(indent.as_str()),
            None => dominant_indent(cx, &lines),
        };
        for (_, instruction, info) in cx.instructions() {
            let keyword = instruction.keyword_range.start as usize;
            let line_start = source[..keyword].rfind('\n').map_or(0, |n| n + 1);
            if line_start < keyword && source[line_start..keyword].trim().is_empty() {
                let range = TextRange::new(line_start, keyword);
                cx.report(
                    Finding::new(
                        range,
                        format!(
                            "`{}` is indented: start instructions at the beginning of the line",
                            instruction.keyword_text
                        ),
                    )
                    .with_fix(Fix::safe(
                        "Remove the indentation",
                        vec![Edit::delete(range)],
                    )),
                );
            }
            let Some(expected) = expected.filter(|e| !e.is_empty()) else {
                continue;
            };
            let continued = continuation_lines(&lines, instruction, &heredocs);
            let mut safe = None;
            for line in continued
                .iter()
                .filter(|l| !l.is_blank(source) && !is_comment_line(l, source))
            {
                let indent = line.indent(source);
                if indent.is_empty() {
                    let mut finding = Finding::new(
                        TextRange::empty(line.start),
                        format!(
                            "continuation line at the first column: indent it with {}",
                            describe(expected)
                        ),
                    );
                    if *safe
                        .get_or_insert_with(|| reindent_is_safe(cx, instruction, info, &continued))
                    {
                        finding = finding.with_fix(Fix::safe(
                            format!("Indent the line with {}", describe(expected)),
                            vec![Edit::insert(line.start, expected)],
                        ));
                    }
                    cx.report(finding);
                } else if !indent.starts_with(&expected[..1]) {
                    let (used, other) = if expected.starts_with('\t') {
                        ("spaces", "tabs")
                    } else {
                        ("tabs", "spaces")
                    };
                    cx.report(Finding::new(
                        TextRange::new(line.start, line.start + indent.len()),
                        format!(
                            "continuation line indented with {used}: the file's continuation lines use {other}"
                        ),
                    ));
                }
            }
        }
    }
}
