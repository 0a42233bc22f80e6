//! What the server sends for very large documents: diagnostics, symbols and
//! folding ranges are capped, with the count of what was left out, and code
//! actions still work where a diagnostic was not published.

use std::path::Path;
use std::time::Duration;

use dockside_lsp::Backend;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tower_lsp_server::{LspService, Server};

/// A client speaking to an in-process server over framed JSON-RPC.
struct Client {
    to_server: DuplexStream,
    from_server: BufReader<DuplexStream>,
    next_id: i64,
    /// `window/logMessage` texts received so far.
    logs: Vec<String>,
}

impl Client {
    async fn start(capabilities: Value) -> Client {
        let (to_server, server_in) = tokio::io::duplex(1 << 20);
        let (server_out, from_server) = tokio::io::duplex(1 << 20);
        let (service, socket) = LspService::new(Backend::new);
        tokio::spawn(Server::new(server_in, server_out, socket).serve(service));
        let mut client = Client {
            to_server,
            from_server: BufReader::new(from_server),
            next_id: 1,
            logs: Vec::new(),
        };
        let init = client
            .request(
                "initialize",
                json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
            )
            .await;
        assert!(init.get("error").is_none(), "{init}");
        client.notify("initialized", json!({})).await;
        client
    }

    async fn send(&mut self, message: Value) {
        let body = message.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.to_server.write_all(frame.as_bytes()).await.unwrap();
    }

    async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }))
            .await;
    }

    async fn read(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.from_server.read_line(&mut line).await.unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length:") {
                length = value.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.from_server.read_exact(&mut body).await.unwrap();
        let message: Value = serde_json::from_slice(&body).unwrap();
        if message["method"] == "window/logMessage" {
            self.logs
                .push(message["params"]["message"].as_str().unwrap().to_string());
        }
        message
    }

    /// Reads until `stop` accepts a message; returns it. Server requests get a null result.
    async fn read_until(&mut self, stop: impl Fn(&Value) -> bool) -> Value {
        let wait = async {
            loop {
                let message = self.read().await;
                if message.get("method").is_some() && message.get("id").is_some() {
                    let id = message["id"].clone();
                    self.send(json!({ "jsonrpc": "2.0", "id": id, "result": null }))
                        .await;
                }
                if stop(&message) {
                    return message;
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(120), wait)
            .await
            .expect("no answer from the server")
    }

    async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))
            .await;
        self.read_until(|m| m.get("method").is_none() && m["id"] == id)
            .await
    }

    /// Waits for the log message `text` (it may come after the response it is about).
    async fn wait_log(&mut self, text: &str) {
        if !self.logs.iter().any(|l| l == text) {
            self.read_until(|m| {
                m["method"] == "window/logMessage" && m["params"]["message"] == text
            })
            .await;
        }
    }

    /// Opens a Dockerfile; returns the diagnostics published for it.
    async fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": "dockerfile", "version": 1, "text": text } }),
        )
        .await;
        let published = self
            .read_until(|m| {
                m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
            })
            .await;
        published["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .clone()
    }
}

fn uri_in(dir: &Path, name: &str) -> String {
    format!("file://{}", dir.join(name).display())
}

