//! `rules/` at the repository root is generated from the rules' doc comments;
//! this test fails when it is out of date (`DOCKSIDE_UPDATE_DOCS=1` rewrites it).

use std::collections::BTreeSet;
use std::path::Path;

use dockside_linter::{Fixability, all_rules, docs};

#[test]
fn rule_docs_have_the_required_sections() {
    for rule in all_rules() {
        let m = rule.meta();
        let doc = m.doc_markdown();
        let mut sections = vec![
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
        ];
        if m.fix != Fixability::None {
            sections.push("## Fix safety");
        }
        for s in sections {
            assert!(doc.contains(s), "{}: doc lacks `{s}`", m.name);
        }
        assert!(
            m.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}: not kebab-case",
            m.name
        );
    }
}

#[test]
fn rule_identities_are_unique() {
    let mut seen = BTreeSet::new();
    for rule in all_rules() {
        let m = rule.meta();
        for id in std::iter::once(m.name)
            .chain([m.code])
            .chain(m.aliases.iter().copied())
        {
            assert!(seen.insert(id.to_ascii_lowercase()), "`{id}` is used twice");
        }
    }
}

#[test]
fn rules_folder_is_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let mut expected: Vec<(String, String)> = all_rules()
        .iter()
        .map(|r| (format!("{}.md", r.meta().name), docs::rule_page(r.meta())))
        .collect();
    expected.push(("README.md".into(), docs::index_page()));
    if std::env::var_os("DOCKSIDE_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            if entry.path().extension().is_some_and(|e| e == "md") {
                std::fs::remove_file(entry.path()).unwrap();
            }
        }
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let mut stale = Vec::new();
    for (name, text) in &expected {
        if std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str()) {
            stale.push(name.clone());
        }
    }
    let names: BTreeSet<String> = expected.iter().map(|(n, _)| n.clone()).collect();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.ends_with(".md") && !names.contains(&n) {
                stale.push(format!("{n} (no such rule)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "rules/ is out of date (run `DOCKSIDE_UPDATE_DOCS=1 cargo test -p dockside_linter --test docs`): {stale:?}"
    );
}
