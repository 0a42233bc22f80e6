use crate::analysis::stages::{Target, references};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags stage names with upper-case letters (`FROM node:22 AS Build`).
    ///
    /// ## Why is this bad?
    /// Stage names are case-insensitive, so `Build`, `build` and `BUILD` are
    /// the same stage: mixed spellings make references hard to follow. BuildKit
    /// warns and recommends lower case.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22 AS Build
    /// FROM nginx:1.27
    /// COPY --from=Build /app/dist /usr/share/nginx/html
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22 AS build
    /// FROM nginx:1.27
    /// COPY --from=build /app/dist /usr/share/nginx/html
    /// ```
    ///
    /// ## Fix safety
    /// The fix lower-cases the name and every reference written literally
    /// (`FROM`, `COPY --from=`, `--mount=from=`). Stage names are
    /// case-insensitive, so the build is the same, but `docker build --target`
    /// arguments in scripts keep working only because of that: safe.
    pub struct StageNameCasing {
        name: "stage-name-casing",
        code: "DF622",
        group: "stages",
        severity: Warning,
        aliases: ["StageNameCasing"],
        fix: Always,
        summary: "Stage name with upper-case letters",
    }
}

impl Rule for StageNameCasing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let refs = references(cx.dockerfile, cx.model);
        for stage in &cx.model.stages {
            let (Some(name), Some(range)) = (&stage.name, stage.name_range) else {
                continue;
            };
            if !name.chars().any(|c| c.is_ascii_uppercase()) {
                continue;
            }
            // A later stage with the same name is duplicate-stage-name's finding.
            if cx.model.stage_by_name(name).map(|s| s.index) != Some(stage.index) {
                continue;
            }
            let lower = name.to_ascii_lowercase();
            let mut edits = vec![Edit::replace(range, lower.clone())];
            for r in &refs {
                if r.target == Target::Stage(stage.index)
                    && r.value.eq_ignore_ascii_case(name)
                    && cx.text(r.range) == r.value
                    && r.value != lower
                {
                    edits.push(Edit::replace(r.range, lower.clone()));
                }
            }
            cx.report(
                Finding::new(
                    range,
                    format!("stage name `{name}` should be lower case: `{lower}`"),
                )
                .with_fix(Fix::safe(format!("Rename the stage `{lower}`"), edits)),
            );
        }
    }
}
