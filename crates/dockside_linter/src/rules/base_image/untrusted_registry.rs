use dockside_semantic::{Base, ImageRef, parse_image_ref};
use dockside_syntax::TextRange;

use crate::analysis::stages::{RefKind, Target, looks_like_image, references};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{OptionKind, OptionSpec, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags images pulled from a registry that is not in the allowlist: base
    /// images in `FROM`, and images named by `COPY --from=` or
    /// `RUN --mount=from=`. Off by default.
    ///
    /// ## Why is this bad?
    /// Organisations often require every image to come from a registry they
    /// mirror and scan. An image from anywhere else bypasses that control and can
    /// disappear or change under the build.
    ///
    /// ## Example
    /// With `trusted-registries = ["registry.example.com"]`:
    /// ```dockerfile
    /// FROM quay.io/prometheus/busybox:latest
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM registry.example.com/mirror/busybox:1.36
    /// ```
    ///
    /// ## Options
    /// - `trusted-registries`: allowed registry hosts (`docker.io` for Docker
    ///   Hub, `ghcr.io`, `*.example.com` for any subdomain), or a registry with a
    ///   path prefix (`ghcr.io/my-org`). When the option is not set, only Docker
    ///   Hub is trusted. hadolint's `trustedRegistries` is read as this option.
    pub struct UntrustedRegistry {
        name: "untrusted-registry",
        code: "DF603",
        group: "base-image",
        severity: Error,
        aliases: ["DL3026"],
        fix: None,
        summary: "Image from a registry outside the configured allowlist",
        options: [OptionSpec {
            key: "trusted-registries",
            kind: OptionKind::StringList,
            help: "Allowed registries (`docker.io`, `*.example.com`, `ghcr.io/my-org`)",
        }],
        opt_in: true,
    }
}

fn trusted(image: &ImageRef, allow: &[String]) -> bool {
    let registry = image.registry_or_default().to_ascii_lowercase();
    let hub = matches!(
        registry.as_str(),
        "docker.io" | "index.docker.io" | "registry-1.docker.io" | "hub.docker.com"
    );
    let full = format!("{registry}/{}", image.full_repository());
    allow.iter().any(|entry| {
        let entry = entry.trim().trim_end_matches('/').to_ascii_lowercase();
        if entry.is_empty() {
            return false;
        }
        if let Some(suffix) = entry.strip_prefix("*.") {
            return registry.ends_with(&format!(".{suffix}"));
        }
        if entry == "docker.io" || entry == "hub.docker.com" || entry == "index.docker.io" {
            return hub;
        }
        entry == registry || full.starts_with(&format!("{entry}/"))
    })
}

impl Rule for UntrustedRegistry {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let mut allow = cx.option_list("trusted-registries");
        if allow.is_empty() {
            allow.push("docker.io".to_string());
        }
        let mut images: Vec<(ImageRef, TextRange)> = Vec::new();
        for stage in &cx.model.stages {
            if let Base::Image(image) = &stage.base {
                images.push((image.clone(), stage.image_range));
            }
        }
        for r in references(cx.dockerfile, cx.model) {
            if r.kind == RefKind::From {
                continue;
            }
            if let Target::External(value) = &r.target
                && looks_like_image(value)
                && let Ok(image) = parse_image_ref(value)
            {
                images.push((image, r.range));
            }
        }
        for (image, range) in images {
            if trusted(&image, &allow) {
                continue;
            }
            cx.report(Finding::new(
                range,
                format!(
                    "`{image}` comes from `{}`, which is not a trusted registry ({})",
                    image.registry_or_default(),
                    allow.join(", ")
                ),
            ));
        }
    }
}
