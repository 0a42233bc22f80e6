use dockside_semantic::CopySource;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a `COPY` or `ADD` source from the build context that
    /// `.dockerignore` leaves out, and a source that points outside the build
    /// context (`../shared/lib`).
    ///
    /// A directory that `.dockerignore` excludes but re-includes part of with
    /// an exception (`!dir/keep`) is not reported, nor are sources with
    /// wildcards or variables.
    ///
    /// ## Why is this bad?
    /// The builder only sees the files `.dockerignore` lets through: copying an
    /// excluded path fails with "not found", or silently copies nothing when a
    /// wildcard is involved. A source above the context is never sent to the
    /// builder: BuildKit cleans `../lib` to `lib` in the context root, which
    /// is a different file or fails the build.
    ///
    /// ## Example
    /// ```dockerfile
    /// # .dockerignore contains: config/local.py
    /// COPY config/local.py /app/config/
    /// COPY ../shared/lib /app/lib
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// COPY config/settings.py /app/config/
    /// # build with a context that contains shared/ (or a named context:
    /// # docker build --build-context shared=../shared, then COPY --from=shared)
    /// COPY --from=shared lib /app/lib
    /// ```
    pub struct CopyIgnoredFile {
        name: "copy-ignored-file",
        code: "DF508",
        group: "best-practice",
        severity: Warning,
        aliases: ["CopyIgnoredFile"],
        fix: None,
        summary: "COPY/ADD of a path .dockerignore excludes, or from outside the build context",
    }
}

/// The path relative to the context root, or `None` when it climbs above it.
fn clean(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

impl Rule for CopyIgnoredFile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for copy in &cx.model.copies {
            if copy.from != CopySource::Context {
                continue;
            }
            for (src, word) in &copy.sources {
                if src.contains(['$', '*', '?', '[', '"', '\'', '\\']) || src.is_empty() {
                    continue;
                }
                let Some(rel) = clean(src) else {
                    cx.report(Finding::new(
                        word.range,
                        format!("`{src}` is outside the build context, which the builder never sees (it reads it as a path in the context root); move the files into the context or use a named build context"),
                    ));
                    continue;
                };
                let Some(ignore) = cx.context.dockerignore() else {
                    break;
                };
                if rel.is_empty() || !cx.context.is_excluded(&rel) {
                    continue;
                }
                if ignore.may_reinclude_under(&rel) {
                    continue;
                }
                let why = ignore
                    .matching_pattern(&rel)
                    .map(|p| format!(" (pattern `{}` on line {})", p.text, p.line))
                    .unwrap_or_default();
                cx.report(Finding::new(
                    word.range,
                    format!("`{src}` is excluded by .dockerignore{why}, so the builder cannot copy it; remove it from .dockerignore or stop copying it"),
                ));
            }
        }
    }
}
