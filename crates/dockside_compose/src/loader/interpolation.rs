//! Interpolation of a document's values, compose-go's typed casting, YAML 1.1 traps, and
//! the explanation added to unset variables that a service's `env_file` defines.

use std::collections::HashSet;
use std::ops::Range;

use dockside_syntax::TextRange;

use super::{Environment, Loader, resolve_path};
use crate::dotenv;
use crate::interpolate::{self, IssueKind};
use crate::project::{LoadIssue, LoadIssueKind, LoadOptions, Project, read_source};
use crate::yaml::{self, Node, ScalarStyle, TrapKind, Value};

/// Interpolates every string value of `document` (mapping keys stay as written, like
/// compose-go), then casts the values compose-go casts (`deploy.replicas: ${N}` → int).
pub(super) fn interpolate_document(loader: &mut Loader, document: &mut Node, env: &Environment) {
    let mut path = Vec::new();
    interpolate_node(loader, document, env, &mut path);
}

fn interpolate_node(
    loader: &mut Loader,
    node: &mut Node,
    env: &Environment,
    path: &mut Vec<String>,
) {
    match &mut node.value {
        Value::Sequence(items) => {
            for item in items {
                path.push("[]".into());
                interpolate_node(loader, item, env, path);
                path.pop();
            }
        }
        Value::Mapping(entries) => {
            for (key, value) in entries {
                path.push(key.scalar_text().unwrap_or("").to_string());
                interpolate_node(loader, value, env, path);
                path.pop();
            }
        }
        Value::String(text) if text.contains('$') => {
            let text = text.clone();
            let lookup = |name: &str| env.get(name);
            let result = interpolate::interpolate(&text, &lookup);
            for issue in result.issues {
                let range = range_in_file(loader.file_text(node.file), node, &text, &issue.range);
                match issue.kind {
                    IssueKind::Unset => {
                        let reference = text.get(issue.range.clone()).unwrap_or("");
                        let message = format!(
                            "variable `{}` is not set: `{reference}` becomes an empty string (dockside looked in {})",
                            issue.name,
                            env.looked_in()
                        );
                        loader
                            .unset_variables
                            .push((loader.issues.len(), issue.name.clone()));
                        loader.issue(LoadIssueKind::UnsetVariable, node.file, range, message);
                    }
                    IssueKind::Required | IssueKind::Invalid => {
                        loader.issue(
                            LoadIssueKind::InvalidInterpolation,
                            node.file,
                            range,
                            issue.message,
                        );
                    }
                }
            }
            node.value = Value::String(result.value);
            cast(node, path);
        }
        _ => {}
    }
}

/// Where `inner` (a range of the scalar's value) is in the file: exact when the scalar is
/// written as its value (plain on one line, quoted without escapes), else the whole scalar.
fn range_in_file(text: &str, node: &Node, value: &str, inner: &Range<usize>) -> TextRange {
    let written = text.get(node.range.as_range()).unwrap_or("");
    let content_start = match node.style {
        Some(ScalarStyle::Plain) => 0,
        Some(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) if written.len() >= 2 => 1,
        _ => return node.range,
    };
    let content = written
        .get(content_start..written.len() - content_start)
        .unwrap_or("");
    if content != value {
        return node.range;
    }
    let start = node.range.start as usize + content_start;
    TextRange::new(start + inner.start, start + inner.end)
}

/// What compose-go casts a value to after interpolation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cast {
    Int,
    Float,
    Bool,
}

