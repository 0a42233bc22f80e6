//! Shell command model for dockside.
//!
//! [`parse`] turns shell source (a Dockerfile `RUN` body, shell-form
//! `CMD`/`ENTRYPOINT`, a heredoc body or a standalone script) into a
//! [`Script`]: a flat list of [`SimpleCommand`]s plus the top-level
//! [`Statement`]s, heredocs and syntax errors. Parsing is done with
//! tree-sitter-bash and never panics; whatever parsed is modelled even when
//! the input contains errors.
//!
//! All byte ranges are offsets into the `&str` passed to [`parse`].

#![warn(missing_docs)]

mod build;
mod expansions;
mod fast;
mod unwrap;
mod words;

#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::hash::BuildHasher;
use std::ops::{Deref, Range};
use std::sync::Arc;

pub use compact_str::CompactString;
pub use expansions::{PartKind, WordPart};
pub use unwrap::Unwrapped;

/// Parses shell source into a [`Script`]. Never panics.
///
/// Simple shell (most `RUN` bodies) is handled by a hand-written parser that
/// builds exactly what tree-sitter-bash would; anything else goes through
/// tree-sitter.
///
/// The same source parsed again on the same thread (common across image
/// variants, and on every language-server re-lint) shares the first result.
pub fn parse(source: &str) -> Script {
    if source.len() > CACHE_MAX_INPUT {
        return parse_uncached(source);
    }
    let Some((key, hit)) = CACHE.with(|cache| {
        let cache = cache.try_borrow().ok()?;
        let key = cache.state.hash_one(source);
        let hit = cache
            .entries
            .get(&key)
            .and_then(|(text, script)| (**text == *source).then(|| script.clone()));
        Some((key, hit))
    }) else {
        return parse_uncached(source);
    };
    if let Some(script) = hit {
        return script;
    }
    let script = parse_uncached(source);
    CACHE.with(|cache| {
        if let Ok(mut cache) = cache.try_borrow_mut() {
            if cache.entries.len() >= CACHE_ENTRIES
                && let Some(old) = cache.order.pop_front()
            {
                cache.entries.remove(&old);
            }
            if cache
                .entries
                .insert(key, (source.into(), script.clone()))
                .is_none()
            {
                cache.order.push_back(key);
            }
        }
    });
    script
}

fn parse_uncached(source: &str) -> Script {
    fast::parse(source).unwrap_or_else(|| build::parse_uncached(source))
}

/// Inputs up to this size are remembered per thread.
const CACHE_MAX_INPUT: usize = 16 * 1024;
const CACHE_ENTRIES: usize = 64;

#[derive(Default)]
struct Cache {
    /// Keyed by the text's hash; a hit still compares the text.
    entries: foldhash::HashMap<u64, (Box<str>, Script)>,
    order: VecDeque<u64>,
    state: foldhash::fast::RandomState,
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// The fast path alone: `None` when `source` is outside its subset
/// (for differential tests and benchmarks).
#[doc(hidden)]
pub fn parse_fast_path(source: &str) -> Option<Script> {
    fast::parse(source)
}

/// Roughly where the fast path gives up on `source` (`None` when it
/// accepts it), for finding what to extend it with.
#[doc(hidden)]
pub fn fast_path_rejection(source: &str) -> Option<usize> {
    fast::rejection(source)
}

/// The tree-sitter path alone, uncached (for differential tests and benchmarks).
#[doc(hidden)]
pub fn parse_tree_sitter(source: &str) -> Script {
    build::parse_uncached(source)
}

/// Returns the interpreter basename named by a `#!` line, e.g.
/// `#!/usr/bin/env bash` -> `bash`, `#!/bin/sh -e` -> `sh`.
pub fn shebang_interpreter(script_text: &str) -> Option<String> {
    let text = script_text.strip_prefix('\u{feff}').unwrap_or(script_text);
    let line = text.lines().next()?.strip_prefix("#!")?;
    let mut tokens = line.split_whitespace();
    let first = basename(tokens.next()?)?;
    if first != "env" {
        return Some(first.to_string());
    }
    // `#!/usr/bin/env [-S] [-i] [-u NAME] [NAME=value] interp ...`
    while let Some(tok) = tokens.next() {
        if tok == "-u" || tok == "--unset" || tok == "-C" || tok == "--chdir" {
            tokens.next();
            continue;
        }
        if tok.starts_with('-') || tok.contains('=') {
            continue;
        }
        return basename(tok).map(str::to_string);
    }
    None
}

/// The part of a path after its last `/`; `None` when that part is empty.
pub(crate) fn basename(path: &str) -> Option<&str> {
    let base = path.rsplit('/').next().unwrap_or(path);
    (!base.is_empty()).then_some(base)
}

/// A parsed shell script: a shared [`ScriptModel`] (cloning is cheap).
#[derive(Clone, Default)]
pub struct Script(Arc<ScriptModel>);

impl Script {
    pub(crate) fn new(mut model: ScriptModel) -> Script {
        // Kept for the whole analysis, one per RUN: without the spare capacity of
        // building, a 200,000-line Dockerfile needs a third less memory.
        for command in &mut model.commands {
            command.argv.shrink_to_fit();
            command.assignments.shrink_to_fit();
            command.redirects.shrink_to_fit();
        }
        model.commands.shrink_to_fit();
        model.statements.shrink_to_fit();
        model.functions.shrink_to_fit();
        Script(Arc::new(model))
    }
}

impl Deref for Script {
    type Target = ScriptModel;

