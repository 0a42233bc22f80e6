//! Word splitting and unquoting as BuildKit does it for ENV/LABEL/ARG values.

use std::ops::Range;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SplitMode {
    /// BuildKit's `parseWords`: whitespace outside quotes separates words; quotes are kept.
    Env,
    /// The same splitting, used to find heredoc markers on a shell line.
    Shell,
}

/// Splits `text` into words separated by unquoted whitespace. Quotes and escapes
/// stay in the words; the ranges index into `text`.
pub fn split_words(text: &str, escape: char, _mode: SplitMode) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some(q) => {
                if c == escape && q != '\'' {
                    chars.next();
                } else if c == q {
                    quote = None;
                }
            }
            None => {
                if c.is_whitespace() {
                    if let Some(s) = start.take() {
                        words.push(s..i);
                    }
                    continue;
                }
                if start.is_none() {
                    start = Some(i);
                }
                if c == escape {
                    chars.next();
                } else if c == '"' || c == '\'' {
                    quote = Some(c);
                }
            }
        }
    }
    if let Some(s) = start {
        words.push(s..text.len());
    }
    words
}

/// Removes shell quoting from a raw ENV/LABEL/ARG value the way BuildKit's
/// word processing does (no variable expansion): `"a b"` → `a b`,
/// `'x'` → `x`, `a\ b` → `a b`.
pub fn unquote(raw: &str, escape: char) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    // Each step copies a run of ordinary characters at once, then handles what ends it.
    while !rest.is_empty() {
        let run = rest.find(['\'', '"', escape]).unwrap_or(rest.len());
        out.push_str(&rest[..run]);
        rest = &rest[run..];
        let Some(c) = rest.chars().next() else { break };
        rest = &rest[c.len_utf8()..];
        match c {
            '\'' => {
                let end = rest.find('\'').unwrap_or(rest.len());
                out.push_str(&rest[..end]);
                rest = rest.get(end + 1..).unwrap_or("");
            }
            '"' => loop {
                let run = rest.find(['"', escape]).unwrap_or(rest.len());
                out.push_str(&rest[..run]);
                rest = &rest[run..];
                let Some(c) = rest.chars().next() else { break };
                rest = &rest[c.len_utf8()..];
                if c == '"' {
                    break;
                }
                // The escape character inside double quotes.
                match rest.chars().next() {
                    Some(n) if n == '"' || n == escape || n == '$' => {
                        out.push(n);
                        rest = &rest[n.len_utf8()..];
                    }
                    _ => out.push(c),
                }
            },
            _ => {
                // The escape character outside quotes: the next character as is.
                if let Some(n) = rest.chars().next() {
                    out.push(n);
                    rest = &rest[n.len_utf8()..];
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        split_words(text, '\\', SplitMode::Env)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn splits_outside_quotes() {
        assert_eq!(
            words(r#"a=1 b="x y" c='p q'"#),
            ["a=1", r#"b="x y""#, "c='p q'"]
        );
        assert_eq!(
            words(r"name=value\ value2 n2=v"),
            [r"name=value\ value2", "n2=v"]
        );
        assert_eq!(words("  "), Vec::<&str>::new());
    }

    #[test]
    fn unquote_matches_a_char_by_char_reading() {
        fn reference(raw: &str, escape: char) -> String {
            let mut out = String::new();
            let mut chars = raw.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\'' => {
                        for c in chars.by_ref() {
                            if c == '\'' {
                                break;
                            }
                            out.push(c);
                        }
                    }
                    '"' => {
                        while let Some(c) = chars.next() {
                            if c == '"' {
                                break;
                            }
                            match chars.peek() {
                                Some(&n)
                                    if c == escape && (n == '"' || n == escape || n == '$') =>
                                {
                                    out.push(n);
                                    chars.next();
                                }
                                _ => out.push(c),
                            }
                        }
                    }
                    c if c == escape => out.extend(chars.next()),
                    c => out.push(c),
                }
            }
            out
        }
        let pieces = ["a", "é", "'", "\"", "\\", "`", "$", " ", "x y"];
        let mut inputs = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = inputs
                .iter()
                .flat_map(|i| pieces.iter().map(move |p| format!("{i}{p}")))
                .collect();
            inputs.extend(longer);
        }
        for input in &inputs {
            for escape in ['\\', '`'] {
                assert_eq!(
                    unquote(input, escape),
                    reference(input, escape),
                    "{input:?} {escape}"
                );
            }
        }
    }

    #[test]
    fn unquotes_like_the_shell() {
        assert_eq!(unquote(r#""a b""#, '\\'), "a b");
        assert_eq!(unquote("'a\\b'", '\\'), "a\\b");
        assert_eq!(unquote(r"a\ b", '\\'), "a b");
        assert_eq!(unquote(r#""a\"b""#, '\\'), "a\"b");
    }
}
