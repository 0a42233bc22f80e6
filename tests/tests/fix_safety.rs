//! Fix safety over the real-world corpus (`../shared/corpus`, skipped when absent):
//! with every rule enabled (opt-in ones too), applying all fixes, safe and unsafe,
//! pass after pass as `dockside check --fix --unsafe-fixes` does:
//! - never adds a syntax error the file did not have (compared by rule and message);
//! - changes nothing outside the edited ranges (the text between edits appears, in
//!   order, in the result);
//! - converges: fixes cascade (a fix skipped because it overlapped another is applied
//!   in the next pass; merging RUNs makes a RUN whose package cache can then be
//!   cleaned, …; up to 3 passes on this corpus), so what is checked is that within the
//!   passes `--fix` makes, linting the result offers nothing more to fix.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dockside_acceptance::shared;
use dockside_compose::{LoadOptions, load_project};
use dockside_linter::config::RuleCatalog;
use dockside_linter::{
    Catalog, Config, Diagnostic, FileId, LintOptions, LintResult, apply_fixes_in, decode,
    lint_compose, lint_dockerfile,
};

/// The passes `dockside check --fix` makes (`MAX_PASSES` in the linter's fix loops).
const PASSES: usize = 8;

const SYNTAX_RULES: &[&str] = &["syntax-error", "compose-syntax-error"];

fn all_rules_config(root: &Path) -> Config {
    let mut config = Config::default_for(root.to_path_buf());
    config.select = Some(Catalog.names());
    config
}

/// `(rule, message)` of the syntax errors in `file`, sorted.
fn syntax_errors(result: &LintResult, file: FileId) -> Vec<(String, String)> {
    let mut out: Vec<_> = result
        .diagnostics
        .iter()
        .filter(|d| d.file == file && SYNTAX_RULES.contains(&d.rule.name))
        .map(|d| (d.rule.name.to_string(), d.message.clone()))
        .collect();
    out.sort();
    out
}

fn fixable(result: &LintResult, file: FileId) -> Vec<&Diagnostic> {
    result
        .diagnostics
        .iter()
        .filter(|d| d.file == file && d.fix.is_some())
        .collect()
}

/// The pieces of `text` that no fix edits, in order.
fn untouched<'a>(text: &'a str, fixable: &[&Diagnostic]) -> Vec<&'a str> {
    let mut ranges: Vec<(usize, usize)> = fixable
        .iter()
        .flat_map(|d| &d.fix.as_ref().unwrap().edits)
        .map(|e| (e.range.start as usize, e.range.end as usize))
        .collect();
    ranges.sort_unstable();
    let mut out = Vec::new();
    let mut cursor = 0;
    for (start, end) in ranges {
        if start > cursor {
            out.push(&text[cursor..start.min(text.len())]);
        }
        cursor = cursor.max(end);
    }
    if cursor < text.len() {
        out.push(&text[cursor..]);
    }
    out
}

/// Whether `pieces` appear in `fixed` in order, without overlapping.
fn kept_in_order(pieces: &[&str], fixed: &str) -> bool {
    let mut at = 0;
    for piece in pieces {
        match fixed[at..].find(piece) {
            Some(i) => at += i + piece.len(),
            None => return false,
        }
    }
    true
}

fn rules_of(fixable: &[&Diagnostic]) -> String {
    let mut names: Vec<&str> = fixable.iter().map(|d| d.rule.name).collect();
    names.sort_unstable();
    names.dedup();
    names.join(", ")
}

/// One fix pass over one file's text; problems are pushed to `problems`.
fn fix_pass(
    name: &str,
    pass: usize,
    text: &str,
    file: FileId,
    result: &LintResult,
    problems: &mut Vec<String>,
) -> Option<String> {
    let fixable = fixable(result, file);
    if fixable.is_empty() {
        return None;
    }
    if pass > PASSES {
        problems.push(format!(
            "{name}: still offers fixes after {PASSES} passes: {}",
            rules_of(&fixable)
        ));
        return None;
    }
    let (fixed, applied) = apply_fixes_in(text, file, &result.diagnostics, true);
    if applied == 0 || fixed == text {
        problems.push(format!(
            "{name}: pass {pass}: fixes of {} change nothing",
            rules_of(&fixable)
        ));
        return None;
    }
    if !kept_in_order(&untouched(text, &fixable), &fixed) {
        problems.push(format!(
            "{name}: pass {pass}: text outside the edits of {} changed",
            rules_of(&fixable)
        ));
    }
    Some(fixed)
}

