use dockside_syntax::Keyword;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags instructions other than `ARG` that come before the first `FROM`, and
    /// Dockerfiles that have instructions but no `FROM` at all.
    ///
    /// ## Why is this bad?
    /// A Dockerfile must start with `FROM` (after parser directives, comments and
    /// global `ARG`s). BuildKit refuses to build anything else: there is no image
    /// for the instruction to act on.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV APP_HOME=/app
    /// FROM python:3.12-slim
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ENV APP_HOME=/app
    /// ```
    pub struct MissingFrom {
        name: "missing-from",
        code: "DF003",
        group: "syntax",
        severity: Error,
        aliases: ["DL3061"],
        fix: None,
        summary: "An instruction other than ARG before the first FROM, or no FROM at all",
    }
}

impl Rule for MissingFrom {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let instructions = &cx.dockerfile.instructions;
        let has_from = instructions.iter().any(|i| i.keyword == Keyword::From);
        for inst in instructions {
            match inst.keyword {
                Keyword::From => return,
                Keyword::Arg => {}
                // Unknown instructions are syntax errors already.
                Keyword::Unknown => {}
                _ if has_from => {
                    cx.report(Finding::new(
                        inst.keyword_range,
                        format!(
                            "{} comes before the first FROM: only ARG may precede FROM; move it into a stage",
                            inst.keyword.as_str()
                        ),
                    ));
                }
                _ => {
                    cx.report(Finding::new(
                        inst.keyword_range,
                        "the Dockerfile has no FROM instruction: start a stage with `FROM image`",
                    ));
                    return;
                }
            }
        }
        if !has_from
            && let Some(first_arg) = instructions.iter().find(|i| i.keyword == Keyword::Arg)
        {
            cx.report(Finding::new(
                first_arg.keyword_range,
                "the Dockerfile has no FROM instruction: start a stage with `FROM image`",
            ));
        }
    }
}
