//! Shell code in RUN: pipefail, heredocs, cd, SHELL.

use dockside_semantic::ShellCode;
use dockside_shell::SimpleCommand;
use dockside_syntax::Keyword;

use crate::checker::Checker;
use crate::rule::Rule;

pub mod bashism_in_sh;
pub mod cd_without_exit;
pub mod heredoc_strip_tabs_spaces;
pub mod heredoc_without_set_e;
pub mod ln_bin_sh;
pub mod pipe_without_pipefail;
pub mod pointless_command;
pub mod unquoted_variable;
pub mod wget_and_curl;
pub mod wget_without_progress;

pub(crate) const RULES: &[&dyn Rule] = &[
    &wget_without_progress::WgetWithoutProgress,
    &wget_and_curl::WgetAndCurl,
    &pointless_command::PointlessCommand,
    &pipe_without_pipefail::PipeWithoutPipefail,
    &ln_bin_sh::LnBinSh,
    &heredoc_without_set_e::HeredocWithoutSetE,
    &heredoc_strip_tabs_spaces::HeredocStripTabsSpaces,
    &cd_without_exit::CdWithoutExit,
    &bashism_in_sh::BashismInSh,
    &unquoted_variable::UnquotedVariable,
];

/// One command of a RUN's shell code.
pub(crate) struct RunCommand<'a> {
    pub index: usize,
    pub stage: Option<usize>,
    pub code: &'a ShellCode,
    pub cmd: &'a SimpleCommand,
}

/// Every simple command of every RUN, in order (PowerShell/cmd RUNs have none),
/// listed once per file for all rules.
pub(crate) fn run_commands<'c, 'a>(cx: &'c Checker<'a>) -> &'c [RunCommand<'a>] {
    cx.run_commands.get_or_init(|| {
        let mut out = Vec::new();
        for (index, inst, info) in cx.instructions() {
            if inst.keyword != Keyword::Run {
                continue;
            }
            for code in &info.scripts {
                for cmd in &code.script.commands {
                    out.push(RunCommand {
                        index,
                        stage: info.stage,
                        code,
                        cmd,
                    });
                }
            }
        }
        out
    })
}

/// Whether the stage (or the stage it builds on) starts from an Alpine or
/// BusyBox image, whose `wget` is BusyBox's.
pub(crate) fn busybox_base(cx: &Checker, stage: usize) -> bool {
    cx.model.stage_ancestry(stage).iter().any(|&s| {
        let image = cx.model.stages[s].image.to_ascii_lowercase();
        image.contains("alpine") || image.contains("busybox")
    })
}

/// Per instruction: the words of the SHELL in effect (`None` for the default
/// `/bin/sh -c`). A stage built on another stage inherits its SHELL.
pub(crate) fn shell_words(cx: &Checker) -> Vec<Option<Vec<String>>> {
    let mut per_stage: Vec<Option<Vec<String>>> = vec![None; cx.model.stages.len()];
    let mut out = Vec::with_capacity(cx.dockerfile.instructions.len());
    for (_, inst, info) in cx.instructions() {
        if inst.keyword == Keyword::From
            && let Some(s) = info.stage
            && let dockside_semantic::Base::Stage(parent) = cx.model.stages[s].base
            && parent < per_stage.len()
        {
            per_stage[s] = per_stage[parent].clone();
        }
        if let (Keyword::Shell, dockside_syntax::Body::Shell(words), Some(s)) =
            (inst.keyword, &inst.body, info.stage)
            && !words.is_empty()
        {
            per_stage[s] = Some(words.iter().map(|w| w.value.to_string()).collect());
        }
        out.push(info.stage.and_then(|s| per_stage[s].clone()));
    }
    out
}

/// Whether shell options (`["-o", "pipefail"]`, `["-eo", "pipefail"]`,
/// `set -euxo pipefail`) turn on the option `name`.
pub(crate) fn sets_option<'w>(words: impl IntoIterator<Item = &'w str>, name: &str) -> bool {
    let mut expect = 0usize;
    for w in words {
        if expect > 0 && w == name {
            return true;
        }
        expect = 0;
        if let Some(flags) = w.strip_prefix('-').filter(|f| !f.starts_with('-')) {
            expect = flags.chars().filter(|&c| c == 'o').count();
        }
    }
    false
}

/// Whether the SHELL words (`["/bin/bash", "-eo", "pipefail", "-c"]`) turn on errexit.
pub(crate) fn shell_sets_errexit(words: &[String]) -> bool {
    words.iter().skip(1).any(|a| has_e(a))
        || sets_option(words.iter().map(String::as_str), "errexit")
}

/// Whether `cmd` is `set -e` / `set -eux` / `set -o errexit`.
pub(crate) fn is_set_errexit(cmd: &SimpleCommand) -> bool {
    cmd.program() == Some("set")
        && (cmd.args().iter().any(|w| has_e(w.text()))
            || sets_option(cmd.args().iter().map(|w| w.text()), "errexit"))
}

/// `-e`, `-eux`, `-xe`: a short option cluster containing `e` (errexit).
pub(crate) fn has_e(word: &str) -> bool {
    word.strip_prefix('-')
        .filter(|r| !r.starts_with('-'))
        .is_some_and(|r| r.chars().all(|c| c.is_ascii_alphabetic()) && r.contains('e'))
}
