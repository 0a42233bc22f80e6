//! Mapping dockside values to LSP values. Pure functions: no state, no I/O.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use dockside_ide as ide;
use dockside_linter::{Diagnostic, FileId, LintResult, Severity, Tag};
use serde_json::json;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::position::{Encoding, Lines};

pub const SOURCE: &str = "dockside";
pub const RULE_DOCS: &str = "https://github.com/dockside/dockside/blob/main/rules/";
pub const FIX_ALL_KIND: lsp::CodeActionKind = lsp::CodeActionKind::new("source.fixAll.dockside");

/// The `file://` URI of a path (made absolute against the current folder).
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    Uri::from_file_path(&abs)
}

/// The file path of a `file:` URI.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

/// A path to analyse a document under: its file path, or for other schemes
/// (`untitled:`) a made-up name in the current folder.
pub fn document_path(uri: &Uri) -> PathBuf {
    if let Some(path) = uri_to_path(uri) {
        return path;
    }
    let raw = uri.path().as_str();
    let name = raw
        .rsplit('/')
        .find(|s| !s.is_empty())
        .unwrap_or("Dockerfile");
    std::env::current_dir().unwrap_or_default().join(name)
}

pub fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Style => lsp::DiagnosticSeverity::HINT,
    }
}

fn lines_of(result: &LintResult, file: FileId, encoding: Encoding) -> Option<Lines<'_>> {
    let f = result.files.get(file.0 as usize)?;
    Some(Lines::new(&f.text, &f.line_index, encoding))
}

fn file_uri(
    result: &LintResult,
    file: FileId,
    main: Option<FileId>,
    main_uri: &Uri,
) -> Option<Uri> {
    if Some(file) == main {
        return Some(main_uri.clone());
    }
    path_to_uri(&result.files.get(file.0 as usize)?.path)
}

/// One dockside diagnostic as an LSP diagnostic (positions in its own file).
pub fn diagnostic(
    result: &LintResult,
    d: &Diagnostic,
    main_uri: &Uri,
    encoding: Encoding,
) -> Option<lsp::Diagnostic> {
    diagnostic_in(result, d, Some(FileId::MAIN), main_uri, encoding)
}

/// [`diagnostic`] where the document at `main_uri` is file `main` of the result.
pub fn diagnostic_in(
    result: &LintResult,
    d: &Diagnostic,
    main: Option<FileId>,
    main_uri: &Uri,
    encoding: Encoding,
) -> Option<lsp::Diagnostic> {
    let lines = lines_of(result, d.file, encoding)?;
    let related: Vec<_> = d
        .related
        .iter()
        .filter_map(|r| {
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location {
                    uri: file_uri(result, r.file, main, main_uri)?,
                    range: lines_of(result, r.file, encoding)?.range(r.range),
                },
                message: r.message.clone(),
            })
        })
        .collect();
    let tags: Vec<_> = d
        .tags
        .iter()
        .map(|t| match t {
            Tag::Deprecated => lsp::DiagnosticTag::DEPRECATED,
            Tag::Unnecessary => lsp::DiagnosticTag::UNNECESSARY,
        })
        .collect();
    Some(lsp::Diagnostic {
        range: lines.range(d.range),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.rule.name.to_string())),
        code_description: Uri::from_str(&format!("{RULE_DOCS}{}.md", d.rule.name))
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: (!tags.is_empty()).then_some(tags),
        data: Some(json!({ "code": d.rule.code })),
    })
}

/// Diagnostics of a lint, grouped: those of the linted file, and those of
/// other files by URI.
#[derive(Default, Debug)]
pub struct Grouped {
    pub main: Vec<lsp::Diagnostic>,
    pub others: HashMap<Uri, Vec<lsp::Diagnostic>>,
}

pub fn group_diagnostics(result: &LintResult, main_uri: &Uri, encoding: Encoding) -> Grouped {
    group_diagnostics_in(result, Some(FileId::MAIN), main_uri, encoding)
}

