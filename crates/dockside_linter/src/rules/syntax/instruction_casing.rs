use dockside_syntax::{Body, Instruction, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags instruction keywords whose casing differs from the rest of the file:
    /// the file's majority casing (all upper case or all lower case) wins, and
    /// mixed casing such as `Run` is always flagged.
    ///
    /// ## Why is this bad?
    /// Instructions are case-insensitive, but mixing `RUN` and `run` makes a file
    /// harder to read and to search. BuildKit warns about it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// run apk add --no-cache curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// ## Fix safety
    /// Only the keyword's casing changes, which the builder ignores: safe.
    pub struct InstructionCasing {
        name: "instruction-casing",
        code: "DF005",
        group: "syntax",
        severity: Warning,
        aliases: ["ConsistentInstructionCasing"],
        fix: Always,
        summary: "Instruction keyword casing differs from the rest of the file",
    }
}

fn keywords<'a>(cx: &Checker<'a>) -> Vec<&'a Instruction> {
    let mut out = Vec::new();
    for inst in &cx.dockerfile.instructions {
        if inst.keyword == Keyword::Unknown {
            continue;
        }
        out.push(inst);
        if let Body::Onbuild(Some(inner)) = &inst.body
            && inner.keyword != Keyword::Unknown
        {
            out.push(inner);
        }
    }
    out
}

impl Rule for InstructionCasing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let all = keywords(cx);
        let upper = all
            .iter()
            .filter(|i| i.keyword_text == i.keyword.as_str())
            .count();
        let lower = all
            .iter()
            .filter(|i| is_lowercase_of(&i.keyword_text, i.keyword.as_str()))
            .count();
        let want_upper = upper >= lower;
        for inst in all {
            let written = inst.keyword_text.as_str();
            let keyword = inst.keyword.as_str();
            if (want_upper && written == keyword)
                || (!want_upper && is_lowercase_of(written, keyword))
            {
                continue;
            }
            let expected = if want_upper {
                keyword.to_string()
            } else {
                keyword.to_ascii_lowercase()
            };
            let casing = if want_upper { "upper" } else { "lower" };
            cx.report(
                Finding::new(
                    inst.keyword_range,
                    format!(
                        "`{}` is not {casing} case like the other instructions: write `{expected}`",
                        inst.keyword_text
                    ),
                )
                .with_fix(Fix::safe(
                    format!("Write `{expected}`"),
                    vec![Edit::replace(inst.keyword_range, expected.clone())],
                )),
            );
        }
    }
}

/// `written` is `keyword` in lower case.
fn is_lowercase_of(written: &str, keyword: &str) -> bool {
    written.len() == keyword.len()
        && written
            .bytes()
            .zip(keyword.bytes())
            .all(|(w, k)| w == k.to_ascii_lowercase())
}
