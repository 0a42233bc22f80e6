use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{OptionKind, OptionSpec, Rule, RuleMeta};

use super::{is_root, user_before};

declare_rule! {
    /// ## What it does
    /// Reports a final image that runs as root because the last `USER` of the
    /// final stage (or of the stages it is built `FROM`) is `root` or `0`.
    ///
    /// Only the final stage counts: `USER root` in a build stage whose files
    /// are copied out never runs in a container, a frequent false positive of
    /// other linters. An image without any `USER` is not reported by default
    /// (many base images already switch to a non-root user, and some
    /// services must start as root to drop privileges themselves); set the
    /// `require-user` option to report it too.
    ///
    /// ## Why is this bad?
    /// A process running as root in the container is root on the host's
    /// kernel: a container escape or a mounted host path gives full control.
    /// Most orchestrators can refuse root containers (`runAsNonRoot`).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-alpine
    /// USER root
    /// RUN npm ci
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-alpine
    /// USER root
    /// RUN npm ci
    /// USER node
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Options
    /// - `require-user` (default `false`): also report a final stage with no
    ///   `USER` instruction at all.
    pub struct RootUser {
        name: "root-user",
        code: "DF711",
        group: "user",
        severity: Warning,
        aliases: ["DL3002", "DS-0002", "CKV_DOCKER_8"],
        fix: None,
        summary: "The final image runs as root",
        options: [OptionSpec {
            key: "require-user",
            kind: OptionKind::Bool,
            help: "Also report a final stage without any USER instruction",
        }],
    }
}

impl Rule for RootUser {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let Some(stage) = cx.model.final_stage() else {
            return;
        };
        match user_before(cx, stage.index, stage.end) {
            Some((_, range, Some(user))) if is_root(&user) => {
                cx.report(Finding::new(
                    range,
                    "the last USER of the final stage is root, so containers run as root; switch to an unprivileged \
                     user (`USER app`) after the steps that need root",
                ));
            }
            None if cx.option_bool("require-user") == Some(true) => {
                let from = &cx.dockerfile.instructions[stage.from];
                cx.report(Finding::new(
                    from.keyword_range,
                    "the final stage never sets USER: containers run as the base image's user, usually root; add \
                     `USER <name>` before CMD",
                ));
            }
            _ => {}
        }
    }
}
