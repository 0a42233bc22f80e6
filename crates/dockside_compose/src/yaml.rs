//! YAML with a byte range on every node, built from `saphyr-parser`'s event stream.
//!
//! [`load`] never panics and always returns what it could build: on a syntax error the
//! document being read is closed where the error happened (so editors still get a tree) and
//! the error is in [`Loaded::errors`]. Callers that need a trustworthy tree check `errors`.
//!
//! What it does on top of the parser:
//! - **Byte ranges.** saphyr's markers count characters; every range here is in bytes. A
//!   node's range covers the value as written, without its anchor (`&a`) and tag (`!reset`);
//!   a block scalar's range starts at its `|`/`>` indicator and ends at its last content line;
//!   a collection's range runs from its first entry (block) or bracket (flow) to its end.
//! - **Scalars** resolve like go-yaml v3 (what `docker compose` uses): `null`/`~`/empty,
//!   `true`/`false` (not `yes`/`no`), ints with `0x`/`0o`/`0b` and C-style `0755` octal,
//!   floats, `.inf`/`.nan`; quoted and block scalars are strings; `!!str`/`!!int`… apply.
//!   The scalar as written stays available ([`Node::raw_scalar`]) with its [`ScalarStyle`].
//! - **Anchors and aliases**: an alias becomes a copy of the anchored node (keeping the
//!   anchored node's ranges) with [`Node::anchor_of`] set to the alias. Expansion is bounded
//!   by [`ALIAS_BUDGET`] nodes per document ([`YamlErrorKind::AliasBudget`]).
//! - **Nesting** is bounded by [`MAX_DEPTH`] ([`YamlErrorKind::TooDeep`]), so nothing here
//!   (or in callers walking the tree recursively) can overflow the stack.
//! - **Merge keys** (`<<`, YAML 1.1): keys of the mapping itself win, then earlier sources
//!   over later ones; merged entries keep the ranges where they were written.
//! - **Duplicate keys** are reported at the second occurrence ([`YamlErrorKind::DuplicateKey`]).
//! - **YAML 1.1 traps** (`22:22`, `no`, `0755`) are found by [`traps`].

mod traps;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use dockside_syntax::{LineIndex, TextRange};
use saphyr_parser::{Event, Parser, ScanError, Span};

pub use traps::{Trap, TrapKind, traps};

/// Most nodes alias expansion may produce in one document (a "billion laughs" file stops here).
pub const ALIAS_BUDGET: usize = 100_000;
/// Deepest nesting of collections accepted. Compose files rarely go past 10 levels.
pub const MAX_DEPTH: usize = 128;

/// The result of [`load`]: every document of the stream, and every problem found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Loaded {
    pub documents: Vec<Node>,
    pub errors: Vec<YamlError>,
}

/// A YAML node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// Byte range of the node in the text (for an alias copy: where the anchored node is written).
    pub range: TextRange,
    /// Which file of a project the node was written in (see [`load_file`]); 0 for [`load`].
    pub file: u32,
    /// The tag as written, with `!!` for the core schema: `!reset`, `!override`, `!!str`.
    pub tag: Option<String>,
    /// When this node is the expansion of an alias: the range of the alias `*name`.
    pub anchor_of: Option<TextRange>,
    /// How a scalar was written; `None` for collections.
    pub style: Option<ScalarStyle>,
    /// The scalar's text (after unquoting) when [`Node::value`] is not a string; `None` for
    /// strings (the text is the value) and collections. Read it with [`Node::raw_scalar`].
    pub raw: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Sequence(Vec<Node>),
    /// Entries in document order (merged-in entries where their `<<` key was).
    Mapping(Vec<(Node, Node)>),
}

/// How a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|`
    Literal,
    /// `>`
    Folded,
}

