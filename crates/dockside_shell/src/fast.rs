//! Hand-written fast path for the simple shell most `RUN` bodies are made of.
//!
//! [`parse`] accepts a conservative subset of shell and builds exactly the
//! [`Script`] the tree-sitter path (`build.rs`) builds for the same input;
//! for anything outside the subset it returns `None` and the caller falls
//! back to tree-sitter. The subset:
//!
//! * words made of plain characters, backslash escapes (of a printable ASCII
//!   character), `'single quotes'`, `"double quotes"` holding literal text,
//!   backslash escapes and `$NAME` / `${NAME}`, and unquoted `$NAME` /
//!   `${NAME}`; `*` and `?` globs;
//! * `NAME=value` assignments before the command name (or alone), and the
//!   `--NAME=value` words tree-sitter-bash also reads as assignments there;
//! * `export` / `local` / `declare` / `readonly` / `typeset` / `unset` with
//!   flags, names and `NAME=value` arguments;
//! * `&&`, `||`, `|`, `;`, `&` (background) and newlines, `\`-newline line
//!   continuations between words, `#` comments at word start;
//! * redirections `>`, `>>`, `<`, `>&`, `&>`, `&>>` with an optional file
//!   descriptor (`2>&1`, `2>/dev/null`) after the command name.
//!
//! Everything else falls back: substitutions, arithmetic, parameter
//! operators, special parameters (`$1`, `$@`, …), `$'…'` / `$"…"`, subshells,
//! groups, braces, brackets (test commands, globs, subscripts), `!`, `~`,
//! `#` inside words, heredocs and here-strings, compound commands and
//! reserved words, non-ASCII text outside quotes, control characters,
//! anything that would be a syntax error, and a number of shapes where
//! tree-sitter-bash's reading differs from the shell's (each check below
//! says which). The differential tests in `tests/fast_path.rs` hold the two
//! paths to the same output.

use std::ops::Range;

use crate::words::{WordAcc, literal_word};
use crate::{
    Assignment, Context, PipelinePos, Redirect, Script, SimpleCommand, Statement, StatementKind,
    UnwrapCache, Word,
};

/// Words tree-sitter-bash may lex as keywords: never accepted as a plain word.
const RESERVED: &[&[u8]] = &[
    b"if",
    b"then",
    b"else",
    b"elif",
    b"fi",
    b"for",
    b"while",
    b"until",
    b"do",
    b"done",
    b"case",
    b"esac",
    b"function",
    b"select",
    b"in",
    b"coproc",
];

/// Command names tree-sitter-bash models as declaration / unset commands:
/// their arguments come out as plain words, but redirections and prefix
/// assignments are handled differently (so those fall back).
const DECLARATIONS: &[&[u8]] = &[
    b"export",
    b"declare",
    b"local",
    b"readonly",
    b"typeset",
    b"unset",
    b"unsetenv",
];

/// One simple command before emission.
struct Cmd {
    range: Range<usize>,
    argv: Vec<Word>,
    assignments: Vec<Assignment>,
    redirects: Vec<Redirect>,
}

/// A top-level and-or list: items separated by `&&` / `||`, each a pipeline.
struct Stmt {
    items: Vec<Vec<Cmd>>,
    background: bool,
}

struct Lexer<'s> {
    src: &'s str,
    b: &'s [u8],
    pos: usize,
    /// Line continuations crossed by the last `skip_blanks`.
    continuations: usize,
}

/// Parses `src` when it lies in the supported subset; `None` otherwise.
pub(crate) fn parse(src: &str) -> Option<Script> {
    // tree-sitter-bash's lexer reads a NUL byte as the end of input, wherever it is
    // (inside quotes and comments too).
    if src.as_bytes().contains(&0) {
        return None;
    }
    let mut lx = Lexer {
        src,
        b: src.as_bytes(),
        pos: 0,
        continuations: 0,
    };
    let mut statements = Vec::new();
    loop {
        lx.skip_linebreaks()?;
        if lx.pos >= lx.b.len() {
            break;
        }
        let items = lx.and_or()?;
        lx.skip_blanks()?;
        let mut background = false;
        match lx.peek() {
            None | Some(b'\n' | b'#') => {}
            Some(b';') => {
                lx.pos += 1;
                lx.after_terminator()?;
            }
            Some(b'&') => {
                lx.pos += 1;
                background = true;
                lx.after_terminator()?;
            }
            Some(_) => return None,
        }
        statements.push(Stmt { items, background });
    }
    Some(emit(statements))
}