/// Diagnostics of a Compose document's project: those of the document, and those of the
/// other files (the base or override file, `.env`, a Dockerfile) by URI.
pub fn group_compose_diagnostics(
    analysis: &ide::ComposeAnalysis,
    main_uri: &Uri,
    encoding: Encoding,
) -> Grouped {
    group_diagnostics_in(&analysis.lint, analysis.main_file(), main_uri, encoding)
}

/// At most this many diagnostics are published for one file. `dockside check`
/// lists them all; an editor gains nothing from more, and converting and
/// sending hundreds of thousands would take seconds and hundreds of megabytes.
pub const MAX_DIAGNOSTICS: usize = 1_000;

fn severity_rank(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
        Severity::Style => 3,
    }
}

/// The indices of `result.diagnostics` to publish, in their order: all of them
/// for files with at most [`MAX_DIAGNOSTICS`], else the most severe ones
/// (the first in the file among equals). For each file cut, the omitted
/// count and the first omitted diagnostic in the file.
fn select_diagnostics(result: &LintResult) -> (Vec<usize>, Vec<(FileId, usize, usize)>) {
    let mut by_file: HashMap<FileId, Vec<usize>> = HashMap::new();
    for (i, d) in result.diagnostics.iter().enumerate() {
        by_file.entry(d.file).or_default().push(i);
    }
    if by_file.values().all(|v| v.len() <= MAX_DIAGNOSTICS) {
        return ((0..result.diagnostics.len()).collect(), Vec::new());
    }
    let mut keep = Vec::with_capacity(result.diagnostics.len().min(MAX_DIAGNOSTICS * 4));
    let mut cuts = Vec::new();
    for (file, mut indices) in by_file {
        if indices.len() > MAX_DIAGNOSTICS {
            let key = |&i: &usize| {
                let d = &result.diagnostics[i];
                (severity_rank(d.severity), d.range.start, i)
            };
            indices.select_nth_unstable_by_key(MAX_DIAGNOSTICS, key);
            let first_omitted = indices[MAX_DIAGNOSTICS..]
                .iter()
                .copied()
                .min_by_key(|&i| (result.diagnostics[i].range.start, i))
                .unwrap_or(indices[MAX_DIAGNOSTICS]);
            cuts.push((file, indices.len() - MAX_DIAGNOSTICS, first_omitted));
            indices.truncate(MAX_DIAGNOSTICS);
        }
        keep.extend(indices);
    }
    keep.sort_unstable();
    (keep, cuts)
}

/// The diagnostic closing a file's list when [`MAX_DIAGNOSTICS`] cut it: how
/// many were left out, at the first of them.
fn omitted_diagnostic(
    result: &LintResult,
    omitted: usize,
    first: &Diagnostic,
    encoding: Encoding,
) -> Option<lsp::Diagnostic> {
    let lines = lines_of(result, first.file, encoding)?;
    let at = lines.range(first.range).start;
    Some(lsp::Diagnostic {
        range: lsp::Range { start: at, end: at },
        severity: Some(lsp::DiagnosticSeverity::INFORMATION),
        source: Some(SOURCE.to_string()),
        message: format!(
            "{omitted} more problems in this file are not shown (at most {MAX_DIAGNOSTICS} per \
             file, the most severe first); `dockside check` lists them all"
        ),
        ..Default::default()
    })
}

fn group_diagnostics_in(
    result: &LintResult,
    main: Option<FileId>,
    main_uri: &Uri,
    encoding: Encoding,
) -> Grouped {
    let mut grouped = Grouped::default();
    let (keep, cuts) = select_diagnostics(result);
    let mut push = |file: FileId, lsp_d: lsp::Diagnostic| {
        if Some(file) == main {
            grouped.main.push(lsp_d);
        } else if let Some(uri) = file_uri(result, file, main, main_uri) {
            grouped.others.entry(uri).or_default().push(lsp_d);
        }
    };
    for i in keep {
        let d = &result.diagnostics[i];
        if let Some(lsp_d) = diagnostic_in(result, d, main, main_uri, encoding) {
            push(d.file, lsp_d);
        }
    }
    for (file, omitted, first) in cuts {
        let first = &result.diagnostics[first];
        if let Some(lsp_d) = omitted_diagnostic(result, omitted, first, encoding) {
            push(file, lsp_d);
        }
    }
    grouped
}

