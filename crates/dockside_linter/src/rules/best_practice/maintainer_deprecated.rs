use dockside_syntax::Keyword;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix, Tag};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags the `MAINTAINER` instruction.
    ///
    /// ## Why is this bad?
    /// `MAINTAINER` is deprecated: the value does not appear in the image's
    /// labels, where tools (registries, scanners, `docker inspect`) look for it.
    /// The standard place is the `org.opencontainers.image.authors` label.
    ///
    /// ## Example
    /// ```dockerfile
    /// MAINTAINER dev@example.com
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// LABEL org.opencontainers.image.authors="dev@example.com"
    /// ```
    ///
    /// ## Fix safety
    /// The fix is safe: it replaces the instruction with the equivalent label.
    pub struct MaintainerDeprecated {
        name: "maintainer-deprecated",
        code: "DF503",
        group: "best-practice",
        severity: Warning,
        aliases: ["DL4000", "MaintainerDeprecated"],
        fix: Always,
        summary: "MAINTAINER is deprecated; use a LABEL",
    }
}

impl Rule for MaintainerDeprecated {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (_, inst, _) in cx.instructions() {
            if inst.keyword != Keyword::Maintainer {
                continue;
            }
            let value = inst
                .args
                .as_str()
                .replace('\\', "\\\\")
                .replace('"', "\\\"");
            let replacement = format!("LABEL org.opencontainers.image.authors=\"{value}\"");
            cx.report(
                Finding::new(
                    inst.keyword_range,
                    "MAINTAINER is deprecated; use `LABEL org.opencontainers.image.authors=…`",
                )
                .with_tag(Tag::Deprecated)
                .with_fix(Fix::safe(
                    "Replace with a LABEL",
                    vec![Edit::replace(inst.range, replacement)],
                )),
            );
        }
    }
}
