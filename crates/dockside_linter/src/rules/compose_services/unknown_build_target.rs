use dockside_syntax::TextRange;

use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

use super::undeclared_build_arg::built_dockerfile;

declare_rule! {
    /// ## What it does
    /// Reports a service's `build.target` that names no stage of the Dockerfile
    /// it builds (`FROM … AS <name>`), and suggests the closest stage name.
    /// The Dockerfile is read from the build context (or from
    /// `dockerfile_inline`); when it cannot be read, nothing is reported
    /// (`missing-build-file` reports a missing one).
    ///
    /// ## Why is this bad?
    /// The build fails with "target stage … could not be found", but only when
    /// the image is built — which may be on another machine, long after the
    /// typo was committed.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     build:
    ///       context: .
    ///       target: prod
    /// ```
    /// with a Dockerfile whose stages are `builder` and `production`.
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     build:
    ///       context: .
    ///       target: production
    /// ```
    pub struct UnknownBuildTarget {
        name: "unknown-build-target",
        code: "DC111",
        group: "compose-services",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "`build.target` is not a stage of the Dockerfile",
        target: Compose,
    }
}

impl Rule for UnknownBuildTarget {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            let Some(build) = cx.build(&service) else {
                continue;
            };
            let Some(target_node) = build.target else {
                continue;
            };
            let Some(target) = target_node.scalar_text().filter(|t| !t.is_empty()) else {
                continue;
            };
            if target.contains('$') {
                continue;
            }
            let Some(df) = built_dockerfile(cx, &build) else {
                continue;
            };
            if df.model.stage_by_name(target).is_some() {
                continue;
            }
            let names: Vec<&str> = df
                .model
                .stages
                .iter()
                .filter_map(|s| s.name.as_deref())
                .collect();
            let known = if names.is_empty() {
                "it has no named stage (`FROM … AS <name>`)".to_string()
            } else {
                format!(
                    "its stages are {}",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let lower = target.to_ascii_lowercase();
            let closest =
                dockside_config::did_you_mean(target, names.iter().copied()).or_else(|| {
                    names.iter().copied().find(|n| {
                        let n = n.to_ascii_lowercase();
                        n.starts_with(&lower) || lower.starts_with(&n)
                    })
                });
            let hint = closest
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            let mut finding = cx.finding(
                target_node,
                format!("`{target}` is not a stage of {}: {known}{hint}", df.shown),
            );
            if let (Some(file), Some(closest)) = (df.file, closest)
                && let Some(stage) = df.model.stage_by_name(closest)
            {
                let range: TextRange = stage.name_range.unwrap_or(stage.image_range);
                finding = finding.with_related(file, range, "the closest stage name");
            }
            cx.report(finding);
        }
    }
}
