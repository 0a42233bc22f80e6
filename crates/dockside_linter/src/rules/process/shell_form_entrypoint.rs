use dockside_semantic::ShellCode;
use dockside_shell::{Context, StatementKind};
use dockside_syntax::{Body, CommandForm, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

use super::main_process::line_code;

declare_rule! {
    /// ## What it does
    /// Reports `CMD` and `ENTRYPOINT` written in shell form (`CMD python app.py`),
    /// and those whose JSON is invalid (`CMD ['python', 'app.py']`: JSON strings
    /// need double quotes), which Docker silently runs in shell form too.
    ///
    /// Not reported: `HEALTHCHECK CMD` and `ONBUILD` instructions; commands
    /// whose last command is already started with `exec` (the shell replaces
    /// itself, so the application is PID 1); stages where a `SHELL` instruction
    /// chose the shell (like BuildKit's `JSONArgsRecommended`: the author opted
    /// into shell processing, and the JSON form would bypass that shell); and
    /// Windows stages (`cmd`/PowerShell).
    ///
    /// ## Why is this bad?
    /// Docker runs a shell-form command as `/bin/sh -c "…"`: the shell is the
    /// container's PID 1 and the application its child. `docker stop` sends
    /// SIGTERM to the shell, which does not pass it on, so the application
    /// cannot shut down cleanly and is killed after the 10 s timeout. A
    /// shell-form `ENTRYPOINT` also ignores `CMD` and `docker run` arguments.
    /// Invalid JSON is worse: `/bin/sh -c "['python', 'app.py']"` looks for a
    /// program called `[python,` and the container fails to start.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD python app.py
    /// ENTRYPOINT ['gunicorn', 'app:app']
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// CMD ["python", "app.py"]
    /// ENTRYPOINT ["gunicorn", "app:app"]
    /// ```
    ///
    /// ## Fix safety
    /// A plain command — literal words only, no variables, globs, redirections,
    /// pipes, `&&`, `;` or other shell syntax — is rewritten as a JSON array of
    /// the same words, and single-quoted pseudo-JSON whose strings are plain is
    /// rewritten with double quotes. These fixes are safe, unless the
    /// instruction is an `ENTRYPOINT` of a stage that also has a `CMD` (the
    /// `CMD`, ignored until now, would start being passed as arguments) or a
    /// `CMD` under an `ENTRYPOINT` of the Dockerfile (the entrypoint then sees
    /// the program instead of `/bin/sh` as `$1` and may behave differently):
    /// the fix is unsafe then.
    ///
    /// A command that needs the shell, but whose last command is a simple
    /// command at the top level (`pkill nginx; supervisord -n`,
    /// `gunicorn -w $WORKERS app:app`), gets an unsafe fix that keeps the shell
    /// and `exec`s that last command: `["/bin/sh", "-c", "pkill nginx; exec supervisord -n"]`.
    /// It is unsafe because the application now becomes PID 1 itself, which
    /// changes how it sees signals (an application without a SIGTERM handler
    /// ignores SIGTERM as PID 1), and a builtin or function at that position
    /// behaves differently under `exec`. Pipelines, background jobs and
    /// compound commands get no fix.
    pub struct ShellFormEntrypoint {
        name: "shell-form-entrypoint",
        code: "DF402",
        group: "process",
        severity: Warning,
        aliases: ["DL3025", "JSONArgsRecommended"],
        fix: Sometimes,
        summary: "CMD/ENTRYPOINT in shell form: the shell is PID 1 and the app gets no signals",
    }
}

/// Shell builtins: as JSON-form programs they would not be found.
const BUILTINS: &[&str] = &[
    "cd", "export", "source", ".", "set", "exit", "eval", "alias", "ulimit", "umask", "trap",
    "exec", "unset", "shift", "wait", "read", "readonly", "local", "declare", "typeset", "return",
    "break", "continue", "command", "builtin",
];

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(crate) fn json_array(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| json_string(s))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The words of a command that needs no shell at all.
fn plain_argv(code: &ShellCode) -> Option<Vec<String>> {
    let s = &code.script;
    if s.has_errors() || !s.heredocs.is_empty() || s.statements.len() != 1 || s.commands.len() != 1
    {
        return None;
    }
    let st = &s.statements[0];
    let c = &s.commands[0];
    if st.kind != StatementKind::Simple
        || st.background
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
    if out.first().is_none_or(|p| BUILTINS.contains(&p.as_str())) {
        return None;
    }
    Some(out)
}

/// `['python', 'app.py']`: strings quoted with `'` (or `"`) and plain inside.
fn quoted_list(text: &str) -> Option<Vec<String>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
    if inner.trim().is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for part in inner.split(',') {
        let p = part.trim();
        if p.len() < 2 {
            return None;
        }
        let q = p.chars().next()?;
        if !matches!(q, '\'' | '"') || !p.ends_with(q) {
            return None;
        }
        let s = &p[1..p.len() - 1];
        if s.contains(['\'', '"', '\\']) {
            return None;
        }
        out.push(s.to_string());
    }
    Some(out)
}

