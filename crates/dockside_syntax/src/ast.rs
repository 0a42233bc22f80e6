//! The Dockerfile syntax tree. Every node keeps its byte range in the source;
//! values are kept raw (quotes and `$VAR`s untouched) — the semantic layer
//! unquotes and expands them.

use std::sync::Arc;

use compact_str::CompactString;

use crate::text::{LineIndex, MappedText, TextRange};

#[derive(Clone, Debug)]
pub struct Dockerfile {
    pub directives: Vec<Directive>,
    /// The escape character (`\` unless `# escape=` says otherwise).
    pub escape: char,
    pub instructions: Vec<Instruction>,
    /// Every comment line, including those inside continuations. Directives are not comments.
    pub comments: Vec<Comment>,
    /// Whitespace-only lines inside a continuation (BuildKit: NoEmptyContinuation).
    pub empty_continuation_lines: Vec<TextRange>,
    pub errors: Vec<SyntaxError>,
    /// Where each line of the source starts (found while splitting it into lines).
    pub line_index: Arc<LineIndex>,
}

impl Dockerfile {
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(name))
    }

    /// Comment lines that stand directly above `instruction` (no blank line or
    /// other instruction in between), in source order.
    pub fn comments_before<'a>(
        &'a self,
        source: &str,
        instruction: &Instruction,
    ) -> Vec<&'a Comment> {
        let mut out = Vec::new();
        let mut cursor = instruction.range.start as usize;
        let first_after = self
            .comments
            .partition_point(|c| (c.range.end as usize) <= cursor);
        for c in self.comments[..first_after].iter().rev() {
            let between = &source[c.range.end as usize..cursor];
            if between.chars().filter(|&ch| ch == '\n').count() > 1 || !between.trim().is_empty() {
                break;
            }
            out.push(c);
            cursor = c.range.start as usize;
        }
        out.reverse();
        out
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lower-case name: `syntax`, `escape` or `check`.
    pub name: String,
    pub value: String,
    pub range: TextRange,
    pub name_range: TextRange,
    pub value_range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// Text after `#`, untrimmed.
    pub text: String,
    /// The whole line from `#` to the end of line.
    pub range: TextRange,
    /// True when the comment line sits inside an instruction's continuation.
    pub inside_instruction: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub range: TextRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    pub fn parse(word: &str) -> Keyword {
        Keyword::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word))
            .unwrap_or(Keyword::Unknown)
    }

    /// Upper-case spelling (`RUN`); `Unknown` gives an empty string.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "",
        }
    }

    /// Instructions that add a filesystem layer to the image.
    pub fn creates_layer(self) -> bool {
        matches!(self, Keyword::Run | Keyword::Copy | Keyword::Add)
    }

    /// Instructions whose arguments may contain heredocs.
    pub fn allows_heredocs(self) -> bool {
        matches!(self, Keyword::Run | Keyword::Copy | Keyword::Add)
    }
}

#[derive(Clone, Debug)]
pub struct Instruction {
    pub keyword: Keyword,
    /// The keyword as written (`run`, `Run`, `RUN`, or an unknown word).
    pub keyword_text: String,
    pub keyword_range: TextRange,
    /// From the keyword to the end of the last line of the instruction,
    /// heredoc bodies and terminators included (line terminator excluded).
    pub range: TextRange,
    /// Everything after the keyword (flags included), continuations removed,
    /// leading/trailing whitespace trimmed, heredoc bodies excluded.
    pub line: Arc<MappedText>,
    pub flags: Vec<Flag>,
    /// The arguments after the flags, trimmed, mapped to the source (the same
    /// text as `line` when there are no flags).
    pub args: Arc<MappedText>,
    pub body: Body,
    pub heredocs: Vec<Heredoc>,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags.iter().filter(move |f| f.name == name)
    }

    pub fn args_range(&self) -> TextRange {
        if self.args.is_empty() {
            TextRange::empty(self.keyword_range.end as usize)
        } else {
            self.args.source_range(0..self.args.len())
        }
    }

    /// The command of RUN/CMD/ENTRYPOINT/HEALTHCHECK CMD, and of ONBUILD's inner instruction.
    pub fn command(&self) -> Option<&CommandForm> {
        match &self.body {
            Body::Command(c) => Some(c),
            Body::Healthcheck(Healthcheck::Cmd { command, .. }) => Some(command),
            _ => None,
        }
    }
}

