//! The `.env` / `--env-file` format as `docker compose` reads it (compose-go's `dotenv`
//! package, v2), with byte ranges for every key, value and problem. Knows nothing about YAML.
//!
//! # Format
//!
//! - A leading UTF-8 byte order mark is skipped.
//! - Statements are separated by whitespace (blank lines included); a statement starting with
//!   `#` is a comment up to the end of its line (it may be indented).
//! - `export ` (the word followed by whitespace) before a key is ignored.
//! - A key is letters, digits (any script), `_`, `.`, `-`, `[` and `]`; it ends at `=` or at
//!   `:` (the YAML-like `KEY: value` is accepted, as in Compose). Spaces around the key are
//!   trimmed; a space inside it is an error, any other character is an error.
//! - `KEY` alone on a line (no `=`): the value is taken from the environment (`lookup`), and
//!   when the environment does not have it the key is left alone (an earlier `KEY=…` still
//!   counts). Recorded as an [`Entry`] with `inherited: true`.
//! - Unquoted value: the rest of the line, cut at the first ` #` (space then `#`: an inline
//!   comment; `a#b` and `a\t#b` keep their `#`), whitespace trimmed on both sides.
//! - `'single quoted'`: literal, no interpolation, may span lines; `\'` is a quote, any other
//!   backslash is kept as written.
//! - `"double quoted"`: may span lines; `\"` is a quote; then the escapes `\a \b \f \n \r \t
//!   \v \\ \"`, `\$` (a literal `$`) and `\0` followed by up to three digits (octal: `\0101`
//!   is `A`, as Compose rewrites it to a Go escape) are expanded; other backslashes are kept.
//! - Interpolation (`${VAR}`, `$VAR`, `${VAR:-default}`, … exactly as in
//!   [`crate::interpolate`]) applies to unquoted and double-quoted values, not single-quoted
//!   ones. A variable resolves to the latest earlier entry of this file first, then to
//!   `lookup` (compose-go passes the file's own map first, then its lookup function).
//! - After a closing quote, the rest of the line is read as further statements, exactly like
//!   Compose does (`A="x" B=y` defines two variables; `A="x" # note` is a comment). We warn
//!   about this when it is not a comment.
//!
//! # Differences from Compose (all only in what is reported, never in the values)
//!
//! - Compose stops at the first error; we record it and resume at the next line, so every
//!   problem is reported and later entries are still listed.
//! - Compose silently drops `KEY` without `=` on the last line when the file does not end
//!   with a newline (it stores it under an empty name), and silently stores `=value` under an
//!   empty name. We report both as warnings and record no entry.
//! - Unset variables in interpolated values are warnings (Compose logs them).

use std::ops::Range;

use crate::interpolate::{self, IssueKind};

/// A parsed env file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvFile {
    /// Every statement, in file order (a key may appear several times; the last one that
    /// is set wins, see [`EnvFile::get`]).
    pub entries: Vec<Entry>,
    /// Problems that make Compose reject the file.
    pub errors: Vec<EnvError>,
    /// Problems Compose accepts silently or only logs.
    pub warnings: Vec<EnvError>,
}

impl EnvFile {
    /// The entry that defines `key` in the end, as Compose would use it.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().rev().find(|e| e.is_set && e.key == key)
    }

    /// The final value of `key`.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.get(key).map(|e| e.value.as_str())
    }

    /// The final variables, in the order of their defining entry.
    pub fn variables(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = Vec::new();
        for entry in self.entries.iter().filter(|e| e.is_set) {
            out.retain(|(k, _)| *k != entry.key);
            out.push((&entry.key, &entry.value));
        }
        out
    }
}

