//! Every Dockerfile of the shared corpus parses without panicking, and only
//! the files that really are invalid report syntax errors.

use std::path::Path;

/// Corpus files that are invalid on purpose, with the reason.
const INVALID: &[(&str, &str)] = &[
    (
        "testfiles-negative__empty_dockerfile",
        "empty file: no instructions",
    ),
    (
        "testfiles-negative__env_no_value",
        "`ENV PATH` has no value",
    ),
    (
        "testfiles-negative__only_comments",
        "only comments: no instructions",
    ),
    (
        "testfiles-negative__shykes-nested-json",
        "nested JSON array in CMD",
    ),
    (
        "wrong-composefile__service1__Dockerfile",
        "compose e2e fixture with an unknown `WRONG` instruction",
    ),
    (
        "testfiles__health__Dockerfile",
        "BuildKit parser case: bare HEALTHCHECK, `HEALTHCHECK CMD` and `CONNECT` fail at build time",
    ),
];

#[test]
fn corpus_dockerfiles_parse() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/dockerfiles");
    let Ok(owners) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: {} not found", dir.display());
        return;
    };
    let mut files = 0;
    let mut unexpected = Vec::new();
    for owner in owners.flatten() {
        for entry in std::fs::read_dir(owner.path()).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with("__result") || name.ends_with(".sh") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let df = dockside_syntax::parse(&text);
            files += 1;
            let expected_invalid = INVALID.iter().any(|(n, _)| name.contains(n));
            if df.errors.is_empty() == expected_invalid {
                unexpected.push(format!("{name}: {:?}", df.errors));
            }
        }
    }
    assert!(files > 500, "only {files} files");
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
}
