//! Compose's merge rules (compose-go's `override` package), on positioned nodes.
//!
//! Mappings merge recursively and sequences append, except where Compose says otherwise:
//! `command`, `entrypoint` and `healthcheck.test` are replaced; `environment`, `labels`,
//! `build.args`, `extra_hosts`… merge by key whether written as a list (`KEY=VAL`) or a
//! mapping (the result is a mapping whose nodes point where each part was written);
//! `ports`, `volumes` (by target), `secrets`, `configs`, `dns`… are de-duplicated, a later
//! entry replacing an earlier one with the same identity in place. `!reset` removes the
//! inherited value, `!override` replaces it instead of merging.
//!
//! Merged collections keep the range of their first definition; every value keeps its own.

use dockside_syntax::TextRange;

use super::interpolation::path_matches;
use crate::yaml::{Node, ScalarStyle, Value};

/// Merges a document over what the previous documents and files built.
pub(crate) fn merge_documents(base: Option<Node>, over: Node) -> Node {
    match base {
        None => without_resets(over),
        Some(base) => merge(base, over, &mut Vec::new()),
    }
}

/// Merges a base service under the service that extends it.
pub(crate) fn extend_service(base: Node, service: Node, name: &str) -> Node {
    let mut path = vec!["services".to_string(), name.to_string()];
    merge(base, service, &mut path)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rule {
    Replace,
    /// `KEY=VAL` lists and mappings merged by key.
    KeyValue,
    /// Scalars or lists, appended and de-duplicated.
    Sequence(Identity),
    Build,
    DependsOn,
    /// A list of names or a mapping of names (`networks`, `models`).
    NameMapping,
    Logging,
    Ulimit,
    Default,
}

/// How entries of a de-duplicated sequence are identified.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Identity {
    None,
    /// The text before `=` (the whole text without one).
    KeyValue,
    Port,
    Volume,
    Device,
    Mount(&'static str),
    EnvFile,
}

const RULES: &[(&str, Rule)] = &[
    ("services.*.command", Rule::Replace),
    ("services.*.entrypoint", Rule::Replace),
    ("services.*.healthcheck.test", Rule::Replace),
    ("services.*.environment", Rule::KeyValue),
    ("services.*.labels", Rule::KeyValue),
    ("services.*.annotations", Rule::KeyValue),
    ("services.*.sysctls", Rule::KeyValue),
    ("services.*.extra_hosts", Rule::KeyValue),
    ("services.*.build.args", Rule::KeyValue),
    ("services.*.build.labels", Rule::KeyValue),
    ("services.*.build.additional_contexts", Rule::KeyValue),
    ("services.*.build.extra_hosts", Rule::KeyValue),
    ("services.*.deploy.labels", Rule::KeyValue),
    ("services.*.volumes.[].volume.labels", Rule::KeyValue),
    ("networks.*.labels", Rule::KeyValue),
    ("volumes.*.labels", Rule::KeyValue),
    ("services.*.dns", Rule::Sequence(Identity::KeyValue)),
    ("services.*.dns_opt", Rule::Sequence(Identity::KeyValue)),
    ("services.*.dns_search", Rule::Sequence(Identity::KeyValue)),
    ("services.*.tmpfs", Rule::Sequence(Identity::KeyValue)),
    ("services.*.env_file", Rule::Sequence(Identity::EnvFile)),
    ("services.*.label_file", Rule::Sequence(Identity::None)),
    ("services.*.build", Rule::Build),
    ("services.*.depends_on", Rule::DependsOn),
    ("services.*.networks", Rule::NameMapping),
    ("services.*.models", Rule::NameMapping),
    ("services.*.logging", Rule::Logging),
    ("services.*.ulimits.*", Rule::Ulimit),
];

/// Sequences de-duplicated after a plain append (compose-go's `EnforceUnicity`).
const IDENTITIES: &[(&str, Identity)] = &[
    ("networks.*.ipam.options", Identity::KeyValue),
    ("services.*.build.platforms", Identity::KeyValue),
    ("services.*.build.tags", Identity::KeyValue),
    ("services.*.cap_add", Identity::KeyValue),
    ("services.*.cap_drop", Identity::KeyValue),
    ("services.*.configs", Identity::Mount("")),
    ("services.*.secrets", Identity::Mount("/run/secrets")),
    ("services.*.devices", Identity::Device),
    ("services.*.expose", Identity::KeyValue),
    ("services.*.links", Identity::KeyValue),
    ("services.*.networks.*.aliases", Identity::KeyValue),
    ("services.*.networks.*.link_local_ips", Identity::KeyValue),
    ("services.*.ports", Identity::Port),
    ("services.*.profiles", Identity::KeyValue),
    ("services.*.volumes", Identity::Volume),
];

fn rule_for(path: &[String]) -> Rule {
    RULES
        .iter()
        .find(|(pattern, _)| path_matches(path, pattern))
        .map_or(Rule::Default, |(_, rule)| *rule)
}

fn identity_for(path: &[String]) -> Identity {
    IDENTITIES
        .iter()
        .find(|(pattern, _)| path_matches(path, pattern))
        .map_or(Identity::None, |(_, identity)| *identity)
}

fn tag(node: &Node) -> Option<&str> {
    node.tag.as_deref()
}

/// `over` merged over `base` at `path`.
fn merge(base: Node, over: Node, path: &mut Vec<String>) -> Node {
    match tag(&over) {
        Some("!override") => return without_resets(over),
        Some("!reset") => return null_at(&over),
        _ => {}
    }
    if over.is_null() && over.tag.is_none() {
        return base;
    }
    if base.is_null() {
        return without_resets(over);
    }
    match rule_for(path) {
        Rule::Replace => without_resets(over),
        Rule::KeyValue => {
            let colon = path.last().is_some_and(|k| k == "extra_hosts");
            match (
                to_key_value_mapping(&base, colon),
                to_key_value_mapping(&over, colon),
            ) {
                (Some(base), Some(over)) => merge_mappings(base, over, path),
                _ => without_resets(over),
            }
        }
        Rule::Sequence(identity) => {
            let range = base.range;
            let file = base.file;
            let mut items = as_items(base);
            append(&mut items, as_items(over), identity);
            collection(Value::Sequence(items), range, file)
        }
        Rule::Build => {
            let base = build_mapping(base);
            let over = build_mapping(over);
            merge_mappings(base, over, path)
        }
        Rule::DependsOn => match (depends_on_mapping(base), depends_on_mapping(over)) {
            (Ok(base), Ok(over)) => merge_mappings(base, over, path),
            (_, Ok(over) | Err(over)) => without_resets(over),
        },
        Rule::NameMapping => match (name_mapping(base), name_mapping(over)) {
            (Ok(base), Ok(over)) => merge_mappings(base, over, path),
            (_, Ok(over) | Err(over)) => without_resets(over),
        },
        Rule::Logging => {
            let driver = |n: &Node| {
                n.get("driver")
                    .and_then(Node::scalar_text)
                    .map(str::to_string)
            };
            match (driver(&base), driver(&over)) {
                (Some(a), Some(b)) if a != b => without_resets(over),
                _ => merge_default(base, over, path),
            }
        }
        Rule::Ulimit => {
            if base.as_mapping().is_some() && over.as_mapping().is_some() {
                merge_mappings(base, over, path)
            } else {
                without_resets(over)
            }
        }
        Rule::Default => merge_default(base, over, path),
    }
}

fn merge_default(base: Node, over: Node, path: &mut Vec<String>) -> Node {
    match (&base.value, &over.value) {
        (Value::Mapping(_), Value::Mapping(_)) => merge_mappings(base, over, path),
        (Value::Sequence(_), Value::Sequence(_)) => {
            let identity = identity_for(path);
            let range = base.range;
            let file = base.file;
            let mut items = as_items(base);
            append(&mut items, as_items(over), identity);
            collection(Value::Sequence(items), range, file)
        }
        _ => without_resets(over),
    }
}

fn merge_mappings(base: Node, over: Node, path: &mut Vec<String>) -> Node {
    let range = base.range;
    let file = base.file;
    let mut entries = match base.value {
        Value::Mapping(entries) => entries,
        _ => Vec::new(),
    };
    let Value::Mapping(over_entries) = over.value else {
        return collection(Value::Mapping(entries), range, file);
    };
    for (key, value) in over_entries {
        let name = key.scalar_text().unwrap_or("").to_string();
        let position = entries
            .iter()
            .position(|(k, _)| k.scalar_text() == Some(name.as_str()));
        match (tag(&value), position) {
            (Some("!reset"), Some(p)) => {
                entries.remove(p);
            }
            (Some("!reset"), None) => {}
            (_, None) => entries.push((key, without_resets(value))),
            (_, Some(p)) => {
                let (base_key, base_value) = entries.remove(p);
                path.push(name);
                let merged = merge(base_value, value, path);
                path.pop();
                let key = if tag(&merged) == Some("!override") {
                    key
                } else {
                    base_key
                };
                entries.insert(p, (key, merged));
            }
        }
    }
    collection(Value::Mapping(entries), range, file)
}

/// Appends `over` to `items`; an entry with the identity of an earlier one replaces it.
fn append(items: &mut Vec<Node>, over: Vec<Node>, identity: Identity) {
    let mut keys: Vec<Option<String>> = items.iter().map(|n| identify(n, identity)).collect();
    for item in over {
        if tag(&item) == Some("!reset") {
            continue;
        }
        let item = without_resets(item);
        let key = identify(&item, identity);
        match key
            .as_ref()
            .and_then(|k| keys.iter().position(|o| o.as_ref() == Some(k)))
        {
            Some(p) => items[p] = item,
            None => {
                items.push(item);
                keys.push(key);
            }
        }
    }
}

fn identify(node: &Node, identity: Identity) -> Option<String> {
    let text = node.scalar_text();
    match identity {
        Identity::None => None,
        Identity::KeyValue => {
            let text = text?;
            Some(text.split_once('=').map_or(text, |(k, _)| k).to_string())
        }
        Identity::Port => match text {
            Some(text) => Some(text.to_string()),
            None => {
                let field = |k: &str, default: &str| {
                    node.get(k)
                        .and_then(Node::scalar_text)
                        .filter(|t| !t.is_empty())
                        .unwrap_or(default)
                        .to_string()
                };
                node.get("target")?;
                Some(format!(
                    "{}:{}:{}/{}",
                    field("host_ip", "0.0.0.0"),
                    field("published", ""),
                    field("target", ""),
                    field("protocol", "tcp")
                ))
            }
        },
        Identity::Volume => match text {
            Some(text) => Some(volume_target(text).to_string()),
            None => node.get("target")?.scalar_text().map(str::to_string),
        },
        Identity::Device => match text {
            Some(text) => {
                let mut parts = text.split(':');
                let first = parts.next().unwrap_or("");
                Some(parts.next().unwrap_or(first).to_string())
            }
            None => node.get("target")?.scalar_text().map(str::to_string),
        },
        Identity::Mount(default) => match text {
            Some(text) => Some(format!("{default}/{text}")),
            None => match node.get("target").and_then(Node::scalar_text) {
                Some(target) => Some(target.to_string()),
                None => Some(format!("{default}/{}", node.get("source")?.scalar_text()?)),
            },
        },
        Identity::EnvFile => match text {
            Some(text) => Some(text.to_string()),
            None => node.get("path")?.scalar_text().map(str::to_string),
        },
    }
}

/// The container path of a short volume (`src:target[:mode]`, or `target` alone).
fn volume_target(spec: &str) -> &str {
    let parts: Vec<&str> = split_volume(spec);
    match parts.as_slice() {
        [] => spec,
        [only] => only,
        [_, target, ..] => target,
    }
}

/// Splits a short volume at `:`, keeping a Windows drive letter (`C:\data`) in one part.
fn split_volume(spec: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = spec.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b != b':' {
            continue;
        }
        let drive = i == start + 1
            && bytes[start].is_ascii_alphabetic()
            && matches!(bytes.get(i + 1), Some(b'\\' | b'/'));
        if !drive {
            parts.push(&spec[start..i]);
            start = i + 1;
        }
    }
    parts.push(&spec[start..]);
    parts
}

