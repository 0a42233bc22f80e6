//! The `LanguageServer` implementation: protocol in, state and features out.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use dockside_ide::{self as ide, Analysis, ComposeAnalysis};
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{self as lsp, Uri};
use tower_lsp_server::{Client, LanguageServer};

use crate::compose;
use crate::convert::{self, FIX_ALL_KIND, SymbolBudget};
use crate::position::{Encoding, Lines, apply_changes};
use crate::settings::Settings;
use crate::state::{Inner, is_config_file, lock, panic_message};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// LSP's `RequestFailed`.
const REQUEST_FAILED: i64 = -32803;

pub const WATCHED_GLOBS: [&str; 10] = [
    "**/.dockside.toml",
    "**/dockside.toml",
    "**/.dockerignore",
    "**/*.sh",
    "**/*.conf",
    "**/Dockerfile*",
    "**/*.yml",
    "**/*.yaml",
    "**/.env",
    "**/*.env",
];

pub const TRIGGER_CHARACTERS: [&str; 5] = ["-", "=", "$", "{", " "];

pub struct Backend {
    inner: Arc<Inner>,
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            inner: Arc::new(Inner::new(client)),
        }
    }

    pub fn inner(&self) -> &Arc<Inner> {
        &self.inner
    }

    /// Runs an editor feature over the analysis of `uri` off the async
    /// runtime; a panic in it becomes an error response.
    async fn feature<T, F>(&self, uri: &Uri, name: &'static str, f: F) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(&Analysis, Lines<'_>) -> T + Send + 'static,
    {
        let Some(analysis) = self.inner.analysis_for(uri).await else {
            return Ok(None);
        };
        let encoding = self.inner.encoding();
        let job = move || {
            let lines = Lines::new(&analysis.text, &analysis.line_index, encoding);
            f(&analysis, lines)
        };
        match tokio::task::spawn_blocking(move || guarded(name, job)).await {
            Ok(result) => result.map(Some),
            Err(e) => Err(internal_error(format!("dockside: {name} failed: {e}"))),
        }
    }

    /// Like [`Backend::feature`], over the analysis of a Compose document.
    async fn compose_feature<T, F>(&self, uri: &Uri, name: &'static str, f: F) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(&ComposeAnalysis, Lines<'_>) -> T + Send + 'static,
    {
        let Some(analysis) = self.inner.compose_analysis_for(uri).await else {
            return Ok(None);
        };
        let encoding = self.inner.encoding();
        let job = move || {
            let lines = Lines::new(&analysis.text, &analysis.line_index, encoding);
            f(&analysis, lines)
        };
        match tokio::task::spawn_blocking(move || guarded(name, job)).await {
            Ok(result) => result.map(Some),
            Err(e) => Err(internal_error(format!("dockside: {name} failed: {e}"))),
        }
    }

    /// Whether `uri` is served as a Compose file (an open Compose document, or a file
    /// that is not open with a Compose file name).
    fn is_compose(&self, uri: &Uri) -> bool {
        match lock(&self.inner.docs).get(uri) {
            Some(doc) => doc.is_compose,
            None => convert::uri_to_path(uri).is_some_and(|p| compose::is_compose_path(&p)),
        }
    }

    async fn apply_settings(&self, value: &Value) {
        let (settings, problems) = Settings::parse(value);
        *lock(&self.inner.settings) = settings;
        if !problems.is_empty() {
            self.inner
                .client
                .show_message(
                    lsp::MessageType::WARNING,
                    format!("dockside: settings: {}", problems.join("; ")),
                )
                .await;
        }
    }
}

/// Runs `f`, turning a panic into an `InternalError` response naming the feature.
pub(crate) fn guarded<T>(name: &str, f: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
        internal_error(format!(
            "dockside: {name} failed: {}",
            panic_message(&*panic)
        ))
    })
}

fn internal_error(message: String) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: message.into(),
        data: None,
    }
}

fn location(uri: &Uri, range: dockside_syntax::TextRange, lines: Lines<'_>) -> lsp::Location {
    lsp::Location {
        uri: uri.clone(),
        range: lines.range(range),
    }
}

