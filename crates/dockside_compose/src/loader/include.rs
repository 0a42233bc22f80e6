//! `include`: other Compose projects loaded on their own (their own folder, their own
//! `.env` or `env_file`, the including project's environment winning) whose services,
//! networks, volumes, secrets and configs are added to the including document.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{Loader, MAX_DEPTH, Scope, file_key, folder_of, merge, resolve_path};
use crate::project::{FileRole, LoadIssueKind};
use crate::yaml::{Node, Value};

const RESOURCES: [&str; 5] = ["services", "volumes", "networks", "secrets", "configs"];

/// One `include` entry.
struct Entry<'a> {
    node: &'a Node,
    paths: Vec<&'a Node>,
    project_directory: Option<&'a Node>,
    env_files: Vec<&'a Node>,
}

/// A string, or the strings of a list.
fn strings(node: Option<&Node>) -> Vec<&Node> {
    match node {
        Some(n) if n.as_str().is_some() => vec![n],
        Some(n) => n
            .as_sequence()
            .unwrap_or_default()
            .iter()
            .filter(|item| item.as_str().is_some())
            .collect(),
        None => Vec::new(),
    }
}

fn entries(include: &Node) -> Vec<Entry<'_>> {
    include
        .as_sequence()
        .unwrap_or_default()
        .iter()
        .map(|item| match &item.value {
            Value::String(_) => Entry {
                node: item,
                paths: vec![item],
                project_directory: None,
                env_files: Vec::new(),
            },
            _ => Entry {
                node: item,
                paths: strings(item.get("path")),
                project_directory: item
                    .get("project_directory")
                    .filter(|n| n.as_str().is_some()),
                env_files: strings(item.get("env_file")),
            },
        })
        .collect()
}

