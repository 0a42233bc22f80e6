//! The user's own examples (`../shared/seed-examples/`) give exactly the
//! findings their notes call for: every (file, line, rule) below, nothing else,
//! from `dockside check` run on the folder as a user would (Dockerfiles and
//! Compose files, each Dockerfile with the build context its Compose service gives).
//! Skipped when the shared folder is absent.

mod support;

use std::collections::BTreeSet;
use std::process::Command;

use dockside_acceptance::shared;

fn expected() -> BTreeSet<(String, usize, String)> {
    let list: &[(&str, usize, &str)] = &[
        // 01: the whole context is copied before pip; pip's cache ships; relative WORKDIR.
        ("01-python-test/Dockerfile", 6, "copy-before-install"),
        ("01-python-test/Dockerfile", 6, "copy-without-workdir"),
        ("01-python-test/Dockerfile", 7, "workdir-relative"),
        ("01-python-test/Dockerfile", 8, "package-cache-not-cleaned"),
        // 01, 02, 04, 05, 06: the whole context is copied and there is no .dockerignore
        // (07's `COPY . .` is reported by secret-in-build-context for its .env).
        (
            "01-python-test/Dockerfile",
            6,
            "copy-context-without-dockerignore",
        ),
        (
            "02-django/Dockerfile",
            12,
            "copy-context-without-dockerignore",
        ),
        (
            "04-anaconda/Dockerfile",
            6,
            "copy-context-without-dockerignore",
        ),
        (
            "05-supervisor-nginx/Dockerfile",
            18,
            "copy-context-without-dockerignore",
        ),
        (
            "06-django-ubuntu/Dockerfile",
            7,
            "copy-context-without-dockerignore",
        ),
        // 02: two pip RUNs that could be one layer.
        ("02-django/Dockerfile", 10, "merge-consecutive-runs"),
        // 02, 06, 07: Django's development server as CMD; 06 listens on `0.0.0`.
        ("02-django/Dockerfile", 13, "dev-server"),
        ("06-django-ubuntu/Dockerfile", 9, "dev-server"),
        ("06-django-ubuntu/Dockerfile", 9, "invalid-bind-address"),
        ("07-compose-django-nginx/Dockerfile", 13, "dev-server"),
        // 03: consecutive pip RUNs, chmod/chown after COPY, legacy ENV; boot.sh ends in exec.
        ("03-microblog/Dockerfile", 9, "merge-consecutive-runs"),
        ("03-microblog/Dockerfile", 10, "merge-consecutive-runs"),
        ("03-microblog/Dockerfile", 9, "package-cache-not-cleaned"),
        ("03-microblog/Dockerfile", 10, "package-cache-not-cleaned"),
        ("03-microblog/Dockerfile", 15, "chown-after-copy"),
        ("03-microblog/Dockerfile", 17, "legacy-env-format"),
        ("03-microblog/Dockerfile", 19, "chown-after-copy"),
        // 04: RUN after RUN, download / run / delete over three layers, COPY . before installs.
        ("04-anaconda/Dockerfile", 4, "merge-consecutive-runs"),
        ("04-anaconda/Dockerfile", 6, "copy-before-install"),
        ("04-anaconda/Dockerfile", 12, "merge-consecutive-runs"),
        ("04-anaconda/Dockerfile", 13, "merge-consecutive-runs"),
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
            7,
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
        // Compose 01: obsolete version, the .env it names is missing, an unquoted port,
        // and `sh -c` keeping a shell as PID 1.
        ("01-python-test/docker-compose.yml", 1, "obsolete-version"),
        ("01-python-test/docker-compose.yml", 8, "missing-env-file"),
        ("01-python-test/docker-compose.yml", 10, "unquoted-port"),
        (
            "01-python-test/docker-compose.yml",
            11,
            "shell-wrapped-command",
        ),
        // Compose 07: version, missing .env.development, `sh -c` twice, nginx:latest,
        // depends_on a server without waiting for it; its .env is copied by `COPY . .`.
        (
            "07-compose-django-nginx/docker-compose.yml",
            1,
            "obsolete-version",
        ),
        (
            "07-compose-django-nginx/docker-compose.yml",
            8,
            "missing-env-file",
        ),
        (
            "07-compose-django-nginx/docker-compose.yml",
            9,
            "shell-wrapped-command",
        ),
        (
            "07-compose-django-nginx/docker-compose.yml",
            15,
            "image-tag",
        ),
        (
            "07-compose-django-nginx/docker-compose.yml",
            24,
            "depends-on-not-ready",
        ),
        (
            "07-compose-django-nginx/docker-compose.yml",
            31,
            "shell-wrapped-command",
        ),
        // Compose 08: version, untagged postgres whose data directory is not on a volume.
        (
            "08-compose-postgres-django/docker-compose.yml",
            1,
            "obsolete-version",
        ),
        (
            "08-compose-postgres-django/docker-compose.yml",
            5,
            "image-tag",
        ),
        (
            "08-compose-postgres-django/docker-compose.yml",
            5,
            "data-volume-not-persistent",
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
        // Package hygiene: unpinned pip packages, apt without --no-install-recommends,
        // wget without --progress.
        ("01-python-test/Dockerfile", 8, "pip-version-unpinned"),
        ("03-microblog/Dockerfile", 10, "pip-version-unpinned"),
        ("04-anaconda/Dockerfile", 2, "apt-no-install-recommends"),
        ("04-anaconda/Dockerfile", 4, "apt-no-install-recommends"),
        ("04-anaconda/Dockerfile", 11, "wget-without-progress"),
        ("04-anaconda/Dockerfile", 19, "pip-version-unpinned"),
        (
            "05-supervisor-nginx/Dockerfile",
            7,
            "apt-no-install-recommends",
        ),
        (
            "06-django-ubuntu/Dockerfile",
            2,
            "apt-no-install-recommends",
        ),
        (
            "08-compose-postgres-django/Dockerfile",
            3,
            "apt-no-install-recommends",
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
    let out = Command::new(support::dockside_bin())
        .args(["check", "--format", "json", "--fail-level", "none", "."])
        .current_dir(&root)
        .output()
        .expect("run dockside");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON output");
    let actual: BTreeSet<(String, usize, String)> = items
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap() as usize,
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = expected();
    let missing: Vec<_> = expected.difference(&actual).collect();
    let unexpected: Vec<_> = actual.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "missing: {missing:#?}\nunexpected: {unexpected:#?}"
    );
}
