use dockside_syntax::{Keyword, TextRange};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports what BuildKit would refuse to build: unknown instructions, wrong
    /// argument counts, `SHELL` without JSON, unterminated heredocs, duplicate or
    /// invalid parser directives, files that are not text, and flags that
    /// `FROM`, `RUN`, `COPY` or `ADD` do not have (`COPY --user=app`).
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
    /// COPY --user=app . /app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    /// ENV PATH=/usr/local/bin:$PATH
    /// COPY --chown=app . /app
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
        for inst in &cx.dockerfile.instructions {
            let Some(known) = known_flags(inst.keyword) else {
                continue;
            };
            for flag in inst
                .flags
                .iter()
                .filter(|f| !known.contains(&f.name.as_str()))
            {
                let keyword = inst.keyword_text.to_ascii_uppercase();
                let list = known
                    .iter()
                    .map(|k| format!("`--{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let range = TextRange::new(flag.range.start as usize, flag.name_range.end as usize);
                cx.report(Finding::new(
                    range,
                    format!(
                        "{keyword} has no flag `--{}`, so BuildKit refuses the Dockerfile (its flags: {list})",
                        flag.name
                    ),
                ));
            }
        }
    }
}

/// The flags BuildKit's Dockerfile frontend accepts (labs flags included) on FROM,
/// RUN, COPY and ADD: the only instructions that take flags checked here and by
/// `invalid-flag`.
pub(crate) fn known_flags(keyword: Keyword) -> Option<&'static [&'static str]> {
    Some(match keyword {
        Keyword::From => &["platform"],
        Keyword::Run => &["mount", "network", "security", "device"],
        Keyword::Copy => &["from", "chown", "chmod", "link", "parents", "exclude"],
        Keyword::Add => &[
            "chown",
            "chmod",
            "link",
            "checksum",
            "keep-git-dir",
            "exclude",
            "unpack",
        ],
        _ => return None,
    })
}
