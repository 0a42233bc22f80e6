//! Hand-written fast path for the shell most `RUN` bodies are made of.
//!
//! [`parse`] accepts a conservative subset of shell and builds exactly the
//! [`Script`] the tree-sitter path (`build.rs`) builds for the same input;
//! for anything outside the subset it returns `None` and the caller falls
//! back to tree-sitter. The subset:
//!
//! * words made of plain characters, backslash escapes (of a printable ASCII
//!   character), `'single quotes'`, `$'ANSI-C strings'`, `"double quotes"`
//!   holding literal text, backslash escapes and expansions, and unquoted
//!   expansions: `$NAME`, `$1`, `$@` and the other special parameters,
//!   `${NAME}`, `${NAME<operator>word}`, `${#NAME}` / `${!NAME}` and
//!   `$(…)` command substitutions; `*` and `?` globs, `~`, `{}`;
//! * `NAME=value` assignments before the command name (or alone), and the
//!   `--NAME=value` words tree-sitter-bash also reads as assignments there;
//! * `export` / `local` / `declare` / `readonly` / `typeset` / `unset` with
//!   flags, names and `NAME=value` arguments;
//! * `&&`, `||`, `|`, `;`, `&` (background) and newlines, `\`-newline line
//!   continuations between words, `#` comments at word start, `!` before a
//!   simple command;
//! * redirections `>`, `>>`, `<`, `>&`, `&>`, `&>>` with an optional file
//!   descriptor (`2>&1`, `2>/dev/null`) after the command name or after a
//!   compound command;
//! * `[ … ]` tests with the usual operators, `( … )` subshells, `{ …; }`
//!   groups, `if` / `elif` / `else`, `while` / `until`, `for NAME in …`,
//!   `case … esac` with plain patterns, and function definitions
//!   (`f() { …; }`, `function f { …; }`).
//!
//! Everything else falls back: backquotes, arithmetic, `$"…"`, brace
//! expansion, brackets outside tests, `[[ … ]]`, `#` inside words, heredocs
//! and here-strings, `case` inside `$(…)`, reserved words as arguments,
//! non-ASCII text outside quotes, control characters, anything that would
//! be a syntax error, and a number of shapes where tree-sitter-bash's
//! reading differs from the shell's (each check below says which). The
//! differential tests in `tests/fast_path.rs` hold the two paths to the
//! same output.

use std::ops::Range;

use crate::words::{WordAcc, literal_word};
use crate::{
    Assignment, CompoundKind, Context, FunctionDef, PipelinePos, Redirect, Script, ScriptModel,
    SimpleCommand, Statement, StatementKind, UnwrapCache, Word,
};

/// Words tree-sitter-bash may lex as keywords: never accepted as a plain word.
const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "function", "select", "in", "coproc",
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

/// Unary operators of `[ … ]`.
const TEST_UNARY: &[&str] = &[
    "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-p", "-r", "-s", "-t", "-u", "-w", "-x",
    "-G", "-L", "-N", "-O", "-S", "-z", "-n", "-o", "-v", "-R",
];

/// Binary operators of `[ … ]` (besides `=`, `==`, `!=`).
const TEST_BINARY: &[&str] = &[
    "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", "-a", "-o",
];

/// Deepest nesting of lists (compound bodies, substitutions) accepted; the
/// tree-sitter path stops modelling far deeper.
const MAX_NESTING: u32 = 12;

/// The bodies of the `$(…)` substitutions of a construct, in source order.
type Subs = Vec<Vec<Stmt>>;

/// One simple command (or `[ … ]` test) before emission.
struct Cmd {
    range: Range<usize>,
    argv: Vec<Word>,
    assignments: Vec<Assignment>,
    redirects: Vec<Redirect>,
    subs: Subs,
}

/// A piece of a compound command, visited in order.
enum Part {
    /// Words whose substitutions are visited (a `for` list, a `case` word).
    Scan(Subs),
    /// Condition statements: their commands are guarded.
    Cond(Vec<Stmt>),
    /// A branch or body; the last one visited gives the final command.
    Body(Vec<Stmt>),
}

enum Node {
    Simple(Cmd),
    Compound {
        kind: CompoundKind,
        context: Context,
        /// From the keyword to the end of the last redirection.
        range: Range<usize>,
        parts: Vec<Part>,
        /// Substitutions in the targets of redirections of the whole
        /// compound command (the model keeps nothing else of them).
        redirects: Subs,
    },
    Function {
        def: FunctionDef,
        body: Vec<Stmt>,
    },
}

impl Node {
    fn range(&self) -> Range<usize> {
        match self {
            Node::Simple(cmd) => cmd.range.clone(),
            Node::Compound { range, .. } => range.clone(),
            Node::Function { def, .. } => def.range.clone(),
        }
    }
}

/// One pipeline stage.
struct Stage {
    negated: bool,
    range: Range<usize>,
    node: Node,
}

/// The items of an and-or list (separated by `&&` / `||`), each a pipeline.
type Items = Vec<Vec<Stage>>;

/// An and-or list.
struct Stmt {
    items: Items,
    background: bool,
    range: Range<usize>,
}

/// What ends a list of statements.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Close {
    Eof,
    /// `)` of a subshell or a substitution.
    Paren,
    /// One of these reserved words (or `}`) at the start of a statement.
    Keywords(&'static [&'static str]),
    /// `;;` or `esac` (a `case` item's body).
    CaseItem,
}

