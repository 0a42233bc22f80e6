use std::collections::HashMap;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{Rule, RuleMeta};
use crate::rules::labels::labels;

declare_rule! {
    /// ## What it does
    /// Reports a label key set twice in the same stage: the later value silently replaces
    /// the earlier one. Setting a key again in a stage built on another (`FROM base AS
    /// final`) to override it is not reported.
    ///
    /// ## Why is this bad?
    /// Only the last value reaches the image; the first one is dead metadata that readers
    /// believe, and usually a copy-paste slip (two `version` labels that disagree).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL version="1.0.0"
    /// LABEL description="app" version="1.1.0"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL description="app" version="1.1.0"
    /// ```
    pub struct DuplicateLabel {
        name: "duplicate-label",
        code: "DF564",
        group: "labels",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "The same label key is set twice in one stage",
    }
}

impl Rule for DuplicateLabel {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let mut seen = HashMap::new();
        for label in labels(cx) {
            if !label.key_complete {
                continue;
            }
            if let Some(first) = seen.insert((label.stage, label.key.clone()), label.key_range) {
                cx.report(
                    Finding::new(
                        label.key_range,
                        format!(
                            "label `{}` is already set in this stage; the earlier value is overridden, remove one",
                            label.key
                        ),
                    )
                    .with_related(FileId::MAIN, first, "first set here"),
                );
            }
        }
    }
}