/// A scalar as written: its text after unquoting (before type resolution) and its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawScalar<'a> {
    pub text: &'a str,
    pub style: ScalarStyle,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub range: TextRange,
    pub kind: YamlErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum YamlErrorKind {
    /// Not valid YAML (the parser's message and location).
    Syntax,
    /// A key written twice in one mapping (at the second one).
    DuplicateKey,
    /// Alias expansion past [`ALIAS_BUDGET`] nodes (at the alias).
    AliasBudget,
    /// Nesting deeper than [`MAX_DEPTH`] (at the collection that goes too deep).
    TooDeep,
    /// A `<<` whose value is not a mapping or a sequence of mappings.
    MergeKey,
}

impl Node {
    /// The value of `key` in a mapping (keys compared as written, so `get("80")` finds `80:`).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_mapping()?
            .iter()
            .find(|(k, _)| k.scalar_text() == Some(key))
            .map(|(_, v)| v)
    }

    /// The string value (quoted or not); `None` for other scalars and collections.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_mapping(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Sequence(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The scalar as written (text after unquoting, and style); `None` for collections.
    pub fn raw_scalar(&self) -> Option<RawScalar<'_>> {
        Some(RawScalar {
            text: self.scalar_text()?,
            style: self.style?,
        })
    }

    /// The text of a scalar of any type (`"8080"`, `8080`, `true`…); `None` for collections.
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            Value::Sequence(_) | Value::Mapping(_) => None,
            _ => self.raw.as_deref(),
        }
    }

    /// An unquoted, non-block scalar (the kind YAML resolves by its look).
    pub fn is_plain_scalar(&self) -> bool {
        self.style == Some(ScalarStyle::Plain)
    }
}

/// Loads every document of `text`. Never panics.
pub fn load(text: &str) -> Loaded {
    load_file(text, 0)
}

/// Like [`load`], stamping every node with `file` (an index into the caller's file list).
pub fn load_file(text: &str, file: u32) -> Loaded {
    let mut builder = Builder::new(text, file);
    let outcome = catch_unwind(AssertUnwindSafe(|| builder.run()));
    if outcome.is_err() {
        // Defence in depth: the parser is not supposed to panic, but a file must not take
        // the linter down with it.
        builder.stack.clear();
        let at = builder.last_end;
        builder.error(
            YamlErrorKind::Syntax,
            "the YAML parser failed on this input".into(),
            TextRange::empty(at),
        );
    }
    Loaded {
        documents: builder.documents,
        errors: builder.errors,
    }
}

// ---------------------------------------------------------------------------------------------

/// Character index (saphyr's markers) → byte offset.
struct Offsets {
    /// `None` for ASCII text, where both are the same.
    table: Option<Vec<u32>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let table = (!text.is_ascii()).then(|| {
            let mut t: Vec<u32> = text.char_indices().map(|(i, _)| i as u32).collect();
            t.push(text.len() as u32);
            t
        });
        Offsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(t) => t.get(char_index).map_or(self.len, |&b| b as usize),
        }
    }
}

enum Frame {
    Sequence {
        start: usize,
        anchor: usize,
        tag: Option<String>,
        items: Vec<Node>,
        size: usize,
    },
    Mapping {
        start: usize,
        anchor: usize,
        tag: Option<String>,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        size: usize,
    },
}

