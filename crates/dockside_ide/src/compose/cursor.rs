//! Where the cursor is in a Compose file.
//!
//! Two views: [`node_at`] walks the YAML tree (for hover and navigation on what is
//! written), [`context_at`] reads the text around the cursor by indentation (for
//! completion, where the line being typed is usually not valid YAML yet).

use dockside_compose::yaml::{Node, Value};
use dockside_syntax::TextRange;

/// The node under the cursor and the keys leading to it.
#[derive(Clone, Debug)]
pub struct NodeAt<'a> {
    /// Mapping keys from the root, `"-"` for sequence items. Ends with the key of the
    /// entry the cursor is on (key or value).
    pub path: Vec<String>,
    pub node: &'a Node,
    /// The cursor is on a mapping key (`node` is the key).
    pub on_key: bool,
    /// The enclosing nodes from the root, outermost first (not including `node`).
    pub ancestors: Vec<&'a Node>,
}

fn touches(range: TextRange, offset: usize) -> bool {
    range.start as usize <= offset && offset <= range.end as usize
}

/// The innermost node of `root` at `offset` (a range's end counts: the cursor just after
/// a word is on it). Alias copies and merged-in entries, whose ranges point at the anchored
/// text, are never entered.
pub fn node_at(root: &Node, offset: usize) -> Option<NodeAt<'_>> {
    if !touches(root.range, offset) {
        return None;
    }
    let mut path = Vec::new();
    let mut ancestors = Vec::new();
    let mut current = root;
    loop {
        let next = match &current.value {
            Value::Mapping(entries) => {
                let mut next = None;
                for (key, value) in entries {
                    if !current.range.contains_range(key.range) || key.anchor_of.is_some() {
                        continue;
                    }
                    if touches(key.range, offset) {
                        let mut path = path.clone();
                        path.push(key_text(key));
                        ancestors.push(current);
                        return Some(NodeAt {
                            path,
                            node: key,
                            on_key: true,
                            ancestors,
                        });
                    }
                    let own =
                        value.anchor_of.is_none() && current.range.contains_range(value.range);
                    let span = value.anchor_of.unwrap_or(value.range);
                    if (own || value.anchor_of.is_some()) && touches(span, offset) {
                        next = Some((key_text(key), value));
                        break;
                    }
                }
                next
            }
            Value::Sequence(items) => items
                .iter()
                .find(|item| {
                    let span = item.anchor_of.unwrap_or(item.range);
                    (item.anchor_of.is_some() || current.range.contains_range(item.range))
                        && touches(span, offset)
                })
                .map(|item| ("-".to_string(), item)),
            _ => None,
        };
        match next {
            Some((step, node)) => {
                path.push(step);
                ancestors.push(current);
                if node.anchor_of.is_some() {
                    return Some(NodeAt {
                        path,
                        node,
                        on_key: false,
                        ancestors,
                    });
                }
                current = node;
            }
            None => {
                return Some(NodeAt {
                    path,
                    node: current,
                    on_key: false,
                    ancestors,
                });
            }
        }
    }
}

/// The text of a key (`""` for a collection used as a key).
pub fn key_text(key: &Node) -> String {
    key.scalar_text().unwrap_or("").to_string()
}

/// The node at `path` under `root` (`"-"` steps are not followed: they name no item).
pub fn node_at_path<'a>(root: &'a Node, path: &[&str]) -> Option<&'a Node> {
    let mut current = root;
    for step in path {
        current = current.get(step)?;
    }
    Some(current)
}

// ---------------------------------------------------------------------------------------------
// Text view, for completion

/// What the cursor is writing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A mapping key; [`CursorContext::path`] is the mapping's path.
    Key,
    /// The value of a key; the path ends with that key.
    Value,
    /// A sequence item (`- x`, or inside `[a, x]`); the path ends with the sequence's key.
    Item,
}

/// The completion context at the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CursorContext {
    pub path: Vec<String>,
    pub slot: Slot,
    /// The partial word before the cursor: what a completion replaces.
    pub replace: TextRange,
    /// Keys already written in the mapping the cursor writes a key into.
    pub siblings: Vec<String>,
}

