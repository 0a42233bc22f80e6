use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags stages named `scratch` or `context`.
    ///
    /// ## Why is this bad?
    /// Both names already mean something: `scratch` is the empty image and
    /// `context` the build context (`COPY --from=context`). A stage with one of
    /// these names is confusing at best, and references to it do not do what
    /// they seem to.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20 AS scratch
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20 AS base
    /// ```
    pub struct ReservedStageName {
        name: "reserved-stage-name",
        code: "DF621",
        group: "stages",
        severity: Warning,
        aliases: ["DL3063", "ReservedStageName"],
        fix: None,
        summary: "Stage named `scratch` or `context`, which are reserved",
    }
}

impl Rule for ReservedStageName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for stage in &cx.model.stages {
            let (Some(name), Some(range)) = (&stage.name, stage.name_range) else {
                continue;
            };
            let lower = name.to_ascii_lowercase();
            if lower != "scratch" && lower != "context" {
                continue;
            }
            cx.report(Finding::new(
                range,
                format!(
                    "`{name}` is a reserved name and can not name a stage: choose another name"
                ),
            ));
        }
    }
}