    fn deref(&self) -> &ScriptModel {
        &self.0
    }
}

impl std::fmt::Debug for Script {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The command model of a [`Script`].
#[derive(Debug, Default)]
pub struct ScriptModel {
    /// Every simple command in document order, nested ones included
    /// (subshells, groups, compound bodies, functions, substitutions, pipelines).
    pub commands: Vec<SimpleCommand>,
    /// Top-level statements (one per and-or list at the script's top level).
    pub statements: Vec<Statement>,
    /// Ranges of tree-sitter ERROR / MISSING nodes (MISSING ones are empty ranges).
    pub errors: Vec<Range<usize>>,
    /// Heredoc redirections found anywhere in the script.
    pub heredocs: Vec<HeredocRedirect>,
    /// Function definitions anywhere in the script, in document order.
    pub functions: Vec<FunctionDef>,
}

impl ScriptModel {
    /// The command whose process ends up being the script's main process /
    /// exit status: the last command of the last top-level statement,
    /// descending into a trailing compound command (the textually last branch
    /// of an `if`/`case`, a loop body, a subshell or brace group). `None` for
    /// an empty script or one ending in a function definition.
    pub fn final_command(&self) -> Option<&SimpleCommand> {
        let last = self.statements.last()?.last_command?;
        self.commands.get(last)
    }

    /// Commands whose (unwrapped) program name is `name` (see [`SimpleCommand::program`]).
    pub fn commands_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a SimpleCommand> + 'a {
        self.commands
            .iter()
            .filter(move |c| c.program() == Some(name))
    }

    /// True when the parser reported any syntax error.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The commands of one top-level statement, in document order.
    pub fn statement_commands<'a>(
        &'a self,
        statement: &'a Statement,
    ) -> impl Iterator<Item = &'a SimpleCommand> + 'a {
        statement
            .commands
            .iter()
            .filter_map(|&i| self.commands.get(i))
    }
}

/// One simple command (`FOO=1 cmd arg >file`).
#[derive(Clone, Debug)]
pub struct SimpleCommand {
    /// Range of the command, including redirections attached to it (for a
    /// heredoc only its `<<EOF` header, not the body).
    pub range: Range<usize>,
    /// Words of the command; `argv[0]` is the command name as written.
    /// Empty for a bare assignment or a redirection-only command.
    pub argv: Vec<Word>,
    /// `FOO=bar` assignments before the command.
    pub assignments: Vec<Assignment>,
    /// Redirections attached to this command.
    pub redirects: Vec<Redirect>,
    /// The command's statement/pipeline is terminated by `&` (also true for
    /// commands nested in a backgrounded compound command).
    pub background: bool,
    /// Position in a `|` pipeline with at least two stages (commands nested
    /// inside a compound stage share the stage's position).
    pub pipeline: Option<PipelinePos>,
    /// The innermost enclosing construct.
    pub context: Context,
    /// Index into [`Script::statements`] of the top-level statement containing it.
    pub statement: Option<usize>,
    /// Preceded by `!`.
    pub negated: bool,
    /// Its failure does not abort `set -e`: it is on the left of `&&`/`||`,
    /// inside an `if`/`while`/`until` condition, negated with `!`, or nested in
    /// such a construct.
    pub condition_guarded: bool,
    /// The wrapper analysis, computed once: rules ask for the program of every
    /// command many times.
    unwrapped: UnwrapCache,
}

#[derive(Clone, Debug, Default)]
struct UnwrapCache {
    /// Index in `argv` of the wrapped program.
    start: usize,
    exec: bool,
    /// Byte offset of the basename in the program word's value.
    program_at: Option<usize>,
}

