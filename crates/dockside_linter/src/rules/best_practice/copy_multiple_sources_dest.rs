use dockside_syntax::{Body, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a `COPY` or `ADD` with several sources whose destination does
    /// not end in `/`.
    ///
    /// A destination of `.` (the working directory) is accepted, as the builder
    /// accepts it; Windows stages are not judged. A source with a wildcard that matches several files is not
    /// judged, since what it matches depends on the build context.
    ///
    /// ## Why is this bad?
    /// With more than one source, the destination must be a directory, and the
    /// builder only takes it as one when it ends in `/`: the build fails with
    /// "When using COPY with more than one source file, the destination must be
    /// a directory and end with a /".
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY package.json package-lock.json /app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// COPY package.json package-lock.json /app/
    /// ```
    ///
    /// ## Fix safety
    /// Adding the `/` is safe: the instruction could not build without it.
    pub struct CopyMultipleSourcesDest {
        name: "copy-multiple-sources-dest",
        code: "DF505",
        group: "best-practice",
        severity: Error,
        aliases: ["DL3021"],
        fix: Always,
        summary: "COPY/ADD with several sources needs a destination ending in `/`",
    }
}

impl Rule for CopyMultipleSourcesDest {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (i, inst, info) in cx.instructions() {
            if !matches!(inst.keyword, Keyword::Copy | Keyword::Add) || !info.shell.is_posix() {
                continue;
            }
            let Body::Paths { json, paths } = &inst.body else {
                continue;
            };
            let Some((dest, sources)) = paths.split_last() else {
                continue;
            };
            if sources.len() < 2 {
                continue;
            }
            let expanded = cx.model.expand(i, &dest.value);
            if !expanded.complete {
                continue;
            }
            let value = expanded.value.trim_matches(['"', '\'']).to_string();
            if dest.value.ends_with(['/', '\\'])
                || value.ends_with('/')
                || value.ends_with('\\')
                || value == "."
                || value.ends_with("/.")
                || value.is_empty()
            {
                continue;
            }
            let keyword = inst.keyword.as_str();
            let finding = Finding::new(
                dest.range,
                format!(
                    "{keyword} with {} sources needs a directory destination ending in `/`; the build fails on `{value}`",
                    sources.len()
                ),
            );
            // The `/` goes inside a closing quote of a JSON string or a quoted word.
            let text = cx.text(dest.range);
            let at = if *json || text.ends_with(['"', '\'']) {
                dest.range.end as usize - 1
            } else {
                dest.range.end as usize
            };
            cx.report(finding.with_fix(Fix::safe(
                format!("Use `{value}/`"),
                vec![Edit::insert(at, "/")],
            )));
        }
    }
}
