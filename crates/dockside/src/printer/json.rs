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

use super::{Item, Printer, Report, items, line_column};

pub struct JsonPrinter;

impl Printer for JsonPrinter {
    fn print(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let items: Vec<Item> = items(report).collect();
        if items.is_empty() {
            return writeln!(out, "[]");
        }
        // Each element is written on its own (in parallel: the output of a large run is
        // megabytes), exactly as `serde_json::to_writer_pretty` nests it in the array.
        let elements: Vec<String> = items
            .par_iter()
            .map(|item| {
                let mut text = String::with_capacity(1024);
                JsonDiagnostic::new(item).write_pretty(&mut text);
                text
            })
            .collect();
        out.write_all(b"[\n")?;
        for (i, element) in elements.into_iter().enumerate() {
            if i > 0 {
                out.write_all(b",\n")?;
            }
            out.write_all(element.as_bytes())?;
        }
        out.write_all(b"\n]\n")
    }
}

impl<'a> JsonDiagnostic<'a> {
    fn new(item: &Item<'a>) -> JsonDiagnostic<'a> {
        let d = item.diagnostic;
        let file = item.file();
        JsonDiagnostic {
            path: file.path.to_string_lossy(),
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
                        path: file.path.to_string_lossy(),
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
    pub path: std::borrow::Cow<'a, str>,
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
    pub path: std::borrow::Cow<'a, str>,
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

/// Pretty JSON written by hand, byte for byte what `serde_json::to_string_pretty` gives for
/// the same value nested one level deep (an array element), in a fraction of the time: the
/// JSON of a large run is megabytes.
impl JsonDiagnostic<'_> {
    fn write_pretty(&self, out: &mut String) {
        let mut o = Obj::open(out, 1);
        o.key("path").string(&self.path);
        o.key("code").string(self.code);
        o.key("rule").string(self.rule);
        o.key("severity").string(self.severity.as_str());
        o.key("message").string(self.message);
        o.key("range");
        self.range.write(o.out, 2);
        o.key("fix");
        match &self.fix {
            None => o.out.push_str("null"),
            Some(fix) => {
                let mut f = Obj::open(o.out, 2);
                f.key("applicability").string(match fix.applicability {
                    Applicability::Safe => "safe",
                    Applicability::Unsafe => "unsafe",
                });
                f.key("title").string(fix.title);
                f.key("edits");
                write_array(f.out, 3, &fix.edits, |out, edit| {
                    let mut e = Obj::open(out, 4);
                    e.key("range");
                    edit.range.write(e.out, 5);
                    e.key("content").string(edit.content);
                    e.close();
                });
                f.close();
            }
        }
        o.key("related");
        write_array(o.out, 2, &self.related, |out, related| {
            let mut r = Obj::open(out, 3);
            r.key("path").string(&related.path);
            r.key("range");
            related.range.write(r.out, 4);
            r.key("message").string(related.message);
            r.close();
        });
        o.close();
    }
}

impl JsonRange {
    fn write(&self, out: &mut String, depth: usize) {
        let mut r = Obj::open(out, depth);
        r.key("start");
        self.start.write(r.out, depth + 1);
        r.key("end");
        self.end.write(r.out, depth + 1);
        r.close();
    }
}

impl JsonPosition {
    /// As an [`Obj`] would write it, in five pushes: the text around the two
    /// numbers is made once per depth.
    fn write(&self, out: &mut String, depth: usize) {
        static TEXTS: std::sync::OnceLock<Vec<[String; 3]>> = std::sync::OnceLock::new();
        let texts = TEXTS.get_or_init(|| (0..8).map(position_texts).collect());
        let owned;
        let [open, middle, close] = match texts.get(depth) {
            Some(t) => t,
            None => {
                owned = position_texts(depth);
                &owned
            }
        };
        out.push_str(open);
        push_number(out, self.line);
        out.push_str(middle);
        push_number(out, self.column);
        out.push_str(close);
    }
}

/// The text before, between and after a position's two numbers at `depth`.
fn position_texts(depth: usize) -> [String; 3] {
    let mut open = String::new();
    let mut p = Obj::open(&mut open, depth);
    p.key("line");
    let mut middle = String::new();
    new_line(&mut middle, true, depth + 1);
    middle.push_str("\"column\": ");
    let mut close = String::new();
    new_line(&mut close, false, depth);
    close.push('}');
    [open, middle, close]
}

fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// A JSON object being written at nesting `depth` (its members one level deeper).
struct Obj<'o> {
    out: &'o mut String,
    depth: usize,
    members: usize,
}

impl<'o> Obj<'o> {
    /// Starts an object; the caller has written the indentation before it.
    fn open(out: &'o mut String, depth: usize) -> Self {
        if depth == 1 {
            indent(out, 1);
        }
        out.push('{');
        Obj {
            out,
            depth,
            members: 0,
        }
    }

    fn key(&mut self, name: &str) -> &mut Self {
        let first = self.members == 0;
        self.members += 1;
        new_line(self.out, !first, self.depth + 1);
        // Keys are this file's own identifiers: nothing to escape.
        self.out.push('"');
        self.out.push_str(name);
        self.out.push_str("\": ");
        self
    }

    fn string(&mut self, value: &str) {
        push_string(self.out, value);
    }

    fn close(self) {
        if self.members > 0 {
            new_line(self.out, false, self.depth);
        }
        self.out.push('}');
    }
}

fn write_array<T>(
    out: &mut String,
    depth: usize,
    items: &[T],
    mut element: impl FnMut(&mut String, &T),
) {
    if items.is_empty() {
        out.push_str("[]");
        return;
    }
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        new_line(out, i > 0, depth + 1);
        element(out, item);
    }
    new_line(out, false, depth);
    out.push(']');
}

/// A line break (after a comma when `comma`) and the indentation of `depth`, in one push.
fn new_line(out: &mut String, comma: bool, depth: usize) {
    const BREAK: &str = ",\n                                ";
    let from = usize::from(!comma);
    match BREAK.get(from..2 + 2 * depth) {
        Some(text) => out.push_str(text),
        None => {
            out.push_str(&BREAK[from..2]);
            indent(out, depth);
        }
    }
}

fn indent(out: &mut String, depth: usize) {
    const SPACES: &str = "                ";
    let mut width = 2 * depth;
    while width > 0 {
        let n = width.min(SPACES.len());
        out.push_str(&SPACES[..n]);
        width -= n;
    }
}

/// A JSON string with serde_json's escapes: `\"`, `\\`, the short forms of control
/// characters, `\u00XX` (lower-case hex) for the others; everything else as is.
fn push_string(out: &mut String, value: &str) {
    out.reserve(value.len() + 2);
    out.push('"');
    let bytes = value.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none needs an escape (most text).
        if let Some(chunk) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            if !needs_escape(word) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&value[start..i]);
        if escaped.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
        } else {
            out.push_str(escaped);
        }
        i += 1;
        start = i;
    }
    out.push_str(&value[start..]);
    out.push('"');
}

