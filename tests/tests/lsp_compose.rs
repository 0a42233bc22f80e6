//! End-to-end tests of the language server on Compose files: the real `dockside lsp` over
//! stdio, driven as an editor would, on Compose projects in temporary folders. Every
//! assertion is on what the user sees: rule codes, ranges, texts.

mod support;

use std::path::Path;

use serde_json::{Value, json};
use support::*;

/// A project folder with `files` (relative path, contents).
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("dockside-lsp-compose-")
        .tempdir()
        .expect("tempdir");
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// A server started in `dir` with `name` opened as `text` (language `language`).
fn open(dir: &Path, name: &str, language: &str, text: &str) -> (LspClient, String) {
    let (c, _) = LspClient::start_initialized(dir);
    let uri = file_uri(&dir.join(name));
    c.did_open(&uri, language, text);
    (c, uri)
}

fn diagnostics_of(params: &Value) -> Vec<Value> {
    params["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The rules these tests are about (other Compose rules may report more on the fixtures).
const STABLE: [&str; 7] = [
    "compose-syntax-error",
    "compose-load-error",
    "undefined-variable",
    "invalid-interpolation",
    "env-file-syntax",
    "yaml-trap",
    "obsolete-version",
];

fn is_stable(d: &Value) -> bool {
    STABLE.iter().any(|code| d["code"] == *code)
}

/// `(code, start line, start char, end line, end char)` of each diagnostic of a stable rule.
fn summary(diagnostics: &[Value]) -> Vec<(String, u64, u64, u64, u64)> {
    diagnostics
        .iter()
        .filter(|d| is_stable(d))
        .map(|d| {
            let r = &d["range"];
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                r["start"]["line"].as_u64().unwrap(),
                r["start"]["character"].as_u64().unwrap(),
                r["end"]["line"].as_u64().unwrap(),
                r["end"]["character"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": pos(line, character) })
}

fn hover_text(hover: &Value) -> String {
    hover["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn labels(result: &Value) -> Vec<String> {
    result
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|i| i["label"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A project with problems the stable Compose rules find.
const BROKEN: &str = "version: \"3.8\"
services:
  web:
    image: \"nginx:${NGINX_TAG}\"
    depends_on:
      - db
  db:
    image: postgres:16
";

#[test]
fn compose_document_gets_exact_diagnostics() {
    let dir = project(&[("compose.yaml", BROKEN)]);
    let (c, uri) = open(dir.path(), "compose.yaml", "dockercompose", BROKEN);
    let params = c.wait_diagnostics(&uri, |p| p["version"] == 1);
    let diagnostics = diagnostics_of(&params);
    assert_eq!(
        summary(&diagnostics),
        [
            ("obsolete-version".to_string(), 0, 0, 0, 14),
            ("undefined-variable".to_string(), 3, 18, 3, 30),
        ],
        "{}",
        serde_json::to_string_pretty(&diagnostics).unwrap()
    );
    for d in &diagnostics {
        assert_eq!(d["source"], "dockside");
    }
}

#[test]
fn yaml_language_with_a_compose_name_is_served_and_other_yaml_is_not() {
    let dir = project(&[
        ("docker-compose.yml", BROKEN),
        ("config.yaml", "version: \"3.8\"\nservices: {}\n"),
    ]);
    let (c, _) = LspClient::start_initialized(dir.path());
    let other = file_uri(&dir.path().join("config.yaml"));
    c.did_open(&other, "yaml", "version: \"3.8\"\nservices: {}\n");
    let uri = file_uri(&dir.path().join("docker-compose.yml"));
    c.did_open(&uri, "yaml", BROKEN);
    let diagnostics = diagnostics_of(&c.wait_diagnostics(&uri, |p| p["version"] == 1));
    assert_eq!(diagnostics[0]["code"], "obsolete-version");
    let published: Vec<Value> = c
        .drain_notifications("textDocument/publishDiagnostics")
        .into_iter()
        .filter(|n| n["params"]["uri"] == other.as_str())
        .collect();
    assert!(published.is_empty(), "{published:?}");
    let mut c = c;
    assert_eq!(
        c.request("textDocument/hover", at(&other, 0, 2)),
        Value::Null
    );
}

#[test]
fn quick_fix_and_fix_all_remove_the_obsolete_version() {
    let dir = project(&[("compose.yaml", BROKEN)]);
    let (mut c, uri) = open(dir.path(), "compose.yaml", "dockercompose", BROKEN);
    let diagnostics = diagnostics_of(&c.wait_diagnostics(&uri, |p| p["version"] == 1));
    let version = diagnostics
        .iter()
        .find(|d| d["code"] == "obsolete-version")
        .unwrap()
        .clone();
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": version["range"],
            "context": { "diagnostics": [version], "only": ["quickfix"] },
        }),
    );
    let actions = actions.as_array().unwrap();
    let fix = &actions[0];
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], "obsolete-version");
    let edits = workspace_edits_for(&fix["edit"], &uri);
    let fixed = apply_edits(BROKEN, &edits);
    assert_eq!(fixed, BROKEN.replace("version: \"3.8\"\n", ""));
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Ignore obsolete-version here"),
        "{titles:?}"
    );

    let all = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": range(0, 0, 0, 0),
            "context": { "diagnostics": [], "only": ["source.fixAll"] },
        }),
    );
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["kind"], "source.fixAll.dockside");
    let edits = workspace_edits_for(&all[0]["edit"], &uri);
    assert_eq!(
        apply_edits(BROKEN, &edits),
        BROKEN.replace("version: \"3.8\"\n", "")
    );
}

