//! End-to-end tests of Compose support in `dockside check` and `dockside compose config`:
//! the real binary, run in temporary projects, checked by what a user sees.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn run(dir: &Path, args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dockside"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("COMPOSE_PROFILES")
        .env_remove("COMPOSE_FILE")
        .env_remove("COMPOSE_PROJECT_NAME")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().expect("run dockside");
    {
        let mut pipe = child.stdin.take().unwrap();
        if let Some(input) = stdin {
            pipe.write_all(input).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn dockside(dir: &Path, args: &[&str]) -> Output {
    run(dir, args, None, &[])
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `(path, line, rule)` of every diagnostic of a `--format json` run.
fn findings(out: &Output) -> Vec<(String, u64, String)> {
    let items = match serde_json::from_slice::<Value>(&out.stdout) {
        Ok(Value::Array(items)) => items,
        other => panic!(
            "stdout is not a JSON array: {other:?}\nstdout: {}\nstderr: {}",
            text(&out.stdout),
            text(&out.stderr)
        ),
    };
    items
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(found: &[(String, u64, String)], path: &str, line: u64, rule: &str) -> bool {
    found
        .iter()
        .any(|(p, l, r)| p == path && *l == line && r == rule)
}

fn write(dir: &Path, rel: &str, content: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

const JSON: &[&str] = &["check", "--format", "json", "--fail-level", "none"];

fn check_json(dir: &Path, extra: &[&str]) -> Vec<(String, u64, String)> {
    let mut args = JSON.to_vec();
    args.extend_from_slice(extra);
    findings(&dockside(dir, &args))
}

#[test]
fn compose_files_are_found_by_name_in_folders() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "app/compose.yaml",
        "version: \"3\"\nservices:\n  web:\n    image: nginx:1.27\n",
    );
    write(
        d,
        "ops/docker-compose.yml",
        "version: \"2\"\nservices:\n  db:\n    image: postgres:17\n",
    );
    write(d, ".github/workflows/ci.yml", "version: 1\non: push\n");
    let found = check_json(d, &[]);
    assert!(
        has(&found, "app/compose.yaml", 1, "obsolete-version"),
        "{found:?}"
    );
    assert!(
        has(&found, "ops/docker-compose.yml", 1, "obsolete-version"),
        "{found:?}"
    );
    assert!(
        found.iter().all(|(p, _, _)| !p.contains("workflows")),
        "{found:?}"
    );
}

#[test]
fn human_output_points_at_the_compose_file_and_exit_code_follows_the_fail_level() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "compose.yaml",
        "version: \"3.8\"\nservices:\n  web:\n    image: nginx:1.27\n",
    );
    let out = dockside(dir.path(), &["check", "--color", "never"]);
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(
        printed.contains("compose.yaml:1:1: warning DC101 obsolete-version"),
        "{printed}"
    );
    let out = dockside(dir.path(), &["check", "--fail-level", "error"]);
    assert_eq!(code(&out), 0);
}

#[test]
fn a_yaml_file_named_on_the_command_line_is_a_compose_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "stack.yml",
        "services:\n  web:\n    image: [nginx\n",
    );
    let found = check_json(dir.path(), &["stack.yml"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "stack.yml");
    assert_eq!(found[0].2, "compose-syntax-error");
}

#[test]
fn compose_file_flags_make_one_project_and_env_file_feeds_interpolation() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "base.yml",
        "services:\n  web:\n    image: \"nginx:${TAG}\"\n",
    );
    write(
        d,
        "prod.yml",
        "services:\n  web:\n    environment:\n      MODE: prod\n",
    );
    write(d, "prod.env", "TAG=1.27\n");
    // Without the env file, TAG is unset where it is used.
    let found = check_json(d, &["-f", "base.yml", "-f", "prod.yml"]);
    assert!(
        has(&found, "base.yml", 3, "undefined-variable"),
        "{found:?}"
    );
    // With it, nothing to say; and `-f` alone does not lint other files of the folder.
    write(
        d,
        "compose.yaml",
        "version: \"3\"\nservices:\n  x:\n    image: busybox:1.36\n",
    );
    let found = check_json(
        d,
        &["-f", "base.yml", "-f", "prod.yml", "--env-file", "prod.env"],
    );
    assert!(
        found.iter().all(|(_, _, r)| r != "undefined-variable"),
        "{found:?}"
    );
    assert!(
        found.iter().all(|(p, _, _)| p != "compose.yaml"),
        "{found:?}"
    );
}

#[test]
fn process_environment_wins_over_dotenv() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "compose.yaml",
        "services:\n  web:\n    image: \"nginx:${TAG}\"\n    x-mode: ${MODE}\n",
    );
    write(d, ".env", "TAG=1.27\n");
    let out = run(d, JSON, None, &[("MODE", "fast")]);
    let found = findings(&out);
    assert!(
        found.iter().all(|(_, _, r)| r != "undefined-variable"),
        "{found:?}"
    );
    let out = run(d, JSON, None, &[]);
    let found = findings(&out);
    assert!(
        has(&found, "compose.yaml", 4, "undefined-variable"),
        "{found:?}"
    );
}

