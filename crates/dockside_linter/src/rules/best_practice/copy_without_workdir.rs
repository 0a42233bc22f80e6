use dockside_semantic::Base;
use dockside_syntax::{Body, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a `COPY` or `ADD` whose destination is a relative path when no
    /// `WORKDIR` was set before it in the stage (or in the stage it builds on).
    ///
    /// Destinations written with a variable (`$APP_HOME`), stages built on
    /// `scratch` (whose working directory is `/`) and Windows stages are not
    /// judged.
    ///
    /// ## Why is this bad?
    /// A relative destination is resolved against the working directory of the
    /// base image, which the Dockerfile does not show: `COPY . app/` lands in
    /// `/app` on `python:3.12` but in `/go/app` on `golang:1.23`, and moves
    /// when the base image changes its `WORKDIR`. Later `RUN` and `CMD` lines
    /// then look for the files in the wrong place.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12
    /// COPY requirements.txt .
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12
    /// WORKDIR /app
    /// COPY requirements.txt .
    /// ```
    ///
    /// ## Fix safety
    /// The fix makes the destination absolute by assuming the base image works
    /// in `/`, which most images do but not all (`golang` works in `/go`): it
    /// is unsafe.
    pub struct CopyWithoutWorkdir {
        name: "copy-without-workdir",
        code: "DF506",
        group: "best-practice",
        severity: Warning,
        aliases: ["DL3045"],
        fix: Always,
        summary: "COPY/ADD to a relative destination with no WORKDIR set",
    }
}

fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

impl Rule for CopyWithoutWorkdir {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let mut workdir_set = vec![false; cx.model.stages.len()];
        for (_, inst, info) in cx.instructions() {
            let Some(stage) = info.stage else { continue };
            if inst.keyword == Keyword::Workdir {
                workdir_set[stage] = true;
                continue;
            }
            if !matches!(inst.keyword, Keyword::Copy | Keyword::Add) || !info.shell.is_posix() {
                continue;
            }
            let Body::Paths { json, paths } = &inst.body else {
                continue;
            };
            if paths.len() < 2 {
                continue;
            }
            let Some(dest) = paths.last() else { continue };
            if dest.value.contains('$') {
                continue;
            }
            let value = if *json {
                dest.value.to_string()
            } else {
                dockside_syntax::words::unquote(&dest.value, cx.dockerfile.escape)
            };
            if value.is_empty() || is_absolute(&value) {
                continue;
            }
            let ancestry = cx.model.stage_ancestry(stage);
            if ancestry.iter().any(|&s| workdir_set[s]) {
                continue;
            }
            // `scratch` has no working directory but `/`.
            let root = ancestry.last().copied().unwrap_or(stage);
            if cx.model.stages[root].base == Base::Scratch {
                continue;
            }
            let keyword = inst.keyword.as_str();
            let trimmed = value.trim_start_matches("./");
            let fixed = if value == "." || value == "./" || trimmed.is_empty() {
                "/".to_string()
            } else {
                format!("/{trimmed}")
            };
            let replacement = if *json {
                format!("\"{fixed}\"")
            } else {
                fixed.clone()
            };
            cx.report(
                Finding::new(
                    dest.range,
                    format!("{keyword} destination `{value}` is relative to the base image's working directory, and no WORKDIR is set; set `WORKDIR` first or use an absolute path"),
                )
                .with_fix(Fix::unsafe_(
                    format!("Use `{fixed}`"),
                    vec![Edit::replace(dest.range, replacement)],
                )),
            );
        }
    }
}
