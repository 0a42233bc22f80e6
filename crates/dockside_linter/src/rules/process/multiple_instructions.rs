use dockside_syntax::{Keyword, TextRange};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, FileId, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` that a later instruction of
    /// the same kind in the same stage overrides.
    ///
    /// ## Why is this bad?
    /// Only the last `CMD`, `ENTRYPOINT` and `HEALTHCHECK` of a stage take effect.
    /// The earlier ones do nothing, but readers (and the author) easily believe
    /// they do: two `CMD`s do not start two programs, and the health check that
    /// is documented first is not the one Docker runs.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12
    /// CMD ["celery", "-A", "app", "worker"]
    /// CMD ["gunicorn", "app:app"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12
    /// CMD ["gunicorn", "app:app"]
    /// ```
    ///
    /// ## Fix safety
    /// The fix deletes the overridden instruction. The image does not change,
    /// but the author may have meant the earlier instruction to be the one that
    /// counts: the fix is unsafe.
    pub struct MultipleInstructions {
        name: "multiple-instructions",
        code: "DF405",
        group: "process",
        severity: Warning,
        aliases: ["DL4003", "DL4004", "DL3012", "MultipleInstructionsDisallowed"],
        fix: Always,
        summary: "Several CMD, ENTRYPOINT or HEALTHCHECK in one stage: only the last counts",
    }
}

/// The instruction's lines, with the line break after them.
pub(crate) fn instruction_lines(source: &str, range: TextRange) -> TextRange {
    let start = source[..range.start as usize]
        .rfind('\n')
        .map_or(0, |p| p + 1);
    let end = range.end as usize;
    let end = match source[end..].find('\n') {
        Some(p) => end + p + 1,
        None => source.len(),
    };
    TextRange::new(start, end)
}

impl Rule for MultipleInstructions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for stage in &cx.model.stages {
            for keyword in [Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck] {
                let found: Vec<usize> = stage
                    .instructions()
                    .filter(|&i| {
                        cx.dockerfile
                            .instructions
                            .get(i)
                            .is_some_and(|inst| inst.keyword == keyword)
                    })
                    .collect();
                let Some((&last, earlier)) = found.split_last() else {
                    continue;
                };
                let last_inst = &cx.dockerfile.instructions[last];
                let last_line = cx.line_number(last_inst.range.start);
                for &i in earlier {
                    let inst = &cx.dockerfile.instructions[i];
                    let name = keyword.as_str();
                    cx.report(
                        Finding::new(
                            inst.keyword_range,
                            format!(
                                "this {name} has no effect: the {name} on line {last_line} overrides it (only the last {name} of a stage counts)"
                            ),
                        )
                        .with_related(FileId::MAIN, last_inst.keyword_range, format!("the {name} that takes effect"))
                        .with_fix(Fix::unsafe_(
                            format!("Remove the overridden {name}"),
                            vec![Edit::delete(instruction_lines(cx.source, inst.range))],
                        )),
                    );
                }
            }
        }
    }
}