#[test]
fn a_variant_file_that_refines_the_default_file_is_linted_over_it_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "docker-compose.yml",
        "version: \"3\"\nservices:\n  web:\n    image: nginx:1.27\n",
    );
    write(
        d,
        "docker-compose.prod.yml",
        "services:\n  web:\n    restart: always\n",
    );
    let found = check_json(d, &[]);
    let versions = found
        .iter()
        .filter(|(p, _, r)| p == "docker-compose.yml" && r == "obsolete-version")
        .count();
    assert_eq!(versions, 1, "{found:?}");
}

#[test]
fn fix_removes_the_version_key_and_keeps_everything_else() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let original = "# my stack\nversion: '3.7'\n\nservices:\n  web: &web\n    image: nginx:1.27 # pinned\n  web2: *web\n";
    write(d, "compose.yaml", original);
    let out = dockside(d, &["check", "--diff"]);
    assert_eq!(code(&out), 1);
    let diff = text(&out.stdout);
    assert!(diff.contains("-version: '3.7'"), "{diff}");
    assert!(
        text(&out.stderr).contains("Would fix 1 problem in 1 file."),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        fs::read_to_string(d.join("compose.yaml")).unwrap(),
        original
    );
    let out = dockside(d, &["check", "--fix"]);
    assert_eq!(code(&out), 0, "{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(
        fs::read_to_string(d.join("compose.yaml")).unwrap(),
        "# my stack\nservices:\n  web: &web\n    image: nginx:1.27 # pinned\n  web2: *web\n"
    );
}

#[test]
fn stdin_with_a_compose_name_is_linted_as_compose() {
    let dir = tempfile::tempdir().unwrap();
    let input = b"version: \"3\"\nservices:\n  web:\n    image: nginx:1.27\n";
    let mut args = JSON.to_vec();
    args.extend_from_slice(&["--stdin-filename", "compose.yaml", "-"]);
    let out = run(dir.path(), &args, Some(input), &[]);
    let found = findings(&out);
    assert!(
        has(&found, "compose.yaml", 1, "obsolete-version"),
        "{found:?}"
    );
    let out = run(
        dir.path(),
        &["check", "--fix", "--stdin-filename", "compose.yaml", "-"],
        Some(input),
        &[],
    );
    assert_eq!(
        text(&out.stdout),
        "services:\n  web:\n    image: nginx:1.27\n"
    );
}

#[test]
fn the_dockerfile_a_service_builds_is_linted_with_the_services_build_context() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The Dockerfile lives in docker/, the context is the project root, which holds .env.
    write(
        d,
        "compose.yaml",
        "services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/app.df\n",
    );
    write(
        d,
        "docker/app.df",
        "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n",
    );
    write(d, ".env", "SECRET_KEY=abc123\n");
    write(d, "main.py", "print('hi')\n");
    let found = check_json(d, &["compose.yaml"]);
    assert!(
        has(&found, "docker/app.df", 2, "secret-in-build-context"),
        "{found:?}"
    );
}

#[test]
fn broken_compose_input_gives_located_errors_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("compose.yaml"), b"services:\n  web:\x00\xff\n").unwrap();
    let found = check_json(d, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].2, "compose-syntax-error");
    assert_eq!(found[0].1, 2);
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    write(d, "compose.yaml", bomb);
    let found = check_json(d, &[]);
    assert!(
        found.iter().any(|(_, _, r)| r == "compose-syntax-error"),
        "{found:?}"
    );
}

#[test]
fn compose_config_prints_the_resolved_project() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "compose.yaml",
        "services:\n  web:\n    image: \"nginx:${TAG:-1.27}\"\n    ports: [\"8080:80\"]\n  debug:\n    image: busybox:1.36\n    profiles: [debug]\n",
    );
    write(
        d,
        "compose.override.yaml",
        "services:\n  web:\n    ports: [\"8443:443\"]\n",
    );
    let out = dockside(d, &["compose", "config"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(printed.contains("image: nginx:1.27"), "{printed}");
    assert!(
        printed.contains("8080:80") && printed.contains("8443:443"),
        "{printed}"
    );
    assert!(!printed.contains("debug"), "{printed}");
    let out = dockside(d, &["compose", "config", "--profile", "debug"]);
    assert!(text(&out.stdout).contains("busybox:1.36"));

    write(
        d,
        "compose.yaml",
        "services:\n  web:\n    image: \"nginx:${TAG:?set TAG}\"\n",
    );
    let out = dockside(d, &["compose", "config"]);
    assert_eq!(code(&out), 1);
    let errors = text(&out.stderr);
    assert!(errors.contains("compose.yaml:3:"), "{errors}");
    assert!(errors.contains("set TAG"), "{errors}");

    let empty = tempfile::tempdir().unwrap();
    let out = dockside(empty.path(), &["compose", "config"]);
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("no Compose file found"));
}
