use dockside_semantic::Base;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` that uses the `latest` tag (after `ARG` defaults are
    /// substituted), unless a digest pins the image (`image:latest@sha256:…`).
    ///
    /// ## Why is this bad?
    /// `latest` is just the tag pushed most recently: it changes without notice,
    /// so rebuilding the same Dockerfile gives a different image and a new major
    /// version can break the build or the application.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:latest
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-bookworm-slim
    /// ```
    pub struct LatestTag {
        name: "latest-tag",
        code: "DF602",
        group: "base-image",
        severity: Warning,
        aliases: ["DL3007"],
        fix: None,
        summary: "Base image pinned to the moving `latest` tag",
    }
}

impl Rule for LatestTag {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for stage in &cx.model.stages {
            let Base::Image(image) = &stage.base else {
                continue;
            };
            if image.tag.as_deref() != Some("latest") || image.digest.is_some() {
                continue;
            }
            cx.report(Finding::new(
                stage.image_range,
                format!(
                    "`{}` uses the `latest` tag, which changes without notice: pin a version or a digest",
                    stage.image
                ),
            ));
        }
    }
}