/// An error in a configuration file as a diagnostic at its location.
pub fn config_error(
    error: &dockside_linter::ConfigError,
    text: Option<&str>,
    encoding: Encoding,
) -> lsp::Diagnostic {
    let range = match (text, &error.range) {
        (Some(text), Some(r)) => {
            let index = dockside_syntax::LineIndex::new(text);
            let lines = Lines::new(text, &index, encoding);
            let start = r.start.min(text.len());
            let end = r.end.clamp(start, text.len());
            lines.range(dockside_syntax::TextRange::new(start, end))
        }
        _ => {
            let line = error.line.unwrap_or(1).saturating_sub(1) as u32;
            let col = error.column.unwrap_or(1).saturating_sub(1) as u32;
            let at = lsp::Position {
                line,
                character: col,
            };
            lsp::Range { start: at, end: at }
        }
    };
    lsp::Diagnostic {
        range,
        severity: Some(lsp::DiagnosticSeverity::ERROR),
        source: Some(SOURCE.to_string()),
        message: error.message.clone(),
        ..Default::default()
    }
}

pub fn text_edits(edits: &[ide::TextEdit], lines: Lines<'_>) -> Vec<lsp::TextEdit> {
    edits
        .iter()
        .map(|e| lsp::TextEdit {
            range: lines.range(e.range),
            new_text: e.content.clone(),
        })
        .collect()
}

pub fn workspace_edit(uri: &Uri, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    lsp::WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

/// Does an action of kind `kind` pass the client's `only` filter?
pub fn kind_requested(only: Option<&[lsp::CodeActionKind]>, kind: &lsp::CodeActionKind) -> bool {
    match only {
        None => true,
        Some(only) => only.iter().any(|want| {
            let want = want.as_str();
            let kind = kind.as_str();
            kind == want
                || kind
                    .strip_prefix(want)
                    .is_some_and(|rest| rest.starts_with('.'))
        }),
    }
}

pub fn code_action(
    action: &ide::CodeAction,
    analysis: &ide::Analysis,
    uri: &Uri,
    encoding: Encoding,
) -> lsp::CodeAction {
    let lines = Lines::new(&analysis.text, &analysis.line_index, encoding);
    let diagnostics: Vec<_> = action
        .diagnostics
        .iter()
        .filter_map(|&i| analysis.lint.diagnostics.get(i))
        .filter_map(|d| diagnostic(&analysis.lint, d, uri, encoding))
        .collect();
    lsp::CodeAction {
        title: action.title.clone(),
        kind: Some(match action.kind {
            ide::ActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
            ide::ActionKind::FixAll => FIX_ALL_KIND,
        }),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit: Some(workspace_edit(uri, text_edits(&action.edits, lines))),
        is_preferred: action.preferred.then_some(true),
        ..Default::default()
    }
}

pub fn completion_item(item: &ide::CompletionItem, lines: Lines<'_>) -> lsp::CompletionItem {
    let kind = match item.kind {
        ide::CompletionKind::Keyword => lsp::CompletionItemKind::KEYWORD,
        ide::CompletionKind::Flag => lsp::CompletionItemKind::PROPERTY,
        ide::CompletionKind::Value => lsp::CompletionItemKind::VALUE,
        ide::CompletionKind::Stage => lsp::CompletionItemKind::REFERENCE,
        ide::CompletionKind::Variable => lsp::CompletionItemKind::VARIABLE,
        ide::CompletionKind::Directive => lsp::CompletionItemKind::KEYWORD,
    };
    let new_text = item
        .insert_text
        .clone()
        .unwrap_or_else(|| item.label.clone());
    lsp::CompletionItem {
        label: item.label.clone(),
        kind: Some(kind),
        detail: item.detail.clone(),
        documentation: item.documentation.as_ref().map(|md| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: md.clone(),
            })
        }),
        insert_text_format: Some(if item.is_snippet {
            lsp::InsertTextFormat::SNIPPET
        } else {
            lsp::InsertTextFormat::PLAIN_TEXT
        }),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range: lines.range(item.replace),
            new_text,
        })),
        ..Default::default()
    }
}

