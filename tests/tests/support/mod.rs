//! A small LSP client for the end-to-end tests of `dockside lsp`: starts the
//! real binary, speaks JSON-RPC with `Content-Length` framing over stdio, and
//! offers the helpers the tests need (open/change documents, wait for
//! diagnostics, apply text edits with UTF-16 positions).
//!
//! Shared by `tests/lsp.rs` and `tests/neovim.rs` (`mod support;`).

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex, Once};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long a request may take before the test fails.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How long to wait for diagnostics by default.
pub const DIAGNOSTICS_TIMEOUT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------
// Locating the binary

static BUILD: Once = Once::new();

/// `target/<profile>/dockside`, next to the test executable's `deps/` folder;
/// built with `$CARGO build -p dockside` once when missing. `DOCKSIDE_BIN`
/// overrides.
pub fn dockside_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("DOCKSIDE_BIN") {
        return PathBuf::from(bin);
    }
    let exe = std::env::current_exe().expect("current_exe");
    // target/<profile>/deps/<test>-<hash>
    let deps = exe.parent().expect("test executable has a parent");
    let profile_dir = if deps.file_name().is_some_and(|n| n == "deps") {
        deps.parent().expect("deps has a parent").to_path_buf()
    } else {
        deps.to_path_buf()
    };
    let bin = profile_dir.join(format!("dockside{}", std::env::consts::EXE_SUFFIX));
    if !bin.is_file() {
        BUILD.call_once(|| {
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let mut cmd = Command::new(cargo);
            cmd.args(["build", "-p", "dockside"])
                .current_dir(dockside_acceptance::repo_root());
            if profile_dir.file_name().is_some_and(|n| n == "release") {
                cmd.arg("--release");
            }
            let status = cmd.status().expect("running cargo build -p dockside");
            assert!(status.success(), "cargo build -p dockside failed: {status}");
        });
    }
    assert!(
        bin.is_file(),
        "the dockside binary is not at {}",
        bin.display()
    );
    assert_fresh(&bin);
    bin
}

/// Refuses to test a binary older than the sources it is built from
/// (`cargo test -p dockside_acceptance` alone does not rebuild it).
fn assert_fresh(bin: &Path) {
    fn newest(dir: &Path, newest_seen: &mut std::time::SystemTime) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                newest(&p, newest_seen);
            } else if p.extension().is_some_and(|x| x == "rs")
                && let Ok(m) = e.metadata().and_then(|m| m.modified())
            {
                *newest_seen = (*newest_seen).max(m);
            }
        }
    }
    // The crates the binary is built from (their `src/` only: tests and
    // examples do not change the binary).
    const BUILT_FROM: &[&str] = &[
        "dockside",
        "dockside_lsp",
        "dockside_ide",
        "dockside_linter",
        "dockside_semantic",
        "dockside_syntax",
        "dockside_compose",
        "dockside_shell",
        "dockside_context",
        "dockside_config",
    ];
    let mut sources = std::time::SystemTime::UNIX_EPOCH;
    let crates = dockside_acceptance::repo_root().join("crates");
    for name in BUILT_FROM {
        newest(&crates.join(name).join("src"), &mut sources);
    }
    let built = std::fs::metadata(bin)
        .and_then(|m| m.modified())
        .expect("binary metadata");
    assert!(
        built >= sources,
        "{} is older than the sources: run `cargo build -p dockside` (or `cargo test --workspace`) first",
        bin.display()
    );
}

// ---------------------------------------------------------------------------
// URIs and positions

/// `file://` URI of an absolute path (percent-encoding what needs it).
pub fn file_uri(path: &Path) -> String {
    let path = path.to_str().expect("UTF-8 path");
    let mut out = String::from("file://");
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// An LSP position.
pub fn pos(line: u32, character: u32) -> Value {
    json!({ "line": line, "character": character })
}

/// An LSP range.
pub fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({ "start": pos(l1, c1), "end": pos(l2, c2) })
}

/// `(line, character)` in UTF-16 code units of byte offset `offset` of `text`.
pub fn utf16_position(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = text[line_start..offset].encode_utf16().count() as u32;
    (line, character)
}