struct Builder<'t> {
    text: &'t str,
    offsets: Offsets,
    lines: Option<LineIndex>,
    documents: Vec<Node>,
    errors: Vec<YamlError>,
    stack: Vec<Frame>,
    /// Anchor id → (node, its size in nodes), for the current document.
    anchors: HashMap<usize, (Node, usize)>,
    alias_nodes: usize,
    budget_reported: bool,
    /// Byte end of the last event, i.e. how far the text has been read.
    last_end: usize,
    file: u32,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, file: u32) -> Self {
        Builder {
            text,
            file,
            offsets: Offsets::new(text),
            lines: None,
            documents: Vec::new(),
            errors: Vec::new(),
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            budget_reported: false,
            last_end: 0,
        }
    }

    fn run(&mut self) {
        let mut parser = Parser::new_from_str(self.text);
        while let Some(next) = parser.next_event() {
            match next {
                Ok((event, span)) => {
                    if !self.event(event, span) {
                        break;
                    }
                }
                Err(e) => {
                    self.scan_error(&e);
                    break;
                }
            }
        }
        // Close whatever an error left open, so the partial document is kept.
        while !self.stack.is_empty() {
            self.close(None);
        }
    }

    fn scan_error(&mut self, e: &ScanError) {
        let at = self.offsets.byte(e.marker().index());
        let kind = if e.info().contains("recursion limit") {
            YamlErrorKind::TooDeep
        } else {
            YamlErrorKind::Syntax
        };
        let message = match kind {
            YamlErrorKind::TooDeep => {
                "YAML nested too deeply (the parser stops at 255 levels of `[` and `{`)".to_string()
            }
            _ => e.info().to_string(),
        };
        self.error(kind, message, self.char_range_at(at));
    }

    /// The character at `at` (empty at the end of the text or of a line).
    fn char_range_at(&self, at: usize) -> TextRange {
        let at = dockside_syntax::text::floor_char_boundary(self.text, at.min(self.text.len()));
        match self.text[at..].chars().next() {
            Some(c) if c != '\n' && c != '\r' => TextRange::new(at, at + c.len_utf8()),
            _ => TextRange::empty(at),
        }
    }

    fn error(&mut self, kind: YamlErrorKind, message: String, range: TextRange) {
        self.errors.push(YamlError {
            message,
            range,
            kind,
        });
    }

    fn line_of(&mut self, offset: usize) -> usize {
        let text = self.text;
        self.lines
            .get_or_insert_with(|| LineIndex::new(text))
            .line_of(offset)
            + 1
    }

    fn span(&self, span: Span) -> (usize, usize) {
        let start = self.offsets.byte(span.start.index());
        let end = self.offsets.byte(span.end.index()).max(start);
        (start, end)
    }

    /// Skips an anchor and/or tag (and the blanks and comments after them) at `start`.
    fn skip_properties(&self, mut start: usize, end: usize) -> usize {
        let bytes = self.text.as_bytes();
        while start < end && (bytes[start] == b'&' || bytes[start] == b'!') {
            while start < end && !bytes[start].is_ascii_whitespace() {
                start += 1;
            }
            loop {
                while start < end && bytes[start].is_ascii_whitespace() {
                    start += 1;
                }
                if start < end && bytes[start] == b'#' {
                    while start < end && bytes[start] != b'\n' {
                        start += 1;
                    }
                } else {
                    break;
                }
            }
        }
        start
    }

    /// Handles one event; `false` stops loading.
    fn event(&mut self, event: Event<'_>, span: Span) -> bool {
        let (start, end) = self.span(span);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(_) => {
                self.anchors.clear();
                self.alias_nodes = 0;
                self.budget_reported = false;
            }
            Event::DocumentEnd => {}
            Event::Scalar(value, style, anchor, tag) => {
                let tag = tag.map(|t| tag_name(&t.handle, &t.suffix));
                let (range, style) =
                    self.scalar_range(start, end, style, anchor != 0 || tag.is_some());
                let (value, raw) = resolve_scalar(&value, style, tag.as_deref());
                let node = Node {
                    value,
                    range,
                    file: self.file,
                    tag,
                    anchor_of: None,
                    style: Some(style),
                    raw,
                };
                if anchor != 0 {
                    self.anchors.insert(anchor, (node.clone(), 1));
                }
                self.last_end = range.end as usize;
                self.push(node, 1);
            }
            Event::Alias(id) => {
                let alias = TextRange::new(start, end);
                self.last_end = end;
                let node = match self.anchors.get(&id) {
                    Some((node, size))
                        if !self.budget_reported && self.alias_nodes + size <= ALIAS_BUDGET =>
                    {
                        self.alias_nodes += size;
                        let mut copy = node.clone();
                        copy.anchor_of = Some(alias);
                        Some((copy, *size))
                    }
                    Some(_) => {
                        if !self.budget_reported {
                            self.budget_reported = true;
                            self.error(
                                YamlErrorKind::AliasBudget,
                                format!(
                                    "aliases expand to more than {ALIAS_BUDGET} nodes (a \"billion laughs\" document?); \
                                     this alias and the ones after it are not expanded"
                                ),
                                alias,
                            );
                        }
                        None
                    }
                    None => None, // the parser reports unknown anchors itself
                };
                let (node, size) =
                    node.unwrap_or_else(|| (null_node(alias, Some(alias), self.file), 1));
                self.push(node, size);
            }
            Event::SequenceStart(anchor, tag) => {
                let tag = tag.map(|t| tag_name(&t.handle, &t.suffix));
                return self.open(false, anchor, tag, start, end);
            }
            Event::MappingStart(anchor, tag) => {
                let tag = tag.map(|t| tag_name(&t.handle, &t.suffix));
                return self.open(true, anchor, tag, start, end);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.close(Some(end));
            }
        }
        true
    }

    fn open(
        &mut self,
        mapping: bool,
        anchor: usize,
        tag: Option<String>,
        start: usize,
        end: usize,
    ) -> bool {
        let start = if anchor != 0 || tag.is_some() {
            self.skip_properties(start, end)
        } else {
            start
        };
        if self.stack.len() >= MAX_DEPTH {
            let range = self.char_range_at(start);
            self.error(
                YamlErrorKind::TooDeep,
                format!("YAML nested too deeply (more than {MAX_DEPTH} levels)"),
                range,
            );
            return false;
        }
        self.last_end = start.max(self.last_end);
        self.stack.push(if mapping {
            Frame::Mapping {
                start,
                anchor,
                tag,
                entries: Vec::new(),
                key: None,
                size: 1,
            }
        } else {
            Frame::Sequence {
                start,
                anchor,
                tag,
                items: Vec::new(),
                size: 1,
            }
        });
        true
    }

    /// Closes the innermost collection; `end` is the end of its end event (`None` when an
    /// error cut it short).
    fn close(&mut self, end: Option<usize>) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (start, anchor, tag, size, value) = match frame {
            Frame::Sequence {
                start,
                anchor,
                tag,
                items,
                size,
            } => (start, anchor, tag, size, Value::Sequence(items)),
            Frame::Mapping {
                start,
                anchor,
                tag,
                mut entries,
                key,
                size,
            } => {
                if let Some(key) = key {
                    let at = TextRange::empty(key.range.end as usize);
                    entries.push((key, null_node(at, None, self.file)));
                }
                let entries = self.check_and_merge(entries);
                (start, anchor, tag, size, Value::Mapping(entries))
            }
        };
        let flow = matches!(self.text.as_bytes().get(start), Some(b'[' | b'{'));
        let written_end = match end {
            Some(end) if flow => end,
            _ => self.last_end,
        }
        .max(start);
        self.last_end = written_end;
        let node = Node {
            value,
            range: TextRange::new(start, written_end),
            file: self.file,
            tag,
            anchor_of: None,
            style: None,
            raw: None,
        };
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        self.push(node, size);
    }

    fn push(&mut self, node: Node, node_size: usize) {
        match self.stack.last_mut() {
            None => self.documents.push(node),
            Some(Frame::Sequence { items, size, .. }) => {
                items.push(node);
                *size += node_size;
            }
            Some(Frame::Mapping {
                entries, key, size, ..
            }) => {
                *size += node_size;
                match key.take() {
                    None => *key = Some(node),
                    Some(k) => entries.push((k, node)),
                }
            }
        }
    }

    /// Reports duplicate keys and resolves `<<` merge keys.
    fn check_and_merge(&mut self, entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
        let mut seen: HashMap<KeyRepr<'_>, TextRange> = HashMap::new();
        let mut duplicates = Vec::new();
        let mut has_merge = false;
        for (key, _) in &entries {
            if is_merge_key(key) {
                has_merge = true;
                continue;
            }
            let Some(repr) = KeyRepr::of(key) else {
                continue;
            };
            let at = key.anchor_of.unwrap_or(key.range);
            match seen.get(&repr) {
                Some(first) => {
                    duplicates.push((key.scalar_text().unwrap_or("").to_string(), at, *first))
                }
                None => {
                    seen.insert(repr, at);
                }
            }
        }
        drop(seen);
        for (name, at, first) in duplicates {
            let line = self.line_of(first.start as usize);
            self.error(
                YamlErrorKind::DuplicateKey,
                format!("duplicate key `{name}` (first defined on line {line})"),
                at,
            );
        }
        if !has_merge {
            return entries;
        }
        self.merge(entries)
    }

    fn merge(&mut self, entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
        // Keys of the mapping itself win over merged ones.
        let mut present: std::collections::HashSet<KeyRepr<'static>> = entries
            .iter()
            .filter(|(k, _)| !is_merge_key(k))
            .filter_map(|(k, _)| KeyRepr::of(k).map(KeyRepr::into_owned))
            .collect();
        let mut out = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            if !is_merge_key(&key) {
                out.push((key, value));
                continue;
            }
            let value_range = value.anchor_of.unwrap_or(value.range);
            let sources = match value.value {
                Value::Mapping(m) => vec![m],
                Value::Sequence(items) => {
                    let mut sources = Vec::new();
                    for item in items {
                        let at = item.anchor_of.unwrap_or(item.range);
                        match item.value {
                            Value::Mapping(m) => sources.push(m),
                            _ => self.error(
                                YamlErrorKind::MergeKey,
                                "a `<<` merge list may only contain mappings".into(),
                                at,
                            ),
                        }
                    }
                    sources
                }
                _ => {
                    self.error(
                        YamlErrorKind::MergeKey,
                        "`<<` merges a mapping or a list of mappings into this one".into(),
                        value_range,
                    );
                    Vec::new()
                }
            };
            // Earlier sources win over later ones.
            for source in sources {
                for (k, v) in source {
                    match KeyRepr::of(&k).map(KeyRepr::into_owned) {
                        Some(repr) => {
                            if present.insert(repr) {
                                out.push((k, v));
                            }
                        }
                        None => out.push((k, v)),
                    }
                }
            }
        }
        out
    }

    /// Range and style of a scalar, from its event span.
    fn scalar_range(
        &self,
        start: usize,
        end: usize,
        style: saphyr_parser::ScalarStyle,
        has_properties: bool,
    ) -> (TextRange, ScalarStyle) {
        use saphyr_parser::ScalarStyle as S;
        let style = match style {
            S::Plain => ScalarStyle::Plain,
            S::SingleQuoted => ScalarStyle::SingleQuoted,
            S::DoubleQuoted => ScalarStyle::DoubleQuoted,
            S::Literal => ScalarStyle::Literal,
            S::Folded => ScalarStyle::Folded,
        };
        let mut start = if has_properties {
            self.skip_properties(start, end)
        } else {
            start
        };
        let mut end = end;
        if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
            // The span starts at the content: go back to the `|`/`>` indicator, written
            // after the previous token.
            let indicator = if style == ScalarStyle::Literal {
                b'|'
            } else {
                b'>'
            };
            let from = self.last_end.min(start);
            if let Some(i) = self.text.as_bytes()[from..start]
                .iter()
                .position(|&b| b == indicator)
            {
                start = from + i;
            }
            let trimmed = self.text[start..end].trim_end_matches([' ', '\t', '\r', '\n']);
            end = start + trimmed.len();
        }
        (TextRange::new(start, end.max(start)), style)
    }
}