pub fn hover(h: &ide::Hover, lines: Lines<'_>) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: h.markdown.clone(),
        }),
        range: Some(lines.range(h.range)),
    }
}

fn symbol_kind(kind: ide::SymbolKind) -> lsp::SymbolKind {
    match kind {
        ide::SymbolKind::Stage => lsp::SymbolKind::MODULE,
        ide::SymbolKind::Instruction => lsp::SymbolKind::FUNCTION,
        ide::SymbolKind::Variable => lsp::SymbolKind::VARIABLE,
    }
}

/// At most this many document symbols (children included) and folding ranges are sent
/// for one document: an outline of more is of no use, and the response for a
/// 200,000-line file would take seconds and hundreds of megabytes to serialize.
pub const MAX_OUTLINE_ITEMS: usize = 5_000;

/// How many more symbols a response may carry, and how many were left out.
#[derive(Debug)]
pub struct SymbolBudget {
    left: usize,
    pub omitted: usize,
}

impl SymbolBudget {
    pub fn new(max: usize) -> SymbolBudget {
        SymbolBudget {
            left: max,
            omitted: 0,
        }
    }

    /// Takes one symbol from the budget; when it is spent, counts the symbol
    /// and its `descendants` as omitted.
    pub fn take(&mut self, descendants: impl FnOnce() -> usize) -> bool {
        if self.left == 0 {
            self.omitted += 1 + descendants();
            return false;
        }
        self.left -= 1;
        true
    }
}

