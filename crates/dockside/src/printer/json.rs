//! The `json` format: a single JSON array on stdout, nothing else.
//!
//! The schema is stable; fields may be added but not renamed or removed.
//! Elements are sorted by path, then position.
//!
//! ```json
//! [
//!   {
//!     "path": "app/Dockerfile",
//!     "code": "DF001",
//!     "rule": "syntax-error",
//!     "severity": "error",
//!     "message": "unknown instruction `RUNN`",
//!     "range": {"start": {"line": 2, "column": 1}, "end": {"line": 2, "column": 5}},
//!     "fix": null,
//!     "related": [
//!       {"path": "app/entrypoint.sh", "range": {"start": {…}, "end": {…}}, "message": "…"}
//!     ]
//!   }
//! ]
//! ```
//!
//! - `path`: the file the diagnostic points into, as given on the command line
//!   or found by walking (relative if the input was relative; the
//!   `--stdin-filename`, or `-`, for stdin). It can be another file than the
//!   linted Dockerfile, e.g. an entrypoint script.
//! - `severity`: `"error"`, `"warning"`, `"info"` or `"style"` (after configuration overrides).
//! - `range`: `line` is 1-based, `column` is 1-based and counted in Unicode
//!   characters (scalar values); `end` is exclusive.
//! - `fix`: `null`, or `{"applicability": "safe" | "unsafe", "title": "…",
//!   "edits": [{"range": {…}, "content": "…"}]}` with edit ranges in the same
//!   file as the diagnostic (`--fix` applies safe fixes, `--unsafe-fixes` both).
//! - `related`: other locations that explain the diagnostic, each with its own `path`.

use std::io::{self, Write};

use dockside_linter::{Applicability, Severity, SourceFile};
use dockside_syntax::TextRange;
use serde::Serialize;

use rayon::prelude::*;

use super::{Item, Printer, Report, items, json_error, line_column};

pub struct JsonPrinter;

impl Printer for JsonPrinter {
    fn print(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let items: Vec<Item> = items(report).collect();
        if items.is_empty() {
            return writeln!(out, "[]");
        }
        // Each element is serialized on its own (in parallel: the output of a large run is
        // megabytes), then indented as `serde_json::to_writer_pretty` would nest it.
        let elements: Vec<serde_json::Result<String>> = items
            .par_iter()
            .map(|item| {
                let mut text = String::from("  ");
                let pretty = serde_json::to_string_pretty(&JsonDiagnostic::new(item))?;
                // JSON strings escape newlines, so every newline here is between tokens.
                text.push_str(&pretty.replace('\n', "\n  "));
                Ok(text)
            })
            .collect();
        out.write_all(b"[\n")?;
        for (i, element) in elements.into_iter().enumerate() {
            if i > 0 {
                out.write_all(b",\n")?;
            }
            out.write_all(element.map_err(json_error)?.as_bytes())?;
        }
        out.write_all(b"\n]\n")
    }
}

impl<'a> JsonDiagnostic<'a> {
    fn new(item: &Item<'a>) -> JsonDiagnostic<'a> {
        let d = item.diagnostic;
        let file = item.file();
        JsonDiagnostic {
            path: file.path.display().to_string(),
            code: d.rule.code,
            rule: d.rule.name,
            severity: d.severity,
            message: &d.message,
            range: JsonRange::new(file, d.range),
            fix: d.fix.as_ref().map(|fix| JsonFix {
                applicability: fix.applicability,
                title: &fix.title,
                edits: fix
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        range: JsonRange::new(file, e.range),
                        content: &e.content,
                    })
                    .collect(),
            }),
            related: d
                .related
                .iter()
                .map(|r| {
                    let file = item.report.result.file(r.file);
                    JsonRelated {
                        path: file.path.display().to_string(),
                        range: JsonRange::new(file, r.range),
                        message: &r.message,
                    }
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub path: String,
    pub code: &'a str,
    pub rule: &'a str,
    pub severity: Severity,
    pub message: &'a str,
    pub range: JsonRange,
    pub fix: Option<JsonFix<'a>>,
    pub related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
pub struct JsonFix<'a> {
    pub applicability: Applicability,
    pub title: &'a str,
    pub edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
pub struct JsonEdit<'a> {
    pub range: JsonRange,
    pub content: &'a str,
}

#[derive(Serialize)]
pub struct JsonRelated<'a> {
    pub path: String,
    pub range: JsonRange,
    pub message: &'a str,
}

#[derive(Serialize)]
pub struct JsonRange {
    pub start: JsonPosition,
    pub end: JsonPosition,
}

impl JsonRange {
    fn new(file: &SourceFile, range: TextRange) -> JsonRange {
        JsonRange {
            start: JsonPosition::new(file, range.start),
            end: JsonPosition::new(file, range.end),
        }
    }
}

/// 1-based line, 1-based column in Unicode characters.
#[derive(Serialize)]
pub struct JsonPosition {
    pub line: u32,
    pub column: u32,
}

impl JsonPosition {
    fn new(file: &SourceFile, offset: u32) -> JsonPosition {
        let (line, column) = line_column(file, offset);
        JsonPosition { line, column }
    }
}
