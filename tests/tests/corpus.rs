//! The whole linter over the real-world corpus (`../shared/corpus`, skipped
//! when absent): no panic, and `syntax-error` only on files that really are
//! invalid.

use dockside_acceptance::{lint, shared};

/// Corpus files that are invalid on purpose.
const INVALID: &[&str] = &[
    "testfiles-negative__empty_dockerfile",
    "testfiles-negative__env_no_value",
    "testfiles-negative__only_comments",
    "testfiles-negative__shykes-nested-json",
    "wrong-composefile__service1__Dockerfile",
    "testfiles__health__Dockerfile",
    "testfiles__flags__Dockerfile",
];

#[test]
fn corpus_lints_without_unexpected_syntax_errors() {
    let Some(root) = shared("corpus/dockerfiles") else {
        eprintln!("skipping: ../shared/corpus not found");
        return;
    };
    let mut files = 0;
    let mut unexpected = Vec::new();
    for owner in std::fs::read_dir(&root).unwrap().flatten() {
        for entry in std::fs::read_dir(owner.path()).unwrap().flatten() {
            let path = entry.path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with("__result") || name.ends_with(".sh") {
                continue;
            }
            let result = lint(&path);
            files += 1;
            let syntax = result
                .diagnostics
                .iter()
                .any(|d| d.rule.name == "syntax-error");
            if syntax != INVALID.iter().any(|n| name.contains(n)) {
                unexpected.push(name);
            }
        }
    }
    assert!(files > 500, "only {files} files");
    assert!(
        unexpected.is_empty(),
        "unexpected syntax-error presence: {unexpected:#?}"
    );
}
