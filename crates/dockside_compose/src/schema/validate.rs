//! Walks a file's tree along the specification and reports every mismatch.

use std::collections::HashMap;

use dockside_syntax::TextRange;

use super::SchemaError;
use super::format;
use super::shape::*;
use super::spec::ROOT;
use crate::yaml::{Node, Value};

/// Longest key compared for a did-you-mean suggestion (longer keys are not typos of ours).
const MAX_SUGGESTED_KEY: usize = 64;

pub(crate) fn run(root: &Node, formats: bool) -> Vec<SchemaError> {
    let mut validator = Validator {
        errors: Vec::new(),
        formats,
    };
    let place = Place {
        name: "a Compose file".to_string(),
        item: false,
        key: root.range,
    };
    if root.as_mapping().is_none() {
        validator.error(
            root,
            format!(
                "a Compose file must be a mapping of top-level keys (`services`, `volumes`…), not {}",
                describe(root)
            ),
        );
    } else {
        validator.check(root, Shape::Map(&ROOT), &place);
    }
    validator.errors
}

/// Where a value sits, for messages.
struct Place {
    /// "`image`", "service `web`", "`ports` entry".
    name: String,
    /// A list entry (messages say "each `ports` entry" / "this `ports` entry").
    item: bool,
    /// The range of the key (or entry) the value belongs to: where a missing key is reported.
    key: TextRange,
}

impl Place {
    fn subject(&self) -> String {
        if self.item {
            format!("each {}", self.name)
        } else {
            self.name.clone()
        }
    }

    fn this(&self) -> String {
        if self.item {
            format!("this {}", self.name)
        } else {
            self.name.clone()
        }
    }

    /// A short name of the value: the key's name for a property.
    fn short(&self) -> &str {
        &self.name
    }
}

struct Validator {
    errors: Vec<SchemaError>,
    formats: bool,
}

impl Validator {
    fn error(&mut self, node: &Node, message: String) {
        self.error_at(node.file, node.range, message, None);
    }

    fn error_at(
        &mut self,
        file: u32,
        range: TextRange,
        message: String,
        suggestion: Option<String>,
    ) {
        self.errors.push(SchemaError {
            file,
            range,
            message,
            suggestion,
        });
    }

    fn check(&mut self, node: &Node, shape: Shape, place: &Place) {
        match shape {
            Shape::Any => {}
            Shape::Scalar(scalar) => self.check_scalar(node, &scalar, place),
            Shape::List(list) => self.check_list(node, list, place),
            Shape::Map(map) => self.check_map(node, map, place),
            Shape::OneOf(one_of) => {
                match one_of
                    .alternatives
                    .iter()
                    .find(|alternative| fits_kind(node, **alternative))
                {
                    Some(alternative) => self.check(node, *alternative, place),
                    None => self.error(
                        node,
                        format!(
                            "{} must be {}, not {}",
                            place.subject(),
                            one_of.expected,
                            describe(node)
                        ),
                    ),
                }
            }
        }
    }

    fn check_scalar(&mut self, node: &Node, scalar: &Scalar, place: &Place) {
        if !fits_types(node, scalar.types) {
            let expected = match scalar.format {
                Format::Duration => "a duration like `30s` or `1m30s`",
                _ => describe_types(scalar.types),
            };
            self.error(
                node,
                format!(
                    "{} must be {expected}, not {}",
                    place.subject(),
                    describe(node)
                ),
            );
            return;
        }
        match &node.value {
            Value::String(text) => {
                if !scalar.values.is_empty() && !scalar.values.contains(&text.as_str()) {
                    let suggestion = closest(text, scalar.values.iter().copied());
                    let mut message = format!(
                        "{} must be {}, not `{}`",
                        place.short(),
                        list_values(scalar.values),
                        text
                    );
                    if let Some(s) = &suggestion {
                        message.push_str(&format!(": did you mean `{s}`?"));
                    }
                    self.error_at(node.file, node.range, message, suggestion);
                    return;
                }
                if (self.formats || scalar.format.schema_pattern())
                    && let Some((message, suggestion)) =
                        format::check(scalar.format, text, self.formats, place.short())
                {
                    self.error_at(node.file, node.range, message, suggestion);
                }
            }
            Value::Int(_) | Value::Float(_) => {
                let Some(number) = as_f64(node) else { return };
                let too_small = scalar.min.is_some_and(|min| number < min as f64);
                let too_large = scalar.max.is_some_and(|max| number > max as f64);
                if too_small || too_large {
                    let range = match (scalar.min, scalar.max) {
                        (Some(min), Some(max)) => format!("between {min} and {max}"),
                        (Some(min), None) => format!("at least {min}"),
                        (None, Some(max)) => format!("at most {max}"),
                        (None, None) => String::new(),
                    };
                    self.error(node, format!("{} must be {range}", place.subject()));
                }
            }
            _ => {}
        }
    }

