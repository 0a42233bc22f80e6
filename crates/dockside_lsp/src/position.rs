//! Byte offsets ↔ LSP positions in the negotiated encoding, and applying
//! `didChange` content changes.

use dockside_syntax::{LineIndex, TextRange};
use tower_lsp_server::ls_types::{self as lsp, TextDocumentContentChangeEvent};

/// The position encoding agreed with the client at `initialize`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// Columns count UTF-16 code units (LSP's default).
    #[default]
    Utf16,
    /// Columns count bytes.
    Utf8,
}

impl Encoding {
    /// UTF-8 when the client offers it, else UTF-16.
    pub fn negotiate(offered: Option<&[lsp::PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&lsp::PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> lsp::PositionEncodingKind {
        match self {
            Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
            Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        }
    }
}

/// A text with its line index, for conversions.
#[derive(Clone, Copy)]
pub struct Lines<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: Encoding,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str, index: &'a LineIndex, encoding: Encoding) -> Self {
        Lines {
            text,
            index,
            encoding,
        }
    }

    pub fn position(&self, offset: usize) -> lsp::Position {
        let p = self.index.position(self.text, offset);
        lsp::Position {
            line: p.line,
            character: match self.encoding {
                Encoding::Utf16 => p.utf16_col,
                Encoding::Utf8 => p.utf8_col,
            },
        }
    }

    pub fn range(&self, range: TextRange) -> lsp::Range {
        lsp::Range {
            start: self.position(range.start as usize),
            end: self.position(range.end as usize),
        }
    }

    /// The byte offset of `pos`, clamped to the text (a column past the end
    /// of its line means the line end; a line past the end means the text end).
    pub fn offset(&self, pos: lsp::Position) -> usize {
        let offset = match self.encoding {
            Encoding::Utf16 => self.index.offset_utf16(self.text, pos.line, pos.character),
            Encoding::Utf8 => self.index.offset_utf8(self.text, pos.line, pos.character),
        };
        offset.min(self.text.len())
    }

    /// The byte range of `range` (start and end swapped when reversed).
    pub fn text_range(&self, range: lsp::Range) -> TextRange {
        let a = self.offset(range.start);
        let b = self.offset(range.end);
        TextRange::new(a.min(b), a.max(b))
    }
}

/// Applies `didChange` content changes in order: a change without a range
/// replaces the whole text.
pub fn apply_changes(
    text: &mut String,
    changes: Vec<TextDocumentContentChangeEvent>,
    encoding: Encoding,
) {
    for change in changes {
        match change.range {
            None => *text = change.text,
            Some(range) => {
                let index = LineIndex::new(text);
                let r = Lines::new(text, &index, encoding).text_range(range);
                text.replace_range(r.as_range(), &change.text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp::{Position, Range};

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    fn change(range: Option<(u32, u32, u32, u32)>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|(a, b, c, d)| Range {
                start: pos(a, b),
                end: pos(c, d),
            }),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn negotiation() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(Some(&[
                lsp::PositionEncodingKind::UTF16,
                lsp::PositionEncodingKind::UTF8
            ])),
            Encoding::Utf8
        );
        assert_eq!(
            Encoding::negotiate(Some(&[lsp::PositionEncodingKind::UTF32])),
            Encoding::Utf16
        );
    }

    #[test]
    fn utf16_columns_with_emoji_and_cjk() {
        // "😀" is 4 bytes / 2 UTF-16 units; "日本" are 3 bytes / 1 unit each.
        let text = "FROM alpine\nRUN echo 😀 日本 x\n";
        let index = LineIndex::new(text);
        let lines = Lines::new(text, &index, Encoding::Utf16);
        let x = text.find('x').unwrap();
        assert_eq!(lines.position(x), pos(1, 9 + 2 + 1 + 2 + 1));
        assert_eq!(lines.offset(pos(1, 15)), x);
        let emoji = text.find('😀').unwrap();
        assert_eq!(lines.position(emoji), pos(1, 9));
        assert_eq!(lines.offset(pos(1, 9)), emoji);
        // After the emoji (2 units).
        assert_eq!(lines.offset(pos(1, 11)), emoji + 4);
        let ri = text.find('日').unwrap();
        assert_eq!(lines.position(ri + 3), pos(1, 13));
        // Past the end of a line: clamped to the line end.
        assert_eq!(lines.offset(pos(0, 99)), 11);
        // Past the last line: the end of the text.
        assert_eq!(lines.offset(pos(9, 0)), text.len());
    }

    #[test]
    fn utf8_columns() {
        let text = "RUN echo 😀 日本 x\r\nCMD y";
        let index = LineIndex::new(text);
        let lines = Lines::new(text, &index, Encoding::Utf8);
        let x = text.find('x').unwrap();
        assert_eq!(lines.position(x), pos(0, x as u32));
        assert_eq!(lines.offset(pos(0, x as u32)), x);
        // Inside a multi-byte character: floored to its start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(lines.offset(pos(0, emoji as u32 + 2)), emoji);
        // CRLF: the line ends before `\r`.
        assert_eq!(lines.offset(pos(0, 999)), text.find('\r').unwrap());
        assert_eq!(lines.position(text.len()), pos(1, 5));
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut text = String::from("FROM alpine\nRUN echo hi\n");
        apply_changes(
            &mut text,
            vec![
                change(Some((0, 5, 0, 11)), "debian"),
                change(Some((1, 9, 1, 11)), "bye"),
                change(Some((2, 0, 2, 0)), "CMD [\"x\"]\n"),
            ],
            Encoding::Utf16,
        );
        assert_eq!(text, "FROM debian\nRUN echo bye\nCMD [\"x\"]\n");
        // Deleting across lines.
        apply_changes(
            &mut text,
            vec![change(Some((0, 11, 1, 12)), "")],
            Encoding::Utf16,
        );
        assert_eq!(text, "FROM debian\nCMD [\"x\"]\n");
        // A full replacement in the middle of incremental ones.
        apply_changes(
            &mut text,
            vec![change(None, "FROM a\n"), change(Some((0, 6, 0, 6)), ":1")],
            Encoding::Utf16,
        );
        assert_eq!(text, "FROM a:1\n");
    }

    #[test]
    fn incremental_changes_with_non_ascii() {
        let mut text = String::from("RUN echo 😀x\n");
        // UTF-16: the emoji is at 9..11.
        apply_changes(
            &mut text,
            vec![change(Some((0, 9, 0, 11)), "日")],
            Encoding::Utf16,
        );
        assert_eq!(text, "RUN echo 日x\n");
        // UTF-8: "日" is at 9..12.
        apply_changes(
            &mut text,
            vec![change(Some((0, 9, 0, 12)), "é")],
            Encoding::Utf8,
        );
        assert_eq!(text, "RUN echo éx\n");
        // Typing at the end of the document, then a reversed range.
        apply_changes(
            &mut text,
            vec![change(Some((1, 0, 1, 0)), "CMD")],
            Encoding::Utf16,
        );
        assert_eq!(text, "RUN echo éx\nCMD");
        apply_changes(
            &mut text,
            vec![change(Some((1, 3, 1, 0)), "ENV")],
            Encoding::Utf16,
        );
        assert_eq!(text, "RUN echo éx\nENV");
    }
}