/// The LSP range (UTF-16) of the `occurrence`-th (0-based) `needle` in `text`.
pub fn find_range(text: &str, needle: &str, occurrence: usize) -> Value {
    let start = text
        .match_indices(needle)
        .nth(occurrence)
        .unwrap_or_else(|| panic!("{needle:?} #{occurrence} not in the text"))
        .0;
    let (l1, c1) = utf16_position(text, start);
    let (l2, c2) = utf16_position(text, start + needle.len());
    range(l1, c1, l2, c2)
}

/// Byte offset of an LSP position (UTF-16 characters); a character past
/// the end of its line means the line end, a line past the end the text end.
pub fn offset_of(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().expect("position.line") as usize;
    let character = position["character"].as_u64().expect("position.character") as usize;
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut units = 0;
    for (i, ch) in text[start..end].char_indices() {
        if units >= character {
            return start + i;
        }
        units += ch.len_utf16();
    }
    end
}

/// Applies LSP `TextEdit`s (UTF-16 positions, all relative to the original
/// text, non-overlapping) to `text`.
pub fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let s = offset_of(text, &e["range"]["start"]);
            let t = offset_of(text, &e["range"]["end"]);
            assert!(s <= t, "edit with start after end: {e}");
            (
                s,
                t,
                e["newText"]
                    .as_str()
                    .unwrap_or_else(|| panic!("edit without newText: {e}"))
                    .to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|&(s, t, _)| (s, t));
    for w in spans.windows(2) {
        assert!(w[0].1 <= w[1].0, "overlapping edits: {edits:?}");
    }
    let mut out = text.to_string();
    for (s, t, new) in spans.into_iter().rev() {
        out.replace_range(s..t, &new);
    }
    out
}

/// Applies one `didChange` content change (incremental or full) as a server must.
pub fn apply_change(text: &str, change: &Value) -> String {
    if change.get("range").is_some() {
        apply_edits(
            text,
            &[json!({ "range": change["range"], "newText": change["text"] })],
        )
    } else {
        change["text"].as_str().expect("change.text").to_string()
    }
}

/// The edits a `WorkspaceEdit` makes to `uri` (`changes` or `documentChanges`).
pub fn workspace_edits_for(edit: &Value, uri: &str) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(edits) = edit["changes"].get(uri).and_then(Value::as_array) {
        out.extend(edits.iter().cloned());
    }
    if let Some(doc_changes) = edit["documentChanges"].as_array() {
        for dc in doc_changes {
            if dc["textDocument"]["uri"] == uri {
                out.extend(dc["edits"].as_array().into_iter().flatten().cloned());
            }
        }
    }
    out
}

