//! The Compose specification, described in Rust: validation of a Compose file's tree
//! ([`validate`]), the checks `docker compose` runs after the schema ([`consistency`]), and
//! key documentation for editors ([`lookup`], [`keys_at`]).

mod consistency;
mod format;
mod shape;
mod spec;
mod validate;

use dockside_syntax::TextRange;

use crate::project::Project;
use crate::yaml::Node;
use shape::{Format, Map, Shape};

/// A place where a Compose file does not follow the specification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// The file the node was written in ([`Node::file`]).
    pub file: u32,
    pub range: TextRange,
    pub message: String,
    /// The closest known key or value, for an unknown one.
    pub suggestion: Option<String>,
}

/// What the specification says about one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyInfo {
    pub name: &'static str,
    /// Markdown: what the key does, 1-3 sentences, with an example when useful.
    pub doc: &'static str,
    /// The kind of value: "string", "list or mapping", "duration"…
    pub kind: &'static str,
    /// The allowed values when the key takes one of a fixed set; empty otherwise.
    pub values: &'static [&'static str],
    pub deprecated: bool,
}

/// Every place `root` (one Compose file, after interpolation) does not follow the
/// specification, each at the most precise node: an unknown key at the key, a wrong value at
/// the value, a missing key at the key of the mapping that lacks it.
///
/// Beyond the JSON schema, values are checked the way `docker compose` and the engine read
/// them: durations, sizes, short port syntax, restart and pull policies, deploy modes.
pub fn validate(root: &Node) -> Vec<SchemaError> {
    validate::run(root, true)
}

/// Exactly what the official JSON schema checks (no value formats): [`validate`] minus the
/// checks `docker compose` makes on top of it.
pub fn validate_as_json_schema(root: &Node) -> Vec<SchemaError> {
    validate::run(root, false)
}

/// The checks `docker compose` runs on a loaded project after the schema: a service with
/// neither `image` nor `build`, `network_mode` with `networks`, external resources with
/// other attributes, secrets and configs without a source… (References to undefined
/// resources are left to the rules that report them.)
pub fn consistency(project: &Project) -> Vec<SchemaError> {
    consistency::run(project)
}

/// Key info at a path of mapping keys from the root: `["services", "web", "build", "context"]`.
/// Names under pattern sections (service/volume/network names) are matched by the pattern;
/// a sequence item is addressed with `"-"` (e.g. `["services","web","ports","-","target"]`).
pub fn lookup(path: &[&str]) -> Option<KeyInfo> {
    let mut shape = Shape::Map(&spec::ROOT);
    let mut info = None;
    for segment in path {
        if *segment == "-" {
            shape = list_item(shape)?;
        } else {
            let (next, next_info) = child(shape, segment)?;
            shape = next;
            info = Some(next_info);
        }
    }
    info
}

/// The keys allowed in the mapping at `path` (for completion), in spec order.
pub fn keys_at(path: &[&str]) -> Vec<KeyInfo> {
    let mut shape = Shape::Map(&spec::ROOT);
    for segment in path {
        let next = if *segment == "-" {
            list_item(shape)
        } else {
            child(shape, segment).map(|(next, _)| next)
        };
        match next {
            Some(next) => shape = next,
            None => return Vec::new(),
        }
    }
    maps_of(shape)
        .into_iter()
        .flat_map(|map| map.props.iter())
        .map(|prop| KeyInfo {
            name: prop.name,
            doc: prop.doc,
            kind: kind_of(prop.shape),
            values: values_of(prop.shape),
            deprecated: prop.deprecated,
        })
        .collect()
}

fn maps_of(shape: Shape) -> Vec<&'static Map> {
    match shape {
        Shape::Map(map) => vec![map],
        Shape::OneOf(one_of) => one_of
            .alternatives
            .iter()
            .flat_map(|alternative| maps_of(*alternative))
            .collect(),
        _ => Vec::new(),
    }
}

fn list_item(shape: Shape) -> Option<Shape> {
    match shape {
        Shape::List(list) => Some(list.item),
        Shape::OneOf(one_of) => one_of.alternatives.iter().find_map(|a| list_item(*a)),
        _ => None,
    }
}

fn child(shape: Shape, key: &str) -> Option<(Shape, KeyInfo)> {
    let maps = maps_of(shape);
    if let Some(prop) = maps.iter().find_map(|map| map.prop(key)) {
        return Some((
            prop.shape,
            KeyInfo {
                name: prop.name,
                doc: prop.doc,
                kind: kind_of(prop.shape),
                values: values_of(prop.shape),
                deprecated: prop.deprecated,
            },
        ));
    }
    let pattern = maps
        .iter()
        .flat_map(|map| map.patterns.iter())
        .filter(|pattern| pattern.key.matches(key))
        // A name pattern says more than the catch-all `x-` one.
        .min_by_key(|pattern| pattern.key == shape::KeyPattern::Extension)?;
    Some((
        pattern.shape,
        KeyInfo {
            name: pattern.label,
            doc: pattern.doc,
            kind: kind_of(pattern.shape),
            values: values_of(pattern.shape),
            deprecated: false,
        },
    ))
}

fn kind_of(shape: Shape) -> &'static str {
    match shape {
        Shape::Any => "any",
        Shape::Scalar(scalar) => match scalar.format {
            Format::Duration => "duration",
            Format::ByteSize => "byte size",
            Format::Port | Format::Expose => "port",
            _ if !scalar.values.is_empty() => "string",
            _ => validate::describe_types(scalar.types)
                .trim_start_matches("an ")
                .trim_start_matches("a "),
        },
        Shape::List(list) => match list.item {
            Shape::Scalar(scalar) if scalar.types == shape::STRING => "list of strings",
            Shape::Map(_) => "list of mappings",
            _ => "list",
        },
        Shape::Map(_) => "mapping",
        Shape::OneOf(one_of) => one_of.kind,
    }
}

fn values_of(shape: Shape) -> &'static [&'static str] {
    match shape {
        Shape::Scalar(scalar) if !scalar.values.is_empty() => scalar.values,
        Shape::Scalar(scalar) => match scalar.format {
            Format::OneOf(values) => values,
            Format::Restart => format::RESTART_POLICIES,
            Format::PullPolicy => format::PULL_POLICIES,
            Format::Protocol => format::PROTOCOLS,
            _ => &[],
        },
        Shape::OneOf(one_of) => one_of
            .alternatives
            .iter()
            .map(|a| values_of(*a))
            .find(|values| !values.is_empty())
            .unwrap_or(&[]),
        _ => &[],
    }
}
