use dockside_shell::{Context, SimpleCommand, StatementKind, Word};
use dockside_syntax::TextRange;

use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::rule::{Rule, RuleMeta};
use crate::rules::process::entrypoint_without_exec::long_running;
use crate::rules::process::main_process::{
    SHELLS, Surroundings, basename, classify, function_names, make_command,
};
use crate::rules::process::shell_form_entrypoint::json_array;

use super::process::{CommandWords, command_words, word_base};

declare_rule! {
    /// ## What it does
    /// Reports a service `command` or `entrypoint` that runs its program through
    /// a shell — `sh -c "…"`, `bash -c "…"`, `["sh", "-c", "…"]` — when the
    /// shell's last command is a long-running program not started with `exec`.
    ///
    /// Which shell matters. `sh` is dash in Debian and Ubuntu based images (the
    /// `python`, `node`, `ruby` … images): dash always forks, so even
    /// `sh -c "python app.py"` keeps dash as PID 1. BusyBox `sh` (Alpine) is
    /// treated the same way. bash and zsh replace themselves with a lone simple
    /// command, so `bash -c "python app.py"` is not reported; with several
    /// commands bash keeps running or not depending on its version and on the
    /// commands (a `trap`, `set -e` or an `if` keeps it), so it is reported.
    /// Set-up commands (`echo`, `cd`, `export`, `sleep 5`, …), pipelines and
    /// background jobs at the end are not reported here; a daemon starter such
    /// as `service nginx start` is `foreground-process`'s business.
    ///
    /// ## Why is this bad?
    /// The shell is the container's PID 1 and the application its child.
    /// `docker compose stop` (and `down`, and every redeploy) sends SIGTERM to
    /// PID 1: the shell neither handles nor forwards it, so the application
    /// never hears about the shutdown and is killed with SIGKILL after the
    /// 10 s grace period — connections cut, work lost, every stop slow.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     build: .
    ///     command: sh -c "python manage.py migrate && gunicorn app.wsgi -b 0.0.0.0:8000"
    ///   test:
    ///     build: .
    ///     command: sh -c "python test.py"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     build: .
    ///     command: sh -c "python manage.py migrate && exec gunicorn app.wsgi -b 0.0.0.0:8000"
    ///   test:
    ///     build: .
    ///     command: ["python", "test.py"]
    /// ```
    ///
    /// ## Fix safety
    /// A command string that is one plain command (literal words, no shell
    /// syntax) is replaced by the exec-form list of its words; otherwise
    /// `exec ` is inserted before the last command when it is a simple command
    /// at the top level. Both fixes are unsafe: the application becomes PID 1
    /// and starts receiving signals (one without a SIGTERM handler now ignores
    /// SIGTERM, as PID 1), and without the shell nothing expands `$VARS` or
    /// `~` any more.
    pub struct ShellWrappedCommand {
        name: "shell-wrapped-command",
        code: "DC105",
        group: "compose-services",
        severity: Warning,
        aliases: [],
        fix: Sometimes,
        summary: "`command: sh -c \"…\"` whose last command is not exec'd: the shell is PID 1",
        target: Compose,
    }
}

/// Builtins that cannot run without a shell.
const BUILTINS: &[&str] = &[
    "cd", "export", "source", ".", "set", "exit", "eval", "alias", "ulimit", "umask", "trap",
    "exec", "unset", "shift", "wait", "read", "readonly", "local", "declare", "typeset", "return",
];

/// What to assume of the image's configuration files: nothing that would make a
/// daemon look like a foreground program.
struct AnyImage;

impl Surroundings for AnyImage {
    fn nginx_daemon_off(&self, _conf: Option<&str>, _at: usize) -> bool {
        true
    }
    fn supervisord_nodaemon(&self, _conf: Option<&str>, _at: usize) -> bool {
        true
    }
    fn php_fpm_daemonize(&self) -> bool {
        false
    }
}

/// The `-c` string of a shell command: the shell's name and the index of the string.
pub(crate) fn shell_string(argv: &[Word]) -> Option<(&str, usize)> {
    let prog = basename(argv.first()?.value.as_deref()?);
    if !SHELLS.contains(&prog) {
        return None;
    }
    let mut k = 1;
    let mut dash_c = false;
    while let Some(v) = argv.get(k).and_then(|w| w.value.as_deref()) {
        if v == "-o" || v == "+o" {
            k += 2;
        } else if v == "--" {
            k += 1;
            break;
        } else if (v.starts_with('-') || v.starts_with('+')) && v.len() > 1 {
            dash_c |= v.starts_with('-') && !v.starts_with("--") && v.contains('c');
            k += 1;
        } else {
            break;
        }
    }
    (dash_c && k < argv.len()).then_some((prog, k))
}