fn null_node(range: TextRange, anchor_of: Option<TextRange>, file: u32) -> Node {
    Node {
        value: Value::Null,
        range,
        file,
        tag: None,
        anchor_of,
        style: None,
        raw: None,
    }
}

fn is_merge_key(key: &Node) -> bool {
    match key.tag.as_deref() {
        Some("!!merge") => true,
        None => {
            key.style == Some(ScalarStyle::Plain) && key.raw.is_none() && key.as_str() == Some("<<")
        }
        _ => false,
    }
}

/// A scalar key, compared by value (`80` and `"80"` differ, `0x10` and `16` do not).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum KeyRepr<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(std::borrow::Cow<'a, str>),
}

impl<'a> KeyRepr<'a> {
    fn of(key: &'a Node) -> Option<Self> {
        Some(match &key.value {
            Value::Null => KeyRepr::Null,
            Value::Bool(b) => KeyRepr::Bool(*b),
            Value::Int(i) => KeyRepr::Int(*i),
            Value::Float(f) => KeyRepr::Float(f.to_bits()),
            Value::String(s) => KeyRepr::Str(s.as_str().into()),
            Value::Sequence(_) | Value::Mapping(_) => return None,
        })
    }

    fn into_owned(self) -> KeyRepr<'static> {
        match self {
            KeyRepr::Null => KeyRepr::Null,
            KeyRepr::Bool(b) => KeyRepr::Bool(b),
            KeyRepr::Int(i) => KeyRepr::Int(i),
            KeyRepr::Float(f) => KeyRepr::Float(f),
            KeyRepr::Str(s) => KeyRepr::Str(s.into_owned().into()),
        }
    }
}