impl UnwrapCache {
    fn of(argv: &[Word]) -> UnwrapCache {
        let u = unwrap::unwrap(argv);
        let start = argv.len() - u.argv.len();
        let program_at = u
            .argv
            .first()
            .and_then(|w| w.value.as_deref())
            .and_then(|v| basename(v).map(|b| v.len() - b.len()));
        UnwrapCache {
            start,
            exec: u.wrappers.contains(&"exec"),
            program_at,
        }
    }
}

impl SimpleCommand {
    /// A top-level command made of `argv` alone, such as an exec-form
    /// `CMD ["nginx", "-g", "daemon off;"]` seen as a command.
    pub fn from_argv(argv: Vec<Word>) -> SimpleCommand {
        let range = match (argv.first(), argv.last()) {
            (Some(a), Some(b)) => a.range.start..b.range.end.max(a.range.start),
            _ => 0..0,
        };
        let unwrapped = UnwrapCache::of(&argv);
        SimpleCommand {
            range,
            argv,
            assignments: Vec::new(),
            redirects: Vec::new(),
            background: false,
            pipeline: None,
            context: Context::TopLevel,
            statement: None,
            negated: false,
            condition_guarded: false,
            unwrapped,
        }
    }

    /// Static value of `argv[0]` as written.
    pub fn name(&self) -> Option<&str> {
        self.argv.first()?.value.as_deref()
    }

    /// Strips wrapper commands (`exec`, `sudo`, `env`, `nohup`, `time`,
    /// `command`, `nice`, `stdbuf`, `gosu USER`, `su-exec USER`, `tini`,
    /// `dumb-init`) with their options. A wrapper is only stripped when a
    /// command follows it.
    pub fn unwrapped(&self) -> Unwrapped<'_> {
        unwrap::unwrap(&self.argv)
    }

    /// The argv with wrappers stripped (cheap: computed at parse time).
    pub fn unwrapped_argv(&self) -> &[Word] {
        self.argv.get(self.unwrapped.start..).unwrap_or(&[])
    }

    /// Basename of the unwrapped `argv[0]` static value
    /// (`/usr/bin/apt-get` -> `apt-get`).
    pub fn program(&self) -> Option<&str> {
        let at = self.unwrapped.program_at?;
        self.argv
            .get(self.unwrapped.start)?
            .value
            .as_deref()?
            .get(at..)
    }

    /// `exec` is among the wrappers (the process replaces the shell).
    pub fn is_exec(&self) -> bool {
        self.unwrapped.exec
    }

    /// Unwrapped `argv[1..]`.
    pub fn args(&self) -> &[Word] {
        self.argv.get(self.unwrapped.start + 1..).unwrap_or(&[])
    }

    /// Whether any argument (before `--`) is the flag: `-y`, a short cluster
    /// containing it (`-qy`), `--yes` or `--yes=…`.
    pub fn has_flag(&self, short: Option<char>, long: Option<&str>) -> bool {
        self.flag_index(short, long).is_some()
    }

    /// Index into [`SimpleCommand::args`] of the first argument matching
    /// [`SimpleCommand::has_flag`].
    pub fn flag_index(&self, short: Option<char>, long: Option<&str>) -> Option<usize> {
        let long = long.map(|l| l.trim_start_matches('-'));
        for (i, word) in self.args().iter().enumerate() {
            let Some(v) = word.value.as_deref() else {
                continue;
            };
            if v == "--" {
                break;
            }
            if let Some(rest) = v.strip_prefix("--") {
                if let Some(l) = long.filter(|l| !l.is_empty())
                    && let Some(after) = rest.strip_prefix(l)
                    && (after.is_empty() || after.starts_with('='))
                {
                    return Some(i);
                }
            } else if let Some(rest) = v.strip_prefix('-')
                && let Some(c) = short
                && rest
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .any(|x| x == c)
            {
                return Some(i);
            }
        }
        None
    }
}

/// A shell word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Range in the source.
    pub range: Range<usize>,
    /// Text as written.
    pub raw: CompactString,
    /// Static value after quote removal and escape processing; `None` if the
    /// word contains any expansion (`$VAR`, `${…}`, `$(…)`, `` `…` ``,
    /// arithmetic, brace ranges, arrays).
    pub value: Option<CompactString>,
    /// Like `value`, but with each expansion kept as written (`$HOME/.cache`).
    pub lossy: CompactString,
    /// Contains an unquoted `*`, `?` or `[`.
    pub has_glob: bool,
}

impl Word {
    /// The static value, falling back to the lossy text.
    pub fn text(&self) -> &str {
        self.value.as_deref().unwrap_or(&self.lossy)
    }

