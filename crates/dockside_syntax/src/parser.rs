//! A hand-written Dockerfile parser following BuildKit's rules
//! (`moby/buildkit/frontend/dockerfile/parser`), lossless through ranges and
//! tolerant of errors: a broken instruction yields a [`SyntaxError`] and
//! parsing resumes at the next line.

use std::sync::Arc;

use compact_str::CompactString;

use crate::ast::*;
use crate::json::{self, JsonArray};
use crate::text::{LineIndex, MappedText, TextRange};
use crate::words::{SplitMode, split_words};

/// Parses a Dockerfile. Never fails: problems are reported in `Dockerfile::errors`.
pub fn parse(source: &str) -> Dockerfile {
    Parser::new(source).run()
}

struct Line {
    start: usize,
    /// End of content, line terminator excluded.
    end: usize,
}

struct Parser<'a> {
    src: &'a str,
    lines: Vec<Line>,
    /// Reused by `parse_instruction`.
    pieces: Vec<std::ops::Range<usize>>,
    escape: char,
    directives: Vec<Directive>,
    instructions: Vec<Instruction>,
    comments: Vec<Comment>,
    empty_continuation_lines: Vec<TextRange>,
    errors: Vec<SyntaxError>,
}

const DIRECTIVES: [&str; 3] = ["syntax", "escape", "check"];

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Self {
        let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', src.as_bytes()).count() + 1);
        let mut start = if src.starts_with('\u{FEFF}') { 3 } else { 0 };
        let bytes = src.as_bytes();
        while start <= src.len() {
            let nl = memchr_newline(&bytes[start..]).map(|i| start + i);
            let line_end = nl.unwrap_or(src.len());
            let mut end = line_end;
            if end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
            lines.push(Line { start, end });
            match nl {
                Some(i) => start = i + 1,
                None => break,
            }
        }
        Parser {
            src,
            lines,
            pieces: Vec::new(),
            escape: '\\',
            directives: Vec::new(),
            instructions: Vec::new(),
            comments: Vec::new(),
            empty_continuation_lines: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn line_text(&self, i: usize) -> &'a str {
        let l = &self.lines[i];
        &self.src[l.start..l.end]
    }

    fn error(&mut self, message: impl Into<String>, range: TextRange) {
        self.errors.push(SyntaxError {
            message: message.into(),
            range,
        });
    }

    fn run(mut self) -> Dockerfile {
        let mut i = self.parse_directives();
        while i < self.lines.len() {
            let text = self.line_text(i);
            let trimmed = text.trim_start();
            if trimmed.is_empty() {
                i += 1;
                continue;
            }
            if trimmed.starts_with('#') {
                self.push_comment(i, false);
                i += 1;
                continue;
            }
            i = self.parse_instruction(i);
        }
        if self.instructions.is_empty() && self.errors.is_empty() {
            let end = self.src.len();
            self.error(
                "the Dockerfile has no instructions",
                TextRange::new(0, end.min(self.lines.first().map_or(0, |l| l.end))),
            );
        }
        let line_index = LineIndex::from_later_starts(
            self.lines.iter().skip(1).map(|l| l.start as u32),
            self.src.len(),
        );
        Dockerfile {
            line_index: Arc::new(line_index),
            directives: self.directives,
            escape: self.escape,
            instructions: self.instructions,
            comments: self.comments,
            empty_continuation_lines: self.empty_continuation_lines,
            errors: self.errors,
        }
    }

    fn push_comment(&mut self, line: usize, inside_instruction: bool) {
        let l = &self.lines[line];
        let text = &self.src[l.start..l.end];
        let hash = l.start + (text.len() - text.trim_start().len());
        self.comments.push(Comment {
            text: self.src[hash + 1..l.end].to_string(),
            range: TextRange::new(hash, l.end),
            inside_instruction,
        });
    }

    /// Parser directives: `# name=value` lines at the very top. The first line
    /// that is not a known directive ends them.
    fn parse_directives(&mut self) -> usize {
        let mut i = 0;
        while i < self.lines.len() {
            let l = &self.lines[i];
            let Some(d) = parse_directive(self.src, l.start, l.end) else {
                break;
            };
            if !DIRECTIVES.contains(&d.name.as_str()) {
                break;
            }
            if self.directives.iter().any(|x| x.name == d.name) {
                let msg = format!("only one `{}` parser directive can be used", d.name);
                self.error(msg, d.range);
            } else if d.name == "escape" {
                match d.value.as_str() {
                    "\\" => self.escape = '\\',
                    "`" => self.escape = '`',
                    other => {
                        let msg =
                            format!("invalid escape token `{other}`: it must be `\\` or `` ` ``");
                        self.error(msg, d.value_range);
                    }
                }
                self.directives.push(d);
            } else {
                self.directives.push(d);
            }
            i += 1;
        }
        i
    }

    /// Parses the instruction starting at line `first`; returns the next line to read.
    fn parse_instruction(&mut self, first: usize) -> usize {
        // The source pieces of the logical line, joined once their total length is known.
        let mut pieces = std::mem::take(&mut self.pieces);
        pieces.clear();
        let mut j = first;
        let mut last_content_line = first;
        loop {
            let l = &self.lines[j];
            let (start, end) = (l.start, l.end);
            let text = &self.src[start..end];
            if j != first {
                let t = text.trim_start();
                if t.is_empty() {
                    self.empty_continuation_lines
                        .push(TextRange::new(start, end));
                    j += 1;
                    if j >= self.lines.len() {
                        break;
                    }
                    continue;
                }
                if t.starts_with('#') {
                    self.push_comment(j, true);
                    j += 1;
                    if j >= self.lines.len() {
                        break;
                    }
                    continue;
                }
            }
            let piece_start = if j == first {
                start + (text.len() - text.trim_start().len())
            } else {
                start
            };
            let (content_end, continues) = strip_continuation(text, self.escape);
            pieces.push(piece_start..start + content_end);
            last_content_line = j;
            j += 1;
            if !continues || j >= self.lines.len() {
                break;
            }
        }
        let mut logical =
            MappedText::with_capacity(pieces.iter().map(|p| p.len()).sum(), pieces.len());
        for piece in pieces.drain(..) {
            logical.push(&self.src[piece.clone()], piece.start);
        }
        self.pieces = pieces;
        let mut end_line = last_content_line;

        let line_end = self.lines[last_content_line].end;
        let mut inst = self.build_instruction(logical, line_end);

        if inst.keyword.allows_heredocs() {
            let markers = find_heredoc_markers(&inst.line);
            let mut next = last_content_line + 1;
            for m in markers {
                let (doc, after) = self.read_heredoc(m, next);
                if doc.terminator_range.is_none() {
                    let msg = format!("unterminated heredoc: no line `{}` closes it", doc.name);
                    self.error(msg, doc.marker_range);
                }
                if after > next {
                    end_line = after - 1;
                }
                next = after;
                inst.heredocs.push(doc);
            }
            inst.range.end = self.lines[end_line].end as u32;
        }
        self.validate(&inst);
        self.instructions.push(inst);
        end_line + 1
    }

    fn read_heredoc(&self, marker: HeredocMarker, from_line: usize) -> (Heredoc, usize) {
        let mut body = String::new();
        let mut body_map = MappedText::new();
        let body_start = self
            .lines
            .get(from_line)
            .map_or(self.src.len(), |l| l.start);
        let mut body_end = body_start;
        let mut terminator = None;
        let mut i = from_line;
        while i < self.lines.len() {
            let l = &self.lines[i];
            let text = &self.src[l.start..l.end];
            let cmp = if marker.strip_tabs {
                text.trim_start_matches('\t')
            } else {
                text
            };
            i += 1;
            if cmp == marker.name {
                terminator = Some(TextRange::new(l.start, l.end));
                break;
            }
            body.push_str(cmp);
            body.push('\n');
            body_map.push(cmp, l.end - cmp.len());
            body_map.push_synthetic("\n");
            body_end = l.end;
        }
        let doc = Heredoc {
            name: marker.name,
            strip_tabs: marker.strip_tabs,
            quoted: marker.quoted,
            marker_range: marker.range,
            body,
            body_range: TextRange::new(body_start, body_end.max(body_start)),
            body_map,
            terminator_range: terminator,
        };
        (doc, i)
    }

    /// Builds an instruction from its logical line (continuations already joined).
    fn build_instruction(&mut self, logical: MappedText, line_end: usize) -> Instruction {
        let text = logical.as_str();
        let kw_end = text.find(char::is_whitespace).unwrap_or(text.len());
        let keyword_text = text[..kw_end].to_string();
        let keyword_range = logical.source_range(0..kw_end);
        let keyword = Keyword::parse(&keyword_text);
        let line = Arc::new(trimmed(&logical, kw_end..text.len()));
        let (flags, args_start) = parse_flags(&line);
        // Most instructions have no flags: their arguments are the whole line.
        let args = if args_start == 0 {
            Arc::clone(&line)
        } else {
            Arc::new(trimmed(&line, args_start..line.len()))
        };
        let range = TextRange::new(
            keyword_range.start as usize,
            line_end.max(keyword_range.end as usize),
        );
        let mut inst = Instruction {
            keyword,
            keyword_text,
            keyword_range,
            range,
            line,
            flags,
            args,
            body: Body::Words(Vec::new()),
            heredocs: Vec::new(),
        };
        inst.body = self.parse_body(&inst, line_end);
        inst
    }

    fn parse_body(&mut self, inst: &Instruction, line_end: usize) -> Body {
        let args = &inst.args;
        let name = inst.keyword.as_str();
        match inst.keyword {
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint => {
                if args.is_empty() && inst.keyword == Keyword::Run {
                    self.error("RUN requires at least one argument", inst.keyword_range);
                }
                Body::Command(self.command_form(args))
            }
            Keyword::Copy | Keyword::Add => {
                let (json, paths) = match self.maybe_json_list(args) {
                    Some(words) => (true, words),
                    None => (false, whitespace_words(args)),
                };
                if paths.len() < 2 {
                    let msg = format!(
                        "{name} requires at least two arguments (sources and a destination), but {} provided",
                        if paths.is_empty() {
                            "none was".to_string()
                        } else {
                            "only one was".to_string()
                        }
                    );
                    self.error(msg, inst.range_for_args());
                }
                Body::Paths { json, paths }
            }
            Keyword::Env | Keyword::Label => Body::Pairs(self.key_values(inst, true)),
            Keyword::Arg => Body::Pairs(self.key_values(inst, false)),
            Keyword::From => {
                let words = whitespace_words(args);
                let mut from = From {
                    image: None,
                    as_keyword: None,
                    name: None,
                };
                match words.len() {
                    1 => from.image = Some(words[0].clone()),
                    3 if words[1].value.eq_ignore_ascii_case("as") => {
                        from.image = Some(words[0].clone());
                        from.as_keyword = Some(words[1].clone());
                        from.name = Some(words[2].clone());
                    }
                    0 => self.error(
                        "FROM requires an image: `FROM image [AS name]`",
                        inst.keyword_range,
                    ),
                    _ => {
                        from.image = Some(words[0].clone());
                        if words.len() >= 2 && words[1].value.eq_ignore_ascii_case("as") {
                            from.as_keyword = Some(words[1].clone());
                            from.name = words.get(2).cloned();
                        }
                        self.error(
                            "FROM takes either one or three arguments: `FROM image [AS name]`",
                            inst.range_for_args(),
                        );
                    }
                }
                Body::From(from)
            }
            Keyword::Shell => match self.maybe_json_list(args) {
                Some(words) if !words.is_empty() => Body::Shell(words),
                Some(_) => {
                    self.error(
                        "SHELL requires at least one argument",
                        inst.range_for_args(),
                    );
                    Body::Shell(Vec::new())
                }
                None => {
                    self.error(
                        "SHELL requires the arguments in JSON form: `SHELL [\"executable\", \"parameters\"]`",
                        inst.range_for_args(),
                    );
                    Body::Shell(Vec::new())
                }
            },
            Keyword::Volume => {
                let words = self
                    .maybe_json_list(args)
                    .unwrap_or_else(|| whitespace_words(args));
                self.require_args(inst, &words);
                Body::Words(words)
            }
            Keyword::Expose => {
                let words = whitespace_words(args);
                self.require_args(inst, &words);
                Body::Words(words)
            }
            Keyword::Workdir | Keyword::User | Keyword::Stopsignal | Keyword::Maintainer => {
                let words = if args.is_empty() {
                    Vec::new()
                } else {
                    vec![Word {
                        value: CompactString::from(args.as_str()),
                        range: args.source_range(0..args.len()),
                    }]
                };
                self.require_args(inst, &words);
                if matches!(inst.keyword, Keyword::Workdir | Keyword::Stopsignal)
                    && whitespace_words(args).len() > 1
                {
                    // BuildKit keeps the rest as one string for WORKDIR; STOPSIGNAL must be one word.
                    if inst.keyword == Keyword::Stopsignal {
                        self.error(
                            "STOPSIGNAL takes exactly one argument",
                            inst.range_for_args(),
                        );
                    }
                }
                Body::Words(words)
            }
            Keyword::Healthcheck => Body::Healthcheck(self.healthcheck(inst)),
            Keyword::Onbuild => {
                if args.is_empty() {
                    self.error("ONBUILD requires an instruction to run", inst.keyword_range);
                    return Body::Onbuild(None);
                }
                // `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER` parse; the
                // linter's `invalid-onbuild-trigger` rule reports them.
                let inner = self.build_instruction(MappedText::clone(args), line_end);
                self.validate(&inner);
                Body::Onbuild(Some(Box::new(inner)))
            }
            Keyword::Unknown => Body::Words(whitespace_words(args)),
        }
    }

    fn require_args(&mut self, inst: &Instruction, words: &[Word]) {
        if words.is_empty() {
            let msg = format!("{} requires at least one argument", inst.keyword.as_str());
            self.error(msg, inst.keyword_range);
        }
    }

    /// Checks that need the whole instruction (unknown keywords).
    fn validate(&mut self, inst: &Instruction) {
        if inst.keyword == Keyword::Unknown {
            let mut msg = format!("unknown instruction: {}", inst.keyword_text);
            if let Some(s) = suggest_keyword(&inst.keyword_text) {
                msg.push_str(&format!(" (did you mean {s}?)"));
            }
            self.error(msg, inst.keyword_range);
        }
    }

    fn command_form(&mut self, args: &Arc<MappedText>) -> CommandForm {
        if args.as_str().starts_with('[') {
            match json::parse_string_array(args.as_str()) {
                JsonArray::Strings(items) => {
                    return CommandForm::Exec(ExecForm {
                        elements: items
                            .into_iter()
                            .map(|(value, r)| Word {
                                value: value.into(),
                                range: args.source_range(r),
                            })
                            .collect(),
                        range: args.source_range(0..args.len()),
                    });
                }
                JsonArray::NotStrings { message, at } => {
                    let range = args.source_range(at);
                    self.error(message.clone(), range);
                    return CommandForm::Shell(ShellForm {
                        text: Arc::clone(args),
                        malformed_json: Some(JsonError { message, range }),
                    });
                }
                JsonArray::Invalid { message, at } => {
                    return CommandForm::Shell(ShellForm {
                        text: Arc::clone(args),
                        malformed_json: Some(JsonError {
                            message,
                            range: args.source_range(at),
                        }),
                    });
                }
            }
        }
        CommandForm::Shell(ShellForm {
            text: Arc::clone(args),
            malformed_json: None,
        })
    }

    /// JSON form of COPY/ADD/VOLUME/SHELL, or `None` when the text is not a JSON string array.
    fn maybe_json_list(&mut self, args: &MappedText) -> Option<Vec<Word>> {
        if !args.as_str().starts_with('[') {
            return None;
        }
        match json::parse_string_array(args.as_str()) {
            JsonArray::Strings(items) => Some(
                items
                    .into_iter()
                    .map(|(value, r)| Word {
                        value: value.into(),
                        range: args.source_range(r),
                    })
                    .collect(),
            ),
            JsonArray::NotStrings { message, at } => {
                self.error(message, args.source_range(at));
                Some(Vec::new())
            }
            JsonArray::Invalid { .. } => None,
        }
    }

    /// ENV / LABEL (`legacy` allows `KEY value`) and ARG pairs.
    fn key_values(&mut self, inst: &Instruction, legacy: bool) -> Vec<Pair> {
        let args = &inst.args;
        let name = inst.keyword.as_str();
        let words = split_words(args.as_str(), self.escape, SplitMode::Env);
        if words.is_empty() {
            let msg = match inst.keyword {
                Keyword::Env => "ENV requires a name and a value: `ENV NAME=value`".to_string(),
                _ => format!("{name} requires at least one argument"),
            };
            self.error(msg, inst.keyword_range);
            return Vec::new();
        }
        let word = |r: std::ops::Range<usize>| Word {
            value: CompactString::from(&args.text[r.clone()]),
            range: args.source_range(r),
        };
        let first = &args.text[words[0].clone()];
        if legacy && !first.contains('=') {
            // Legacy `ENV KEY value with spaces`.
            let key_r = words[0].clone();
            if words.len() < 2 {
                let msg = format!("{name} {first} has no value: write `{name} {first}=value`");
                self.error(msg, args.source_range(key_r.clone()));
                return vec![Pair {
                    key: word(key_r.clone()),
                    value: None,
                    separator: Separator::None,
                    range: args.source_range(key_r),
                }];
            }
            let value_r = words[1].start..args.len();
            return vec![Pair {
                key: word(key_r.clone()),
                value: Some(word(value_r.clone())),
                separator: Separator::Space,
                range: args.source_range(key_r.start..value_r.end),
            }];
        }
        let mut pairs = Vec::new();
        for r in words {
            let w = &args.text[r.clone()];
            match w.find('=') {
                Some(eq) => {
                    let key_r = r.start..r.start + eq;
                    if eq == 0 {
                        let msg = format!("{name} names can not be blank");
                        self.error(msg, args.source_range(r.clone()));
                    }
                    pairs.push(Pair {
                        key: word(key_r),
                        value: Some(word(r.start + eq + 1..r.end)),
                        separator: Separator::Equals,
                        range: args.source_range(r),
                    });
                }
                None if inst.keyword == Keyword::Arg => pairs.push(Pair {
                    key: word(r.clone()),
                    value: None,
                    separator: Separator::None,
                    range: args.source_range(r),
                }),
                None => {
                    let msg = format!(
                        "syntax error: can't find `=` in `{w}`; it must be of the form name=value"
                    );
                    self.error(msg, args.source_range(r.clone()));
                    pairs.push(Pair {
                        key: word(r.clone()),
                        value: None,
                        separator: Separator::None,
                        range: args.source_range(r),
                    });
                }
            }
        }
        pairs
    }

    fn healthcheck(&mut self, inst: &Instruction) -> Healthcheck {
        let args = &inst.args;
        if args.is_empty() {
            self.error("HEALTHCHECK requires `CMD …` or `NONE`", inst.keyword_range);
            return Healthcheck::Missing;
        }
        let text = args.as_str();
        let kw_end = text.find(char::is_whitespace).unwrap_or(text.len());
        let keyword = Word {
            value: CompactString::from(&text[..kw_end]),
            range: args.source_range(0..kw_end),
        };
        let rest = trimmed(args, kw_end..text.len());
        if keyword.value.eq_ignore_ascii_case("none") {
            if !rest.is_empty() {
                self.error(
                    "HEALTHCHECK NONE takes no arguments",
                    rest.source_range(0..rest.len()),
                );
            }
            if !inst.flags.is_empty() {
                self.error("HEALTHCHECK NONE takes no options", inst.flags[0].range);
            }
            Healthcheck::None { keyword }
        } else if keyword.value.eq_ignore_ascii_case("cmd") {
            if rest.is_empty() {
                self.error("missing command after HEALTHCHECK CMD", keyword.range);
            }
            let command = self.command_form(&Arc::new(rest));
            Healthcheck::Cmd { keyword, command }
        } else {
            let msg = format!("unknown type `{}` in HEALTHCHECK (try CMD)", keyword.value);
            self.error(msg, keyword.range);
            Healthcheck::Other { keyword }
        }
    }
}