/// A sequence's items, or a scalar as a one-item list (`dns: 8.8.8.8`).
fn as_items(node: Node) -> Vec<Node> {
    match node.value {
        Value::Sequence(items) => items,
        Value::Null => Vec::new(),
        _ => vec![node],
    }
}

/// `KEY=VAL` list items (also `host:ip` when `colon`) as mapping entries, each part
/// keeping where it was written; a mapping as is. `None` for anything else.
pub(crate) fn to_key_value_mapping(node: &Node, colon: bool) -> Option<Node> {
    match &node.value {
        Value::Mapping(_) => Some(node.clone()),
        Value::Sequence(items) => {
            let mut entries = Vec::with_capacity(items.len());
            for item in items {
                let text = item.scalar_text()?;
                let split = text
                    .find('=')
                    .map(|i| (i, 1))
                    .or_else(|| text.find(':').filter(|_| colon).map(|i| (i, 1)));
                let (key, value) = match split {
                    Some((at, len)) => {
                        let key = part(item, 0..at);
                        let value = part(item, at + len..text.len());
                        (key, value)
                    }
                    None => {
                        let key = part(item, 0..text.len());
                        let end = TextRange::empty(key.range.end as usize);
                        (key, null_with(end, item.file))
                    }
                };
                entries.push((key, value));
            }
            Some(collection(Value::Mapping(entries), node.range, node.file))
        }
        _ => None,
    }
}

