//! Glob matching engine shared by `.dockerignore` patterns and COPY-source
//! wildcards.
//!
//! Patterns are compiled into a small token list and matched with a linear
//! dynamic programme (`O(tokens × chars)`), so no pattern can trigger
//! exponential backtracking.

use std::fmt;

/// One element of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// A literal character.
    Literal(char),
    /// `?`: any single character except `/`.
    AnyChar,
    /// `*`: any run of characters not containing `/`.
    Star,
    /// `[...]` / `[^...]`: a character class.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    /// Docker's `**/` (and `**` before more text): zero or more whole
    /// directories, i.e. the regular expression `(.*/)?`.
    OptDirs,
    /// Docker's trailing `**`: anything at all, i.e. `.*`.
    AnyString,
}

impl Token {
    fn matches_char(&self, c: char) -> bool {
        match self {
            Token::Literal(l) => *l == c,
            Token::AnyChar => c != '/',
            Token::Class { negated, ranges } => {
                ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated
            }
            Token::Star | Token::OptDirs | Token::AnyString => false,
        }
    }
}

/// A syntax error in a glob pattern (Go's `filepath.ErrBadPattern`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobError {
    /// Human-readable explanation.
    pub message: &'static str,
}

impl fmt::Display for GlobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "syntax error in pattern: {}", self.message)
    }
}

impl std::error::Error for GlobError {}

fn err(message: &'static str) -> GlobError {
    GlobError { message }
}

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Glob {
    tokens: Vec<Token>,
}

impl Glob {
    pub(crate) fn from_tokens(tokens: Vec<Token>) -> Glob {
        Glob { tokens }
    }

    /// Compiles a pattern with Go `filepath.Match` semantics (Unix flavour):
    /// `*` and `?` never match `/`, `[...]` classes, `\` escapes.
    pub(crate) fn go(pattern: &str) -> Result<Glob, GlobError> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            i += 1;
            match c {
                '*' => {
                    if tokens.last() != Some(&Token::Star) {
                        tokens.push(Token::Star);
                    }
                }
                '?' => tokens.push(Token::AnyChar),
                '[' => {
                    let (tok, next) = parse_class(&chars, i)?;
                    tokens.push(tok);
                    i = next;
                }
                '\\' => match chars.get(i) {
                    Some(&e) => {
                        tokens.push(Token::Literal(e));
                        i += 1;
                    }
                    None => return Err(err("trailing backslash")),
                },
                c => tokens.push(Token::Literal(c)),
            }
        }
        Ok(Glob { tokens })
    }

    /// Whether the whole of `s` matches.
    pub(crate) fn matches(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        let n = chars.len();
        // `next[j]`: do tokens[t+1..] match chars[j..]?  Start with t = len.
        let mut next = vec![false; n + 1];
        next[n] = true;
        let mut cur = vec![false; n + 1];
        for tok in self.tokens.iter().rev() {
            cur[n] = matches!(tok, Token::Star | Token::OptDirs | Token::AnyString) && next[n];
            match tok {
                Token::Star => {
                    for j in (0..n).rev() {
                        cur[j] = next[j] || (chars[j] != '/' && cur[j + 1]);
                    }
                }
                Token::AnyString => {
                    for j in (0..n).rev() {
                        cur[j] = next[j] || cur[j + 1];
                    }
                }
                Token::OptDirs => {
                    let mut later_slash = false;
                    for j in (0..n).rev() {
                        later_slash = later_slash || (chars[j] == '/' && next[j + 1]);
                        cur[j] = next[j] || later_slash;
                    }
                }
                _ => {
                    for j in 0..n {
                        cur[j] = next[j + 1] && tok.matches_char(chars[j]);
                    }
                }
            }
            std::mem::swap(&mut cur, &mut next);
        }
        next[0]
    }
}

/// Parses a character class whose `[` has been consumed; `i` points just
/// after it. Returns the token and the index after the closing `]`.
pub(crate) fn parse_class(chars: &[char], mut i: usize) -> Result<(Token, usize), GlobError> {
    let mut negated = false;
    if chars.get(i) == Some(&'^') {
        negated = true;
        i += 1;
    }
    let mut ranges = Vec::new();
    loop {
        match chars.get(i) {
            None => return Err(err("unterminated character class")),
            Some(']') if !ranges.is_empty() => {
                return Ok((Token::Class { negated, ranges }, i + 1));
            }
            _ => {}
        }
        let (lo, next) = class_char(chars, i)?;
        i = next;
        let mut hi = lo;
        if chars.get(i) == Some(&'-') {
            let (h, next) = class_char(chars, i + 1)?;
            hi = h;
            i = next;
        }
        ranges.push((lo, hi));
    }
}

fn class_char(chars: &[char], i: usize) -> Result<(char, usize), GlobError> {
    match chars.get(i) {
        None => Err(err("unterminated character class")),
        Some('-') | Some(']') => Err(err("invalid character class")),
        Some('\\') => match chars.get(i + 1) {
            Some(&c) => Ok((c, i + 2)),
            None => Err(err("unterminated character class")),
        },
        Some(&c) => Ok((c, i + 1)),
    }
}

/// Whether a path component contains glob metacharacters.
pub(crate) fn has_meta(s: &str) -> bool {
    s.contains(['*', '?', '[', '\\'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_match_table() {
        let cases: &[(&str, &str, bool)] = &[
            ("abc", "abc", true),
            ("*", "abc", true),
            ("*", ".env", true),
            ("*c", "abc", true),
            ("a*", "a", true),
            ("a*", "ab/c", false),
            ("a*/b", "abc/b", true),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
            ("ab[c]", "abc", true),
            ("ab[b-d]", "abc", true),
            ("ab[e-g]", "abc", false),
            ("ab[^c]", "abc", false),
            ("ab[^b-d]", "abe", true),
            ("a\\*b", "a*b", true),
            ("a\\*b", "ab", false),
            ("a?b", "a☺b", true),
            ("a?b", "a/b", false),
            ("[\\]a]", "]", true),
            ("[\\-]", "-", true),
            ("[x\\-]", "z", false),
            ("*x", "xxx", true),
            ("a*", "", false),
            ("", "", true),
            ("", "a", false),
        ];
        for &(p, s, want) in cases {
            let g = Glob::go(p).unwrap_or_else(|e| panic!("{p}: {e}"));
            assert_eq!(g.matches(s), want, "pattern {p:?} on {s:?}");
        }
    }

    #[test]
    fn go_bad_patterns() {
        for p in ["[", "[^", "[]a]", "[-]", "[x-]", "a\\", "[\\", "[^]", "[a"] {
            assert!(Glob::go(p).is_err(), "{p:?} should be invalid");
        }
    }

    #[test]
    fn no_exponential_blowup() {
        let g = Glob::go(&"*a".repeat(50)).unwrap();
        let s = "a".repeat(5000) + "b";
        assert!(!g.matches(&s));
    }
}