struct Lexer<'s> {
    src: &'s str,
    b: &'s [u8],
    pos: usize,
    /// Line continuations crossed by the last `skip_blanks`.
    continuations: usize,
    depth: u32,
    /// Open `$(…)` substitutions around `pos`.
    substitutions: u32,
    /// A pipeline of three or more stages ended at a newline: tree-sitter-bash
    /// may then join it with a later redirected command.
    long_pipeline_ended: bool,
}

/// Where the fast path gives up on `src` (roughly: the position its lexer
/// had reached); `None` when it accepts `src`.
pub(crate) fn rejection(src: &str) -> Option<usize> {
    let mut lx = Lexer {
        src,
        b: src.as_bytes(),
        pos: 0,
        continuations: 0,
        depth: 0,
        substitutions: 0,
        long_pipeline_ended: false,
    };
    match lx.list(Close::Eof) {
        Some(_) if parse(src).is_some() => None,
        _ => Some(lx.pos),
    }
}

/// The word of `src` that spans exactly `range`, when the fast lexer reads it
/// as one (the tree-sitter path asks this of arguments tree-sitter-bash split).
pub(crate) fn word_at(src: &str, range: Range<usize>) -> Option<Word> {
    let mut lx = Lexer {
        src,
        b: src.as_bytes(),
        pos: range.start,
        continuations: 0,
        depth: 0,
        substitutions: 0,
        long_pipeline_ended: false,
    };
    let word = lx.word(&mut Subs::new())?;
    (word.range == range).then_some(word)
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
        depth: 0,
        substitutions: 0,
        long_pipeline_ended: false,
    };
    let statements = lx.list(Close::Eof)?;
    let mut emitter = Emitter {
        commands: Vec::new(),
        statements: Vec::with_capacity(statements.len()),
        functions: Vec::new(),
        next_pipeline: 0,
    };
    emitter.top(statements);
    // The tree-sitter path sorts commands by position; the fast path emits
    // them in that order or gives up.
    if !emitter
        .commands
        .is_sorted_by_key(|c| (c.range.start, std::cmp::Reverse(c.range.end)))
    {
        return None;
    }
    Some(Script::new(ScriptModel {
        commands: emitter.commands,
        statements: emitter.statements,
        errors: Vec::new(),
        heredocs: Vec::new(),
        functions: emitter.functions,
    }))
}

/// Attributes inherited by the commands inside a construct (as in `build.rs`).
#[derive(Clone, Copy)]
struct Env {
    context: Context,
    guarded: bool,
    background: bool,
    pipeline: Option<PipelinePos>,
    negated: bool,
    statement: Option<usize>,
}

impl Env {
    fn within(self, context: Context) -> Env {
        Env {
            context,
            negated: false,
            ..self
        }
    }

    fn substitution(self) -> Env {
        Env {
            context: Context::Substitution,
            pipeline: None,
            negated: false,
            ..self
        }
    }
}

/// Builds the model, visiting constructs in the order the tree-sitter path does.
struct Emitter {
    commands: Vec<SimpleCommand>,
    statements: Vec<Statement>,
    functions: Vec<FunctionDef>,
    next_pipeline: usize,
}

impl Emitter {
    fn top(&mut self, statements: Vec<Stmt>) {
        for stmt in statements {
            let index = self.statements.len();
            self.statements.push(Statement {
                range: stmt.range.clone(),
                background: stmt.background,
                commands: Vec::new(),
                kind: classify(&stmt),
                last_command: None,
            });
            let env = Env {
                context: Context::TopLevel,
                guarded: false,
                background: stmt.background,
                pipeline: None,
                negated: false,
                statement: Some(index),
            };
            let start = self.commands.len();
            let last = self.and_or(stmt, env);
            let end = self.commands.len();
            if let Some(statement) = self.statements.get_mut(index) {
                statement.commands = (start..end).collect();
                statement.last_command = last;
            }
        }
    }

    fn and_or(&mut self, stmt: Stmt, env: Env) -> Option<usize> {
        let count = stmt.items.len();
        let mut last = None;
        for (k, item) in stmt.items.into_iter().enumerate() {
            let guarded = env.guarded || k + 1 < count;
            let len = item.len();
            let id = (len >= 2).then(|| {
                self.next_pipeline += 1;
                self.next_pipeline - 1
            });
            for (index, stage) in item.into_iter().enumerate() {
                let pipeline = id.map(|id| PipelinePos { id, index, len });
                let env = Env {
                    guarded,
                    pipeline: pipeline.or(env.pipeline),
                    ..env
                };
                let env = if stage.negated {
                    Env {
                        negated: true,
                        guarded: true,
                        ..env
                    }
                } else {
                    env
                };
                last = self.visit(stage.node, env);
            }
        }
        last
    }

    fn body(&mut self, statements: Vec<Stmt>, env: Env) -> Option<usize> {
        let mut last = None;
        for stmt in statements {
            let env = Env {
                background: env.background || stmt.background,
                ..env
            };
            last = self.and_or(stmt, env);
        }
        last
    }