/// The part `range` of a scalar list item, as a string node. Its range is exact when the
/// item is written as its value (plain or quoted without escapes), else the whole item.
fn part(item: &Node, range: std::ops::Range<usize>) -> Node {
    let text = item.scalar_text().unwrap_or("");
    let value = text.get(range.clone()).unwrap_or("").to_string();
    let quoted = matches!(
        item.style,
        Some(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted)
    );
    let offset = usize::from(quoted);
    let written_len = item.range.len();
    let exact = matches!(
        item.style,
        Some(ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted)
    ) && written_len == text.len() + 2 * offset
        && item.anchor_of.is_none();
    let node_range = if exact {
        let start = item.range.start as usize + offset;
        TextRange::new(start + range.start, start + range.end)
    } else {
        item.range
    };
    let style = if item.style == Some(ScalarStyle::Plain) || quoted {
        item.style
    } else {
        Some(ScalarStyle::DoubleQuoted)
    };
    Node {
        value: Value::String(value),
        range: node_range,
        file: item.file,
        tag: None,
        anchor_of: item.anchor_of,
        style,
        raw: None,
    }
}

/// `build: ctx` as `{context: ctx}`.
fn build_mapping(node: Node) -> Node {
    if node.as_mapping().is_some() {
        return node;
    }
    let key = string_at(
        "context",
        TextRange::empty(node.range.start as usize),
        node.file,
    );
    let (range, file) = (node.range, node.file);
    collection(Value::Mapping(vec![(key, node)]), range, file)
}

