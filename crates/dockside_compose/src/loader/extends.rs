//! `extends`: a service built on another one, from the same file or another file (its
//! path relative to the file that contains `extends`), nested, with cycle detection. The
//! base service is merged under the extending one with the usual merge rules.

use std::path::Path;

use super::{Environment, Loader, MAX_DEPTH, file_key, folder_of, merge, resolve_path};
use crate::project::{FileRole, LoadIssueKind};
use crate::yaml::{Node, Value};

/// Resolves the `extends` of every service of `document` (read from file `file`).
pub(super) fn apply(loader: &mut Loader, document: &mut Node, file: u32, env: &Environment) {
    let Some(services) = services_of(document) else {
        return;
    };
    if !services.iter().any(|(_, s)| s.get("extends").is_some()) {
        return;
    }
    let originals = services.to_vec();
    let mut resolved = Vec::with_capacity(originals.len());
    for (key, service) in &originals {
        let value = match (key.scalar_text(), service.get("extends")) {
            (Some(name), Some(_)) => {
                let mut chain = Vec::new();
                resolve(loader, &originals, file, name, env, &mut chain)
                    .map_or_else(|| service.clone(), |(resolved, _)| resolved)
            }
            _ => service.clone(),
        };
        resolved.push((key.clone(), value));
    }
    if let Some(Value::Mapping(entries)) = services_mut(document).map(|s| &mut s.value) {
        *entries = resolved;
    }
}

fn services_of(document: &Node) -> Option<&[(Node, Node)]> {
    document.get("services")?.as_mapping()
}

fn services_mut(document: &mut Node) -> Option<&mut Node> {
    let Value::Mapping(entries) = &mut document.value else {
        return None;
    };
    entries
        .iter_mut()
        .find(|(k, _)| k.scalar_text() == Some("services"))
        .map(|(_, v)| v)
}

