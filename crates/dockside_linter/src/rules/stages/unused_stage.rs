use crate::analysis::stages::{needed_stages, references};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags stages that the final stage does not need: it neither builds on
    /// them (`FROM stage`) nor copies or mounts from them, directly or through
    /// other stages.
    ///
    /// ## Why is this bad?
    /// BuildKit skips such stages in a plain `docker build`, so their steps never
    /// run: a test or lint stage that is never built gives false confidence, and
    /// leftover stages make the file harder to read. Stages meant to be built with
    /// `docker build --target` are fine; this rule is informational.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22 AS build
    /// RUN npm ci && npm run build
    /// FROM build AS test
    /// RUN npm test
    /// FROM nginx:1.27
    /// COPY --from=build /app/dist /usr/share/nginx/html
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22 AS build
    /// RUN npm ci && npm run build && npm test
    /// FROM nginx:1.27
    /// COPY --from=build /app/dist /usr/share/nginx/html
    /// ```
    pub struct UnusedStage {
        name: "unused-stage",
        code: "DF626",
        group: "stages",
        severity: Info,
        aliases: [],
        fix: None,
        summary: "Stage the final stage does not use: skipped unless built with --target",
    }
}

impl Rule for UnusedStage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let Some(last) = cx.model.final_stage() else {
            return;
        };
        let refs = references(cx.dockerfile, cx.model);
        // A reference only known at build time (`--from=$STAGE`) could use any stage.
        if refs
            .iter()
            .any(|r| r.target == crate::analysis::stages::Target::Unknown)
        {
            return;
        }
        let needed = needed_stages(cx.model, &refs, last.index);
        for stage in &cx.model.stages {
            if needed[stage.index] {
                continue;
            }
            let label = match &stage.name {
                Some(n) => format!("stage `{n}`"),
                None => format!("stage {}", stage.index),
            };
            let range = stage.name_range.unwrap_or(stage.image_range);
            cx.report(Finding::new(
                range,
                format!(
                    "{label} is not used by the final stage, so a plain `docker build` skips it: remove it, or build it with `--target`"
                ),
            ));
        }
    }
}
