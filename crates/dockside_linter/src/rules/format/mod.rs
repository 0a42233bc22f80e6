//! Layout of the Dockerfile text: whitespace, line endings, indentation, line
//! breaks and the order of the closing instructions. All opt-in.

pub mod blank_lines;
pub mod chained_commands_on_one_line;
pub mod epilogue_order;
pub mod inconsistent_indentation;
pub mod max_lines;
pub mod missing_final_newline;
pub mod multiple_spaces;
pub mod trailing_whitespace;

use crate::checker::Checker;
use crate::rule::Rule;
use dockside_semantic::InstructionInfo;
use dockside_syntax::ast::{Body, CommandForm, Instruction, Keyword, Separator};
use dockside_syntax::{MappedText, TextRange};

pub(crate) const RULES: &[&dyn Rule] = &[
    &trailing_whitespace::TrailingWhitespace,
    &missing_final_newline::MissingFinalNewline,
    &inconsistent_indentation::InconsistentIndentation,
    &multiple_spaces::MultipleSpaces,
    &blank_lines::BlankLines,
    &chained_commands_on_one_line::ChainedCommandsOnOneLine,
    &epilogue_order::EpilogueOrder,
    &max_lines::MaxLines,
];

/// One physical line: `start..end` is its text without the line terminator,
/// `next` the start of the following line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    pub next: usize,
}

impl Line {
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.start..self.end]
    }

    /// The leading spaces and tabs.
    pub fn indent<'a>(&self, source: &'a str) -> &'a str {
        let text = self.text(source);
        &text[..text.len() - text.trim_start_matches([' ', '\t']).len()]
    }

    pub fn is_blank(&self, source: &str) -> bool {
        self.text(source).trim_matches([' ', '\t']).is_empty()
    }
}

/// The physical lines of `source`; a `\r` before `\n` belongs to the terminator.
pub(crate) fn physical_lines(source: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < source.len() {
        match source[start..].find('\n') {
            Some(n) => {
                let nl = start + n;
                let end = if nl > start && source.as_bytes()[nl - 1] == b'\r' {
                    nl - 1
                } else {
                    nl
                };
                out.push(Line {
                    start,
                    end,
                    next: nl + 1,
                });
                start = nl + 1;
            }
            None => {
                out.push(Line {
                    start,
                    end: source.len(),
                    next: source.len(),
                });
                start = source.len();
            }
        }
    }
    out
}

