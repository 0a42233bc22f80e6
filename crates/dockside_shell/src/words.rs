//! Quote removal and escape processing for word text.

use std::ops::Range;

use compact_str::CompactString;

use crate::Word;

/// Accumulates the pieces of one word.
#[derive(Default)]
pub(crate) struct WordAcc {
    value: CompactString,
    lossy: CompactString,
    is_static: bool,
    has_glob: bool,
}

impl WordAcc {
    pub(crate) fn new() -> Self {
        WordAcc {
            is_static: true,
            ..WordAcc::default()
        }
    }

    /// Appends literal (already unquoted) text.
    pub(crate) fn push_str(&mut self, s: &str) {
        self.value.push_str(s);
        self.lossy.push_str(s);
    }

    fn push_char(&mut self, c: char) {
        self.value.push(c);
        self.lossy.push(c);
    }

    /// Appends an expansion, kept as written in `lossy`.
    pub(crate) fn push_expansion(&mut self, raw: &str) {
        self.is_static = false;
        self.lossy.push_str(raw);
    }

    /// Appends unquoted text: backslash escapes, line continuations, globs.
    pub(crate) fn push_unquoted(&mut self, s: &str) {
        if !s.bytes().any(|b| matches!(b, b'\\' | b'*' | b'?' | b'[')) {
            self.push_str(s);
            return;
        }
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some('\n') => {}
                    Some(next) => self.push_char(next),
                    None => self.push_char('\\'),
                },
                '*' | '?' | '[' => {
                    self.has_glob = true;
                    self.push_char(c);
                }
                _ => self.push_char(c),
            }
        }
    }

    /// Appends text from inside double quotes.
    pub(crate) fn push_double_quoted(&mut self, s: &str) {
        if !s.as_bytes().contains(&b'\\') {
            self.push_str(s);
            return;
        }
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.peek().copied() {
                    Some('\n') => {
                        chars.next();
                    }
                    Some(next @ ('$' | '`' | '"' | '\\')) => {
                        chars.next();
                        self.push_char(next);
                    }
                    _ => self.push_char('\\'),
                }
            } else {
                self.push_char(c);
            }
        }
    }

    /// Appends the contents of a `$'…'` string (without `$'` and `'`).
    pub(crate) fn push_ansi_c(&mut self, s: &str) {
        let decoded = decode_ansi_c(s);
        self.push_str(&decoded);
    }

    pub(crate) fn finish(self, range: Range<usize>, raw: &str) -> Word {
        Word {
            range,
            raw: raw.into(),
            value: self.is_static.then_some(self.value),
            lossy: self.lossy,
            has_glob: self.has_glob,
        }
    }
}

/// A word whose text is taken literally (operators, keywords).
pub(crate) fn literal_word(range: Range<usize>, text: &str) -> Word {
    Word {
        range,
        raw: text.into(),
        value: Some(text.into()),
        lossy: text.into(),
        has_glob: false,
    }
}

fn decode_ansi_c(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'e' | 'E' => out.push('\u{1b}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '\\' | '\'' | '"' | '?' => out.push(e),
            '0'..='7' => {
                let mut n = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            n = n * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(n).unwrap_or('\u{fffd}'));
            }
            'x' | 'u' | 'U' => {
                let max = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut n: u32 = 0;
                let mut digits = 0;
                while digits < max {
                    match chars.peek().and_then(|d| d.to_digit(16)) {
                        Some(d) => {
                            n = n.saturating_mul(16).saturating_add(d);
                            chars.next();
                            digits += 1;
                        }
                        None => break,
                    }
                }
                if digits == 0 {
                    out.push('\\');
                    out.push(e);
                } else {
                    out.push(char::from_u32(n).unwrap_or('\u{fffd}'));
                }
            }
            'c' => match chars.next() {
                Some(x) => out.push(char::from_u32(u32::from(x) & 0x1f).unwrap_or('\u{fffd}')),
                None => {
                    out.push('\\');
                    out.push('c');
                }
            },
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

/// Removes quotes and backslashes from a heredoc delimiter; returns the
/// delimiter and whether any quoting was present.
pub(crate) fn unquote_delimiter(raw: &str) -> (String, bool) {
    let mut out = String::with_capacity(raw.len());
    let mut quoted = false;
    let mut chars = raw.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => out.push(c),
            (None, '\'' | '"') => {
                quoted = true;
                quote = Some(c);
            }
            (None, '\\') => {
                quoted = true;
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            (None, c) => out.push(c),
        }
    }
    (out, quoted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_c() {
        assert_eq!(decode_ansi_c(r"a\nb\t\x41\101\'\q"), "a\nb\tAA'\\q");
        assert_eq!(decode_ansi_c(r"\u00e9\c"), "é\\c");
    }

    #[test]
    fn delimiter() {
        assert_eq!(unquote_delimiter("'EOF'"), ("EOF".into(), true));
        assert_eq!(unquote_delimiter("\"E\"OF"), ("EOF".into(), true));
        assert_eq!(unquote_delimiter("\\EOF"), ("EOF".into(), true));
        assert_eq!(unquote_delimiter("EOF"), ("EOF".into(), false));
    }
}
