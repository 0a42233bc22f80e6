//! `.dockerignore` parsing and matching with Docker's semantics
//! (`moby/patternmatcher` + `moby/patternmatcher/ignorefile`).
//!
//! * One pattern per line; a line whose first byte is `#` is a comment;
//!   surrounding whitespace is trimmed and blank lines are skipped.
//! * A leading `!` turns the pattern into an exception (re-inclusion).
//! * Patterns are cleaned like Go's `filepath.Clean` and a leading `/` is
//!   dropped: everything is relative to the context root.
//! * Matching follows `filepath.Match` (`*` and `?` stay within one path
//!   element, `[...]` classes, `\` escapes) plus `**`, which matches any
//!   number of directories (including none).
//! * A pattern matching a directory also matches everything below it, and
//!   the last matching pattern decides.

use std::fmt;
use std::ops::Range;

use crate::glob::{Glob, GlobError, Token, has_meta, parse_class};
use crate::paths::{go_clean, normalize_rel};

/// One valid pattern of a `.dockerignore` file.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The pattern as written (trimmed, without the leading `!`).
    pub text: String,
    /// `true` for an exception (`!pattern`), which re-includes files.
    pub exclusion: bool,
    /// 1-based line number in the file.
    pub line: usize,
    /// Byte range of the trimmed line in the file (including any `!`).
    pub range: Range<usize>,
    /// The cleaned pattern actually used for matching (e.g. `/secret/` → `secret`).
    pub cleaned: String,
    matcher: Matcher,
}

impl Pattern {
    /// Whether this pattern matches `path` itself (not considering parents).
    /// `path` must already be normalised.
    fn matches_exactly(&self, path: &str) -> bool {
        self.matcher.matches(path)
    }

    /// Whether this pattern matches `path` or one of its parent directories.
    fn matches_path(&self, path: &str) -> bool {
        if self.matches_exactly(path) {
            return true;
        }
        path.match_indices('/')
            .any(|(i, _)| self.matches_exactly(&path[..i]))
    }
}

/// A line that Docker would reject (the build would fail with
/// "syntax error in pattern" / "illegal exclusion pattern").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// The offending line, trimmed.
    pub text: String,
    /// 1-based line number.
    pub line: usize,
    /// Byte range of the trimmed line in the file.
    pub range: Range<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// How a cleaned pattern is matched; mirrors patternmatcher's fast paths,
/// which are observable (e.g. `**foo` matches `barfoo`).
#[derive(Debug, Clone)]
enum Matcher {
    Exact(String),
    Prefix(String),
    Suffix(String),
    Glob(Glob),
}

impl Matcher {
    fn compile(p: &str) -> Result<Matcher, GlobError> {
        // Docker validates with `filepath.Match(p, ".")` before compiling.
        Glob::go(p)?;

        #[derive(PartialEq)]
        enum Kind {
            Exact,
            Prefix,
            Suffix,
            Regexp,
        }
        let chars: Vec<char> = p.chars().collect();
        let mut kind = Kind::Exact;
        let mut tokens = Vec::new();
        let mut i = 0;
        let mut first = true;
        while i < chars.len() {
            let c = chars[i];
            i += 1;
            match c {
                '*' if chars.get(i) == Some(&'*') => {
                    i += 1;
                    if chars.get(i) == Some(&'/') {
                        i += 1;
                    }
                    if i == chars.len() {
                        if kind == Kind::Exact {
                            kind = Kind::Prefix;
                        } else {
                            tokens.push(Token::AnyString);
                            kind = Kind::Regexp;
                        }
                    } else {
                        tokens.push(Token::OptDirs);
                        kind = Kind::Regexp;
                    }
                    if first {
                        kind = Kind::Suffix;
                    }
                }
                '*' => {
                    tokens.push(Token::Star);
                    kind = Kind::Regexp;
                }
                '?' => {
                    tokens.push(Token::AnyChar);
                    kind = Kind::Regexp;
                }
                '\\' => {
                    if let Some(&e) = chars.get(i) {
                        tokens.push(Token::Literal(e));
                        i += 1;
                        kind = Kind::Regexp;
                    } else {
                        tokens.push(Token::Literal('\\'));
                    }
                }
                '[' => {
                    let (tok, next) = parse_class(&chars, i)?;
                    tokens.push(tok);
                    i = next;
                    kind = Kind::Regexp;
                }
                ']' => {
                    tokens.push(Token::Literal(']'));
                    kind = Kind::Regexp;
                }
                c => tokens.push(Token::Literal(c)),
            }
            first = false;
        }
        Ok(match kind {
            Kind::Exact => Matcher::Exact(p.to_owned()),
            Kind::Prefix => Matcher::Prefix(p[..p.len() - 2].to_owned()),
            Kind::Suffix => Matcher::Suffix(p[2..].to_owned()),
            Kind::Regexp => Matcher::Glob(Glob::from_tokens(tokens)),
        })
    }