/// One `KEY=value` (or inherited `KEY`) statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    /// The value after unquoting, escapes and interpolation; for an inherited key, the
    /// environment's value (`""` when it is not there).
    pub value: String,
    pub key_range: Range<usize>,
    /// The value as written, quotes included; empty (at the end of the key) for an inherited
    /// key.
    pub value_range: Range<usize>,
    /// 1-based line of the key.
    pub line: usize,
    pub quote: Quote,
    /// `KEY` alone: the value comes from the environment.
    pub inherited: bool,
    /// False only for an inherited key the environment does not have: Compose leaves the
    /// variable as it was.
    pub is_set: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quote {
    None,
    Single,
    Double,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvError {
    pub kind: EnvErrorKind,
    pub message: String,
    /// 1-based line where the range starts.
    pub line: usize,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnvErrorKind {
    /// A character that cannot be in a key (error).
    InvalidKeyCharacter,
    /// A space inside a key (error).
    KeyWithSpace,
    /// A quoted value without its closing quote (error).
    UnterminatedQuote,
    /// Bad `${…}` syntax in a value (error).
    InvalidInterpolation,
    /// `${V:?msg}` / `${V?msg}` failed (error).
    RequiredVariable,
    /// A variable used in a value is not set (warning).
    UnsetVariable,
    /// `=value` with no key (warning).
    MissingKey,
    /// `KEY` without `=` on the last line without a newline: ignored by Compose (warning).
    BareKeyAtEndOfFile,
    /// Text after a closing quote is read as another statement (warning).
    TextAfterQuote,
}

impl EnvErrorKind {
    pub fn is_error(self) -> bool {
        matches!(
            self,
            EnvErrorKind::InvalidKeyCharacter
                | EnvErrorKind::KeyWithSpace
                | EnvErrorKind::UnterminatedQuote
                | EnvErrorKind::InvalidInterpolation
                | EnvErrorKind::RequiredVariable
        )
    }
}

/// Parses `text` with an empty environment.
pub fn parse(text: &str) -> EnvFile {
    parse_with(text, &|_| None)
}

/// Parses `text`; `lookup` is the environment used for inherited keys and interpolation.
pub fn parse_with(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> EnvFile {
    Parser {
        text,
        bytes: text.as_bytes(),
        lookup,
        line_starts: line_starts(text),
        file: EnvFile::default(),
    }
    .run()
}

// ---------------------------------------------------------------------------------------

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    lookup: &'a dyn Fn(&str) -> Option<String>,
    line_starts: Vec<usize>,
    file: EnvFile,
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// compose-go's `isSpace`: whitespace that is not a line break.
fn is_inline_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{B}' | '\u{C}' | '\r' | ' ' | '\u{85}' | '\u{A0}'
    )
}

fn is_key_char(c: char) -> bool {
    matches!(c, '_' | '.' | '-' | '[' | ']') || c.is_alphabetic() || c.is_numeric()
}

/// What a key scan stopped at.
enum KeyEnd {
    /// `=` or `:` at this offset.
    Value(usize),
    /// `\n` at this offset.
    Inherited(usize),
    /// End of text without a terminator.
    Eof,
    /// A character that cannot be in a key, at this offset.
    Invalid(usize, char),
}

impl Parser<'_> {
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    fn line_end(&self, from: usize) -> usize {
        self.text[from..]
            .find('\n')
            .map_or(self.text.len(), |p| from + p)
    }

    fn skip_inline_space(&self, mut pos: usize) -> usize {
        while let Some(c) = self.text[pos..].chars().next() {
            if !is_inline_space(c) {
                break;
            }
            pos += c.len_utf8();
        }
        pos
    }

    fn report(&mut self, kind: EnvErrorKind, range: Range<usize>, message: String) {
        let error = EnvError {
            kind,
            message,
            line: self.line_of(range.start),
            range,
        };
        if kind.is_error() {
            self.file.errors.push(error);
        } else {
            self.file.warnings.push(error);
        }
    }

    /// The variable as seen by interpolation: earlier entries, then the environment.
    fn resolve(&self, name: &str) -> Option<String> {
        match self.file.get(name) {
            Some(entry) => Some(entry.value.clone()),
            None => (self.lookup)(name),
        }
    }

    fn run(mut self) -> EnvFile {
        let mut pos = if self.text.starts_with('\u{FEFF}') {
            3
        } else {
            0
        };
        // End of the line on which the last quoted value closed, if text may follow it.
        let mut after_quote: Option<usize> = None;
        // Skip whitespace and comments, then read a statement.
        while let Some(offset) = self.text[pos..].find(|c: char| !c.is_whitespace()) {
            pos += offset;
            let on_quote_line = after_quote.is_some_and(|end| pos < end);
            if self.bytes[pos] == b'#' {
                pos = self.line_end(pos);
                after_quote = None;
                continue;
            }
            if on_quote_line {
                let end = self.line_end(pos);
                self.report(
                    EnvErrorKind::TextAfterQuote,
                    pos..end,
                    "text after the closing quote is read by docker compose as another entry; \
                     put it on its own line or start a comment with ` #`"
                        .to_string(),
                );
            }
            after_quote = None;
            pos = self.statement(pos, &mut after_quote);
        }
        self.file
    }

    /// Parses one statement at `start` (not whitespace, not a comment); returns where to
    /// continue.
    fn statement(&mut self, start: usize, after_quote: &mut Option<usize>) -> usize {
        let mut pos = start;
        let rest = &self.text[pos..];
        if rest.starts_with("export")
            && matches!(
                rest.as_bytes().get(6),
                Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0C')
            )
        {
            pos = self.skip_inline_space(pos + 6);
        }
        let key_start = pos;
        let key_end = self.scan_key(key_start);
        let key_raw_end = match key_end {
            KeyEnd::Value(i) | KeyEnd::Inherited(i) => i,
            KeyEnd::Eof => self.text.len(),
            KeyEnd::Invalid(i, c) => {
                let line_end = self.line_end(i);
                let shown = self.text[key_start..line_end].trim_end();
                self.report(
                    EnvErrorKind::InvalidKeyCharacter,
                    i..i + c.len_utf8(),
                    format!(
                        "unexpected character {c:?} in variable name {shown:?} \
                         (a name is letters, digits, `_`, `.`, `-`, `[` and `]`, followed by `=`)"
                    ),
                );
                return line_end;
            }
        };
        let key = self.text[key_start..key_raw_end].trim_end();
        let key_range = key_start..key_start + key.len();
        let key = key.to_string();
        if let KeyEnd::Eof = key_end {
            if !key.is_empty() {
                self.report(
                    EnvErrorKind::BareKeyAtEndOfFile,
                    key_range,
                    format!(
                        "docker compose ignores `{key}` without `=` on the last line when the \
                         file does not end with a newline; add a newline to take it from the \
                         environment, or write `{key}=value`"
                    ),
                );
            }
            return self.text.len();
        }
        if key.contains(' ') {
            self.report(
                EnvErrorKind::KeyWithSpace,
                key_range,
                format!("variable name {key:?} cannot contain a space"),
            );
            return self.line_end(key_raw_end);
        }
        let line = self.line_of(key_start);
        if let KeyEnd::Inherited(newline) = key_end {
            if key.is_empty() {
                // `export` alone on a line: Compose looks up an empty name; nothing to record.
                return newline;
            }
            let value = (self.lookup)(&key);
            self.file.entries.push(Entry {
                value: value.clone().unwrap_or_default(),
                is_set: value.is_some(),
                value_range: key_range.end..key_range.end,
                key,
                key_range,
                line,
                quote: Quote::None,
                inherited: true,
            });
            return newline;
        }
        // `=` or `:`
        let value_start = self.skip_inline_space(key_raw_end + 1);
        let parsed = match self.bytes.get(value_start) {
            Some(&q @ (b'\'' | b'"')) => self.quoted(value_start, q),
            _ => Some(self.unquoted(value_start)),
        };
        let Some((value, value_range, quote, next)) = parsed else {
            // Unterminated quote, reported: resume on the next line.
            return self.line_end(value_start);
        };
        if quote != Quote::None {
            *after_quote = Some(self.line_end(next));
        }
        if key.is_empty() {
            self.report(
                EnvErrorKind::MissingKey,
                key_start..value_range.end,
                "missing variable name before `=`; docker compose stores this value under an \
                 empty name, where nothing can use it"
                    .to_string(),
            );
            return next;
        }
        self.file.entries.push(Entry {
            key,
            value,
            key_range,
            value_range,
            line,
            quote,
            inherited: false,
            is_set: true,
        });
        next
    }

    fn scan_key(&self, start: usize) -> KeyEnd {
        for (i, c) in self.text[start..].char_indices() {
            let at = start + i;
            if is_inline_space(c) {
                continue;
            }
            match c {
                '=' | ':' => return KeyEnd::Value(at),
                '\n' => return KeyEnd::Inherited(at),
                c if is_key_char(c) => {}
                c => return KeyEnd::Invalid(at, c),
            }
        }
        KeyEnd::Eof
    }

    /// An unquoted value at `start`: (value, range as written, quote, next position).
    fn unquoted(&mut self, start: usize) -> (String, Range<usize>, Quote, usize) {
        let line_end = self.line_end(start);
        let raw = &self.text[start..line_end];
        let raw = raw.find(" #").map_or(raw, |p| &raw[..p]).trim_end();
        let range = start..start + raw.len();
        let result = interpolate::interpolate(raw, &|name| self.resolve(name));
        for issue in result.issues {
            let at = start + issue.range.start..start + issue.range.end;
            self.report_issue(issue.kind, at, issue.message);
        }
        (result.value, range, Quote::None, line_end)
    }

    /// A quoted value whose opening quote is at `open`; `None` when it is not closed.
    fn quoted(&mut self, open: usize, quote: u8) -> Option<(String, Range<usize>, Quote, usize)> {
        // Raw characters, with compose-go's quote scanning: `\<quote>` is the quote, any
        // other escaped byte keeps its backslash. `spans` maps each output byte to its source.
        let mut out: Vec<u8> = Vec::new();
        let mut spans: Vec<Range<usize>> = Vec::new();
        let mut escape: Option<usize> = None;
        let mut close = None;
        for (i, &b) in self.bytes.iter().enumerate().skip(open + 1) {
            if let Some(backslash) = escape.take() {
                if b != quote {
                    out.push(b'\\');
                    spans.push(backslash..backslash + 1);
                    out.push(b);
                    spans.push(i..i + 1);
                } else {
                    out.push(b);
                    spans.push(backslash..i + 1);
                }
                continue;
            }
            if b == b'\\' {
                escape = Some(i);
            } else if b == quote {
                close = Some(i);
                break;
            } else {
                out.push(b);
                spans.push(i..i + 1);
            }
        }
        let Some(close) = close else {
            let end = self.line_end(open);
            let shown = &self.text[open..end];
            self.report(
                EnvErrorKind::UnterminatedQuote,
                open..end,
                format!("unterminated quoted value {shown}"),
            );
            return None;
        };
        let range = open..close + 1;
        if quote == b'\'' {
            let value = String::from_utf8_lossy(&out).into_owned();
            return Some((value, range, Quote::Single, close + 1));
        }
        let (expanded, spans) = expand_escapes(&out, &spans);
        let expanded = String::from_utf8_lossy(&expanded).into_owned();
        let result = interpolate::interpolate(&expanded, &|name| self.resolve(name));
        for issue in result.issues {
            let at = map_range(&spans, issue.range, close);
            self.report_issue(issue.kind, at, issue.message);
        }
        Some((result.value, range, Quote::Double, close + 1))
    }

    fn report_issue(&mut self, kind: IssueKind, range: Range<usize>, message: String) {
        let kind = match kind {
            IssueKind::Unset => EnvErrorKind::UnsetVariable,
            IssueKind::Required => EnvErrorKind::RequiredVariable,
            IssueKind::Invalid => EnvErrorKind::InvalidInterpolation,
        };
        self.report(kind, range, message);
    }
}

