//! Code actions: every rule fix as a quick fix, "ignore <rule> for this
//! instruction", and fix-all (all safe fixes).

use dockside_linter::config::suppression::{Tool, parse_comment};
use dockside_linter::{Applicability, Diagnostic, FileId, fix_dockerfile};
use dockside_syntax::TextRange;

use crate::{Analysis, TextEdit};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    /// `source.fixAll.dockside`.
    FixAll,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<TextEdit>,
    /// Indices into `analysis.lint.diagnostics` this action resolves.
    pub diagnostics: Vec<usize>,
    pub preferred: bool,
}

/// Actions for the diagnostics (of the main file) overlapping `range`.
///
/// For each diagnostic: its rule's fix (preferred when it is safe and the only
/// rule fix offered), "Ignore <rule> for this instruction" (a
/// `# dockside ignore=` comment above the instruction, or the rule appended to
/// one already there) and "Ignore <rule> in this file" (a
/// `# dockside global ignore=` comment after the parser directives).
/// Identical actions are merged, their diagnostics combined.
pub fn code_actions(analysis: &Analysis, range: TextRange) -> Vec<CodeAction> {
    let mut fixes: Vec<CodeAction> = Vec::new();
    let mut ignores: Vec<CodeAction> = Vec::new();
    let mut globals: Vec<CodeAction> = Vec::new();
    for (index, d) in analysis.lint.diagnostics.iter().enumerate() {
        if d.file != FileId::MAIN || d.range.start > range.end || range.start > d.range.end {
            continue;
        }
        if let Some(fix) = &d.fix {
            push(
                &mut fixes,
                CodeAction {
                    title: fix.title.clone(),
                    kind: ActionKind::QuickFix,
                    edits: fix.edits.clone(),
                    diagnostics: vec![index],
                    preferred: fix.applicability == Applicability::Safe,
                },
            );
        }
        if d.rule.name == INVALID_SUPPRESSION {
            // Suppression comments cannot suppress their own problems.
            continue;
        }
        if let Some(edit) = ignore_for_instruction(analysis, d) {
            push(
                &mut ignores,
                CodeAction {
                    title: format!("Ignore {} for this instruction", d.rule.name),
                    kind: ActionKind::QuickFix,
                    edits: vec![edit],
                    diagnostics: vec![index],
                    preferred: false,
                },
            );
        }
        push(
            &mut globals,
            CodeAction {
                title: format!("Ignore {} in this file", d.rule.name),
                kind: ActionKind::QuickFix,
                edits: vec![ignore_in_file(analysis, d.rule.name)],
                diagnostics: vec![index],
                preferred: false,
            },
        );
    }
    if fixes.len() > 1 {
        for f in &mut fixes {
            f.preferred = false;
        }
    }
    fixes.extend(ignores);
    fixes.extend(globals);
    fixes
}

const INVALID_SUPPRESSION: &str = "invalid-suppression";

/// Adds `action`, or merges its diagnostics into an identical one already there.
fn push(actions: &mut Vec<CodeAction>, action: CodeAction) {
    match actions
        .iter_mut()
        .find(|a| a.title == action.title && a.edits == action.edits)
    {
        Some(existing) => {
            for d in action.diagnostics {
                if !existing.diagnostics.contains(&d) {
                    existing.diagnostics.push(d);
                }
            }
            existing.preferred &= action.preferred;
        }
        None => actions.push(action),
    }
}

fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// `# dockside ignore=<rule>` above the instruction containing the diagnostic.
fn ignore_for_instruction(analysis: &Analysis, d: &Diagnostic) -> Option<TextEdit> {
    let text: &str = &analysis.text;
    let inst = analysis
        .dockerfile
        .instructions
        .iter()
        .find(|i| i.range.start <= d.range.start && d.range.start <= i.range.end)?;
    let rule = d.rule.name;
    // A `# dockside ignore=` comment directly above: add the rule to it.
    for c in analysis.dockerfile.comments_before(text, inst).iter().rev() {
        let comment = &text[c.range.as_range()];
        if let Some(Ok(s)) = parse_comment(comment)
            && s.tool == Tool::Dockside
            && !s.global
            && let Some((_, last)) = s.rules.last()
        {
            return Some(TextEdit::insert(
                c.range.start as usize + last.end,
                format!(",{rule}"),
            ));
        }
    }
    let li = &analysis.line_index;
    let line_start = li.line_start(li.line_of(inst.range.start as usize));
    let indent: String = text[line_start..inst.range.start as usize]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    Some(TextEdit::insert(
        line_start,
        format!("{indent}# dockside ignore={rule}{}", newline(text)),
    ))
}

/// `# dockside global ignore=<rule>` after the parser directives (or added to
/// a global suppression comment already there).
fn ignore_in_file(analysis: &Analysis, rule: &str) -> TextEdit {
    let text: &str = &analysis.text;
    let li = &analysis.line_index;
    let nl = newline(text);
    let at = match analysis
        .dockerfile
        .directives
        .iter()
        .map(|d| d.range.end)
        .max()
    {
        None => 0,
        Some(end) => {
            let next = li.line_of(end as usize) + 1;
            if next >= li.line_count() {
                return TextEdit::insert(
                    text.len(),
                    format!("{nl}# dockside global ignore={rule}"),
                );
            }
            li.line_start(next)
        }
    };
    if let Some(c) = analysis.dockerfile.comments.iter().find(|c| {
        c.range.start as usize >= at && text[at..c.range.start as usize].trim().is_empty()
    }) && let Some(Ok(s)) = parse_comment(&text[c.range.as_range()])
        && s.tool == Tool::Dockside
        && s.global
        && let Some((_, last)) = s.rules.last()
    {
        return TextEdit::insert(c.range.start as usize + last.end, format!(",{rule}"));
    }
    TextEdit::insert(at, format!("# dockside global ignore={rule}{nl}"))
}

/// Edits applying every safe fix (iterated like `dockside check --fix`); `None` when there is nothing to fix.
///
/// The result is one edit replacing the part of the document that changed.
pub fn fix_all(analysis: &Analysis) -> Option<Vec<TextEdit>> {
    // Fixing lints the document again: not worth it when the current lint has nothing to fix.
    let fixable = analysis.lint.diagnostics.iter().any(|d| {
        d.file == FileId::MAIN
            && d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
    });
    if !fixable {
        return None;
    }
    let outcome = fix_dockerfile(
        &analysis.path,
        &analysis.text,
        &analysis.config,
        &analysis.options,
        false,
    );
    let old: &str = &analysis.text;
    let new = outcome.text.as_str();
    if outcome.applied == 0 || old == new {
        return None;
    }
    // Common prefix and suffix, on character boundaries.
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = (old.len() - prefix).min(new.len() - prefix);
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some(vec![TextEdit::replace(
        TextRange::new(prefix, old.len() - suffix),
        &new[prefix..new.len() - suffix],
    )])
}
