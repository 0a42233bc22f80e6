use dockside_semantic::Base;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` whose image has neither a tag nor a digest, after global
    /// `ARG` defaults are substituted (`ARG TAG=3.12` / `FROM python:${TAG}` is
    /// tagged). Stage names, `scratch` and images that are only known at build
    /// time (`FROM ${BASE}` with no default) are not flagged.
    ///
    /// ## Why is this bad?
    /// Without a tag Docker uses `latest`, which moves: the same Dockerfile
    /// builds a different image next month, with a new major version of the
    /// language or distribution, and builds stop being reproducible.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// ```
    pub struct UntaggedBaseImage {
        name: "untagged-base-image",
        code: "DF601",
        group: "base-image",
        severity: Warning,
        aliases: ["DL3006"],
        fix: None,
        summary: "Base image without a tag or digest: it floats with `latest`",
    }
}

impl Rule for UntaggedBaseImage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for stage in &cx.model.stages {
            let Base::Image(image) = &stage.base else {
                continue;
            };
            if image.tag.is_some() || image.digest.is_some() || !stage.image_complete {
                continue;
            }
            cx.report(Finding::new(
                stage.image_range,
                format!(
                    "`{}` has no tag, so it builds on whatever `latest` is today: pin a version such as `{}:<version>`",
                    stage.image, stage.image
                ),
            ));
        }
    }
}
