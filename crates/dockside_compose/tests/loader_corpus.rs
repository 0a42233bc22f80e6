//! Every Compose file of `../shared/corpus/compose/` loads (as `-f that-file`) without a
//! panic and with only the issues listed here; and `emit::to_yaml` round-trips each one.
//! Skipped when the corpus is absent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use dockside_compose::yaml::{self, Node, Value};
use dockside_compose::{LoadIssueKind, LoadOptions, emit, load_project};

fn corpus_files() -> Option<Vec<PathBuf>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/compose");
    if !root.is_dir() {
        eprintln!("skipped: {} is absent", root.display());
        return None;
    }
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).ok()?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            ) {
                files.push(path);
            }
        }
    }
    files.sort();
    Some(files)
}

/// Files with load errors, and why. The corpus flattens each repository into one folder
/// (`a/b/c.yaml` is stored as `a__b__c.yaml`), so the relative files that `include` and
/// `extends` name are not there; some compose-go fixtures are broken on purpose.
const EXPECTED: &[(&str, LoadIssueKind, &str)] = &[
    (
        "loader__testdata__combined__compose.yaml",
        LoadIssueKind::Include,
        "the corpus flattens folders: the relative file is not stored (`dir/included.yaml`)",
    ),
    (
        "loader__testdata__combined__dir__included.yaml",
        LoadIssueKind::Extends,
        "the corpus flattens folders: the relative file is not stored (`extended.yaml`)",
    ),
    (
        "loader__testdata__compose-include-cycle.yaml",
        LoadIssueKind::Include,
        "the corpus flattens folders: the relative file is not stored (the file includes itself by its original name: a deliberate cycle)",
    ),
    (
        "loader__testdata__compose-include.yaml",
        LoadIssueKind::Include,
        "the corpus flattens folders: the relative file is not stored (`./subdir/…`)",
    ),
    (
        "loader__testdata__compose-test-extends-with-context-url.yaml",
        LoadIssueKind::Extends,
        "the corpus flattens folders: the relative file is not stored",
    ),
    (
        "loader__testdata__compose-test-extends.yaml",
        LoadIssueKind::Extends,
        "the corpus flattens folders: the relative file is not stored (`subdir/…`)",
    ),
    (
        "loader__testdata__extends__base.yaml",
        LoadIssueKind::Extends,
        "the corpus flattens folders: the relative file is not stored (`sibling.yaml`)",
    ),
    (
        "loader__testdata__extends__nested.yaml",
        LoadIssueKind::Extends,
        "the corpus flattens folders: the relative file is not stored (`sibling.yaml`)",
    ),
    (
        "loader__testdata__extends__withdir__compose.yaml",
        LoadIssueKind::Extends,
        "the corpus flattens folders: the relative file is not stored (`dir/compose.yaml`)",
    ),
    (
        "loader__testdata__extends__withdir__dir__compose.yaml",
        LoadIssueKind::Extends,
        "the corpus flattens folders: the relative file is not stored (`base.yaml`)",
    ),
    (
        "loader__testdata__include__compose.yaml",
        LoadIssueKind::Include,
        "the corpus flattens folders: the relative file is not stored (`included.yaml`)",
    ),
    (
        "loader__testdata__remote__cycle__compose-cycle.yaml",
        LoadIssueKind::Extends,
        "`remote:` is a resource loader that exists only in compose-go's tests",
    ),
    (
        "loader__testdata__remote__cycle__compose.yaml",
        LoadIssueKind::Extends,
        "`remote:` is a resource loader that exists only in compose-go's tests",
    ),
    (
        "loader__testdata__remote__nested__compose.yaml",
        LoadIssueKind::Extends,
        "`remote:` is a resource loader that exists only in compose-go's tests",
    ),
    (
        "pkg__compose__testdata__publish__compose.yaml",
        LoadIssueKind::Extends,
        "the corpus flattens folders: the relative file is not stored (`common.yaml`)",
    ),
    (
        "pkg__e2e__fixtures__publish__oci__compose.yaml",
        LoadIssueKind::Extends,
        "the corpus flattens folders: the relative file is not stored (`extends.yaml`)",
    ),
    (
        "pkg__e2e__testdata__TestPublishLocalInclude__compose.yaml",
        LoadIssueKind::Include,
        "the corpus flattens folders: the relative file is not stored (`common.yaml`)",
    ),
    (
        "pkg__e2e__testdata__TestPublishWithExtends__compose.yaml",
        LoadIssueKind::Extends,
        "the corpus flattens folders: the relative file is not stored (`common.yaml`)",
    ),
    (
        "pkg__e2e__testdata__TestSecretFromEnv__compose.yaml",
        LoadIssueKind::Include,
        "the corpus flattens folders: the relative file is not stored (`child/compose.yaml`)",
    ),
    (
        "pkg__e2e__testdata__TestSecretFromInclude__compose.yaml",
        LoadIssueKind::Include,
        "the corpus flattens folders: the relative file is not stored (`child/compose.yaml`)",
    ),
];

#[test]
fn corpus_loads_with_only_expected_issues() {
    let Some(files) = corpus_files() else {
        return;
    };
    let started = Instant::now();
    let mut unexpected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in &files {
        let project = load_project(&LoadOptions {
            files: vec![path.clone()],
            dir: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
            ..LoadOptions::default()
        });
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for issue in &project.issues {
            let worth_listing = matches!(
                issue.kind,
                LoadIssueKind::InvalidYaml
                    | LoadIssueKind::Include
                    | LoadIssueKind::Extends
                    | LoadIssueKind::MissingFile
            );
            let expected = EXPECTED
                .iter()
                .any(|(file, kind, _)| *file == name && *kind == issue.kind);
            if worth_listing && !expected {
                unexpected
                    .entry(name.clone())
                    .or_default()
                    .push(format!("{:?}: {}", issue.kind, issue.message));
            }
        }
    }
    let elapsed = started.elapsed();
    assert!(
        unexpected.is_empty(),
        "unexpected load issues:\n{}",
        unexpected
            .iter()
            .map(|(f, m)| format!("{f}\n  {}", m.join("\n  ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
    eprintln!("{} files in {elapsed:?}", files.len());
}

/// Equal values, ranges, tags and styles ignored (NaN equal to itself).
fn same(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Sequence(x), Value::Sequence(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Mapping(x), Value::Mapping(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| same(k1, k2) && same(v1, v2))
        }
        (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        (x, y) => x == y,
    }
}

#[test]
fn emitted_yaml_reads_back_as_the_same_values() {
    let Some(files) = corpus_files() else {
        return;
    };
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let loaded = yaml::load(&text);
        if !loaded.errors.is_empty() {
            continue;
        }
        for document in &loaded.documents {
            let emitted = emit::to_yaml(document);
            let again = yaml::load(&emitted);
            assert!(
                again.errors.is_empty(),
                "{}: the emitted YAML does not parse: {:?}\n{emitted}",
                path.display(),
                again.errors
            );
            assert_eq!(again.documents.len(), 1, "{}\n{emitted}", path.display());
            assert!(
                same(document, &again.documents[0]),
                "{}: values differ after a round trip\n{emitted}",
                path.display()
            );
        }
    }
}