impl CursorContext {
    pub fn path_refs(&self) -> Vec<&str> {
        self.path.iter().map(String::as_str).collect()
    }
}

/// One line of block YAML, as far as indentation tells.
#[derive(Debug, Default)]
struct Shape<'a> {
    /// Columns of the `- ` markers.
    dashes: Vec<usize>,
    /// Column where the content after the markers starts.
    content: usize,
    /// `key:` at the content, its text and the value written after it (comment removed).
    key: Option<(String, &'a str)>,
    /// Byte offset in the line where the value after `key:` starts.
    value_at: usize,
    /// Nothing but blanks or a comment.
    blank: bool,
}

impl Shape<'_> {
    /// The column of the first thing on the line.
    fn first(&self) -> usize {
        self.dashes.first().copied().unwrap_or(self.content)
    }
}

fn shape(line: &str) -> Shape<'_> {
    let bytes = line.as_bytes();
    let mut at = 0;
    while at < bytes.len() && bytes[at] == b' ' {
        at += 1;
    }
    let mut dashes = Vec::new();
    while at < bytes.len()
        && bytes[at] == b'-'
        && matches!(bytes.get(at + 1), None | Some(b' ' | b'\t'))
    {
        dashes.push(at);
        at += 1;
        while at < bytes.len() && (bytes[at] == b' ' || bytes[at] == b'\t') {
            at += 1;
        }
    }
    let rest = line[at..].trim_end_matches(['\r', '\n']);
    let mut s = Shape {
        dashes,
        content: at,
        ..Shape::default()
    };
    if rest.trim().is_empty() || rest.starts_with('#') {
        s.blank = s.dashes.is_empty();
        return s;
    }
    if let Some((key, after)) = split_key(rest) {
        let value_start = at + after;
        let value = &line[value_start..];
        let value = strip_comment(value.trim_end_matches(['\r', '\n']));
        let lead = value.len() - value.trim_start().len();
        s.value_at = value_start + lead;
        s.key = Some((key, value.trim()));
    }
    s
}

/// `key:` at the start of `content`: the key (unquoted) and the byte offset after the colon.
fn split_key(content: &str) -> Option<(String, usize)> {
    let bytes = content.as_bytes();
    match bytes.first()? {
        b'[' | b'{' | b'#' | b'|' | b'>' | b'&' | b'*' | b'!' => None,
        q @ (b'"' | b'\'') => {
            let close = content[1..].find(*q as char)? + 1;
            let after = content[close + 1..].trim_start_matches([' ', '\t']);
            let colon = content.len() - after.len();
            if after.starts_with(':')
                && matches!(after.as_bytes().get(1), None | Some(b' ' | b'\t'))
            {
                Some((content[1..close].to_string(), colon + 1))
            } else {
                None
            }
        }
        _ => {
            let mut i = 0;
            while i < bytes.len() {
                match bytes[i] {
                    b':' if matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) => {
                        return Some((content[..i].trim_end().to_string(), i + 1));
                    }
                    b'#' if i > 0 && matches!(bytes[i - 1], b' ' | b'\t') => return None,
                    _ => {}
                }
                i += 1;
            }
            None
        }
    }
}

/// `text` without a trailing ` # comment` (quotes respected).
fn strip_comment(text: &str) -> &str {
    let bytes = text.as_bytes();
    let (mut single, mut double) = (false, false);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'#' if !single && !double && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t')) => {
                return &text[..i];
            }
            _ => {}
        }
    }
    text
}

/// Whether a value written after `key:` opens a nested block (nothing, or only an
/// anchor or tag).
fn opens_block(value: &str) -> bool {
    value
        .split_whitespace()
        .all(|w| w.starts_with('&') || w.starts_with('!'))
}

fn is_block_scalar(value: &str) -> bool {
    value
        .split_whitespace()
        .find(|w| !w.starts_with('&') && !w.starts_with('!'))
        .is_some_and(|w| {
            (w.starts_with('|') || w.starts_with('>'))
                && w[1..].chars().all(|c| matches!(c, '+' | '-' | '1'..='9'))
        })
}

