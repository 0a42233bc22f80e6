//! Block-style YAML output of a model, for `dockside compose config`: the project as
//! loaded, printed as written (short syntax stays short), with strings quoted only when
//! they would otherwise read back as another value.

use crate::project::Project;
use crate::yaml::{self, Node, Value};

/// `node` as block-style YAML, ending with a newline.
pub fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    match &node.value {
        Value::Mapping(entries) if !entries.is_empty() => write_mapping(&mut out, entries, 0),
        Value::Sequence(items) if !items.is_empty() => write_sequence(&mut out, items, 0),
        _ => {
            write_inline(&mut out, node, 0);
            out.push('\n');
        }
    }
    out
}

/// The model as `docker compose config` shows it: services of inactive profiles left out,
/// `name:` first, `include`, `extends` and the obsolete `version` gone (they are resolved).
pub fn resolved_model(project: &Project) -> Option<Node> {
    let mut model = project.model.clone()?;
    let inactive: Vec<String> = project
        .services()
        .filter(|s| !project.is_active(s))
        .map(|s| s.name.to_string())
        .collect();
    let Value::Mapping(entries) = &mut model.value else {
        return Some(model);
    };
    entries.retain(|(k, _)| !matches!(k.scalar_text(), Some("name" | "include" | "version")));
    for (key, value) in entries.iter_mut() {
        if key.scalar_text() != Some("services") {
            continue;
        }
        if let Value::Mapping(services) = &mut value.value {
            services.retain(|(k, _)| {
                !k.scalar_text()
                    .is_some_and(|n| inactive.iter().any(|i| i == n))
            });
            for (_, service) in services.iter_mut() {
                if let Value::Mapping(fields) = &mut service.value {
                    fields.retain(|(k, _)| k.scalar_text() != Some("extends"));
                }
            }
        }
    }
    let at = model.range;
    let name_key = string_node("name", at, model.file);
    let name_value = string_node(&project.name, at, model.file);
    if let Value::Mapping(entries) = &mut model.value {
        entries.insert(0, (name_key, name_value));
    }
    Some(model)
}

fn string_node(text: &str, range: dockside_syntax::TextRange, file: u32) -> Node {
    Node {
        value: Value::String(text.to_string()),
        range,
        file,
        tag: None,
        anchor_of: None,
        style: None,
        raw: None,
    }
}

fn indent(out: &mut String, level: usize) {
    out.extend(std::iter::repeat_n(' ', level));
}

fn write_mapping(out: &mut String, entries: &[(Node, Node)], level: usize) {
    for (key, value) in entries {
        indent(out, level);
        write_key(out, key, level);
        out.push(':');
        write_value(out, value, level);
    }
}

fn write_sequence(out: &mut String, items: &[Node], level: usize) {
    for item in items {
        indent(out, level);
        out.push('-');
        match &item.value {
            Value::Mapping(entries) if !entries.is_empty() => {
                // The first entry on the dash's line, the others aligned under it.
                out.push(' ');
                let mut rest = String::new();
                write_mapping(&mut rest, entries, level + 2);
                out.push_str(rest.get(level + 2..).unwrap_or(""));
            }
            Value::Sequence(inner) if !inner.is_empty() => {
                out.push(' ');
                let mut rest = String::new();
                write_sequence(&mut rest, inner, level + 2);
                out.push_str(rest.get(level + 2..).unwrap_or(""));
            }
            _ => write_value(out, item, level),
        }
    }
}

/// Writes what follows `key:` or `-`: a space and an inline value, or a newline and a
/// nested block.
fn write_value(out: &mut String, value: &Node, level: usize) {
    match &value.value {
        Value::Mapping(entries) if !entries.is_empty() => {
            out.push('\n');
            write_mapping(out, entries, level + 2);
        }
        Value::Sequence(items) if !items.is_empty() => {
            out.push('\n');
            write_sequence(out, items, level + 2);
        }
        _ => {
            out.push(' ');
            write_inline(out, value, level + 2);
            out.push('\n');
        }
    }
}

/// A key; a collection is an explicit key (`? {…}`), whose `:` goes on the next line at the
/// key's indentation.
fn write_key(out: &mut String, key: &Node, level: usize) {
    match &key.value {
        Value::String(s) if !s.contains('\n') => write_string(out, s, None),
        Value::Sequence(_) | Value::Mapping(_) => {
            out.push_str("? ");
            write_flow(out, key);
            out.push('\n');
            indent(out, level);
        }
        _ => write_scalar(out, key, None),
    }
}