    fn matches(&self, path: &str) -> bool {
        match self {
            Matcher::Exact(p) => path == p,
            Matcher::Prefix(p) => path.starts_with(p.as_str()),
            Matcher::Suffix(s) => {
                path.ends_with(s.as_str()) || s.strip_prefix('/').is_some_and(|rest| path == rest)
            }
            Matcher::Glob(g) => g.matches(path),
        }
    }
}

/// A parsed `.dockerignore` file.
#[derive(Debug, Clone, Default)]
pub struct DockerIgnore {
    patterns: Vec<Pattern>,
    errors: Vec<PatternError>,
}

impl DockerIgnore {
    /// Parses the text of a `.dockerignore` file. Never fails: invalid lines
    /// are collected in [`DockerIgnore::errors`] and otherwise ignored.
    pub fn parse(text: &str) -> DockerIgnore {
        let mut ignore = DockerIgnore::default();
        let mut offset = 0;
        for (idx, raw) in text.split_inclusive('\n').enumerate() {
            let line_start = offset;
            offset += raw.len();
            let mut line = raw.strip_suffix('\n').unwrap_or(raw);
            line = line.strip_suffix('\r').unwrap_or(line);
            let mut start = line_start;
            if idx == 0
                && let Some(rest) = line.strip_prefix('\u{feff}')
            {
                line = rest;
                start += '\u{feff}'.len_utf8();
            }
            // Docker checks for comments before trimming.
            if line.starts_with('#') {
                continue;
            }
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            let lead = line.len() - line.trim_start().len();
            let range = start + lead..start + lead + trimmed.len();
            let line_no = idx + 1;

            let (exclusion, body) = match trimmed.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, trimmed),
            };
            let error = |message: String| PatternError {
                text: trimmed.to_owned(),
                line: line_no,
                range: range.clone(),
                message,
            };
            if body.is_empty() {
                ignore
                    .errors
                    .push(error("illegal exclusion pattern: \"!\"".to_owned()));
                continue;
            }
            let mut cleaned = go_clean(body);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
            match Matcher::compile(&cleaned) {
                Ok(matcher) => ignore.patterns.push(Pattern {
                    text: body.to_owned(),
                    exclusion,
                    line: line_no,
                    range,
                    cleaned,
                    matcher,
                }),
                Err(e) => ignore.errors.push(error(e.to_string())),
            }
        }
        ignore
    }

    /// The valid patterns, in file order.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Lines Docker would reject; they never match anything here.
    pub fn errors(&self) -> &[PatternError] {
        &self.errors
    }

    /// Whether any `!` exception pattern exists.
    pub fn has_exceptions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// Whether `rel_path` (relative to the context root, `/`-separated) is
    /// left out of the build context.
    pub fn is_excluded(&self, rel_path: &str) -> bool {
        self.matching_pattern(rel_path)
            .is_some_and(|p| !p.exclusion)
    }

    /// The pattern that decides whether `rel_path` is excluded: the last
    /// pattern matching the path or one of its parent directories. An
    /// exception pattern (`exclusion == true`) means the file is included.
    pub fn matching_pattern(&self, rel_path: &str) -> Option<&Pattern> {
        let path = normalize_rel(rel_path)?;
        if path.is_empty() {
            return None;
        }
        self.patterns.iter().rev().find(|p| p.matches_path(&path))
    }

    /// Conservative check used to prune walks: could an exception pattern
    /// re-include `dir` or something below it? `false` is definitive.
    pub fn may_reinclude_under(&self, dir: &str) -> bool {
        self.patterns
            .iter()
            .filter(|p| p.exclusion)
            .any(|p| could_match_at_or_below(&p.cleaned, dir))
    }
}

