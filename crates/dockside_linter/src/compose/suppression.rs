//! Suppression comments in Compose files: `# dockside ignore=rule -- reason` on its own
//! line covers the next key and everything nested under it; at the end of a line it covers
//! that line; `# dockside global ignore=rule` covers the whole file.

use dockside_compose::Project;
use dockside_config::Config;
use dockside_config::suppression::parse_comment;
use dockside_syntax::TextRange;

use crate::diagnostic::{Diagnostic, FileId, SourceFile};
use crate::lint::Suppressed;
use crate::rules::suppressions::suppression_without_reason::SuppressionWithoutReason;
use crate::rules::syntax::invalid_suppression::InvalidSuppression;
use crate::suppression::{
    Scope, check_rule_names, report_problems, take_suppressed, without_reason,
};

/// Removes the diagnostics a comment suppresses and returns them.
pub(crate) fn apply(
    project: &Project,
    files: &[SourceFile],
    diagnostics: &mut Vec<Diagnostic>,
    config: &Config,
) -> Vec<Suppressed> {
    let mut scopes = Vec::new();
    let mut problems = Vec::new();
    let mut reasonless = Vec::new();
    // `disable-inline-ignores` (hadolint's `disable-ignore-pragma`): comments are not honoured.
    let files_with_comments = if config.disable_inline_ignores {
        0
    } else {
        project.files.len()
    };
    for (i, file) in files.iter().enumerate().take(files_with_comments) {
        let id = FileId(i as u32);
        let lines: Vec<(usize, &str)> = file
            .text
            .split_inclusive('\n')
            .scan(0, |offset, line| {
                let start = *offset;
                *offset += line.len();
                Some((start, line))
            })
            .collect();
        for (n, &(start, line)) in lines.iter().enumerate() {
            let Some(hash) = comment_start(line) else {
                continue;
            };
            let text = line[hash..].trim_end();
            let comment_range = TextRange::new(start + hash, start + hash + text.len());
            match parse_comment(text) {
                None => {}
                Some(Err(e)) => problems.push((
                    id,
                    TextRange::new(
                        comment_range.start as usize + e.range.start,
                        comment_range.start as usize + e.range.end,
                    ),
                    e.message,
                )),
                Some(Ok(s)) => {
                    check_rule_names(&s, comment_range, id, &mut problems);
                    if s.reason.is_none() {
                        reasonless.push(without_reason(id, comment_range));
                    }
                    let range = if s.global {
                        None
                    } else if line[..hash].trim().is_empty() {
                        block_after(&lines, n)
                    } else {
                        Some(TextRange::new(start, start + line.trim_end().len()))
                    };
                    if s.global || range.is_some() {
                        scopes.push(Scope {
                            file: id,
                            range,
                            comment: s,
                        });
                    }
                }
            }
        }
    }
    let main = project.files.first().map(|f| f.path.as_path());
    if main.is_some_and(|p| config.is_enabled(SuppressionWithoutReason::META.name, false, p)) {
        diagnostics.extend(reasonless);
    }
    let suppressed = take_suppressed(&scopes, diagnostics);
    if main.is_some_and(|p| config.is_enabled(InvalidSuppression::META.name, true, p)) {
        report_problems(problems, diagnostics);
    }
    suppressed
}

/// Where a `#` comment starts on a YAML line (not inside quotes; after a space or at the start).
fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let (mut single, mut double) = (false, false);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'\\' if double => {}
            b'#' if !single && !double && (i == 0 || bytes[i - 1].is_ascii_whitespace()) => {
                return Some(i);
            }
            _ => {}
        }
    }
    None
}

/// The next content line after line `n` and the lines nested under it (more indented).
fn block_after(lines: &[(usize, &str)], n: usize) -> Option<TextRange> {
    let is_content = |l: &str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    let indent = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    let first = (n + 1..lines.len()).find(|&i| is_content(lines[i].1))?;
    let (start, first_line) = lines[first];
    let base = indent(first_line);
    // A list item (`- x`) owns the lines indented past its dash.
    let mut end = start + first_line.trim_end().len();
    for &(s, l) in &lines[first + 1..] {
        if !is_content(l) {
            continue;
        }
        if indent(l) <= base {
            break;
        }
        end = s + l.trim_end().len();
    }
    Some(TextRange::new(start, end))
}