/// Lines of `text` with their start offsets.
fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        out.push((start, line));
        start += line.len();
    }
    if text.is_empty() || text.ends_with('\n') {
        out.push((text.len(), ""));
    }
    out
}

/// The keys enclosing something at column `col` on line `from` (a `- ` item when
/// `dash`), outermost first; `None` when that place is inside a block scalar or a
/// multi-line value.
fn parents(
    lines: &[(usize, &str)],
    from: usize,
    mut col: usize,
    mut dash: bool,
) -> Option<Vec<String>> {
    let mut reversed = Vec::new();
    for &(_, line) in lines[..from].iter().rev() {
        if col == 0 && !dash {
            break;
        }
        if line.starts_with("---") || line.starts_with("...") {
            break;
        }
        let s = shape(line);
        if s.blank {
            continue;
        }
        if let Some((key, value)) = &s.key {
            let kc = s.content;
            if kc < col || (dash && kc == col) {
                if is_block_scalar(value) || !opens_block(value) {
                    // Below a key with a value on its own line: inside that value.
                    return None;
                }
                reversed.push(key.clone());
                col = kc;
                dash = false;
                for &d in s.dashes.iter().rev() {
                    reversed.push("-".to_string());
                    col = d;
                    dash = true;
                }
                continue;
            }
        }
        for &d in s.dashes.iter().rev() {
            if d < col {
                reversed.push("-".to_string());
                col = d;
                dash = true;
            }
        }
        if s.first() < col && s.key.is_none() && s.dashes.is_empty() {
            // A plain scalar line less indented than us: a multi-line scalar.
            return None;
        }
    }
    reversed.reverse();
    Some(reversed)
}

/// Keys written at column `col` in the block around line `at` (excluding line `at`).
fn siblings(lines: &[(usize, &str)], at: usize, col: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut visit = |line: &str| -> bool {
        let s = shape(line);
        if s.blank {
            return true;
        }
        if let Some((key, _)) = &s.key
            && s.content == col
        {
            out.push(key.clone());
        }
        // A line starting left of the block ends it (the `- ` opening it is read first).
        s.first() >= col
    };
    for &(_, line) in lines[..at].iter().rev() {
        if !visit(line) {
            break;
        }
    }
    for &(_, line) in lines.iter().skip(at + 1) {
        let s = shape(line);
        if !s.blank && (s.first() < col || (s.first() == col && !s.dashes.is_empty())) {
            break;
        }
        if !visit(line) {
            break;
        }
    }
    out
}

