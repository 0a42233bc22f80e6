//! Byte ranges, line/column positions and the mapping from "cooked" text
//! (continuations removed) back to the source.

use std::fmt;
use std::ops::Range;

/// A half-open byte range `start..end` into a source text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "{start} > {end}");
        TextRange {
            start: start as u32,
            end: end as u32,
        }
    }
    pub fn empty(at: usize) -> Self {
        Self::new(at, at)
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
    pub fn contains(self, offset: usize) -> bool {
        (self.start as usize) <= offset && offset < self.end as usize
    }
    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
    pub fn as_range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<Range<usize>> for TextRange {
    fn from(r: Range<usize>) -> Self {
        TextRange::new(r.start, r.end)
    }
}

/// A position in a text. `line` and the columns are 0-based; `utf8_col` counts
/// bytes, `utf16_col` UTF-16 code units (what LSP wants by default) and
/// `char_col` Unicode scalar values (what people and the CLI count).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Position {
    pub line: u32,
    pub utf8_col: u32,
    pub utf16_col: u32,
    pub char_col: u32,
}

/// Line starts of a text, for offset ↔ line/column conversion.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
        LineIndex {
            line_starts,
            len: text.len() as u32,
        }
    }

    /// From the start of every line after the first (each just after a `\n`).
    pub(crate) fn from_later_starts(later: impl Iterator<Item = u32>, len: usize) -> Self {
        let mut line_starts = Vec::with_capacity(later.size_hint().0 + 1);
        line_starts.push(0);
        line_starts.extend(later);
        LineIndex {
            line_starts,
            len: len as u32,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line containing `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = (offset as u32).min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len) as usize
    }

    /// Byte range of a line without its line terminator (`\n` or `\r\n`).
    pub fn line_range(&self, text: &str, line: usize) -> TextRange {
        let start = self.line_start(line);
        let mut end = if line + 1 < self.line_starts.len() {
            self.line_starts[line + 1] as usize - 1
        } else {
            self.len as usize
        };
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        TextRange::new(start, end.max(start))
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let prefix = &text[start..offset];
        let (utf16_col, char_col) = if prefix.is_ascii() {
            (prefix.len(), prefix.len())
        } else {
            (
                prefix.chars().map(char::len_utf16).sum::<usize>(),
                prefix.chars().count(),
            )
        };
        Position {
            line: line as u32,
            utf8_col: prefix.len() as u32,
            utf16_col: utf16_col as u32,
            char_col: char_col as u32,
        }
    }

    /// Byte offset of a (0-based line, UTF-16 column) position, clamped to the line.
    pub fn offset_utf16(&self, text: &str, line: u32, col: u32) -> usize {
        if line as usize >= self.line_starts.len() {
            return text.len();
        }
        let range = self.line_range(text, line as usize);
        let mut units = 0u32;
        for (i, c) in text[range.as_range()].char_indices() {
            if units >= col {
                return range.start as usize + i;
            }
            units += c.len_utf16() as u32;
        }
        range.end as usize
    }

    /// Byte offset of a (0-based line, byte column) position, clamped to the line.
    pub fn offset_utf8(&self, text: &str, line: u32, col: u32) -> usize {
        if line as usize >= self.line_starts.len() {
            return text.len();
        }
        let range = self.line_range(text, line as usize);
        floor_char_boundary(text, (range.start + col).min(range.end) as usize)
    }
}

pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Text assembled from pieces of a source (for example an instruction's
/// arguments with line continuations and comment lines removed), with a map
/// back to source offsets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MappedText {
    pub text: String,
    /// Pieces sorted by `cooked`: `text[cooked..cooked+len]` equals
    /// `source[source..source+len]`.
    pub segments: Vec<Segment>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub cooked: u32,
    pub source: u32,
    pub len: u32,
}

impl MappedText {
    pub fn new() -> Self {
        Self::default()
    }

    /// Empty, with room for `text` bytes in `segments` pieces.
    pub fn with_capacity(text: usize, segments: usize) -> Self {
        MappedText {
            text: String::with_capacity(text),
            segments: Vec::with_capacity(segments),
        }
    }

    /// Text that is one contiguous piece of the source starting at `source_start`.
    pub fn contiguous(text: &str, source_start: usize) -> Self {
        let mut m = MappedText::new();
        m.push(text, source_start);
        m
    }

    pub fn push(&mut self, piece: &str, source_start: usize) {
        if piece.is_empty() {
            return;
        }
        let cooked = self.text.len() as u32;
        if let Some(last) = self.segments.last_mut()
            && last.cooked + last.len == cooked
            && last.source + last.len == source_start as u32
        {
            last.len += piece.len() as u32;
            self.text.push_str(piece);
            return;
        }
        self.segments.push(Segment {
            cooked,
            source: source_start as u32,
            len: piece.len() as u32,
        });
        self.text.push_str(piece);
    }

    /// Appends text that has no source (e.g. a synthetic newline); it maps to
    /// the end of the previous segment.
    pub fn push_synthetic(&mut self, piece: &str) {
        self.text.push_str(piece);
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Source offset of a cooked offset. Offsets inside synthetic text map to
    /// the end of the preceding segment.
    pub fn source_offset(&self, cooked: usize) -> usize {
        let cooked = cooked as u32;
        let idx = match self.segments.binary_search_by(|s| s.cooked.cmp(&cooked)) {
            Ok(i) => i,
            Err(0) => return self.segments.first().map_or(0, |s| s.source as usize),
            Err(i) => i - 1,
        };
        let seg = self.segments[idx];
        (seg.source + (cooked - seg.cooked).min(seg.len)) as usize
    }

    /// Source range covering a cooked range. The end maps to the end of the
    /// last character inside the range, so a range never swallows a removed
    /// continuation that follows it.
    pub fn source_range(&self, cooked: Range<usize>) -> TextRange {
        let start = self.source_offset(cooked.start);
        if cooked.end <= cooked.start {
            return TextRange::new(start, start);
        }
        let end = self.source_end(cooked.end);
        TextRange::new(start, end.max(start))
    }

    fn source_end(&self, cooked_end: usize) -> usize {
        let cooked_end = cooked_end as u32;
        // The segment that contains the byte just before `cooked_end`.
        let idx = match self
            .segments
            .binary_search_by(|s| s.cooked.cmp(&(cooked_end - 1)))
        {
            Ok(i) => i,
            Err(0) => return self.segments.first().map_or(0, |s| s.source as usize),
            Err(i) => i - 1,
        };
        let seg = self.segments[idx];
        (seg.source + (cooked_end - seg.cooked).min(seg.len)) as usize
    }

    /// A sub-slice of this text, keeping the mapping.
    pub fn slice(&self, cooked: Range<usize>) -> MappedText {
        // Segments are sorted: those from `first` to `end` overlap the slice.
        let first = self
            .segments
            .partition_point(|seg| (seg.cooked + seg.len) as usize <= cooked.start);
        let end = first
            + self.segments[first..].partition_point(|seg| (seg.cooked as usize) < cooked.end);
        let mut segments: Vec<Segment> = Vec::with_capacity(end - first);
        let mut covered = 0;
        for seg in &self.segments[first..end] {
            let s = seg.cooked as usize;
            let lo = s.max(cooked.start);
            let hi = (s + seg.len as usize).min(cooked.end);
            if lo >= hi {
                continue;
            }
            let piece = Segment {
                cooked: covered as u32,
                source: seg.source + (lo - s) as u32,
                len: (hi - lo) as u32,
            };
            covered += hi - lo;
            match segments.last_mut() {
                Some(last)
                    if last.cooked + last.len == piece.cooked
                        && last.source + last.len == piece.source =>
                {
                    last.len += piece.len;
                }
                _ => segments.push(piece),
            }
        }
        // Synthetic text (no segment) is left out of a slice.
        let text = if covered == cooked.len() {
            self.text[cooked].to_owned()
        } else {
            let mut text = String::with_capacity(covered);
            for seg in &self.segments[first..end] {
                let s = seg.cooked as usize;
                let lo = s.max(cooked.start);
                let hi = (s + seg.len as usize).min(cooked.end);
                if lo < hi {
                    text.push_str(&self.text[lo..hi]);
                }
            }
            text
        };
        MappedText { text, segments }
    }
}

/// Decodes source bytes (`what` names the kind of file in the message, e.g. "a Dockerfile"): strips a UTF-8 BOM, rejects binary data and invalid UTF-8.
pub fn decode(bytes: &[u8], what: &str) -> Result<String, (usize, String)> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let skipped = bytes.len() - body.len();
    let head = &body[..body.len().min(8192)];
    if let Some(nul) = head
        .contains(&0)
        .then(|| head.iter().position(|&b| b == 0))
        .flatten()
    {
        return Err((
            skipped + nul,
            format!("binary file: a NUL byte is not valid in {what}"),
        ));
    }
    match std::str::from_utf8(body) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err((
            skipped + e.valid_up_to(),
            format!("invalid UTF-8 at byte {}", skipped + e.valid_up_to()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_and_chars() {
        let text = "ab\nx😀é\r\nlast";
        let idx = LineIndex::new(text);
        let off = text.find('é').unwrap();
        let p = idx.position(text, off);
        assert_eq!((p.line, p.utf8_col, p.utf16_col, p.char_col), (1, 5, 3, 2));
        assert_eq!(idx.offset_utf16(text, 1, 3), off);
        assert_eq!(&text[idx.line_range(text, 1).as_range()], "x😀é");
        assert_eq!(idx.line_of(text.len()), 2);
    }

    #[test]
    fn mapped_text_maps_across_gaps() {
        let mut m = MappedText::new();
        m.push("echo a ", 10);
        m.push("b", 30);
        assert_eq!(m.text, "echo a b");
        assert_eq!(m.source_offset(7), 30);
        assert_eq!(m.source_range(5..8), TextRange::new(15, 31));
        assert_eq!(m.source_range(0..7), TextRange::new(10, 17));
        let s = m.slice(5..8);
        assert_eq!(s.text, "a b");
        assert_eq!(s.source_offset(2), 30);
    }
}