fn descendants(s: &ide::Symbol) -> usize {
    s.children.iter().map(|c| 1 + descendants(c)).sum()
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
pub fn document_symbol(
    s: &ide::Symbol,
    lines: Lines<'_>,
    budget: &mut SymbolBudget,
) -> Option<lsp::DocumentSymbol> {
    if !budget.take(|| descendants(s)) {
        return None;
    }
    let range = lines.range(s.range);
    let mut selection_range = lines.range(s.selection_range);
    // The selection must lie inside the range.
    if !s.range.contains_range(s.selection_range) {
        selection_range = range;
    }
    let children: Vec<_> = s
        .children
        .iter()
        .filter_map(|c| document_symbol(c, lines, budget))
        .collect();
    Some(lsp::DocumentSymbol {
        name: if s.name.is_empty() {
            "?".to_string()
        } else {
            s.name.clone()
        },
        detail: s.detail.clone(),
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children: (!children.is_empty()).then_some(children),
    })
}

/// Flat symbols, for clients without hierarchical support.
#[allow(deprecated)]
pub fn flat_symbols(
    symbols: &[ide::Symbol],
    lines: Lines<'_>,
    uri: &Uri,
    container: Option<&str>,
    budget: &mut SymbolBudget,
    out: &mut Vec<lsp::SymbolInformation>,
) {
    for s in symbols {
        if !budget.take(|| descendants(s)) {
            continue;
        }
        out.push(lsp::SymbolInformation {
            name: if s.name.is_empty() {
                "?".to_string()
            } else {
                s.name.clone()
            },
            kind: symbol_kind(s.kind),
            tags: None,
            deprecated: None,
            location: lsp::Location {
                uri: uri.clone(),
                range: lines.range(s.range),
            },
            container_name: container.map(str::to_string),
        });
        flat_symbols(&s.children, lines, uri, Some(&s.name), budget, out);
    }
}

/// Says in the client's log that an outline was cut to `limit` items.
pub fn outline_cut_message(what: &str, omitted: usize, limit: usize, uri: &Uri) -> String {
    format!(
        "dockside: {omitted} {what} of {} not sent (at most {limit} per document)",
        uri.as_str()
    )
}

pub fn folding_range(f: &ide::FoldingRange) -> lsp::FoldingRange {
    lsp::FoldingRange {
        start_line: f.start_line,
        end_line: f.end_line.max(f.start_line),
        kind: Some(match f.kind {
            ide::FoldingKind::Region => lsp::FoldingRangeKind::Region,
            ide::FoldingKind::Comment => lsp::FoldingRangeKind::Comment,
        }),
        ..Default::default()
    }
}

pub fn highlight(h: &ide::Highlight, lines: Lines<'_>) -> lsp::DocumentHighlight {
    lsp::DocumentHighlight {
        range: lines.range(h.range),
        kind: Some(match h.kind {
            ide::HighlightKind::Read => lsp::DocumentHighlightKind::READ,
            ide::HighlightKind::Write => lsp::DocumentHighlightKind::WRITE,
            ide::HighlightKind::Text => lsp::DocumentHighlightKind::TEXT,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dockside_linter::{Config, LintOptions};

    fn lint(dir: &Path, text: &str) -> (LintResult, Uri) {
        let path = dir.join("Dockerfile");
        std::fs::write(&path, text).unwrap();
        let config = Config::default_for(dir.to_path_buf());
        let result =
            dockside_linter::lint_dockerfile(&path, text, &config, &LintOptions::default());
        (result, path_to_uri(&path).unwrap())
    }

    #[test]
    fn severities() {
        assert_eq!(severity(Severity::Error), lsp::DiagnosticSeverity::ERROR);
        assert_eq!(
            severity(Severity::Warning),
            lsp::DiagnosticSeverity::WARNING
        );
        assert_eq!(
            severity(Severity::Info),
            lsp::DiagnosticSeverity::INFORMATION
        );
        assert_eq!(severity(Severity::Style), lsp::DiagnosticSeverity::HINT);
    }

    #[test]
    fn maps_a_lint_diagnostic() {
        let dir = tempfile::tempdir().unwrap();
        // Line 2 starts with non-ASCII text before the problem.
        let text = "FROM ubuntu:latest\nRUN echo \"😀\" && apt-get install curl\nRUN echo hi\n";
        let (result, uri) = lint(dir.path(), text);
        assert!(!result.diagnostics.is_empty());
        let grouped = group_diagnostics(&result, &uri, Encoding::Utf16);
        assert_eq!(
            grouped.main.len(),
            result
                .diagnostics
                .iter()
                .filter(|d| d.file == FileId::MAIN)
                .count()
        );
        for (d, l) in result.diagnostics.iter().zip(&grouped.main) {
            assert_eq!(
                l.code,
                Some(lsp::NumberOrString::String(d.rule.name.to_string()))
            );
            assert_eq!(l.source.as_deref(), Some("dockside"));
            assert_eq!(l.data, Some(json!({"code": d.rule.code})));
            assert_eq!(
                l.code_description.as_ref().unwrap().href.as_str(),
                format!(
                    "https://github.com/dockside/dockside/blob/main/rules/{}.md",
                    d.rule.name
                )
            );
            assert_eq!(l.severity, Some(severity(d.severity)));
            assert_eq!(l.message, d.message);
            let p = result.main().position(d.range.start);
            assert_eq!(
                (l.range.start.line, l.range.start.character),
                (p.line, p.utf16_col)
            );
            let utf8 = diagnostic(&result, d, &uri, Encoding::Utf8).unwrap();
            assert_eq!(utf8.range.start.character, p.utf8_col);
        }
    }

    #[test]
    fn maps_tags_related_and_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let (mut result, uri) = lint(dir.path(), "FROM alpine\nRUN true\n");
        let script = dir.path().join("entry.sh");
        result.files.push(dockside_linter::SourceFile::new(
            script.clone(),
            "#!/bin/sh\nexec x\n",
        ));
        let rule = dockside_linter::all_rules()[0].meta();
        result.diagnostics = vec![Diagnostic {
            rule,
            severity: Severity::Style,
            message: "m".into(),
            file: FileId(1),
            range: dockside_syntax::TextRange::new(10, 14),
            related: vec![dockside_linter::Related {
                file: FileId::MAIN,
                range: dockside_syntax::TextRange::new(12, 20),
                message: "here".into(),
            }],
            fix: None,
            tags: vec![Tag::Deprecated, Tag::Unnecessary],
        }];
        let grouped = group_diagnostics(&result, &uri, Encoding::Utf16);
        assert!(grouped.main.is_empty());
        let script_uri = path_to_uri(&script).unwrap();
        let d = &grouped.others[&script_uri][0];
        assert_eq!(
            d.range.start,
            lsp::Position {
                line: 1,
                character: 0
            }
        );
        assert_eq!(d.severity, Some(lsp::DiagnosticSeverity::HINT));
        assert_eq!(
            d.tags,
            Some(vec![
                lsp::DiagnosticTag::DEPRECATED,
                lsp::DiagnosticTag::UNNECESSARY
            ])
        );
        let rel = &d.related_information.as_ref().unwrap()[0];
        assert_eq!(rel.location.uri, uri);
        assert_eq!(
            rel.location.range.start,
            lsp::Position {
                line: 1,
                character: 0
            }
        );
        assert_eq!(rel.message, "here");
    }

    #[test]
    fn config_error_location() {
        let text = "select = [\"x\"]\nignore = 3\n";
        let err = dockside_linter::ConfigError::at(
            Path::new("/p/.dockside.toml"),
            text,
            Some(24..25),
            "bad",
        );
        let d = config_error(&err, Some(text), Encoding::Utf16);
        assert_eq!(
            d.range.start,
            lsp::Position {
                line: 1,
                character: 9
            }
        );
        assert_eq!(
            d.range.end,
            lsp::Position {
                line: 1,
                character: 10
            }
        );
        let d = config_error(&err, None, Encoding::Utf16);
        assert_eq!(
            d.range.start,
            lsp::Position {
                line: 1,
                character: 9
            }
        );
        assert_eq!(d.severity, Some(lsp::DiagnosticSeverity::ERROR));
    }

    #[test]
    fn kind_filter() {
        let fix_all = FIX_ALL_KIND;
        assert!(kind_requested(None, &fix_all));
        assert!(kind_requested(
            Some(&[lsp::CodeActionKind::SOURCE_FIX_ALL]),
            &fix_all
        ));
        assert!(kind_requested(
            Some(&[lsp::CodeActionKind::SOURCE]),
            &fix_all
        ));
        assert!(!kind_requested(
            Some(&[lsp::CodeActionKind::QUICKFIX]),
            &fix_all
        ));
        assert!(!kind_requested(
            Some(&[lsp::CodeActionKind::new("source.fix")]),
            &fix_all
        ));
        assert!(kind_requested(
            Some(&[lsp::CodeActionKind::QUICKFIX]),
            &lsp::CodeActionKind::QUICKFIX
        ));
    }

    #[test]
    fn uris() {
        let uri = path_to_uri(Path::new("/tmp/a b/Dockerfile")).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/Dockerfile");
        assert_eq!(
            uri_to_path(&uri).unwrap(),
            PathBuf::from("/tmp/a b/Dockerfile")
        );
        let untitled = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(uri_to_path(&untitled), None);
        assert!(document_path(&untitled).ends_with("Untitled-1"));
    }
}
