use super::shown_path;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a service whose local build context folder does not exist, or
    /// whose Dockerfile is missing: `build.dockerfile` resolved against the
    /// context, `Dockerfile` when not set. Remote contexts (Git and HTTP URLs)
    /// and `dockerfile_inline` are not checked.
    ///
    /// ## Why is this bad?
    /// `docker compose build` (and `up` for a service without an image) fails
    /// with `unable to prepare context` or `failed to read dockerfile`. A path
    /// written from the wrong folder is the usual cause: `dockerfile` is
    /// relative to the context, not to the Compose file.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     build:
    ///       context: ./api
    ///       dockerfile: ./api/Dockerfile.prod
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   api:
    ///     build:
    ///       context: ./api
    ///       dockerfile: Dockerfile.prod
    /// ```
    pub struct MissingBuildFile {
        name: "missing-build-file",
        code: "DC209",
        group: "compose-resources",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "A build context folder or Dockerfile that does not exist",
        target: Compose,
    }
}

impl Rule for MissingBuildFile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            let Some(build) = cx.build(&service) else {
                continue;
            };
            if build.remote || build.context.to_string_lossy().contains('$') {
                continue;
            }
            if !cx.exists(&build.context) {
                let node = build.context_node.unwrap_or(build.node);
                let written = node.scalar_text().unwrap_or(".");
                cx.report(cx.finding(
                    node,
                    format!(
                        "the build context `{written}` of `{}` does not exist (looked for `{}`)",
                        service.name,
                        shown_path(cx.project, &build.context)
                    ),
                ));
                continue;
            }
            if build.inline.is_some() || build.dockerfile.to_string_lossy().contains('$') {
                continue;
            }
            if !cx.exists(&build.dockerfile) {
                let node = build
                    .dockerfile_node
                    .or(build.context_node)
                    .unwrap_or(build.node);
                let shown = shown_path(cx.project, &build.dockerfile);
                let message = match build.dockerfile_node.and_then(|n| n.scalar_text()) {
                    Some(written) => format!(
                        "the Dockerfile `{written}` of `{}` does not exist (looked for `{shown}`; `dockerfile` is relative to the build context)",
                        service.name
                    ),
                    None => format!(
                        "`{}` builds from `{shown}`, which does not exist (set `build.dockerfile` if it has another name)",
                        service.name
                    ),
                };
                cx.report(cx.finding(node, message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::findings;

    #[test]
    fn missing_contexts_and_dockerfiles() {
        let found = findings(
            "missing-build-file",
            &[
                (
                    "app/compose.yaml",
                    "services:\n  a:\n    build: ./nope\n  b:\n    build:\n      context: ./api\n      dockerfile: ./api/Dockerfile\n  c:\n    build: ./web\n  d:\n    build:\n      context: ./api\n  e:\n    build: https://github.com/docker/buildx.git\n  f:\n    build:\n      context: .\n      dockerfile_inline: FROM alpine:3.20\n",
                ),
                ("app/api/Dockerfile", "FROM alpine:3.20\n"),
                ("app/web/.keep", ""),
            ],
        );
        assert_eq!(
            found,
            [
                "3:12 the build context `./nope` of `a` does not exist (looked for `app/nope`)",
                "7:19 the Dockerfile `./api/Dockerfile` of `b` does not exist (looked for `app/api/api/Dockerfile`; `dockerfile` is relative to the build context)",
                "9:12 `c` builds from `app/web/Dockerfile`, which does not exist (set `build.dockerfile` if it has another name)",
            ]
        );
    }
}
