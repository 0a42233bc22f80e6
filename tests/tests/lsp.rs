//! End-to-end tests of the language server (`dockside lsp`): the real binary
//! over stdio, driven as an editor would, on real Dockerfiles in temporary
//! build contexts (and the user's seed examples when `../shared` exists).
//! Every assertion is on exact values: codes, ranges, texts.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use dockside_acceptance::{findings, lint, shared};
use serde_json::{Value, json};
use support::*;

// ---------------------------------------------------------------------------
// Fixtures

/// The main example: a pip install keeping its cache, a shell-form CMD.
const APP: &str = "FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install flask==3.1.0
COPY . .
CMD python app.py
";

/// `APP` after every safe fix (what `dockside check --fix` writes).
const APP_FIXED: &str = "FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir flask==3.1.0
COPY . .
CMD [\"python\", \"app.py\"]
";

/// Two stages, a heredoc, an empty line (4) for completion.
const STAGES: &str = "FROM golang:1.22 AS builder
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM alpine:3.20
COPY --from=builder /out/app /usr/local/bin/app
RUN <<EOF
set -e
echo one
EOF
ENTRYPOINT [\"/usr/local/bin/app\"]
";

/// An ARG and two uses.
const ARGS: &str = "FROM alpine:3.20
ARG VERSION=1.2.3
RUN echo $VERSION
RUN echo ${VERSION}
";

/// A build context with `files` (relative path, contents).
fn context(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("dockside-lsp-")
        .tempdir()
        .expect("tempdir");
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// The app context (Dockerfile = `APP`) with the files it copies.
fn app_context() -> tempfile::TempDir {
    context(&[
        ("Dockerfile", APP),
        ("requirements.txt", "flask\n"),
        ("app.py", "print('hi')\n"),
    ])
}

/// A server initialized in `dir` with `Dockerfile` opened as `text`; its URI.
fn open_dockerfile(dir: &Path, name: &str, text: &str) -> (LspClient, String) {
    let (c, _) = LspClient::start_initialized(dir);
    let uri = file_uri(&dir.join(name));
    c.did_open(&uri, "dockerfile", text);
    (c, uri)
}

fn diag_with<'a>(diags: &'a [Value], code: &str) -> &'a Value {
    diags.iter().find(|d| d["code"] == code).unwrap_or_else(|| {
        panic!(
            "no {code} diagnostic in {}",
            serde_json::to_string_pretty(diags).unwrap()
        )
    })
}

fn diags_of(params: &Value) -> Vec<Value> {
    params["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("no diagnostics array in {params}"))
}

/// The text of a hover's contents (MarkupContent, MarkedString or an array of them).
fn hover_text(hover: &Value) -> String {
    fn one(v: &Value) -> String {
        match v {
            Value::String(s) => s.clone(),
            Value::Object(o) => o
                .get("value")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            _ => String::new(),
        }
    }
    match &hover["contents"] {
        Value::Array(a) => a.iter().map(one).collect::<Vec<_>>().join("\n"),
        other => one(other),
    }
}

fn completion_labels(result: &Value) -> Vec<String> {
    let items = match result {
        Value::Array(a) => a.clone(),
        Value::Object(o) => o
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    items
        .iter()
        .map(|i| i["label"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn text_document(uri: &str) -> Value {
    json!({ "uri": uri })
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": text_document(uri), "position": pos(line, character) })
}

/// Code actions for `range` with the given context diagnostics and `only` kinds.
fn code_actions(
    c: &mut LspClient,
    uri: &str,
    range: Value,
    diagnostics: Vec<Value>,
    only: Option<&[&str]>,
) -> Vec<Value> {
    let mut context = json!({ "diagnostics": diagnostics, "triggerKind": 1 });
    if let Some(only) = only {
        context["only"] = json!(only);
    }
    let r = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": text_document(uri), "range": range, "context": context }),
    );
    let actions = r.as_array().cloned().unwrap_or_default();
    // Resolve lazily computed edits.
    actions
        .into_iter()
        .map(|a| {
            if a.get("edit").is_none() && a.get("data").is_some() {
                c.request("codeAction/resolve", a)
            } else {
                a
            }
        })
        .collect()
}

/// Sorted `(start line, start char, end line, end char)` of ranges.
fn spans(ranges: impl IntoIterator<Item = Value>) -> Vec<(u64, u64, u64, u64)> {
    let mut v: Vec<_> = ranges
        .into_iter()
        .map(|r| {
            let g = |a: &str, b: &str| r[a][b].as_u64().unwrap_or_else(|| panic!("bad range {r}"));
            (
                g("start", "line"),
                g("start", "character"),
                g("end", "line"),
                g("end", "character"),
            )
        })
        .collect();
    v.sort();
    v
}

fn span(r: &Value) -> (u64, u64, u64, u64) {
    spans([r.clone()])[0]
}

// ---------------------------------------------------------------------------
// Harness

#[test]
fn harness_helpers() {
    support::self_check();
}

// ---------------------------------------------------------------------------
// initialize

#[test]
fn initialize_advertises_capabilities() {
    let dir = app_context();
    let (mut c, init) = LspClient::start_initialized(dir.path());
    let caps = &init["capabilities"];
    let sync = &caps["textDocumentSync"];
    let change = if sync.is_object() {
        sync["change"].clone()
    } else {
        sync.clone()
    };
    assert_eq!(
        change,
        json!(2),
        "textDocumentSync.change must be Incremental (2): {sync}"
    );
    if sync.is_object() {
        assert_eq!(sync["openClose"], json!(true), "openClose: {sync}");
    }
    for p in [
        "hoverProvider",
        "completionProvider",
        "definitionProvider",
        "referencesProvider",
        "documentSymbolProvider",
        "foldingRangeProvider",
        "documentHighlightProvider",
    ] {
        let v = &caps[p];
        assert!(
            !v.is_null() && *v != json!(false),
            "capability {p} missing: {caps}"
        );
    }
    // This client takes pushed diagnostics: advertising pull too would show them twice.
    assert!(caps["diagnosticProvider"].is_null(), "{caps}");
    assert_eq!(
        caps["renameProvider"]["prepareProvider"],
        json!(true),
        "renameProvider with prepare: {caps}"
    );
    let kinds = caps["codeActionProvider"]["codeActionKinds"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for k in ["quickfix", "source.fixAll.dockside"] {
        assert!(
            kinds.contains(&json!(k)),
            "codeActionProvider.codeActionKinds lacks {k}: {}",
            caps["codeActionProvider"]
        );
    }
    // Completion triggers for `--from=` and `$`.
    assert!(
        caps["completionProvider"].is_object(),
        "completionProvider: {}",
        caps["completionProvider"]
    );
    // UTF-16 unless the client offers something else.
    let enc = &caps["positionEncoding"];
    assert!(
        enc.is_null() || *enc == json!("utf-16"),
        "positionEncoding {enc}, client offered only utf-16"
    );
    assert_eq!(
        init["serverInfo"]["name"],
        json!("dockside"),
        "serverInfo: {}",
        init["serverInfo"]
    );
    assert!(c.shutdown_and_exit().success());
}

/// `RUN echo "h😀llo" && pip install flask`: `pip install` starts at
/// character 20, UTF-16 unit 21, byte 23.
const EMOJI: &str = "FROM python:3.12-slim\nRUN echo \"h\u{1F600}llo\" && pip install flask\n";

#[test]
fn position_encoding_utf16_by_default() {
    let dir = context(&[("Dockerfile", EMOJI)]);
    let (c, uri) = open_dockerfile(dir.path(), "Dockerfile", EMOJI);
    let d = diags_of(&c.wait_diagnostics(&uri, |p| p["version"] == 1));
    assert_eq!(
        span(&diag_with(&d, "package-cache-not-cleaned")["range"]),
        (1, 21, 1, 32),
        "UTF-16 columns"
    );
}

#[test]
fn position_encoding_utf8_when_offered() {
    let dir = context(&[("Dockerfile", EMOJI)]);
    let mut c = LspClient::start(dir.path());
    let mut caps = LspClient::default_capabilities();
    caps["general"]["positionEncodings"] = json!(["utf-8", "utf-16"]);
    let init = c.initialize(Some(&file_uri(dir.path())), caps);
    assert_eq!(init["capabilities"]["positionEncoding"], json!("utf-8"));
    let uri = file_uri(&dir.path().join("Dockerfile"));
    c.did_open(&uri, "dockerfile", EMOJI);
    let d = diags_of(&c.wait_diagnostics(&uri, |p| p["version"] == 1));
    assert_eq!(
        span(&diag_with(&d, "package-cache-not-cleaned")["range"]),
        (1, 23, 1, 34),
        "UTF-8 columns"
    );
    // Hover on `install` (byte 27 of the line) works in bytes too.
    let h = c.request("textDocument/hover", at(&uri, 1, 0));
    assert!(
        hover_text(&h).contains("RUN"),
        "hover on RUN in UTF-8 mode: {h}"
    );
}

// ---------------------------------------------------------------------------
// Diagnostics

#[test]
fn did_open_publishes_exact_diagnostics() {
    let dir = app_context();
    let (c, uri) = open_dockerfile(dir.path(), "Dockerfile", APP);
    let p = c.wait_diagnostics(&uri, |_| true);
    assert_eq!(p["version"], json!(1), "publishDiagnostics.version: {p}");
    let d = diags_of(&p);
    assert_eq!(
        codes(&d),
        [
            "copy-context-without-dockerignore",
            "package-cache-not-cleaned",
            "shell-form-entrypoint"
        ],
        "{p}"
    );

    let cmd = diag_with(&d, "shell-form-entrypoint");
    assert_eq!(
        span(&cmd["range"]),
        (5, 4, 5, 17),
        "range of `python app.py`"
    );
    assert_eq!(cmd["severity"], json!(2), "warning");
    assert_eq!(cmd["source"], json!("dockside"));
    let href = cmd["codeDescription"]["href"].as_str().unwrap_or_default();
    assert!(
        href.ends_with("rules/shell-form-entrypoint.md"),
        "codeDescription.href {href:?}"
    );
    assert!(
        cmd["message"]
            .as_str()
            .unwrap_or_default()
            .contains("shell form"),
        "message: {}",
        cmd["message"]
    );

    let pip = diag_with(&d, "package-cache-not-cleaned");
    assert_eq!(span(&pip["range"]), (3, 4, 3, 15), "range of `pip install`");
    assert_eq!(pip["severity"], json!(2));
    assert_eq!(pip["source"], json!("dockside"));
    assert!(
        pip["codeDescription"]["href"]
            .as_str()
            .unwrap_or_default()
            .ends_with("rules/package-cache-not-cleaned.md"),
        "{pip}"
    );
}

#[test]
fn incremental_change_updates_diagnostics_and_version() {
    // With a .dockerignore, so that fixing the two findings below leaves none.
    let dir = context(&[
        ("Dockerfile", APP),
        ("requirements.txt", "flask\n"),
        ("app.py", "print('hi')\n"),
        (".dockerignore", ".git\n"),
    ]);
    let (c, uri) = open_dockerfile(dir.path(), "Dockerfile", APP);
    c.wait_diagnostics_version(&uri, 1);
    c.did_change(
        &uri,
        2,
        vec![json!({ "range": range(5, 0, 5, 17), "text": "CMD [\"python\", \"app.py\"]" })],
    );
    let p = c.wait_diagnostics(&uri, |p| p["version"] == 2);
    let d = diags_of(&p);
    assert_eq!(
        codes(&d),
        ["package-cache-not-cleaned"],
        "after the change: {p}"
    );
    assert_eq!(span(&d[0]["range"]), (3, 4, 3, 15));

    // A change above the finding moves it (incremental, multi-line insert).
    c.did_change(
        &uri,
        3,
        vec![json!({ "range": range(1, 0, 1, 0), "text": "# one\n# two\n" })],
    );
    let d = c.wait_diagnostics_version(&uri, 3);
    assert_eq!(
        spans(d.iter().map(|d| d["range"].clone())),
        [(5, 4, 5, 15)],
        "{d:?}"
    );

    // Several changes in one notification apply in order.
    c.did_change(
        &uri,
        4,
        vec![
            json!({ "range": range(1, 0, 3, 0), "text": "" }),
            json!({ "range": range(3, 4, 3, 15), "text": "pip install --no-cache-dir" }),
        ],
    );
    let d = c.wait_diagnostics_version(&uri, 4);
    assert_eq!(codes(&d), Vec::<String>::new(), "everything fixed: {d:?}");
}

#[test]
fn pull_diagnostics_match_push() {
    let dir = app_context();
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", APP);
    let pushed = c.wait_diagnostics_version(&uri, 1);
    let r = c.request(
        "textDocument/diagnostic",
        json!({ "textDocument": text_document(&uri) }),
    );
    assert_eq!(r["kind"], json!("full"), "{r}");
    let pulled = r["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(codes(&pulled), codes(&pushed));
    assert_eq!(
        spans(pulled.iter().map(|d| d["range"].clone())),
        spans(pushed.iter().map(|d| d["range"].clone())),
        "pulled {pulled:?}"
    );
}

#[test]
fn dockerfile_dev_as_plaintext_gets_diagnostics() {
    let dir = context(&[("Dockerfile.dev", APP), ("requirements.txt", "flask\n")]);
    let (c, _) = LspClient::start_initialized(dir.path());
    let uri = file_uri(&dir.path().join("Dockerfile.dev"));
    c.did_open(&uri, "plaintext", APP);
    let d = diags_of(&c.wait_diagnostics(&uri, |_| true));
    assert_eq!(
        codes(&d),
        [
            "copy-context-without-dockerignore",
            "package-cache-not-cleaned",
            "shell-form-entrypoint"
        ]
    );
}

#[test]
fn seed_examples_match_the_cli() {
    let Some(seeds) = shared("seed-examples") else {
        eprintln!("skipped: ../shared/seed-examples is absent");
        return;
    };
    let files = dockside_acceptance::dockerfiles(&seeds);
    assert!(!files.is_empty());
    let (c, _) = LspClient::start_initialized(&seeds);
    for f in &files {
        let expected: BTreeSet<(u64, String)> = findings(&lint(f), &seeds)
            .into_iter()
            .filter(|(file, _, _)| seeds.join(file) == *f)
            .map(|(_, line, rule)| (line as u64 - 1, rule))
            .collect();
        let uri = file_uri(f);
        c.did_open(&uri, "dockerfile", &std::fs::read_to_string(f).unwrap());
        let d = diags_of(&c.wait_diagnostics(&uri, |_| true));
        let got: BTreeSet<(u64, String)> = lines_and_codes(&d).into_iter().collect();
        assert_eq!(got, expected, "{}: LSP vs CLI findings", f.display());
    }
}

// ---------------------------------------------------------------------------
// Code actions

#[test]
fn quickfix_rewrites_cmd_in_json_form() {
    let dir = app_context();
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", APP);
    let d = c.wait_diagnostics_version(&uri, 1);
    let cmd = diag_with(&d, "shell-form-entrypoint").clone();
    let actions = code_actions(&mut c, &uri, cmd["range"].clone(), vec![cmd.clone()], None);
    let expected = APP.replace("CMD python app.py", "CMD [\"python\", \"app.py\"]");
    let fix = actions
        .iter()
        .filter(|a| a["kind"] == "quickfix")
        .find(|a| apply_edits(APP, &workspace_edits_for(&a["edit"], &uri)) == expected)
        .unwrap_or_else(|| {
            panic!(
                "no quickfix giving the JSON form among {}",
                serde_json::to_string_pretty(&actions).unwrap()
            )
        });
    assert_eq!(
        workspace_edit_uris(&fix["edit"]),
        std::slice::from_ref(&uri),
        "edits only this document"
    );
    assert_eq!(
        fix["diagnostics"][0]["code"],
        json!("shell-form-entrypoint"),
        "the quickfix names its diagnostic: {fix}"
    );
    assert_eq!(
        fix["isPreferred"],
        json!(true),
        "a safe fix is preferred: {fix}"
    );
    // No action for the pip line leaks into the CMD range.
    assert!(
        actions.iter().all(|a| !a["title"]
            .as_str()
            .unwrap_or_default()
            .contains("no-cache-dir")),
        "actions at the CMD: {actions:?}"
    );
}

#[test]
fn fix_all_gives_the_fixed_file() {
    let dir = app_context();
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", APP);
    let d = c.wait_diagnostics_version(&uri, 1);
    let actions = code_actions(
        &mut c,
        &uri,
        range(0, 0, 6, 0),
        vec![],
        Some(&["source.fixAll.dockside"]),
    );
    assert_eq!(actions.len(), 1, "one fix-all action: {actions:?}");
    assert_eq!(actions[0]["kind"], json!("source.fixAll.dockside"));
    let fixed = apply_edits(APP, &workspace_edits_for(&actions[0]["edit"], &uri));
    assert_eq!(fixed, APP_FIXED);

    // `source.fixAll` (the parent kind) also selects it.
    let actions = code_actions(
        &mut c,
        &uri,
        range(0, 0, 0, 0),
        vec![],
        Some(&["source.fixAll"]),
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| a["kind"] == "source.fixAll.dockside")
            .count(),
        1,
        "{actions:?}"
    );
    // `only: quickfix` excludes it.
    let cmd = diag_with(&d, "shell-form-entrypoint").clone();
    let actions = code_actions(
        &mut c,
        &uri,
        range(5, 4, 5, 17),
        vec![cmd],
        Some(&["quickfix"]),
    );
    assert!(
        !actions.is_empty() && actions.iter().all(|a| a["kind"] == "quickfix"),
        "only quickfix: {actions:?}"
    );
}

#[test]
fn ignore_action_inserts_a_suppression_comment() {
    let dir = app_context();
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", APP);
    let d = c.wait_diagnostics_version(&uri, 1);
    let cmd = diag_with(&d, "shell-form-entrypoint").clone();
    let actions = code_actions(&mut c, &uri, cmd["range"].clone(), vec![cmd], None);
    let ignored: Vec<String> = actions
        .iter()
        .filter(|a| {
            a["title"]
                .as_str()
                .unwrap_or_default()
                .to_lowercase()
                .contains("ignore")
        })
        .map(|a| apply_edits(APP, &workspace_edits_for(&a["edit"], &uri)))
        .collect();
    let text = ignored
        .iter()
        .find(|t| t.contains("# dockside ignore=shell-form-entrypoint"))
        .unwrap_or_else(|| {
            panic!(
                "no ignore action inserting `# dockside ignore=shell-form-entrypoint`: {actions:#?}"
            )
        });
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7, "one line inserted:\n{text}");
    assert!(
        lines[5].starts_with("# dockside ignore=shell-form-entrypoint"),
        "comment right above the CMD:\n{text}"
    );
    assert_eq!(lines[6], "CMD python app.py");
    assert_eq!(lines[..5], APP.lines().take(5).collect::<Vec<_>>()[..]);
    // The result really suppresses it.
    std::fs::write(dir.path().join("Dockerfile"), text).unwrap();
    let r = findings(&lint(&dir.path().join("Dockerfile")), dir.path());
    assert!(
        r.iter().all(|(_, _, rule)| rule != "shell-form-entrypoint"),
        "{r:?}"
    );
}

// ---------------------------------------------------------------------------
// Hover, completion, navigation

#[test]
fn hover_instruction_variable_and_image() {
    let dir = app_context();
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", APP);
    let h = c.request("textDocument/hover", at(&uri, 3, 1));
    assert_eq!(h["contents"]["kind"], json!("markdown"), "{h}");
    assert!(hover_text(&h).contains("RUN"), "hover on RUN: {h}");
    if !h["range"].is_null() {
        assert_eq!(
            span(&h["range"]),
            (3, 0, 3, 3),
            "hover range is the keyword"
        );
    }

    let h = c.request("textDocument/hover", at(&uri, 0, 8));
    let t = hover_text(&h);
    assert!(
        t.contains("3.12-slim") && t.contains("python"),
        "hover on the image shows its tag: {t}"
    );

    let args_uri = file_uri(&dir.path().join("args.Dockerfile"));
    c.did_open(&args_uri, "dockerfile", ARGS);
    for (line, ch) in [(2, 11), (3, 12)] {
        let h = c.request("textDocument/hover", at(&args_uri, line, ch));
        assert!(
            hover_text(&h).contains("1.2.3"),
            "hover on $VERSION at {line}:{ch} shows the value: {h}"
        );
    }
    // Nothing to say on a blank position.
    let h = c.request("textDocument/hover", at(&uri, 6, 0));
    assert!(
        h.is_null() || hover_text(&h).is_empty(),
        "hover past the end: {h}"
    );
}

#[test]
fn completion_instructions_and_stages() {
    let dir = context(&[("Dockerfile", STAGES)]);
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", STAGES);
    let labels = completion_labels(&c.request("textDocument/completion", at(&uri, 4, 0)));
    for k in ["FROM", "RUN", "COPY", "ENTRYPOINT"] {
        assert!(
            labels.iter().any(|l| l == k),
            "{k} missing from completion at an empty line: {labels:?}"
        );
    }

    let text = format!("{STAGES}COPY --from=");
    c.did_change(&uri, 2, vec![json!({ "text": text })]);
    let labels = completion_labels(&c.request(
        "textDocument/completion",
        json!({ "textDocument": text_document(&uri), "position": pos(12, 12), "context": { "triggerKind": 2, "triggerCharacter": "=" } }),
    ));
    assert!(
        labels.iter().any(|l| l == "builder"),
        "stage names after --from=: {labels:?}"
    );
    assert!(
        !labels.iter().any(|l| l == "FROM"),
        "no instructions after --from=: {labels:?}"
    );
}

#[test]
fn definition_of_a_stage() {
    let dir = context(&[("Dockerfile", STAGES)]);
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", STAGES);
    let r = c.request("textDocument/definition", at(&uri, 6, 14));
    let loc = if r.is_array() {
        r[0].clone()
    } else {
        r.clone()
    };
    assert_eq!(r.as_array().map_or(1, Vec::len), 1, "{r}");
    let (luri, lrange) = if loc.get("targetUri").is_some() {
        (
            loc["targetUri"].clone(),
            loc["targetSelectionRange"].clone(),
        )
    } else {
        (loc["uri"].clone(), loc["range"].clone())
    };
    assert_eq!(luri, json!(uri));
    assert_eq!(
        span(&lrange),
        (0, 20, 0, 27),
        "definition is `builder` in `AS builder`: {r}"
    );
}

#[test]
fn references_of_an_arg() {
    let dir = context(&[("Dockerfile", ARGS)]);
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", ARGS);
    let refs = |c: &mut LspClient, include: bool| {
        let r = c.request(
            "textDocument/references",
            json!({ "textDocument": text_document(&uri), "position": pos(1, 6), "context": { "includeDeclaration": include } }),
        );
        let locs = r
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("references: {r}"));
        assert!(locs.iter().all(|l| l["uri"] == uri), "{r}");
        spans(locs.iter().map(|l| l["range"].clone()))
    };
    assert_eq!(
        refs(&mut c, true),
        [(1, 4, 1, 11), (2, 10, 2, 17), (3, 11, 3, 18)]
    );
    assert_eq!(refs(&mut c, false), [(2, 10, 2, 17), (3, 11, 3, 18)]);
}

#[test]
fn rename_a_stage() {
    let dir = context(&[("Dockerfile", STAGES)]);
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", STAGES);
    let p = c.request("textDocument/prepareRename", at(&uri, 6, 14));
    let pr = if p.get("range").is_some() {
        p["range"].clone()
    } else {
        p.clone()
    };
    assert_eq!(span(&pr), (6, 12, 6, 19), "prepareRename: {p}");
    let p = c.request("textDocument/prepareRename", at(&uri, 1, 2));
    assert!(p.is_null(), "WORKDIR is not renameable: {p}");

    let r = c.request(
        "textDocument/rename",
        json!({ "textDocument": text_document(&uri), "position": pos(0, 22), "newName": "build" }),
    );
    let edits = workspace_edits_for(&r, &uri);
    assert_eq!(
        spans(edits.iter().map(|e| e["range"].clone())),
        [(0, 20, 0, 27), (6, 12, 6, 19)],
        "{r}"
    );
    assert!(edits.iter().all(|e| e["newText"] == "build"), "{r}");
    assert_eq!(
        apply_edits(STAGES, &edits),
        STAGES.replace("builder", "build")
    );

    let bad = c.try_request("textDocument/rename", json!({ "textDocument": text_document(&uri), "position": pos(0, 22), "newName": "bad name" }));
    assert!(bad.is_err(), "an invalid stage name is refused: {bad:?}");
}

#[test]
fn document_symbols_list_stages() {
    let dir = context(&[("Dockerfile", STAGES)]);
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", STAGES);
    let r = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": text_document(&uri) }),
    );
    let syms = r.as_array().cloned().unwrap_or_default();
    assert_eq!(syms.len(), 2, "two stages at the top level: {r}");
    assert!(
        syms[0].get("selectionRange").is_some(),
        "hierarchical DocumentSymbol expected: {r}"
    );
    assert_eq!(syms[0]["name"], json!("builder"));
    assert_eq!(span(&syms[0]["selectionRange"]), (0, 20, 0, 27));
    let r0 = span(&syms[0]["range"]);
    assert_eq!(
        (r0.0, r0.1, r0.2),
        (0, 0, 3),
        "the builder stage spans lines 0–3: {r0:?}"
    );
    let r1 = span(&syms[1]["range"]);
    assert_eq!(
        (r1.0, r1.1, r1.2),
        (5, 0, 11),
        "the second stage spans lines 5–11: {r1:?}"
    );
    assert!(
        syms[1]["name"].as_str().is_some_and(|n| !n.is_empty()),
        "{}",
        syms[1]
    );
}

#[test]
fn folding_ranges_include_the_heredoc() {
    let dir = context(&[("Dockerfile", STAGES)]);
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", STAGES);
    let r = c.request(
        "textDocument/foldingRange",
        json!({ "textDocument": text_document(&uri) }),
    );
    let folds: Vec<(u64, u64)> = r
        .as_array()
        .unwrap_or_else(|| panic!("foldingRange: {r}"))
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    // RUN <<EOF on line 7, the terminator on line 10 (folding up to the
    // last body line, keeping EOF visible, is fine too).
    assert!(
        folds.contains(&(7, 10)) || folds.contains(&(7, 9)),
        "heredoc fold 7–10: {folds:?}"
    );
}

#[test]
fn document_highlight_of_a_stage() {
    let dir = context(&[("Dockerfile", STAGES)]);
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", STAGES);
    let r = c.request("textDocument/documentHighlight", at(&uri, 6, 14));
    let hs = r.as_array().cloned().unwrap_or_default();
    assert_eq!(
        spans(hs.iter().map(|h| h["range"].clone())),
        [(0, 20, 0, 27), (6, 12, 6, 19)],
        "{r}"
    );
}

// ---------------------------------------------------------------------------
// Configuration and build context

#[test]
fn invalid_config_shows_a_message_and_keeps_serving() {
    let dir = context(&[
        ("Dockerfile", APP),
        ("requirements.txt", "flask\n"),
        (".dockside.toml", "this is = = not toml\n"),
    ]);
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", APP);
    let m = c.wait_for_notification("window/showMessage", |_| true, Duration::from_secs(10));
    let msg = m["params"]["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains(".dockside.toml"),
        "the message names the file: {m}"
    );
    let ty = m["params"]["type"].as_i64().unwrap_or(0);
    assert!(ty == 1 || ty == 2, "an error or a warning: {m}");
    let h = c.request("textDocument/hover", at(&uri, 3, 1));
    assert!(hover_text(&h).contains("RUN"), "hover still works: {h}");
}

#[test]
fn entrypoint_script_findings_follow_its_buffer() {
    let dockerfile = "FROM node:20\nWORKDIR /app\nCOPY start.sh .\nENTRYPOINT [\"./start.sh\"]\n";
    let script = "#!/bin/sh\nset -e\necho starting\nnode server.js\n";
    let dir = context(&[("Dockerfile", dockerfile), ("start.sh", script)]);
    let (c, _) = open_dockerfile(dir.path(), "Dockerfile", dockerfile);
    let script_uri = file_uri(&dir.path().join("start.sh"));
    let p = c.wait_diagnostics(&script_uri, |p| {
        !p["diagnostics"].as_array().is_none_or(Vec::is_empty)
    });
    let d = diags_of(&p);
    assert_eq!(codes(&d), ["entrypoint-without-exec"], "{p}");
    assert_eq!(span(&d[0]["range"]), (3, 0, 3, 14), "`node server.js`");

    c.did_open(&script_uri, "shellscript", script);
    c.did_change(
        &script_uri,
        2,
        vec![json!({ "range": range(3, 0, 3, 0), "text": "exec " })],
    );
    let p = c.wait_diagnostics(&script_uri, |p| {
        p["diagnostics"]
            .as_array()
            .is_some_and(|d| d.iter().all(|d| d["code"] != "entrypoint-without-exec"))
    });
    assert_eq!(
        codes(&diags_of(&p)),
        Vec::<String>::new(),
        "the script is clean, and not linted as a Dockerfile: {p}"
    );
}

// ---------------------------------------------------------------------------
// Abuse

#[test]
fn malformed_frame_does_not_stop_the_server() {
    let dir = app_context();
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", APP);
    c.send_raw(b"Content-Length: 10\r\n\r\n{not json}");
    let h = c.request("textDocument/hover", at(&uri, 3, 1));
    assert!(
        hover_text(&h).contains("RUN"),
        "hover after a malformed frame: {h}"
    );
    // A JSON body that is not a JSON-RPC message, then a valid one.
    c.send(&json!({ "hello": "world" }));
    let h = c.request("textDocument/hover", at(&uri, 3, 1));
    assert!(hover_text(&h).contains("RUN"), "{h}");
}

#[test]
fn unknown_method_is_method_not_found() {
    let dir = app_context();
    let (mut c, _) = LspClient::start_initialized(dir.path());
    let e = c
        .try_request("dockside/noSuchMethod", json!({}))
        .expect_err("an error");
    assert_eq!(e.code, -32601, "{e:?}");
    // Unknown notifications are ignored ($/ ones per the spec).
    c.notify("$/noSuchNotification", json!({}));
    c.notify("dockside/noSuchNotification", json!({}));
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn hover_on_an_unknown_document() {
    let dir = app_context();
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", APP);
    let missing = file_uri(&dir.path().join("nope/Dockerfile"));
    match c.try_request("textDocument/hover", at(&missing, 0, 0)) {
        Ok(v) => assert!(v.is_null(), "hover on a document never opened: {v}"),
        Err(e) => assert!(e.code < 0, "{e:?}"),
    }
    let r = c.try_request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "not a uri" }, "position": pos(0, 0) }),
    );
    assert!(r.as_ref().map_or(true, Value::is_null), "{r:?}");
    // Positions past the end of an open document.
    let r = c.try_request("textDocument/hover", at(&uri, 999, 999));
    assert!(r.as_ref().map_or(true, Value::is_null), "{r:?}");
    let r = c.try_request("textDocument/completion", at(&uri, 999, 999));
    assert!(r.is_ok(), "{r:?}");
    let h = c.request("textDocument/hover", at(&uri, 3, 1));
    assert!(hover_text(&h).contains("RUN"), "still serving: {h}");
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn a_thousand_rapid_changes_end_in_the_last_version() {
    let dir = app_context();
    let (c, uri) = open_dockerfile(dir.path(), "Dockerfile", APP);
    let mut text = APP.to_string();
    let mut version = 1;
    for i in 0..1000 {
        version += 1;
        let change = match i % 4 {
            // A comment line inserted at line 1.
            0 => json!({ "range": range(1, 0, 1, 0), "text": format!("# change {i}\n") }),
            // The CMD (last line) toggled between shell and JSON form.
            1 | 3 => {
                let last = text.trim_end_matches('\n').lines().count() as u32 - 1;
                let line = text.lines().last().unwrap();
                let new = if line.contains('[') {
                    "CMD python app.py"
                } else {
                    "CMD [\"python\", \"app.py\"]"
                };
                json!({ "range": range(last, 0, last, line.encode_utf16().count() as u32), "text": new })
            }
            // The whole document.
            _ => {
                json!({ "text": text.replacen("flask", if i % 8 == 2 { "flask " } else { "flask" }, 1) })
            }
        };
        text = apply_change(&text, &change);
        c.did_change(&uri, version, vec![change]);
    }
    assert_eq!(version, 1001);
    std::fs::write(dir.path().join("Dockerfile"), &text).unwrap();
    let expected: Vec<(u64, String)> = {
        let mut v: Vec<(u64, String)> = findings(&lint(&dir.path().join("Dockerfile")), dir.path())
            .into_iter()
            .map(|(_, l, r)| (l as u64 - 1, r))
            .collect();
        v.sort();
        v
    };
    assert!(!expected.is_empty());
    let d = c.wait_diagnostics_timeout(&uri, |p| p["version"] == 1001, Duration::from_secs(30));
    assert_eq!(
        lines_and_codes(&diags_of(&d)),
        expected,
        "diagnostics of the final text"
    );
    // No publication for an older version may come after the final one.
    std::thread::sleep(Duration::from_millis(300));
    let late: Vec<Value> = c
        .drain_notifications("textDocument/publishDiagnostics")
        .into_iter()
        .filter(|m| m["params"]["uri"] == uri)
        .map(|m| m["params"]["version"].clone())
        .collect();
    assert!(
        late.iter().all(|v| *v == json!(1001)),
        "stale publications after version 1001: {late:?}"
    );
}

#[test]
fn a_huge_file_does_not_block_other_documents() {
    let mut big = String::from("FROM alpine:3.20\n");
    for i in 0..200_000 {
        big.push_str(&match i % 4 {
            0 => format!("RUN echo {i}\n"),
            1 => format!("ENV K{i}=v{i}\n"),
            2 => format!("# comment {i}\n"),
            _ => format!("LABEL l{i}=x\n"),
        });
    }
    big.push_str("CMD python app.py\n");
    let dir = app_context();
    let (mut c, small) = open_dockerfile(dir.path(), "Dockerfile", APP);
    c.wait_diagnostics_version(&small, 1);
    let big_uri = file_uri(&dir.path().join("big.Dockerfile"));
    c.did_open(&big_uri, "dockerfile", &big);
    std::thread::sleep(Duration::from_millis(50));
    let started = Instant::now();
    let h = c.try_request_timeout(
        "textDocument/hover",
        at(&small, 3, 1),
        Duration::from_secs(5),
    );
    let took = started.elapsed();
    assert!(hover_text(&h.expect("hover")).contains("RUN"));
    eprintln!("hover during the 200k-line analysis took {took:?}");
    let d = c.wait_diagnostics_timeout(&big_uri, |_| true, Duration::from_secs(120));
    assert_eq!(
        lines_and_codes(&diags_of(&d)),
        [(200_001, "shell-form-entrypoint".to_string())]
    );
}

// ---------------------------------------------------------------------------
// Lifecycle

#[test]
fn shutdown_then_exit_is_status_zero() {
    let dir = app_context();
    let (mut c, uri) = open_dockerfile(dir.path(), "Dockerfile", APP);
    c.wait_diagnostics_version(&uri, 1);
    let status = c.shutdown_and_exit();
    assert_eq!(status.code(), Some(0), "{status}");
}

#[test]
fn exit_without_shutdown_is_status_one() {
    let dir = app_context();
    let (c, _) = LspClient::start_initialized(dir.path());
    c.notify("exit", Value::Null);
    let mut c = c;
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = c.try_wait_child() {
            break s;
        }
        assert!(Instant::now() < deadline, "no exit within 10 s");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(
        status.code(),
        Some(1),
        "exit before shutdown is status 1 (LSP spec): {status}"
    );
}

#[test]
fn eof_on_stdin_ends_the_server() {
    let dir = app_context();
    let (mut c, _) = LspClient::start_initialized(dir.path());
    c.close_stdin();
    let deadline = Instant::now() + Duration::from_secs(10);
    while c.try_wait_child().is_none() {
        assert!(
            Instant::now() < deadline,
            "the server outlives its client (stdin closed 10 s ago)"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
