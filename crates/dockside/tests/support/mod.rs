//! Shared by the end-to-end tests: run the real `dockside` binary and read what it printed.

#![allow(dead_code)] // each test file uses a part

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const CLEAN: &str = "FROM alpine:3.20\nCMD [\"sh\"]\n";

/// How long one run may take: a read that blocks must fail the test, not hang it.
const TIMEOUT: Duration = Duration::from_secs(30);

pub fn dockside(dir: &Path, args: &[&str]) -> Output {
    dockside_stdin(dir, args, None)
}

/// Runs dockside in `dir` with `stdin` as its input (empty when `None`).
pub fn dockside_stdin(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dockside"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dockside");
    {
        let mut pipe = child.stdin.take().unwrap();
        if let Some(input) = stdin {
            pipe.write_all(input).unwrap();
        }
    }
    let output = std::thread::spawn(move || child.wait_with_output().unwrap());
    let start = Instant::now();
    while !output.is_finished() {
        assert!(
            start.elapsed() < TIMEOUT,
            "dockside {args:?} did not finish within {TIMEOUT:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    output.join().unwrap()
}

pub fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The findings of `--format json`.
pub fn json(out: &Output) -> Vec<Value> {
    match serde_json::from_slice::<Value>(&out.stdout) {
        Ok(Value::Array(items)) => items,
        other => panic!(
            "stdout is not a JSON array: {other:?}\nstdout: {}\nstderr: {}",
            stdout(out),
            stderr(out)
        ),
    }
}

pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

pub fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}
