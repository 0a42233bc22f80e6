use dockside_syntax::{Body, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER`.
    ///
    /// ## Why is this bad?
    /// These triggers are not allowed: the build fails with
    /// "isn't allowed as an ONBUILD trigger". A trigger runs in the build of a
    /// child image, which already has its own `FROM`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22
    /// ONBUILD FROM node:22-slim
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22
    /// ONBUILD COPY package*.json ./
    /// ONBUILD RUN npm ci
    /// ```
    pub struct InvalidOnbuildTrigger {
        name: "invalid-onbuild-trigger",
        code: "DF008",
        group: "syntax",
        severity: Error,
        aliases: ["DL3043"],
        fix: None,
        summary: "ONBUILD with ONBUILD, FROM or MAINTAINER as its trigger",
    }
}

impl Rule for InvalidOnbuildTrigger {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for inst in &cx.dockerfile.instructions {
            let Body::Onbuild(Some(inner)) = &inst.body else {
                continue;
            };
            let message = match inner.keyword {
                Keyword::Onbuild => {
                    "chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".to_string()
                }
                Keyword::From | Keyword::Maintainer => format!(
                    "{} isn't allowed as an ONBUILD trigger",
                    inner.keyword.as_str()
                ),
                _ => continue,
            };
            cx.report(Finding::new(inner.keyword_range, message));
        }
    }
}
