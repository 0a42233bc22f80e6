use dockside_semantic::{Lookup, PREDEFINED_ARGS, parse_image_ref};
use dockside_syntax::Body;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` whose image, built from global `ARG`s, is empty or invalid
    /// when those ARGs keep their defaults: `ARG TAG` without a default and
    /// `FROM alpine:${TAG}` gives `alpine:`.
    ///
    /// ## Why is this bad?
    /// A plain `docker build` without `--build-arg` fails with "invalid reference
    /// format". Giving the ARG a working default keeps the Dockerfile buildable
    /// and documents the expected value.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG VERSION
    /// FROM node:${VERSION}-alpine
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ARG VERSION=22
    /// FROM node:${VERSION}-alpine
    /// ```
    pub struct InvalidDefaultArgInFrom {
        name: "invalid-default-arg-in-from",
        code: "DF607",
        group: "base-image",
        severity: Warning,
        aliases: ["InvalidDefaultArgInFrom"],
        fix: None,
        summary: "FROM gives an empty or invalid image when its ARGs keep their defaults",
    }
}

impl Rule for InvalidDefaultArgInFrom {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for stage in &cx.model.stages {
            if stage.image_complete {
                continue;
            }
            let i = stage.from;
            let Body::From(from) = &cx.dockerfile.instructions[i].body else {
                continue;
            };
            let Some(word) = &from.image else { continue };
            let scope = cx.model.instructions[i].scope;
            // Declared ARGs without a default become empty; anything else
            // (predefined platform ARGs, undefined names) is left to other rules.
            let mut judged = true;
            let mut empty_args: Vec<String> = Vec::new();
            let e = dockside_semantic::expand::expand(&word.value, cx.dockerfile.escape, &|name| {
                match cx.model.lookup(scope, name) {
                    Some(b) => match &b.value {
                        Some(v) => Lookup::Value(v.to_string()),
                        None => Lookup::Value(String::new()),
                    },
                    None => Lookup::Undefined,
                }
            });
            for r in &e.references {
                match cx.model.lookup(scope, &r.name) {
                    Some(b) if b.value.is_none() => {
                        if !r.has_default && !empty_args.contains(&r.name) {
                            empty_args.push(r.name.clone());
                        }
                    }
                    Some(_) => {}
                    None => judged = false,
                }
                if PREDEFINED_ARGS.contains(&r.name.as_str()) {
                    judged = false;
                }
            }
            if !judged || empty_args.is_empty() {
                continue;
            }
            let value = e.value;
            if cx.model.stage_by_name(&value).is_some() || value.eq_ignore_ascii_case("scratch") {
                continue;
            }
            let problem = match parse_image_ref(&value) {
                Ok(_) => continue,
                Err(_) if value.is_empty() => "an empty image name".to_string(),
                Err(err) => format!("`{value}` ({err})"),
            };
            let names = empty_args
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            cx.report(Finding::new(
                word.range,
                format!(
                    "with the default value of {names} this FROM gives {problem}: give the ARG a default that builds"
                ),
            ));
        }
    }
}
