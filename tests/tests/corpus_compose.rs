//! `dockside check` over every Compose file of the real-world corpus
//! (`../shared/corpus/compose`, skipped when absent), as a user would run it on
//! them: no crash, and errors that say a file cannot be loaded (YAML, schema,
//! interpolation) only on the files below, each genuinely broken.

mod support;

use std::collections::BTreeSet;
use std::process::Command;

use dockside_acceptance::shared;

/// `(file, line, rule)` of every load/schema error in the corpus, and why it is right.
const GENUINE: &[(&str, u64, &str, &str)] = &[
    (
        "compose-spec__compose-go/loader__testdata__extends__base.yaml",
        8,
        "compose-schema",
        "a base for `extends` only: `with-port` has no image of its own",
    ),
    (
        "compose-spec__compose-go/loader__testdata__extends__base.yaml",
        25,
        "compose-schema",
        "compose-go fixture with a null service",
    ),
    (
        "docker__compose/pkg__e2e__fixtures__publish__oci__compose-override.yaml",
        2,
        "compose-schema",
        "an override file published alone: no image nor build",
    ),
    (
        "docker__compose/pkg__e2e__fixtures__wrong-composefile__compose.yaml",
        4,
        "compose-schema",
        "docker/compose's fixture for an unknown property",
    ),
    (
        "docker__compose/pkg__e2e__testdata__TestLocalComposeConfigNoConsistency__compose.yaml",
        2,
        "compose-schema",
        "fixture that skips the consistency check on purpose",
    ),
    (
        "docker__compose/pkg__e2e__testdata__TestLocalComposeConfigNoConsistency__compose.yaml",
        9,
        "compose-schema",
        "fixture that skips the consistency check on purpose",
    ),
    (
        "docker__compose/pkg__e2e__testdata__TestUpImageID__compose.yaml",
        3,
        "invalid-interpolation",
        "`${ID:?…}` is required and the test sets it",
    ),
    (
        "zavoloklom__docker-compose-linter/tests__mocks__docker-compose.correct.yml",
        22,
        "compose-schema",
        "`127.0.0.1:3001` publishes no container port: Docker rejects it",
    ),
];

const LOAD_ERRORS: &[&str] = &[
    "compose-syntax-error",
    "compose-schema",
    "invalid-interpolation",
];

#[test]
fn corpus_compose_files_load_without_false_errors() {
    let Some(root) = shared("corpus/compose") else {
        eprintln!("skipping: ../shared/corpus/compose not found");
        return;
    };
    let mut files = Vec::new();
    for owner in std::fs::read_dir(&root).unwrap().flatten() {
        for entry in std::fs::read_dir(owner.path()).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
                files.push(path.strip_prefix(&root).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    assert!(
        files.len() > 300,
        "the corpus has {} Compose files",
        files.len()
    );
    let out = Command::new(support::dockside_bin())
        .args(["check", "--format", "json", "--fail-level", "none"])
        .args(&files)
        .current_dir(&root)
        .env_remove("COMPOSE_PROFILES")
        .env_remove("COMPOSE_FILE")
        .output()
        .expect("run dockside");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON output");
    let actual: BTreeSet<(String, u64, String)> = items
        .iter()
        .filter(|d| LOAD_ERRORS.contains(&d["rule"].as_str().unwrap()))
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, u64, String)> = GENUINE
        .iter()
        .map(|(f, l, r, _)| (f.to_string(), *l, r.to_string()))
        .collect();
    let missing: Vec<_> = expected.difference(&actual).collect();
    let unexpected: Vec<_> = actual.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "missing: {missing:#?}\nunexpected: {unexpected:#?}"
    );
    eprintln!("{} Compose files, {} findings", files.len(), items.len());
}
