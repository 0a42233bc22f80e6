use dockside_syntax::TextRange;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`).
    ///
    /// ## Why is this bad?
    /// A stage is built for the target platform by default: the flag says
    /// nothing and only adds noise (and suggests a cross-compilation setup that
    /// is not there).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=$TARGETPLATFORM alpine:3.20
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ```
    ///
    /// ## Fix safety
    /// The fix removes the flag; the build is the same: safe.
    pub struct RedundantTargetPlatform {
        name: "redundant-target-platform",
        code: "DF605",
        group: "base-image",
        severity: Info,
        aliases: ["DL3065", "RedundantTargetPlatform"],
        fix: Always,
        summary: "`FROM --platform=$TARGETPLATFORM` is the default",
    }
}

impl Rule for RedundantTargetPlatform {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for stage in &cx.model.stages {
            let inst = &cx.dockerfile.instructions[stage.from];
            let Some(flag) = inst.flag("platform") else {
                continue;
            };
            let Some(value) = &flag.value else { continue };
            let bare = value.trim_matches(['"', '\'']);
            if bare != "$TARGETPLATFORM" && bare != "${TARGETPLATFORM}" {
                continue;
            }
            // Remove the flag and the blanks after it.
            let end = flag.range.end as usize;
            let blanks = cx.source[end..]
                .bytes()
                .take_while(|b| *b == b' ' || *b == b'\t')
                .count();
            cx.report(
                Finding::new(
                    flag.range,
                    "`--platform=$TARGETPLATFORM` is what FROM does by default: remove the flag",
                )
                .with_fix(Fix::safe(
                    "Remove `--platform`",
                    vec![Edit::delete(TextRange::new(
                        flag.range.start as usize,
                        end + blanks,
                    ))],
                )),
            );
        }
    }
}
