//! Hostile inputs the real binary must survive with a clear error (the bounded-time
//! sweep over many more is `tests/hostile/run.sh`), and what `--fix` keeps of a file.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod support;
use support::*;

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

#[test]
fn doubling_arg_values_do_not_exhaust_memory() {
    let dir = tempfile::tempdir().unwrap();
    // Expanded naively, A40 would be 10 TB long.
    let mut text = String::from("ARG A0=0123456789\n");
    for i in 1..=40 {
        text.push_str(&format!("ARG A{i}=${{A{}}}${{A{}}}\n", i - 1, i - 1));
    }
    text.push_str("FROM alpine:3.20\nARG A40\nRUN echo $A40\nLABEL x=\"${A40}\"\nRUNN x\n");
    fs::write(dir.path().join("Dockerfile"), text).unwrap();
    let out = dockside(
        dir.path(),
        &["check", "--format", "json", "--select", "syntax-error"],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let items = json(&out);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["rule"], "syntax-error");
    assert_eq!(items[0]["range"]["start"]["line"], 46);
    assert_eq!(items[0]["range"]["start"]["column"], 1);
}

#[test]
fn a_fifo_named_on_the_command_line_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("Dockerfile"));
    fs::write(dir.path().join("other.Dockerfile"), "FROM alpine\nRUNN x\n").unwrap();
    let out = dockside(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "syntax-error",
            "Dockerfile",
            "other.Dockerfile",
        ],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "error: Dockerfile: not a regular file (a FIFO, socket or device); pipe it to `dockside check -`"
        ),
        "{}",
        stderr(&out)
    );
    let items = json(&out);
    assert_eq!(items.len(), 1, "the other file is still linted: {items:?}");
    assert_eq!(items[0]["path"], "other.Dockerfile");
}

#[test]
fn a_device_named_on_the_command_line_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("Dockerfile")).unwrap();
    let out = dockside(dir.path(), &["check", "Dockerfile"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error: Dockerfile: not a regular file"),
        "{}",
        stderr(&out)
    );

    // A Compose file too: an I/O error, not a finding in the file.
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("compose.yaml")).unwrap();
    let out = dockside(dir.path(), &["check", "--format", "json", "compose.yaml"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error: compose.yaml: not a regular file"),
        "{}",
        stderr(&out)
    );
    assert_eq!(json(&out), Vec::<Value>::new());
}

#[test]
fn fifos_in_a_searched_folder_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("a")).unwrap();
    fs::create_dir_all(dir.path().join("b")).unwrap();
    fs::write(dir.path().join("a/Dockerfile"), CLEAN).unwrap();
    mkfifo(&dir.path().join("b/Dockerfile"));
    mkfifo(&dir.path().join("b/compose.yaml"));
    mkfifo(&dir.path().join("a/.dockerignore"));
    let out = dockside(dir.path(), &["check", "--color", "never"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("No problems found in 1 file."),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_missing_compose_file_flag_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dockside(
        dir.path(),
        &["check", "--format", "json", "-f", "nope.yaml"],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error: nope.yaml: No such file or directory"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        json(&out),
        Vec::<Value>::new(),
        "no finding in a missing file"
    );

    mkfifo(&dir.path().join("fifo.yaml"));
    let out = dockside(dir.path(), &["check", "-f", "fifo.yaml"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error: fifo.yaml: not a regular file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_fifo_given_as_config_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), CLEAN).unwrap();
    mkfifo(&dir.path().join("c.toml"));
    let out = dockside(dir.path(), &["check", "--config", "c.toml", "Dockerfile"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("c.toml: cannot read configuration file: not a regular file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn fix_keeps_mode_bom_and_crlf_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    fs::write(&path, "\u{FEFF}FROM alpine:3.20\r\nCMD python app.py\r\n").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    let out = dockside(
        dir.path(),
        &[
            "check",
            "--fix",
            "--select",
            "shell-form-entrypoint",
            "Dockerfile",
        ],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "\u{FEFF}FROM alpine:3.20\r\nCMD [\"python\", \"app.py\"]\r\n"
    );
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o755
    );
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["Dockerfile"]);
}
