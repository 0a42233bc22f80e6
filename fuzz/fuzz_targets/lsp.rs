//! The language server in process: `initialize`, `didOpen` with the fuzzed text, then the
//! requests and edits the input describes, then `shutdown` and `exit`, each awaited in turn.
//!
//! Input: one flag byte (bit 0: a Compose file rather than a Dockerfile; bit 1: UTF-8
//! positions rather than UTF-16; bit 2: hierarchical symbols; bit 3: a client that only
//! pulls diagnostics), then operations of 3 bytes (the operation in the low 4 bits of the
//! first and a parameter in its high bits, a line, a column) up to the first NUL byte,
//! then the document text. No request may fail with an internal error (a panic in a
//! feature), and every range in an answer must be well-formed.

#![no_main]

use std::sync::OnceLock;

use futures::StreamExt;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use tower::{Service, ServiceExt};
use tower_lsp_server::LspService;
use tower_lsp_server::jsonrpc::{ErrorCode, Request};

/// Text inserted by edits: the characters completion triggers on, continuations,
/// multi-byte and astral characters (UTF-16 surrogate pairs), heredocs, new lines.
const SNIPPETS: [&str; 12] = [
    "", "\n", "$", "${", "-", "é", "\\\n", "FROM ", "𝄞", "\"", "<<EOF\n", "  - ",
];
const NEW_NAMES: [&str; 4] = ["builder", "", "NEW_ARG", "a b"];
const MAX_OPS: usize = 48;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let header_len = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    let (ops, text) = rest.split_at(header_len);
    let text = String::from_utf8_lossy(text.get(1..).unwrap_or_default()).into_owned();
    let ops: Vec<[u8; 3]> = ops
        .chunks_exact(3)
        .take(MAX_OPS)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    runtime().block_on(session(flags, &ops, text));
});

struct Client {
    service: LspService<dockside_lsp::Backend>,
    next_id: i64,
}

impl Client {
    async fn request(&mut self, method: &'static str, params: Value) -> Value {
        self.next_id += 1;
        let request = Request::build(method)
            .id(self.next_id)
            .params(params)
            .finish();
        let response = self
            .service
            .ready()
            .await
            .expect("server ready")
            .call(request)
            .await
            .expect("server running")
            .unwrap_or_else(|| panic!("{method}: no response"));
        match response.into_parts().1 {
            Ok(value) => {
                check_ranges(method, &value);
                value
            }
            Err(e) => {
                assert_ne!(e.code, ErrorCode::InternalError, "{method}: {}", e.message);
                Value::Null
            }
        }
    }

    async fn notify(&mut self, method: &'static str, params: Value) {
        let notification = Request::build(method).params(params).finish();
        let response = self
            .service
            .ready()
            .await
            .expect("server ready")
            .call(notification)
            .await
            .expect("server running");
        assert!(response.is_none(), "{method}: a notification was answered");
    }
}

