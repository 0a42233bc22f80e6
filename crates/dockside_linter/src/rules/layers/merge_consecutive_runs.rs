use dockside_semantic::{ScriptOrigin, ShellCode};
use dockside_shell::{Context, StatementKind};
use dockside_syntax::{Body, CommandForm, Instruction};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, FileId, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports consecutive `RUN` instructions of the same stage (only comments
    /// and blank lines between them) that could be a single `RUN`. RUNs with
    /// different flags (`--mount`, `--network`, `--security`), exec-form RUNs
    /// (`RUN ["…"]`) and RUNs with heredocs are never merged, and a stage
    /// boundary ends the sequence. Two large RUNs in a row (several lines, at
    /// least four commands each) are left apart: such steps are usually kept
    /// separate on purpose. One finding is reported per sequence.
    ///
    /// ## Why is this bad?
    /// Every `RUN` creates a layer. Files written by one and deleted or
    /// overwritten by the next still ship in the first layer, each layer adds
    /// metadata and pull overhead, and the build cache gets invalidated in
    /// steps that belong together (an `apt-get update` cached apart from the
    /// `apt-get install` that needs it).
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN pip install --no-cache-dir --upgrade pip
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN pip install --no-cache-dir --upgrade pip && \
    ///     pip install --no-cache-dir -r requirements.txt
    /// ```
    ///
    /// ## Fix safety
    /// The fix is safe: it joins the commands with ` && \` and a new line, so
    /// each later RUN only runs when the earlier ones succeeded, as before.
    /// Comments between the RUNs are moved above the merged RUN. To keep the
    /// meaning exactly:
    /// - a RUN that changes the shell's state for what follows (`cd`, `export`,
    ///   `set`, `source`, `umask`, `exit`, `exec`, variable assignments, function
    ///   definitions) and is not the last one is wrapped in a subshell `( … )`,
    ///   since each RUN used to start from a fresh shell;
    /// - a later RUN with several statements (`a; b`) or a top-level `||` is
    ///   wrapped in `{ …; }`, so that `&&` guards all of it;
    /// - a trailing `;` is dropped before ` && `.
    ///
    /// No fix is offered when a RUN's shell text ends in a shell comment or does
    /// not parse; the finding is still reported.
    pub struct MergeConsecutiveRuns {
        name: "merge-consecutive-runs",
        code: "DF101",
        group: "layers",
        severity: Warning,
        aliases: ["DL3059"],
        fix: Always,
        summary: "Consecutive RUN instructions that could be one layer",
    }
}

/// Shell builtins whose effect outlives the command in the current shell.
const STATEFUL: &[&str] = &[
    "cd", "pushd", "popd", "export", "set", "unset", "source", ".", "umask", "alias", "unalias",
    "shopt", "declare", "typeset", "readonly", "local", "trap", "ulimit", "hash", "exit", "exec",
    "return", "enable", "eval",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Wrap {
    None,
    Subshell,
    Group,
}

struct Part<'a> {
    inst: &'a Instruction,
    code: &'a ShellCode,
}

impl Rule for MergeConsecutiveRuns {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let mut group: Vec<Part> = Vec::new();
        let mut key: Option<(Option<usize>, FlagKey)> = None;
        for (_, inst, info) in cx.instructions() {
            let code = mergeable(inst, info);
            let this_key = code.map(|_| (info.stage, flag_key(inst)));
            match (code, this_key) {
                // Two large scripts in a row are usually separate steps on purpose
                // (each cleaning up after itself, cached apart): leave them.
                (Some(code), Some(k))
                    if key.as_ref() == Some(&k)
                        && !(group.last().is_some_and(|p| is_large(p.code)) && is_large(code)) =>
                {
                    group.push(Part { inst, code })
                }
                (Some(code), Some(k)) => {
                    flush(cx, &group);
                    group = vec![Part { inst, code }];
                    key = Some(k);
                }
                _ => {
                    flush(cx, &group);
                    group.clear();
                    key = None;
                }
            }
        }
        flush(cx, &group);
    }
}

/// The shell code of a RUN that can take part in a merge.
fn mergeable<'a>(
    inst: &'a Instruction,
    info: &'a dockside_semantic::InstructionInfo,
) -> Option<&'a ShellCode> {
    if !super::is_run(inst) || !inst.heredocs.is_empty() || !info.shell.is_posix() {
        return None;
    }
    if !matches!(inst.body, Body::Command(CommandForm::Shell(_))) || info.scripts.len() != 1 {
        return None;
    }
    let code = &info.scripts[0];
    if code.origin != ScriptOrigin::Line || code.text.as_str().trim().is_empty() {
        return None;
    }
    // `RUN server &` ends with a background job: chaining would change when it runs.
    if code.script.statements.iter().any(|s| s.background) {
        return None;
    }
    Some(code)
}

/// The RUN's flags, sorted: RUNs merge only when these are equal.
type FlagKey = Vec<(String, Option<String>)>;

fn flag_key(inst: &Instruction) -> FlagKey {
    let mut flags: Vec<(String, Option<String>)> = inst
        .flags
        .iter()
        .map(|f| {
            (
                f.name.to_ascii_lowercase(),
                f.value.as_ref().map(|v| v.trim().to_string()),
            )
        })
        .collect();
    flags.sort();
    flags
}

