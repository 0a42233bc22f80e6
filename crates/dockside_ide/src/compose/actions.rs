//! Code actions in Compose files: rule fixes as quick fixes, suppression comments, and
//! fix-all (every safe fix of the project, as it changes the document).

use dockside_linter::{Applicability, fix_compose};
use dockside_syntax::TextRange;

use super::ComposeAnalysis;
use crate::{ActionKind, CodeAction, TextEdit};

const INVALID_SUPPRESSION: &str = "invalid-suppression";

/// Actions for the diagnostics of the document overlapping `range`: each rule fix
/// (preferred when safe and alone), "Ignore <rule> here" (a `# dockside ignore=` comment
/// above the key) and "Ignore <rule> in this file" (`# dockside global ignore=` on top).
pub fn code_actions(analysis: &ComposeAnalysis, range: TextRange) -> Vec<CodeAction> {
    let Some(main) = analysis.main_file() else {
        return Vec::new();
    };
    let mut fixes: Vec<CodeAction> = Vec::new();
    let mut ignores: Vec<CodeAction> = Vec::new();
    let mut globals: Vec<CodeAction> = Vec::new();
    for (index, d) in analysis.lint.diagnostics.iter().enumerate() {
        if d.file != main || d.range.start > range.end || range.start > d.range.end {
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
            continue;
        }
        push(
            &mut ignores,
            CodeAction {
                title: format!("Ignore {} here", d.rule.name),
                kind: ActionKind::QuickFix,
                edits: vec![ignore_here(
                    &analysis.text,
                    d.range.start as usize,
                    d.rule.name,
                )],
                diagnostics: vec![index],
                preferred: false,
            },
        );
        push(
            &mut globals,
            CodeAction {
                title: format!("Ignore {} in this file", d.rule.name),
                kind: ActionKind::QuickFix,
                edits: vec![ignore_in_file(&analysis.text, d.rule.name)],
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

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1)
}

/// `# dockside ignore=<rule>` on its own line above the line at `offset`, indented like it
/// (it covers that line and what is nested under it); the rule is added to such a comment
/// when one is already there.
fn ignore_here(text: &str, offset: usize, rule: &str) -> TextEdit {
    let start = line_start(text, offset);
    if start > 0 {
        let previous_start = line_start(text, start - 1);
        let previous = text[previous_start..start].trim_end();
        let trimmed = previous.trim_start();
        if let Some(list) = trimmed.strip_prefix("# dockside ignore=") {
            let rules_end = list.find([' ', '\t']).unwrap_or(list.len());
            let at = previous_start
                + (previous.len() - trimmed.len())
                + "# dockside ignore=".len()
                + rules_end;
            return TextEdit::insert(at, format!(",{rule}"));
        }
    }
    let line = &text[start..];
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    TextEdit::insert(
        start,
        format!("{indent}# dockside ignore={rule}{}", newline(text)),
    )
}

/// `# dockside global ignore=<rule>` as the first line, or the rule added to one there.
fn ignore_in_file(text: &str, rule: &str) -> TextEdit {
    let first = text.lines().next().unwrap_or("");
    if let Some(list) = first.strip_prefix("# dockside global ignore=") {
        let rules_end = list.find([' ', '\t']).unwrap_or(list.len());
        return TextEdit::insert(
            "# dockside global ignore=".len() + rules_end,
            format!(",{rule}"),
        );
    }
    TextEdit::insert(
        0,
        format!("# dockside global ignore={rule}{}", newline(text)),
    )
}

/// Edits applying every safe fix to the document (iterated like `dockside check --fix`,
/// with the whole project loaded); `None` when nothing changes the document.
pub fn fix_all(analysis: &ComposeAnalysis) -> Option<Vec<TextEdit>> {
    let outcome = fix_compose(&analysis.load, &analysis.config, &analysis.options, false);
    let (_, _, fixed) = outcome
        .changed
        .iter()
        .find(|(path, _, _)| *path == analysis.path)?;
    minimal_edit(&analysis.text, fixed).map(|e| vec![e])
}

/// One edit replacing the part of `old` that differs from `new`.
fn minimal_edit(old: &str, new: &str) -> Option<TextEdit> {
    if old == new {
        return None;
    }
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
    Some(TextEdit::replace(
        TextRange::new(prefix, old.len() - suffix),
        &new[prefix..new.len() - suffix],
    ))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::analyse;
    use super::*;

    const OBSOLETE: &str = "version: \"3.8\"\nservices:\n  web:\n    image: nginx:1.27\n";

    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let mut out = text.to_string();
        let mut edits = edits.to_vec();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        for e in edits {
            out.replace_range(e.range.as_range(), &e.content);
        }
        out
    }

    #[test]
    fn the_obsolete_version_fix_is_the_preferred_quick_fix() {
        let (_dir, analysis, _) = analyse(&[("compose.yaml", OBSOLETE)], "compose.yaml");
        let actions = code_actions(&analysis, TextRange::new(0, 3));
        let titles: Vec<_> = actions.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles.len(), 3, "{titles:?}");
        assert!(actions[0].preferred);
        assert_eq!(
            apply(&analysis.text, &actions[0].edits),
            "services:\n  web:\n    image: nginx:1.27\n"
        );
        assert_eq!(
            titles[1..],
            [
                "Ignore obsolete-version here",
                "Ignore obsolete-version in this file"
            ]
        );
        assert_eq!(
            apply(&analysis.text, &actions[1].edits),
            format!("# dockside ignore=obsolete-version\n{OBSOLETE}")
        );
        // Nothing on a line without diagnostics.
        assert!(code_actions(&analysis, TextRange::new(40, 41)).is_empty());
    }

    #[test]
    fn ignore_comments_extend_existing_ones() {
        let text = "services:\n  web:\n    # dockside ignore=image-tag -- pinned elsewhere\n    image: nginx\n";
        let at = text.find("image: nginx").unwrap();
        assert_eq!(
            apply(text, &[ignore_here(text, at, "privileged")]),
            text.replace("image-tag --", "image-tag,privileged --")
        );
        let text = "services:\n  web:\n    image: nginx\n";
        assert_eq!(
            apply(
                text,
                &[ignore_here(text, text.find("nginx").unwrap(), "image-tag")]
            ),
            "services:\n  web:\n    # dockside ignore=image-tag\n    image: nginx\n"
        );
        let text = "# dockside global ignore=a\nservices: {}\n";
        assert_eq!(
            apply(text, &[ignore_in_file(text, "b")]),
            "# dockside global ignore=a,b\nservices: {}\n"
        );
    }

    #[test]
    fn fix_all_edits_only_what_changes() {
        let (_dir, analysis, _) = analyse(&[("compose.yaml", OBSOLETE)], "compose.yaml");
        let edits = fix_all(&analysis).unwrap();
        assert_eq!(edits.len(), 1);
        assert_eq!(
            apply(&analysis.text, &edits),
            "services:\n  web:\n    image: nginx:1.27\n"
        );
        let (_dir, clean, _) = analyse(
            &[("compose.yaml", "services:\n  web:\n    image: nginx:1.27\n")],
            "compose.yaml",
        );
        assert_eq!(fix_all(&clean), None);
    }
}