/// A scalar, an empty collection, or (for a multi-line string) a literal block scalar
/// whose lines are indented by `block_indent`.
fn write_inline(out: &mut String, node: &Node, block_indent: usize) {
    match &node.value {
        Value::Mapping(_) => out.push_str("{}"),
        Value::Sequence(_) => out.push_str("[]"),
        _ => write_scalar(out, node, Some(block_indent)),
    }
}

fn write_scalar(out: &mut String, node: &Node, block_indent: Option<usize>) {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&float_text(*f)),
        Value::String(s) => write_string(out, s, block_indent),
        Value::Sequence(_) | Value::Mapping(_) => write_flow(out, node),
    }
}

fn float_text(f: f64) -> String {
    if f.is_nan() {
        ".nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { ".inf" } else { "-.inf" }.into()
    } else {
        let text = format!("{f:?}");
        if text.contains(['.', 'e', 'E']) {
            text
        } else {
            format!("{text}.0")
        }
    }
}

/// A collection in flow style (for complex keys), every string double-quoted.
fn write_flow(out: &mut String, node: &Node) {
    match &node.value {
        Value::Sequence(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_flow(out, item);
            }
            out.push(']');
        }
        Value::Mapping(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_flow(out, k);
                out.push_str(": ");
                write_flow(out, v);
            }
            out.push('}');
        }
        Value::String(s) => write_double_quoted(out, s),
        _ => write_scalar(out, node, None),
    }
}

fn write_string(out: &mut String, text: &str, block_indent: Option<usize>) {
    if is_plain_safe(text) {
        out.push_str(text);
    } else if let Some(level) = block_indent.filter(|_| fits_literal_block(text)) {
        write_literal_block(out, text, level);
    } else {
        write_double_quoted(out, text);
    }
}

/// Whether `text` reads back as the same string when written unquoted.
fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if !matches!(yaml::resolve_plain_scalar(text), Value::String(_)) {
        return false;
    }
    if yaml::traps(&plain_probe(text)).iter().any(|_| true) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || first.is_whitespace() {
        return false;
    }
    if text.ends_with(char::is_whitespace) || text.ends_with(':') {
        return false;
    }
    if text.contains(": ") || text.contains(" #") || text.contains(":\t") || text.contains("\t#") {
        return false;
    }
    if text == "<<" || text.starts_with("---") || text.starts_with("...") {
        return false;
    }
    !text.chars().any(|c| {
        c.is_control() || c == '\u{FEFF}' || c == '\u{85}' || c == '\u{2028}' || c == '\u{2029}'
    })
}

/// A plain scalar node holding `text`, to ask [`yaml::traps`] about it.
fn plain_probe(text: &str) -> Node {
    Node {
        value: Value::String(text.to_string()),
        range: dockside_syntax::TextRange::empty(0),
        file: 0,
        tag: None,
        anchor_of: None,
        style: Some(yaml::ScalarStyle::Plain),
        raw: None,
    }
}

/// Whether a multi-line string can be a `|` block: printable text on lines that do not
/// start with a blank (the block's indentation would swallow it).
fn fits_literal_block(text: &str) -> bool {
    text.contains('\n')
        && !text.starts_with([' ', '\t', '\n'])
        && !text.chars().any(|c| {
            (c.is_control() && c != '\n' && c != '\t')
                || c == '\u{FEFF}'
                || c == '\u{85}'
                || c == '\u{2028}'
                || c == '\u{2029}'
        })
}

fn write_literal_block(out: &mut String, text: &str, level: usize) {
    let body = text.trim_end_matches('\n');
    let trailing = text.len() - body.len();
    out.push('|');
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            indent(out, level);
            out.push_str(line);
        }
    }
    for _ in 1..trailing {
        out.push('\n');
    }
}

fn write_double_quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\u{85}' => out.push_str("\\N"),
            '\u{A0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if c.is_control() || c == '\u{FEFF}' => {
                let code = c as u32;
                if code <= 0xFF {
                    out.push_str(&format!("\\x{code:02X}"));
                } else {
                    out.push_str(&format!("\\u{code:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
