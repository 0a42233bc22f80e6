//! Compose variable interpolation, with the semantics of `docker compose` (compose-go's
//! `template` package, v2), on plain strings with byte offsets. Knows nothing about YAML.
//!
//! # Syntax
//!
//! | form | value |
//! |---|---|
//! | `$$` | a literal `$` |
//! | `$NAME`, `${NAME}` | the value of `NAME`; unset → `""` and an [`IssueKind::Unset`] warning (an empty variable is *not* warned about) |
//! | `${NAME:-arg}` | `arg` when `NAME` is unset or empty, else its value |
//! | `${NAME-arg}` | `arg` when `NAME` is unset, else its value (possibly empty) |
//! | `${NAME:?arg}` | [`IssueKind::Required`] error with message `arg` when unset or empty |
//! | `${NAME?arg}` | [`IssueKind::Required`] error with message `arg` when unset |
//! | `${NAME:+arg}` | `arg` when `NAME` is set and non-empty, else `""` |
//! | `${NAME+arg}` | `arg` when `NAME` is set (even empty), else `""` |
//!
//! # Decisions (each follows compose-go)
//!
//! - Names are `[A-Za-z_][A-Za-z0-9_]*`. Compose matches them with a case-insensitive Go
//!   regular expression, whose Unicode case folding also admits `ſ` (U+017F) and the Kelvin
//!   sign `K` (U+212A); we accept those two as well so that we split names exactly where
//!   Compose does.
//! - `$NAME` takes the longest name: `$FOO-bar` is `$FOO` followed by `-bar`.
//! - A `$` followed by anything other than `$`, a name start or `{` is literal and not an
//!   error: `$1`, `a $ b`, `^x$`, `$}` are kept as written.
//! - `${` that does not continue with a name and then `}` or an operator is an
//!   [`IssueKind::Invalid`] error: `${`, `${}`, `${ x}`, `${x }`, `${x!}`, `${:-x}`, `${1}`.
//!   Like Compose, only the two characters `${` are consumed (they expand to nothing) and
//!   scanning continues after them, so references that follow are still seen.
//! - The operator is the one written right after the name; the argument runs to the closing
//!   brace found the way Compose finds it: the candidate text ends at the *last* `}` on the
//!   same line (the argument cannot span a newline: `${A:-x` + newline + `}` is invalid), and
//!   inside it the closing brace is the one that balances the opening `${`, counting every
//!   `{` as an opener and not looking at the character right after a `{`. When no brace
//!   balances (`${A:-{x}`), the argument runs to that last `}`.
//! - The argument is itself interpolated (`${A:-${B:-c}}`, `${A:?need ${B}}`), lazily: only
//!   when it is used, so an unset variable or an error inside an unused branch is not
//!   reported (compose-go v2 evaluates lazily too).
//! - `${NAME:?}` / `${NAME?}` with an empty message: `required variable NAME is missing a value`.
//! - Compose stops at the first error; we report every issue, in source order, and keep
//!   producing a value (a failed reference expands to `""`).
//!
//! Ranges are byte ranges into the text given to [`interpolate`] / [`references`].

use std::ops::Range;

/// The result of [`interpolate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpolated {
    /// The interpolated text (with failed references expanded to `""`).
    pub value: String,
    /// Warnings and errors, in source order.
    pub issues: Vec<Issue>,
}

impl Interpolated {
    /// Whether any issue is an error (Compose would refuse to load the value).
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|issue| issue.kind.is_error())
    }
}

/// A problem found while interpolating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub kind: IssueKind,
    /// The variable concerned; for [`IssueKind::Invalid`], the name read so far (often empty).
    pub name: String,
    /// Where in the text: the whole reference (`${V:?msg}`, `$V`), or for invalid syntax
    /// from the `$` to the first `}` on the same line (to the end of the line when none).
    pub range: Range<usize>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IssueKind {
    /// `${V}` or `$V` with `V` unset and no default: a warning; expands to `""`.
    Unset,
    /// `${V:?err}` / `${V?err}` failed: an error carrying the user's message.
    Required,
    /// Bad syntax after `${`: an error.
    Invalid,
}

impl IssueKind {
    /// `Required` and `Invalid` make Compose refuse the file; `Unset` is a warning.
    pub fn is_error(self) -> bool {
        !matches!(self, IssueKind::Unset)
    }
}