async fn session(flags: u8, ops: &[[u8; 3]], text: String) {
    let compose = flags & 1 != 0;
    let (uri, language) = if compose {
        (
            "file:///dockside-fuzz-nonexistent/compose.yaml",
            "dockercompose",
        )
    } else {
        ("file:///dockside-fuzz-nonexistent/Dockerfile", "dockerfile")
    };
    let (service, socket) = LspService::new(dockside_lsp::Backend::new);
    // What the server sends the client (diagnostics, log messages): read and dropped.
    let drain = tokio::spawn(socket.for_each(|_| async {}));
    let mut client = Client {
        service,
        next_id: 0,
    };

    let mut capabilities = json!({
        "textDocument": {
            "documentSymbol": { "hierarchicalDocumentSymbolSupport": flags & 4 != 0 },
        },
    });
    if flags & 2 != 0 {
        capabilities["general"] = json!({ "positionEncodings": ["utf-8", "utf-16"] });
    }
    if flags & 8 != 0 {
        capabilities["textDocument"]["diagnostic"] = json!({});
    } else {
        capabilities["textDocument"]["publishDiagnostics"] = json!({});
    }
    client
        .request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
        )
        .await;
    client.notify("initialized", json!({})).await;
    let document = json!({ "uri": uri });
    client
        .notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": language, "version": 1, "text": text,
            }}),
        )
        .await;

    let mut version = 1;
    for &[kind, line, column] in ops {
        let position = json!({ "line": u32::from(line & 0x3f), "character": u32::from(column) });
        let at = json!({ "textDocument": document, "position": position });
        match kind & 0x0f {
            0 => drop(client.request("textDocument/hover", at).await),
            1 => drop(client.request("textDocument/completion", at).await),
            2 => drop(client.request("textDocument/definition", at).await),
            3 => {
                let mut params = at;
                params["context"] = json!({ "includeDeclaration": kind & 0x10 != 0 });
                drop(client.request("textDocument/references", params).await);
            }
            4 => drop(client.request("textDocument/documentHighlight", at).await),
            5 => drop(client.request("textDocument/prepareRename", at).await),
            6 => {
                let mut params = at;
                params["newName"] = json!(NEW_NAMES[usize::from(kind >> 4) % NEW_NAMES.len()]);
                drop(client.request("textDocument/rename", params).await);
            }
            7 => {
                let end = json!({ "line": u32::from(line & 0x3f) + u32::from(kind >> 5), "character": 0 });
                let only = match kind >> 4 & 1 {
                    0 => Value::Null,
                    _ => json!(["source.fixAll.dockside"]),
                };
                let mut context = json!({ "diagnostics": [] });
                if !only.is_null() {
                    context["only"] = only;
                }
                drop(
                    client
                        .request(
                            "textDocument/codeAction",
                            json!({
                                "textDocument": document,
                                "range": { "start": position, "end": end },
                                "context": context,
                            }),
                        )
                        .await,
                );
            }
            8 => {
                let params = json!({ "textDocument": document });
                drop(client.request("textDocument/documentSymbol", params).await);
            }
            9 => {
                let params = json!({ "textDocument": document });
                drop(client.request("textDocument/foldingRange", params).await);
            }
            10 => {
                let params = json!({ "textDocument": document });
                drop(client.request("textDocument/diagnostic", params).await);
            }
            11 | 12 => {
                version += 1;
                let width = u32::from(kind >> 4);
                let end = json!({ "line": u32::from(line & 0x3f), "character": u32::from(column) + width });
                let snippet =
                    SNIPPETS[usize::from(line >> 6 | (kind & 0x30) >> 2) % SNIPPETS.len()];
                client
                    .notify(
                        "textDocument/didChange",
                        json!({
                            "textDocument": { "uri": uri, "version": version },
                            "contentChanges": [
                                { "range": { "start": position, "end": end }, "text": snippet },
                            ],
                        }),
                    )
                    .await;
            }
            13 => {
                client
                    .notify("textDocument/didSave", json!({ "textDocument": document }))
                    .await;
            }
            _ => {
                client
                    .notify("textDocument/didClose", json!({ "textDocument": document }))
                    .await;
                version += 1;
                client
                    .notify(
                        "textDocument/didOpen",
                        json!({ "textDocument": {
                            "uri": uri, "languageId": language, "version": version, "text": text,
                        }}),
                    )
                    .await;
            }
        }
    }

    client.request("shutdown", Value::Null).await;
    client.notify("exit", Value::Null).await;
    drop(client);
    drain.await.expect("client socket");
}

/// Every LSP range in `value` (an object with `start` and `end` positions) is ordered.
fn check_ranges(method: &str, value: &Value) {
    match value {
        Value::Object(map) => {
            if let (Some(start), Some(end)) = (position(map.get("start")), position(map.get("end")))
            {
                assert!(start <= end, "{method}: reversed range {value}");
            }
            for v in map.values() {
                check_ranges(method, v);
            }
        }
        Value::Array(items) => {
            for v in items {
                check_ranges(method, v);
            }
        }
        _ => {}
    }
}

fn position(value: Option<&Value>) -> Option<(u64, u64)> {
    let value = value?;
    Some((
        value.get("line")?.as_u64()?,
        value.get("character")?.as_u64()?,
    ))
}
