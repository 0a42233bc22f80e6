//! Exec-form JSON: an array of strings, with the range of every element.

use std::ops::Range;

pub(crate) enum JsonArray {
    /// A valid array of strings: decoded values with their byte ranges (quotes included).
    Strings(Vec<(String, Range<usize>)>),
    /// Valid JSON, but an element is not a string (BuildKit rejects this outright).
    NotStrings { message: String, at: Range<usize> },
    /// Not valid JSON: Docker falls back to running the text with `/bin/sh -c`.
    Invalid { message: String, at: Range<usize> },
}

/// Parses `text` (which starts with `[`) as a JSON array of strings that must
/// span the whole text, trailing whitespace aside.
pub(crate) fn parse_string_array(text: &str) -> JsonArray {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    match p.array() {
        Ok(items) => {
            p.skip_ws();
            if p.pos != text.len() {
                return JsonArray::Invalid {
                    message: "unexpected text after the closing `]`".into(),
                    at: p.pos..text.len(),
                };
            }
            let mut strings = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(s, r) => strings.push((s, r)),
                    Value::Other(r) => {
                        return JsonArray::NotStrings {
                            message: "exec form only supports arrays of strings".into(),
                            at: r,
                        };
                    }
                }
            }
            JsonArray::Strings(strings)
        }
        Err((message, at)) => JsonArray::Invalid { message, at },
    }
}

enum Value {
    String(String, Range<usize>),
    Other(Range<usize>),
}

type PResult<T> = Result<T, (String, Range<usize>)>;

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn err<T>(&self, message: impl Into<String>) -> PResult<T> {
        let end = (self.pos + 1).min(self.text.len());
        let end = crate::text::floor_char_boundary(self.text, end).max(self.pos);
        Err((message.into(), self.pos..end))
    }

    fn array(&mut self) -> PResult<Vec<Value>> {
        if self.bytes.get(self.pos) != Some(&b'[') {
            return self.err("expected `[`");
        }
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(items);
        }
        loop {
            self.skip_ws();
            items.push(self.value(0)?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                    if self.bytes.get(self.pos) == Some(&b']') {
                        return self.err("trailing comma before `]`");
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(items);
                }
                None => return self.err("unterminated array: missing `]`"),
                Some(_) => return self.err("expected `,` or `]`"),
            }
        }
    }

    fn value(&mut self, depth: usize) -> PResult<Value> {
        if depth > 64 {
            return self.err("JSON nested too deeply");
        }
        let start = self.pos;
        match self.bytes.get(self.pos) {
            Some(b'"') => {
                let s = self.string()?;
                Ok(Value::String(s, start..self.pos))
            }
            Some(b'\'') => self.err("strings must use double quotes (`\"`), not single quotes"),
            Some(b'[') => {
                self.pos += 1;
                self.skip_ws();
                if self.bytes.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    return Ok(Value::Other(start..self.pos));
                }
                loop {
                    self.skip_ws();
                    self.value(depth + 1)?;
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Value::Other(start..self.pos));
                        }
                        _ => return self.err("expected `,` or `]`"),
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                self.skip_ws();
                if self.bytes.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                    return Ok(Value::Other(start..self.pos));
                }
                loop {
                    self.skip_ws();
                    if self.bytes.get(self.pos) != Some(&b'"') {
                        return self.err("expected a string key");
                    }
                    self.string()?;
                    self.skip_ws();
                    if self.bytes.get(self.pos) != Some(&b':') {
                        return self.err("expected `:`");
                    }
                    self.pos += 1;
                    self.skip_ws();
                    self.value(depth + 1)?;
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(Value::Other(start..self.pos));
                        }
                        _ => return self.err("expected `,` or `}`"),
                    }
                }
            }
            Some(b't') if self.text[self.pos..].starts_with("true") => {
                self.pos += 4;
                Ok(Value::Other(start..self.pos))
            }
            Some(b'f') if self.text[self.pos..].starts_with("false") => {
                self.pos += 5;
                Ok(Value::Other(start..self.pos))
            }
            Some(b'n') if self.text[self.pos..].starts_with("null") => {
                self.pos += 4;
                Ok(Value::Other(start..self.pos))
            }
            Some(b'-' | b'0'..=b'9') => {
                self.pos += 1;
                while matches!(
                    self.bytes.get(self.pos),
                    Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                ) {
                    self.pos += 1;
                }
                Ok(Value::Other(start..self.pos))
            }
            None => self.err("unterminated array: missing `]`"),
            Some(_) => self.err("expected a double-quoted string"),
        }
    }

    fn string(&mut self) -> PResult<String> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = &self.text[self.pos..];
            let Some(c) = rest.chars().next() else {
                self.pos = open;
                return self.err("unterminated string: missing closing `\"`");
            };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                '\\' => {
                    self.pos += 1;
                    let Some(e) = self.text[self.pos..].chars().next() else {
                        return self.err("unterminated escape sequence");
                    };
                    self.pos += e.len_utf8();
                    match e {
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        '/' => out.push('/'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let hi = self.hex4()?;
                            let ch = if (0xD800..0xDC00).contains(&hi)
                                && self.text[self.pos..].starts_with("\\u")
                            {
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                } else {
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(ch.unwrap_or('\u{FFFD}'));
                        }
                        _ => {
                            self.pos -= e.len_utf8() + 1;
                            return self.err(format!("invalid escape `\\{e}` in string"));
                        }
                    }
                }
                c if (c as u32) < 0x20 => return self.err("control character in string"),
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn hex4(&mut self) -> PResult<u32> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        match digits {
            Some(d) => {
                self.pos += 4;
                Ok(u32::from_str_radix(d, 16).unwrap_or(0xFFFD))
            }
            None => self.err("invalid `\\u` escape"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(text: &str) -> Vec<String> {
        match parse_string_array(text) {
            JsonArray::Strings(v) => v.into_iter().map(|(s, _)| s).collect(),
            JsonArray::NotStrings { message, .. } | JsonArray::Invalid { message, .. } => {
                panic!("{text}: {message}")
            }
        }
    }

    #[test]
    fn decodes_strings() {
        assert_eq!(strings("[]"), Vec::<String>::new());
        assert_eq!(strings(r#"[ "a", "b" ]  "#), ["a", "b"]);
        assert_eq!(
            strings(r#"["\" \\ \/ \u0041 \ud83d\ude00"]"#),
            ["\" \\ / A 😀"]
        );
    }

    #[test]
    fn rejects_malformed() {
        for bad in ["['a']", r#"["a",]"#, r#"["a""#, r#"["a"] x"#, r#"["a"#] {
            assert!(
                matches!(parse_string_array(bad), JsonArray::Invalid { .. }),
                "{bad}"
            );
        }
        assert!(matches!(
            parse_string_array(r#"["a", ["b"]]"#),
            JsonArray::NotStrings { .. }
        ));
    }
}