/// The line terminator the file uses (that of its first line).
pub(crate) fn line_ending(source: &str) -> &'static str {
    match source.find('\n') {
        Some(n) if n > 0 && source.as_bytes()[n - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Heredoc bodies with their terminator lines: file or script content, not
/// Dockerfile layout.
pub(crate) fn heredoc_regions(cx: &Checker) -> Vec<TextRange> {
    let mut out = Vec::new();
    for instruction in &cx.dockerfile.instructions {
        for heredoc in &instruction.heredocs {
            let end = heredoc
                .terminator_range
                .map_or(cx.source.len(), |t| t.end as usize);
            out.push(TextRange::new(heredoc.body_range.start as usize, end));
        }
    }
    out
}

pub(crate) fn in_regions(regions: &[TextRange], offset: usize) -> bool {
    regions.iter().any(|r| {
        (r.start as usize) <= offset && offset < (r.end as usize).max(r.start as usize + 1)
    })
}

/// The lines of `instruction` after its first one that belong to its
/// continuation (heredoc bodies excluded), in order.
pub(crate) fn continuation_lines(
    lines: &[Line],
    instruction: &Instruction,
    heredocs: &[TextRange],
) -> Vec<Line> {
    let start = instruction.range.start as usize;
    let end = instruction.range.end as usize;
    let first = lines.partition_point(|l| l.next <= start);
    lines[first..]
        .iter()
        .skip(1)
        .take_while(|l| l.start <= end)
        .filter(|l| !in_regions(heredocs, l.start))
        .copied()
        .collect()
}

/// Whether a continuation line is a comment (BuildKit drops such lines).
pub(crate) fn is_comment_line(line: &Line, source: &str) -> bool {
    line.text(source)
        .trim_start_matches([' ', '\t'])
        .starts_with('#')
}

/// The indentation of the first code line of each continued instruction.
pub(crate) fn instruction_base_indent<'s>(
    lines: &[Line],
    source: &'s str,
    instruction: &Instruction,
    heredocs: &[TextRange],
) -> Option<(Line, &'s str)> {
    continuation_lines(lines, instruction, heredocs)
        .into_iter()
        .find(|l| !l.is_blank(source) && !is_comment_line(l, source))
        .map(|l| (l, l.indent(source)))
}

/// The most common indentation of the first continuation line of instructions
/// (ties go to the one seen first); `None` when no instruction is continued.
pub(crate) fn dominant_indent<'s>(cx: &Checker<'s>, lines: &[Line]) -> Option<&'s str> {
    let heredocs = heredoc_regions(cx);
    let mut counts: Vec<(&'s str, usize)> = Vec::new();
    for instruction in &cx.dockerfile.instructions {
        if let Some((_, indent)) = instruction_base_indent(lines, cx.source, instruction, &heredocs)
        {
            match counts.iter_mut().find(|(i, _)| *i == indent) {
                Some((_, n)) => *n += 1,
                None => counts.push((indent, 1)),
            }
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts.iter().find(|(_, n)| *n == best).map(|(i, _)| *i)
}

/// Instructions whose whitespace is part of a value: legacy `ENV k v` /
/// `LABEL k v`, MAINTAINER and WORKDIR (the rest of the line is one word),
/// unknown instructions, ONBUILD, and shell-form commands run by a shell other
/// than a POSIX one (`cmd /S /C echo a  b` prints both spaces).
pub(crate) fn whitespace_is_literal(instruction: &Instruction, info: &InstructionInfo) -> bool {
    match instruction.keyword {
        Keyword::Maintainer | Keyword::Workdir | Keyword::Unknown | Keyword::Onbuild => true,
        Keyword::Env | Keyword::Label | Keyword::Arg => match &instruction.body {
            Body::Pairs(pairs) => pairs.iter().any(|p| p.separator == Separator::Space),
            _ => true,
        },
        _ => match instruction.command() {
            Some(CommandForm::Shell(_)) => !info.shell.is_posix(),
            _ => false,
        },
    }
}

/// For each byte of `text` (instruction text with continuations removed):
/// whether it sits at the top level, outside quotes, `$(…)`, `${…}`,
/// backquotes, parentheses, escapes and shell comments. `None` when the
/// nesting does not balance, so callers leave the instruction alone.
pub(crate) fn top_level_mask(text: &str, escape: char) -> Option<Vec<bool>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Ctx {
        Single,
        Double,
        Subst,
        Paren,
        Brace,
        Backquote,
    }
    let bytes = text.as_bytes();
    let mut mask = vec![false; bytes.len()];
    let mut stack: Vec<Ctx> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let top = stack.last().copied();
        let next = bytes.get(i + 1).copied();
        let mut width = 1;
        match top {
            Some(Ctx::Single) => {
                if c == b'\'' {
                    stack.pop();
                }
            }
            _ if c == b'\\' || (escape.is_ascii() && c == escape as u8) => width = 2,
            Some(Ctx::Double) => match (c, next) {
                (b'"', _) => {
                    stack.pop();
                }
                (b'$', Some(b'(')) => {
                    stack.push(Ctx::Subst);
                    width = 2;
                }
                (b'$', Some(b'{')) => {
                    stack.push(Ctx::Brace);
                    width = 2;
                }
                (b'`', _) => stack.push(Ctx::Backquote),
                _ => {}
            },
            _ => match (c, next) {
                (b'\'', _) => stack.push(Ctx::Single),
                (b'"', _) => stack.push(Ctx::Double),
                (b'$', Some(b'(')) => {
                    stack.push(Ctx::Subst);
                    width = 2;
                }
                (b'$', Some(b'{')) => {
                    stack.push(Ctx::Brace);
                    width = 2;
                }
                (b'`', _) if top == Some(Ctx::Backquote) => {
                    stack.pop();
                }
                (b'`', _) => stack.push(Ctx::Backquote),
                (b'(', _) if top != Some(Ctx::Brace) => stack.push(Ctx::Paren),
                (b')', _) if matches!(top, Some(Ctx::Subst | Ctx::Paren)) => {
                    stack.pop();
                }
                (b')', _) if top.is_none() => return None,
                (b'}', _) if top == Some(Ctx::Brace) => {
                    stack.pop();
                }
                (b'#', _) if top.is_none() && (i == 0 || bytes[i - 1].is_ascii_whitespace()) => {
                    // A shell comment runs to the end of the text: leave it alone.
                    return Some(mask);
                }
                _ => mask[i] = top.is_none(),
            },
        }
        i += width;
    }
    stack.is_empty().then_some(mask)
}

/// The offset in `text.text` of a source offset, if the text maps it.
pub(crate) fn cooked_offset(text: &MappedText, source: usize) -> Option<usize> {
    text.segments.iter().find_map(|s| {
        let start = s.source as usize;
        (start <= source && source < start + s.len as usize)
            .then(|| s.cooked as usize + (source - start))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The characters of `text` the mask marks as top level.
    fn top(text: &str) -> Option<String> {
        let mask = top_level_mask(text, '\\')?;
        Some(
            text.char_indices()
                .map(|(i, c)| if mask[i] { c } else { '_' })
                .collect(),
        )
    }

    #[test]
    fn mask_leaves_out_quotes_substitutions_escapes_and_comments() {
        assert_eq!(
            top(r#"a "b c" 'd' $(e f) ${g:-h} `i` \ j # k"#).unwrap(),
            "a _____ ___ ______ _______ ___ __j ___"
        );
        assert_eq!(top("(cd x && y) z").unwrap(), "___________ z");
        assert_eq!(top(r#""$(echo ")")" k"#).unwrap(), "_____________ k");
    }

    #[test]
    fn mask_gives_up_when_nesting_does_not_balance() {
        assert_eq!(top("echo \"open"), None);
        assert_eq!(top("case x in a) b;; esac"), None);
        assert_eq!(top("echo it's"), None);
    }

    #[test]
    fn physical_lines_keep_carriage_returns_out_of_the_text() {
        let source = "a \r\nb\n\nc";
        let lines: Vec<_> = physical_lines(source)
            .iter()
            .map(|l| (l.text(source), l.next))
            .collect();
        assert_eq!(lines, [("a ", 4), ("b", 6), ("", 7), ("c", 8)]);
        assert_eq!(line_ending(source), "\r\n");
        assert_eq!(line_ending("a\nb\r\n"), "\n");
    }
}
