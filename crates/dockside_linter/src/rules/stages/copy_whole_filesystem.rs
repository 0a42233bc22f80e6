use dockside_semantic::Base;
use dockside_syntax::{Body, Keyword};

use crate::analysis::stages::{Target, resolve};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags `COPY --from=<stage or image> / /`: copying the whole filesystem of
    /// another stage or image onto the root. Stages built `FROM scratch` (they
    /// hold only build outputs) and the `tonistiigi/xx` helper image, which is
    /// made to be copied whole, are not flagged.
    ///
    /// ## Why is this bad?
    /// It brings everything along (package manager databases, caches, build
    /// tools, `/etc/passwd`, `/proc` placeholders), overwrites the target's own
    /// system files, and defeats the point of a multi-stage build. When that is
    /// really wanted, `FROM <stage>` says it directly.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /usr/local/bin/app .
    /// FROM alpine:3.20
    /// COPY --from=build / /
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /usr/local/bin/app .
    /// FROM alpine:3.20
    /// COPY --from=build /usr/local/bin/app /usr/local/bin/app
    /// ```
    pub struct CopyWholeFilesystem {
        name: "copy-whole-filesystem",
        code: "DF627",
        group: "stages",
        severity: Warning,
        aliases: ["DL3067"],
        fix: None,
        summary: "`COPY --from=… / /` copies a whole filesystem",
    }
}

impl Rule for CopyWholeFilesystem {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (i, inst, _) in cx.instructions() {
            if inst.keyword != Keyword::Copy || inst.flag("from").is_none() {
                continue;
            }
            let Body::Paths { paths, .. } = &inst.body else {
                continue;
            };
            let Some((dest, sources)) = paths.split_last() else {
                continue;
            };
            if cx
                .model
                .absolute_path(i, &cx.model.expand(i, &dest.value).value)
                != "/"
            {
                continue;
            }
            let Some(root) = sources.iter().find(|w| {
                let v = cx.model.expand(i, &w.value).value;
                // Sources of `COPY --from` are relative to the source's root.
                matches!(v.as_str(), "/" | "/." | "/*" | "." | "./" | "./*" | "*")
            }) else {
                continue;
            };
            if copies_helper_image(cx, i) {
                continue;
            }
            cx.report(Finding::new(
                root.range,
                "this copies the whole filesystem of the source onto `/`: copy only the files you need, or build on the stage with `FROM`",
            ));
        }
    }
}

/// Whether `--from` names a stage built from scratch (it holds only build outputs)
/// or the `tonistiigi/xx` helper image, which is made to be copied whole.
fn copies_helper_image(cx: &Checker, i: usize) -> bool {
    let Some(raw) = cx.dockerfile.instructions[i]
        .flag("from")
        .and_then(|f| f.value.as_deref())
    else {
        return false;
    };
    let value = cx.model.expand(i, raw).value;
    let is_xx = |image: &dockside_semantic::ImageRef| image.repository == "tonistiigi/xx";
    match resolve(cx.model, &value) {
        Target::Stage(s) => {
            let ancestry = cx.model.stage_ancestry(s);
            let root = ancestry.last().copied().unwrap_or(s);
            match &cx.model.stages[root].base {
                Base::Scratch => true,
                Base::Image(image) => is_xx(image),
                Base::Unresolved(text) => text.starts_with("tonistiigi/xx"),
                Base::Stage(_) => false,
            }
        }
        _ => dockside_semantic::parse_image_ref(&value).is_ok_and(|r| is_xx(&r)),
    }
}