/// The operator of a braced reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `:-`: default when unset or empty.
    DefaultIfUnsetOrEmpty,
    /// `-`: default when unset.
    DefaultIfUnset,
    /// `:?`: error when unset or empty.
    RequiredNonEmpty,
    /// `?`: error when unset.
    Required,
    /// `:+`: replacement when set and non-empty.
    ReplaceIfNonEmpty,
    /// `+`: replacement when set.
    ReplaceIfSet,
}

impl Operator {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::DefaultIfUnsetOrEmpty => ":-",
            Operator::DefaultIfUnset => "-",
            Operator::RequiredNonEmpty => ":?",
            Operator::Required => "?",
            Operator::ReplaceIfNonEmpty => ":+",
            Operator::ReplaceIfSet => "+",
        }
    }
}

/// One use of a variable, as listed by [`references`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub name: String,
    /// The whole reference: `$V` or `${V…}`.
    pub range: Range<usize>,
    /// Just the name.
    pub name_range: Range<usize>,
    /// `${…}` rather than `$V`.
    pub braced: bool,
    pub operator: Option<Operator>,
    /// The raw text after the operator (default, error message or replacement).
    pub argument: Option<Range<usize>>,
    /// `:-` or `-`: an unset variable falls back to the default.
    pub has_default: bool,
    /// 0 for a top-level reference, 1 inside the argument of another one, and so on.
    pub depth: usize,
}

impl Reference {
    /// Whether Compose warns when this variable is unset (no operator at all: `${V}`, `$V`).
    /// `:+`/`+` expand to `""` silently and `:?`/`?` fail with an error instead.
    pub fn warns_when_unset(&self) -> bool {
        self.operator.is_none()
    }
}

/// Interpolates `text` the way Compose does. `lookup` returns `None` for an unset variable
/// and `Some("")` for a variable set to the empty string.
pub fn interpolate(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Interpolated {
    let pieces = parse(text, 0, text.len());
    let mut value = String::with_capacity(text.len());
    let mut issues = Vec::new();
    eval(text, &pieces, lookup, &mut value, &mut issues);
    Interpolated { value, issues }
}

/// Every variable use in `text`, in source order (an outer reference before those in its
/// argument), including uses inside defaults and messages whether or not they would be
/// evaluated. `$$` and invalid syntax are not references.
pub fn references(text: &str) -> Vec<Reference> {
    let pieces = parse(text, 0, text.len());
    let mut out = Vec::new();
    collect(text, &pieces, 0, &mut out);
    out
}

/// Whether `text` contains anything Compose would interpolate or reject (`$$` included).
pub fn needs_interpolation(text: &str) -> bool {
    parse(text, 0, text.len())
        .iter()
        .any(|piece| !matches!(piece, Piece::Literal(_)))
}

// ---------------------------------------------------------------------------------------

#[derive(Debug)]
enum Piece {
    Literal(Range<usize>),
    /// `$$`
    Escaped,
    Var(Var),
    Invalid {
        name: String,
        range: Range<usize>,
        reason: String,
    },
}

#[derive(Debug)]
struct Var {
    range: Range<usize>,
    name_range: Range<usize>,
    braced: bool,
    op: Option<(Operator, Range<usize>, Vec<Piece>)>,
}

/// Length in bytes of the name character at `i`, if there is one. `first`: a name start.
fn name_char_len(text: &str, i: usize, end: usize, first: bool) -> Option<usize> {
    if i >= end {
        return None;
    }
    let c = text[i..end].chars().next()?;
    let ok = c == '_'
        || c.is_ascii_alphabetic()
        || (!first && c.is_ascii_digit())
        || c == '\u{17F}'
        || c == '\u{212A}';
    ok.then(|| c.len_utf8())
}

fn name_end(text: &str, start: usize, end: usize) -> Option<usize> {
    let mut i = start + name_char_len(text, start, end, true)?;
    while let Some(len) = name_char_len(text, i, end, false) {
        i += len;
    }
    Some(i)
}

/// Parses `text[start..end]` into pieces.
fn parse(text: &str, start: usize, end: usize) -> Vec<Piece> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut literal_start = start;
    let mut i = start;
    let flush = |pieces: &mut Vec<Piece>, from: usize, to: usize| {
        if from < to {
            pieces.push(Piece::Literal(from..to));
        }
    };
    while i < end {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        let next = i + 1;
        if next < end && bytes[next] == b'$' {
            flush(&mut pieces, literal_start, i);
            pieces.push(Piece::Escaped);
            i += 2;
            literal_start = i;
        } else if let Some(name_end) = name_end(text, next, end) {
            flush(&mut pieces, literal_start, i);
            pieces.push(Piece::Var(Var {
                range: i..name_end,
                name_range: next..name_end,
                braced: false,
                op: None,
            }));
            i = name_end;
            literal_start = i;
        } else if next < end && bytes[next] == b'{' {
            flush(&mut pieces, literal_start, i);
            let (piece, resume) = parse_braced(text, i, end);
            pieces.push(piece);
            i = resume;
            literal_start = i;
        } else {
            // A lone `$` stays literal.
            i += 1;
        }
    }
    flush(&mut pieces, literal_start, end);
    pieces
}