/// The words of a script that is one command needing no shell.
fn plain_words(script: &dockside_shell::Script) -> Option<Vec<String>> {
    if script.has_errors() || script.statements.len() != 1 || script.commands.len() != 1 {
        return None;
    }
    let statement = &script.statements[0];
    let c = &script.commands[0];
    if statement.kind != StatementKind::Simple
        || statement.background
        || !c.assignments.is_empty()
        || !c.redirects.is_empty()
        || c.negated
    {
        return None;
    }
    let mut out = Vec::new();
    for w in &c.argv {
        let v = w.value.as_ref()?;
        if w.has_glob || w.raw.starts_with('~') || (w.raw == *v && v.contains(['{', '}'])) {
            return None;
        }
        out.push(v.to_string());
    }
    out.first()
        .is_some_and(|p| !BUILTINS.contains(&p.as_str()))
        .then_some(out)
}

/// `exec ` can go right before this final command.
fn exec_insertable(script: &dockside_shell::Script, last: &SimpleCommand) -> bool {
    let Some(statement) = script.statements.last() else {
        return false;
    };
    !script.has_errors()
        && script.heredocs.is_empty()
        && matches!(statement.kind, StatementKind::Simple | StatementKind::AndOr)
        && !statement.background
        && last.context == Context::TopLevel
        && last.pipeline.is_none()
        && !last.background
        && !last.negated
        && last.assignments.is_empty()
        && last
            .argv
            .first()
            .and_then(|w| w.value.as_deref())
            .is_some_and(|p| !BUILTINS.contains(&p))
}

impl Rule for ShellWrappedCommand {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            for key in ["entrypoint", "command"] {
                if let Some(words) = command_words(cx, &service, key) {
                    check(cx, &words);
                }
            }
        }
    }
}

fn check(cx: &ComposeChecker, cw: &CommandWords) {
    let command = make_command(cw.words.clone());
    let unwrapped = command.unwrapped();
    let argv = unwrapped.argv;
    let Some((shell, k)) = shell_string(argv) else {
        return;
    };
    let string = &argv[k];
    let Some(text) = string.value.as_deref() else {
        return;
    };
    let script = dockside_shell::parse(text);
    let Some(last) = script.final_command() else {
        return;
    };
    if last.is_exec() || !long_running(last, &function_names(text)) {
        return;
    }
    if classify(last, &AnyImage, 0, false).is_some() {
        return;
    }
    let lone = script.statements.len() == 1
        && script.statements[0].kind == StatementKind::Simple
        && script.commands.len() == 1;
    if lone && matches!(shell, "bash" | "zsh") {
        return;
    }
    let program = last
        .unwrapped()
        .argv
        .first()
        .map_or_else(String::new, |w| w.raw.to_string());
    let which = match shell {
        "sh" => " (`sh` is dash in Debian and Ubuntu based images, which always forks)",
        "dash" => " (dash always forks)",
        "bash" => {
            " (bash replaces itself with the last command only in some cases, depending on its version and on the commands)"
        }
        _ => "",
    };
    let message = format!(
        "`{shell} -c` keeps the shell as PID 1{which} and runs `{program}` as its child: `docker compose stop` sends SIGTERM to the shell, which does not pass it on, so `{program}` is killed after the 10 s grace period; start it with `exec`"
    );
    let range = TextRange::from(string.range.clone());
    let mut finding = cx.finding_in(cw.node, range, message);
    let whole_command = k + 1 == argv.len() && argv.len() == cw.words.len();
    let flow_or_string = !cw.list_form || cx.project.written(cw.node).starts_with('[');
    if let Some(words) = plain_words(&script).filter(|_| whole_command && flow_or_string) {
        finding = finding.with_fix(Fix::unsafe_(
            "Run the command without a shell (exec form)",
            vec![Edit::replace(cw.node.range, json_array(&words))],
        ));
    } else if exec_insertable(&script, last)
        && let Some(base) = word_base(string, text)
    {
        finding = finding.with_fix(Fix::unsafe_(
            format!("Start `{program}` with `exec`"),
            vec![Edit::insert(base + last.range.start, "exec ")],
        ));
    }
    cx.report(finding);
}