impl Instruction {
    fn range_for_args(&self) -> TextRange {
        if self.args.is_empty() {
            self.keyword_range
        } else {
            self.args_range()
        }
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', bytes)
}

/// `# name = value` at `start..end`, per BuildKit's directive regex.
fn parse_directive(src: &str, start: usize, end: usize) -> Option<Directive> {
    let text = &src[start..end];
    let rest = text.strip_prefix('#')?;
    let after_ws = rest.trim_start_matches([' ', '\t']);
    let name_off = 1 + rest.len() - after_ws.len();
    let name_len = after_ws
        .char_indices()
        .take_while(|&(i, c)| {
            if i == 0 {
                c.is_ascii_alphabetic()
            } else {
                c.is_ascii_alphanumeric()
            }
        })
        .count();
    if name_len == 0 {
        return None;
    }
    let name = &text[name_off..name_off + name_len];
    let after_name = &text[name_off + name_len..];
    let eq_rest = after_name
        .trim_start_matches([' ', '\t'])
        .strip_prefix('=')?;
    let value_trim_start = eq_rest.trim_start_matches([' ', '\t']);
    let value = value_trim_start.trim_end_matches([' ', '\t']);
    if value.is_empty() {
        return None;
    }
    let value_off = text.len() - value_trim_start.len();
    Some(Directive {
        name: name.to_ascii_lowercase(),
        value: value.to_string(),
        range: TextRange::new(start, end),
        name_range: TextRange::new(start + name_off, start + name_off + name_len),
        value_range: TextRange::new(start + value_off, start + value_off + value.len()),
    })
}

/// Returns the end of the line's content and whether the line continues:
/// an odd number of escape characters before optional trailing blanks.
fn strip_continuation(text: &str, escape: char) -> (usize, bool) {
    let trimmed = text.trim_end_matches([' ', '\t']);
    let run = trimmed.chars().rev().take_while(|&c| c == escape).count();
    if run % 2 == 1 {
        (trimmed.len() - escape.len_utf8(), true)
    } else {
        (text.len(), false)
    }
}

fn trimmed(text: &MappedText, range: std::ops::Range<usize>) -> MappedText {
    let s = &text.text[range.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead == s.len() {
        return MappedText::new();
    }
    text.slice(range.start + lead..range.end - trail)
}

/// Leading `--flag[=value]` words; `--` ends them. Returns the flags and where the arguments start.
fn parse_flags(line: &MappedText) -> (Vec<Flag>, usize) {
    let text = line.as_str();
    let mut flags = Vec::new();
    let mut pos = 0;
    loop {
        let rest = &text[pos..];
        let ws = rest.len() - rest.trim_start().len();
        let word_start = pos + ws;
        if !text[word_start..].starts_with("--") {
            return (flags, word_start);
        }
        let word_end = word_end_quoted(text, word_start);
        let word = &text[word_start..word_end];
        if word == "--" {
            return (flags, word_end);
        }
        let body_start = word_start + 2;
        let (name_end, value) = match word.find('=') {
            Some(eq) => (word_start + eq, Some(word_start + eq + 1..word_end)),
            None => (word_end, None),
        };
        flags.push(Flag {
            name: text[body_start..name_end].to_string(),
            value: value.clone().map(|r| text[r].to_string()),
            range: line.source_range(word_start..word_end),
            name_range: line.source_range(body_start..name_end),
            value_range: value.map(|r| line.source_range(r)),
        });
        pos = word_end;
    }
}

/// End of a whitespace-delimited word that may contain quoted whitespace.
fn word_end_quoted(text: &str, start: usize) -> usize {
    let mut quote = None;
    for (i, c) in text[start..].char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c.is_whitespace() => return start + i,
            None => {}
        }
    }
    text.len()
}