    fn check_list(&mut self, node: &Node, list: &List, place: &Place) {
        let Some(items) = node.as_sequence() else {
            self.error(
                node,
                format!("{} must be a list, not {}", place.subject(), describe(node)),
            );
            return;
        };
        let item_name = format!("{} entry", place.short());
        for item in items {
            // A missing key of a mapping entry is reported on the entry's first line.
            let key = item
                .as_mapping()
                .and_then(|entries| entries.first())
                .map_or(item.range, |(first, _)| first.range);
            let place = Place {
                name: item_name.clone(),
                item: true,
                key,
            };
            self.check(item, list.item, &place);
        }
        if list.unique {
            let mut seen: HashMap<String, ()> = HashMap::new();
            for item in items {
                if seen.insert(canonical(item), ()).is_some() {
                    let shown = match item.scalar_text() {
                        Some(text) => format!("`{text}`"),
                        None => "the same entry".to_string(),
                    };
                    self.error(
                        item,
                        format!("{} lists {shown} more than once", place.short()),
                    );
                }
            }
        }
    }

    fn check_map(&mut self, node: &Node, map: &Map, place: &Place) {
        if node.is_null() && map.nullable {
            return;
        }
        let Some(entries) = node.as_mapping() else {
            self.error(
                node,
                format!(
                    "{} must be a mapping, not {}",
                    place.subject(),
                    describe(node)
                ),
            );
            return;
        };
        for (key, value) in entries {
            let Some(name) = key.scalar_text() else {
                self.error(key, format!("keys of {} must be strings", place.this()));
                continue;
            };
            let prop = map.prop(name);
            let mut matched = false;
            if let Some(prop) = prop {
                matched = true;
                let place = Place {
                    name: format!("`{name}`"),
                    item: false,
                    key: key.range,
                };
                self.check(value, prop.shape, &place);
            }
            for pattern in map.patterns.iter().filter(|p| p.key.matches(name)) {
                matched = true;
                if matches!(pattern.shape, Shape::Any) {
                    continue;
                }
                let place = Place {
                    name: if prop.is_some() {
                        format!("`{name}`")
                    } else {
                        format!("{} `{name}`", pattern.label.trim_end_matches(" name"))
                    },
                    item: false,
                    key: key.range,
                };
                self.check(value, pattern.shape, &place);
            }
            if !matched && map.closed {
                self.unknown_key(key, name, map);
            }
        }
        for required in map.required {
            if !entries
                .iter()
                .any(|(key, _)| key.scalar_text() == Some(*required))
            {
                self.error_at(
                    node.file,
                    place.key,
                    format!("{} is missing the required key `{required}`", place.this()),
                    None,
                );
            }
        }
    }

    fn unknown_key(&mut self, key: &Node, name: &str, map: &Map) {
        let suggestion = closest(name, map.props.iter().map(|p| p.name));
        let named = map.patterns.iter().find(|p| p.key != KeyPattern::Extension);
        let message = match (&suggestion, named) {
            (Some(s), _) => format!("unknown {} `{name}`: did you mean `{s}`?", map.what),
            (None, Some(pattern)) if map.props.is_empty() => {
                if name.is_empty() {
                    format!("empty {}", pattern.label)
                } else {
                    format!(
                        "invalid {} `{name}`: use {}",
                        pattern.label,
                        pattern.key.rule()
                    )
                }
            }
            (None, _) => {
                let extensions = map.patterns.iter().any(|p| p.key == KeyPattern::Extension);
                if extensions {
                    format!(
                        "unknown {} `{name}` (custom keys must start with `x-`)",
                        map.what
                    )
                } else {
                    format!("unknown {} `{name}`", map.what)
                }
            }
        };
        self.error_at(key.file, key.range, message, suggestion);
    }
}

