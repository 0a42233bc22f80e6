use std::collections::BTreeSet;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};
use crate::rules::labels::labels;

declare_rule! {
    /// ## What it does
    /// With a label schema in the configuration (`[label-schema]` in `.dockside.toml`,
    /// `label-schema` in `.hadolint.yaml`), reports the labels of the schema that the
    /// final image does not set. Labels set in a stage the final stage builds on
    /// (`FROM builder AS final`) count; build stages are not judged, since their labels
    /// never reach the shipped image. Without a schema the rule does nothing.
    ///
    /// ## Why is this bad?
    /// Teams use labels (`org.opencontainers.image.source`, `maintainer`, a version) to
    /// trace an image back to its code, owner and release. An image without them cannot
    /// be audited or cleaned up by tooling that relies on the schema.
    ///
    /// ## Example
    /// With `label-schema = { maintainer = "email" }`:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// CMD ["sh"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="team@example.com"
    /// CMD ["sh"]
    /// ```
    pub struct MissingLabel {
        name: "missing-label",
        code: "DF560",
        group: "labels",
        severity: Warning,
        aliases: ["DL3049"],
        fix: None,
        summary: "A label required by the label schema is missing from the final image",
    }
}

impl Rule for MissingLabel {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let schema = &cx.config.label_schema;
        if schema.is_empty() {
            return;
        }
        let Some(last) = cx.model.stages.len().checked_sub(1) else {
            return;
        };
        let ancestry = cx.model.stage_ancestry(last);
        let all = labels(cx);
        if all.iter().any(|l| !l.key_complete) {
            return; // a key only known at build time may be the missing one
        }
        let set: BTreeSet<&str> = all
            .iter()
            .filter(|l| l.stage.is_some_and(|s| ancestry.contains(&s)))
            .map(|l| l.key.as_str())
            .collect();
        let stage = &cx.model.stages[last];
        for label in schema.keys().filter(|k| !set.contains(k.as_str())) {
            cx.report(Finding::new(
                stage.image_range,
                format!("the final image has no label `{label}`, required by the label schema; add `LABEL {label}=…`"),
            ));
        }
    }
}
