//! Differential test: our description of the Compose specification against the official JSON
//! schema (`shared/compose-spec.json`, run by the `jsonschema` crate), on every Compose file of
//! the corpus and on many deterministic mutations of each.
//!
//! `validate_as_json_schema` must agree exactly with the JSON schema. `validate` may only be
//! stricter, and only by value formats the JSON schema does not check but `docker compose`
//! does (durations, sizes, ports, policies): those cases are counted and shown, never silent.

use std::path::{Path, PathBuf};

use dockside_compose::interpolate::interpolate;
use dockside_compose::schema::{validate, validate_as_json_schema};
use dockside_compose::yaml::{self, Node, ScalarStyle, Value};
use serde_json::{Map as JsonMap, Number, Value as Json};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn compose_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            compose_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            out.push(path);
        }
    }
}

/// Interpolates string scalars with an empty environment (defaults apply), as `docker
/// compose` does before validating. Keys are not interpolated.
fn interpolate_tree(node: &mut Node) {
    match &mut node.value {
        Value::String(text) if text.contains('$') => {
            *text = interpolate(text, &|_| None).value;
        }
        Value::Sequence(items) => items.iter_mut().for_each(interpolate_tree),
        Value::Mapping(entries) => entries.iter_mut().for_each(|(_, v)| interpolate_tree(v)),
        _ => {}
    }
}

fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::Number((*i).into()),
        Value::Float(f) => {
            Number::from_f64(*f).map_or_else(|| Json::String(f.to_string()), Json::Number)
        }
        Value::String(s) => Json::String(s.clone()),
        Value::Sequence(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Mapping(entries) => {
            let mut map = JsonMap::new();
            for (k, v) in entries {
                map.insert(k.scalar_text().unwrap_or("").to_string(), to_json(v));
            }
            Json::Object(map)
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Step {
    Entry(usize),
    Item(usize),
}

/// Every node's path, in document order.
fn paths(node: &Node, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(prefix.clone());
    match &node.value {
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                prefix.push(Step::Item(i));
                paths(item, prefix, out);
                prefix.pop();
            }
        }
        Value::Mapping(entries) => {
            for (i, (_, value)) in entries.iter().enumerate() {
                prefix.push(Step::Entry(i));
                paths(value, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn node_at<'a>(root: &'a mut Node, path: &[Step]) -> Option<&'a mut Node> {
    let mut node = root;
    for step in path {
        node = match (step, &mut node.value) {
            (Step::Item(i), Value::Sequence(items)) => items.get_mut(*i)?,
            (Step::Entry(i), Value::Mapping(entries)) => &mut entries.get_mut(*i)?.1,
            _ => return None,
        };
    }
    Some(node)
}

fn pointer(root: &Node, path: &[Step]) -> String {
    let mut out = String::new();
    let mut node = root;
    for step in path {
        match (step, &node.value) {
            (Step::Item(i), Value::Sequence(items)) => {
                out.push_str(&format!("/{i}"));
                node = &items[*i];
            }
            (Step::Entry(i), Value::Mapping(entries)) => {
                out.push('/');
                out.push_str(entries[*i].0.scalar_text().unwrap_or("?"));
                node = &entries[*i].1;
            }
            _ => break,
        }
    }
    if out.is_empty() { "/".to_string() } else { out }
}

fn scalar(like: &Node, value: Value) -> Node {
    let raw = match &value {
        Value::Null => Some("null".to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        _ => None,
    };
    Node {
        value,
        range: like.range,
        file: like.file,
        tag: None,
        anchor_of: None,
        style: Some(ScalarStyle::Plain),
        raw,
    }
}

fn typo(name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    if chars.len() >= 3 {
        chars.swap(1, 2);
        let swapped: String = chars.iter().collect();
        if swapped != name {
            return swapped;
        }
    }
    format!("{name}e")
}

const MUTATIONS: usize = 14;

/// Applies mutation `kind` at `path`; `false` when it does not apply there.
fn mutate(root: &mut Node, path: &[Step], kind: usize) -> bool {
    let Some(node) = node_at(root, path) else {
        return false;
    };
    let like = node.clone();
    match kind {
        // Rename a key to a typo.
        0 => match &mut node.value {
            Value::Mapping(entries) if !entries.is_empty() => {
                let key = &mut entries[0].0;
                let Some(name) = key.scalar_text().map(typo) else {
                    return false;
                };
                if entries.iter().any(|(k, _)| k.scalar_text() == Some(&name)) {
                    return false;
                }
                let key = &mut entries[0].0;
                *key = scalar(key, Value::String(name));
                true
            }
            _ => false,
        },
        // Change a scalar's type.
        1 => {
            let value = match &node.value {
                Value::String(_) => Value::Int(42),
                Value::Int(_) | Value::Float(_) => Value::String("forty-two".into()),
                Value::Bool(_) => Value::Int(1),
                Value::Null => Value::Bool(true),
                _ => return false,
            };
            *node = scalar(&like, value);
            true
        }
        // A string where a mapping or list is expected.
        2 => {
            if node.as_mapping().is_none() && node.as_sequence().is_none() {
                return false;
            }
            *node = scalar(&like, Value::String("value".into()));
            true
        }
        // Drop a key.
        3 => match &mut node.value {
            Value::Mapping(entries) if !entries.is_empty() => {
                entries.remove(entries.len() - 1);
                true
            }
            _ => false,
        },
        // An invalid enum value.
        4 => {
            if node.as_str().is_none() {
                return false;
            }
            *node = scalar(&like, Value::String("bogus_value".into()));
            true
        }
        // Add an `x-` key.
        5 => match &mut node.value {
            Value::Mapping(entries) => {
                let key = scalar(&like, Value::String("x-added".into()));
                let value = scalar(&like, Value::Int(1));
                entries.push((key, value));
                true
            }
            _ => false,
        },
        // Wrap a scalar in a list.
        6 => {
            if node.as_mapping().is_some() || node.as_sequence().is_some() {
                return false;
            }
            node.value = Value::Sequence(vec![like]);
            node.style = None;
            node.raw = None;
            true
        }
        // Duplicate the first list entry.
        7 => match &mut node.value {
            Value::Sequence(items) if !items.is_empty() => {
                let first = items[0].clone();
                items.push(first);
                true
            }
            _ => false,
        },
        // Null.
        8 => {
            *node = scalar(&like, Value::Null);
            true
        }
        // A fractional and an out-of-range number.
        9 => {
            if !matches!(node.value, Value::Int(_)) {
                return false;
            }
            *node = scalar(&like, Value::Float(1.5));
            true
        }
        10 => {
            if !matches!(node.value, Value::Int(_) | Value::String(_)) {
                return false;
            }
            *node = scalar(&like, Value::Int(-5000));
            true
        }
        // An unknown key that is not a typo, and a key that is not a valid name.
        11 => match &mut node.value {
            Value::Mapping(entries) => {
                let key = scalar(&like, Value::String("completely_unknown".into()));
                let value = scalar(&like, Value::String("v".into()));
                entries.push((key, value));
                true
            }
            _ => false,
        },
        12 => match &mut node.value {
            Value::Mapping(entries) if !entries.is_empty() => {
                let key = &mut entries[0].0;
                *key = scalar(key, Value::String("bad name!".into()));
                true
            }
            _ => false,
        },
        // A mapping where a scalar is expected.
        _ => {
            if node.as_mapping().is_some() {
                return false;
            }
            let key = scalar(&like, Value::String("key".into()));
            node.value = Value::Mapping(vec![(key, like)]);
            node.style = None;
            node.raw = None;
            true
        }
    }
}

struct Tally {
    checked: usize,
    structural: Vec<String>,
    stricter: Vec<String>,
    valid: usize,
}

impl Tally {
    fn compare(&mut self, schema: &jsonschema::Validator, root: &Node, what: &str) {
        self.checked += 1;
        let json = to_json(root);
        let expected = schema.is_valid(&json);
        let structural = validate_as_json_schema(root);
        if structural.is_empty() != expected {
            let detail = if expected {
                format!(
                    "dockside: {:?}",
                    structural.iter().map(|e| &e.message).collect::<Vec<_>>()
                )
            } else {
                let errors: Vec<String> = schema
                    .iter_errors(&json)
                    .take(3)
                    .map(|e| format!("{} at {}", e, e.instance_path()))
                    .collect();
                format!("JSON schema: {errors:?}")
            };
            self.structural.push(format!("{what}: {detail}"));
            return;
        }
        if expected {
            self.valid += 1;
            let strict = validate(root);
            if !strict.is_empty() {
                self.stricter.push(format!(
                    "{what}: {:?}",
                    strict.iter().map(|e| &e.message).collect::<Vec<_>>()
                ));
            }
        }
    }
}

#[test]
fn agrees_with_the_official_json_schema() {
    let shared = shared();
    let corpus = shared.join("corpus/compose");
    let Ok(schema_text) = std::fs::read_to_string(shared.join("compose-spec.json")) else {
        eprintln!(
            "skipped: {} not found",
            shared.join("compose-spec.json").display()
        );
        return;
    };
    let mut files = Vec::new();
    compose_files(&corpus, &mut files);
    if files.is_empty() {
        eprintln!("skipped: no Compose files under {}", corpus.display());
        return;
    }
    let schema_json: Json = serde_json::from_str(&schema_text).expect("compose-spec.json parses");
    let schema = jsonschema::validator_for(&schema_json).expect("compose-spec.json compiles");

    let mut originals = Tally {
        checked: 0,
        structural: Vec::new(),
        stricter: Vec::new(),
        valid: 0,
    };
    let mut mutants = Tally {
        checked: 0,
        structural: Vec::new(),
        stricter: Vec::new(),
        valid: 0,
    };
    let mut skipped = 0;
    for path in &files {
        let name = path
            .strip_prefix(&corpus)
            .unwrap_or(path)
            .display()
            .to_string();
        let Ok(text) = std::fs::read_to_string(path) else {
            skipped += 1;
            continue;
        };
        let loaded = yaml::load(&text);
        let Some(mut root) = loaded.documents.into_iter().next() else {
            skipped += 1;
            continue;
        };
        if !loaded.errors.is_empty() {
            skipped += 1;
            continue;
        }
        interpolate_tree(&mut root);
        originals.compare(&schema, &root, &name);

        let mut all = Vec::new();
        paths(&root, &mut Vec::new(), &mut all);
        // Every node gets a few mutations, rotating through the kinds; big files are sampled.
        let stride = (all.len() / 60).max(1);
        for (n, path) in all.iter().enumerate().step_by(stride) {
            for offset in 0..3 {
                let kind = (n + offset * 5) % MUTATIONS;
                let mut mutant = root.clone();
                if mutate(&mut mutant, path, kind) {
                    let what = format!("{name} mutation {kind} at {}", pointer(&root, path));
                    mutants.compare(&schema, &mutant, &what);
                }
            }
        }
    }

    eprintln!(
        "files: {} ({} skipped: unreadable or invalid YAML), valid per JSON schema: {}",
        originals.checked, skipped, originals.valid
    );
    eprintln!(
        "mutations: {}, valid per JSON schema: {}",
        mutants.checked, mutants.valid
    );
    let disagreements = originals.structural.len() + mutants.structural.len();
    let agreed = originals.checked + mutants.checked - disagreements;
    eprintln!(
        "agreement with the JSON schema: {agreed}/{}",
        originals.checked + mutants.checked
    );
    eprintln!(
        "stricter than the JSON schema by value formats (durations, sizes, ports, policies): {} files, {} mutations",
        originals.stricter.len(),
        mutants.stricter.len()
    );
    for line in originals
        .stricter
        .iter()
        .chain(mutants.stricter.iter().take(20))
    {
        eprintln!("  stricter: {line}");
    }
    for line in originals
        .structural
        .iter()
        .chain(mutants.structural.iter())
        .take(40)
    {
        eprintln!("  DISAGREE {line}");
    }
    assert_eq!(disagreements, 0, "dockside and the JSON schema disagree");
}
