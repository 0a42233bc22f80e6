use dockside_syntax::{Body, CommandForm, Healthcheck, Instruction};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags `RUN`, `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` arguments that start
    /// with `[` but are not a valid JSON array of strings: single quotes, a
    /// trailing comma, a missing quote or bracket.
    ///
    /// ## Why is this bad?
    /// Docker does not report the mistake: it silently runs the whole text,
    /// brackets and quotes included, with `/bin/sh -c`. `CMD ['nginx', '-g',
    /// 'daemon off;']` then fails at start-up with `/bin/sh: [nginx,: not found`,
    /// and the process runs under a shell instead of as PID 1.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD ['gunicorn', 'app:app']
    /// ENTRYPOINT ["/entrypoint.sh",]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// CMD ["gunicorn", "app:app"]
    /// ENTRYPOINT ["/entrypoint.sh"]
    /// ```
    ///
    /// ## Fix safety
    /// When replacing single quotes with double quotes, or removing a trailing
    /// comma, gives a valid array, the fix does that. The instruction then runs
    /// in exec form instead of through `/bin/sh -c`, which is what the author
    /// meant but changes what runs: unsafe.
    pub struct MalformedExecForm {
        name: "malformed-exec-form",
        code: "DF007",
        group: "syntax",
        severity: Error,
        aliases: [],
        fix: Sometimes,
        summary: "Exec-form JSON that is not valid JSON runs as a shell command instead",
    }
}

fn check_instruction(cx: &Checker, inst: &Instruction) {
    let form = match &inst.body {
        Body::Command(c) => c,
        Body::Healthcheck(Healthcheck::Cmd { command, .. }) => command,
        Body::Onbuild(Some(inner)) => return check_instruction(cx, inner),
        _ => return,
    };
    let CommandForm::Shell(shell) = form else {
        return;
    };
    let Some(err) = &shell.malformed_json else {
        return;
    };
    // Arrays with non-string elements are syntax errors already.
    if cx.dockerfile.errors.iter().any(|e| e.range == err.range) {
        return;
    }
    let text = shell.text.as_str();
    if !intended_as_json(text) {
        return;
    }
    let range = shell.text.source_range(0..shell.text.len());
    let mut finding = Finding::new(
        range,
        format!(
            "{} is not valid JSON ({}), so Docker runs it with `/bin/sh -c` as written: use a JSON array of double-quoted strings",
            inst.keyword.as_str(),
            err.message
        ),
    );
    // The source text must be one piece (no continuation) for a simple replacement.
    let source = cx.text(range);
    if source == text
        && let Some(fixed) = repair(text)
    {
        finding = finding.with_fix(Fix::unsafe_(
            "Rewrite as a JSON array",
            vec![Edit::replace(range, fixed)],
        ));
    }
    cx.report(finding);
}

/// Whether text starting with `[` was meant as an exec-form array rather than a shell
/// command such as `[ "$X" = y ] && …`: its first element is a quoted string followed
/// by `,`, `]` or nothing, and nothing but blanks follows a closing `]`.
fn intended_as_json(text: &str) -> bool {
    let Some(inner) = text.strip_prefix('[') else {
        return false;
    };
    let inner = inner.trim_start();
    let mut chars = inner.char_indices();
    let Some((_, quote)) = chars.next() else {
        return false;
    };
    if quote != '"' && quote != '\'' {
        return false;
    }
    let mut escaped = false;
    let mut close = None;
    for (i, c) in chars {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            close = Some(i + c.len_utf8());
            break;
        }
    }
    let Some(close) = close else { return true };
    let next = inner[close..].trim_start().chars().next();
    if !matches!(next, None | Some(',' | ']')) {
        return false;
    }
    let trimmed = text.trim_end();
    !trimmed.contains(']') || trimmed.ends_with(']')
}

/// Single quotes turned into double quotes and a trailing comma removed, when that
/// gives a valid array of strings.
fn repair(text: &str) -> Option<String> {
    let mut candidates = Vec::new();
    if text.contains('\'') && !text.contains('"') {
        candidates.push(text.replace('\'', "\""));
    }
    let mut more = Vec::new();
    for c in candidates.iter().map(String::as_str).chain([text]) {
        let trimmed = c.trim_end();
        if let Some(body) = trimmed.strip_suffix(']') {
            let body = body.trim_end();
            if let Some(without) = body.strip_suffix(',') {
                more.push(format!("{without}]"));
            }
        }
    }
    candidates.extend(more);
    candidates
        .into_iter()
        .find(|c| dockside_syntax::parse_exec_json(c).is_some())
}

impl Rule for MalformedExecForm {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for inst in &cx.dockerfile.instructions {
            check_instruction(cx, inst);
        }
    }
}