    /// True when the word contains no expansion.
    pub fn is_static(&self) -> bool {
        self.value.is_some()
    }
}

/// `NAME=value` (or `NAME+=value`).
#[derive(Clone, Debug)]
pub struct Assignment {
    /// Variable name (may include a subscript, `a[1]`).
    pub name: String,
    /// Assigned value; an empty word for `NAME=`.
    pub value: Word,
    /// Range of the whole assignment.
    pub range: Range<usize>,
}

/// A redirection such as `2>&1`, `>/dev/null`, `<<EOF` or `<<<"text"`.
#[derive(Clone, Debug)]
pub struct Redirect {
    /// Range (for heredocs only the `<<EOF` header).
    pub range: Range<usize>,
    /// Explicit file descriptor (`2` in `2>&1`).
    pub fd: Option<u32>,
    /// Operator: `>`, `>>`, `<`, `>&`, `<&`, `&>`, `&>>`, `>|`, `<>`, `<<`, `<<-`, `<<<`.
    pub op: String,
    /// Target word (for heredocs the delimiter, with its static value unquoted;
    /// for `>&-` the word `-`).
    pub target: Option<Word>,
}

/// A heredoc (`cat <<EOF > f … EOF`).
#[derive(Clone, Debug)]
pub struct HeredocRedirect {
    /// From `<<` to the end of the closing delimiter line.
    pub range: Range<usize>,
    /// Delimiter with quotes removed.
    pub delimiter: String,
    /// Body text (leading tabs stripped for `<<-`).
    pub body: String,
    /// Range of the body as written (full lines, without the closing delimiter).
    pub body_range: Range<usize>,
    /// Index into [`Script::commands`] of the command it is attached to
    /// (`None` when attached to a compound command).
    pub command: Option<usize>,
    /// The delimiter was quoted (`<<'EOF'`), so the body is not expanded.
    pub quoted: bool,
    /// `<<-` form.
    pub strip_tabs: bool,
}

/// A function definition (`f() { …; }` or `function f { …; }`).
#[derive(Clone, Debug)]
pub struct FunctionDef {
    /// Range of the whole definition.
    pub range: Range<usize>,
    /// The function's name as written.
    pub name: String,
    /// Range of the `function` keyword, when the definition uses it.
    pub keyword: Option<Range<usize>>,
}

/// A top-level statement (one and-or list).
#[derive(Clone, Debug)]
pub struct Statement {
    /// Range of the statement (without its `;`/`&` terminator).
    pub range: Range<usize>,
    /// Terminated by `&`.
    pub background: bool,
    /// Indices into [`Script::commands`], nested ones included.
    pub commands: Vec<usize>,
    /// Shape of the statement.
    pub kind: StatementKind,
    /// Index of the command determining the statement's exit status / main
    /// process (see [`Script::final_command`]).
    pub last_command: Option<usize>,
}

/// Position of a command in a pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PipelinePos {
    /// Unique per pipeline within a script.
    pub id: usize,
    /// Stage index, 0-based.
    pub index: usize,
    /// Number of stages (at least 2).
    pub len: usize,
}

impl PipelinePos {
    /// This is the last stage of the pipeline.
    pub fn is_last(&self) -> bool {
        self.index + 1 == self.len
    }
}

/// The innermost construct enclosing a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Context {
    /// Directly in the script (possibly in an and-or list or pipeline).
    TopLevel,
    /// `( … )`.
    Subshell,
    /// `{ …; }`.
    Group,
    /// `if` / `case` (conditions and branches).
    Conditional,
    /// `while` / `until` / `for` / `select`.
    Loop,
    /// A function body.
    Function,
    /// `$(…)`, `` `…` ``, `<(…)` / `>(…)`.
    Substitution,
    /// Anything else (e.g. arithmetic commands).
    Other,
}

/// Shape of a top-level statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatementKind {
    /// A single simple command (or bare assignment / redirection).
    Simple,
    /// A `|` pipeline of at least two stages.
    Pipeline,
    /// An `&&` / `||` list.
    AndOr,
    /// A compound command.
    Compound(CompoundKind),
    /// A function definition.
    FunctionDef,
}

/// Kind of compound command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompoundKind {
    /// `( … )`.
    Subshell,
    /// `{ …; }`.
    Group,
    /// `(( … ))`.
    Arithmetic,
    /// `if`.
    If,
    /// `case`.
    Case,
    /// `while`.
    While,
    /// `until`.
    Until,
    /// `for` (including C-style) and `select`.
    For,
    /// Something else (unrecognised construct).
    Other,
}