/// The service `name` of `services` (file `file`) with its `extends` chain merged in,
/// and how many services that chain merged. `None` when `services` has no such service.
fn resolve(
    loader: &mut Loader,
    services: &[(Node, Node)],
    file: u32,
    name: &str,
    env: &Environment,
    chain: &mut Vec<(u32, String)>,
) -> Option<(Node, usize)> {
    if let Some(done) = loader.extended_services.get(&(file, name.to_string())) {
        return Some(done.clone());
    }
    let service = services
        .iter()
        .find(|(k, _)| k.scalar_text() == Some(name))
        .map(|(_, v)| v.clone())?;
    let unmerged = |service: Node| Some((service, 0));
    let Some(extends) = service.get("extends") else {
        return unmerged(service);
    };
    let (base_name, base_node, file_node) = match &extends.value {
        Value::String(base) => (base.clone(), extends, None),
        Value::Mapping(_) => match extends.get("service") {
            Some(node) if node.as_str().is_some() => (
                node.as_str().unwrap_or_default().to_string(),
                node,
                extends.get("file"),
            ),
            _ => {
                loader.issue_at(
                    LoadIssueKind::Extends,
                    extends,
                    "`extends` needs `service:`, the name of the service to extend".into(),
                );
                return unmerged(service);
            }
        },
        _ => return unmerged(service),
    };
    if chain.len() >= MAX_DEPTH {
        loader.issue_at(
            LoadIssueKind::Extends,
            base_node,
            format!("`extends` chains deeper than {MAX_DEPTH} services are not followed"),
        );
        return unmerged(service);
    }

    let target = match file_node {
        None => None,
        Some(file_node) => {
            let Some(written) = file_node.as_str() else {
                return unmerged(service);
            };
            if super::include::is_remote(written) {
                // A Git or OCI reference: nothing on disk to read.
                return unmerged(service);
            }
            let from = folder_of(loader.file_path(file));
            let path = resolve_path(&from, written);
            match extended_file(loader, &path, env) {
                Ok(found) => Some(found),
                Err(reason) => {
                    loader.issue_at(
                        LoadIssueKind::Extends,
                        file_node,
                        format!(
                            "cannot read `{written}` ({}): {reason}; `extends.file` is relative to the folder of the file that contains it",
                            loader.shown(&path)
                        ),
                    );
                    return unmerged(service);
                }
            }
        }
    };
    let (target_file, target_services) = match &target {
        Some((id, document)) => (*id, services_of(document).unwrap_or_default()),
        None => (file, services),
    };

    chain.push((file, name.to_string()));
    if chain
        .iter()
        .any(|(f, n)| *f == target_file && *n == base_name)
    {
        let mut names: Vec<&str> = chain.iter().map(|(_, n)| n.as_str()).collect();
        names.push(&base_name);
        loader.issue_at(
            LoadIssueKind::Extends,
            base_node,
            format!("`extends` cycle: {}", names.join(" → ")),
        );
        chain.pop();
        return unmerged(service);
    }
    let base = resolve(loader, target_services, target_file, &base_name, env, chain);
    chain.pop();
    let Some((base, base_depth)) = base else {
        let place = match &target {
            Some(_) => format!("`{}`", loader.shown(loader.file_path(target_file))),
            None => "this file".to_string(),
        };
        let mut message = format!("service `{base_name}` is not defined in {place}");
        if let Some(close) = closest(&base_name, target_services) {
            message.push_str(&format!(" (did you mean `{close}`?)"));
        }
        loader.issue_at(LoadIssueKind::Extends, base_node, message);
        return unmerged(service);
    };
    // Resolved bases are remembered, so the depth is counted through them too:
    // a chain of thousands of services would otherwise merge ever longer lists.
    if base_depth + 1 > MAX_DEPTH {
        loader.issue_at(
            LoadIssueKind::Extends,
            base_node,
            format!("`extends` chains deeper than {MAX_DEPTH} services are not followed"),
        );
        return unmerged(service);
    }
    let merged = (merge::extend_service(base, service, name), base_depth + 1);
    loader
        .extended_services
        .insert((file, name.to_string()), merged.clone());
    Some(merged)
}

/// A file read for `extends`: its id and its documents merged (no `include`, no traps).
fn extended_file(
    loader: &mut Loader,
    path: &Path,
    env: &Environment,
) -> Result<(u32, Node), String> {
    let key = file_key(path);
    if let Some(cached) = loader.extended_files.get(&key) {
        return cached
            .clone()
            .ok_or_else(|| "it does not hold a Compose mapping".to_string());
    }
    let (id, documents) = loader.read(path, FileRole::Extended)?;
    let mut merged: Option<Node> = None;
    for mut document in documents {
        if document.as_mapping().is_none() {
            continue;
        }
        super::interpolation::interpolate_document(loader, &mut document, env);
        if merged.is_none()
            && let Some(f) = loader.files.get_mut(id as usize)
        {
            f.root = Some(document.clone());
        }
        merged = Some(merge::merge_documents(merged, document));
    }
    let found = merged.map(|m| (id, m));
    loader.extended_files.insert(key, found.clone());
    found.ok_or_else(|| "it does not hold a Compose mapping".to_string())
}

/// Most service names compared with a misspelt one.
const MAX_SUGGESTION_CANDIDATES: usize = 10_000;

/// The service name closest to `name` (a typo), if one is close enough.
fn closest<'a>(name: &str, services: &'a [(Node, Node)]) -> Option<&'a str> {
    services
        .iter()
        .filter_map(|(k, _)| k.scalar_text())
        .take(MAX_SUGGESTION_CANDIDATES)
        .filter(|candidate| {
            candidate.len().abs_diff(name.len()) <= name.len().max(candidate.len()) / 3 + 1
        })
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(d, candidate)| *d <= (name.len().max(candidate.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edits (insertion, deletion, substitution, swap of neighbours) from `a` to `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}
