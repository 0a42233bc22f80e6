use dockside_semantic::Base;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a `FROM` whose image is not pinned by digest (`@sha256:…`),
    /// after global `ARG` defaults are substituted (`ARG BASE=python:3.12` /
    /// `FROM ${BASE}` is checked as `python:3.12`). Stage names, `scratch` and
    /// images that are only known at build time (`FROM ${BASE}` with no
    /// default) are not reported. Off by default.
    ///
    /// ## Why is this bad?
    /// A tag is a movable name: `python:3.12-slim` points to a new image with
    /// every patch release and every rebuild of the distribution underneath,
    /// and whoever controls the registry (or its mirror) can point it anywhere.
    /// The same Dockerfile then builds different images, and a build cannot be
    /// reproduced or audited. A digest names exactly one image.
    ///
    /// Pinning has a cost: the image no longer picks up security fixes until the
    /// digest is updated, so pair it with a bot that updates digests
    /// (Renovate, Dependabot). There is no automatic fix: the digest has to
    /// be looked up in the registry, and dockside never goes to the network
    /// (`docker buildx imagetools inspect python:3.12-slim` prints it).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim@sha256:<digest>
    /// ```
    pub struct BaseImageNotDigestPinned {
        name: "base-image-not-digest-pinned",
        code: "DF609",
        group: "base-image",
        severity: Info,
        aliases: ["dockerfile-source-not-pinned"],
        fix: None,
        summary: "Base image not pinned by digest: the tag can move to another image",
        opt_in: true,
    }
}

impl Rule for BaseImageNotDigestPinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for stage in &cx.model.stages {
            let Base::Image(image) = &stage.base else {
                continue;
            };
            if image.digest.is_some() || !stage.image_complete {
                continue;
            }
            cx.report(Finding::new(
                stage.image_range,
                format!(
                    "`{}` is not pinned by digest, so the same Dockerfile can build on a different image tomorrow: \
                     append the digest (`{}@sha256:…`, shown by `docker buildx imagetools inspect`)",
                    stage.image, stage.image
                ),
            ));
        }
    }
}