fn could_match_at_or_below(pattern: &str, dir: &str) -> bool {
    let mut pcs = pattern.split('/');
    let mut dcs = dir.split('/');
    loop {
        match (pcs.next(), dcs.next()) {
            (Some(p), Some(d)) => {
                if has_meta(p) {
                    return true;
                }
                if p != d {
                    return false;
                }
            }
            // The pattern names `dir`, an ancestor of it, or something deeper.
            (None, _) | (Some(_), None) => return true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (dockerignore text, path, excluded?)
    const CASES: &[(&str, &str, bool)] = &[
        // Plain names and directories.
        ("node_modules", "node_modules", true),
        ("node_modules", "node_modules/x/y", true),
        ("node_modules", "src/node_modules", false),
        ("dir/", "dir/file", true),
        ("dir/", "dir", true),
        ("dir/", "dirx/file", false),
        ("/secret", "secret", true),
        ("/secret", "secret/inner/key", true),
        ("/secret", "a/secret", false),
        ("./build//out/", "build/out/x.o", true),
        ("a/../b", "b/c", true),
        // Single-star and question mark.
        ("*.md", "README.md", true),
        ("*.md", "docs/README.md", false),
        ("*/temp*", "somedir/temporary.txt", true),
        ("*/temp*", "somedir/temp/x", true),
        ("*/temp*", "temp", false),
        ("*/temp*", "a/b/temp", false),
        ("*/*/temp*", "a/b/temp1", true),
        ("temp?", "tempa", true),
        ("temp?", "temp", false),
        ("temp?", "tempab", false),
        ("temp?", "temp/", false),
        ("*", "anything", true),
        ("*", "deep/nested/file", true),
        // Double star.
        ("**", "a/b/c", true),
        ("**/*.pem", "key.pem", true),
        ("**/*.pem", "a/b/key.pem", true),
        ("**/*.pem", "a/b/key.pem.bak", false),
        ("**/foo", "foo", true),
        ("**/foo", "x/y/foo", true),
        ("**/foo", "x/yfoo", false),
        ("**foo", "barfoo", true), // patternmatcher's suffix fast path
        ("a/**", "a/b", true),
        ("a/**", "a", false),
        ("a/**/b", "a/b", true),
        ("a/**/b", "a/x/y/b", true),
        ("a/**/b", "a/xb", false),
        ("a/**/*.go", "a/x/y.go", true),
        ("**/node_modules", "pkg/node_modules/dep/index.js", true),
        ("**/.git", ".git/config", true),
        // Character classes and escapes.
        ("[a-c]at", "bat", true),
        ("[a-c]at", "rat", false),
        ("[^a-c]at", "rat", true),
        ("[^a-c]at", "bat", false),
        ("\\*.txt", "*.txt", true),
        ("\\*.txt", "a.txt", false),
        ("file\\?", "file?", true),
        // .env family.
        (".env*", ".env", true),
        (".env*", ".env.local", true),
        (".env*", "app/.env", false),
        (".env*\n!.env.example", ".env.example", false),
        (".env*\n!.env.example", ".env.prod", true),
        ("**/.env\n", "services/api/.env", true),
        // Last match wins.
        ("*.md\n!README.md", "README.md", false),
        ("*.md\n!README.md", "CHANGELOG.md", true),
        ("!README.md\n*.md", "README.md", true),
        ("*\n!src\n", "src/main.rs", false),
        ("*\n!src\n", "docs/x", true),
        ("docs\n!docs/keep.md", "docs/keep.md", false),
        ("docs\n!docs/keep.md", "docs/other.md", true),
        ("docs\n!docs/keep.md\ndocs", "docs/keep.md", true),
        // Comments, blank lines, whitespace, CRLF.
        ("# comment\n\n  *.log  \n", "x.log", true),
        ("#*.log", "#x.log", false),
        ("#*.log", "x.log", false),
        (" #x", "#x", true), // only column-0 `#` starts a comment
        ("*.log\r\n!keep.log\r\n", "keep.log", false),
        ("*.log\r\n!keep.log\r\n", "other.log", true),
        ("! keep.log\n", "keep.log", false),
        // Path normalisation of the queried path.
        ("build", "./build/x", true),
        ("build", "/build", true),
        // No patterns.
        ("", "anything", false),
    ];

    #[test]
    fn table() {
        for &(text, path, want) in CASES {
            let ig = DockerIgnore::parse(text);
            assert!(ig.errors().is_empty(), "{text:?}: {:?}", ig.errors());
            assert_eq!(
                ig.is_excluded(path),
                want,
                "patterns {text:?} on path {path:?} (deciding: {:?})",
                ig.matching_pattern(path).map(|p| &p.text)
            );
        }
    }

    #[test]
    fn matching_pattern_reports_decider() {
        let text = "*.md\n  !README.md\n";
        let ig = DockerIgnore::parse(text);
        let p = ig.matching_pattern("README.md").unwrap();
        assert!(p.exclusion);
        assert_eq!(p.text, "README.md");
        assert_eq!(p.line, 2);
        assert_eq!(&text[p.range.clone()], "!README.md");
        let p = ig.matching_pattern("a.md").unwrap();
        assert_eq!((p.line, p.exclusion), (1, false));
        assert_eq!(&text[p.range.clone()], "*.md");
        assert!(ig.matching_pattern("a.txt").is_none());
    }

    #[test]
    fn positions_with_bom_and_crlf() {
        let text = "\u{feff}a\r\n\r\n  /b/  \r\n";
        let ig = DockerIgnore::parse(text);
        let pats = ig.patterns();
        assert_eq!(pats.len(), 2);
        assert_eq!((pats[0].line, &text[pats[0].range.clone()]), (1, "a"));
        assert_eq!((pats[1].line, &text[pats[1].range.clone()]), (3, "/b/"));
        assert_eq!(pats[1].text, "/b/");
        assert_eq!(pats[1].cleaned, "b");
    }

    #[test]
    fn invalid_patterns_are_reported() {
        let text = "ok\n[\n!\n[]a]\nfoo\\\n";
        let ig = DockerIgnore::parse(text);
        let lines: Vec<usize> = ig.errors().iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5]);
        assert_eq!(ig.patterns().len(), 1);
        assert!(ig.is_excluded("ok"));
    }

    #[test]
    fn may_reinclude_under() {
        let ig = DockerIgnore::parse("node_modules\n!src/keep\n");
        assert!(!ig.may_reinclude_under("node_modules"));
        assert!(ig.may_reinclude_under("src"));
        assert!(ig.may_reinclude_under("src/keep/deep"));
        let ig = DockerIgnore::parse("*\n!**/*.rs\n");
        assert!(ig.may_reinclude_under("anything"));
    }
}