fn line_end(bytes: &[u8], from: usize, end: usize) -> usize {
    bytes[from..end]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(end, |p| from + p)
}

/// Parses `${…` starting at `dollar` (which is followed by `{`). Returns the piece and where
/// scanning resumes.
fn parse_braced(text: &str, dollar: usize, end: usize) -> (Piece, usize) {
    let bytes = text.as_bytes();
    let name_start = dollar + 2;
    let invalid = |name: &str, reason: String| {
        // Compose consumes only `${`; the range shown runs to the first `}` on the line.
        let eol = line_end(bytes, dollar, end);
        let shown_end = bytes[name_start.min(eol)..eol]
            .iter()
            .position(|&b| b == b'}')
            .map_or(eol, |p| name_start + p + 1);
        let range = dollar..shown_end.max(name_start.min(end));
        let message = format!(
            "invalid interpolation format `{}`: {reason} (to write a literal `$`, use `$$`)",
            &text[range.clone()]
        );
        (
            Piece::Invalid {
                name: name.to_string(),
                range,
                reason: message,
            },
            name_start,
        )
    };

    let Some(name_end) = name_end(text, name_start, end) else {
        let reason = match bytes.get(name_start).filter(|_| name_start < end) {
            None | Some(b'\n') => "`${` is not closed".to_string(),
            Some(b'}') => "the variable name is missing".to_string(),
            Some(_) => {
                let c = text[name_start..end].chars().next().unwrap_or(' ');
                format!(
                    "`${{` must be followed by a variable name (letters, digits and `_`, not starting with a digit), found {}",
                    describe(c)
                )
            }
        };
        return invalid("", reason);
    };
    let name = &text[name_start..name_end];
    let k = name_end;
    if k < end && bytes[k] == b'}' {
        return (
            Piece::Var(Var {
                range: dollar..k + 1,
                name_range: name_start..name_end,
                braced: true,
                op: None,
            }),
            k + 1,
        );
    }
    let op = match (
        bytes.get(k).filter(|_| k < end),
        bytes.get(k + 1).filter(|_| k + 1 < end),
    ) {
        (Some(b':'), Some(b'-')) => Some((Operator::DefaultIfUnsetOrEmpty, 2)),
        (Some(b':'), Some(b'?')) => Some((Operator::RequiredNonEmpty, 2)),
        (Some(b':'), Some(b'+')) => Some((Operator::ReplaceIfNonEmpty, 2)),
        (Some(b'-'), _) => Some((Operator::DefaultIfUnset, 1)),
        (Some(b'?'), _) => Some((Operator::Required, 1)),
        (Some(b'+'), _) => Some((Operator::ReplaceIfSet, 1)),
        _ => None,
    };
    let Some((op, op_len)) = op else {
        let reason = match bytes.get(k).filter(|_| k < end) {
            None | Some(b'\n') => format!("`${{{name}` is not closed with `}}`"),
            Some(_) => {
                let c = text[k..end].chars().next().unwrap_or(' ');
                format!(
                    "unexpected {} after `${{{name}`: expected `}}` or one of `:-`, `-`, `:?`, `?`, `:+`, `+`",
                    describe(c)
                )
            }
        };
        return invalid(name, reason);
    };
    let arg_start = k + op_len;
    let eol = line_end(bytes, arg_start, end);
    let last_close = bytes[arg_start..eol]
        .iter()
        .rposition(|&b| b == b'}')
        .map(|p| arg_start + p);
    let Some(last_close) = last_close else {
        let later = eol < end && bytes[eol..end].contains(&b'}');
        let reason = if later {
            format!(
                "`${{{name}{}` is not closed on the same line (an interpolation cannot span lines)",
                op.as_str()
            )
        } else {
            format!("`${{{name}{}` is not closed with `}}`", op.as_str())
        };
        return invalid(name, reason);
    };
    let candidate_end = last_close + 1;
    // Compose's brace matching over the candidate text.
    let mut open = 0usize;
    let mut close = None;
    let mut j = dollar;
    while j < candidate_end {
        if bytes[j] == b'}' {
            open = open.saturating_sub(1);
            if open == 0 {
                close = Some(j);
                break;
            }
        }
        if bytes[j] == b'{' {
            open += 1;
            j += 1;
        }
        j += 1;
    }
    let (arg_end, ref_end) = match close {
        Some(c) => (c, c + 1),
        None => (last_close, candidate_end),
    };
    let children = parse(text, arg_start, arg_end);
    (
        Piece::Var(Var {
            range: dollar..ref_end,
            name_range: name_start..name_end,
            braced: true,
            op: Some((op, arg_start..arg_end, children)),
        }),
        ref_end,
    )
}