/// Maps a range in an expanded value back to the source.
fn map_range(spans: &[Range<usize>], range: Range<usize>, fallback: usize) -> Range<usize> {
    let start = spans.get(range.start).map_or(fallback, |s| s.start);
    let end = if range.end > range.start {
        spans.get(range.end - 1).map_or(fallback, |s| s.end)
    } else {
        start
    };
    start..end.max(start)
}

/// compose-go's `expandEscapes` on a double-quoted value, keeping the source spans.
fn expand_escapes(input: &[u8], spans: &[Range<usize>]) -> (Vec<u8>, Vec<Range<usize>>) {
    let mut out = Vec::with_capacity(input.len());
    let mut out_spans = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        if input[i] != b'\\' || i + 1 >= input.len() {
            out.push(input[i]);
            out_spans.push(spans[i].clone());
            i += 1;
            continue;
        }
        let c = input[i + 1];
        let simple = match c {
            b'a' => Some(&[0x07u8][..]),
            b'b' => Some(&[0x08][..]),
            b'f' => Some(&[0x0C][..]),
            b'n' => Some(&[b'\n'][..]),
            b'r' => Some(&[b'\r'][..]),
            b't' => Some(&[b'\t'][..]),
            b'v' => Some(&[0x0B][..]),
            b'"' => Some(&[b'"'][..]),
            b'\\' => Some(&[b'\\'][..]),
            // Kept for interpolation as `$$`: a literal `$`.
            b'$' => Some(&[b'$', b'$'][..]),
            // `\c` is matched by Compose's pattern but is not a Go escape: kept as written.
            b'c' => Some(&[b'\\', b'c'][..]),
            _ => None,
        };
        if let Some(bytes) = simple {
            let span = spans[i].start..spans[i + 1].end;
            for &b in bytes {
                out.push(b);
                out_spans.push(span.clone());
            }
            i += 2;
            continue;
        }
        if c == b'0' {
            // `\0` and up to three digits, rewritten by Compose to `\ddd` and unquoted as a
            // Go octal escape; when that fails the rewritten text (without the `0`) is kept.
            let digits = input[i + 2..]
                .iter()
                .take(3)
                .take_while(|b| b.is_ascii_digit())
                .count();
            let end = i + 2 + digits;
            let span = spans[i].start..spans[end - 1].end;
            let ds = &input[i + 2..end];
            let value = (digits == 3 && ds.iter().all(|d| (b'0'..=b'7').contains(d)))
                .then(|| ds.iter().fold(0u32, |v, d| v * 8 + u32::from(d - b'0')))
                .filter(|&v| v <= 255)
                .and_then(char::from_u32);
            let replacement = match value {
                Some(ch) => ch.to_string().into_bytes(),
                None => {
                    let mut r = vec![b'\\'];
                    r.extend_from_slice(ds);
                    r
                }
            };
            for b in replacement {
                out.push(b);
                out_spans.push(span.clone());
            }
            i = end;
            continue;
        }
        out.push(input[i]);
        out_spans.push(spans[i].clone());
        i += 1;
    }
    (out, out_spans)
}
