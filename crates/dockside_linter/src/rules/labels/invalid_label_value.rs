use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};
use crate::rules::labels::{labels, values};

declare_rule! {
    /// ## What it does
    /// With a label schema in the configuration, checks the value of each label the schema
    /// types: not empty, and a valid `url` (absolute URL), `semver` (Semantic Versioning
    /// 2.0.0, no `v` prefix), `rfc3339` (timestamp with a time zone), `spdx` (license
    /// expression syntax), `hash` (full git commit hash) or `email`. `text` accepts any
    /// non-empty value. Values that depend on a build argument without a default are
    /// skipped: they are only known at build time.
    ///
    /// ## Why is this bad?
    /// Tools read these labels to link an image to its source, release and license; a
    /// malformed value breaks that link as surely as a missing one.
    ///
    /// ## Example
    /// With `label-schema = { "org.opencontainers.image.source" = "url", version = "semver" }`:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="github.com/acme/app" version="v1.2"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="https://github.com/acme/app" version="1.2.0"
    /// ```
    pub struct InvalidLabelValue {
        name: "invalid-label-value",
        code: "DF562",
        group: "labels",
        severity: Warning,
        aliases: ["DL3051", "DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3058"],
        fix: None,
        summary: "A label's value does not match its type in the label schema",
    }
}

impl Rule for InvalidLabelValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let schema = &cx.config.label_schema;
        if schema.is_empty() {
            return;
        }
        for label in labels(cx) {
            let (Some(kind), Some(value)) = (schema.get(&label.key), &label.value) else {
                continue;
            };
            let message = if value.trim().is_empty() {
                format!("label `{}` is empty; give it a value", label.key)
            } else if let Some(expected) = values::problem(kind, value) {
                format!(
                    "label `{}` must be {expected} (schema type `{kind}`), not `{value}`",
                    label.key
                )
            } else {
                continue;
            };
            cx.report(Finding::new(label.value_range, message));
        }
    }
}
