//! Inline suppression comments:
//!
//! ```text
//! # dockside ignore=merge-consecutive-runs,DF202 -- reason
//! # dockside global ignore=secret-in-env
//! # dockside ignore=all
//! # hadolint ignore=DL3008,DL3009
//! # hadolint global ignore=DL3059
//! ```
//!
//! Only the comment syntax is handled here; matching comments to
//! instructions and resolving rule names is up to the linter.

use std::fmt;
use std::ops::Range;

use crate::suggest::levenshtein;

/// Which tool's comment syntax was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tool {
    /// `# dockside ignore=…`
    Dockside,
    /// `# hadolint ignore=…`
    Hadolint,
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Tool::Dockside => "dockside",
            Tool::Hadolint => "hadolint",
        })
    }
}

/// A well-formed suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressionComment {
    /// `global ignore=…`: applies to the whole file.
    pub global: bool,
    /// `dockside` or `hadolint`.
    pub tool: Tool,
    /// Rule names/codes as written (excluding `all`), with byte ranges
    /// relative to the comment text passed to [`parse_comment`].
    pub rules: Vec<(String, Range<usize>)>,
    /// Text after `--`, trimmed; `None` if absent or empty.
    pub reason: Option<String>,
    /// `all` was listed: every rule is suppressed.
    pub all: bool,
}

/// A malformed suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressionError {
    /// What is wrong.
    pub message: String,
    /// Byte range relative to the comment text.
    pub range: Range<usize>,
}

impl fmt::Display for SuppressionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SuppressionError {}

/// Parse a comment (the full text including the leading `#`).
///
/// Returns `None` if it is not a suppression comment at all (including
/// other pragmas such as `# hadolint shell=bash`), `Some(Err)` if it is
/// a malformed one, e.g. `# dockside ignore=` or `# dockside ignor=x`.
pub fn parse_comment(comment: &str) -> Option<Result<SuppressionComment, SuppressionError>> {
    let mut c = Cursor { s: comment, pos: 0 };
    c.skip_ws();
    if !c.eat('#') {
        return None;
    }
    c.skip_ws();
    let (_, tool_word) = c.word();
    let tool = if tool_word.eq_ignore_ascii_case("dockside") {
        Tool::Dockside
    } else if tool_word.eq_ignore_ascii_case("hadolint") {
        Tool::Hadolint
    } else {
        return None;
    };
    if !c.at_end() && !c.peek().is_some_and(char::is_whitespace) {
        return None; // e.g. "# dockside: …", "# dockside.toml"
    }
    c.skip_ws();

    let (mut d_range, mut directive) = c.word();
    let mut global = false;
    let global_range = d_range.clone();
    if directive.eq_ignore_ascii_case("global") {
        global = true;
        c.skip_ws();
        (d_range, directive) = c.word();
    } else if !directive.is_empty() && !directive.eq_ignore_ascii_case("ignore") {
        // A misspelt `global` followed by `ignore`?
        let mut look = c.clone();
        look.skip_ws();
        let (_, next) = look.word();
        if next.eq_ignore_ascii_case("ignore")
            && levenshtein(&directive.to_ascii_lowercase(), "global") <= 2
        {
            return Some(Err(SuppressionError {
                message: format!("unknown modifier `{directive}`; did you mean `global`?"),
                range: d_range,
            }));
        }
    }
    let after_word = c.pos;
    c.skip_ws();
    let has_eq = c.peek() == Some('=');

    if !directive.eq_ignore_ascii_case("ignore") {
        if directive.is_empty() {
            return global.then(|| {
                Err(SuppressionError {
                    message: "expected `ignore=` after `global`".into(),
                    range: global_range.clone(),
                })
            });
        }
        if directive.eq_ignore_ascii_case("shell") && !global {
            return None; // `# hadolint shell=bash` pragma, not a suppression
        }
        if !has_eq && !global {
            return None; // prose such as "# dockside is great"
        }
        let close = levenshtein(&directive.to_ascii_lowercase(), "ignore") <= 3;
        let message = if close {
            format!("unknown directive `{directive}`; did you mean `ignore=`?")
        } else {
            format!("unknown directive `{directive}`; expected `ignore=`")
        };
        return Some(Err(SuppressionError {
            message,
            range: d_range,
        }));
    }
    if !has_eq {
        return Some(Err(SuppressionError {
            message: "expected `=` after `ignore`".into(),
            range: d_range.start..after_word,
        }));
    }
    let eq_pos = c.pos;
    c.eat('=');

    let mut rules = Vec::new();
    let mut all = false;
    let mut last_comma: Option<usize> = None;
    loop {
        c.skip_ws();
        let (range, name) = c.rule_name();
        if name.is_empty() {
            let (message, range) = match last_comma {
                None => (
                    "expected at least one rule name after `ignore=`".to_string(),
                    d_range.start..eq_pos + 1,
                ),
                Some(comma) => (
                    "expected a rule name after `,`".to_string(),
                    comma..comma + 1,
                ),
            };
            return Some(Err(SuppressionError { message, range }));
        }
        if name.eq_ignore_ascii_case("all") {
            all = true;
        } else {
            rules.push((name.to_string(), range));
        }
        c.skip_ws();
        if c.peek() == Some(',') {
            last_comma = Some(c.pos);
            c.eat(',');
        } else {
            break;
        }
    }

    c.skip_ws();
    let rest_start = c.pos;
    let rest = comment[rest_start..].trim_end();
    let reason = if rest.is_empty() {
        None
    } else if let Some(reason) = rest.strip_prefix("--") {
        Some(reason.trim().to_string()).filter(|r| !r.is_empty())
    } else if tool == Tool::Hadolint {
        None // hadolint ignores trailing text
    } else {
        return Some(Err(SuppressionError {
            message: format!(
                "unexpected `{}` after the rule list; separate rules with `,` and put a reason after `--`",
                rest.split_whitespace().next().unwrap_or(rest)
            ),
            range: rest_start..rest_start + rest.len(),
        }));
    };

    Some(Ok(SuppressionComment {
        global,
        tool,
        rules,
        reason,
        all,
    }))
}

#[derive(Clone)]
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    fn eat(&mut self, ch: char) -> bool {
        if self.peek() == Some(ch) {
            self.pos += ch.len_utf8();
            true
        } else {
            false
        }
    }

    fn skip_ws(&mut self) {
        while let Some(ch) = self.peek().filter(|c| c.is_whitespace()) {
            self.pos += ch.len_utf8();
        }
    }

    fn take_while(&mut self, f: impl Fn(char) -> bool) -> (Range<usize>, &'a str) {
        let start = self.pos;
        while let Some(ch) = self.peek().filter(|&c| f(c)) {
            self.pos += ch.len_utf8();
        }
        (start..self.pos, &self.s[start..self.pos])
    }

    /// A keyword: ASCII letters, digits, `-`, `_`.
    fn word(&mut self) -> (Range<usize>, &'a str) {
        self.take_while(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    }

    /// A rule name, code or alias: starts with an ASCII letter or digit,
    /// continues with letters, digits, `-`, `_`, `.`.
    fn rule_name(&mut self) -> (Range<usize>, &'a str) {
        if !self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
            return (self.pos..self.pos, "");
        }
        self.take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    }
}