#[test]
fn hover_on_a_key_a_variable_and_a_service() {
    let text = "services:
  web:
    image: \"nginx:${NGINX_TAG}\"
    restart: always
    depends_on:
      - db
  db:
    image: postgres:16
    ports:
      - \"5432:5432\"
";
    let dir = project(&[
        ("compose.yaml", text),
        (".env", "# pinned\nNGINX_TAG=1.27\n"),
    ]);
    let (mut c, uri) = open(dir.path(), "compose.yaml", "dockercompose", text);
    let variable = c.request("textDocument/hover", at(&uri, 2, 22));
    assert_eq!(
        hover_text(&variable),
        "**`NGINX_TAG`** = `1.27`\n\nSet in `.env` line 2."
    );
    assert_eq!(variable["range"], range(2, 18, 2, 30));
    let service = c.request("textDocument/hover", at(&uri, 5, 9));
    assert_eq!(
        hover_text(&service),
        "**service `db`**\n\n- image: `postgres:16`\n- ports: `5432:5432`\n\nDefined in `compose.yaml` line 7."
    );
    let key = c.request("textDocument/hover", at(&uri, 3, 6));
    let key_text = hover_text(&key);
    assert!(key_text.starts_with("**`restart`**"), "{key_text}");
    assert!(key_text.contains("`unless-stopped`"), "{key_text}");
    assert_eq!(key["range"], range(3, 4, 3, 11));
}

#[test]
fn completion_of_services_in_depends_on_and_of_keys() {
    let text = "services:
  web:
    image: nginx:1.27
    depends_on:
      - 
  db:
    image: postgres:16
  cache:
    image: redis:7
";
    let dir = project(&[("compose.yaml", text)]);
    let (mut c, uri) = open(dir.path(), "compose.yaml", "dockercompose", text);
    let services = c.request("textDocument/completion", at(&uri, 4, 8));
    assert_eq!(labels(&services), ["db", "cache"]);
    // A key under `web`: `image` and `depends_on` are written already.
    c.did_change(
        &uri,
        2,
        vec![json!({ "range": range(2, 21, 2, 21), "text": "\n    rest" })],
    );
    let keys = c.request("textDocument/completion", at(&uri, 3, 8));
    let keys = labels(&keys);
    assert!(keys.contains(&"restart".to_string()), "{keys:?}");
    assert!(!keys.contains(&"image".to_string()), "{keys:?}");
    assert!(!keys.contains(&"depends_on".to_string()), "{keys:?}");
    // The value of `restart`: its enum.
    c.did_change(
        &uri,
        3,
        vec![json!({ "range": range(3, 8, 3, 8), "text": "art: " })],
    );
    let values = labels(&c.request("textDocument/completion", at(&uri, 3, 13)));
    assert!(values.contains(&"unless-stopped".to_string()), "{values:?}");
}

#[test]
fn definition_from_depends_on_to_the_service_and_alias_to_anchor() {
    let text = "x-env: &env
  TZ: UTC
services:
  web:
    image: nginx:1.27
    environment: *env
    depends_on:
      - db
  db:
    image: postgres:16
";
    let dir = project(&[("compose.yaml", text)]);
    let (mut c, uri) = open(dir.path(), "compose.yaml", "dockercompose", text);
    let found = c.request("textDocument/definition", at(&uri, 7, 9));
    assert_eq!(found["uri"], uri.as_str());
    assert_eq!(found["range"], range(8, 2, 8, 4));
    let anchor = c.request("textDocument/definition", at(&uri, 5, 20));
    assert_eq!(anchor["range"], range(0, 7, 0, 11));
}

#[test]
fn definition_of_a_variable_goes_to_the_env_file_line() {
    let text = "services:\n  web:\n    image: \"nginx:${NGINX_TAG}\"\n";
    let dir = project(&[
        ("compose.yaml", text),
        (".env", "# pinned\nNGINX_TAG=1.27\n"),
    ]);
    let (mut c, uri) = open(dir.path(), "compose.yaml", "dockercompose", text);
    let found = c.request("textDocument/definition", at(&uri, 2, 22));
    assert_eq!(found["uri"], file_uri(&dir.path().join(".env")).as_str());
    assert_eq!(found["range"]["start"], pos(1, 0));
}

