use dockside_semantic::{ScriptOrigin, ShellKind};
use dockside_shell::SimpleCommand;
use dockside_syntax::{Body, CommandForm, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` with a pipeline (`curl … | tar x`) when `pipefail` is not
    /// on: neither the SHELL (`SHELL ["/bin/bash", "-o", "pipefail", "-c"]`)
    /// nor a `set -o pipefail` (`set -eo pipefail`, `set -euxo pipefail`, …)
    /// before the pipeline in the same shell code (the RUN line or the heredoc
    /// body).
    ///
    /// Pipelines whose only commands before the last one cannot fail (`echo`,
    /// `printf`, `yes`, `true`) are not reported. RUNs executed by PowerShell or
    /// cmd are not checked.
    ///
    /// ## Why is this bad?
    /// A pipeline's exit status is the last command's: in
    /// `RUN curl -fsSL https://example.com/app.tgz | tar xz`, a failed download
    /// leaves `tar` with empty input, the step "succeeds" and the image ships
    /// without the application. With `pipefail` the build fails where the
    /// problem is.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSL https://example.com/app.tgz | tar xz -C /opt
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    /// RUN curl -fsSL https://example.com/app.tgz | tar xz -C /opt
    /// ```
    ///
    /// ## Fix safety
    /// When the RUN's shell is known to support `pipefail` (bash, zsh, ksh,
    /// ash, and `sh` on Alpine/BusyBox images), the fix prefixes the shell-form
    /// RUN with `set -o pipefail && `. It is unsafe: the step now fails where it
    /// silently succeeded. `/bin/sh` on Debian and Ubuntu is dash, which
    /// accepts `pipefail` only from version 0.5.12: no fix is offered there;
    /// switch the SHELL to bash.
    pub struct PipeWithoutPipefail {
        name: "pipe-without-pipefail",
        code: "DF904",
        group: "shell",
        severity: Warning,
        aliases: ["DL4006"],
        fix: Sometimes,
        summary: "Pipeline in a RUN without `set -o pipefail`",
    }
}

impl Rule for PipeWithoutPipefail {
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
                .is_some_and(|w| super::sets_option(w.iter().map(String::as_str), "pipefail"))
            {
                continue;
            }
            for code in &info.scripts {
                let Some(cmd) = first_unprotected_pipeline(code) else {
                    continue;
                };
                let script = &code.script;
                let Some(id) = cmd.pipeline.map(|p| p.id) else {
                    continue;
                };
                let stages: Vec<&SimpleCommand> = script
                    .commands
                    .iter()
                    .filter(|c| c.pipeline.is_some_and(|p| p.id == id))
                    .collect();
                let start = stages.iter().map(|c| c.range.start).min().unwrap_or(0);
                let end = stages.iter().map(|c| c.range.end).max().unwrap_or(start);
                let range = code.source_range(start..end);
                let mut finding = Finding::new(
                    range,
                    "this pipeline's status is only its last command's, so a failure before the `|` is ignored: add `set -o pipefail &&` or `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`",
                );
                let supports = match &info.shell {
                    ShellKind::Posix(name) => {
                        matches!(
                            name.as_str(),
                            "bash" | "zsh" | "ksh" | "mksh" | "ash" | "busybox"
                        ) || info.stage.is_some_and(|s| super::busybox_base(cx, s))
                    }
                    _ => false,
                };
                if supports
                    && code.origin == ScriptOrigin::Line
                    && inst.heredocs.is_empty()
                    && let Body::Command(CommandForm::Shell(form)) = &inst.body
                    && !form.text.is_empty()
                {
                    let at = form.text.source_range(0..0).start as usize;
                    finding = finding.with_fix(Fix::unsafe_(
                        "Prefix the RUN with `set -o pipefail &&`",
                        vec![Edit::insert(at, "set -o pipefail && ")],
                    ));
                }
                cx.report(finding);
            }
        }
    }
}

/// The first command of the first pipeline that runs without `pipefail` and
/// has a stage before the last one that can fail.
fn first_unprotected_pipeline(code: &dockside_semantic::ShellCode) -> Option<&SimpleCommand> {
    let script = &code.script;
    let mut pipefail_from: Option<usize> = None;
    for cmd in &script.commands {
        if cmd.program() == Some("set")
            && super::sets_option(cmd.args().iter().map(|w| w.text()), "pipefail")
        {
            pipefail_from.get_or_insert(cmd.range.start);
        }
        let Some(p) = cmd.pipeline else { continue };
        if p.is_last() {
            continue;
        }
        if pipefail_from.is_some_and(|at| at <= cmd.range.start) {
            return None;
        }
        if can_fail(cmd) {
            return Some(cmd);
        }
    }
    None
}

fn can_fail(cmd: &SimpleCommand) -> bool {
    !matches!(
        cmd.program(),
        Some("echo" | "printf" | "yes" | "true" | ":")
    ) && !cmd.argv.is_empty()
}