/// compose-go's list of typed values (`interpolateTypeCastMapping`), as paths from the root.
const CASTS: &[(&str, Cast)] = &[
    ("services.*.configs.[].mode", Cast::Int),
    ("services.*.cpu_count", Cast::Int),
    ("services.*.cpu_percent", Cast::Float),
    ("services.*.cpu_period", Cast::Int),
    ("services.*.cpu_quota", Cast::Int),
    ("services.*.cpu_rt_period", Cast::Int),
    ("services.*.cpu_rt_runtime", Cast::Int),
    ("services.*.cpus", Cast::Float),
    ("services.*.cpu_shares", Cast::Int),
    ("services.*.init", Cast::Bool),
    ("services.*.deploy.replicas", Cast::Int),
    ("services.*.deploy.update_config.parallelism", Cast::Int),
    (
        "services.*.deploy.update_config.max_failure_ratio",
        Cast::Float,
    ),
    ("services.*.deploy.rollback_config.parallelism", Cast::Int),
    (
        "services.*.deploy.rollback_config.max_failure_ratio",
        Cast::Float,
    ),
    ("services.*.deploy.restart_policy.max_attempts", Cast::Int),
    (
        "services.*.deploy.placement.max_replicas_per_node",
        Cast::Int,
    ),
    ("services.*.healthcheck.retries", Cast::Int),
    ("services.*.healthcheck.disable", Cast::Bool),
    ("services.*.oom_kill_disable", Cast::Bool),
    ("services.*.oom_score_adj", Cast::Int),
    ("services.*.pids_limit", Cast::Int),
    ("services.*.ports.[].target", Cast::Int),
    ("services.*.privileged", Cast::Bool),
    ("services.*.read_only", Cast::Bool),
    ("services.*.scale", Cast::Int),
    ("services.*.secrets.[].mode", Cast::Int),
    ("services.*.stdin_open", Cast::Bool),
    ("services.*.tty", Cast::Bool),
    ("services.*.ulimits.*", Cast::Int),
    ("services.*.ulimits.*.hard", Cast::Int),
    ("services.*.ulimits.*.soft", Cast::Int),
    ("services.*.volumes.[].read_only", Cast::Bool),
    ("services.*.volumes.[].volume.nocopy", Cast::Bool),
    ("networks.*.external", Cast::Bool),
    ("networks.*.internal", Cast::Bool),
    ("networks.*.attachable", Cast::Bool),
    ("networks.*.enable_ipv4", Cast::Bool),
    ("networks.*.enable_ipv6", Cast::Bool),
    ("volumes.*.external", Cast::Bool),
    ("secrets.*.external", Cast::Bool),
    ("configs.*.external", Cast::Bool),
];

pub(super) fn path_matches(path: &[String], pattern: &str) -> bool {
    let mut parts = pattern.split('.');
    for segment in path {
        match parts.next() {
            Some("*") => {}
            Some(part) if part == segment => {}
            _ => return false,
        }
    }
    parts.next().is_none()
}

/// Gives an interpolated value the type compose-go gives it; values that do not parse stay
/// strings (the schema reports them).
fn cast(node: &mut Node, path: &[String]) {
    let Some(&(_, cast)) = CASTS.iter().find(|(p, _)| path_matches(path, p)) else {
        return;
    };
    let Value::String(text) = &node.value else {
        return;
    };
    let text = text.trim();
    let value = match cast {
        Cast::Bool => match text.to_ascii_lowercase().as_str() {
            "y" | "yes" | "true" | "on" => Value::Bool(true),
            "n" | "no" | "false" | "off" => Value::Bool(false),
            _ => return,
        },
        Cast::Int => match yaml::resolve_plain_scalar(text) {
            Value::Int(i) => Value::Int(i),
            _ => return,
        },
        Cast::Float => match yaml::resolve_plain_scalar(text) {
            Value::Int(i) => Value::Int(i),
            Value::Float(f) => Value::Float(f),
            _ => return,
        },
    };
    node.raw = Some(text.to_string());
    node.value = value;
}

/// Service keys whose values reach the container or the build as strings.
const STRING_MAPS: &[&str] = &[
    "environment",
    "labels",
    "annotations",
    "sysctls",
    "extra_hosts",
];

