use dockside_shell::SimpleCommand;

use super::Cwd;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports `RUN chown`, `chgrp` and `chmod` on files that an earlier
    /// `COPY`/`ADD` of the stage added: the path itself, a path inside a copied
    /// directory, or (with `-R`) a directory that contains copied files, such
    /// as `RUN chown -R app:app ./` after `COPY . .`. Paths are resolved against
    /// the `WORKDIR` and `cd` in the RUN.
    ///
    /// Not reported: paths no COPY/ADD wrote (a directory made by `mkdir`),
    /// RUNs that create or write the files themselves before changing them,
    /// and stages whose layers do not ship in the final image.
    ///
    /// ## Why is this bad?
    /// Changing the owner or mode of a file rewrites it into a new layer: every
    /// copied file is stored twice, once by the COPY and once by the RUN. A
    /// recursive `chown` of an application directory can double the size of the
    /// application in the image.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY boot.sh ./
    /// RUN chmod +x boot.sh
    /// COPY . .
    /// RUN chown -R app:app ./
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// COPY --chmod=755 boot.sh ./
    /// COPY --chown=app:app . .
    /// ```
    /// (`--chmod` needs BuildKit, the default builder since Docker 23.)
    pub struct ChownAfterCopy {
        name: "chown-after-copy",
        code: "DF104",
        group: "layers",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "RUN chown/chmod on files a COPY added stores them twice",
    }
}

impl Rule for ChownAfterCopy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let shipping = super::shipping_stages(cx);
        for (index, inst, info) in cx.instructions() {
            let Some(stage) = info.stage else { continue };
            if !super::is_run(inst) || !shipping[stage] {
                continue;
            }
            let changes_owner = |cmd: &dockside_shell::SimpleCommand| {
                matches!(cmd.program(), Some("chown" | "chmod" | "chgrp"))
            };
            if !super::run_commands(info).any(|(_, cmd)| changes_owner(cmd)) {
                continue;
            }
            let mut cwd = Cwd::new(info);
            // The commands before the current one, with their directory: the paths
            // they wrote are worked out only when a target was copied.
            let mut earlier: Vec<(&SimpleCommand, Cwd)> = Vec::new();
            let mut written: Option<Vec<String>> = None;
            for (code, cmd) in super::run_commands(info) {
                cwd.observe(cmd);
                let Some(program @ ("chown" | "chmod" | "chgrp")) = cmd.program() else {
                    earlier.push((cmd, cwd.clone()));
                    continue;
                };
                let recursive = cmd.has_flag(Some('R'), Some("recursive"));
                for target in targets(cx, index, cmd, &cwd) {
                    let copy = cx.model.copies.iter().rev().find(|c| {
                        c.stage == stage
                            && c.instruction < index
                            && super::touches_copy(cx, c, &target, recursive)
                    });
                    let Some(copy) = copy else { continue };
                    let written = written.get_or_insert_with(Vec::new);
                    for (cmd, cwd) in earlier.drain(..) {
                        written.extend(path_args(cx, index, cmd, &cwd));
                    }
                    if written.iter().any(|w| {
                        w == &target
                            || w.strip_prefix(target.trim_end_matches('/'))
                                .is_some_and(|r| r.starts_with('/'))
                    }) {
                        continue;
                    }
                    let copy_inst = &cx.dockerfile.instructions[copy.instruction];
                    let keyword = copy_inst.keyword.as_str();
                    let line = cx.line_number(copy_inst.keyword_range.start);
                    let flag = if program == "chmod" {
                        "--chmod"
                    } else {
                        "--chown"
                    };
                    cx.report(
                        Finding::new(
                            code.source_range(cmd.range.clone()),
                            format!(
                                "`{program}` rewrites files added by the {keyword} on line {line}, so the image stores them twice: set it in the {keyword} with `{flag}=…` instead"
                            ),
                        )
                        .with_related(FileId::MAIN, copy_inst.keyword_range, "the files are added here"),
                    );
                    break;
                }
            }
        }
    }
}

/// The paths a chown/chmod/chgrp changes (absolute).
fn targets(cx: &Checker, index: usize, cmd: &SimpleCommand, cwd: &Cwd) -> Vec<String> {
    let mut positional: Vec<&dockside_shell::Word> = Vec::new();
    let mut reference = false;
    let mut options = true;
    for w in cmd.args() {
        let t = w.text();
        if options && t == "--" {
            options = false;
            continue;
        }
        if options && t.starts_with("--") {
            reference |= t.starts_with("--reference");
            continue;
        }
        // `chmod -x file`: a mode, not an option.
        if options
            && t.starts_with('-')
            && t.len() > 1
            && !(cmd.program() == Some("chmod")
                && t[1..].chars().all(|c| "rwxXst".contains(c))
                && positional.is_empty()
                && !t[1..].contains('R'))
        {
            continue;
        }
        positional.push(w);
    }
    let skip = usize::from(!reference);
    positional
        .iter()
        .skip(skip)
        .filter_map(|w| super::word_value(cx, index, w))
        .filter_map(|p| cwd.resolve(&p))
        .filter(|p| p.starts_with('/'))
        .collect()
}

/// Absolute paths named by a command's arguments (what the RUN may have written).
fn path_args(cx: &Checker, index: usize, cmd: &SimpleCommand, cwd: &Cwd) -> Vec<String> {
    if matches!(
        cmd.program(),
        Some("cd" | "echo" | "test" | "[" | "ls" | "cat" | "id" | "getent" | "printf")
    ) || cmd.program().is_none()
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    for w in cmd.args() {
        let Some(v) = super::word_value(cx, index, w) else {
            continue;
        };
        // `--target=/app`, `-C /app`: take the value after `=`.
        let v = if v.starts_with('-') {
            v.split_once('=')
                .map(|(_, r)| r.to_string())
                .unwrap_or_default()
        } else {
            v
        };
        if v.is_empty()
            || v.contains("://")
            || !(v.starts_with('/') || v.starts_with('.') || v.contains('/'))
        {
            continue;
        }
        out.extend(cwd.resolve(&v).filter(|p| p.starts_with('/')));
    }
    out
}
