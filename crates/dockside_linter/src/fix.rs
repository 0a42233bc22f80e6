//! Applying fixes: non-overlapping edits, repeated until nothing more
//! applies, and never accepted when the result parses worse than the input.

use std::path::Path;

use dockside_config::Config;

use crate::diagnostic::{Applicability, Diagnostic, Edit, FileId};
use crate::lint::{LintOptions, LintResult, lint_dockerfile};

/// Applies the fixes of `diagnostics` (main file only) to `text`. Fixes whose
/// edits overlap an already accepted fix are skipped (a later pass picks them up).
pub fn apply_fixes(
    text: &str,
    diagnostics: &[Diagnostic],
    include_unsafe: bool,
) -> (String, usize) {
    apply_fixes_in(text, FileId::MAIN, diagnostics, include_unsafe)
}

/// Applies the fixes of the diagnostics reported in `file` to `text` (that file's content).
pub fn apply_fixes_in(
    text: &str,
    file: FileId,
    diagnostics: &[Diagnostic],
    include_unsafe: bool,
) -> (String, usize) {
    let mut fixes: Vec<&crate::diagnostic::Fix> = diagnostics
        .iter()
        .filter(|d| d.file == file)
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| include_unsafe || f.applicability == Applicability::Safe)
        .collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.range.start).min().unwrap_or(0));
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let overlaps = fix.edits.iter().any(|e| {
            accepted.iter().any(|a| {
                e.range.start < a.range.end && a.range.start < e.range.end
                    || (e.range.is_empty() || a.range.is_empty()) && e.range.start == a.range.start
            })
        });
        let in_bounds = fix.edits.iter().all(|e| {
            (e.range.end as usize) <= text.len()
                && text.is_char_boundary(e.range.start as usize)
                && text.is_char_boundary(e.range.end as usize)
        });
        if overlaps || !in_bounds {
            continue;
        }
        accepted.extend(fix.edits.iter());
        applied += 1;
    }
    accepted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for e in accepted {
        out.push_str(&text[cursor..e.range.start as usize]);
        out.push_str(&e.content);
        cursor = e.range.end as usize;
    }
    out.push_str(&text[cursor..]);
    (out, applied)
}

/// The outcome of fixing a file.
pub struct FixOutcome {
    pub text: String,
    /// Number of fixes applied over all passes.
    pub applied: usize,
    /// Diagnostics that remain in the fixed text.
    pub remaining: LintResult,
    /// Set when a pass was rolled back because its result did not parse as well as before.
    pub rejected: Option<String>,
}

const MAX_PASSES: usize = 8;

/// The most text `fix_dockerfile` lints in all its passes after the first: a
/// generated file of tens of megabytes gets one pass (and needs another `--fix`
/// run for the rest) instead of eight.
const MAX_RELINTED_BYTES: usize = 32 << 20;

/// Lints and fixes `source` until no applicable fix remains (at most a few passes).
pub fn fix_dockerfile(
    path: &Path,
    source: &str,
    config: &Config,
    options: &LintOptions,
    include_unsafe: bool,
) -> FixOutcome {
    let mut text = source.to_string();
    let mut result = lint_dockerfile(path, &text, config, options);
    let mut applied = 0;
    let mut rejected = None;
    let mut errors_before = None;
    let mut linted = 0;
    for pass in 0..MAX_PASSES {
        if pass > 0 && linted + text.len() > MAX_RELINTED_BYTES {
            break;
        }
        let (next, n) = apply_fixes(&text, &result.diagnostics, include_unsafe);
        if n == 0 || next == text {
            break;
        }
        let before =
            *errors_before.get_or_insert_with(|| dockside_syntax::parse(&text).errors.len());
        let after = dockside_syntax::parse(&next).errors.len();
        if after > before {
            rejected = Some(format!(
                "fixes were not applied: the result would have {after} syntax error(s) instead of {before}"
            ));
            break;
        }
        errors_before = Some(after);
        text = next;
        applied += n;
        linted += text.len();
        // The previous result goes first: a huge file's two results would not fit.
        drop(result);
        result = lint_dockerfile(path, &text, config, options);
    }
    FixOutcome {
        text,
        applied,
        remaining: result,
        rejected,
    }
}
