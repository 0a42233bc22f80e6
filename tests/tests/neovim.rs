//! Neovim as a real client of `dockside lsp`: a headless Neovim
//! (`tests/resources/neovim/init.lua`, with `editors/neovim` on its
//! 'runtimepath') reports the filetypes it detects for Dockerfile and
//! Compose names (`editors/neovim/ftdetect/dockside.lua`), opens a
//! Dockerfile and a `compose.yaml`, waits for the diagnostics, applies a
//! quick fix in each and writes them. Needs `nvim` on the PATH (or
//! `DOCKSIDE_NVIM`): fails without it under CI (`CI` set), skips otherwise.

mod support;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dockside_acceptance::repo_root;
use serde_json::{Value, json};

const APP: &str = "FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install flask==3.1.0
COPY . .
CMD python app.py
";

const COMPOSE: &str = "version: \"3.8\"
services:
  web:
    build: .
  cache:
    image: redis:latest
";

/// File names and the filetype Neovim must give them with the shipped ftdetect rules.
const FILETYPES: &[(&str, &str)] = &[
    ("compose.yaml", "yaml.docker-compose"),
    ("compose.yml", "yaml.docker-compose"),
    ("docker-compose.yml", "yaml.docker-compose"),
    ("docker-compose.yaml", "yaml.docker-compose"),
    ("compose.override.yaml", "yaml.docker-compose"),
    ("compose.override.yml", "yaml.docker-compose"),
    ("docker-compose.override.yml", "yaml.docker-compose"),
    ("docker-compose.prod.yml", "yaml.docker-compose"),
    ("compose.prod.yaml", "yaml.docker-compose"),
    ("compose-dev.yaml", "yaml.docker-compose"),
    ("composer.yaml", "yaml"),
    ("my-compose.yaml", "yaml"),
    ("values.yml", "yaml"),
    ("composer.json", "json"),
    ("Dockerfile", "dockerfile"),
    ("Dockerfile.dev", "dockerfile"),
    ("api.Dockerfile", "dockerfile"),
    ("Dockerfile-prod", "dockerfile"),
    ("Dockerfile_ci", "dockerfile"),
    ("app.Containerfile", "dockerfile"),
    ("app.dockerfile", "dockerfile"),
];

fn nvim() -> OsString {
    std::env::var_os("DOCKSIDE_NVIM").unwrap_or_else(|| "nvim".into())
}

fn nvim_available() -> bool {
    Command::new(nvim())
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `(line, column, code, source)` of each diagnostic, sorted; 0-based like Neovim's.
fn diagnostics(file: &Value) -> Vec<(u64, u64, String, String)> {
    let mut got: Vec<_> = file["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no diagnostics in {file}"))
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
    let mut unique = got.clone();
    unique.dedup();
    assert_eq!(
        got.len(),
        unique.len(),
        "each diagnostic shown once (twice in two namespaces: the server pushed them and \
         Neovim also pulled them): {file}"
    );
    got
}

fn finding(line: u64, column: u64, code: &str) -> (u64, u64, String, String) {
    (line, column, code.to_string(), "dockside".to_string())
}

#[test]
fn neovim_shows_diagnostics_and_applies_fixes() {
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
    let compose = dir.path().join("compose.yaml");
    std::fs::write(&dockerfile, APP).unwrap();
    std::fs::write(&compose, COMPOSE).unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "flask\n").unwrap();
    let out = dir.path().join("result.json");
    let init = repo_root().join("tests/resources/neovim/init.lua");
    let names: Vec<&str> = FILETYPES.iter().map(|(name, _)| *name).collect();

    let mut child = Command::new(nvim())
        .args(["--headless", "--clean", "-n", "-u"])
        .arg(&init)
        .arg(&dockerfile)
        .current_dir(dir.path())
        .env("DOCKSIDE_BIN", &bin)
        .env("DOCKSIDE_OUT", &out)
        .env("DOCKSIDE_EDITOR", repo_root().join("editors/neovim"))
        .env("DOCKSIDE_COMPOSE", &compose)
        .env("DOCKSIDE_FT_NAMES", names.join("\n"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
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

    let errors = result["errors"].as_array().cloned().unwrap_or_default();
    assert!(
        errors.is_empty(),
        "errors in nvim: {errors:?}\nstderr:\n{stderr}\n{raw}"
    );

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

    // Filetype detection with editors/neovim/ftdetect/dockside.lua.
    let detected: BTreeMap<&str, &str> = names
        .iter()
        .map(|name| (*name, result["filetypes"][name].as_str().unwrap_or("?")))
        .collect();
    let expected: BTreeMap<&str, &str> = FILETYPES.iter().copied().collect();
    assert_eq!(detected, expected, "filetypes Neovim detected");

    // The Dockerfile: diagnostics, then the JSON-form quick fix for the shell-form CMD.
    let file = &result["files"]["dockerfile"];
    assert_eq!(file["filetype"], "dockerfile", "{raw}");
    assert_eq!(
        diagnostics(file),
        [
            finding(3, 4, "package-cache-not-cleaned"),
            finding(4, 5, "copy-context-without-dockerignore"),
            finding(5, 4, "shell-form-entrypoint"),
        ],
        "{raw}"
    );
    assert_eq!(
        file["applied"],
        json!(true),
        "the JSON-form quick fix was offered: {raw}"
    );
    let fixed_app = APP.replace("CMD python app.py", "CMD [\"python\", \"app.py\"]");
    assert_eq!(
        std::fs::read_to_string(&dockerfile).unwrap(),
        fixed_app,
        "the Dockerfile nvim wrote"
    );

    // The Compose file: the ftdetect rules give it its filetype, the client attaches,
    // the obsolete `version` is reported and its quick fix removes it from the buffer.
    let file = &result["files"]["compose"];
    assert_eq!(file["filetype"], "yaml.docker-compose", "{raw}");
    assert_eq!(
        diagnostics(file),
        [
            finding(0, 0, "obsolete-version"),
            finding(5, 11, "image-tag")
        ],
        "{raw}"
    );
    assert_eq!(
        file["applied"],
        json!(true),
        "the remove-`version` quick fix was offered: {raw}"
    );
    let fixed_compose = COMPOSE.strip_prefix("version: \"3.8\"\n").unwrap();
    assert_eq!(
        file["lines"],
        json!(fixed_compose.lines().collect::<Vec<_>>()),
        "the buffer after the quick fix"
    );
    assert_eq!(
        std::fs::read_to_string(&compose).unwrap(),
        fixed_compose,
        "the compose.yaml nvim wrote"
    );
    assert!(
        status.success(),
        "nvim exit status {status}; stderr:\n{stderr}"
    );
}
