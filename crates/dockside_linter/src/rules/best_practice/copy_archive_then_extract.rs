use dockside_semantic::CopySource;
use dockside_shell::SimpleCommand;
use dockside_syntax::Keyword;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a `COPY` of a local tar archive (`.tar`, `.tar.gz`, `.tgz`,
    /// `.tar.bz2`, `.tar.xz`, …) that a later `RUN` unpacks with `tar -x`.
    ///
    /// Not reported: archives copied and used as they are (an archive an
    /// application reads, or that a script installs), `COPY --from` (ADD cannot
    /// copy from a stage or image) and zip files (ADD does not unpack them).
    ///
    /// ## Why is this bad?
    /// `ADD` unpacks a local tar archive into the destination by itself. With
    /// `COPY` plus `RUN tar -x`, the archive stays in the image in the `COPY`
    /// layer even if the `RUN` deletes it, so the image carries the packed and
    /// the unpacked files, and the build needs an extra step (and `tar` in the
    /// image).
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY vendor.tar.gz /tmp/
    /// RUN tar -xzf /tmp/vendor.tar.gz -C /opt && rm /tmp/vendor.tar.gz
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ADD vendor.tar.gz /opt/
    /// ```
    pub struct CopyArchiveThenExtract {
        name: "copy-archive-then-extract",
        code: "DF507",
        group: "best-practice",
        severity: Info,
        aliases: ["DL3010"],
        fix: None,
        summary: "COPY of a tar archive that a later RUN unpacks: ADD unpacks it in one step",
    }
}

const ARCHIVE_EXTS: &[&str] = &[
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz",
    ".tbz2",
    ".tb2",
    ".tar.xz",
    ".txz",
    ".tar.lz",
    ".tlz",
    ".tar.lzma",
    ".tar.Z",
    ".tZ",
    ".taz",
];

fn is_archive(name: &str) -> bool {
    ARCHIVE_EXTS
        .iter()
        .any(|e| name.ends_with(e) && name.len() > e.len())
}

fn basename(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// `tar` with an extract operation (`-x…`, `x…` as the first bundled word, `--extract`, `--get`).
fn extracts(c: &SimpleCommand) -> bool {
    if c.has_flag(Some('x'), Some("extract")) || c.has_flag(None, Some("get")) {
        return true;
    }
    c.args()
        .first()
        .and_then(|w| w.value.as_deref())
        .is_some_and(|v| {
            !v.starts_with('-')
                && v.starts_with(|ch: char| ch.is_ascii_alphabetic())
                && v.contains('x')
                && v.chars().all(|ch| ch.is_ascii_alphabetic())
        })
}

impl Rule for CopyArchiveThenExtract {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for copy in &cx.model.copies {
            if copy.from != CopySource::Context
                || cx.dockerfile.instructions[copy.instruction].keyword != Keyword::Copy
            {
                continue;
            }
            for (src, word) in &copy.sources {
                let name = basename(src);
                if !is_archive(name) || src.contains(['*', '?', '[', '$']) {
                    continue;
                }
                // The archive's name in the image.
                let image_name = if copy.dest_is_dir {
                    name
                } else {
                    basename(&copy.dest)
                };
                let extraction =
                    cx.instructions()
                        .skip(copy.instruction + 1)
                        .find_map(|(_, inst, info)| {
                            let stage = info.stage?;
                            if inst.keyword != Keyword::Run
                                || !cx.model.stage_ancestry(stage).contains(&copy.stage)
                            {
                                return None;
                            }
                            info.scripts.iter().find_map(|code| {
                                code.script.commands_named("tar").find_map(|c| {
                                    if !extracts(c) {
                                        return None;
                                    }
                                    let names_it = c.args().iter().any(|w| {
                                        w.value.as_deref().is_some_and(|v| {
                                            let v = v.strip_prefix("--file=").unwrap_or(v);
                                            basename(v) == image_name
                                        })
                                    });
                                    names_it.then(|| code.source_range(c.range.clone()))
                                })
                            })
                        });
                if let Some(range) = extraction {
                    cx.report(
                        Finding::new(
                            word.range,
                            format!("`{name}` is copied and then unpacked with `tar`, so the archive stays in the COPY layer; `ADD {name} <dir>/` unpacks it in one step"),
                        )
                        .with_related(FileId::MAIN, range, "unpacked here"),
                    );
                }
            }
        }
    }
}
