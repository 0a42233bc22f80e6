use dockside_semantic::{Lookup, is_remote_source};
use dockside_syntax::{Body, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags `ADD` of local files and folders, where `COPY` does the same.
    ///
    /// ## Why is this bad?
    /// `ADD` does more than copy: it downloads URLs and silently extracts local tar
    /// archives. Using it for plain files hides that behaviour from readers and
    /// changes the result the day someone adds a `.tar.gz` to the sources. `COPY`
    /// says exactly what happens.
    ///
    /// ## Example
    /// ```dockerfile
    /// ADD requirements.txt /code/
    /// ADD . /code/
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// COPY requirements.txt /code/
    /// COPY . /code/
    /// ```
    ///
    /// ## Fix safety
    /// Replacing `ADD` with `COPY` is safe when no source can be a tar archive (a
    /// file ending in `.tar`, `.tgz`, `.tar.gz`, …) and no source contains a
    /// variable or glob that could match one; otherwise no fix is offered. `ADD`
    /// of URLs, git repositories, archives and `ADD --checksum`/`--keep-git-dir`/
    /// `--unpack` are never flagged.
    pub struct AddInsteadOfCopy {
        name: "add-instead-of-copy",
        code: "DF504",
        group: "best-practice",
        severity: Warning,
        aliases: ["DL3020"],
        fix: Sometimes,
        summary: "ADD used for local files: use COPY",
    }
}

const ARCHIVES: &[&str] = &[
    ".tar", ".tgz", ".tar.gz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".gz", ".bz2",
    ".xz", ".zst", ".lz4",
];

impl Rule for AddInsteadOfCopy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (i, inst, _) in cx.instructions() {
            let (Keyword::Add, Body::Paths { paths, .. }) = (inst.keyword, &inst.body) else {
                continue;
            };
            if inst
                .flags
                .iter()
                .any(|f| matches!(f.name.as_str(), "checksum" | "keep-git-dir" | "unpack"))
                || !inst.heredocs.is_empty()
            {
                continue;
            }
            let Some((_, sources)) = paths.split_last() else {
                continue;
            };
            if sources.is_empty() {
                continue;
            }
            let expanded: Vec<_> = sources
                .iter()
                .map(|w| cx.model.expand(i, &w.value))
                .collect();
            if expanded
                .iter()
                .any(|e| is_remote_source(&e.value) || is_archive(&e.value))
            {
                continue;
            }
            let uncertain = expanded.iter().any(|e| {
                !e.complete
                    || e.value.contains(['*', '?', '['])
                    || e.references.iter().any(|r| r.lookup == Lookup::Undefined)
            });
            let mut finding = Finding::new(
                inst.keyword_range,
                "use COPY instead of ADD for local files: ADD also extracts archives and downloads URLs",
            );
            if !uncertain {
                finding = finding.with_fix(Fix::safe(
                    "Replace ADD with COPY",
                    vec![Edit::replace(
                        inst.keyword_range,
                        copy_keyword(&inst.keyword_text),
                    )],
                ));
            }
            cx.report(finding);
        }
    }
}

fn is_archive(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    ARCHIVES.iter().any(|ext| lower.ends_with(ext))
}

/// `COPY` in the casing the file uses for `ADD`.
fn copy_keyword(add: &str) -> &'static str {
    if add.chars().all(|c| c.is_ascii_lowercase()) {
        "copy"
    } else {
        "COPY"
    }
}
