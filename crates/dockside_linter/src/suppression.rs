//! Inline suppression: `# dockside ignore=rule[,rule] -- reason` above an
//! instruction (or above a line of a script), `# dockside global ignore=…`
//! anywhere, and hadolint's `# hadolint ignore=DLxxxx` equivalents.

use std::path::Path;

use dockside_config::suppression::{SuppressionComment, parse_comment};
use dockside_config::{Config, did_you_mean};
use dockside_syntax::{Dockerfile, TextRange};

use crate::diagnostic::{Diagnostic, FileId, SourceFile};
use crate::lint::Suppressed;
use crate::registry::{all_rules, find_rule};
use crate::rules::syntax::invalid_suppression::InvalidSuppression;

pub(crate) struct Scope {
    pub(crate) file: FileId,
    /// `None` for a global suppression.
    pub(crate) range: Option<TextRange>,
    pub(crate) comment: SuppressionComment,
}

impl Scope {
    pub(crate) fn covers(&self, d: &Diagnostic) -> bool {
        if d.file != self.file || d.rule.name == InvalidSuppression::META.name {
            return false;
        }
        if let Some(r) = self.range
            && !(r.start <= d.range.start && d.range.start <= r.end)
        {
            return false;
        }
        self.comment.all
            || self
                .comment
                .rules
                .iter()
                .any(|(name, _)| d.rule.matches(name))
    }
}

/// Removes the diagnostics a comment suppresses and returns them.
pub(crate) fn apply(
    df: &Dockerfile,
    source: &str,
    files: &[SourceFile],
    diagnostics: &mut Vec<Diagnostic>,
    config: &Config,
    path: &Path,
) -> Vec<Suppressed> {
    let mut scopes = Vec::new();
    let mut problems = Vec::new();
    for comment in &df.comments {
        let text = &source[comment.range.as_range()];
        match parse_comment(text) {
            None => {}
            Some(Err(e)) => {
                let r = TextRange::new(
                    comment.range.start as usize + e.range.start,
                    comment.range.start as usize + e.range.end,
                );
                problems.push((FileId::MAIN, r, e.message));
            }
            Some(Ok(s)) => {
                check_rule_names(&s, comment.range, FileId::MAIN, &mut problems);
                let range = if s.global {
                    None
                } else {
                    // The instruction that follows the comment (blank lines and comments allowed in between).
                    df.instructions
                        .iter()
                        .find(|i| i.range.start >= comment.range.end)
                        .map(|i| i.range)
                };
                if s.global || range.is_some() {
                    scopes.push(Scope {
                        file: FileId::MAIN,
                        range,
                        comment: s,
                    });
                }
            }
        }
    }
    // Other files (scripts, supervisord.conf): a comment applies to the next line.
    for (i, file) in files.iter().enumerate().skip(1) {
        if !diagnostics.iter().any(|d| d.file.0 as usize == i) {
            continue;
        }
        let id = FileId(i as u32);
        let mut offset = 0;
        for line in file.text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if trimmed.starts_with('#') || trimmed.starts_with(';') {
                let start = offset + (line.len() - trimmed.len());
                let text = trimmed.trim_end();
                let normalized = text.replacen(';', "#", 1);
                if let Some(Ok(s)) = parse_comment(&normalized) {
                    let next_start = offset + line.len();
                    let next_end = file.text[next_start..]
                        .find('\n')
                        .map_or(file.text.len(), |n| next_start + n);
                    let range = if s.global {
                        None
                    } else {
                        Some(TextRange::new(next_start, next_end))
                    };
                    let _ = start;
                    scopes.push(Scope {
                        file: id,
                        range,
                        comment: s,
                    });
                }
            }
            offset += line.len();
        }
    }
    let suppressed = take_suppressed(&scopes, diagnostics);
    if config.is_enabled(InvalidSuppression::META.name, true, path) {
        report_problems(problems, diagnostics);
    }
    suppressed
}

/// Moves the diagnostics a scope covers out of `diagnostics`, with the reason of the
/// first scope that covers each.
pub(crate) fn take_suppressed(
    scopes: &[Scope],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Suppressed> {
    let mut suppressed = Vec::new();
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics.drain(..) {
        match scopes.iter().find(|s| s.covers(&d)) {
            Some(scope) => suppressed.push(Suppressed {
                diagnostic: d,
                reason: scope.comment.reason.clone(),
            }),
            None => kept.push(d),
        }
    }
    *diagnostics = kept;
    suppressed
}

/// Reports malformed suppression comments (`invalid-suppression`).
pub(crate) fn report_problems(
    problems: Vec<(FileId, TextRange, String)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    diagnostics.extend(
        problems
            .into_iter()
            .map(|(file, range, message)| Diagnostic {
                rule: &InvalidSuppression::META,
                severity: InvalidSuppression::META.severity,
                message,
                file,
                range,
                related: Vec::new(),
                fix: None,
                tags: Vec::new(),
            }),
    );
}

pub(crate) fn check_rule_names(
    s: &SuppressionComment,
    comment: TextRange,
    file: FileId,
    problems: &mut Vec<(FileId, TextRange, String)>,
) {
    for (name, r) in &s.rules {
        if find_rule(name).is_some() {
            continue;
        }
        // hadolint codes that dockside does not implement are not an error: the comment may serve hadolint too.
        if matches!(s.tool, dockside_config::suppression::Tool::Hadolint) {
            continue;
        }
        let names: Vec<&str> = all_rules().iter().map(|r| r.meta().name).collect();
        let mut message = format!("unknown rule `{name}` in suppression comment");
        if let Some(s) = did_you_mean(name, names.iter().copied()) {
            message.push_str(&format!(" (did you mean `{s}`?)"));
        }
        let range = TextRange::new(
            comment.start as usize + r.start,
            comment.start as usize + r.end,
        );
        problems.push((file, range, message));
    }
}
