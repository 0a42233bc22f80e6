//! The user's own examples (`../shared/seed-examples/`) give exactly the
//! findings their notes call for: every (file, line, rule) below, nothing else.
//! Skipped when the shared folder is absent.

use std::collections::BTreeSet;

use dockside_acceptance::{findings, lint, shared};

fn expected() -> BTreeSet<(String, usize, String)> {
    let list: &[(&str, usize, &str)] = &[
        // 01: the whole context is copied before pip; pip's cache ships; relative WORKDIR.
        ("01-python-test/Dockerfile", 6, "copy-before-install"),
        ("01-python-test/Dockerfile", 7, "workdir-relative"),
        ("01-python-test/Dockerfile", 8, "package-cache-not-cleaned"),
        // 02: two pip RUNs that could be one layer.
        ("02-django/Dockerfile", 10, "merge-consecutive-runs"),
        // 03: consecutive pip RUNs, chmod/chown after COPY, legacy ENV; boot.sh ends in exec.
        ("03-microblog/Dockerfile", 9, "merge-consecutive-runs"),
        ("03-microblog/Dockerfile", 9, "package-cache-not-cleaned"),
        ("03-microblog/Dockerfile", 10, "package-cache-not-cleaned"),
        ("03-microblog/Dockerfile", 15, "chown-after-copy"),
        ("03-microblog/Dockerfile", 17, "legacy-env-format"),
        ("03-microblog/Dockerfile", 19, "chown-after-copy"),
        // 04: RUN after RUN, download / run / delete over three layers, COPY . before installs.
        ("04-anaconda/Dockerfile", 4, "merge-consecutive-runs"),
        ("04-anaconda/Dockerfile", 6, "copy-before-install"),
        ("04-anaconda/Dockerfile", 12, "merge-consecutive-runs"),
        ("04-anaconda/Dockerfile", 13, "cleanup-in-later-layer"),
        ("04-anaconda/Dockerfile", 16, "legacy-env-format"),
        ("04-anaconda/Dockerfile", 19, "package-cache-not-cleaned"),
        // 05: MAINTAINER, apt-get update alone, rm of a COPY'd file, shell-form CMD;
        // nginx under supervisord daemonizes.
        ("05-supervisor-nginx/Dockerfile", 2, "maintainer-deprecated"),
        ("05-supervisor-nginx/Dockerfile", 5, "apt-update-alone"),
        (
            "05-supervisor-nginx/Dockerfile",
            6,
            "merge-consecutive-runs",
        ),
        (
            "05-supervisor-nginx/Dockerfile",
            14,
            "package-cache-not-cleaned",
        ),
        (
            "05-supervisor-nginx/Dockerfile",
            15,
            "cleanup-in-later-layer",
        ),
        (
            "05-supervisor-nginx/Dockerfile",
            15,
            "merge-consecutive-runs",
        ),
        (
            "05-supervisor-nginx/Dockerfile",
            25,
            "merge-consecutive-runs",
        ),
        (
            "05-supervisor-nginx/Dockerfile",
            30,
            "merge-consecutive-runs",
        ),
        (
            "05-supervisor-nginx/Dockerfile",
            32,
            "shell-form-entrypoint",
        ),
        (
            "05-supervisor-nginx/supervisord.conf",
            2,
            "foreground-process",
        ),
        // 06: apt lists left in the layer, ADD for local files.
        (
            "06-django-ubuntu/Dockerfile",
            2,
            "package-cache-not-cleaned",
        ),
        ("06-django-ubuntu/Dockerfile", 3, "merge-consecutive-runs"),
        ("06-django-ubuntu/Dockerfile", 5, "add-instead-of-copy"),
        (
            "06-django-ubuntu/Dockerfile",
            6,
            "package-cache-not-cleaned",
        ),
        ("06-django-ubuntu/Dockerfile", 7, "add-instead-of-copy"),
        // 07: as 02, and the .env with SECRET_KEY goes into the image with `COPY .`.
        (
            "07-compose-django-nginx/Dockerfile",
            10,
            "merge-consecutive-runs",
        ),
        (
            "07-compose-django-nginx/Dockerfile",
            12,
            "secret-in-build-context",
        ),
        // 08: apt lists and pip cache.
        (
            "08-compose-postgres-django/Dockerfile",
            3,
            "package-cache-not-cleaned",
        ),
        (
            "08-compose-postgres-django/Dockerfile",
            7,
            "package-cache-not-cleaned",
        ),
    ];
    list.iter()
        .map(|(f, l, r)| (f.to_string(), *l, r.to_string()))
        .collect()
}

#[test]
fn seed_examples_give_the_expected_findings() {
    let Some(root) = shared("seed-examples") else {
        eprintln!("skipping: ../shared/seed-examples not found");
        return;
    };
    let mut actual = BTreeSet::new();
    for dir in std::fs::read_dir(&root).unwrap().flatten() {
        let path = dir.path().join("Dockerfile");
        if path.is_file() {
            actual.extend(findings(&lint(&path), &root));
        }
    }
    let expected = expected();
    let missing: Vec<_> = expected.difference(&actual).collect();
    let unexpected: Vec<_> = actual.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "missing: {missing:#?}\nunexpected: {unexpected:#?}"
    );
}
