//! Code actions: rule fixes, suppression comments, fix-all.

use std::path::PathBuf;

use dockside_ide::{ActionKind, Analysis, CodeAction, code_actions, fix_all};
use dockside_linter::{Config, Edit, LintOptions, lint_dockerfile};
use dockside_syntax::TextRange;

fn dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ide-actions");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn analyse(text: &str) -> Analysis {
    let dir = dir();
    Analysis::new(
        &dir.join("Dockerfile"),
        text,
        Config::default_for(dir.clone()),
        LintOptions::default(),
    )
}

fn rules_reported(text: &str) -> Vec<&'static str> {
    let dir = dir();
    lint_dockerfile(
        &dir.join("Dockerfile"),
        text,
        &Config::default_for(dir.clone()),
        &LintOptions::default(),
    )
    .diagnostics
    .iter()
    .map(|d| d.rule.name)
    .collect()
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.range.as_range(), &e.content);
    }
    out
}

fn titled<'a>(actions: &'a [CodeAction], title: &str) -> &'a CodeAction {
    actions
        .iter()
        .find(|a| a.title == title)
        .unwrap_or_else(|| panic!("no action {title:?} in {actions:#?}"))
}

const CMD: &str = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n  CMD python app.py\n";

fn cmd_offset() -> usize {
    CMD.find("python app.py").unwrap()
}

#[test]
fn json_form_fix_is_offered_and_preferred() {
    let a = analyse(CMD);
    let actions = code_actions(&a, TextRange::empty(cmd_offset() + 3));
    let titles: Vec<&str> = actions.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Use the JSON (exec) form",
            "Ignore shell-form-entrypoint for this instruction",
            "Ignore shell-form-entrypoint in this file",
        ]
    );
    let fix = titled(&actions, "Use the JSON (exec) form");
    assert_eq!(fix.kind, ActionKind::QuickFix);
    assert!(fix.preferred);
    assert_eq!(fix.diagnostics.len(), 1);
    assert_eq!(
        a.lint.diagnostics[fix.diagnostics[0]].rule.name,
        "shell-form-entrypoint"
    );
    let fixed = apply(CMD, &fix.edits);
    assert_eq!(
        fixed,
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n  CMD [\"python\", \"app.py\"]\n"
    );
    assert!(!rules_reported(&fixed).contains(&"shell-form-entrypoint"));
}

#[test]
fn ranges_touching_the_diagnostic_count_and_others_do_not() {
    let a = analyse(CMD);
    let end = CMD.find("app.py").unwrap() + "app.py".len();
    assert!(!code_actions(&a, TextRange::empty(end)).is_empty());
    assert!(!code_actions(&a, TextRange::new(0, cmd_offset())).is_empty());
    assert!(code_actions(&a, TextRange::new(0, 10)).is_empty());
}

#[test]
fn ignore_for_instruction_keeps_indentation_and_suppresses() {
    let a = analyse(CMD);
    let actions = code_actions(&a, TextRange::empty(cmd_offset()));
    let ignore = titled(
        &actions,
        "Ignore shell-form-entrypoint for this instruction",
    );
    assert!(!ignore.preferred);
    let edited = apply(CMD, &ignore.edits);
    assert_eq!(
        edited,
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n  # dockside ignore=shell-form-entrypoint\n  CMD python app.py\n"
    );
    let after = rules_reported(&edited);
    assert!(!after.contains(&"shell-form-entrypoint"), "{after:?}");
    assert!(!after.contains(&"invalid-suppression"), "{after:?}");
}

#[test]
fn ignore_for_instruction_extends_an_existing_comment() {
    let text = "FROM python:3.12-slim\n# dockside ignore=merge-consecutive-runs -- on purpose\nCMD python app.py\n";
    let a = analyse(text);
    let actions = code_actions(&a, TextRange::empty(text.find("app.py").unwrap()));
    let ignore = titled(
        &actions,
        "Ignore shell-form-entrypoint for this instruction",
    );
    let edited = apply(text, &ignore.edits);
    assert_eq!(
        edited,
        "FROM python:3.12-slim\n# dockside ignore=merge-consecutive-runs,shell-form-entrypoint -- on purpose\nCMD python app.py\n"
    );
    let after = rules_reported(&edited);
    assert!(!after.contains(&"shell-form-entrypoint"), "{after:?}");
    assert!(!after.contains(&"invalid-suppression"), "{after:?}");
}

#[test]
fn ignore_in_file_goes_after_the_parser_directives() {
    let text =
        "# syntax=docker/dockerfile:1\n# escape=\\\nFROM python:3.12-slim\nCMD python app.py\n";
    let a = analyse(text);
    let actions = code_actions(&a, TextRange::empty(text.find("app.py").unwrap()));
    let ignore = titled(&actions, "Ignore shell-form-entrypoint in this file");
    let edited = apply(text, &ignore.edits);
    assert_eq!(
        edited,
        "# syntax=docker/dockerfile:1\n# escape=\\\n# dockside global ignore=shell-form-entrypoint\nFROM python:3.12-slim\nCMD python app.py\n"
    );
    assert!(analyse(&edited).dockerfile.directive("escape").is_some());
    assert!(
        rules_reported(&edited).is_empty(),
        "{:?}",
        rules_reported(&edited)
    );
}

#[test]
fn actions_are_deduplicated_per_rule() {
    // Two findings of the same rule: one file-level ignore resolving both,
    // one instruction-level ignore each.
    let text = "FROM python:3.12-slim\nENTRYPOINT python app.py\nCMD python other.py\n";
    let a = analyse(text);
    let actions = code_actions(&a, TextRange::new(0, text.len()));
    let file_level: Vec<&CodeAction> = actions
        .iter()
        .filter(|a| a.title == "Ignore shell-form-entrypoint in this file")
        .collect();
    assert_eq!(file_level.len(), 1);
    assert_eq!(file_level[0].diagnostics.len(), 2);
    let per_instruction = actions
        .iter()
        .filter(|a| a.title == "Ignore shell-form-entrypoint for this instruction")
        .count();
    assert_eq!(per_instruction, 2);
    // Two fixes in the range: neither is preferred.
    assert_eq!(
        actions
            .iter()
            .filter(|a| a.title.starts_with("Use the JSON"))
            .count(),
        2
    );
    assert!(actions.iter().all(|a| !a.preferred));
}

#[test]
fn fix_all_merges_runs_and_replaces_maintainer() {
    let text = "FROM debian:12\nMAINTAINER Jane Doe <jane@example.com>\nRUN mkdir -p /app\nRUN echo hello > /app/hello.txt\n";
    let a = analyse(text);
    let edits = fix_all(&a).expect("something to fix");
    let fixed = apply(text, &edits);
    assert_eq!(
        fixed,
        "FROM debian:12\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\nRUN mkdir -p /app && \\\n    echo hello > /app/hello.txt\n"
    );
    assert!(rules_reported(&fixed).is_empty());
    // Nothing left to fix.
    assert_eq!(fix_all(&analyse(&fixed)), None);
}