    fn visit(&mut self, node: Node, env: Env) -> Option<usize> {
        match node {
            Node::Simple(cmd) => Some(self.emit(cmd, env)),
            Node::Compound {
                context,
                parts,
                redirects,
                ..
            } => {
                let outer = env;
                let env = env.within(context);
                let mut last = None;
                for part in parts {
                    match part {
                        Part::Scan(subs) => self.substitutions(subs, env),
                        Part::Cond(statements) => {
                            for stmt in statements {
                                self.and_or(
                                    stmt,
                                    Env {
                                        guarded: true,
                                        ..env
                                    },
                                );
                            }
                        }
                        Part::Body(statements) => last = self.body(statements, env),
                    }
                }
                self.substitutions(redirects, outer);
                last
            }
            Node::Function { def, body } => {
                self.functions.push(def);
                self.body(body, env.within(Context::Function));
                None
            }
        }
    }

    fn substitutions(&mut self, subs: Subs, env: Env) {
        for body in subs {
            self.body(body, env.substitution());
        }
    }

    fn emit(&mut self, cmd: Cmd, env: Env) -> usize {
        let index = self.commands.len();
        let unwrapped = UnwrapCache::of(&cmd.argv);
        self.commands.push(SimpleCommand {
            range: cmd.range,
            argv: cmd.argv,
            assignments: cmd.assignments,
            redirects: cmd.redirects,
            background: env.background,
            pipeline: env.pipeline,
            context: env.context,
            statement: env.statement,
            negated: env.negated,
            condition_guarded: env.guarded,
            unwrapped,
        });
        self.substitutions(cmd.subs, env);
        index
    }
}

fn classify(stmt: &Stmt) -> StatementKind {
    match stmt.items.as_slice() {
        [single] => match single.as_slice() {
            [stage] => match &stage.node {
                Node::Simple(_) => StatementKind::Simple,
                Node::Compound { kind, .. } => StatementKind::Compound(*kind),
                Node::Function { .. } => StatementKind::FunctionDef,
            },
            _ => StatementKind::Pipeline,
        },
        _ => StatementKind::AndOr,
    }
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
    if raw == ":" {
        return true;
    }
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
            !RESERVED.iter().any(|k| k.as_bytes() == head)
                && (run == b.len() || !DECLARATIONS.contains(&head))
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
        Some([b'=']) => true,
        _ => false,
    }
}

/// `NAME=…` or `--NAME=…`.
fn looks_like_assignment(raw: &str) -> bool {
    let b = raw.trim_start_matches('-').as_bytes();
    let name = b.iter().take_while(|&&c| is_name_char(c)).count();
    name > 0 && matches!(b.get(name), Some(b'=' | b'+' | b'['))
}

/// Ends an unquoted word.
/// Bytes a word goes on over with nothing to do (not an end, quote, escape,
/// expansion or construct the word loop must look at).
const PLAIN_WORD_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0x21;
    while c < 0x7f {
        table[c] = !matches!(
            c as u8,
            b';' | b'&'
                | b'|'
                | b')'
                | b'\\'
                | b'\''
                | b'"'
                | b'$'
                | b'<'
                | b'>'
                | b'('
                | b'{'
                | b'}'
                | b'['
                | b']'
                | b'`'
                | b'#'
        );
        c += 1;
    }
    table
};

fn is_word_end(c: Option<u8>) -> bool {
    matches!(
        c,
        None | Some(b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b')')
    )
}