/// What is being written at `offset` (block-style YAML, read by indentation); `None` in
/// comments, block scalars and flow mappings.
pub fn context_at(text: &str, offset: usize) -> Option<CursorContext> {
    let offset = dockside_syntax::text::floor_char_boundary(text, offset.min(text.len()));
    let all = lines(text);
    let index = all
        .iter()
        .rposition(|&(start, _)| start <= offset)
        .unwrap_or(0);
    let (line_start, _) = all[index];
    let before = &text[line_start..offset];
    if before.contains('\t') && before.trim_start_matches(' ').starts_with('\t') {
        return None;
    }
    let s = shape(before);
    if strip_comment(before).len() < before.len() {
        return None;
    }
    let (outer_col, outer_dash) = match s.dashes.first() {
        Some(&d) => (d, true),
        None => (s.content, false),
    };
    let mut path = parents(&all, index, outer_col, outer_dash)?;
    for _ in s.dashes.iter().skip(1) {
        path.push("-".to_string());
    }
    let word_range = |from: usize| TextRange::new(line_start + from, offset);
    if let Some((key, value)) = &s.key {
        // After `key:`.
        if !s.dashes.is_empty() {
            path.push("-".to_string());
        }
        path.push(key.clone());
        let value_at = s.value_at.min(before.len());
        if let Some(inner) = value.strip_prefix('[') {
            if inner.contains(']') {
                return None;
            }
            let last = inner.rfind(',').map_or(0, |i| i + 1);
            let item = &inner[last..];
            let lead = item.len() - item.trim_start().len();
            let item_at = value_at + 1 + last + lead;
            let item_at = item_at + usize::from(before[item_at..].starts_with(['"', '\'']));
            return Some(CursorContext {
                path,
                slot: Slot::Item,
                replace: word_range(item_at),
                siblings: Vec::new(),
            });
        }
        if value.starts_with('{') || is_block_scalar(value) || value.starts_with(['&', '*', '!']) {
            return None;
        }
        let value_at = value_at + usize::from(before[value_at..].starts_with(['"', '\'']));
        return Some(CursorContext {
            path,
            slot: Slot::Value,
            replace: word_range(value_at),
            siblings: Vec::new(),
        });
    }
    let word_at = s.content.min(before.len());
    let word_at = word_at + usize::from(before[word_at..].starts_with(['"', '\'']));
    if !s.dashes.is_empty() {
        return Some(CursorContext {
            path,
            slot: Slot::Item,
            replace: word_range(word_at),
            siblings: siblings(&all, index, s.content),
        });
    }
    Some(CursorContext {
        siblings: siblings(&all, index, s.content),
        path,
        slot: Slot::Key,
        replace: word_range(word_at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dockside_compose::yaml;

    /// Context at the `|` marker (removed from the text).
    fn ctx(marked: &str) -> Option<CursorContext> {
        let offset = marked.find('|').unwrap();
        let text = marked.replacen('|', "", 1);
        context_at(&text, offset)
    }

    fn path_of(c: &CursorContext) -> String {
        c.path.join(".")
    }

    #[test]
    fn key_under_a_service() {
        let c = ctx("services:\n  web:\n    image: x\n    po|\n    restart: always\n").unwrap();
        assert_eq!(path_of(&c), "services.web");
        assert_eq!(c.slot, Slot::Key);
        assert_eq!(c.replace, TextRange::new(34, 36));
        assert_eq!(c.siblings, vec!["image", "restart"]);
    }

    #[test]
    fn key_on_an_empty_line_and_at_the_root() {
        let c = ctx("services:\n  web:\n    image: x\n    |\n").unwrap();
        assert_eq!((path_of(&c).as_str(), c.slot), ("services.web", Slot::Key));
        assert!(c.replace.is_empty());
        let c = ctx("services:\n  web: {}\nvo|").unwrap();
        assert_eq!((path_of(&c).as_str(), c.slot), ("", Slot::Key));
        assert_eq!(c.siblings, vec!["services"]);
        let c = ctx("services:\n  web:\n    image: x\n  |").unwrap();
        assert_eq!(path_of(&c), "services");
        assert_eq!(c.siblings, vec!["web"]);
    }

    #[test]
    fn value_of_a_key() {
        let c = ctx("services:\n  web:\n    restart: un|\n").unwrap();
        assert_eq!(
            (path_of(&c).as_str(), c.slot),
            ("services.web.restart", Slot::Value)
        );
        assert_eq!(c.replace, TextRange::new(30, 32));
        let c = ctx("services:\n  web:\n    restart: \"un|\"\n").unwrap();
        assert_eq!(c.replace, TextRange::new(31, 33));
    }

    #[test]
    fn sequence_items_block_compact_and_flow() {
        let c = ctx("services:\n  web:\n    depends_on:\n      - db\n      - |\n").unwrap();
        assert_eq!(
            (path_of(&c).as_str(), c.slot),
            ("services.web.depends_on", Slot::Item)
        );
        let c = ctx("services:\n  web:\n    depends_on:\n    - d|\n").unwrap();
        assert_eq!(
            (path_of(&c).as_str(), c.slot),
            ("services.web.depends_on", Slot::Item)
        );
        let c = ctx("services:\n  web:\n    depends_on: [db, ca|\n").unwrap();
        assert_eq!(
            (path_of(&c).as_str(), c.slot),
            ("services.web.depends_on", Slot::Item)
        );
        assert_eq!(c.replace.len(), 2);
        assert_eq!(ctx("services:\n  web:\n    depends_on: [db, ca]|\n"), None);
    }

    #[test]
    fn keys_inside_sequence_items() {
        let c = ctx("services:\n  web:\n    ports:\n      - target: 80\n        pu|\n").unwrap();
        assert_eq!(
            (path_of(&c).as_str(), c.slot),
            ("services.web.ports.-", Slot::Key)
        );
        assert_eq!(c.siblings, vec!["target"]);
        let c = ctx("services:\n  web:\n    ports:\n      - target: 80\n        protocol: t|\n")
            .unwrap();
        assert_eq!(
            (path_of(&c).as_str(), c.slot),
            ("services.web.ports.-.protocol", Slot::Value)
        );
        let c = ctx("include:\n  - path: a.yaml\n  - env_file: x\n    pro|").unwrap();
        assert_eq!((path_of(&c).as_str(), c.slot), ("include.-", Slot::Key));
        assert_eq!(c.siblings, vec!["env_file"]);
    }

    #[test]
    fn nothing_in_comments_block_scalars_and_flow_mappings() {
        assert_eq!(ctx("services: # we|\n"), None);
        assert_eq!(
            ctx("services:\n  web:\n    command: >-\n      echo |\n"),
            None
        );
        assert_eq!(ctx("services:\n  web:\n    environment: {A: |\n"), None);
        assert_eq!(
            ctx("services:\n  web:\n    command: echo\n      one |\n"),
            None
        );
    }

    #[test]
    fn anchors_tags_and_comments_on_parent_lines() {
        let c =
            ctx("x-base: &base # shared\n  restart: always\nservices:\n  web: !reset\n    im|\n")
                .unwrap();
        assert_eq!(path_of(&c), "services.web");
        let c = ctx("services:\n  # a comment\n\n  \"web\":\n    im|\n").unwrap();
        assert_eq!(path_of(&c), "services.web");
    }

    fn at(marked: &str) -> (Node, usize) {
        let offset = marked.find('|').unwrap();
        let text = marked.replacen('|', "", 1);
        (yaml::load(&text).documents.remove(0), offset)
    }

    #[test]
    fn tree_path_of_keys_values_and_items() {
        let (root, offset) = at("services:\n  web:\n    ima|ge: nginx\n");
        let found = node_at(&root, offset).unwrap();
        assert!(found.on_key);
        assert_eq!(found.path, ["services", "web", "image"]);
        let (root, offset) = at("services:\n  web:\n    image: ngi|nx\n");
        let found = node_at(&root, offset).unwrap();
        assert!(!found.on_key);
        assert_eq!(found.node.as_str(), Some("nginx"));
        assert_eq!(found.path, ["services", "web", "image"]);
        let (root, offset) = at("services:\n  web:\n    depends_on:\n      - d|b\n");
        let found = node_at(&root, offset).unwrap();
        assert_eq!(found.path, ["services", "web", "depends_on", "-"]);
        assert_eq!(found.node.as_str(), Some("db"));
        assert_eq!(found.ancestors.len(), 4);
    }

    #[test]
    fn tree_does_not_enter_aliases_or_merged_entries() {
        let text = "x-base: &base\n  restart: always\nservices:\n  web:\n    <<: *base\n    image: a\n  api: *base\n";
        let root = yaml::load(text).documents.remove(0);
        // On `restart` under x-base: the key itself, not a merged copy.
        let found = node_at(&root, text.find("restart").unwrap() + 1).unwrap();
        assert_eq!(found.path, ["x-base", "restart"]);
        // On the alias `*base` of api: the alias copy.
        let found = node_at(&root, text.rfind("*base").unwrap() + 2).unwrap();
        assert_eq!(found.path, ["services", "api"]);
        assert!(found.node.anchor_of.is_some());
        // On `image`: the key of web (merged entries before it are skipped).
        let found = node_at(&root, text.find("image").unwrap()).unwrap();
        assert_eq!(found.path, ["services", "web", "image"]);
    }
}
