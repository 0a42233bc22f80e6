//! Editor features over the dockside core: hover, completion, navigation,
//! folding and code actions. Everything works on byte ranges of one
//! [`Analysis`]; the language server converts positions and encodings and
//! speaks the protocol, nothing more.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dockside_linter::{Config, Edit, LintOptions, LintResult, lint_parsed};
use dockside_semantic::Model;
use dockside_syntax::{Dockerfile, LineIndex, TextRange};

pub mod actions;
pub mod completion;
pub mod compose;
pub mod docs;
pub mod hover;
pub mod navigation;

pub use actions::{ActionKind, CodeAction, code_actions, fix_all};
pub use completion::{CompletionItem, CompletionKind, completions};
pub use compose::{ComposeAnalysis, dockerfile_build_options, load_options_for};
pub use hover::{Hover, hover};
pub use navigation::{
    FoldingKind, FoldingRange, Highlight, HighlightKind, Symbol, SymbolKind, definition,
    document_symbols, folding_ranges, highlights, prepare_rename, references, rename,
};

/// One document analysed: its text, syntax tree, semantic model and findings.
pub struct Analysis {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub line_index: LineIndex,
    pub dockerfile: Dockerfile,
    pub model: Model,
    pub lint: LintResult,
    pub config: Config,
    pub options: LintOptions,
}

impl Analysis {
    pub fn new(path: &Path, text: &str, config: Config, options: LintOptions) -> Analysis {
        let dockerfile = dockside_syntax::parse(text);
        let model = dockside_linter::build_model(&dockerfile, &options.build_args, &config);
        let lint = lint_parsed(path, text, &dockerfile, &model, &config, &options);
        Analysis {
            path: path.to_path_buf(),
            text: Arc::from(text),
            line_index: LineIndex::new(text),
            dockerfile,
            model,
            lint,
            config,
            options,
        }
    }

    /// The instruction whose range contains `offset` (its index).
    pub fn instruction_at(&self, offset: usize) -> Option<usize> {
        self.dockerfile
            .instructions
            .iter()
            .position(|i| (i.range.start as usize) <= offset && offset <= i.range.end as usize)
    }
}

/// An edit to the analysed document.
pub type TextEdit = Edit;

/// A range in the analysed document and what is at it.
pub type Range = TextRange;
