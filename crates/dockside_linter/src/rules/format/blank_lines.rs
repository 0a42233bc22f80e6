use super::{heredoc_regions, in_regions, line_ending, physical_lines};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};
use dockside_syntax::TextRange;
use dockside_syntax::ast::Keyword;

declare_rule! {
    /// ## What it does
    /// Checks the blank lines between instructions: each stage after the first
    /// starts after a blank line (above the comments that introduce its `FROM`),
    /// and there is never more than one blank line in a row. A `FROM` right
    /// after another `FROM` (a list of one-line alias stages) needs no blank
    /// line, and neither does the first `FROM` after the global `ARG`s. Instructions of a
    /// stage may follow each other directly or in blank-line-separated groups,
    /// as the author prefers. Blank lines inside a continued instruction are
    /// `empty-continuation`'s business, and heredoc bodies are left alone.
    ///
    /// ## Why is this bad?
    /// A blank line before `FROM` shows where a stage begins; runs of blank lines
    /// carry no meaning and spread the file over more screens.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /app .
    /// FROM gcr.io/distroless/static
    ///
    ///
    /// COPY --from=build /app /app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /app .
    ///
    /// FROM gcr.io/distroless/static
    ///
    /// COPY --from=build /app /app
    /// ```
    ///
    /// ## Fix safety
    /// The fix inserts or deletes blank lines outside instructions. Blank lines
    /// at the top of the file, which decide where parser directives may appear,
    /// are never removed: the fix is safe.
    pub struct BlankLines {
        name: "blank-lines",
        code: "DF074",
        group: "format",
        severity: Style,
        aliases: ["newline-between-instructions"],
        fix: Always,
        summary: "No blank line before a new stage, or several blank lines in a row",
        opt_in: true,
    }
}

impl Rule for BlankLines {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let source = cx.source;
        let lines = physical_lines(source);
        let heredocs = heredoc_regions(cx);
        let inside =
            |offset: usize| {
                in_regions(&heredocs, offset)
                    || cx.dockerfile.instructions.iter().any(|i| {
                        (i.range.start as usize) <= offset && offset <= i.range.end as usize
                    })
            };
        let mut i = 0;
        let mut seen_content = false;
        while i < lines.len() {
            if !lines[i].is_blank(source) || inside(lines[i].start) {
                seen_content |= !lines[i].is_blank(source);
                i += 1;
                continue;
            }
            let first = i;
            while i < lines.len() && lines[i].is_blank(source) && !inside(lines[i].start) {
                i += 1;
            }
            if seen_content && i - first >= 2 {
                let delete = TextRange::new(lines[first + 1].start, lines[i - 1].next);
                cx.report(
                    Finding::new(
                        TextRange::new(lines[first + 1].start, lines[i - 1].end),
                        format!("{} blank lines in a row: keep one", i - first),
                    )
                    .with_fix(Fix::safe(
                        "Remove the extra blank lines",
                        vec![Edit::delete(delete)],
                    )),
                );
            }
        }

        let instructions = &cx.dockerfile.instructions;
        let first_from = instructions.iter().position(|i| i.keyword == Keyword::From);
        for (pos, instruction) in instructions.iter().enumerate() {
            // Stages made of a FROM alone (`FROM x AS name` aliases) may be listed together.
            if instruction.keyword != Keyword::From
                || first_from.is_none_or(|first| pos <= first)
                || instructions[pos - 1].keyword == Keyword::From
            {
                continue;
            }
            let top = cx
                .dockerfile
                .comments_before(source, instruction)
                .first()
                .map_or(instruction.range.start as usize, |c| c.range.start as usize);
            let line = lines.partition_point(|l| l.next <= top);
            if line == 0 || lines[line - 1].is_blank(source) {
                continue;
            }
            cx.report(
                Finding::new(
                    instruction.keyword_range,
                    "no blank line before this stage: separate stages with one",
                )
                .with_fix(Fix::safe(
                    "Insert a blank line before the stage",
                    vec![Edit::insert(lines[line].start, line_ending(source))],
                )),
            );
        }
    }
}