/// `FROM`, then `count` MAINTAINER lines (one warning each, with a safe fix),
/// then an unknown instruction (an error) on the last line.
fn maintainers(count: usize) -> String {
    let mut text = String::from("FROM alpine:3.20\n");
    for i in 0..count {
        text.push_str(&format!("MAINTAINER m{i}\n"));
    }
    text.push_str("RUNN x\n");
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_are_capped_errors_first_with_a_final_count() {
    let dir = tempfile::tempdir().unwrap();
    let uri = uri_in(dir.path(), "Dockerfile");
    let mut client = Client::start(json!({})).await;
    let diagnostics = client.open(&uri, &maintainers(1_200)).await;

    // 1,000 findings, then the note.
    assert_eq!(diagnostics.len(), 1_001);
    let note = &diagnostics[1_000];
    assert_eq!(
        note["message"],
        "201 more problems in this file are not shown (at most 1000 per file, the most \
         severe first); `dockside check` lists them all"
    );
    assert_eq!(note["severity"], 3);
    assert_eq!(note["source"], "dockside");
    // At the first finding left out: the warnings of lines 2..=1000 are shown (0-based
    // 1..=999) with the error, the one of line 1001 is the first one missing.
    let at = json!({ "line": 1000, "character": 0 });
    assert_eq!(note["range"], json!({ "start": at, "end": at }));

    // The error of the last line is kept although it comes after all the warnings.
    let error = diagnostics
        .iter()
        .find(|d| d["severity"] == 1)
        .expect("the error is published");
    assert_eq!(error["range"]["start"]["line"], 1_201);
    let warnings: Vec<u64> = diagnostics[..1_000]
        .iter()
        .filter(|d| d["code"] == "maintainer-deprecated")
        .map(|d| d["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(warnings, (1..=999).collect::<Vec<u64>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_actions_work_where_diagnostics_were_not_published() {
    let dir = tempfile::tempdir().unwrap();
    let uri = uri_in(dir.path(), "Dockerfile");
    let mut client = Client::start(json!({})).await;
    client.open(&uri, &maintainers(1_200)).await;

    // Line 1101 (0-based 1100) has a warning that was not published.
    let here = json!({ "line": 1100, "character": 0 });
    let response = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": { "start": here, "end": here },
                "context": { "diagnostics": [] },
            }),
        )
        .await;
    let actions = response["result"].as_array().unwrap();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Replace with a LABEL"), "{titles:?}");
    assert!(
        titles.contains(&"Ignore maintainer-deprecated for this instruction"),
        "{titles:?}"
    );
    let fix = actions
        .iter()
        .find(|a| a["title"] == "Replace with a LABEL")
        .unwrap();
    let edits = &fix["edit"]["changes"][uri.as_str()];
    assert_eq!(edits[0]["range"]["start"]["line"], 1100);
    // Fix-all still covers the whole file.
    let fix_all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.dockside")
        .expect("fix-all is offered");
    let new_text = fix_all["edit"]["changes"][uri.as_str()][0]["newText"]
        .as_str()
        .unwrap();
    assert_eq!(new_text.matches("LABEL").count(), 1_200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn document_symbols_are_capped_and_the_cut_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let uri = uri_in(dir.path(), "Dockerfile");
    let mut text = String::from("FROM alpine:3.20 AS base\n");
    for i in 0..6_000 {
        text.push_str(&format!("LABEL k{i}=v\n"));
    }
    let capabilities = json!({ "textDocument": { "documentSymbol": {
        "hierarchicalDocumentSymbolSupport": true } } });
    let mut client = Client::start(capabilities).await;
    client.open(&uri, &text).await;
    let response = client
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .await;
    let symbols = response["result"].as_array().unwrap();
    // The stage, with the first 4,999 instructions: 5,000 symbols in all.
    assert_eq!(symbols.len(), 1);
    assert_eq!(symbols[0]["name"], "base");
    let children = symbols[0]["children"].as_array().unwrap();
    assert_eq!(children.len(), 4_999);
    assert_eq!(children[4_998]["name"], "LABEL k4998=v");
    // The stage still spans the whole file.
    assert_eq!(symbols[0]["range"]["end"]["line"], 6_000);
    let expected = format!("dockside: 1001 symbols of {uri} not sent (at most 5000 per document)");
    client.wait_log(&expected).await;

    // Flat symbols, for clients without hierarchy, are capped the same way.
    let mut flat_client = Client::start(json!({})).await;
    flat_client.open(&uri, &text).await;
    let response = flat_client
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .await;
    assert_eq!(response["result"].as_array().unwrap().len(), 5_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn folding_ranges_respect_the_client_limit() {
    let dir = tempfile::tempdir().unwrap();
    let uri = uri_in(dir.path(), "Dockerfile");
    let mut text = String::from("FROM alpine:3.20\n");
    for i in 0..20 {
        text.push_str(&format!("RUN echo {i} \\\n    && true\n"));
    }
    let ranges = |limit: Option<u32>| {
        let capabilities = match limit {
            Some(l) => json!({ "textDocument": { "foldingRange": { "rangeLimit": l } } }),
            None => json!({}),
        };
        let uri = uri.clone();
        let text = text.clone();
        async move {
            let mut client = Client::start(capabilities).await;
            client.open(&uri, &text).await;
            let response = client
                .request(
                    "textDocument/foldingRange",
                    json!({ "textDocument": { "uri": uri } }),
                )
                .await;
            (response["result"].as_array().unwrap().clone(), client)
        }
    };
    // The stage and the 20 RUNs.
    let (all, _) = ranges(None).await;
    assert_eq!(all.len(), 21);
    let (some, mut client) = ranges(Some(5)).await;
    assert_eq!(some, all[..5].to_vec());
    let expected =
        format!("dockside: 16 folding ranges of {uri} not sent (at most 5 per document)");
    client.wait_log(&expected).await;
}
