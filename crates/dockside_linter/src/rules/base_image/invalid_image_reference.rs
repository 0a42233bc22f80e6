use dockside_semantic::{Base, Lookup, parse_image_ref};
use dockside_syntax::Body;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` image that is not a valid image reference once global
    /// `ARG` defaults are substituted: upper-case letters in the repository, an
    /// empty or invalid tag (`python:`, `node:22 alpine`), a malformed digest.
    ///
    /// ## Why is this bad?
    /// The build fails with "invalid reference format" before anything runs.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM Ubuntu:24.04
    /// FROM python:3.12@sha256:abc
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// FROM python:3.12@sha256:<64 hex digits>
    /// ```
    pub struct InvalidImageReference {
        name: "invalid-image-reference",
        code: "DF608",
        group: "base-image",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "FROM image that is not a valid image reference",
    }
}

impl Rule for InvalidImageReference {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for stage in &cx.model.stages {
            if !stage.image_complete || !matches!(stage.base, Base::Unresolved(_)) {
                continue;
            }
            // An undefined variable expanding to nothing is undefined-arg-in-from's finding.
            let Body::From(from) = &cx.dockerfile.instructions[stage.from].body else {
                continue;
            };
            let Some(word) = &from.image else { continue };
            if cx
                .model
                .expand(stage.from, &word.value)
                .references
                .iter()
                .any(|r| r.lookup == Lookup::Undefined && !r.has_default)
            {
                continue;
            }
            let message = match parse_image_ref(&stage.image) {
                Ok(_) => continue,
                Err(_) if stage.image.is_empty() => {
                    "the image name is empty: BuildKit can not pull it".to_string()
                }
                Err(_) if stage.image.ends_with(':') => format!(
                    "`{}` is not a valid image reference: the tag after `:` is empty",
                    stage.image
                ),
                Err(err) => format!("`{}` is not a valid image reference: {err}", stage.image),
            };
            cx.report(Finding::new(stage.image_range, message));
        }
    }
}
