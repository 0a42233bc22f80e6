use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};
use crate::rules::labels::labels;

declare_rule! {
    /// ## What it does
    /// With a label schema and `strict-labels = true` in the configuration (hadolint's
    /// `strict-labels`), reports labels that the schema does not list. Without both the
    /// rule does nothing.
    ///
    /// ## Why is this bad?
    /// A strict schema keeps image metadata uniform across a team's images: a misspelt key
    /// (`org.opencontainers.image.sources`) or an ad-hoc one is metadata tools will not
    /// find.
    ///
    /// ## Example
    /// With `label-schema = { maintainer = "email" }` and `strict-labels = true`:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="team@example.com" owner="team"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="team@example.com"
    /// ```
    pub struct SuperfluousLabel {
        name: "superfluous-label",
        code: "DF561",
        group: "labels",
        severity: Warning,
        aliases: ["DL3050"],
        fix: None,
        summary: "A label not in the label schema (with `strict-labels`)",
    }
}

impl Rule for SuperfluousLabel {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let schema = &cx.config.label_schema;
        if schema.is_empty() || !cx.config.strict_labels {
            return;
        }
        for label in labels(cx) {
            if label.key_complete && !schema.contains_key(&label.key) {
                cx.report(Finding::new(
                    label.key_range,
                    format!(
                        "label `{}` is not in the label schema (strict-labels); remove it or add it to the schema",
                        label.key
                    ),
                ));
            }
        }
    }
}
