use dockside_semantic::{Expansion, Lookup};
use dockside_syntax::words::unquote;
use dockside_syntax::{Body, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a `WORKDIR` with a relative path when no absolute `WORKDIR` was set
    /// before it in the stage (or in the stage it builds on).
    ///
    /// A path that starts with a variable the Dockerfile does not give a value
    /// (`WORKDIR "$HOME"`, where `HOME` comes from the base image's `ENV`, or
    /// a build argument without a default) is not judged.
    ///
    /// ## Why is this bad?
    /// A relative `WORKDIR` is resolved against the working directory of the base
    /// image, which the Dockerfile does not show and which changes when the base
    /// image changes. `WORKDIR app/` is `/app` on `python:3.8` but would be
    /// `/usr/src/app/app` on an image whose working directory is `/usr/src/app`:
    /// every later `COPY`, `RUN` and `CMD` then runs somewhere else.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12
    /// WORKDIR app/
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12
    /// WORKDIR /app
    /// ```
    ///
    /// ## Fix safety
    /// The fix makes the path absolute by assuming the base image works in `/`,
    /// which most images do but not all: it is unsafe.
    pub struct WorkdirRelative {
        name: "workdir-relative",
        code: "DF501",
        group: "best-practice",
        severity: Warning,
        aliases: ["DL3000", "WorkdirRelativePath"],
        fix: Always,
        summary: "Relative WORKDIR whose base directory is not set in the Dockerfile",
    }
}

impl Rule for WorkdirRelative {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        // Stages (by index) that set an absolute WORKDIR, up to the current instruction.
        let mut absolute_set = vec![false; cx.model.stages.len()];
        for (i, inst, info) in cx.instructions() {
            let (Keyword::Workdir, Body::Words(words), Some(stage)) =
                (inst.keyword, &inst.body, info.stage)
            else {
                continue;
            };
            let Some(word) = words.first() else { continue };
            let expansion = cx.model.expand(i, &word.value);
            if starts_with_unknown_variable(&word.value, cx.dockerfile.escape, &expansion) {
                continue;
            }
            let path = expansion.value;
            if is_absolute(&path) {
                absolute_set[stage] = true;
                continue;
            }
            let known = cx
                .model
                .stage_ancestry(stage)
                .iter()
                .any(|&s| absolute_set[s]);
            if known || path.starts_with('$') {
                continue;
            }
            let fixed = format!("/{}", word.value.trim_start_matches("./"));
            cx.report(
                Finding::new(word.range, format!("WORKDIR `{}` is relative to the base image's working directory; use an absolute path", word.value))
                    .with_fix(Fix::unsafe_(format!("Use `{fixed}`"), vec![Edit::replace(word.range, fixed.clone())])),
            );
        }
    }
}

/// Whether the path begins with a variable whose value the Dockerfile does not
/// set: BuildKit takes it from the base image's environment or the build
/// arguments, so the resulting path may well be absolute.
fn starts_with_unknown_variable(raw: &str, escape: char, expansion: &Expansion) -> bool {
    unquote(raw, escape).starts_with('$')
        && expansion
            .references
            .first()
            .is_some_and(|r| !r.has_default && !matches!(r.lookup, Lookup::Value(_)))
}

/// Absolute on Linux (`/x`) or Windows (`C:\x`, `C:/x`, `\x`).
fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}
