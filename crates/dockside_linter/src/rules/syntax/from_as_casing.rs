use dockside_syntax::Body;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a `FROM … AS name` whose `AS` keyword is not cased like `FROM`
    /// (`FROM image as build`, `from image AS build`).
    ///
    /// ## Why is this bad?
    /// Both spellings work, but the mismatch reads like a mistake and breaks
    /// searches for stage definitions. BuildKit warns about it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 as build
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// ```
    ///
    /// ## Fix safety
    /// Only the keyword's casing changes: safe.
    pub struct FromAsCasing {
        name: "from-as-casing",
        code: "DF006",
        group: "syntax",
        severity: Warning,
        aliases: ["FromAsCasing"],
        fix: Always,
        summary: "`AS` in FROM is not cased like `FROM`",
    }
}

impl Rule for FromAsCasing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for inst in &cx.dockerfile.instructions {
            let Body::From(from) = &inst.body else {
                continue;
            };
            let Some(as_kw) = &from.as_keyword else {
                continue;
            };
            let from_upper = inst.keyword_text == "FROM";
            let from_lower = inst.keyword_text == "from";
            let expected = if from_upper {
                "AS"
            } else if from_lower {
                "as"
            } else {
                // Mixed-case FROM: instruction-casing reports the keyword itself.
                continue;
            };
            if as_kw.value == expected {
                continue;
            }
            cx.report(
                Finding::new(
                    as_kw.range,
                    format!(
                        "`{}` is not cased like `{}`: write `{expected}`",
                        as_kw.value, inst.keyword_text
                    ),
                )
                .with_fix(Fix::safe(
                    format!("Write `{expected}`"),
                    vec![Edit::replace(as_kw.range, expected)],
                )),
            );
        }
    }
}
