use dockside_shell::{Context, SimpleCommand, StatementKind};
use dockside_syntax::TextRange;

use crate::checker::Checker;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{Rule, RuleMeta};
use crate::rules::compose_services::process::{outer_file, started, with_image};

use super::main_process::{
    Env, LayerKind, basename, classify, defining_stages, final_commands, function_names, resolve,
};

declare_rule! {
    /// ## What it does
    /// Follows the container's `ENTRYPOINT`/`CMD` into the shell scripts it runs
    /// — a script of the build context (`ENTRYPOINT ["./boot.sh"]`,
    /// `CMD ["sh", "/app/start.sh"]`, a `docker-entrypoint.sh` found on the
    /// `PATH` where a `COPY` put it) or a `sh -c "…"` command string — and
    /// reports the script's final long-running command when it is not started
    /// with `exec`. When the script ends in an `if`/`case`, the last command of
    /// each branch is checked. Set-up commands (`echo`, `export`, `cd`,
    /// `mkdir`, `chown`, `wait`, function calls, …) are not long-running. A
    /// command string holding a single command is not reported for bash and zsh,
    /// which `exec` a lone command themselves (`bash -c "gunicorn app:app"`);
    /// it is for `sh`, which is dash in Debian and Ubuntu based images and
    /// BusyBox in Alpine: both fork and stay PID 1.
    ///
    /// In a Compose project, a service's `entrypoint` (or its `command`, when
    /// the image's own entrypoint passes it on) is followed the same way into
    /// the scripts of the build context its Dockerfile COPYs
    /// (`entrypoint: ["./entrypoint.sh"]`). A `sh -c "…"` string written in
    /// the Compose file is `shell-wrapped-command`'s business.
    ///
    /// ## Why is this bad?
    /// Without `exec` the script's shell stays PID 1 and the application runs
    /// as its child. `docker stop` sends SIGTERM to the shell, which neither
    /// forwards it nor exits, so the application gets no chance to shut down
    /// cleanly and is killed with SIGKILL after the 10 s timeout. `exec`
    /// replaces the shell with the application, which then receives the signals.
    ///
    /// ## Example
    /// ```sh
    /// #!/bin/sh
    /// set -e
    /// flask db upgrade
    /// gunicorn -b :5000 app:app
    /// ```
    ///
    /// ## Use instead
    /// ```sh
    /// #!/bin/sh
    /// set -e
    /// flask db upgrade
    /// exec gunicorn -b :5000 app:app
    /// ```
    pub struct EntrypointWithoutExec {
        name: "entrypoint-without-exec",
        code: "DF403",
        group: "process",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "The entrypoint script's final command is not started with `exec`",
    }
}

/// Programs that finish quickly: a script ending with them has no long-running process.
const SHORT_LIVED: &[&str] = &[
    "echo",
    "printf",
    "set",
    "export",
    "cd",
    "source",
    ".",
    "true",
    "false",
    ":",
    "exit",
    "return",
    "test",
    "[",
    "[[",
    "mkdir",
    "chown",
    "chmod",
    "chgrp",
    "rm",
    "cp",
    "mv",
    "ln",
    "touch",
    "sed",
    "cat",
    "wait",
    "trap",
    "unset",
    "shift",
    "local",
    "readonly",
    "declare",
    "typeset",
    "umask",
    "ulimit",
    "envsubst",
    "find",
    "grep",
    "awk",
    "tr",
    "cut",
    "head",
    "sort",
    "date",
    "id",
    "whoami",
    "usermod",
    "useradd",
    "groupadd",
    "adduser",
    "addgroup",
    "install",
    "update-ca-certificates",
    "ldconfig",
    "printenv",
    "env",
    "exec",
    "eval",
    "kill",
    "pkill",
    "killall",
    "sync",
    "chpst",
    "setcap",
    "tee",
    "ls",
    "pwd",
    "basename",
    "dirname",
    "readlink",
    "realpath",
    "sleep",
];

/// Whether the script's main process would be this command, and it runs for long.
pub(crate) fn long_running(c: &SimpleCommand, functions: &[String]) -> bool {
    if c.background
        || c.pipeline.is_some()
        || c.negated
        || c.context == Context::Loop
        || c.context == Context::Function
    {
        return false;
    }
    let u = c.unwrapped();
    let Some(first) = u.argv.first() else {
        return false;
    };
    let Some(name) = first.value.as_deref() else {
        return true;
    };
    let prog = basename(name);
    if functions.iter().any(|f| f == name) {
        return false;
    }
    if prog == "sleep" {
        return u
            .argv
            .get(1)
            .and_then(|w| w.value.as_deref())
            .is_some_and(|v| v.starts_with("inf"));
    }
    !SHORT_LIVED.contains(&prog)
}

