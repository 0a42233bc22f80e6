use std::collections::HashMap;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a stage name (`FROM … AS name`) already used by an earlier stage.
    /// Names are compared case-insensitively, as BuildKit does.
    ///
    /// ## Why is this bad?
    /// BuildKit refuses the Dockerfile: references such as `COPY --from=build`
    /// or `--target build` would be ambiguous.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22 AS build
    /// FROM golang:1.23 AS build
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22 AS build-web
    /// FROM golang:1.23 AS build-api
    /// ```
    pub struct DuplicateStageName {
        name: "duplicate-stage-name",
        code: "DF620",
        group: "stages",
        severity: Error,
        aliases: ["DL3024", "DuplicateStageName"],
        fix: None,
        summary: "Two stages with the same name",
    }
}

impl Rule for DuplicateStageName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let stages = &cx.model.stages;
        // The first stage of each name (lowercased).
        let mut first_named: HashMap<String, usize> = HashMap::new();
        for (i, stage) in stages.iter().enumerate() {
            let Some(name) = &stage.name else { continue };
            let first = *first_named.entry(name.to_ascii_lowercase()).or_insert(i);
            let Some(range) = stage.name_range else {
                continue;
            };
            if first == i {
                continue;
            }
            let first = &stages[first];
            let mut finding = Finding::new(
                range,
                format!(
                    "stage name `{name}` is already used by an earlier stage: give each stage a unique name"
                ),
            );
            if let Some(first_range) = first.name_range {
                finding = finding.with_related(FileId::MAIN, first_range, "first defined here");
            }
            cx.report(finding);
        }
    }
}
