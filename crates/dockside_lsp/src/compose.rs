//! Compose documents: editor features of `dockside_ide::compose` mapped to the protocol.

use std::collections::HashMap;
use std::path::Path;

use dockside_ide::compose::{self, ComposeSymbol, ComposeSymbolKind, Target};
use dockside_ide::{self as ide, ComposeAnalysis};
use dockside_syntax::LineIndex;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::convert::{self, FIX_ALL_KIND, SymbolBudget};
use crate::position::{Encoding, Lines};

/// The location of a definition target, in the document or another file.
pub fn location(
    analysis: &ComposeAnalysis,
    uri: &Uri,
    found: &Target,
    encoding: Encoding,
) -> Option<lsp::Location> {
    let target_uri = if found.path == analysis.path {
        uri.clone()
    } else {
        convert::path_to_uri(&found.path)?
    };
    let range = match analysis.text_of(&found.path) {
        Some(text) => {
            let index = LineIndex::new(&text);
            let end = (found.range.end as usize).min(text.len());
            let start = (found.range.start as usize).min(end);
            Lines::new(&text, &index, encoding).range(dockside_syntax::TextRange::new(start, end))
        }
        None => lsp::Range::default(),
    };
    Some(lsp::Location {
        uri: target_uri,
        range,
    })
}

/// Quick fixes for `range` and fix-all, filtered by the client's `only`.
pub fn code_actions(
    analysis: &ComposeAnalysis,
    uri: &Uri,
    range: lsp::Range,
    only: Option<&[lsp::CodeActionKind]>,
    encoding: Encoding,
) -> Vec<lsp::CodeActionOrCommand> {
    let lines = Lines::new(&analysis.text, &analysis.line_index, encoding);
    let mut out = Vec::new();
    if convert::kind_requested(only, &lsp::CodeActionKind::QUICKFIX) {
        for action in compose::code_actions(analysis, lines.text_range(range)) {
            out.push(lsp::CodeActionOrCommand::CodeAction(code_action(
                &action, analysis, uri, encoding,
            )));
        }
    }
    if convert::kind_requested(only, &FIX_ALL_KIND)
        && let Some(edits) = compose::fix_all(analysis)
    {
        let fix_all = ide::CodeAction {
            title: "Fix all auto-fixable dockside problems".to_string(),
            kind: ide::ActionKind::FixAll,
            edits,
            diagnostics: Vec::new(),
            preferred: false,
        };
        out.push(lsp::CodeActionOrCommand::CodeAction(code_action(
            &fix_all, analysis, uri, encoding,
        )));
    }
    out
}

fn code_action(
    action: &ide::CodeAction,
    analysis: &ComposeAnalysis,
    uri: &Uri,
    encoding: Encoding,
) -> lsp::CodeAction {
    let lines = Lines::new(&analysis.text, &analysis.line_index, encoding);
    let diagnostics: Vec<_> = action
        .diagnostics
        .iter()
        .filter_map(|&i| analysis.lint.diagnostics.get(i))
        .filter_map(|d| {
            convert::diagnostic_in(&analysis.lint, d, analysis.main_file(), uri, encoding)
        })
        .collect();
    lsp::CodeAction {
        title: action.title.clone(),
        kind: Some(match action.kind {
            ide::ActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
            ide::ActionKind::FixAll => FIX_ALL_KIND,
        }),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(HashMap::from([(
                uri.clone(),
                convert::text_edits(&action.edits, lines),
            )])),
            ..Default::default()
        }),
        is_preferred: action.preferred.then_some(true),
        ..Default::default()
    }
}

fn symbol_kind(kind: ComposeSymbolKind) -> lsp::SymbolKind {
    match kind {
        ComposeSymbolKind::Section => lsp::SymbolKind::NAMESPACE,
        ComposeSymbolKind::Service => lsp::SymbolKind::CLASS,
        ComposeSymbolKind::Network => lsp::SymbolKind::INTERFACE,
        ComposeSymbolKind::Volume => lsp::SymbolKind::STRUCT,
        ComposeSymbolKind::Secret => lsp::SymbolKind::KEY,
        ComposeSymbolKind::Config => lsp::SymbolKind::OBJECT,
        ComposeSymbolKind::Model => lsp::SymbolKind::MODULE,
        ComposeSymbolKind::Key => lsp::SymbolKind::PROPERTY,
    }
}

fn symbol_name(name: &str) -> String {
    if name.is_empty() {
        "?".to_string()
    } else {
        name.to_string()
    }
}

fn descendants(s: &ComposeSymbol) -> usize {
    s.children.iter().map(|c| 1 + descendants(c)).sum()
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
pub fn document_symbol(
    s: &ComposeSymbol,
    lines: Lines<'_>,
    budget: &mut SymbolBudget,
) -> Option<lsp::DocumentSymbol> {
    if !budget.take(|| descendants(s)) {
        return None;
    }
    let range = lines.range(s.range);
    let selection_range = if s.range.contains_range(s.selection_range) {
        lines.range(s.selection_range)
    } else {
        range
    };
    let children: Vec<_> = s
        .children
        .iter()
        .filter_map(|c| document_symbol(c, lines, budget))
        .collect();
    Some(lsp::DocumentSymbol {
        name: symbol_name(&s.name),
        detail: s.detail.clone(),
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children: (!children.is_empty()).then_some(children),
    })
}

#[allow(deprecated)]
pub fn flat_symbols(
    symbols: &[ComposeSymbol],
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
            name: symbol_name(&s.name),
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

/// Whether a file that is not open would be analysed as a Compose file.
pub fn is_compose_path(path: &Path) -> bool {
    compose::is_compose_file_name(path)
}
