use dockside_syntax::Keyword;

use crate::analysis::packages::{Manager, Op, classify};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags `wget` in a `RUN` without `--progress=…` and without a flag that
    /// silences it (`-q`, `--quiet`, `-nv`, `--no-verbose`, `-o FILE`,
    /// `-a FILE`) or a redirection of its standard error.
    ///
    /// Stages built on Alpine or BusyBox are skipped unless GNU wget is
    /// installed with `apk add wget`: BusyBox's `wget` prints no dot progress
    /// and has no `--progress` option.
    ///
    /// ## Why is this bad?
    /// Without a terminal GNU wget falls back to "dot" progress: one line of
    /// dots per 50 KB. Downloading a few hundred MB writes thousands of lines
    /// into the build log, which hides the output that matters and slows down
    /// CI log viewers.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN wget https://example.com/big.tar.gz
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN wget --progress=dot:giga https://example.com/big.tar.gz
    /// ```
    ///
    /// ## Fix safety
    /// Adding `--progress=dot:giga` (one line per 32 MB) is safe: it changes
    /// only what wget logs.
    pub struct WgetWithoutProgress {
        name: "wget-without-progress",
        code: "DF901",
        group: "shell",
        severity: Info,
        aliases: ["DL3047"],
        fix: Always,
        summary: "`wget` without `--progress` fills the build log",
    }
}

impl Rule for WgetWithoutProgress {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for rc in super::run_commands(cx) {
            let cmd = rc.cmd;
            if cmd.program() != Some("wget") || quiet(cmd) {
                continue;
            }
            if rc
                .stage
                .is_some_and(|s| super::busybox_base(cx, s) && !gnu_wget_installed(cx, rc.index))
            {
                continue;
            }
            let Some(program) = cmd.unwrapped_argv().first() else {
                continue;
            };
            let range = rc.code.source_range(program.range.clone());
            cx.report(
                Finding::new(
                    range,
                    "`wget` without `--progress` writes a line of dots per 50 KB into the build log: add `--progress=dot:giga` (or `-q`)",
                )
                .with_fix(Fix::safe(
                    "Add `--progress=dot:giga`",
                    vec![Edit::insert(range.end as usize, " --progress=dot:giga")],
                )),
            );
        }
    }
}

fn quiet(cmd: &dockside_shell::SimpleCommand) -> bool {
    if cmd.has_flag(Some('q'), Some("quiet"))
        || cmd.has_flag(None, Some("progress"))
        || cmd.has_flag(None, Some("no-verbose"))
        || cmd.has_flag(Some('o'), Some("output-file"))
        || cmd.has_flag(Some('a'), Some("append-output"))
        || cmd.has_flag(None, Some("show-progress"))
        || cmd.args().iter().any(|w| w.text() == "-nv")
    {
        return true;
    }
    cmd.redirects.iter().any(|r| {
        (r.fd == Some(2) && r.op.starts_with('>')) || matches!(r.op.as_str(), "&>" | "&>>")
    })
}

/// Whether an earlier RUN of the stage installs GNU wget with `apk add wget`.
fn gnu_wget_installed(cx: &Checker, index: usize) -> bool {
    let Some(stage) = cx.model.instructions.get(index).and_then(|i| i.stage) else {
        return false;
    };
    let insts = &cx.dockerfile.instructions;
    cx.model
        .stage_ancestry(stage)
        .into_iter()
        .flat_map(|s| {
            let st = &cx.model.stages[s];
            st.from..st.end.min(index + 1)
        })
        .filter(|&i| insts[i].keyword == Keyword::Run)
        .flat_map(|i| cx.model.instructions[i].scripts.iter())
        .flat_map(|code| code.script.commands.iter())
        .filter_map(classify)
        .any(|op| {
            op.manager == Manager::Apk
                && op.op == Op::Install
                && op.packages.iter().any(|p| p.text() == "wget")
        })
}