/// Whether `node` is of a kind `shape` accepts (its type, not its details).
fn fits_kind(node: &Node, shape: Shape) -> bool {
    match shape {
        Shape::Any => true,
        Shape::Scalar(scalar) => fits_types(node, scalar.types),
        Shape::List(_) => node.as_sequence().is_some(),
        Shape::Map(map) => node.as_mapping().is_some() || (map.nullable && node.is_null()),
        Shape::OneOf(one_of) => one_of.alternatives.iter().any(|a| fits_kind(node, *a)),
    }
}

fn fits_types(node: &Node, types: Types) -> bool {
    match &node.value {
        Value::Null => types & NULL != 0,
        Value::Bool(_) => types & BOOLEAN != 0,
        Value::Int(_) => types & (NUMBER | INTEGER) != 0,
        Value::Float(f) => {
            types & NUMBER != 0 || (types & INTEGER != 0 && f.is_finite() && f.fract() == 0.0)
        }
        Value::String(_) => types & STRING != 0,
        Value::Sequence(_) | Value::Mapping(_) => false,
    }
}

fn as_f64(node: &Node) -> Option<f64> {
    match node.value {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) => Some(f),
        _ => None,
    }
}

/// "a string", "a list"… for messages.
pub(crate) fn describe(node: &Node) -> &'static str {
    match node.value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Int(_) | Value::Float(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
    }
}

pub(crate) fn describe_types(types: Types) -> &'static str {
    const NUMERIC: Types = NUMBER | INTEGER;
    match types {
        STRING => "a string",
        NUMBER => "a number",
        INTEGER => "an integer",
        BOOLEAN => "a boolean",
        NULL => "null",
        t if t == BOOLEAN | STRING => "a boolean or a string",
        t if t == NUMBER | STRING || t == INTEGER | STRING => "a number or a string",
        t if t == STRING | NULL => "a string or null",
        t if t == STRING | NUMBER | BOOLEAN => "a string, a number or a boolean",
        t if t == STRING | NUMBER | NULL => "a string, a number or null",
        t if t == STRING | NUMBER | BOOLEAN | NULL => "a string, a number, a boolean or null",
        t if t & NUMERIC != 0 => "a number",
        _ => "a scalar",
    }
}

pub(crate) fn list_values(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The closest candidate to `wrong`, if it is close enough to be a typo.
pub(crate) fn closest<'a>(
    wrong: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<String> {
    if wrong.is_empty() || wrong.len() > MAX_SUGGESTED_KEY {
        return None;
    }
    let lower = wrong.to_ascii_lowercase().replace('-', "_");
    let budget = match wrong.chars().count() {
        0..=3 => 1,
        4..=7 => 2,
        _ => 3,
    };
    candidates
        .map(|c| {
            let distance = if c == lower {
                0
            } else {
                dockside_syntax::edit_distance(&lower, c)
            };
            (distance, c)
        })
        .filter(|(d, _)| *d <= budget)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

/// A value's identity for `uniqueItems` (JSON equality: `1` and `1.0` are equal).
fn canonical(node: &Node) -> String {
    let mut out = String::new();
    write_canonical(node, &mut out);
    out
}

fn write_canonical(node: &Node, out: &mut String) {
    match &node.value {
        Value::Null => out.push('~'),
        Value::Bool(b) => out.push_str(if *b { "T" } else { "F" }),
        Value::Int(i) => out.push_str(&format!("#{i}")),
        Value::Float(f) => {
            if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 {
                out.push_str(&format!("#{}", *f as i64));
            } else {
                out.push_str(&format!("#{f}"));
            }
        }
        Value::String(s) => out.push_str(&format!("{s:?}")),
        Value::Sequence(items) => {
            out.push('[');
            for item in items {
                write_canonical(item, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Mapping(entries) => {
            let mut parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| {
                    let mut part = format!("{:?}:", k.scalar_text().unwrap_or(""));
                    write_canonical(v, &mut part);
                    part
                })
                .collect();
            parts.sort();
            out.push('{');
            out.push_str(&parts.join(","));
            out.push('}');
        }
    }
}
