use dockside_compose::interpolate;
use dockside_compose::yaml::Node;
use dockside_semantic::parse_image_ref;

use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a service `image:` without a tag (`postgres`) or with the
    /// `latest` tag (`nginx:latest`). A digest (`nginx@sha256:…`, with or
    /// without a tag) pins the image and is fine; a registry port
    /// (`registry:5000/app`) is not a tag.
    ///
    /// The image is judged after interpolation (`nginx:${NGINX_VERSION:-1.27}`
    /// is `nginx:1.27`); when a variable it uses is not set, the image is not
    /// judged (`undefined-variable` reports the variable). A service that also
    /// has `build:` is skipped: its `image:` names the image Compose builds.
    ///
    /// ## Why is this bad?
    /// Without a tag Docker pulls `latest`, which moves whenever the publisher
    /// pushes a new release: the same Compose file starts a different major
    /// version of PostgreSQL or nginx on another machine or after
    /// `docker compose pull`, and a database may refuse to start on data
    /// written by the previous major version. A pinned tag makes upgrades a
    /// visible change.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:latest
    ///   db:
    ///     image: postgres
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///   db:
    ///     image: postgres:16
    /// ```
    pub struct ImageTag {
        name: "image-tag",
        code: "DC103",
        group: "compose-services",
        severity: Warning,
        aliases: ["service-image-require-explicit-tag"],
        fix: None,
        summary: "Service image without a tag or with `latest`",
        target: Compose,
    }
}

impl Rule for ImageTag {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            if service.get("build").is_some() {
                continue;
            }
            let Some(node) = service.get("image") else {
                continue;
            };
            let Some(text) = node.as_str() else { continue };
            if uses_unset_variable(cx, node) {
                continue;
            }
            let Ok(image) = parse_image_ref(text.trim()) else {
                continue;
            };
            if image.digest.is_some() {
                continue;
            }
            let name = image.short_name();
            let message = match image.tag.as_deref() {
                None => format!(
                    "`{text}` has no tag, so Docker pulls `{text}:latest`, whatever release that is today; pin a version tag (`{name}:<version>`) or a digest"
                ),
                Some("latest") => format!(
                    "`{text}` follows the `latest` tag, which moves with every release; pin a version tag (`{name}:<version>`) or a digest"
                ),
                Some(_) => continue,
            };
            cx.report(cx.finding(node, message));
        }
    }
}

/// The value as written refers to a variable that is not set (its value is not known).
pub(crate) fn uses_unset_variable(cx: &ComposeChecker, node: &Node) -> bool {
    interpolate::references(cx.project.written(node))
        .iter()
        .any(|r| !r.has_default && cx.project.variable(&r.name).is_none())
}