/// A `--name[=value]` flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// Name without the dashes: `mount`, `from`, `chown`.
    pub name: String,
    /// Raw value after `=`, `None` for a bare `--flag`.
    pub value: Option<String>,
    pub range: TextRange,
    pub name_range: TextRange,
    pub value_range: Option<TextRange>,
}

#[derive(Clone, Debug)]
pub enum Body {
    /// RUN, CMD, ENTRYPOINT.
    Command(CommandForm),
    /// COPY and ADD: sources then destination (JSON form already decoded).
    /// Heredoc sources appear as `<<EOF` words.
    Paths {
        json: bool,
        paths: Vec<Word>,
    },
    /// ENV, LABEL, ARG.
    Pairs(Vec<Pair>),
    /// FROM `image [AS name]`.
    From(From),
    /// SHELL `["executable", "parameters"]`.
    Shell(Vec<Word>),
    /// EXPOSE, VOLUME, USER, WORKDIR, STOPSIGNAL, MAINTAINER and unknown instructions:
    /// whitespace-separated words (VOLUME may be JSON; WORKDIR/MAINTAINER keep one word).
    Words(Vec<Word>),
    Healthcheck(Healthcheck),
    Onbuild(Option<Box<Instruction>>),
}

#[derive(Clone, Debug)]
pub enum CommandForm {
    Exec(ExecForm),
    Shell(ShellForm),
}

impl CommandForm {
    pub fn is_exec(&self) -> bool {
        matches!(self, CommandForm::Exec(_))
    }
}

#[derive(Clone, Debug)]
pub struct ExecForm {
    pub elements: Vec<Word>,
    /// Range of the JSON array, brackets included.
    pub range: TextRange,
}

#[derive(Clone, Debug)]
pub struct ShellForm {
    /// The shell source with continuations removed (shared with the
    /// instruction's `args`).
    pub text: Arc<MappedText>,
    /// Set when the text starts with `[` but is not a valid JSON string array:
    /// Docker then runs it through `/bin/sh -c`.
    pub malformed_json: Option<JsonError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub message: String,
    pub range: TextRange,
}

/// A word: `value` is the decoded text for JSON strings and the raw text
/// (quotes kept) otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Most words are short: kept inline, without an allocation each.
    pub value: CompactString,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub key: Word,
    /// Raw value, quotes kept. `None` for `ARG name` without default.
    pub value: Option<Word>,
    /// `Equals` for `k=v`, `Space` for the legacy `ENV k v` / `LABEL k v` form.
    pub separator: Separator,
    pub range: TextRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Separator {
    Equals,
    Space,
    None,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct From {
    pub image: Option<Word>,
    /// The `AS` keyword.
    pub as_keyword: Option<Word>,
    pub name: Option<Word>,
}

#[derive(Clone, Debug)]
pub enum Healthcheck {
    /// `HEALTHCHECK` with nothing after it.
    Missing,
    None {
        keyword: Word,
    },
    Cmd {
        keyword: Word,
        command: CommandForm,
    },
    /// Anything else (`HEALTHCHECK CONNECT TCP 7000`).
    Other {
        keyword: Word,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word (`EOF`), unquoted.
    pub name: String,
    /// `<<-`: leading tabs are stripped from the body and terminator.
    pub strip_tabs: bool,
    /// `<<"EOF"` / `<<'EOF'`: no variable expansion in the body.
    pub quoted: bool,
    /// The `<<EOF` token on the instruction line.
    pub marker_range: TextRange,
    /// Body text as BuildKit delivers it (tabs stripped for `<<-`), each line ending in `\n`.
    pub body: String,
    /// The body lines in the source (terminator excluded).
    pub body_range: TextRange,
    /// `body` mapped back to the source, line by line.
    pub body_map: MappedText,
    /// The terminator line, `None` when the file ended first.
    pub terminator_range: Option<TextRange>,
}