/// Reports `yes`/`no`/`on`/`off` and octal-looking numbers where Compose expects a string
/// (environment, labels, build args, driver and logging options), and octal-looking file
/// modes. Ports (`22:22`) are left to the `unquoted-port` rule.
pub(super) fn report_traps(loader: &mut Loader, document: &Node) {
    let mut found: Vec<(&Node, bool)> = Vec::new();
    for (_, service) in document
        .get("services")
        .and_then(Node::as_mapping)
        .unwrap_or_default()
    {
        for key in STRING_MAPS {
            string_map(service.get(key), &mut found);
        }
        if let Some(build) = service.get("build") {
            string_map(build.get("args"), &mut found);
            string_map(build.get("labels"), &mut found);
        }
        string_map(
            service.get("deploy").and_then(|d| d.get("labels")),
            &mut found,
        );
        string_map(
            service.get("logging").and_then(|l| l.get("options")),
            &mut found,
        );
        for key in ["secrets", "configs"] {
            for item in service
                .get(key)
                .and_then(Node::as_sequence)
                .unwrap_or_default()
            {
                if let Some(mode) = item.get("mode") {
                    found.push((mode, false));
                }
            }
        }
    }
    for section in ["networks", "volumes", "secrets", "configs"] {
        for (_, resource) in document
            .get(section)
            .and_then(Node::as_mapping)
            .unwrap_or_default()
        {
            string_map(resource.get("labels"), &mut found);
            string_map(resource.get("driver_opts"), &mut found);
        }
    }
    for (node, string_expected) in found {
        for trap in yaml::traps(node) {
            let message = match trap.kind {
                TrapKind::Sexagesimal => continue,
                TrapKind::Boolean if !string_expected => continue,
                TrapKind::Boolean => trap.message,
                TrapKind::Octal => match (&node.value, string_expected) {
                    (Value::Int(value), true) => format!(
                        "`{written}` is the octal number {value} for docker compose and YAML 1.1 parsers: the value becomes `{value}`; quote it (\"{written}\") to keep it as written",
                        written = node.scalar_text().unwrap_or("")
                    ),
                    (_, true) => continue,
                    (_, false) => trap.message,
                },
            };
            loader.issue(LoadIssueKind::YamlTrap, node.file, trap.range, message);
        }
    }
}

/// The values of a mapping where strings are expected.
fn string_map<'a>(map: Option<&'a Node>, out: &mut Vec<(&'a Node, bool)>) {
    for (_, value) in map.and_then(Node::as_mapping).unwrap_or_default() {
        out.push((value, true));
    }
}

/// Adds to each unset-variable issue whose variable a service sets through `env_file` or
/// `environment` that those feed the container, not interpolation.
pub(super) fn explain_unset_variables(
    options: &LoadOptions,
    project: &Project,
    issues: &mut [LoadIssue],
    unset: &[(usize, String)],
) {
    if unset.is_empty() {
        return;
    }
    let mut in_environment: HashSet<String> = HashSet::new();
    let mut in_env_files: HashSet<String> = HashSet::new();
    let mut read = HashSet::new();
    for service in project.services() {
        match service.get("environment").map(|n| &n.value) {
            Some(Value::Mapping(entries)) => {
                in_environment.extend(
                    entries
                        .iter()
                        .filter_map(|(k, _)| k.scalar_text().map(str::to_string)),
                );
            }
            Some(Value::Sequence(items)) => {
                in_environment.extend(items.iter().filter_map(|item| {
                    let text = item.scalar_text()?;
                    Some(text.split_once('=').map_or(text, |(k, _)| k).to_string())
                }));
            }
            _ => {}
        }
        let Some(env_file) = service.get("env_file") else {
            continue;
        };
        let entries: Vec<&Node> = match &env_file.value {
            Value::Sequence(items) => items
                .iter()
                .map(|item| item.get("path").unwrap_or(item))
                .collect(),
            _ => vec![env_file],
        };
        for entry in entries {
            let Some(written) = entry.as_str() else {
                continue;
            };
            let path = resolve_path(&project.base_dir_of(entry), written);
            if !read.insert(path.clone()) || read.len() > super::MAX_FILES {
                continue;
            }
            let Some(Ok(bytes)) = read_source(options, &path) else {
                continue;
            };
            let Ok(text) = dockside_syntax::text::decode(&bytes, "an env file") else {
                continue;
            };
            let parsed = dotenv::parse(&text);
            in_env_files.extend(parsed.entries.into_iter().map(|e| e.key));
        }
    }
    for (index, name) in unset {
        let Some(issue) = issues.get_mut(*index) else {
            continue;
        };
        if in_env_files.contains(name) {
            issue.message.push_str(
                "; `env_file` sets variables inside the container; it does not feed interpolation of the Compose file",
            );
        } else if in_environment.contains(name) {
            issue.message.push_str(
                "; `environment` sets variables inside the container; it does not feed interpolation of the Compose file",
            );
        }
    }
}
