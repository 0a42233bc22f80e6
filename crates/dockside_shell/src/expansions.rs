//! The expansions written in a word, found by scanning its raw text with the
//! shell's quoting rules.

use std::ops::Range;

use crate::Word;

/// One expansion or special string in a word (see [`Word::parts`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordPart {
    /// Range in the source (inside [`Word::range`]).
    pub range: Range<usize>,
    /// What it is.
    pub kind: PartKind,
    /// Written inside double quotes, so the result is not split or globbed.
    pub quoted: bool,
}

/// Kind of a [`WordPart`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartKind {
    /// `$NAME`, `$1`, `$@` …: the parameter name.
    Simple(String),
    /// `${…}`: the text between the braces, e.g. `VAR:-x`, `#VAR`, `!ref`.
    Braced(String),
    /// `$(…)` or `` `…` ``.
    Command,
    /// `$((…))`.
    Arithmetic,
    /// `$'…'` (an ANSI-C string; always unquoted by construction).
    AnsiC,
}

impl PartKind {
    /// The parameter a `$NAME` or `${NAME…}` expands (`None` for other kinds,
    /// and for `${#NAME}` / `${!NAME}`, which expand something else).
    pub fn parameter(&self) -> Option<&str> {
        match self {
            PartKind::Simple(name) => Some(name),
            PartKind::Braced(inner) => {
                let first = inner.chars().next()?;
                if matches!(first, '#' | '!') && inner.len() > 1 {
                    return None;
                }
                let end = if first.is_ascii_alphanumeric() || first == '_' {
                    inner
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(inner.len())
                } else if "@*#?$!-".contains(first) {
                    1
                } else {
                    return None;
                };
                Some(&inner[..end])
            }
            _ => None,
        }
    }

    /// For `${NAME<op>…}`: the text after the name (`:-x`, `:0:1`, `/a/b`).
    pub fn modifier(&self) -> Option<&str> {
        let PartKind::Braced(inner) = self else {
            return None;
        };
        let name = self.parameter()?;
        Some(&inner[name.len()..])
    }
}

impl Word {
    /// The parameter expansions, substitutions and `$'…'` strings written in
    /// the word, outermost only (what a substitution or `${…}` contains is not
    /// listed), each with whether it sits inside double quotes.
    pub fn parts(&self) -> Vec<WordPart> {
        let mut out = Vec::new();
        let bytes = self.raw.as_bytes();
        // Every part starts with `$` or a backquote.
        // (Most words are a few bytes: a plain loop beats memchr's setup.)
        let has_start = if bytes.len() < 64 {
            bytes.iter().any(|&b| b == b'$' || b == b'`')
        } else {
            memchr::memchr2(b'$', b'`', bytes).is_some()
        };
        if !has_start {
            return out;
        }
        let base = self.range.start;
        let mut i = 0;
        let mut in_double = false;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'\'' if !in_double => i = skip_single(bytes, i + 1),
                b'"' => {
                    in_double = !in_double;
                    i += 1;
                }
                b'`' => {
                    let end = skip_backquote(bytes, i + 1);
                    out.push(WordPart {
                        range: base + i..base + end,
                        kind: PartKind::Command,
                        quoted: in_double,
                    });
                    i = end;
                }
                b'$' => {
                    let start = i;
                    let (end, kind) = match bytes.get(i + 1) {
                        Some(b'\'') if !in_double => {
                            (skip_ansi_c(bytes, i + 2), Some(PartKind::AnsiC))
                        }
                        Some(b'(') if bytes.get(i + 2) == Some(&b'(') => {
                            (skip_parens(bytes, i + 1), Some(PartKind::Arithmetic))
                        }
                        Some(b'(') => (skip_parens(bytes, i + 1), Some(PartKind::Command)),
                        Some(b'{') => {
                            let end = skip_braces(bytes, i + 1);
                            let inner_end = if bytes.get(end - 1) == Some(&b'}') {
                                end - 1
                            } else {
                                end
                            };
                            let inner = self.raw.get(i + 2..inner_end).unwrap_or("");
                            (end, Some(PartKind::Braced(inner.to_string())))
                        }
                        Some(&c) if c.is_ascii_alphabetic() || c == b'_' => {
                            let mut end = i + 1;
                            while bytes
                                .get(end)
                                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
                            {
                                end += 1;
                            }
                            (
                                end,
                                Some(PartKind::Simple(self.raw[i + 1..end].to_string())),
                            )
                        }
                        Some(&c) if c.is_ascii_digit() || b"@*#?$!-".contains(&c) => {
                            (i + 2, Some(PartKind::Simple((c as char).to_string())))
                        }
                        _ => (i + 1, None),
                    };
                    if let Some(kind) = kind {
                        out.push(WordPart {
                            range: base + start..base + end.min(bytes.len()),
                            kind,
                            quoted: in_double,
                        });
                    }
                    i = end;
                }
                _ => i += 1,
            }
        }
        out
    }
}

/// Index just past the `'` closing a single-quoted string whose content starts at `i`.
fn skip_single(bytes: &[u8], i: usize) -> usize {
    bytes[i.min(bytes.len())..]
        .iter()
        .position(|&b| b == b'\'')
        .map_or(bytes.len(), |p| i + p + 1)
}

/// Index just past the `'` closing a `$'…'` string whose content starts at `i`.
fn skip_ansi_c(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\'' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Index just past the backquote closing a `` `…` `` whose content starts at `i`.
fn skip_backquote(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Index just past the bracket matching the opening `(` at `open`, skipping quotes.
fn skip_parens(bytes: &[u8], open: usize) -> usize {
    skip_balanced(bytes, open, b'(', b')')
}

/// Index just past the `}` matching the `{` at `open`, skipping quotes.
fn skip_braces(bytes: &[u8], open: usize) -> usize {
    skip_balanced(bytes, open, b'{', b'}')
}

fn skip_balanced(bytes: &[u8], open: usize, left: u8, right: u8) -> usize {
    let mut depth = 0usize;
    let mut i = open;
    let mut in_double = false;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\\' => {
                i += 2;
                continue;
            }
            b'"' => in_double = !in_double,
            b'\'' if !in_double => {
                i = skip_single(bytes, i + 1);
                continue;
            }
            b'`' => {
                i = skip_backquote(bytes, i + 1);
                continue;
            }
            _ if in_double => {}
            _ if b == left => depth += 1,
            _ if b == right => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}