fn emit(statements: Vec<Stmt>) -> Script {
    let mut script = Script {
        commands: Vec::new(),
        statements: Vec::with_capacity(statements.len()),
        errors: Vec::new(),
        heredocs: Vec::new(),
        // The fast path rejects `function` and `(`, so it never sees a definition.
        functions: Vec::new(),
    };
    let mut next_pipeline = 0;
    for (index, stmt) in statements.into_iter().enumerate() {
        let start = script.commands.len();
        let count = stmt.items.len();
        let kind = if count > 1 {
            StatementKind::AndOr
        } else if stmt.items.first().is_some_and(|item| item.len() > 1) {
            StatementKind::Pipeline
        } else {
            StatementKind::Simple
        };
        let mut range: Option<Range<usize>> = None;
        for (k, item) in stmt.items.into_iter().enumerate() {
            let len = item.len();
            let id = (len >= 2).then(|| {
                next_pipeline += 1;
                next_pipeline - 1
            });
            for (stage, cmd) in item.into_iter().enumerate() {
                range = Some(match range {
                    Some(r) => r.start..cmd.range.end,
                    None => cmd.range.clone(),
                });
                let unwrapped = UnwrapCache::of(&cmd.argv);
                script.commands.push(SimpleCommand {
                    range: cmd.range,
                    argv: cmd.argv,
                    assignments: cmd.assignments,
                    redirects: cmd.redirects,
                    background: stmt.background,
                    pipeline: id.map(|id| PipelinePos {
                        id,
                        index: stage,
                        len,
                    }),
                    context: Context::TopLevel,
                    statement: Some(index),
                    negated: false,
                    condition_guarded: k + 1 < count,
                    unwrapped,
                });
            }
        }
        let end = script.commands.len();
        script.statements.push(Statement {
            range: range.unwrap_or(0..0),
            background: stmt.background,
            commands: (start..end).collect(),
            kind,
            last_command: end.checked_sub(1),
        });
    }
    script
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Whether tree-sitter-bash reads `raw` at command position as a command
/// name: it lexes `x#y` as `x` plus a comment, `x%` / `x@` as errors, and
/// some words with `=` as assignments.
fn command_name_ok(raw: &str) -> bool {
    let b = raw.as_bytes();
    b.first().is_some_and(|&c| {
        c.is_ascii_alphanumeric() || matches!(c, b'_' | b'/' | b'.' | b'"' | b'\'' | b'$')
    }) && !b
        .iter()
        .any(|c| matches!(c, b'#' | b'=' | b'%' | b'@' | b'*' | b'?'))
        && (raw == ":" || !b.contains(&b':'))
        && {
            // `local"x"` is the keyword `local` and a string.
            let run = b.iter().take_while(|&&c| is_name_char(c)).count();
            let head = b.get(..run).unwrap_or_default();
            !RESERVED.contains(&head) && (run == b.len() || !DECLARATIONS.contains(&head))
        }
}

/// Whether tree-sitter-bash reads `raw` after `export` / `local` / … as
/// one word: a flag (`-x`), a name or `NAME=value` (it lexes `x#y`,
/// `exec"x"` and the like as several nodes there).
fn declaration_arg_ok(raw: &str) -> bool {
    let b = raw.as_bytes();
    if let Some(flags) = b.strip_prefix(b"-") {
        return !flags.is_empty() && flags.iter().all(u8::is_ascii_alphabetic);
    }
    if !b.first().copied().is_some_and(is_name_start) {
        return false;
    }
    let name = b.iter().take_while(|&&c| is_name_char(c)).count();
    match b.get(name..) {
        Some([]) => true,
        Some([b'=', first, ..]) => !matches!(first, b'=' | b'#' | b'\\'),
        _ => false,
    }
}

/// Ends an unquoted word.
fn is_word_end(c: Option<u8>) -> bool {
    matches!(c, None | Some(b' ' | b'\t' | b'\n' | b';' | b'&' | b'|'))
}

impl<'s> Lexer<'s> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn peek_at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    /// Skips blanks and `\`-newline line continuations. `None` when a line
    /// continuation is followed by a blank line or the end of the input
    /// (tree-sitter-bash reports some of these as errors).
    fn skip_blanks(&mut self) -> Option<()> {
        let start = self.pos;
        let mut continuations = 0;
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'\\') if self.peek_at(self.pos + 1) == Some(b'\n') => {
                    if self.starts_line() {
                        return None;
                    }
                    self.pos += 2;
                    continuations += 1;
                }
                None | Some(b'\n') if continuations > 0 => return None,
                _ => break,
            }
        }
        if self.pos != start {
            self.continuations = continuations;
        }
        Some(())
    }

    /// Whether only blanks precede `self.pos` on a line that follows a real
    /// newline (not a line continuation): tree-sitter-bash joins a line
    /// continuation there with the previous line.
    fn starts_line(&self) -> bool {
        let before = self.b.get(..self.pos).unwrap_or_default();
        let blanks = before
            .iter()
            .rev()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count();
        let end = before.len() - blanks;
        end > 0
            && before.get(end - 1) == Some(&b'\n')
            && before.get(end.wrapping_sub(2)) != Some(&b'\\')
    }

    /// Skips blanks, comments and newlines (between statements and after
    /// `&&`, `||`, `|`).
    fn skip_linebreaks(&mut self) -> Option<()> {
        loop {
            self.skip_blanks()?;
            match self.peek() {
                Some(b'\n') => self.pos += 1,
                Some(b'#') => self.skip_comment()?,
                _ => return Some(()),
            }
        }
    }

    fn skip_comment(&mut self) -> Option<()> {
        while let Some(c) = self.peek() {
            match c {
                b'\n' => break,
                b'\r' => return None,
                _ => self.pos += 1,
            }
        }
        Some(())
    }

    /// After a `;` / `&` terminator: another operator would be a syntax error
    /// (or `;;`, `;&`, `&;`), so fall back.
    fn after_terminator(&mut self) -> Option<()> {
        self.skip_blanks()?;
        match self.peek() {
            Some(b';' | b'&' | b'|') => None,
            _ => Some(()),
        }
    }

    fn and_or(&mut self) -> Option<Vec<Vec<Cmd>>> {
        let mut items = Vec::new();
        loop {
            let mut pipeline = Vec::new();
            loop {
                pipeline.push(self.command()?);
                self.skip_blanks()?;
                if self.peek() == Some(b'|') {
                    match self.peek_at(self.pos + 1) {
                        Some(b'|') => break,
                        Some(b'&') => return None,
                        _ => {
                            self.pos += 1;
                            self.skip_linebreaks()?;
                            continue;
                        }
                    }
                }
                break;
            }
            items.push(pipeline);
            self.skip_blanks()?;
            let rest = self.b.get(self.pos..).unwrap_or_default();
            if rest.starts_with(b"&&") || rest.starts_with(b"||") {
                self.pos += 2;
                self.skip_linebreaks()?;
                continue;
            }
            return Some(items);
        }
    }

    fn command(&mut self) -> Option<Cmd> {
        let mut cmd = Cmd {
            range: 0..0,
            argv: Vec::new(),
            assignments: Vec::new(),
            redirects: Vec::new(),
        };
        let mut start = None;
        let mut end = 0;
        let mut declaration = false;
        loop {
            self.skip_blanks()?;
            let at = self.pos;
            let Some(c) = self.peek() else {
                break;
            };
            match c {
                b'\n' | b';' | b'|' | b'#' => break,
                b'&' if self.peek_at(at + 1) != Some(b'>') => break,
                b'&' | b'<' | b'>' => {
                    if cmd.argv.is_empty() || declaration {
                        return None;
                    }
                    cmd.redirects.push(self.redirect(at, None)?);
                }
                b'0'..=b'9' if self.fd_len(at).is_some() => {
                    if cmd.argv.is_empty() || declaration {
                        return None;
                    }
                    let len = self.fd_len(at)?;
                    let fd = self.src.get(at..at + len)?.parse().ok();
                    self.pos += len;
                    cmd.redirects.push(self.redirect(at, fd)?);
                }
                _ if cmd.argv.is_empty() => {
                    if let Some(assignment) = self.assignment()? {
                        cmd.assignments.push(assignment);
                    } else {
                        let word = self.word()?;
                        if !command_name_ok(&word.raw) {
                            return None;
                        }
                        if DECLARATIONS.contains(&word.raw.as_bytes()) {
                            if !cmd.assignments.is_empty() {
                                return None;
                            }
                            declaration = true;
                        }
                        cmd.argv.push(word);
                    }
                }
                _ => {
                    let word = self.word()?;
                    if declaration && !declaration_arg_ok(&word.raw) {
                        return None;
                    }
                    // tree-sitter-bash drops a `-` argument before `2>&1`.
                    if word.raw == "-" {
                        let after = self.pos;
                        self.skip_blanks()?;
                        if matches!(self.peek(), Some(b'0'..=b'9' | b'<' | b'>' | b'&')) {
                            return None;
                        }
                        self.pos = after;
                    }
                    cmd.argv.push(word);
                }
            }
            start.get_or_insert(at);
            end = self.pos;
        }
        let start = start?;
        if cmd.argv.is_empty() && !cmd.redirects.is_empty() {
            return None;
        }
        // tree-sitter-bash takes the word after `A=1 B=2` and a newline as
        // their command.
        if cmd.argv.is_empty()
            && cmd.assignments.len() > 1
            && !matches!(self.peek(), None | Some(b';' | b'&' | b'|'))
        {
            return None;
        }
        // A bare `export` takes the next line as its arguments.
        if declaration
            && cmd.argv.len() == 1
            && !matches!(self.peek(), None | Some(b';' | b'&' | b'|'))
        {
            return None;
        }
        // A trailing `--NAME=…` gets an empty command name.
        if cmd.argv.is_empty() && cmd.assignments.iter().any(|a| a.name.starts_with('-')) {
            return None;
        }
        cmd.range = start..end;
        Some(cmd)
    }

    /// Length of a file descriptor number at `at` directly followed by `<`/`>`.
    fn fd_len(&self, at: usize) -> Option<usize> {
        let digits = self
            .b
            .get(at..)?
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        (digits <= 2 && matches!(self.peek_at(at + digits), Some(b'<' | b'>'))).then_some(digits)
    }

    /// A redirection whose operator is at `self.pos` (its fd, if any, at `start`).
    fn redirect(&mut self, start: usize, fd: Option<u32>) -> Option<Redirect> {
        let op: &'static str = match (self.peek()?, self.peek_at(self.pos + 1)) {
            (b'>', Some(b'>')) => ">>",
            (b'>', Some(b'&')) => ">&",
            (b'>', Some(b'|' | b'(')) => return None,
            (b'>', _) => ">",
            (b'<', Some(b'<' | b'&' | b'>' | b'(')) => return None,
            (b'<', _) => "<",
            (b'&', Some(b'>')) if fd.is_none() => {
                if self.peek_at(self.pos + 2) == Some(b'>') {
                    "&>>"
                } else {
                    "&>"
                }
            }
            _ => return None,
        };
        self.pos += op.len();
        self.skip_blanks()?;
        match self.peek() {
            None | Some(b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'#' | b'-') => return None,
            _ => {}
        }
        let target = self.word()?;
        if target.raw.contains('#') {
            return None;
        }
        Some(Redirect {
            range: start..target.range.end,
            fd,
            op: op.to_string(),
            target: Some(target),
        })
    }

    /// `NAME=value` at command position; `Ok(None)` when the word is not an
    /// assignment.
    fn assignment(&mut self) -> Option<Option<Assignment>> {
        let start = self.pos;
        // tree-sitter-bash also reads `--NAME=value` as an assignment (it
        // turns up as the `--mount=…` flags of a `RUN` instruction).
        let name_start = if self.b.get(start..)?.starts_with(b"--") {
            // ... but not after a blank continuation line.
            if self.continuations > 1 {
                return None;
            }
            start + 2
        } else {
            start
        };
        if !self.peek_at(name_start).is_some_and(is_name_start) {
            return Some(None);
        }
        let mut i = name_start + 1;
        while self.peek_at(i).is_some_and(is_name_char) {
            i += 1;
        }
        match self.peek_at(i) {
            Some(b'=') => {}
            // `NAME+=`, `NAME[…]=` and the like.
            Some(b'+' | b'[') => return None,
            _ => return Some(None),
        }
        let name = self.src.get(start..i)?.to_string();
        if name == "_" {
            return None; // `_=` is read as a command name
        }
        let value_start = i + 1;
        self.pos = value_start;
        let value = match self.peek() {
            // (tree-sitter-bash takes a word on the next line as the value)
            None | Some(b' ' | b'\t') => literal_word(value_start..value_start, ""),
            c if is_word_end(c) => return None,
            Some(b'<' | b'>' | b'#' | b'\\' | b'=') => return None,
            _ => self.word()?,
        };
        Some(Some(Assignment {
            name,
            range: start..value.range.end.max(value_start),
            value,
        }))
    }

    /// One word starting at `self.pos`.
    fn word(&mut self) -> Option<Word> {
        let b = self.b;
        let src = self.src;
        let start = self.pos;
        let mut acc = WordAcc::new();
        let mut seg = start;
        let mut i = start;
        loop {
            let c = b.get(i).copied();
            if is_word_end(c) {
                break;
            }
            let c = c?;
            match c {
                // tree-sitter-bash starts a new word at an escape that follows
                // a quoted part or an expansion (`"a"\.` is two words).
                b'\\' if seg != start => return None,
                b'\\' => match b.get(i + 1) {
                    Some(&n) if n > b' ' && n < 0x7f => i += 2,
                    _ => return None,
                },
                b'\'' => {
                    acc.push_unquoted(src.get(seg..i)?);
                    let close = i + 1 + b.get(i + 1..)?.iter().position(|&c| c == b'\'')?;
                    let inner = src.get(i + 1..close)?;
                    if inner.bytes().any(|c| c == b'\r') {
                        return None;
                    }
                    acc.push_str(inner);
                    i = close + 1;
                    seg = i;
                }
                b'"' => {
                    acc.push_unquoted(src.get(seg..i)?);
                    i = self.double_quoted(i, &mut acc)?;
                    seg = i;
                }
                b'$' => {
                    acc.push_unquoted(src.get(seg..i)?);
                    let end = self.expansion(i)?;
                    // tree-sitter-bash splits the word at an unbraced `$NAME`
                    // followed by text when a quoted part or an expansion
                    // precedes it (`x-$A-$B.tgz`).
                    if seg != start
                        && b.get(i + 1) != Some(&b'{')
                        && !is_word_end(b.get(end).copied())
                        && !matches!(b.get(end), Some(b'$' | b'"' | b'\''))
                    {
                        return None;
                    }
                    acc.push_expansion(src.get(i..end)?);
                    i = end;
                    seg = i;
                }
                // (`#` inside a word: `10#x` is an arithmetic base to
                // tree-sitter-bash, and other uses are rare)
                b'<' | b'>' | b'(' | b')' | b'{' | b'}' | b'[' | b']' | b'!' | b'~' | b'`'
                | b'#' => {
                    return None;
                }
                0x80.. | 0x7f | 0..=0x1f => return None,
                _ => i += 1,
            }
        }
        // `==`, `=~` and the like are test operators to tree-sitter-bash.
        if i == start || b.get(start) == Some(&b'=') {
            return None;
        }
        acc.push_unquoted(src.get(seg..i)?);
        let raw = src.get(start..i)?;
        if RESERVED.contains(&raw.as_bytes()) {
            return None;
        }
        self.pos = i;
        Some(acc.finish(start..i, raw))
    }

    /// A `"…"` string at `start`; returns the index after its closing quote.
    fn double_quoted(&self, start: usize, acc: &mut WordAcc) -> Option<usize> {
        let b = self.b;
        let mut gap = start + 1;
        let mut i = gap;
        loop {
            match *b.get(i)? {
                b'"' => {
                    acc.push_double_quoted(self.src.get(gap..i)?);
                    return Some(i + 1);
                }
                b'\\' => match b.get(i + 1) {
                    Some(&n) if n < 0x80 && n != b'\r' => i += 2,
                    _ => return None,
                },
                b'$' => {
                    acc.push_double_quoted(self.src.get(gap..i)?);
                    let end = self.expansion(i)?;
                    acc.push_expansion(self.src.get(i..end)?);
                    i = end;
                    gap = i;
                }
                b'`' | b'\r' => return None,
                _ => i += 1,
            }
        }
    }

    /// `$NAME` or `${NAME}` at `start`; returns its end.
    fn expansion(&self, start: usize) -> Option<usize> {
        let b = self.b;
        let braced = b.get(start + 1) == Some(&b'{');
        let name = if braced { start + 2 } else { start + 1 };
        if !b.get(name).copied().is_some_and(is_name_start) {
            return None;
        }
        let mut i = name + 1;
        while b.get(i).copied().is_some_and(is_name_char) {
            i += 1;
        }
        if braced {
            (b.get(i) == Some(&b'}')).then_some(i + 1)
        } else {
            Some(i)
        }
    }
}