impl<'s> Lexer<'s> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn peek_at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn rest(&self) -> &'s [u8] {
        self.b.get(self.pos..).unwrap_or_default()
    }

    /// The reserved word (or `{` / `}`) at `self.pos`, if one is there.
    fn keyword(&self) -> Option<&'static str> {
        let rest = self.rest();
        match rest.first()? {
            b'{' | b'}' if is_word_end(rest.get(1).copied()) => {
                return Some(if rest[0] == b'{' { "{" } else { "}" });
            }
            _ => {}
        }
        let run = rest.iter().take_while(|c| c.is_ascii_lowercase()).count();
        if !is_word_end(rest.get(run).copied()) {
            return None;
        }
        let word = rest.get(..run)?;
        RESERVED.iter().copied().find(|k| k.as_bytes() == word)
    }

    fn expect_keyword(&mut self, keyword: &str) -> Option<()> {
        if self.keyword() != Some(keyword) {
            return None;
        }
        self.pos += keyword.len();
        Some(())
    }

    fn at_close(&self, close: Close) -> bool {
        match close {
            Close::Eof => self.pos >= self.b.len(),
            Close::Paren => self.peek() == Some(b')'),
            Close::Keywords(list) => self.keyword().is_some_and(|k| list.contains(&k)),
            Close::CaseItem => self.rest().starts_with(b";;") || self.keyword() == Some("esac"),
        }
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
        if end == 0 || before.get(end - 1) != Some(&b'\n') {
            return false;
        }
        // A newline after an odd number of backslashes is a continuation.
        let backslashes = before
            .get(..end - 1)
            .unwrap_or_default()
            .iter()
            .rev()
            .take_while(|&&c| c == b'\\')
            .count();
        backslashes % 2 == 0
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
                // (a comment ending in `\` reads like a line continuation)
                b'\n' if self.b.get(self.pos - 1) == Some(&b'\\') => return None,
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

    /// Statements up to `close` (not consumed).
    fn list(&mut self, close: Close) -> Option<Vec<Stmt>> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return None;
        }
        let mut statements = Vec::new();
        loop {
            self.skip_linebreaks()?;
            if self.at_close(close) {
                break;
            }
            if self.pos >= self.b.len() {
                return None;
            }
            let (items, range) = self.and_or()?;
            self.skip_blanks()?;
            let mut background = false;
            match self.peek() {
                None => {}
                Some(b'\n' | b'#') => {
                    self.long_pipeline_ended |= items.iter().any(|item| item.len() > 2);
                }
                // `;;` ends a `case` item.
                Some(b';') if self.peek_at(self.pos + 1) == Some(b';') => {
                    (close == Close::CaseItem).then_some(())?;
                }
                Some(b';') => {
                    self.pos += 1;
                    self.skip_blanks()?;
                    // (`a; ;;` ends a `case` item)
                    if !(close == Close::CaseItem && self.rest().starts_with(b";;")) {
                        self.after_terminator()?;
                    }
                }
                Some(b'&') => {
                    self.pos += 1;
                    background = true;
                    self.after_terminator()?;
                }
                Some(b')') if close == Close::Paren => {}
                Some(_) => return None,
            }
            statements.push(Stmt {
                items,
                background,
                range,
            });
        }
        self.depth -= 1;
        Some(statements)
    }

    /// A non-empty list of statements none of which runs in the background
    /// (a condition, a body).
    fn block(&mut self, close: Close) -> Option<Vec<Stmt>> {
        let statements = self.list(close)?;
        if statements.is_empty() || statements.iter().any(|s| s.background) {
            return None;
        }
        Some(statements)
    }

    fn and_or(&mut self) -> Option<(Items, Range<usize>)> {
        let mut items: Items = Vec::new();
        loop {
            let mut pipeline = Vec::new();
            loop {
                pipeline.push(self.stage()?);
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
            let rest = self.rest();
            if rest.starts_with(b"&&") || rest.starts_with(b"||") {
                self.pos += 2;
                self.skip_linebreaks()?;
                continue;
            }
            break;
        }
        // A function definition stands alone.
        let stages = items.iter().map(Vec::len).sum::<usize>();
        if stages > 1
            && items
                .iter()
                .flatten()
                .any(|s| matches!(s.node, Node::Function { .. }))
        {
            return None;
        }
        let start = items.first()?.first()?.range.start;
        let end = items.last()?.last()?.range.end;
        Some((items, start..end))
    }

    fn stage(&mut self) -> Option<Stage> {
        self.skip_blanks()?;
        let at = self.pos;
        if self.peek() == Some(b'!') && matches!(self.peek_at(at + 1), Some(b' ' | b'\t')) {
            self.pos += 1;
            let node = self.command()?;
            // tree-sitter-bash misreads `! { …; }` and the like.
            let Node::Simple(cmd) = &node else {
                return None;
            };
            if cmd.argv.is_empty() {
                return None;
            }
            return Some(Stage {
                negated: true,
                range: at..node.range().end,
                node,
            });
        }
        let node = self.command()?;
        Some(Stage {
            negated: false,
            range: node.range(),
            node,
        })
    }

    fn command(&mut self) -> Option<Node> {
        self.skip_blanks()?;
        let at = self.pos;
        match self.peek()? {
            b'[' if matches!(self.peek_at(at + 1), Some(b' ' | b'\t')) => return self.test(at),
            _ => {}
        }
        let compound = if let Some(keyword) = self.keyword() {
            match keyword {
                "{" => self.group(at),
                "if" => self.if_clause(at),
                "while" => self.while_clause(at, CompoundKind::While),
                "until" => self.while_clause(at, CompoundKind::Until),
                "for" => self.for_clause(at),
                // (the `)` of patterns inside `$(…)` trips tree-sitter-bash)
                "case" if self.substitutions == 0 => self.case_clause(at),
                "function" => return self.function(at, true),
                _ => return None,
            }
        } else if self.peek() == Some(b'(') {
            self.subshell(at)
        } else {
            return if self.is_function_header(at) {
                self.function(at, false)
            } else {
                self.simple().map(Node::Simple)
            };
        };
        self.compound_redirects(compound?)
    }

    /// Redirections after a compound command (`{ …; } > f`).
    fn compound_redirects(&mut self, mut node: Node) -> Option<Node> {
        let Node::Compound {
            range, redirects, ..
        } = &mut node
        else {
            return Some(node);
        };
        loop {
            let before = self.pos;
            self.skip_blanks()?;
            let at = self.pos;
            let fd = match self.peek() {
                Some(b'<' | b'>') => None,
                Some(b'&') if self.peek_at(at + 1) == Some(b'>') => None,
                Some(b'0'..=b'9') if self.fd_len(at).is_some() => {
                    let len = self.fd_len(at)?;
                    if self.b[at] == b'0' {
                        return None;
                    }
                    self.pos += len;
                    Some(self.src.get(at..at + len)?.parse().ok()?)
                }
                _ => {
                    self.pos = before;
                    return Some(node);
                }
            };
            let redirect = self.redirect(at, fd, redirects)?;
            range.end = redirect.range.end;
        }
    }

    fn subshell(&mut self, at: usize) -> Option<Node> {
        if self.peek_at(at + 1) == Some(b'(') {
            return None; // `((` arithmetic
        }
        self.pos = at + 1;
        let body = self.block(Close::Paren)?;
        self.pos += 1;
        Some(Node::Compound {
            kind: CompoundKind::Subshell,
            context: Context::Subshell,
            range: at..self.pos,
            parts: vec![Part::Body(body)],
            redirects: Vec::new(),
        })
    }

    fn group(&mut self, at: usize) -> Option<Node> {
        self.pos = at + 1;
        let body = self.block(Close::Keywords(&["}"]))?;
        self.pos += 1;
        Some(Node::Compound {
            kind: CompoundKind::Group,
            context: Context::Group,
            range: at..self.pos,
            parts: vec![Part::Body(body)],
            redirects: Vec::new(),
        })
    }

    fn if_clause(&mut self, at: usize) -> Option<Node> {
        self.pos = at + 2;
        let mut parts = Vec::new();
        loop {
            parts.push(Part::Cond(self.block(Close::Keywords(&["then"]))?));
            self.pos += 4;
            parts.push(Part::Body(
                self.block(Close::Keywords(&["elif", "else", "fi"]))?,
            ));
            match self.keyword()? {
                "elif" => self.pos += 4,
                "else" => {
                    self.pos += 4;
                    parts.push(Part::Body(self.block(Close::Keywords(&["fi"]))?));
                    break;
                }
                _ => break,
            }
        }
        self.expect_keyword("fi")?;
        Some(Node::Compound {
            kind: CompoundKind::If,
            context: Context::Conditional,
            range: at..self.pos,
            parts,
            redirects: Vec::new(),
        })
    }

    fn while_clause(&mut self, at: usize, kind: CompoundKind) -> Option<Node> {
        self.pos = at + 5; // `while` or `until`
        let condition = self.block(Close::Keywords(&["do"]))?;
        self.pos += 2;
        let body = self.block(Close::Keywords(&["done"]))?;
        self.pos += 4;
        Some(Node::Compound {
            kind,
            context: Context::Loop,
            range: at..self.pos,
            parts: vec![Part::Cond(condition), Part::Body(body)],
            redirects: Vec::new(),
        })
    }

    fn for_clause(&mut self, at: usize) -> Option<Node> {
        self.pos = at + 3;
        self.skip_blanks()?;
        if !self.peek().is_some_and(is_name_start) {
            return None;
        }
        while self.peek().is_some_and(is_name_char) {
            self.pos += 1;
        }
        if !matches!(self.peek(), Some(b' ' | b'\t')) {
            return None;
        }
        self.skip_blanks()?;
        self.expect_keyword("in")?;
        let mut subs = Vec::new();
        let mut words = 0;
        loop {
            self.skip_blanks()?;
            match self.peek() {
                Some(b';') => {
                    self.pos += 1;
                    break;
                }
                Some(b'\n') => break,
                Some(b'&' | b'|' | b'#' | b')') | None => return None,
                _ => {
                    self.word(&mut subs)?;
                    words += 1;
                }
            }
        }
        if words == 0 {
            return None;
        }
        self.skip_linebreaks()?;
        self.expect_keyword("do")?;
        let body = self.block(Close::Keywords(&["done"]))?;
        self.pos += 4;
        Some(Node::Compound {
            kind: CompoundKind::For,
            context: Context::Loop,
            range: at..self.pos,
            parts: vec![Part::Scan(subs), Part::Body(body)],
            redirects: Vec::new(),
        })
    }

    fn case_clause(&mut self, at: usize) -> Option<Node> {
        self.pos = at + 4;
        self.skip_blanks()?;
        let mut subs = Vec::new();
        self.word(&mut subs)?;
        self.skip_blanks()?;
        self.expect_keyword("in")?;
        let mut parts = vec![Part::Scan(subs)];
        loop {
            self.skip_linebreaks()?;
            if self.keyword() == Some("esac") {
                break;
            }
            loop {
                self.skip_blanks()?;
                self.pattern()?;
                self.skip_blanks()?;
                match self.peek()? {
                    b'|' => self.pos += 1,
                    b')' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
            self.depth += 1;
            let body = self.list(Close::CaseItem)?;
            self.depth -= 1;
            if body.iter().any(|s| s.background) {
                return None;
            }
            parts.push(Part::Body(body));
            if self.rest().starts_with(b";;") {
                if matches!(self.peek_at(self.pos + 2), Some(b'&' | b';')) {
                    return None;
                }
                self.pos += 2;
            }
        }
        if parts.len() < 2 {
            return None;
        }
        self.pos += 4;
        Some(Node::Compound {
            kind: CompoundKind::Case,
            context: Context::Conditional,
            range: at..self.pos,
            parts,
            redirects: Vec::new(),
        })
    }

    /// One `case` pattern: plain characters, globs, quoted strings without
    /// expansions.
    fn pattern(&mut self) -> Option<()> {
        let start = self.pos;
        loop {
            match self.peek()? {
                b'|' | b')' | b' ' | b'\t' => break,
                b'\'' => {
                    let close = self.pos
                        + 1
                        + self
                            .b
                            .get(self.pos + 1..)?
                            .iter()
                            .position(|&c| c == b'\'')?;
                    if self
                        .b
                        .get(self.pos + 1..close)?
                        .iter()
                        .any(|c| *c < b' ' || *c >= 0x7f)
                    {
                        return None;
                    }
                    self.pos = close + 1;
                }
                b'"' => {
                    let close = self.pos
                        + 1
                        + self
                            .b
                            .get(self.pos + 1..)?
                            .iter()
                            .position(|&c| c == b'"')?;
                    if self
                        .b
                        .get(self.pos + 1..close)?
                        .iter()
                        .any(|c| *c < b' ' || *c >= 0x7f || matches!(c, b'$' | b'\\' | b'`'))
                    {
                        return None;
                    }
                    self.pos = close + 1;
                }
                c if c.is_ascii_alphanumeric()
                    || matches!(
                        c,
                        b'*' | b'?'
                            | b'.'
                            | b'-'
                            | b'_'
                            | b'/'
                            | b'+'
                            | b':'
                            | b','
                            | b'@'
                            | b'%'
                            | b'='
                    ) =>
                {
                    self.pos += 1;
                }
                _ => return None,
            }
        }
        let raw = self.src.get(start..self.pos)?;
        (!raw.is_empty() && !RESERVED.contains(&raw)).then_some(())
    }

    /// `name()` (blanks allowed before `()`) at `at`.
    fn is_function_header(&self, at: usize) -> bool {
        let b = self.b.get(at..).unwrap_or_default();
        if !b.first().copied().is_some_and(is_name_start) {
            return false;
        }
        let name = b
            .iter()
            .take_while(|&&c| is_name_char(c) || c == b'-')
            .count();
        let blanks = b
            .get(name..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count();
        b.get(name + blanks..).is_some_and(|r| r.starts_with(b"()"))
    }

    fn function(&mut self, at: usize, keyword: bool) -> Option<Node> {
        let mut name_start = at;
        if keyword {
            self.pos = at + "function".len();
            if !matches!(self.peek(), Some(b' ' | b'\t')) {
                return None;
            }
            self.skip_blanks()?;
            name_start = self.pos;
            if !self.peek().is_some_and(is_name_start) {
                return None;
            }
        }
        self.pos = name_start;
        while self.peek().is_some_and(|c| is_name_char(c) || c == b'-') {
            self.pos += 1;
        }
        let name = self.src.get(name_start..self.pos)?.to_string();
        if RESERVED.contains(&name.as_str()) {
            return None;
        }
        let after_name = self.pos;
        self.skip_blanks()?;
        if self.rest().starts_with(b"()") {
            self.pos += 2;
            self.skip_blanks()?;
        } else if !keyword || self.pos == after_name {
            return None;
        }
        if self.keyword() != Some("{") {
            return None;
        }
        self.pos += 1;
        let body = self.block(Close::Keywords(&["}"]))?;
        self.pos += 1;
        Some(Node::Function {
            def: FunctionDef {
                range: at..self.pos,
                name,
                keyword: keyword.then(|| at..at + "function".len()),
            },
            body,
        })
    }

    /// `[ … ]`: its words, with `[`, `]` and the operators tree-sitter-bash
    /// reads as anonymous tokens taken literally.
    fn test(&mut self, at: usize) -> Option<Node> {
        let mut cmd = Cmd {
            range: 0..0,
            argv: vec![literal_word(at..at + 1, "[")],
            assignments: Vec::new(),
            redirects: Vec::new(),
            subs: Vec::new(),
        };
        self.pos = at + 1;
        // tree-sitter-bash knows the test operators: anything else where an
        // operator is expected (`[ a -b ]`), or an operand starting with `-`
        // (`[ - ]`), makes it read past the `]`.
        let mut operand = true;
        loop {
            self.skip_blanks()?;
            if self.b.get(at..self.pos)?.contains(&b'\n') {
                return None; // (line continuations inside tests confuse tree-sitter-bash)
            }
            let t = self.pos;
            match self.peek()? {
                b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' | b'#' => return None,
                b']' if is_word_end(self.peek_at(t + 1)) => {
                    if operand {
                        return None;
                    }
                    self.pos += 1;
                    cmd.argv.push(literal_word(t..t + 1, "]"));
                    break;
                }
                _ => {}
            }
            let len = self
                .rest()
                .iter()
                .take_while(|&&c| !is_word_end(Some(c)))
                .count();
            let token = self.src.get(t..t + len)?;
            // (`\<` and the like; `[ a=b ]` and `[ local ]` are misread)
            if token.starts_with('\\')
                || DECLARATIONS.contains(&token.as_bytes())
                || looks_like_assignment(token)
            {
                return None;
            }
            let unary = operand && (token == "!" || TEST_UNARY.contains(&token));
            let binary =
                !operand && (matches!(token, "=" | "==" | "!=") || TEST_BINARY.contains(&token));
            if unary || binary {
                self.pos += len;
                cmd.argv.push(literal_word(t..t + len, token));
                operand = true;
                continue;
            }
            if !operand || token.starts_with('-') || token.starts_with('=') || token == "!" {
                return None;
            }
            let word = self.word(&mut cmd.subs)?;
            cmd.argv.push(word);
            operand = false;
        }
        if cmd.argv.len() < 3 {
            return None;
        }
        cmd.range = at..self.pos;
        Some(Node::Simple(cmd))
    }

    fn simple(&mut self) -> Option<Cmd> {
        let mut cmd = Cmd {
            range: 0..0,
            argv: Vec::new(),
            assignments: Vec::new(),
            redirects: Vec::new(),
            subs: Vec::new(),
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
                b'\n' | b';' | b'|' | b'#' | b')' => break,
                b'&' if self.peek_at(at + 1) != Some(b'>') => break,
                b'&' | b'<' | b'>' => {
                    if cmd.argv.is_empty() || declaration {
                        return None;
                    }
                    cmd.redirects.push(self.redirect(at, None, &mut cmd.subs)?);
                }
                b'0'..=b'9' if self.fd_len(at).is_some() => {
                    // tree-sitter-bash reads a `0` before `<`/`>` as a word, not a
                    // descriptor: leave such commands to it, like it, until it changes.
                    if cmd.argv.is_empty() || declaration || self.b[at] == b'0' {
                        return None;
                    }
                    let len = self.fd_len(at)?;
                    let fd = self.src.get(at..at + len)?.parse().ok();
                    self.pos += len;
                    cmd.redirects.push(self.redirect(at, fd, &mut cmd.subs)?);
                }
                _ if cmd.argv.is_empty() => {
                    if let Some(assignment) = self.assignment(&mut cmd.subs)? {
                        cmd.assignments.push(assignment);
                    } else {
                        let word = self.word(&mut cmd.subs)?;
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
                    let word = self.word(&mut cmd.subs)?;
                    if declaration && !declaration_arg_ok(&word.raw) {
                        return None;
                    }
                    // `local a=` takes what follows, except after `;` or a newline.
                    if declaration
                        && word.raw.ends_with('=')
                        && !(self.peek() == Some(b'\n')
                            || (self.peek() == Some(b';')
                                && self.peek_at(self.pos + 1) != Some(b';')))
                    {
                        return None;
                    }
                    // tree-sitter-bash drops a `-` argument before `2>&1`.
                    if word.raw == "-" {
                        let after = self.pos;
                        self.skip_blanks()?;
                        if matches!(self.peek(), Some(b'0'..=b'9' | b'<' | b'>'))
                            || self.rest().starts_with(b"&>")
                        {
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
    fn redirect(&mut self, start: usize, fd: Option<u32>, subs: &mut Subs) -> Option<Redirect> {
        if self.long_pipeline_ended {
            return None;
        }
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
        let target = self.word(subs)?;
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
    fn assignment(&mut self, subs: &mut Subs) -> Option<Option<Assignment>> {
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
            None | Some(b' ' | b'\t' | b'\n') => literal_word(value_start..value_start, ""),
            Some(b';') if self.peek_at(value_start + 1) != Some(b';') => {
                literal_word(value_start..value_start, "")
            }
            c if is_word_end(c) => return None,
            Some(b'<' | b'>' | b'#' | b'\\' | b'=') => return None,
            _ => self.word(subs)?,
        };
        Some(Some(Assignment {
            name,
            range: start..value.range.end.max(value_start),
            value,
        }))
    }

    /// One word starting at `self.pos`; the bodies of its substitutions go to `subs`.
    fn word(&mut self, subs: &mut Subs) -> Option<Word> {
        let b = self.b;
        let src = self.src;
        let start = self.pos;
        let mut acc = WordAcc::new();
        let mut seg = start;
        let mut i = start;
        loop {
            while b.get(i).is_some_and(|&c| PLAIN_WORD_BYTE[c as usize]) {
                i += 1;
            }
            let c = b.get(i).copied();
            if is_word_end(c) {
                break;
            }
            let c = c?;
            match c {
                // `find -exec … {} \;`
                b'{' if i == start
                    && b.get(i + 1) == Some(&b'}')
                    && is_word_end(b.get(i + 2).copied()) =>
                {
                    i += 2;
                }
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
                    i = self.double_quoted(i, &mut acc, subs)?;
                    seg = i;
                }
                b'$' if b.get(i + 1) == Some(&b'\'') => {
                    acc.push_unquoted(src.get(seg..i)?);
                    let end = ansi_c_end(b, i + 2)?;
                    acc.push_ansi_c(src.get(i + 2..end - 1)?);
                    i = end;
                    seg = i;
                }
                b'$' => {
                    acc.push_unquoted(src.get(seg..i)?);
                    let (end, _) = self.expansion(i, subs)?;
                    acc.push_expansion(src.get(i..end)?);
                    i = end;
                    seg = i;
                }
                // (`#` inside a word: `10#x` is an arithmetic base to
                // tree-sitter-bash, and other uses are rare)
                b'<' | b'>' | b'(' | b'{' | b'}' | b'[' | b']' | b'`' | b'#' => {
                    return None;
                }
                0x80.. | 0x7f | 0..=0x1f => return None,
                _ => i += 1,
            }
        }
        // `==`, `=~` and the like are test operators to tree-sitter-bash.
        if i == start || (b.get(start) == Some(&b'=') && i > start + 1) {
            return None;
        }
        let raw = src.get(start..i)?;
        if RESERVED.contains(&raw) {
            return None;
        }
        self.pos = i;
        if seg == start && !raw.as_bytes().contains(&b'\\') {
            // Unquoted text alone (most words): value and lossy text are the raw text.
            let mut word = literal_word(start..i, raw);
            word.has_glob = raw.bytes().any(|c| matches!(c, b'*' | b'?' | b'['));
            return Some(word);
        }
        acc.push_unquoted(src.get(seg..i)?);
        Some(acc.finish(start..i, raw))
    }

    /// A `"…"` string at `start`; returns the index after its closing quote.
    fn double_quoted(&mut self, start: usize, acc: &mut WordAcc, subs: &mut Subs) -> Option<usize> {
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
                    // tree-sitter-bash may read blanks and line continuations
                    // before an expansion as part of it.
                    let blank = b
                        .get(gap..i)?
                        .iter()
                        .rev()
                        .take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\\'))
                        .count();
                    if b.get(i - blank..i)?.contains(&b'\\') {
                        return None;
                    }
                    acc.push_double_quoted(self.src.get(gap..i)?);
                    let (end, _) = self.expansion(i, subs)?;
                    acc.push_expansion(self.src.get(i..end)?);
                    i = end;
                    gap = i;
                }
                b'`' | b'\r' => return None,
                _ => i += 1,
            }
        }
    }

    /// The expansion at `start` (a `$`): returns its end and whether it is
    /// an unbraced parameter (`$NAME`, `$1`, `$@`).
    fn expansion(&mut self, start: usize, subs: &mut Subs) -> Option<(usize, bool)> {
        let b = self.b;
        match *b.get(start + 1)? {
            b'{' => self.braced(start).map(|end| (end, false)),
            b'(' => {
                if b.get(start + 2) == Some(&b'(') {
                    return None; // arithmetic
                }
                self.pos = start + 2;
                self.substitutions += 1;
                let body = self.block(Close::Paren)?;
                self.substitutions -= 1;
                subs.push(body);
                Some((self.pos + 1, false))
            }
            c if is_name_start(c) => {
                let mut i = start + 2;
                while b.get(i).copied().is_some_and(is_name_char) {
                    i += 1;
                }
                Some((i, true))
            }
            // tree-sitter-bash reads `$1x` as one name; `$$x` and the like
            // are rare.
            c if c.is_ascii_digit() || b"@*#?$!-".contains(&c) => {
                (!b.get(start + 2).copied().is_some_and(is_name_char)).then_some((start + 2, true))
            }
            _ => None,
        }
    }

    /// `${…}` at `start`: a parameter (a name, a positional or special
    /// parameter, with an optional `[@]`-style subscript), optionally
    /// prefixed with `#` / `!` or followed by an operator and a plain word
    /// (which may hold `$NAME` / `${NAME}`); returns its end.
    fn braced(&self, start: usize) -> Option<usize> {
        let b = self.b;
        let mut i = start + 2;
        let prefixed = matches!(b.get(i), Some(b'#' | b'!'))
            && b.get(i + 1).is_some_and(|&c| is_name_char(c) || c == b'@');
        if prefixed {
            i += 1;
        }
        let c = *b.get(i)?;
        if is_name_start(c) {
            while b.get(i).copied().is_some_and(is_name_char) {
                i += 1;
            }
        } else if c.is_ascii_digit() {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        } else if b"@*#?$!-".contains(&c) {
            i += 1;
        } else {
            return None;
        }
        if b.get(i) == Some(&b'[') {
            let close = i + b.get(i..)?.iter().position(|&c| c == b']')?;
            let index = b.get(i + 1..close)?;
            let ok = index == b"@"
                || index == b"*"
                || (!index.is_empty() && index.iter().all(u8::is_ascii_digit));
            if !ok {
                return None;
            }
            i = close + 1;
        }
        if b.get(i) == Some(&b'}') {
            return Some(i + 1);
        }
        if prefixed {
            return None;
        }
        let rest = b.get(i..)?;
        let op = [
            ":-", ":=", ":+", ":?", "##", "%%", "//", "/#", "/%", "^^", ",,", "-", "=", "+", "?",
            "#", "%", "/", ":", "^", ",",
        ]
        .into_iter()
        .find(|op| rest.starts_with(op.as_bytes()))?;
        i += op.len();
        loop {
            match *b.get(i)? {
                b'}' => return Some(i + 1),
                b'"' => {
                    let close = i + 1 + b.get(i + 1..)?.iter().position(|&c| c == b'"')?;
                    let inner = b.get(i + 1..close)?;
                    let plain = |c: &u8| (b' '..0x7f).contains(c) && !matches!(c, b'\\' | b'`');
                    if !inner.iter().all(plain) || inner.windows(2).any(|w| w == b"$(") {
                        return None;
                    }
                    i = close + 1;
                }
                b'$' if b.get(i + 1) == Some(&b'{') => {
                    let mut j = i + 2;
                    if !b.get(j).copied().is_some_and(is_name_start) {
                        return None;
                    }
                    while b.get(j).copied().is_some_and(is_name_char) {
                        j += 1;
                    }
                    if b.get(j) != Some(&b'}') {
                        return None;
                    }
                    i = j + 1;
                }
                b'$' => {
                    if !b.get(i + 1).copied().is_some_and(is_name_start) {
                        return None;
                    }
                    i += 2;
                    while b.get(i).copied().is_some_and(is_name_char) {
                        i += 1;
                    }
                }
                c if c.is_ascii_alphanumeric()
                    || matches!(
                        c,
                        b'_' | b'-'
                            | b'.'
                            | b'/'
                            | b':'
                            | b'*'
                            | b'?'
                            | b'@'
                            | b'%'
                            | b'#'
                            | b'+'
                            | b'='
                            | b','
                            | b'^'
                            | b'~'
                            | b'['
                            | b']'
                            | b'!'
                    ) =>
                {
                    i += 1;
                }
                _ => return None,
            }
        }
    }
}

/// The end (after the closing quote) of a `$'…'` string whose content starts
/// at `i`: escapes of printable ASCII characters other than `'`.
fn ansi_c_end(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        match *b.get(i)? {
            b'\'' => return Some(i + 1),
            b'\\' => match *b.get(i + 1)? {
                b'\'' => return None,
                n if n > b' ' && n < 0x7f => i += 2,
                _ => return None,
            },
            c if !(b' '..0x7f).contains(&c) => return None,
            _ => i += 1,
        }
    }
}
