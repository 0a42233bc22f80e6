use crate::analysis::stages::{RefKind, Target, references};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags `COPY --from=` (or `RUN --mount=from=`) naming the stage the
    /// instruction is in.
    ///
    /// ## Why is this bad?
    /// A stage can not read from itself while it is being built: BuildKit fails
    /// with a circular dependency. Files already in the stage can be copied with
    /// `RUN cp`, or the instruction belongs in a later stage.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22 AS build
    /// COPY --from=build /app/dist /srv
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22 AS build
    /// RUN npm run build
    /// FROM nginx:1.27
    /// COPY --from=build /app/dist /usr/share/nginx/html
    /// ```
    pub struct CopyFromOwnStage {
        name: "copy-from-own-stage",
        code: "DF624",
        group: "stages",
        severity: Error,
        aliases: ["DL3023"],
        fix: None,
        summary: "`COPY --from` names the stage it is in",
    }
}

impl Rule for CopyFromOwnStage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for r in references(cx.dockerfile, cx.model) {
            if r.kind == RefKind::From {
                continue;
            }
            let (Target::Stage(t), Some(s)) = (&r.target, r.stage) else {
                continue;
            };
            if *t != s {
                continue;
            }
            cx.report(Finding::new(
                r.range,
                format!(
                    "`{}` is the stage this instruction is in: a stage can not copy from itself",
                    r.value
                ),
            ));
        }
    }
}