fn flush(cx: &Checker, group: &[Part]) {
    if group.len() < 2 {
        return;
    }
    let first = &group[0];
    let last = &group[group.len() - 1];
    let range = group[1].inst.keyword_range.cover(last.inst.keyword_range);
    let (l1, l2) = (
        cx.line_number(first.inst.keyword_range.start),
        cx.line_number(last.inst.keyword_range.start),
    );
    let message = format!(
        "{} consecutive RUN instructions (lines {l1}-{l2}) create {} layers: join them into one RUN with `&&`",
        group.len(),
        group.len()
    );
    let mut finding = Finding::new(range, message).with_related(
        FileId::MAIN,
        first.inst.keyword_range,
        "the sequence starts here",
    );
    if let Some(fix) = merge_fix(cx, group) {
        finding = finding.with_fix(fix);
    }
    cx.report(finding);
}

fn merge_fix(cx: &Checker, group: &[Part]) -> Option<Fix> {
    let n = group.len();
    // (source start, source end of the content, wrap)
    let mut spans = Vec::with_capacity(n);
    for (i, part) in group.iter().enumerate() {
        let code = part.code;
        let script = &code.script;
        if script.has_errors() {
            return None;
        }
        let text = code.text.as_str();
        let last_stmt = script.statements.last()?;
        // Only `;` and blanks may follow the last statement (a shell comment would swallow ` && \`).
        if !text[last_stmt.range.end..]
            .chars()
            .all(|c| c.is_whitespace() || c == ';')
        {
            return None;
        }
        let content_start = text.len() - text.trim_start().len();
        let start = code.source_range(content_start..content_start + 1).start as usize;
        let end = code
            .source_range(last_stmt.range.end - 1..last_stmt.range.end)
            .end as usize;
        let wrap = if i + 1 < n && changes_state(code) {
            Wrap::Subshell
        } else if i > 0 && is_compound(code) {
            Wrap::Group
        } else {
            Wrap::None
        };
        spans.push((start, end, wrap));
    }
    let esc = cx.dockerfile.escape;
    let mut edits = Vec::new();
    // Comments between the RUNs move above the merged RUN.
    let mut moved = String::new();
    for pair in group.windows(2) {
        let (a, b) = (pair[0].inst.range.end, pair[1].inst.range.start);
        for c in cx
            .dockerfile
            .comments
            .iter()
            .filter(|c| !c.inside_instruction && c.range.start >= a && c.range.end <= b)
        {
            moved.push_str(cx.text(c.range));
            moved.push('\n');
        }
    }
    if !moved.is_empty() {
        let line = cx.line_index.line_of(group[0].inst.range.start as usize);
        edits.push(Edit::insert(cx.line_index.line_start(line), moved));
    }
    let (o0, _) = wrap_text(spans[0].2);
    if !o0.is_empty() {
        edits.push(Edit::insert(spans[0].0, o0));
    }
    for i in 0..n - 1 {
        let (_, c) = wrap_text(spans[i].2);
        let (o, _) = wrap_text(spans[i + 1].2);
        let joiner = format!("{c} && {esc}\n    {o}");
        edits.push(Edit::replace(
            dockside_syntax::TextRange::new(spans[i].1, spans[i + 1].0),
            joiner,
        ));
    }
    let (_, cl) = wrap_text(spans[n - 1].2);
    if !cl.is_empty() {
        edits.push(Edit::insert(spans[n - 1].1, cl));
    }
    Some(Fix::safe(format!("Merge the {n} RUN instructions"), edits))
}

fn wrap_text(w: Wrap) -> (&'static str, &'static str) {
    match w {
        Wrap::None => ("", ""),
        Wrap::Subshell => ("( ", " )"),
        Wrap::Group => ("{ ", "; }"),
    }
}

/// The script changes the state of the shell for the commands after it.
fn changes_state(code: &ShellCode) -> bool {
    let script = &code.script;
    if script
        .statements
        .iter()
        .any(|s| s.kind == StatementKind::FunctionDef)
    {
        return true;
    }
    script.commands.iter().any(|c| {
        if matches!(c.context, Context::Subshell | Context::Substitution) || c.pipeline.is_some() {
            return false;
        }
        (c.argv.is_empty() && !c.assignments.is_empty())
            || c.is_exec()
            || c.name().is_some_and(|n| STATEFUL.contains(&n))
            || c.program().is_some_and(|n| STATEFUL.contains(&n))
    })
}

/// `&&` in front of the script would not guard all of it.
fn is_compound(code: &ShellCode) -> bool {
    let script = &code.script;
    if script.statements.len() > 1 {
        return true;
    }
    script.statements.iter().any(|s| {
        s.kind == StatementKind::AndOr && code.text.as_str()[s.range.clone()].contains("||")
    })
}

/// A script of several lines with at least four commands.
fn is_large(code: &ShellCode) -> bool {
    code.script.commands.len() >= 4 && code.source_range(0..code.text.len()).len() > code.text.len()
}
