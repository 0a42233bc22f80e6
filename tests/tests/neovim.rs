//! Neovim as a real client of `dockside lsp`: a headless Neovim opens a
//! Dockerfile, waits for the diagnostics, applies the JSON-form quick fix
//! and writes the file (`tests/resources/neovim/init.lua`, which loads the
//! shipped `editors/neovim/lsp/dockside.lua`). Needs `nvim` on the PATH:
//! fails without it under CI (`CI` set), skips otherwise.

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dockside_acceptance::repo_root;
use serde_json::{Value, json};

const APP: &str = "FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install flask
COPY . .
CMD python app.py
";

fn nvim_available() -> bool {
    Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn neovim_shows_diagnostics_and_applies_the_fix() {
    if !nvim_available() {
        if std::env::var_os("CI").is_some() {
            panic!("nvim is not on the PATH (CI is set: .ci/run installs it)");
        }
        eprintln!("skipped: nvim is not on the PATH");
        return;
    }
    let bin = support::dockside_bin();
    let dir = tempfile::Builder::new()
        .prefix("dockside-nvim-")
        .tempdir()
        .unwrap();
    let dockerfile = dir.path().join("Dockerfile");
    std::fs::write(&dockerfile, APP).unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "flask\n").unwrap();
    let out = dir.path().join("result.json");
    let init = repo_root().join("tests/resources/neovim/init.lua");
    let config = repo_root().join("editors/neovim/lsp/dockside.lua");

    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-u"])
        .arg(&init)
        .arg(&dockerfile)
        .current_dir(dir.path())
        .env("DOCKSIDE_BIN", &bin)
        .env("DOCKSIDE_OUT", &out)
        .env("DOCKSIDE_CONFIG", &config)
        .env("DOCKSIDE_FIX", "1")
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting nvim");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("nvim did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).ok();
    let raw = std::fs::read_to_string(&out).unwrap_or_else(|e| {
        panic!("nvim wrote no result ({e}); status {status}; stderr:\n{stderr}")
    });
    let result: Value = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{e}: {raw}"));
    eprintln!("nvim {} via {}", result["version"], result["mode"]);

    // The shipped configuration.
    assert_eq!(result["config"]["cmd"], json!(["dockside", "lsp"]), "{raw}");
    assert_eq!(
        result["config"]["filetypes"],
        json!(["dockerfile", "yaml.docker-compose", "yaml"]),
        "{raw}"
    );
    assert_eq!(
        result["config"]["root_markers"],
        json!([".dockside.toml", ".git"]),
        "{raw}"
    );

    let errors = result["errors"].as_array().cloned().unwrap_or_default();
    assert!(
        errors.is_empty(),
        "errors in nvim: {errors:?}\nstderr:\n{stderr}"
    );

    let mut got: Vec<(u64, u64, String, String)> = result["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("{raw}"))
        .iter()
        .map(|d| {
            (
                d["lnum"].as_u64().unwrap(),
                d["col"].as_u64().unwrap(),
                d["code"].as_str().unwrap_or("?").to_string(),
                d["source"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (
                3,
                4,
                "package-cache-not-cleaned".to_string(),
                "dockside".to_string()
            ),
            (
                5,
                4,
                "shell-form-entrypoint".to_string(),
                "dockside".to_string()
            ),
        ],
        "{raw}"
    );
    assert_eq!(
        result["applied"],
        json!(true),
        "the JSON-form quick fix was offered: {raw}"
    );
    assert_eq!(
        std::fs::read_to_string(&dockerfile).unwrap(),
        APP.replace("CMD python app.py", "CMD [\"python\", \"app.py\"]"),
        "the file nvim wrote"
    );
    assert!(
        status.success(),
        "nvim exit status {status}; stderr:\n{stderr}"
    );
}