fn whitespace_words(args: &MappedText) -> Vec<Word> {
    let text = args.as_str();
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(Word {
                    value: CompactString::from(&text[s..i]),
                    range: args.source_range(s..i),
                });
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    out
}

struct HeredocMarker {
    name: String,
    strip_tabs: bool,
    quoted: bool,
    range: TextRange,
}

/// Heredoc markers (`<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<EOF`) among the words of an instruction line.
fn find_heredoc_markers(line: &MappedText) -> Vec<HeredocMarker> {
    let text = line.as_str();
    let mut out = Vec::new();
    if !text.contains("<<") {
        return out;
    }
    for r in split_words(text, '\\', SplitMode::Shell) {
        let word = &text[r.clone()];
        let digits = word.bytes().take_while(u8::is_ascii_digit).count();
        let Some(rest) = word[digits..].strip_prefix("<<") else {
            continue;
        };
        let (strip_tabs, rest) = match rest.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        if rest.is_empty() || rest.contains('<') {
            continue;
        }
        let quoted = rest.contains(['"', '\'']);
        let name: String = rest.chars().filter(|&c| c != '"' && c != '\'').collect();
        if name.is_empty() {
            continue;
        }
        out.push(HeredocMarker {
            name,
            strip_tabs,
            quoted,
            range: line.source_range(r),
        });
    }
    out
}

fn suggest_keyword(word: &str) -> Option<&'static str> {
    let upper = word.to_ascii_uppercase();
    Keyword::ALL
        .iter()
        .map(|k| (k.as_str(), edit_distance(&upper, k.as_str())))
        .filter(|&(k, d)| d <= 2 && d < k.len() / 2 + 1)
        .min_by_key(|&(_, d)| d)
        .map(|(k, _)| k)
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
