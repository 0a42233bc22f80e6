//! What rules produce: diagnostics with ranges, related locations and fixes.

use std::path::PathBuf;
use std::sync::Arc;

use dockside_syntax::{LineIndex, Position, TextRange};

pub use dockside_config::Severity;

use crate::rule::RuleMeta;

/// Index into [`crate::LintResult::files`]; `FileId::MAIN` is the linted file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

impl FileId {
    pub const MAIN: FileId = FileId(0);
}

/// A file diagnostics can point into: the linted file, or one it depends on
/// (an entrypoint script, a supervisord.conf, a .dockerignore).
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub line_index: Arc<LineIndex>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: impl Into<Arc<str>>) -> Self {
        let text = text.into();
        let line_index = Arc::new(LineIndex::new(&text));
        SourceFile {
            path,
            text,
            line_index,
        }
    }

    /// With the line index its parser already built.
    pub fn with_line_index(
        path: PathBuf,
        text: impl Into<Arc<str>>,
        line_index: Arc<LineIndex>,
    ) -> Self {
        SourceFile {
            path,
            text: text.into(),
            line_index,
        }
    }

    pub fn position(&self, offset: u32) -> Position {
        self.line_index.position(&self.text, offset as usize)
    }
}

/// Whether a fix can be applied without review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning of the Dockerfile; applied by `--fix`.
    Safe,
    /// May change behaviour; applied only with `--unsafe-fixes`.
    Unsafe,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Edit {
    #[serde(skip)]
    pub range: TextRange,
    pub content: String,
}

impl Edit {
    pub fn replace(range: TextRange, content: impl Into<String>) -> Self {
        Edit {
            range,
            content: content.into(),
        }
    }
    pub fn insert(at: usize, content: impl Into<String>) -> Self {
        Edit {
            range: TextRange::empty(at),
            content: content.into(),
        }
    }
    pub fn delete(range: TextRange) -> Self {
        Edit {
            range,
            content: String::new(),
        }
    }
}

/// Edits to one file (the file the diagnostic is reported in).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            title: title.into(),
            applicability: Applicability::Safe,
            edits,
        }
    }
    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            title: title.into(),
            applicability: Applicability::Unsafe,
            edits,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub range: TextRange,
    pub message: String,
}

/// Extra meaning an editor can render (strike-through, faded text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    Deprecated,
    Unnecessary,
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub file: FileId,
    pub range: TextRange,
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
    pub tags: Vec<Tag>,
}

/// What a rule reports; the checker stamps the rule and its severity on it.
#[derive(Clone, Debug)]
pub struct Finding {
    pub message: String,
    pub file: FileId,
    pub range: TextRange,
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
    pub tags: Vec<Tag>,
    /// Overrides the rule's severity for this finding (e.g. keep-alive commands are info).
    pub severity: Option<Severity>,
}

impl Finding {
    pub fn new(range: TextRange, message: impl Into<String>) -> Self {
        Finding {
            message: message.into(),
            file: FileId::MAIN,
            range,
            related: Vec::new(),
            fix: None,
            tags: Vec::new(),
            severity: None,
        }
    }
    pub fn in_file(mut self, file: FileId) -> Self {
        self.file = file;
        self
    }
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
    pub fn with_related(
        mut self,
        file: FileId,
        range: TextRange,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            file,
            range,
            message: message.into(),
        });
        self
    }
    pub fn with_tag(mut self, tag: Tag) -> Self {
        self.tags.push(tag);
        self
    }
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
}