/// Whether any of the eight bytes is a control character, `"` or `\\`.
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    below_space | zero_byte(quote) | zero_byte(backslash) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(a: u32, b: u32) -> JsonRange {
        JsonRange {
            start: JsonPosition { line: a, column: b },
            end: JsonPosition {
                line: a + 1,
                column: b + 10,
            },
        }
    }

    /// Strings are escaped as serde_json escapes them, whatever the position of the
    /// character to escape in the eight-byte steps.
    #[test]
    fn strings_escape_like_serde_json() {
        let specials = [
            "\"", "\\", "\n", "\u{1}", "\u{1f}", "\u{7f}", "é", "😀", " ", "~",
        ];
        for special in specials {
            for before in 0..17 {
                for after in [0, 1, 7, 8, 9] {
                    let value = format!("{}{special}{}", "a".repeat(before), "b".repeat(after));
                    let mut ours = String::new();
                    push_string(&mut ours, &value);
                    assert_eq!(ours, serde_json::to_string(&value).unwrap(), "{value:?}");
                }
            }
        }
        for n in [0, 1, 9, 10, 4_294_967_295] {
            let mut ours = String::new();
            push_number(&mut ours, n);
            assert_eq!(ours, n.to_string());
        }
    }

    /// Positions written from the per-depth texts are what an object writer gives,
    /// at every depth (beyond the prepared ones too).
    #[test]
    fn positions_write_as_objects_do() {
        for depth in 0..12 {
            let position = JsonPosition {
                line: 12,
                column: 3,
            };
            let mut fast = String::new();
            position.write(&mut fast, depth);
            let mut slow = String::new();
            let mut p = Obj::open(&mut slow, depth);
            p.key("line");
            push_number(p.out, 12);
            p.key("column");
            push_number(p.out, 3);
            p.close();
            assert_eq!(fast, slow, "depth {depth}");
        }
    }

    /// The hand-written output is serde_json's, nested as an array element.
    #[test]
    fn writes_what_serde_json_writes() {
        let tricky = "quote \" backslash \\ newline \n tab \t cr \r bell \u{7} nul \0 del \u{7f} é 😀 </script>";
        let cases = [
            JsonDiagnostic {
                path: "a/Dockerfile".into(),
                code: "DF001",
                rule: "syntax-error",
                severity: Severity::Error,
                message: tricky,
                range: range(1, 1),
                fix: None,
                related: Vec::new(),
            },
            JsonDiagnostic {
                path: "b \"x\"/Dockerfile".into(),
                code: "DF101",
                rule: "merge-consecutive-runs",
                severity: Severity::Style,
                message: "m",
                range: range(3, 7),
                fix: Some(JsonFix {
                    applicability: Applicability::Unsafe,
                    title: tricky,
                    edits: vec![
                        JsonEdit {
                            range: range(2, 1),
                            content: "",
                        },
                        JsonEdit {
                            range: range(4, 2),
                            content: tricky,
                        },
                    ],
                }),
                related: vec![JsonRelated {
                    path: "entrypoint.sh".into(),
                    range: range(9, 9),
                    message: tricky,
                }],
            },
            JsonDiagnostic {
                path: "".into(),
                code: "DF002",
                rule: "r",
                severity: Severity::Info,
                message: "",
                range: range(0, 0),
                fix: Some(JsonFix {
                    applicability: Applicability::Safe,
                    title: "t",
                    edits: Vec::new(),
                }),
                related: Vec::new(),
            },
        ];
        for case in &cases {
            let serde = serde_json::to_string_pretty(&[case]).unwrap();
            let mut ours = String::from("[\n");
            case.write_pretty(&mut ours);
            ours.push_str("\n]");
            assert_eq!(ours, serde);
        }
    }
}