/// The server's capabilities. Diagnostics are always pushed; pull diagnostics are advertised
/// only to clients that cannot take pushed ones (`pull_only`): a client that has both keeps
/// them apart (Neovim 0.11, VS Code) and would show every problem twice. Pull requests are
/// answered either way.
pub fn capabilities(encoding: Encoding, pull_only: bool) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                will_save: None,
                will_save_wait_until: None,
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp::CompletionOptions {
            resolve_provider: Some(false),
            trigger_characters: Some(TRIGGER_CHARACTERS.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        }),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        document_highlight_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX, FIX_ALL_KIND]),
                resolve_provider: Some(false),
                work_done_progress_options: Default::default(),
            },
        )),
        rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        folding_range_provider: Some(lsp::FoldingRangeProviderCapability::Simple(true)),
        diagnostic_provider: pull_only.then(|| {
            lsp::DiagnosticServerCapabilities::Options(lsp::DiagnosticOptions {
                identifier: Some("dockside".to_string()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                work_done_progress_options: Default::default(),
            })
        }),
        ..Default::default()
    }
}

/// Whether the client takes pull diagnostics but declares no support for pushed ones.
fn pull_only(caps: &lsp::ClientCapabilities) -> bool {
    let text = caps.text_document.as_ref();
    text.is_some_and(|t| t.diagnostic.is_some() && t.publish_diagnostics.is_none())
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: lsp::InitializeParams) -> Result<lsp::InitializeResult> {
        let caps = &params.capabilities;
        let encoding = Encoding::negotiate(
            caps.general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        self.inner.set_encoding(encoding);
        {
            let mut flags = lock(&self.inner.flags);
            flags.dynamic_watchers = caps
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false);
            flags.workspace_configuration = caps
                .workspace
                .as_ref()
                .and_then(|w| w.configuration)
                .unwrap_or(false);
            flags.hierarchical_symbols = caps
                .text_document
                .as_ref()
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|s| s.hierarchical_document_symbol_support)
                .unwrap_or(false);
            flags.folding_range_limit = caps
                .text_document
                .as_ref()
                .and_then(|t| t.folding_range.as_ref())
                .and_then(|f| f.range_limit);
        }
        if let Some(options) = &params.initialization_options {
            self.apply_settings(options).await;
        }
        Ok(lsp::InitializeResult {
            capabilities: capabilities(encoding, pull_only(caps)),
            server_info: Some(lsp::ServerInfo {
                name: "dockside".to_string(),
                version: Some(VERSION.to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: lsp::InitializedParams) {
        self.inner
            .client
            .log_message(
                lsp::MessageType::INFO,
                format!("dockside {VERSION} language server started"),
            )
            .await;
        if lock(&self.inner.flags).dynamic_watchers {
            // The client answers the registration; do not hold this handler meanwhile.
            let client = self.inner.client.clone();
            tokio::spawn(async move {
                let watchers = WATCHED_GLOBS
                    .iter()
                    .map(|g| lsp::FileSystemWatcher {
                        glob_pattern: lsp::GlobPattern::String(g.to_string()),
                        kind: None,
                    })
                    .collect();
                let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
                let registration = lsp::Registration {
                    id: "dockside-watched-files".to_string(),
                    method: "workspace/didChangeWatchedFiles".to_string(),
                    register_options: serde_json::to_value(options).ok(),
                };
                let _ = client.register_capability(vec![registration]).await;
            });
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.inner.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    // ----- documents -----------------------------------------------------

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let uri = doc.uri.clone();
        let analysed = self
            .inner
            .open(doc.uri, doc.language_id, doc.version, doc.text);
        if analysed {
            self.inner.schedule(&uri);
        }
        // The buffer now stands for the file in Compose projects that read it (and an open
        // Compose document reports its own findings: the others stop reporting into it).
        let path = convert::document_path(&uri);
        self.inner.schedule_compose_dependents(&path, Some(&uri));
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let encoding = self.inner.encoding();
        let (is_dockerfile, is_compose, path) = {
            let mut docs = lock(&self.inner.docs);
            let Some(doc) = docs.get_mut(&uri) else {
                return;
            };
            let mut text = String::from(&*doc.text);
            apply_changes(&mut text, params.content_changes, encoding);
            doc.text = Arc::from(text);
            doc.version = params.text_document.version;
            self.inner
                .open_files
                .set(doc.path.clone(), doc.text.clone());
            (doc.is_dockerfile, doc.is_compose, doc.path.clone())
        };
        if is_dockerfile || is_compose {
            self.inner.schedule(&uri);
        }
        if !is_dockerfile {
            self.inner.schedule_all_dockerfiles();
        }
        self.inner.schedule_compose_dependents(&path, Some(&uri));
    }

    async fn did_save(&self, params: lsp::DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        let (analysed, is_config) = {
            let mut docs = lock(&self.inner.docs);
            match docs.get_mut(&uri) {
                Some(doc) => {
                    if let Some(text) = params.text {
                        doc.text = Arc::from(text);
                        self.inner
                            .open_files
                            .set(doc.path.clone(), doc.text.clone());
                    }
                    (
                        doc.is_dockerfile || doc.is_compose,
                        is_config_file(&doc.path),
                    )
                }
                None => (
                    false,
                    convert::uri_to_path(&uri).is_some_and(|p| is_config_file(&p)),
                ),
            }
        };
        if is_config {
            self.inner.configs_changed().await;
            self.inner.schedule_all_dockerfiles();
            self.inner.schedule_all_compose();
        } else if analysed {
            self.inner.schedule(&uri);
        } else {
            self.inner.schedule_all_dockerfiles();
        }
        if !is_config {
            let path = convert::document_path(&uri);
            self.inner.schedule_compose_dependents(&path, Some(&uri));
        }
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let Some(doc) = self.inner.close(&uri) else {
            return;
        };
        if doc.is_dockerfile || doc.is_compose {
            let mut touched = self.inner_contributions_cleared(&uri);
            touched.push(uri.clone());
            touched.sort();
            touched.dedup();
            self.inner.publish(touched).await;
        } else {
            self.inner.schedule_all_dockerfiles();
        }
        // The disk text replaces the buffer; a closed Compose file can be reported into again.
        self.inner
            .schedule_compose_dependents(&doc.path, Some(&uri));
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        if params
            .changes
            .iter()
            .any(|c| convert::uri_to_path(&c.uri).is_some_and(|p| is_config_file(&p)))
        {
            self.inner.configs_changed().await;
            self.inner.schedule_all_compose();
        }
        self.inner.schedule_all_dockerfiles();
        for change in &params.changes {
            if let Some(path) = convert::uri_to_path(&change.uri) {
                self.inner.schedule_compose_dependents(&path, None);
            }
        }
    }

    async fn did_change_configuration(&self, params: lsp::DidChangeConfigurationParams) {
        let mut settings = params.settings;
        let pull = settings.is_null() || settings.as_object().is_some_and(|o| o.is_empty());
        if pull && lock(&self.inner.flags).workspace_configuration {
            let item = lsp::ConfigurationItem {
                scope_uri: None,
                section: Some("dockside".to_string()),
            };
            if let Ok(mut values) = self.inner.client.configuration(vec![item]).await
                && let Some(value) = values.pop()
            {
                settings = value;
            }
        }
        self.apply_settings(&settings).await;
        self.inner.schedule_all_dockerfiles();
        self.inner.schedule_all_compose();
    }

    // ----- diagnostics ---------------------------------------------------

    async fn diagnostic(
        &self,
        params: lsp::DocumentDiagnosticParams,
    ) -> Result<lsp::DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let open = lock(&self.inner.docs).contains_key(&uri);
        let items = if open {
            // Wait for the current analysis, then report what is published.
            let _ = self.inner.fresh_for(&uri).await;
            self.inner.diagnostics_of(&uri).0
        } else if self.is_compose(&uri) {
            let uri2 = uri.clone();
            self.compose_feature(&uri, "diagnostics", move |a, lines| {
                convert::group_compose_diagnostics(a, &uri2, lines.encoding).main
            })
            .await?
            .unwrap_or_default()
        } else {
            let uri2 = uri.clone();
            self.feature(&uri, "diagnostics", move |a, lines| {
                let encoding = lines.encoding;
                convert::group_diagnostics(&a.lint, &uri2, encoding).main
            })
            .await?
            .unwrap_or_default()
        };
        Ok(lsp::DocumentDiagnosticReportResult::Report(
            lsp::DocumentDiagnosticReport::Full(lsp::RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }

    // ----- features ------------------------------------------------------

    async fn hover(&self, params: lsp::HoverParams) -> Result<Option<lsp::Hover>> {
        let p = params.text_document_position_params;
        let pos = p.position;
        if self.is_compose(&p.text_document.uri) {
            let r = self
                .compose_feature(&p.text_document.uri, "hover", move |a, lines| {
                    ide::compose::hover(a, lines.offset(pos)).map(|h| convert::hover(&h, lines))
                })
                .await?;
            return Ok(r.flatten());
        }
        let r = self
            .feature(&p.text_document.uri, "hover", move |a, lines| {
                ide::hover(a, lines.offset(pos)).map(|h| convert::hover(&h, lines))
            })
            .await?;
        Ok(r.flatten())
    }

    async fn completion(
        &self,
        params: lsp::CompletionParams,
    ) -> Result<Option<lsp::CompletionResponse>> {
        let p = params.text_document_position;
        let pos = p.position;
        if self.is_compose(&p.text_document.uri) {
            let r = self
                .compose_feature(&p.text_document.uri, "completion", move |a, lines| {
                    ide::compose::completions(a, lines.offset(pos))
                        .iter()
                        .map(|item| convert::completion_item(item, lines))
                        .collect::<Vec<_>>()
                })
                .await?;
            return Ok(r.map(lsp::CompletionResponse::Array));
        }
        let r = self
            .feature(&p.text_document.uri, "completion", move |a, lines| {
                ide::completions(a, lines.offset(pos))
                    .iter()
                    .map(|item| convert::completion_item(item, lines))
                    .collect::<Vec<_>>()
            })
            .await?;
        Ok(r.map(lsp::CompletionResponse::Array))
    }

    async fn goto_definition(
        &self,
        params: lsp::GotoDefinitionParams,
    ) -> Result<Option<lsp::GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let pos = p.position;
        let uri = p.text_document.uri.clone();
        if self.is_compose(&uri) {
            let r = self
                .compose_feature(&p.text_document.uri, "definition", move |a, lines| {
                    let found = ide::compose::definition(a, lines.offset(pos))?;
                    compose::location(a, &uri, &found, lines.encoding)
                        .map(lsp::GotoDefinitionResponse::Scalar)
                })
                .await?;
            return Ok(r.flatten());
        }
        let r = self
            .feature(&p.text_document.uri, "definition", move |a, lines| {
                ide::definition(a, lines.offset(pos))
                    .map(|range| lsp::GotoDefinitionResponse::Scalar(location(&uri, range, lines)))
            })
            .await?;
        Ok(r.flatten())
    }

    async fn references(&self, params: lsp::ReferenceParams) -> Result<Option<Vec<lsp::Location>>> {
        let p = params.text_document_position;
        let pos = p.position;
        let include = params.context.include_declaration;
        let uri = p.text_document.uri.clone();
        self.feature(&p.text_document.uri, "references", move |a, lines| {
            ide::references(a, lines.offset(pos), include)
                .into_iter()
                .map(|range| location(&uri, range, lines))
                .collect()
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: lsp::DocumentHighlightParams,
    ) -> Result<Option<Vec<lsp::DocumentHighlight>>> {
        let p = params.text_document_position_params;
        let pos = p.position;
        self.feature(
            &p.text_document.uri,
            "documentHighlight",
            move |a, lines| {
                ide::highlights(a, lines.offset(pos))
                    .iter()
                    .map(|h| convert::highlight(h, lines))
                    .collect()
            },
        )
        .await
    }

    async fn document_symbol(
        &self,
        params: lsp::DocumentSymbolParams,
    ) -> Result<Option<lsp::DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let hierarchical = lock(&self.inner.flags).hierarchical_symbols;
        let uri2 = uri.clone();
        let (response, omitted) = if self.is_compose(&uri) {
            self.compose_feature(&uri, "documentSymbol", move |a, lines| {
                let symbols = ide::compose::document_symbols(a);
                let mut budget = SymbolBudget::new(convert::MAX_OUTLINE_ITEMS);
                let response = if hierarchical {
                    lsp::DocumentSymbolResponse::Nested(
                        symbols
                            .iter()
                            .filter_map(|s| compose::document_symbol(s, lines, &mut budget))
                            .collect(),
                    )
                } else {
                    let mut flat = Vec::new();
                    compose::flat_symbols(&symbols, lines, &uri2, None, &mut budget, &mut flat);
                    lsp::DocumentSymbolResponse::Flat(flat)
                };
                (response, budget.omitted)
            })
            .await?
        } else {
            self.feature(&uri, "documentSymbol", move |a, lines| {
                let symbols = ide::document_symbols(a);
                let mut budget = SymbolBudget::new(convert::MAX_OUTLINE_ITEMS);
                let response = if hierarchical {
                    lsp::DocumentSymbolResponse::Nested(
                        symbols
                            .iter()
                            .filter_map(|s| convert::document_symbol(s, lines, &mut budget))
                            .collect(),
                    )
                } else {
                    let mut flat = Vec::new();
                    convert::flat_symbols(&symbols, lines, &uri2, None, &mut budget, &mut flat);
                    lsp::DocumentSymbolResponse::Flat(flat)
                };
                (response, budget.omitted)
            })
            .await?
        }
        .unzip();
        if let Some(omitted) = omitted.filter(|&n| n > 0) {
            self.inner
                .client
                .log_message(
                    lsp::MessageType::INFO,
                    convert::outline_cut_message(
                        "symbols",
                        omitted,
                        convert::MAX_OUTLINE_ITEMS,
                        &uri,
                    ),
                )
                .await;
        }
        Ok(response)
    }

    async fn folding_range(
        &self,
        params: lsp::FoldingRangeParams,
    ) -> Result<Option<Vec<lsp::FoldingRange>>> {
        let uri = params.text_document.uri;
        let limit = lock(&self.inner.flags)
            .folding_range_limit
            .map_or(convert::MAX_OUTLINE_ITEMS, |l| {
                (l as usize).min(convert::MAX_OUTLINE_ITEMS)
            });
        let r = self
            .feature(&uri, "foldingRange", move |a, _| {
                let all = ide::folding_ranges(a);
                let omitted = all.len().saturating_sub(limit);
                let ranges: Vec<_> = all.iter().take(limit).map(convert::folding_range).collect();
                (ranges, omitted)
            })
            .await?;
        let (ranges, omitted) = r.unzip();
        if let Some(omitted) = omitted.filter(|&n| n > 0) {
            self.inner
                .client
                .log_message(
                    lsp::MessageType::INFO,
                    convert::outline_cut_message("folding ranges", omitted, limit, &uri),
                )
                .await;
        }
        Ok(ranges)
    }

    async fn prepare_rename(
        &self,
        params: lsp::TextDocumentPositionParams,
    ) -> Result<Option<lsp::PrepareRenameResponse>> {
        let pos = params.position;
        let r = self
            .feature(
                &params.text_document.uri,
                "prepareRename",
                move |a, lines| {
                    ide::prepare_rename(a, lines.offset(pos))
                        .map(|range| lsp::PrepareRenameResponse::Range(lines.range(range)))
                },
            )
            .await?;
        Ok(r.flatten())
    }

    async fn rename(&self, params: lsp::RenameParams) -> Result<Option<lsp::WorkspaceEdit>> {
        let p = params.text_document_position;
        let pos = p.position;
        let uri = p.text_document.uri.clone();
        let new_name = params.new_name;
        let r = self
            .feature(&p.text_document.uri, "rename", move |a, lines| {
                ide::rename(a, lines.offset(pos), &new_name)
                    .map(|edits| convert::workspace_edit(&uri, convert::text_edits(&edits, lines)))
            })
            .await?;
        match r {
            None => Ok(None),
            Some(Ok(edit)) => Ok(Some(edit)),
            Some(Err(message)) => Err(Error {
                code: ErrorCode::ServerError(REQUEST_FAILED),
                message: message.into(),
                data: None,
            }),
        }
    }

    async fn code_action(
        &self,
        params: lsp::CodeActionParams,
    ) -> Result<Option<lsp::CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let range = params.range;
        let only = params.context.only;
        let encoding = self.inner.encoding();
        if self.is_compose(&uri) {
            return self
                .compose_feature(&params.text_document.uri, "codeAction", move |a, _| {
                    compose::code_actions(a, &uri, range, only.as_deref(), encoding)
                })
                .await;
        }
        let r = self
            .feature(&params.text_document.uri, "codeAction", move |a, lines| {
                let mut out = Vec::new();
                let only = only.as_deref();
                if convert::kind_requested(only, &lsp::CodeActionKind::QUICKFIX) {
                    for action in ide::code_actions(a, lines.text_range(range)) {
                        let kind = match action.kind {
                            ide::ActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
                            ide::ActionKind::FixAll => FIX_ALL_KIND,
                        };
                        if convert::kind_requested(only, &kind) {
                            out.push(lsp::CodeActionOrCommand::CodeAction(convert::code_action(
                                &action, a, &uri, encoding,
                            )));
                        }
                    }
                }
                if convert::kind_requested(only, &FIX_ALL_KIND)
                    && let Some(edits) = ide::fix_all(a)
                {
                    let fix_all = ide::CodeAction {
                        title: "Fix all auto-fixable dockside problems".to_string(),
                        kind: ide::ActionKind::FixAll,
                        edits,
                        diagnostics: Vec::new(),
                        preferred: false,
                    };
                    out.push(lsp::CodeActionOrCommand::CodeAction(convert::code_action(
                        &fix_all, a, &uri, encoding,
                    )));
                }
                out
            })
            .await?;
        Ok(r)
    }
}

impl Backend {
    /// Drops what the Dockerfile `uri` reported into other files; returns those files.
    fn inner_contributions_cleared(&self, uri: &Uri) -> Vec<Uri> {
        self.inner.clear_contributions(uri.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_feature_is_an_error_response() {
        assert_eq!(guarded("hover", || 3).unwrap(), 3);
        let err = guarded("hover", || -> u32 { panic!("feature handler failed") }).unwrap_err();
        assert_eq!(err.code, ErrorCode::InternalError);
        assert!(err.message.contains("hover failed"), "{}", err.message);
        assert!(
            err.message.contains("feature handler failed"),
            "{}",
            err.message
        );
    }

    #[test]
    fn advertised_capabilities() {
        let caps = serde_json::to_value(capabilities(Encoding::Utf8, false)).unwrap();
        assert!(caps.get("diagnosticProvider").is_none(), "{caps}");
        assert_eq!(caps["positionEncoding"], "utf-8");
        assert_eq!(caps["textDocumentSync"]["change"], 2);
        assert_eq!(
            caps["codeActionProvider"]["codeActionKinds"],
            serde_json::json!(["quickfix", "source.fixAll.dockside"])
        );
        assert_eq!(
            caps["completionProvider"]["triggerCharacters"],
            serde_json::json!(["-", "=", "$", "{", " "])
        );
        assert_eq!(caps["renameProvider"]["prepareProvider"], true);
        let caps = serde_json::to_value(capabilities(Encoding::Utf16, true)).unwrap();
        assert_eq!(caps["positionEncoding"], "utf-16");
        assert_eq!(caps["diagnosticProvider"]["identifier"], "dockside");
    }

    #[test]
    fn pull_diagnostics_are_advertised_only_to_clients_without_push() {
        let client = |text: serde_json::Value| -> lsp::ClientCapabilities {
            serde_json::from_value(serde_json::json!({ "textDocument": text })).unwrap()
        };
        assert!(pull_only(&client(serde_json::json!({ "diagnostic": {} }))));
        assert!(!pull_only(&client(
            serde_json::json!({ "diagnostic": {}, "publishDiagnostics": {} })
        )));
        assert!(!pull_only(&client(
            serde_json::json!({ "publishDiagnostics": {} })
        )));
    }
}