/// The URIs a `WorkspaceEdit` touches.
pub fn workspace_edit_uris(edit: &Value) -> Vec<String> {
    let mut out: Vec<String> = edit["changes"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    for dc in edit["documentChanges"].as_array().into_iter().flatten() {
        if let Some(u) = dc["textDocument"]["uri"].as_str() {
            out.push(u.to_string());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// `code` of each diagnostic, sorted.
pub fn codes(diagnostics: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = diagnostics
        .iter()
        .map(|d| match &d["code"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    out.sort();
    out
}

/// `(start line, code)` of each diagnostic, sorted.
pub fn lines_and_codes(diagnostics: &[Value]) -> Vec<(u64, String)> {
    let mut out: Vec<(u64, String)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_u64().unwrap_or(u64::MAX),
                d["code"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

// ---------------------------------------------------------------------------
// The client

/// A JSON-RPC error response.
#[derive(Clone, Debug)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Value,
}

#[derive(Default)]
struct Inbox {
    /// Notifications and server requests, oldest first, not yet consumed.
    notifications: VecDeque<Value>,
    /// Every notification/server request received (for diagnostics on failure).
    seen_methods: Vec<String>,
    responses: HashMap<i64, Value>,
    /// Responses with `id: null` (answers to unparsable messages).
    null_id_responses: Vec<Value>,
    closed: bool,
    /// Bytes the reader could not make sense of.
    protocol_errors: Vec<String>,
}

struct Shared {
    inbox: Mutex<Inbox>,
    cond: Condvar,
    stderr: Mutex<Vec<u8>>,
}

/// A running `dockside lsp` with a reader thread.
pub struct LspClient {
    child: Child,
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    shared: Arc<Shared>,
    next_id: i64,
    pub request_timeout: Duration,
    pid: u32,
}

fn write_frame(stdin: &Mutex<Option<ChildStdin>>, msg: &Value) -> std::io::Result<()> {
    let body = serde_json::to_vec(msg).expect("serialize");
    let mut guard = stdin.lock().unwrap();
    let w = guard
        .as_mut()
        .ok_or_else(|| std::io::Error::other("stdin closed"))?;
    write!(w, "Content-Length: {}\r\n\r\n", body.len())?;
    w.write_all(&body)?;
    w.flush()
}

/// Reads one framed message; `Ok(None)` at EOF.
fn read_frame(r: &mut impl BufRead) -> Result<Option<Vec<u8>>, String> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        let n = r.read_line(&mut line).map_err(|e| e.to_string())?;
        if n == 0 {
            return Ok(None);
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        if let Some((name, value)) = l.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = Some(
                    value
                        .trim()
                        .parse::<usize>()
                        .map_err(|e| format!("bad Content-Length {l:?}: {e}"))?,
                );
            }
        } else {
            return Err(format!("bad header line {l:?}"));
        }
    }
    let mut body = vec![0; length.unwrap()];
    r.read_exact(&mut body).map_err(|e| e.to_string())?;
    Ok(Some(body))
}

impl LspClient {
    /// Starts `dockside lsp` in `cwd`.
    pub fn start(cwd: &Path) -> LspClient {
        Self::start_with_args(cwd, &["lsp"])
    }

    pub fn start_with_args(cwd: &Path, args: &[&str]) -> LspClient {
        let bin = dockside_bin();
        let mut child = Command::new(&bin)
            .args(args)
            .current_dir(cwd)
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {} {args:?}: {e}", bin.display()));
        let pid = child.id();
        let stdin = Arc::new(Mutex::new(child.stdin.take()));
        let shared = Arc::new(Shared {
            inbox: Mutex::new(Inbox::default()),
            cond: Condvar::new(),
            stderr: Mutex::new(Vec::new()),
        });

        // stderr: keep the last 64 KiB for failure messages.
        let mut err = child.stderr.take().unwrap();
        let sh = shared.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut s = sh.stderr.lock().unwrap();
                s.extend_from_slice(&buf[..n]);
                if s.len() > 65536 {
                    let cut = s.len() - 65536;
                    s.drain(..cut);
                }
            }
        });

        // stdout: framed JSON-RPC.
        let out = child.stdout.take().unwrap();
        let sh = shared.clone();
        let writer = stdin.clone();
        std::thread::spawn(move || {
            let mut r = BufReader::with_capacity(1 << 20, out);
            loop {
                let frame = match read_frame(&mut r) {
                    Ok(Some(f)) => f,
                    Ok(None) => break,
                    Err(e) => {
                        sh.inbox.lock().unwrap().protocol_errors.push(e);
                        break;
                    }
                };
                let msg: Value = match serde_json::from_slice(&frame) {
                    Ok(v) => v,
                    Err(e) => {
                        sh.inbox
                            .lock()
                            .unwrap()
                            .protocol_errors
                            .push(format!("bad JSON from the server: {e}"));
                        continue;
                    }
                };
                let has_method = msg.get("method").is_some();
                let id = msg.get("id").cloned();
                if has_method && id.is_some() {
                    // A request from the server: answer it so it does not wait.
                    let method = msg["method"].as_str().unwrap_or_default();
                    let result = match method {
                        "workspace/configuration" => {
                            let n = msg["params"]["items"].as_array().map_or(0, Vec::len);
                            Value::Array(vec![Value::Null; n])
                        }
                        "workspace/workspaceFolders" => Value::Null,
                        "window/showMessageRequest" => Value::Null,
                        "workspace/applyEdit" => json!({ "applied": false }),
                        _ => Value::Null,
                    };
                    let _ = write_frame(
                        &writer,
                        &json!({ "jsonrpc": "2.0", "id": id, "result": result }),
                    );
                }
                let mut inbox = sh.inbox.lock().unwrap();
                if has_method {
                    inbox
                        .seen_methods
                        .push(msg["method"].as_str().unwrap_or("?").to_string());
                    inbox.notifications.push_back(msg);
                } else {
                    match id.as_ref().and_then(Value::as_i64) {
                        Some(id) => {
                            inbox.responses.insert(id, msg);
                        }
                        None => inbox.null_id_responses.push(msg),
                    }
                }
                drop(inbox);
                sh.cond.notify_all();
            }
            sh.inbox.lock().unwrap().closed = true;
            sh.cond.notify_all();
        });

        LspClient {
            child,
            stdin,
            shared,
            next_id: 1,
            request_timeout: REQUEST_TIMEOUT,
            pid,
        }
    }

    /// Closes the server's stdin (EOF).
    pub fn close_stdin(&self) {
        self.stdin.lock().unwrap().take();
    }

    /// The exit status if the server has exited.
    pub fn try_wait_child(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().expect("try_wait")
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// The server's stderr so far (last 64 KiB).
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.shared.stderr.lock().unwrap()).into_owned()
    }

    fn context(&self) -> String {
        let inbox = self.shared.inbox.lock().unwrap();
        let methods = &inbox.seen_methods;
        let tail: Vec<&String> = methods.iter().rev().take(20).collect();
        format!(
            "\n  server closed stdout: {}\n  protocol errors: {:?}\n  last messages from the server (newest first): {:?}\n  stderr tail:\n{}",
            inbox.closed,
            inbox.protocol_errors,
            tail,
            tail_of(&self.stderr(), 3000)
        )
    }

    /// Writes raw bytes to the server's stdin (for malformed frames).
    pub fn send_raw(&self, bytes: &[u8]) {
        let mut guard = self.stdin.lock().unwrap();
        let w = guard.as_mut().expect("stdin open");
        w.write_all(bytes).expect("write to server");
        w.flush().expect("flush");
    }

    pub fn send(&self, msg: &Value) {
        write_frame(&self.stdin, msg)
            .unwrap_or_else(|e| panic!("writing to the server: {e}{}", self.context()));
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its id (answer with [`Self::wait_response`]).
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(&msg);
        id
    }

    /// The whole response to request `id`, or `None` at the timeout / when the server exited.
    pub fn wait_response(&self, id: i64, timeout: Duration) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        let mut inbox = self.shared.inbox.lock().unwrap();
        loop {
            if let Some(r) = inbox.responses.remove(&id) {
                return Some(r);
            }
            let now = Instant::now();
            if inbox.closed || now >= deadline {
                return None;
            }
            inbox = self
                .shared
                .cond
                .wait_timeout(inbox, deadline - now)
                .unwrap()
                .0;
        }
    }

    /// A request's result or its error; panics when no answer comes within `timeout`.
    pub fn try_request_timeout(
        &mut self,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value, RpcError> {
        let id = self.send_request(method, params);
        let started = Instant::now();
        let Some(resp) = self.wait_response(id, timeout) else {
            panic!(
                "no answer to {method} (id {id}) after {:?}{}",
                started.elapsed(),
                self.context()
            );
        };
        if let Some(err) = resp.get("error") {
            return Err(RpcError {
                code: err["code"].as_i64().unwrap_or(0),
                message: err["message"].as_str().unwrap_or_default().to_string(),
                data: err.get("data").cloned().unwrap_or(Value::Null),
            });
        }
        Ok(resp.get("result").cloned().unwrap_or(Value::Null))
    }

    pub fn try_request(&mut self, method: &str, params: Value) -> Result<Value, RpcError> {
        let t = self.request_timeout;
        self.try_request_timeout(method, params, t)
    }

    /// A request's result; panics on an error response or the timeout (10 s).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        match self.try_request(method, params.clone()) {
            Ok(v) => v,
            Err(e) => panic!(
                "{method} {params} failed: {} {}{}",
                e.code,
                e.message,
                self.context()
            ),
        }
    }

    /// The first unconsumed notification (or server request) named `method`
    /// matching `predicate` (on the whole message); it is consumed. Panics at the timeout.
    pub fn wait_for_notification(
        &self,
        method: &str,
        predicate: impl Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Value {
        self.try_wait_for_notification(method, predicate, timeout)
            .unwrap_or_else(|| {
                panic!(
                    "no matching {method} within {timeout:?}; unconsumed ones: {}{}",
                    self.pending_summary(method),
                    self.context()
                )
            })
    }

    pub fn try_wait_for_notification(
        &self,
        method: &str,
        predicate: impl Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        let mut inbox = self.shared.inbox.lock().unwrap();
        let mut checked = 0; // messages already tested against the predicate
        loop {
            while checked < inbox.notifications.len() {
                let m = &inbox.notifications[checked];
                if m["method"] == method && predicate(m) {
                    return inbox.notifications.remove(checked);
                }
                checked += 1;
            }
            let now = Instant::now();
            if inbox.closed || now >= deadline {
                return None;
            }
            inbox = self
                .shared
                .cond
                .wait_timeout(inbox, deadline - now)
                .unwrap()
                .0;
        }
    }

    /// Unconsumed notifications named `method` (and consumes them).
    pub fn drain_notifications(&self, method: &str) -> Vec<Value> {
        let mut inbox = self.shared.inbox.lock().unwrap();
        let (take, keep): (Vec<Value>, Vec<Value>) = inbox
            .notifications
            .drain(..)
            .partition(|m| m["method"] == method);
        inbox.notifications = keep.into();
        take
    }

    fn pending_summary(&self, method: &str) -> String {
        let inbox = self.shared.inbox.lock().unwrap();
        let v: Vec<String> = inbox
            .notifications
            .iter()
            .filter(|m| m["method"] == method)
            .map(|m| tail_of(&m["params"].to_string(), 600))
            .collect();
        let n = v.len();
        let last: Vec<String> = v.into_iter().rev().take(5).collect();
        format!("{n} (newest first: {last:#?})")
    }

    /// Responses the server sent with `id: null` (answers to unparsable messages).
    pub fn null_id_responses(&self) -> Vec<Value> {
        self.shared.inbox.lock().unwrap().null_id_responses.clone()
    }

    // -- lifecycle ------------------------------------------------------------

    /// `initialize` (with `root_uri` as rootUri and only workspace folder) and `initialized`; returns the InitializeResult.
    pub fn initialize(&mut self, root_uri: Option<&str>, capabilities: Value) -> Value {
        let folders = root_uri
            .map(|u| json!([{ "uri": u, "name": "root" }]))
            .unwrap_or(Value::Null);
        let result = self.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "clientInfo": { "name": "dockside-acceptance", "version": "0" },
                "rootUri": root_uri,
                "workspaceFolders": folders,
                "capabilities": capabilities,
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    /// The client capabilities a modern editor sends.
    pub fn default_capabilities() -> Value {
        json!({
            "general": { "positionEncodings": ["utf-16"] },
            "workspace": { "workspaceEdit": { "documentChanges": true }, "configuration": false, "workspaceFolders": true },
            "window": { "showMessage": {}, "workDoneProgress": false },
            "textDocument": {
                "synchronization": { "dynamicRegistration": false, "didSave": true },
                "publishDiagnostics": {
                    "relatedInformation": true,
                    "versionSupport": true,
                    "codeDescriptionSupport": true,
                    "dataSupport": true,
                    "tagSupport": { "valueSet": [1, 2] }
                },
                "diagnostic": { "dynamicRegistration": false, "relatedDocumentSupport": false },
                "hover": { "contentFormat": ["markdown", "plaintext"] },
                "completion": {
                    "completionItem": { "snippetSupport": true, "documentationFormat": ["markdown", "plaintext"] },
                    "contextSupport": true
                },
                "definition": { "linkSupport": false },
                "references": {},
                "rename": { "prepareSupport": true },
                "documentSymbol": { "hierarchicalDocumentSymbolSupport": true },
                "foldingRange": { "lineFoldingOnly": true },
                "documentHighlight": {},
                "codeAction": {
                    "codeActionLiteralSupport": {
                        "codeActionKind": { "valueSet": ["", "quickfix", "refactor", "source", "source.fixAll", "source.fixAll.dockside"] }
                    },
                    "isPreferredSupport": true,
                    "resolveSupport": { "properties": ["edit"] }
                }
            }
        })
    }

    /// Starts a server in `root` and initializes it with the default capabilities.
    pub fn start_initialized(root: &Path) -> (LspClient, Value) {
        let mut c = LspClient::start(root);
        let init = c.initialize(Some(&file_uri(root)), Self::default_capabilities());
        (c, init)
    }

    /// `shutdown` then `exit`; the exit status (waits up to 10 s).
    pub fn shutdown_and_exit(&mut self) -> ExitStatus {
        let r = self.try_request("shutdown", Value::Null);
        assert!(r.is_ok(), "shutdown failed: {r:?}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            if Instant::now() >= deadline {
                panic!(
                    "the server did not exit within 10 s after exit{}",
                    self.context()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    // -- documents ------------------------------------------------------------

    pub fn did_open(&self, uri: &str, language_id: &str, text: &str) {
        self.did_open_version(uri, language_id, 1, text);
    }

    pub fn did_open_version(&self, uri: &str, language_id: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language_id, "version": version, "text": text } }),
        );
    }

    /// `changes`: TextDocumentContentChangeEvent objects (`{range, text}` or `{text}`).
    pub fn did_change(&self, uri: &str, version: i64, changes: Vec<Value>) {
        self.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }));
    }

    pub fn did_close(&self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
    }

    /// The diagnostics of the first (unconsumed) `publishDiagnostics` for
    /// `uri` whose params satisfy `predicate`; consumes it and every earlier one for `uri`.
    pub fn wait_diagnostics(&self, uri: &str, predicate: impl Fn(&Value) -> bool) -> Value {
        self.wait_diagnostics_timeout(uri, predicate, DIAGNOSTICS_TIMEOUT)
    }

    pub fn wait_diagnostics_timeout(
        &self,
        uri: &str,
        predicate: impl Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Value {
        let method = "textDocument/publishDiagnostics";
        let deadline = Instant::now() + timeout;
        let mut inbox = self.shared.inbox.lock().unwrap();
        let mut checked = 0;
        loop {
            while checked < inbox.notifications.len() {
                let m = &inbox.notifications[checked];
                if m["method"] == method && m["params"]["uri"] == uri && predicate(&m["params"]) {
                    let found = inbox.notifications.remove(checked).unwrap();
                    // Earlier publications for the same document are stale now.
                    let rest: VecDeque<Value> = inbox
                        .notifications
                        .drain(..)
                        .enumerate()
                        .filter(|(i, m)| {
                            *i >= checked || !(m["method"] == method && m["params"]["uri"] == uri)
                        })
                        .map(|(_, m)| m)
                        .collect();
                    inbox.notifications = rest;
                    return found["params"].clone();
                }
                checked += 1;
            }
            let now = Instant::now();
            if inbox.closed || now >= deadline {
                drop(inbox);
                panic!(
                    "no matching diagnostics for {uri} within {timeout:?}; unconsumed publications: {}{}",
                    self.pending_summary(method),
                    self.context()
                );
            }
            inbox = self
                .shared
                .cond
                .wait_timeout(inbox, deadline - now)
                .unwrap()
                .0;
        }
    }

    /// Diagnostics for `uri` at document version `version`.
    pub fn wait_diagnostics_version(&self, uri: &str, version: i64) -> Vec<Value> {
        let p = self.wait_diagnostics(uri, |p| p["version"] == version);
        p["diagnostics"].as_array().cloned().unwrap_or_default()
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "--- dockside lsp (pid {}) stderr tail ---\n{}",
                self.pid,
                tail_of(&self.stderr(), 4000)
            );
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tail_of(s: &str, n: usize) -> String {
    if s.len() <= n {
        return s.to_string();
    }
    let mut cut = s.len() - n;
    while !s.is_char_boundary(cut) {
        cut += 1;
    }
    format!("…{}", &s[cut..])
}

/// Unit checks of the helpers themselves.
pub fn self_check() {
    let t = "ab\nh😀llo\n";
    assert_eq!(utf16_position(t, t.find('l').unwrap()), (1, 3));
    assert_eq!(offset_of(t, &pos(1, 3)), t.find('l').unwrap());
    assert_eq!(offset_of(t, &pos(1, 99)), t.len() - 1);
    assert_eq!(offset_of(t, &pos(9, 0)), t.len());
    let e = json!([{ "range": range(1, 0, 1, 3), "newText": "X" }, { "range": range(0, 0, 0, 0), "newText": ">" }]);
    assert_eq!(apply_edits(t, e.as_array().unwrap()), ">ab\nXllo\n");
    assert_eq!(file_uri(Path::new("/a b/c")), "file:///a%20b/c");
}
