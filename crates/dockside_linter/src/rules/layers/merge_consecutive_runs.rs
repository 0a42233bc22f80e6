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
    /// separate on purpose. Like hadolint's DL3059, every RUN that could join
    /// the RUN before it is reported on its own line, so
    /// `# hadolint ignore=DL3059` (or `# dockside ignore=merge-consecutive-runs`)
    /// above a RUN keeps that RUN apart.
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
    /// The fix is safe: it joins the reported RUN to the RUN before it with
    /// ` && \` and a new line, so it only runs when the earlier one succeeded,
    /// as before (fixing the whole file merges a whole sequence). Comments
    /// between the two RUNs are moved above the merged RUN. To keep the meaning
    /// exactly:
    /// - an earlier RUN that changes the shell's state for what follows (`cd`,
    ///   `export`, `set`, `source`, `umask`, `exit`, `exec`, variable
    ///   assignments, function definitions) is wrapped in a subshell `( … )`,
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

/// Reports every RUN of the sequence that could join the RUN before it.
fn flush(cx: &Checker, group: &[Part]) {
    for pair in group.windows(2) {
        let (previous, this) = (&pair[0], &pair[1]);
        let line = cx.line_number(previous.inst.keyword_range.start);
        let message = format!(
            "this RUN directly follows the RUN on line {line} and adds another layer: join them into one RUN with `&&`"
        );
        let mut finding = Finding::new(this.inst.keyword_range, message).with_related(
            FileId::MAIN,
            previous.inst.keyword_range,
            "the previous RUN",
        );
        if let Some(fix) = merge_fix(cx, pair) {
            finding = finding.with_fix(fix);
        }
        cx.report(finding);
    }
}

/// The fix that merges `pair[1]` into `pair[0]`. A part that needs wrapping is rewritten
/// inside the same edit as the joint, so the fixes of a whole sequence apply together in
/// one pass, except when two of them would wrap the same RUN (then they conflict and the
/// second waits for the next pass).
fn merge_fix(cx: &Checker, pair: &[Part]) -> Option<Fix> {
    let (previous, this) = (&pair[0], &pair[1]);
    let (start0, end0) = content_span(previous.code)?;
    let (start1, end1) = content_span(this.code)?;
    let wrap0 = if changes_state(previous.code) {
        Wrap::Subshell
    } else {
        Wrap::None
    };
    let wrap1 = if is_compound(this.code) {
        Wrap::Group
    } else {
        Wrap::None
    };
    let source = cx.source;
    let mut joined = String::new();
    let edit_start = if wrap0 == Wrap::None {
        end0
    } else {
        let (open, close) = wrap_text(wrap0);
        joined.push_str(open);
        joined.push_str(&source[start0..end0]);
        joined.push_str(close);
        start0
    };
    joined.push_str(&format!(" && {}\n    ", cx.dockerfile.escape));
    let edit_end = if wrap1 == Wrap::None {
        start1
    } else {
        let (open, close) = wrap_text(wrap1);
        joined.push_str(open);
        joined.push_str(&source[start1..end1]);
        joined.push_str(close);
        end1
    };
    let mut edits = Vec::new();
    // Comments between the RUNs move above the merged RUN.
    let (a, b) = (previous.inst.range.end, this.inst.range.start);
    let comments = &cx.dockerfile.comments;
    let first = comments.partition_point(|c| c.range.start < a);
    let moved: String = comments[first..]
        .iter()
        .take_while(|c| c.range.start < b)
        .filter(|c| !c.inside_instruction && c.range.end <= b)
        .map(|c| format!("{}\n", cx.text(c.range)))
        .collect();
    if !moved.is_empty() {
        let line = cx.line_index.line_of(previous.inst.range.start as usize);
        edits.push(Edit::insert(cx.line_index.line_start(line), moved));
    }
    edits.push(Edit::replace(
        dockside_syntax::TextRange::new(edit_start, edit_end),
        joined,
    ));
    let line = cx.line_number(previous.inst.keyword_range.start);
    Some(Fix::safe(
        format!("Merge into the RUN on line {line}"),
        edits,
    ))
}

/// Where the shell text of a RUN starts and ends in the Dockerfile (without surrounding
/// blanks and a trailing `;`). `None` when it does not parse or ends in a shell comment,
/// which would swallow the ` && \` after it.
fn content_span(code: &ShellCode) -> Option<(usize, usize)> {
    let script = &code.script;
    if script.has_errors() {
        return None;
    }
    let text = code.text.as_str();
    let last_stmt = script.statements.last()?;
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
    Some((start, end))
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
