use super::{
    dominant_indent, heredoc_regions, instruction_base_indent, line_ending, physical_lines,
    top_level_mask,
};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};
use dockside_semantic::ScriptOrigin;
use dockside_shell::{Context, SimpleCommand};
use dockside_syntax::TextRange;
use dockside_syntax::ast::{CommandForm, Keyword};

declare_rule! {
    /// ## What it does
    /// Flags a RUN whose `&&` chain puts several commands on one physical line.
    /// Only `&&` between two top-level commands counts: not in quotes,
    /// substitutions, subshells, `{ …; }` groups, `if` conditions or loops; exec-form
    /// RUNs, RUNs with heredocs and RUNs whose shell is not a POSIX shell are
    /// not checked.
    ///
    /// ## Why is this bad?
    /// One command per line makes long RUNs readable and gives one-line diffs
    /// when a command is added, removed or changed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && \
    ///     apt-get install -y --no-install-recommends curl && \
    ///     rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Fix safety
    /// The fix breaks the line after the `&&` (before it when the RUN already
    /// starts its lines with `&&`) with a line continuation, indented like the
    /// RUN's other continuation lines or the file's. BuildKit joins the lines
    /// again before the shell runs them, and the break is outside any quotes, so
    /// the command is the same: the fix is safe.
    pub struct ChainedCommandsOnOneLine {
        name: "chained-commands-on-one-line",
        code: "DF075",
        group: "format",
        severity: Style,
        aliases: ["newline-per-chained-call"],
        fix: Always,
        summary: "Several `&&`-chained commands on one line of a RUN",
        opt_in: true,
    }
}

/// The source text of the physical line around `offset`, split at it.
fn line_around(source: &str, offset: usize) -> (&str, &str) {
    let start = source[..offset].rfind('\n').map_or(0, |n| n + 1);
    let end = source[offset..]
        .find(['\r', '\n'])
        .map_or(source.len(), |n| offset + n);
    (&source[start..offset], &source[offset..end])
}

impl Rule for ChainedCommandsOnOneLine {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let source = cx.source;
        let escape = cx.dockerfile.escape;
        let lines = physical_lines(source);
        let heredocs = heredoc_regions(cx);
        let file_indent = dominant_indent(cx, &lines).filter(|i| !i.is_empty());
        let eol = line_ending(source);
        for (_, instruction, info) in cx.instructions() {
            if instruction.keyword != Keyword::Run
                || !instruction.heredocs.is_empty()
                || !info.shell.is_posix()
            {
                continue;
            }
            if !matches!(instruction.command(), Some(CommandForm::Shell(_))) {
                continue;
            }
            let Some(code) = info.scripts.iter().find(|c| c.origin == ScriptOrigin::Line) else {
                continue;
            };
            let text = &code.text;
            let commands = &code.script.commands;
            let Some(mask) = top_level_mask(text.as_str(), escape) else {
                continue;
            };
            let command_start = text.source_offset(0);
            let base = instruction_base_indent(&lines, source, instruction, &heredocs)
                .map(|(_, indent)| indent)
                .filter(|i| !i.is_empty());
            let indent = base.or(file_indent).unwrap_or("    ");
            let leading_style = source[instruction.range.as_range()]
                .lines()
                .skip(1)
                .any(|l| l.trim_start().starts_with("&&"));
            let bytes = text.as_str().as_bytes();
            let mut i = 0;
            while i + 1 < bytes.len() {
                if !(bytes[i] == b'&' && bytes[i + 1] == b'&' && mask[i] && mask[i + 1]) {
                    i += 1;
                    continue;
                }
                let cooked = i;
                i += 2;
                let before_command = commands
                    .iter()
                    .filter(|c| c.range.end <= cooked)
                    .max_by_key(|c| c.range.end);
                let after_command = commands
                    .iter()
                    .filter(|c| c.range.start >= cooked + 2)
                    .min_by_key(|c| c.range.start);
                let top_level =
                    |c: Option<&SimpleCommand>| c.is_some_and(|c| c.context == Context::TopLevel);
                if !top_level(before_command) || !top_level(after_command) {
                    continue;
                }
                let at = text.source_offset(cooked);
                let (before, after) = line_around(source, at);
                let before = &before[before.len() - (at - command_start).min(before.len())..];
                let after = after[2..].trim_matches([' ', '\t']);
                if before.trim().is_empty() || after.is_empty() || after == escape.to_string() {
                    continue;
                }
                let break_text = format!(" {escape}{eol}{indent}");
                let edit = if leading_style {
                    let gap = before.len() - before.trim_end_matches([' ', '\t']).len();
                    Edit::replace(TextRange::new(at - gap, at), break_text)
                } else {
                    let rest = &source[at + 2..];
                    let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
                    Edit::replace(TextRange::new(at + 2, at + 2 + gap), break_text)
                };
                cx.report(
                    Finding::new(
                        TextRange::new(at, at + 2),
                        "several commands chained with `&&` on one line: put each on its own line",
                    )
                    .with_fix(Fix::safe("Break the line at `&&`", vec![edit])),
                );
            }
        }
    }
}