/// The shell text with `exec ` before its final command, when that is simple.
fn exec_final(code: &ShellCode) -> Option<String> {
    let s = &code.script;
    if s.has_errors() || !s.heredocs.is_empty() {
        return None;
    }
    let st = s.statements.last()?;
    if !matches!(st.kind, StatementKind::Simple | StatementKind::AndOr) || st.background {
        return None;
    }
    let c = s.final_command()?;
    if c.context != Context::TopLevel
        || c.pipeline.is_some()
        || c.background
        || c.negated
        || !c.assignments.is_empty()
    {
        return None;
    }
    let prog = c.argv.first()?.value.as_deref()?;
    if BUILTINS.contains(&prog) {
        return None;
    }
    let text = code.text.as_str();
    Some(format!(
        "{}exec {}",
        &text[..c.range.start],
        &text[c.range.start..]
    ))
}

/// A SHELL instruction is in effect at instruction `i` (in its stage or a parent stage).
fn shell_changed(cx: &Checker, first_shell: &[Option<usize>], i: usize) -> bool {
    let Some(stage) = cx.model.instructions[i].stage else {
        return false;
    };
    cx.model.stage_ancestry(stage).into_iter().any(|s| {
        first_shell
            .get(s)
            .copied()
            .flatten()
            .is_some_and(|at| s != stage || at < i)
    })
}

/// Per stage: its first SHELL instruction.
fn first_shells(cx: &Checker) -> Vec<Option<usize>> {
    cx.model
        .stages
        .iter()
        .map(|s| {
            s.instructions()
                .find(|&i| cx.dockerfile.instructions[i].keyword == Keyword::Shell)
        })
        .collect()
}

/// Per instruction: whether turning it (a CMD or ENTRYPOINT) into exec form
/// changes which arguments reach it.
fn arguments_change(cx: &Checker) -> Vec<bool> {
    let mut out = vec![false; cx.dockerfile.instructions.len()];
    for s in &cx.model.stages {
        if let (Some(entrypoint), Some(cmd)) = (s.entrypoint, s.cmd) {
            for i in [entrypoint, cmd] {
                if let Some(slot) = out.get_mut(i) {
                    *slot = true;
                }
            }
        }
    }
    out
}

impl Rule for ShellFormEntrypoint {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let first_shell = first_shells(cx);
        let changes_arguments = arguments_change(cx);
        for (i, inst, info) in cx.instructions() {
            if !matches!(inst.keyword, Keyword::Cmd | Keyword::Entrypoint) || info.stage.is_none() {
                continue;
            }
            let Body::Command(CommandForm::Shell(form)) = &inst.body else {
                continue;
            };
            if form.text.as_str().trim().is_empty()
                || !info.shell.is_posix()
                || shell_changed(cx, &first_shell, i)
            {
                continue;
            }
            let keyword = inst.keyword.as_str();
            let range = inst.args_range();
            let careful = changes_arguments[i];
            let make_fix = |title: &str, json: String, safe: bool| {
                let edits = vec![Edit::replace(range, json)];
                if safe && !careful {
                    Fix::safe(title, edits)
                } else {
                    Fix::unsafe_(title, edits)
                }
            };
            if let Some(err) = &form.malformed_json {
                let message = format!(
                    "{keyword} is not a valid JSON array ({}), so Docker runs the whole text with `/bin/sh -c`, where it cannot work; write a JSON array of double-quoted strings",
                    err.message
                );
                let fix = quoted_list(form.text.as_str()).map(|items| {
                    make_fix(
                        "Rewrite as a JSON array with double quotes",
                        json_array(&items),
                        true,
                    )
                });
                let mut finding = Finding::new(range, message);
                if let Some(fix) = fix {
                    finding = finding.with_fix(fix);
                }
                cx.report(finding);
                continue;
            }
            let Some(code) = line_code(cx, i) else {
                continue;
            };
            if code
                .script
                .final_command()
                .is_some_and(|c| c.is_exec() && !c.background && c.pipeline.is_none())
            {
                continue;
            }
            let mut message = format!(
                "{keyword} in shell form runs as `/bin/sh -c …`: the shell is PID 1 and does not pass SIGTERM on, so `docker stop` kills the app after the 10 s timeout"
            );
            if inst.keyword == Keyword::Entrypoint {
                message.push_str(", and CMD/`docker run` arguments are ignored");
            }
            message.push_str("; use the JSON form");
            let fix = if let Some(argv) = plain_argv(code) {
                Some(make_fix(
                    "Use the JSON (exec) form",
                    json_array(&argv),
                    true,
                ))
            } else {
                exec_final(code).map(|text| {
                    make_fix(
                        "Use the JSON form with `/bin/sh -c` and `exec` the last command",
                        json_array(&["/bin/sh".into(), "-c".into(), text]),
                        false,
                    )
                })
            };
            let mut finding = Finding::new(range, message);
            if let Some(fix) = fix {
                finding = finding.with_fix(fix);
            }
            cx.report(finding);
        }
    }
}