fn tag_name(handle: &str, suffix: &str) -> String {
    if handle == "tag:yaml.org,2002:" {
        format!("!!{suffix}")
    } else {
        format!("{handle}{suffix}")
    }
}

/// Resolves a scalar to a value like go-yaml v3; returns the raw text too when the value is
/// not a string.
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> (Value, Option<String>) {
    let value = match tag {
        Some("!!str") | Some("!!binary") | Some("!!timestamp") => Value::String(text.to_string()),
        Some("!!null") => Value::Null,
        Some("!!bool") => parse_bool(text).map_or_else(|| Value::String(text.into()), Value::Bool),
        Some("!!int") => parse_int(text).map_or_else(|| Value::String(text.into()), Value::Int),
        Some("!!float") => parse_int(text)
            .map(|i| i as f64)
            .or_else(|| parse_float(text))
            .map_or_else(|| Value::String(text.into()), Value::Float),
        _ if style != ScalarStyle::Plain => Value::String(text.to_string()),
        _ => resolve_plain(text),
    };
    match value {
        Value::String(_) => (value, None),
        _ => (value, Some(text.to_string())),
    }
}

/// The value a plain (unquoted, untagged) scalar written as `text` resolves to.
pub(crate) fn resolve_plain_scalar(text: &str) -> Value {
    resolve_plain(text)
}

fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        _ => {}
    }
    if let Some(b) = parse_bool(text) {
        return Value::Bool(b);
    }
    if let Some(i) = parse_int(text) {
        return Value::Int(i);
    }
    if let Some(f) = parse_float(text) {
        return Value::Float(f);
    }
    Value::String(text.to_string())
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)` without underscores: `0x`, `0o`, `0b`, and a leading
/// `0` for octal.
fn parse_int(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = digits.get(..2).map(str::to_ascii_lowercase);
    let (radix, digits) = match lower.as_deref() {
        Some("0x") => (16, &digits[2..]),
        Some("0o") => (8, &digits[2..]),
        Some("0b") => (2, &digits[2..]),
        _ if digits.len() > 1 && digits.starts_with('0') => (8, &digits[1..]),
        _ => (10, digits),
    };
    if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(digits, radix).ok()?;
    i64::try_from(if negative { -magnitude } else { magnitude }).ok()
}

/// go-yaml v3's float syntax: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `.inf`, `.nan`.
fn parse_float(text: &str) -> Option<f64> {
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - s;
        if int_digits == 0 && frac_digits == 0 {
            return None;
        }
    } else if int_digits == 0 {
        return None;
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == s {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    text.parse().ok()
}