#[test]
fn document_symbols_list_sections_and_services() {
    let text = "services:
  web:
    image: nginx:1.27
  db:
    image: postgres:16
volumes:
  data: {}
";
    let dir = project(&[("compose.yaml", text)]);
    let (mut c, uri) = open(dir.path(), "compose.yaml", "dockercompose", text);
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let symbols = symbols.as_array().unwrap();
    let names: Vec<&str> = symbols
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["services", "volumes"]);
    let services = &symbols[0];
    assert_eq!(services["range"], range(0, 0, 4, 22));
    let children: Vec<(&str, &str)> = services["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap(),
                s["detail"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(children, [("web", "nginx:1.27"), ("db", "postgres:16")]);
    assert_eq!(services["children"][0]["selectionRange"], range(1, 2, 1, 5));
    assert_eq!(symbols[1]["children"][0]["name"], "data");
}

#[test]
fn editing_the_env_buffer_updates_the_compose_diagnostics() {
    let text = "services:\n  web:\n    image: \"nginx:${NGINX_TAG}\"\n";
    let dir = project(&[("compose.yaml", text), (".env", "# nothing yet\n")]);
    let (c, uri) = open(dir.path(), "compose.yaml", "dockercompose", text);
    let first = diagnostics_of(&c.wait_diagnostics(&uri, |p| p["version"] == 1));
    assert_eq!(
        summary(&first),
        [("undefined-variable".to_string(), 2, 18, 2, 30)]
    );
    let env = file_uri(&dir.path().join(".env"));
    c.did_open(&env, "dotenv", "# nothing yet\n");
    c.did_change(
        &env,
        2,
        vec![json!({ "text": "# nothing yet\nNGINX_TAG=1.27\n" })],
    );
    c.wait_diagnostics(&uri, |p| !diagnostics_of(p).iter().any(is_stable));
}

#[test]
fn a_watched_env_file_change_updates_the_compose_diagnostics() {
    let text = "services:\n  web:\n    image: \"nginx:${NGINX_TAG}\"\n";
    let dir = project(&[("compose.yaml", text)]);
    let (c, uri) = open(dir.path(), "compose.yaml", "dockercompose", text);
    let first = diagnostics_of(&c.wait_diagnostics(&uri, |p| p["version"] == 1));
    assert_eq!(
        summary(&first),
        [("undefined-variable".to_string(), 2, 18, 2, 30)]
    );
    let env = dir.path().join(".env");
    std::fs::write(&env, "NGINX_TAG=1.27\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&env), "type": 1 }] }),
    );
    c.wait_diagnostics(&uri, |p| !diagnostics_of(p).iter().any(is_stable));
}

#[test]
fn env_file_problems_are_published_into_the_env_file() {
    let text = "services:\n  web:\n    image: \"nginx:${NGINX_TAG:-1.27}\"\n";
    let env_text = "NGINX_TAG=1.27\nnot a valid line\n";
    let dir = project(&[("compose.yaml", text), (".env", env_text)]);
    let (c, uri) = open(dir.path(), "compose.yaml", "dockercompose", text);
    let env = file_uri(&dir.path().join(".env"));
    let params = c.wait_diagnostics(&env, |p| !diagnostics_of(p).is_empty());
    let codes: Vec<String> = diagnostics_of(&params)
        .iter()
        .filter(|d| is_stable(d))
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(codes, ["env-file-syntax"]);
    assert_eq!(diagnostics_of(&params)[0]["range"]["start"]["line"], 1);
    let _ = uri;
}

#[test]
fn override_findings_go_to_the_override_file_once() {
    let base = "services:\n  web:\n    image: nginx:1.27\n";
    let over = "version: \"3\"\nservices:\n  web:\n    restart: always\n";
    let dir = project(&[("compose.yaml", base), ("compose.override.yaml", over)]);
    let (c, uri) = open(dir.path(), "compose.yaml", "dockercompose", base);
    let over_uri = file_uri(&dir.path().join("compose.override.yaml"));
    // The base file's analysis loads the override too, and reports into it.
    let params = c.wait_diagnostics(&over_uri, |p| !diagnostics_of(p).is_empty());
    assert_eq!(
        summary(&diagnostics_of(&params)),
        [("obsolete-version".to_string(), 0, 0, 0, 12)]
    );
    // Opened, the override reports its own findings, once.
    c.did_open(&over_uri, "yaml", over);
    let params = c.wait_diagnostics(&over_uri, |p| p["version"] == 1);
    assert_eq!(
        summary(&diagnostics_of(&params)),
        [("obsolete-version".to_string(), 0, 0, 0, 12)]
    );
    let _ = uri;
}

#[test]
fn a_dockerfile_built_by_a_compose_service_gets_the_services_build_context() {
    // The service builds docker/app.df with the project root as context, which holds a .env.
    let dockerfile = "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n";
    let dir = project(&[
        (
            "compose.yaml",
            "services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/app.df\n",
        ),
        ("docker/app.df", dockerfile),
        (".env", "SECRET_KEY=abc123\n"),
    ]);
    let (c, uri) = open(dir.path(), "docker/app.df", "dockerfile", dockerfile);
    let diagnostics = diagnostics_of(&c.wait_diagnostics(&uri, |p| p["version"] == 1));
    assert!(
        lines_and_codes(&diagnostics).contains(&(1, "secret-in-build-context".to_string())),
        "{diagnostics:#?}"
    );
}