/// `depends_on: [db]` as `{db: {condition: service_started, required: true}}` (the nodes
/// Compose adds have an empty range at the name they complete).
fn depends_on_mapping(node: Node) -> Result<Node, Node> {
    match &node.value {
        Value::Mapping(_) => Ok(node),
        Value::Sequence(items) => {
            let mut entries = Vec::new();
            for item in items {
                if item.scalar_text().is_none() {
                    return Err(node);
                }
                let at = TextRange::empty(item.range.start as usize);
                let mut required = null_with(at, item.file);
                required.value = Value::Bool(true);
                required.raw = Some("true".into());
                required.style = Some(ScalarStyle::Plain);
                let value = collection(
                    Value::Mapping(vec![
                        (
                            string_at("condition", at, item.file),
                            string_at("service_started", at, item.file),
                        ),
                        (string_at("required", at, item.file), required),
                    ]),
                    at,
                    item.file,
                );
                entries.push((item.clone(), value));
            }
            Ok(collection(Value::Mapping(entries), node.range, node.file))
        }
        _ => Err(node),
    }
}

/// `networks: [front]` as `{front: null}`.
fn name_mapping(node: Node) -> Result<Node, Node> {
    match &node.value {
        Value::Mapping(_) => Ok(node),
        Value::Sequence(items) => {
            let mut entries = Vec::new();
            for item in items {
                if item.scalar_text().is_none() {
                    return Err(node);
                }
                let at = TextRange::empty(item.range.end as usize);
                entries.push((item.clone(), null_with(at, item.file)));
            }
            Ok(collection(Value::Mapping(entries), node.range, node.file))
        }
        _ => Err(node),
    }
}

/// `node` without the entries tagged `!reset` (they only remove inherited values).
pub(crate) fn without_resets(mut node: Node) -> Node {
    strip_resets(&mut node);
    node
}

fn strip_resets(node: &mut Node) {
    match &mut node.value {
        Value::Mapping(entries) => {
            entries.retain(|(_, v)| tag(v) != Some("!reset"));
            for (_, v) in entries {
                strip_resets(v);
            }
        }
        Value::Sequence(items) => {
            items.retain(|v| tag(v) != Some("!reset"));
            for v in items {
                strip_resets(v);
            }
        }
        _ => {}
    }
}

fn collection(value: Value, range: TextRange, file: u32) -> Node {
    Node {
        value,
        range,
        file,
        tag: None,
        anchor_of: None,
        style: None,
        raw: None,
    }
}

fn null_with(range: TextRange, file: u32) -> Node {
    collection(Value::Null, range, file)
}

fn null_at(node: &Node) -> Node {
    null_with(node.range, node.file)
}

fn string_at(text: &str, range: TextRange, file: u32) -> Node {
    Node {
        value: Value::String(text.to_string()),
        range,
        file,
        tag: None,
        anchor_of: None,
        style: Some(ScalarStyle::Plain),
        raw: None,
    }
}

/// Whether two nodes hold the same value (positions, tags and styles ignored).
pub(crate) fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Sequence(x), Value::Sequence(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b))
        }
        (Value::Mapping(x), Value::Mapping(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .find(|(k2, _)| same_value(k, k2))
                        .is_some_and(|(_, v2)| same_value(v, v2))
                })
        }
        (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        (x, y) => x == y,
    }
}