#[test]
fn fixes_are_safe_on_every_corpus_dockerfile() {
    let Some(root) = shared("corpus/dockerfiles") else {
        eprintln!("skipping: ../shared/corpus not found");
        return;
    };
    let config = all_rules_config(&root);
    let options = LintOptions::default();
    let mut files = 0;
    let mut fixed_files = 0;
    let mut most_passes = 0;
    let mut problems = Vec::new();
    for owner in std::fs::read_dir(&root).unwrap().flatten() {
        for entry in std::fs::read_dir(owner.path()).unwrap().flatten() {
            let path = entry.path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with("__result") || name.ends_with(".sh") {
                continue;
            }
            let Ok(text) = decode(&std::fs::read(&path).unwrap(), "a Dockerfile") else {
                continue;
            };
            files += 1;
            let mut current = text.clone();
            let mut result = lint_dockerfile(&path, &current, &config, &options);
            let before = syntax_errors(&result, FileId::MAIN);
            for pass in 1..=PASSES + 1 {
                let Some(next) =
                    fix_pass(&name, pass, &current, FileId::MAIN, &result, &mut problems)
                else {
                    break;
                };
                result = lint_dockerfile(&path, &next, &config, &options);
                let after = syntax_errors(&result, FileId::MAIN);
                if after.iter().any(|e| !before.contains(e)) {
                    problems.push(format!(
                        "{name}: pass {pass} adds syntax errors: {after:?} (before: {before:?})"
                    ));
                    break;
                }
                current = next;
                most_passes = most_passes.max(pass);
            }
            fixed_files += usize::from(current != text);
        }
    }
    assert!(files > 500, "only {files} files");
    eprintln!(
        "{files} Dockerfiles, {fixed_files} changed by fixes in at most {most_passes} passes"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn fixes_are_safe_on_every_corpus_compose_project() {
    let Some(root) = shared("corpus/compose") else {
        eprintln!("skipping: ../shared/corpus/compose not found");
        return;
    };
    let root = root.canonicalize().unwrap();
    let config = all_rules_config(&root);
    let mut projects = 0;
    let mut fixed_files = 0;
    let mut problems = Vec::new();
    let mut compose_files = Vec::new();
    for owner in std::fs::read_dir(&root).unwrap().flatten() {
        for entry in std::fs::read_dir(owner.path()).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
                compose_files.push(path);
            }
        }
    }
    compose_files.sort();
    for path in compose_files {
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        projects += 1;
        let mut buffers: HashMap<PathBuf, String> = HashMap::new();
        let mut before: HashMap<PathBuf, Vec<(String, String)>> = HashMap::new();
        for pass in 1..=PASSES + 1 {
            let overlay: Arc<dyn dockside_context::Overlay> = Arc::new(buffers.clone());
            let load = LoadOptions {
                files: vec![path.clone()],
                dir: path.parent().unwrap().to_path_buf(),
                overlay: Some(overlay.clone()),
                ..Default::default()
            };
            let project = load_project(&load);
            let options = LintOptions {
                overlay: Some(overlay),
                ..Default::default()
            };
            let result = lint_compose(&project, &config, &options);
            let mut changed = false;
            for (i, file) in project.files.iter().enumerate() {
                let id = FileId(i as u32);
                let errors = syntax_errors(&result, id);
                match before.get(&file.path) {
                    None => {
                        before.insert(file.path.clone(), errors);
                    }
                    Some(first) => {
                        if errors.iter().any(|e| !first.contains(e)) {
                            problems.push(format!(
                                "{name}: fixes add syntax errors to {}: {errors:?} (before: {first:?})",
                                file.path.display()
                            ));
                        }
                    }
                }
                let label = format!("{name} ({})", file.path.display());
                if let Some(next) = fix_pass(&label, pass, &file.text, id, &result, &mut problems) {
                    buffers.insert(file.path.clone(), next);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        fixed_files += buffers.len();
    }
    assert!(projects > 300, "only {projects} Compose files");
    eprintln!("{projects} Compose projects, {fixed_files} files changed by fixes");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