fn describe(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        '\t' => "a tab".to_string(),
        c if c.is_control() => format!("{c:?}"),
        c => format!("`{c}`"),
    }
}

fn eval(
    text: &str,
    pieces: &[Piece],
    lookup: &dyn Fn(&str) -> Option<String>,
    out: &mut String,
    issues: &mut Vec<Issue>,
) {
    for piece in pieces {
        match piece {
            Piece::Literal(range) => out.push_str(&text[range.clone()]),
            Piece::Escaped => out.push('$'),
            Piece::Invalid {
                name,
                range,
                reason,
            } => issues.push(Issue {
                kind: IssueKind::Invalid,
                name: name.clone(),
                range: range.clone(),
                message: reason.clone(),
            }),
            Piece::Var(var) => {
                let name = &text[var.name_range.clone()];
                let value = lookup(name);
                let Some((op, _, children)) = &var.op else {
                    match value {
                        Some(v) => out.push_str(&v),
                        None => issues.push(Issue {
                            kind: IssueKind::Unset,
                            name: name.to_string(),
                            range: var.range.clone(),
                            message: format!(
                                "the \"{name}\" variable is not set; defaulting to a blank string"
                            ),
                        }),
                    }
                    continue;
                };
                let non_empty = value.as_deref().is_some_and(|v| !v.is_empty());
                match op {
                    Operator::DefaultIfUnsetOrEmpty | Operator::DefaultIfUnset => {
                        let use_default = match op {
                            Operator::DefaultIfUnsetOrEmpty => !non_empty,
                            _ => value.is_none(),
                        };
                        if use_default {
                            eval(text, children, lookup, out, issues);
                        } else {
                            out.push_str(value.as_deref().unwrap_or(""));
                        }
                    }
                    Operator::ReplaceIfNonEmpty | Operator::ReplaceIfSet => {
                        let replace = match op {
                            Operator::ReplaceIfNonEmpty => non_empty,
                            _ => value.is_some(),
                        };
                        if replace {
                            eval(text, children, lookup, out, issues);
                        } else {
                            out.push_str(value.as_deref().unwrap_or(""));
                        }
                    }
                    Operator::RequiredNonEmpty | Operator::Required => {
                        let ok = match op {
                            Operator::RequiredNonEmpty => non_empty,
                            _ => value.is_some(),
                        };
                        if ok {
                            out.push_str(value.as_deref().unwrap_or(""));
                        } else {
                            let mut reason = String::new();
                            let mut nested = Vec::new();
                            eval(text, children, lookup, &mut reason, &mut nested);
                            issues.extend(nested);
                            let message = if reason.is_empty() {
                                format!("required variable {name} is missing a value")
                            } else {
                                format!("required variable {name} is missing a value: {reason}")
                            };
                            issues.push(Issue {
                                kind: IssueKind::Required,
                                name: name.to_string(),
                                range: var.range.clone(),
                                message,
                            });
                        }
                    }
                }
            }
        }
    }
}

fn collect(text: &str, pieces: &[Piece], depth: usize, out: &mut Vec<Reference>) {
    for piece in pieces {
        let Piece::Var(var) = piece else { continue };
        let operator = var.op.as_ref().map(|(op, _, _)| *op);
        out.push(Reference {
            name: text[var.name_range.clone()].to_string(),
            range: var.range.clone(),
            name_range: var.name_range.clone(),
            braced: var.braced,
            operator,
            argument: var.op.as_ref().map(|(_, arg, _)| arg.clone()),
            has_default: matches!(
                operator,
                Some(Operator::DefaultIfUnsetOrEmpty | Operator::DefaultIfUnset)
            ),
            depth,
        });
        if let Some((_, _, children)) = &var.op {
            collect(text, children, depth + 1, out);
        }
    }
}
