use dockside_semantic::ScriptOrigin;
use dockside_syntax::Keyword;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` heredoc script with several commands and no `set -e`
    /// (`set -eux`, `set -o errexit`, …) before its second command. A `-e` in
    /// the shebang (`#!/bin/bash -e`), in the command that runs the heredoc
    /// (`RUN bash -e <<EOF`) or in the SHELL (`SHELL ["/bin/bash", "-e", "-c"]`)
    /// also counts.
    ///
    /// ## Why is this bad?
    /// A heredoc is run as a script, and a script's exit status is its last
    /// command's: when `apt-get update` fails on line one and `echo done` runs on
    /// line three, the step succeeds and the build goes on with a broken layer.
    /// The `&&` chains of a one-line RUN do not exist in a heredoc, so errors
    /// must be stopped with `set -e`.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN <<EOF
    /// apt-get update
    /// apt-get install -y --no-install-recommends curl
    /// rm -rf /var/lib/apt/lists/*
    /// EOF
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN <<EOF
    /// set -e
    /// apt-get update
    /// apt-get install -y --no-install-recommends curl
    /// rm -rf /var/lib/apt/lists/*
    /// EOF
    /// ```
    ///
    /// ## Fix safety
    /// The fix inserts `set -e` as the script's first line (after a shebang).
    /// It is unsafe: a command whose failure was meant to be ignored now stops
    /// the build (add `|| true` to it).
    pub struct HeredocWithoutSetE {
        name: "heredoc-without-set-e",
        code: "DF906",
        group: "shell",
        severity: Warning,
        aliases: [],
        fix: Always,
        summary: "RUN heredoc with several commands and no `set -e`",
    }
}

impl Rule for HeredocWithoutSetE {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let shells = super::shell_words(cx);
        for (index, inst, info) in cx.instructions() {
            if inst.keyword != Keyword::Run || !info.shell.is_posix() {
                continue;
            }
            if shells
                .get(index)
                .and_then(Option::as_ref)
                .is_some_and(|w| super::shell_sets_errexit(w))
            {
                continue;
            }
            // `RUN bash -e <<EOF`.
            if info
                .scripts
                .iter()
                .filter(|c| c.origin == ScriptOrigin::Line)
                .flat_map(|c| c.script.commands.iter())
                .any(|c| {
                    matches!(c.program(), Some("sh" | "bash" | "ash" | "dash" | "zsh"))
                        && c.args().iter().any(|w| super::has_e(w.text()))
                })
            {
                continue;
            }
            for code in &info.scripts {
                let ScriptOrigin::Heredoc(n) = code.origin else {
                    continue;
                };
                let Some(heredoc) = inst.heredocs.get(n) else {
                    continue;
                };
                let script = &code.script;
                if script.statements.len() < 2 || script.has_errors() {
                    continue;
                }
                let first_line = heredoc.body.lines().next().unwrap_or("");
                if first_line.starts_with("#!")
                    && first_line.split_whitespace().skip(1).any(super::has_e)
                {
                    continue;
                }
                // `set -e` in the first statement, before the second command runs.
                let second_start = script.statements[1].range.start;
                let guarded = script
                    .commands
                    .iter()
                    .any(|c| c.range.start < second_start && super::is_set_errexit(c));
                if guarded {
                    continue;
                }
                let insert_at = if first_line.starts_with("#!") {
                    heredoc
                        .body_map
                        .source_range(first_line.len() + 1..first_line.len() + 1)
                        .start
                } else {
                    heredoc.body_range.start
                };
                cx.report(
                    Finding::new(
                        heredoc.marker_range,
                        format!(
                            "this heredoc runs {} commands but only the last one's failure fails the build: start it with `set -e`",
                            script.statements.len()
                        ),
                    )
                    .with_fix(Fix::unsafe_(
                        "Insert `set -e`",
                        vec![Edit::insert(insert_at as usize, "set -e\n")],
                    )),
                );
            }
        }
    }
}
