use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports what BuildKit would refuse to build: unknown instructions, wrong
    /// argument counts, `SHELL` without JSON, unterminated heredocs, duplicate or
    /// invalid parser directives, files that are not text.
    ///
    /// ## Why is this bad?
    /// The build fails, usually after minutes of earlier steps. Parsing continues
    /// at the next line, so the other rules still check the rest of the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUNN apk add curl
    /// ENV PATH
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    /// ENV PATH=/usr/local/bin:$PATH
    /// ```
    pub struct SyntaxError {
        name: "syntax-error",
        code: "DF001",
        group: "syntax",
        severity: Error,
        aliases: ["DL1000"],
        fix: None,
        summary: "The Dockerfile does not parse: BuildKit would reject it",
    }
}

impl Rule for SyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for e in &cx.dockerfile.errors {
            cx.report(Finding::new(e.range, e.message.clone()));
        }
    }
}
