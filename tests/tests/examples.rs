//! The examples this repository ships (`examples/`, run by the README's first
//! command) show what their README says, and the clean one stays clean.

mod support;

use std::collections::BTreeSet;
use std::process::Command;

use dockside_acceptance::{dockerfiles, findings, lint, repo_root};

/// Rules `dockside check` reports in an example folder (Dockerfiles and Compose files).
fn rules_from_cli(folder: &str) -> BTreeSet<String> {
    let root = repo_root().join("examples");
    let out = Command::new(support::dockside_bin())
        .args(["check", "--format", "json", "--fail-level", "none", folder])
        .current_dir(&root)
        .output()
        .expect("run dockside");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON output");
    items
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_compose_example_shows_its_checks() {
    let expected: BTreeSet<String> = [
        "obsolete-version",
        "unknown-build-target",
        "undeclared-build-arg",
        "shell-wrapped-command",
        "unquoted-port",
        "missing-env-file",
        "secret-in-environment",
        "healthcheck-missing-for-condition",
        "depends-on-not-ready",
        "image-tag",
        "data-volume-not-persistent",
        "deprecated-links",
        "docker-socket-mount",
        "undefined-volume",
        "undefined-network",
        "host-port-conflict",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(rules_from_cli("compose-stack"), expected);
}

#[test]
fn the_clean_example_with_its_compose_file_has_no_findings() {
    assert_eq!(rules_from_cli("clean"), BTreeSet::new());
}

fn rules_in(folder: &str) -> BTreeSet<String> {
    let root = repo_root().join("examples");
    let mut rules = BTreeSet::new();
    for file in dockerfiles(&root.join(folder)) {
        rules.extend(
            findings(&lint(&file), &root)
                .into_iter()
                .map(|(_, _, rule)| rule),
        );
    }
    rules
}

#[test]
fn each_example_shows_its_checks() {
    let cases: &[(&str, &[&str])] = &[
        (
            "python-app",
            &[
                "copy-before-install",
                "copy-context-without-dockerignore",
                "copy-without-workdir",
                "package-cache-not-cleaned",
                "workdir-relative",
                "shell-form-entrypoint",
                "pip-version-unpinned",
            ],
        ),
        (
            "flask-app",
            &[
                "merge-consecutive-runs",
                "chown-after-copy",
                "legacy-env-format",
                "pip-version-unpinned",
            ],
        ),
        (
            "installer-layers",
            &[
                "cleanup-in-later-layer",
                "apt-update-alone",
                "volatile-arg-before-run",
                "merge-consecutive-runs",
            ],
        ),
        (
            "supervisor-nginx",
            &[
                "maintainer-deprecated",
                "copy-context-without-dockerignore",
                "foreground-process",
                "shell-form-entrypoint",
            ],
        ),
        (
            "entrypoint-script",
            &[
                "copy-context-without-dockerignore",
                "entrypoint-without-exec",
                "shell-form-entrypoint",
                "entrypoint-ignores-cmd",
            ],
        ),
        ("secrets", &["secret-in-env", "secret-in-build-context"]),
    ];
    for (folder, expected) in cases {
        let found = rules_in(folder);
        let expected: BTreeSet<String> = expected.iter().map(|s| s.to_string()).collect();
        assert_eq!(found, expected, "examples/{folder}");
    }
}

#[test]
fn the_clean_example_has_no_findings() {
    assert_eq!(rules_in("clean"), BTreeSet::new());
}

#[test]
fn flask_boot_script_ending_in_exec_is_not_flagged() {
    let root = repo_root().join("examples");
    let result = lint(&root.join("flask-app/Dockerfile"));
    assert!(
        findings(&result, &root)
            .iter()
            .all(|(file, _, _)| !file.ends_with("boot.sh"))
    );
}
