//! Checks `docker compose` makes on a loaded project once each file matches the schema.

use crate::project::{Project, Service};
use crate::yaml::{Node, Value};

use super::SchemaError;
use super::validate::closest;

pub(crate) fn run(project: &Project) -> Vec<SchemaError> {
    let mut errors = Vec::new();
    for service in project.services() {
        if service.node.as_mapping().is_none() {
            continue;
        }
        check_service(&service, &mut errors);
    }
    for (section, what) in [
        ("volumes", "volume"),
        ("networks", "network"),
        ("secrets", "secret"),
        ("configs", "config"),
    ] {
        for (key, node) in project.section(section).unwrap_or_default() {
            let Some(name) = key.scalar_text() else {
                continue;
            };
            if node.as_mapping().is_none() {
                continue;
            }
            let external = check_external(node, what, &mut errors);
            if external {
                continue;
            }
            match section {
                "secrets" => {
                    check_sources(key, node, name, what, &["file", "environment"], &mut errors)
                }
                "configs" => check_sources(
                    key,
                    node,
                    name,
                    what,
                    &["file", "environment", "content"],
                    &mut errors,
                ),
                _ => {}
            }
        }
    }
    errors
}

fn push(errors: &mut Vec<SchemaError>, node: &Node, message: String) {
    errors.push(SchemaError {
        file: node.file,
        range: node.range,
        message,
        suggestion: None,
    });
}

/// The key node of `key` in a mapping.
fn key_of<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.as_mapping()?
        .iter()
        .find(|(k, _)| k.scalar_text() == Some(key))
        .map(|(k, _)| k)
}

fn is_true(node: &Node) -> bool {
    match &node.value {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn check_service(service: &Service, errors: &mut Vec<SchemaError>) {
    let name = service.name;
    // `extends` is resolved by the loader; one left in the model could not be, and its own
    // rule says so.
    if service.get("image").is_none()
        && service.get("build").is_none()
        && service.get("provider").is_none()
        && service.get("extends").is_none()
        && !has_misspelled(service, &["image", "build"])
    {
        push(
            errors,
            service.key,
            format!("service `{name}` has neither `image` nor `build`: Compose has nothing to run"),
        );
    }
    if service.get("network_mode").is_some()
        && service
            .get("networks")
            .is_some_and(|n| !n.is_null() && n.as_sequence().is_none_or(|s| !s.is_empty()))
        && let Some(key) = key_of(service.node, "network_mode")
    {
        push(
            errors,
            key,
            format!(
                "service `{name}` sets both `network_mode` and `networks`: use one or the other"
            ),
        );
    }
    if let Some(build) = service.get("build")
        && build.get("dockerfile").is_some()
        && let Some(key) = key_of(build, "dockerfile_inline")
    {
        push(
            errors,
            key,
            "`dockerfile` and `dockerfile_inline` cannot both be set".to_string(),
        );
    }
    if let (Some(scale), Some(replicas)) = (
        service.get("scale"),
        service.get("deploy").and_then(|d| d.get("replicas")),
    ) && let (Some(a), Some(b)) = (scale.scalar_text(), replicas.scalar_text())
        && a != b
        && let Some(key) = key_of(service.node, "scale")
    {
        push(
            errors,
            key,
            format!("`scale: {a}` contradicts `deploy.replicas: {b}`: set only one"),
        );
    }
    check_healthcheck(service, errors);
    check_watch(service, errors);
}

fn check_healthcheck(service: &Service, errors: &mut Vec<SchemaError>) {
    let Some(test) = service
        .get("healthcheck")
        .and_then(|h| h.get("test"))
        .and_then(Node::as_sequence)
    else {
        return;
    };
    match test.first() {
        None => {}
        Some(first) => match first.as_str() {
            Some("NONE" | "CMD" | "CMD-SHELL") => {}
            Some(other) => push(
                errors,
                first,
                format!(
                    "a `test` list starts with `CMD`, `CMD-SHELL` or `NONE`, not `{other}`: write `[\"CMD\", \"{other}\", …]` or `[\"CMD-SHELL\", \"<command line>\"]`"
                ),
            ),
            None => {}
        },
    }
}

fn check_watch(service: &Service, errors: &mut Vec<SchemaError>) {
    let Some(rules) = service
        .get("develop")
        .and_then(|d| d.get("watch"))
        .and_then(Node::as_sequence)
    else {
        return;
    };
    for rule in rules {
        if let Some(path) = rule.get("path")
            && path.as_str() == Some("")
        {
            push(errors, path, "the watched `path` is empty".to_string());
        }
        if let Some(action) = rule.get("action")
            && let Some(text) = action.as_str()
            && text.starts_with("sync")
            && rule.get("target").is_none_or(|t| t.as_str() == Some(""))
        {
            push(
                errors,
                action,
                format!("`action: {text}` needs a `target`: where the files go in the container"),
            );
        }
    }
}

/// Reports attributes next to `external: true`; returns whether the resource is external.
fn check_external(node: &Node, what: &str, errors: &mut Vec<SchemaError>) -> bool {
    let Some(external) = node.get("external") else {
        return false;
    };
    // The old form `external: {name: …}` is external too.
    let is_external = is_true(external) || external.as_mapping().is_some();
    if !is_external {
        return false;
    }
    for (key, _) in node.as_mapping().unwrap_or_default() {
        let Some(name) = key.scalar_text() else {
            continue;
        };
        if matches!(name, "name" | "external") || name.starts_with("x-") {
            continue;
        }
        push(
            errors,
            key,
            format!(
                "`{name}` cannot be set on an external {what}: Compose does not create it (only `name` may be set)"
            ),
        );
    }
    true
}

/// Secrets and configs take their content from exactly one source.
fn check_sources(
    key: &Node,
    node: &Node,
    name: &str,
    what: &str,
    sources: &[&str],
    errors: &mut Vec<SchemaError>,
) {
    let set: Vec<&Node> = sources.iter().filter_map(|s| key_of(node, s)).collect();
    let listed = sources
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(" or ");
    match set.as_slice() {
        [] if node.get("driver").is_none() => push(
            errors,
            key,
            format!("{what} `{name}` needs a source: set {listed}"),
        ),
        [_, extra, ..] => push(
            errors,
            extra,
            format!("{what} `{name}` sets more than one source: use only one of {listed}"),
        ),
        _ => {}
    }
}

/// Whether the service has a key that looks like a misspelling of one of `keys` (the schema
/// reports it with a suggestion; saying the key is missing would be noise).
fn has_misspelled(service: &Service, keys: &[&str]) -> bool {
    service.node.as_mapping().is_some_and(|entries| {
        entries.iter().any(|(key, _)| {
            key.scalar_text().is_some_and(|name| {
                !keys.contains(&name) && closest(name, keys.iter().copied()).is_some()
            })
        })
    })
}