impl Rule for EntrypointWithoutExec {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            with_image(cx, &service, |image| {
                let Some(started) = started(cx, &service, image) else {
                    return;
                };
                let key = started.by.key.scalar_text().unwrap_or("entrypoint");
                for layer in &started.resolution.layers {
                    let LayerKind::ContextScript(rel) = &layer.kind else {
                        continue;
                    };
                    let functions = function_names(&layer.text);
                    let env = Env {
                        cx: image.checker,
                        stage: image.stage,
                    };
                    for c in final_commands(&layer.script, &layer.text) {
                        let daemon = classify(c, &env, image.at(), true).is_some();
                        if c.is_exec() || daemon || !long_running(c, &functions) {
                            continue;
                        }
                        let shown = c
                            .argv
                            .first()
                            .map_or_else(String::new, |w| w.raw.to_string());
                        let hint = if shown.contains('@') {
                            format!("exec {shown}")
                        } else {
                            format!("exec {shown} …")
                        };
                        let message = format!(
                            "`{rel}` runs `{shown}` without `exec`: the shell stays PID 1 and does not pass SIGTERM on, so `docker compose stop` kills the process after the 10 s timeout; start it with `{hint}`"
                        );
                        let file = outer_file(cx, image, layer.file);
                        cx.report(
                            Finding::new(TextRange::from(c.range.clone()), message)
                                .in_file(file)
                                .with_related(
                                    cx.file_of(started.by.node),
                                    started.by.node.range,
                                    format!(
                                        "the `{key}` of service `{}` that runs this script",
                                        service.name
                                    ),
                                ),
                        );
                    }
                }
            });
        }
    }

    fn check(&self, cx: &Checker) {
        let mut seen: std::collections::HashSet<(FileId, TextRange)> = Default::default();
        for stage in defining_stages(cx) {
            let resolution = resolve(cx, stage);
            for layer in &resolution.layers {
                // bash and zsh `exec` a lone command of a `-c` string themselves;
                // dash and BusyBox sh fork it.
                if matches!(&layer.kind, LayerKind::CommandString(sh) if execs_lone_command(sh))
                    && layer.script.statements.len() == 1
                    && layer.script.statements[0].kind == StatementKind::Simple
                {
                    continue;
                }
                let functions = function_names(&layer.text);
                for c in final_commands(&layer.script, &layer.text) {
                    // A daemon starter (`service x start`) needs a foreground command, not `exec`
                    // (foreground-process reports it).
                    let daemon = classify(c, &Env { cx, stage }, layer.instruction, true).is_some();
                    if c.is_exec() || daemon || !long_running(c, &functions) {
                        continue;
                    }
                    let range = TextRange::from(layer.mapping.map(cx, c.range.clone()));
                    if seen.contains(&(layer.file, range)) {
                        continue;
                    }
                    seen.insert((layer.file, range));
                    let shown = c
                        .argv
                        .first()
                        .map_or_else(String::new, |w| w.raw.to_string());
                    let hint = if shown.contains('@') {
                        format!("exec {shown}")
                    } else {
                        format!("exec {shown} …")
                    };
                    let shell = match &layer.kind {
                        LayerKind::ContextScript(rel) => format!("`{rel}`"),
                        LayerKind::CommandString(sh) => format!("the `{sh} -c` command string"),
                    };
                    let message = format!(
                        "{shell} runs `{shown}` without `exec`: the shell stays PID 1 and does not pass SIGTERM on, so `docker stop` kills the process after the 10 s timeout; start it with `{hint}`"
                    );
                    let instruction = &cx.dockerfile.instructions[layer.instruction];
                    let mut finding = Finding::new(range, message).in_file(layer.file);
                    if layer.file != FileId::MAIN
                        || !instruction.range.contains(range.start as usize)
                    {
                        finding = finding.with_related(
                            FileId::MAIN,
                            instruction.args_range(),
                            format!("the {} that runs this shell", instruction.keyword.as_str()),
                        );
                    }
                    cx.report(finding);
                }
            }
        }
    }
}

/// Whether a shell replaces itself with the single command of a `-c` string.
fn execs_lone_command(shell: &str) -> bool {
    let name = shell.rsplit('/').next().unwrap_or(shell);
    matches!(name, "bash" | "zsh")
}