/// Loads the projects `document` includes and adds their resources to it.
pub(super) fn apply(loader: &mut Loader, document: &mut Node, scope: &Scope) {
    let Some(include) = document.get("include").cloned() else {
        return;
    };
    // Which include brought each resource in, to tell conflicts apart from repeats.
    let mut imported: HashMap<(&str, String), usize> = HashMap::new();
    for (index, entry) in entries(&include).into_iter().enumerate() {
        let Some(model) = load_entry(loader, &entry, scope) else {
            continue;
        };
        let Value::Mapping(included) = model.value else {
            continue;
        };
        for section in RESOURCES {
            let Some(resources) = included
                .iter()
                .find(|(k, _)| k.scalar_text() == Some(section))
                .and_then(|(_, v)| v.as_mapping())
            else {
                continue;
            };
            for (key, value) in resources {
                let Some(name) = key.scalar_text() else {
                    continue;
                };
                let previous = imported.get(&(section, name.to_string())).copied();
                let Some(target) = section_mut(document, section, &include) else {
                    return;
                };
                let existing = target
                    .iter()
                    .position(|(k, _)| k.scalar_text() == Some(name));
                match (existing, previous) {
                    (None, _) => {
                        target.push((key.clone(), value.clone()));
                        imported.insert((section, name.to_string()), index);
                    }
                    (Some(p), _) if merge::same_value(&target[p].1, value) => {}
                    (Some(_), Some(_)) => loader.issue_at(
                        LoadIssueKind::Include,
                        entry.node,
                        format!(
                            "`{section}.{name}` is defined differently by two included projects; Compose refuses to load the project (`{section}.{name} conflicts with imported resource`)"
                        ),
                    ),
                    (Some(p), None) => {
                        let (local_key, local) = target.remove(p);
                        let merged = merge::extend_service(value.clone(), local, name);
                        target.insert(p, (local_key.clone(), merged));
                        loader.issue_at(
                            LoadIssueKind::Include,
                            &local_key,
                            format!(
                                "`{section}.{name}` is defined here and in an included project: Compose v2 refuses to load the project (`{section}.{name} conflicts with imported resource`); Compose v5 merges the two, this definition winning"
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// The entries of `section` in `document`, created (empty, at the `include` key) when
/// missing.
fn section_mut<'d>(
    document: &'d mut Node,
    section: &str,
    include: &Node,
) -> Option<&'d mut Vec<(Node, Node)>> {
    let Value::Mapping(entries) = &mut document.value else {
        return None;
    };
    let position = match entries
        .iter()
        .position(|(k, _)| k.scalar_text() == Some(section))
    {
        Some(p) => p,
        None => {
            let at = dockside_syntax::TextRange::empty(include.range.start as usize);
            let key = Node {
                value: Value::String(section.to_string()),
                range: at,
                file: include.file,
                tag: None,
                anchor_of: None,
                style: Some(crate::yaml::ScalarStyle::Plain),
                raw: None,
            };
            let value = Node {
                value: Value::Mapping(Vec::new()),
                style: None,
                ..key.clone()
            };
            entries.push((key, value));
            entries.len() - 1
        }
    };
    let value = &mut entries.get_mut(position)?.1;
    if !matches!(value.value, Value::Mapping(_)) {
        value.value = Value::Mapping(Vec::new());
    }
    match &mut value.value {
        Value::Mapping(m) => Some(m),
        _ => None,
    }
}

/// Loads the project of one `include` entry: its files merged, their own `extends` and
/// `include` resolved.
fn load_entry(loader: &mut Loader, entry: &Entry, scope: &Scope) -> Option<Node> {
    let first = entry.paths.first()?;
    if scope.include_chain.len() >= MAX_DEPTH {
        loader.issue_at(
            LoadIssueKind::Include,
            first,
            format!("`include` nested deeper than {MAX_DEPTH} levels is not followed"),
        );
        return None;
    }
    if entry
        .paths
        .iter()
        .any(|n| is_remote(n.as_str().unwrap_or("")))
    {
        // A Git or OCI reference: nothing on disk to read.
        return None;
    }
    let paths: Vec<(PathBuf, &Node)> = entry
        .paths
        .iter()
        .map(|n| {
            (
                resolve_path(&scope.working_dir, n.as_str().unwrap_or("")),
                *n,
            )
        })
        .collect();
    let project_dir = match entry.project_directory.and_then(Node::as_str) {
        Some(dir) => resolve_path(&scope.working_dir, dir),
        None => folder_of(&paths[0].0),
    };
    let mut env_files: Vec<PathBuf> = Vec::new();
    for node in &entry.env_files {
        let path = resolve_path(&scope.working_dir, node.as_str().unwrap_or(""));
        if super::files::exists(loader.options, &path) {
            env_files.push(path);
        } else {
            loader.issue_at(
                LoadIssueKind::Include,
                node,
                format!(
                    "the env file `{}` ({}) does not exist",
                    node.as_str().unwrap_or(""),
                    loader.shown(&path)
                ),
            );
        }
    }
    if env_files.is_empty() && !entry.env_files.is_empty() {
        // Every env file named is missing: Compose stops here.
        return None;
    }
    let env = loader.with_env_files(scope.env.clone(), &env_files, &project_dir);

    let mut model: Option<Node> = None;
    for (path, node) in paths {
        let key = file_key(&path);
        if scope.include_chain.contains(&key) {
            loader.issue_at(
                LoadIssueKind::Include,
                node,
                format!(
                    "`include` cycle: {} is already being loaded by an including file",
                    loader.shown(&path)
                ),
            );
            continue;
        }
        let (id, documents) = match loader.read(&path, FileRole::Included) {
            Ok(read) => read,
            Err(reason) => {
                loader.issue_at(
                    LoadIssueKind::Include,
                    node,
                    format!(
                        "cannot include `{}` ({}): {reason}",
                        node.as_str().unwrap_or(""),
                        loader.shown(&path)
                    ),
                );
                continue;
            }
        };
        let mut chain = scope.include_chain.clone();
        chain.push(key);
        let child = Scope {
            env: &env,
            working_dir: project_dir.clone(),
            include_chain: chain,
        };
        model = loader.load_layer(model.take(), id, documents, &child, true);
    }
    model
}

/// A remote resource (`oci://…`, a Git URL) rather than a local path.
pub(super) fn is_remote(path: &str) -> bool {
    path.contains("://") || path.starts_with("git@")
}
