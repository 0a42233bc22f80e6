//! Go to definition and document symbols in Compose files.

use std::path::{Path, PathBuf};

use dockside_compose::VariableSource;
use dockside_compose::model;
use dockside_compose::yaml::{Node, Value};
use dockside_syntax::TextRange;

use super::cursor::{NodeAt, key_text, node_at};
use super::hover::{reference_at, service_reference};
use super::{ComposeAnalysis, target};

/// A place in a file: the document or another one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub path: PathBuf,
    pub range: TextRange,
}

/// Where what is at `offset` is defined: the service a `depends_on`/`links`/`extends` entry
/// names, the top-level volume/network/secret/config a service uses, the `&anchor` of an
/// `*alias`, the file a path points at (Dockerfile, env file, secret file, included file),
/// the `.env` line that sets a `${VAR}`.
pub fn definition(analysis: &ComposeAnalysis, offset: usize) -> Option<Target> {
    if let Some(range) = anchor_of_alias(&analysis.text, offset) {
        return Some(target(&analysis.path, range));
    }
    let tree = analysis.tree.as_ref()?;
    let at = node_at(tree, offset)?;
    let project = &analysis.project;
    if let Some((reference, _)) = reference_at(analysis, at.node, offset) {
        let variable = project.variable(&reference.name)?;
        return match &variable.source {
            VariableSource::EnvFile { file, range } => {
                let f = project.files.get(*file as usize)?;
                Some(target(&f.path, *range))
            }
            VariableSource::Process => None,
        };
    }
    if let Some((name, _)) = service_reference(&at, analysis) {
        let service = project.service(&name)?;
        return Some(target(project.path_of(service.key), service.key.range));
    }
    if let Some((section, name)) = resource_reference(&at) {
        let key = project
            .section(section)
            .and_then(|entries| {
                entries
                    .iter()
                    .find(|(k, _)| k.scalar_text() == Some(name.as_str()))
            })
            .map(|(k, _)| k)?;
        return Some(target(project.path_of(key), key.range));
    }
    let path = file_reference(analysis, &at)?;
    exists(analysis, &path).then(|| target(&path, TextRange::empty(0)))
}

fn exists(analysis: &ComposeAnalysis, path: &Path) -> bool {
    analysis
        .load
        .overlay
        .as_ref()
        .is_some_and(|o| o.read(path).is_some())
        || path.is_file()
}

/// The `&name` an `*name` at `offset` refers to: the last one written before it.
fn anchor_of_alias(text: &str, offset: usize) -> Option<TextRange> {
    let is_delimiter = |c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}');
    let offset = dockside_syntax::text::floor_char_boundary(text, offset.min(text.len()));
    let start = text[..offset].rfind(is_delimiter).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let end = text[offset..]
        .find(is_delimiter)
        .map_or(text.len(), |i| offset + i);
    let alias = text.get(start..end)?.strip_prefix('*')?;
    if alias.is_empty() {
        return None;
    }
    let wanted = format!("&{alias}");
    let mut search_end = start;
    while let Some(i) = text[..search_end].rfind(&wanted) {
        let before_ok = text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| is_delimiter(c) || c == ':' || c == '-');
        let after_ok = text[i + wanted.len()..]
            .chars()
            .next()
            .is_none_or(is_delimiter);
        let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
        let in_comment =
            text[line_start..i].contains(" #") || text[line_start..i].trim_start().starts_with('#');
        if before_ok && after_ok && !in_comment {
            return Some(TextRange::new(i, i + wanted.len()));
        }
        search_end = i;
    }
    None
}

/// A named volume, network, secret or config a service uses at the cursor: the top-level
/// section and the name.
fn resource_reference(at: &NodeAt<'_>) -> Option<(&'static str, String)> {
    let path: Vec<&str> = at.path.iter().map(String::as_str).collect();
    if path.len() < 4 || path[0] != "services" || at.node.anchor_of.is_some() {
        return None;
    }
    let text = at.node.scalar_text()?;
    let parent = at.ancestors.last();
    match (&path[2..], at.on_key) {
        (["volumes", "-"], false) => {
            let source = text.split(':').next()?;
            is_volume_name(source).then(|| ("volumes", source.to_string()))
        }
        (["volumes", "-", "source"], false) => {
            let kind = parent
                .and_then(|p| p.get("type"))
                .and_then(Node::scalar_text);
            (kind == Some("volume") && is_volume_name(text)).then(|| ("volumes", text.to_string()))
        }
        (["networks", "-"], false) | (["networks", _], true) => {
            Some(("networks", text.to_string()))
        }
        (["secrets", "-"], false) | (["secrets", "-", "source"], false) => {
            Some(("secrets", text.to_string()))
        }
        (["configs", "-"], false) | (["configs", "-", "source"], false) => {
            Some(("configs", text.to_string()))
        }
        _ => None,
    }
}

/// A volume source that names a volume rather than a host path.
pub(crate) fn is_volume_name(source: &str) -> bool {
    !source.is_empty() && !source.starts_with(['.', '/', '~', '$']) && !source.contains(['/', '\\'])
}

/// The file a path value at the cursor points at, resolved.
fn file_reference(analysis: &ComposeAnalysis, at: &NodeAt<'_>) -> Option<PathBuf> {
    if at.on_key || at.node.anchor_of.is_some() {
        return None;
    }
    let project = &analysis.project;
    let path: Vec<&str> = at.path.iter().map(String::as_str).collect();
    let text = at.node.scalar_text()?;
    let resolve = || model::resolve(&project.base_dir_of(at.node), text);
    match path.as_slice() {
        ["services", name, "build"] | ["services", name, "build", "context" | "dockerfile"] => {
            let service = project.service(name)?;
            let build = model::build(project, &service)?;
            (!build.remote && build.inline.is_none()).then_some(build.dockerfile)
        }
        ["services", _, "env_file"]
        | ["services", _, "env_file", "-"]
        | ["services", _, "env_file", "-", "path"]
        | ["services", _, "extends", "file"]
        | ["secrets" | "configs", _, "file"]
        | ["include", "-"]
        | ["include", "-", "path"]
        | ["include", "-", "path", "-"]
        | ["include", "-", "env_file"]
        | ["include", "-", "env_file", "-"] => Some(resolve()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Symbols

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComposeSymbolKind {
    /// A top-level key (`services`, `volumes`, `x-common`…).
    Section,
    Service,
    Network,
    Volume,
    Secret,
    Config,
    Model,
    /// A key inside a service or another entry.
    Key,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposeSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: ComposeSymbolKind,
    /// The key and its value.
    pub range: TextRange,
    /// The key.
    pub selection_range: TextRange,
    pub children: Vec<ComposeSymbol>,
}

/// The outline of the document: top-level sections, their entries (services, networks,
/// volumes, secrets, configs, models), and the keys of each service.
pub fn document_symbols(analysis: &ComposeAnalysis) -> Vec<ComposeSymbol> {
    let Some(entries) = analysis.tree.as_ref().and_then(Node::as_mapping) else {
        return Vec::new();
    };
    let root = analysis
        .tree
        .as_ref()
        .map_or(TextRange::default(), |t| t.range);
    entries
        .iter()
        .filter(|(k, _)| root.contains_range(k.range))
        .map(|(key, value)| {
            let name = key_text(key);
            let entry_kind = match name.as_str() {
                "services" => Some(ComposeSymbolKind::Service),
                "networks" => Some(ComposeSymbolKind::Network),
                "volumes" => Some(ComposeSymbolKind::Volume),
                "secrets" => Some(ComposeSymbolKind::Secret),
                "configs" => Some(ComposeSymbolKind::Config),
                "models" => Some(ComposeSymbolKind::Model),
                _ => None,
            };
            let children = match entry_kind {
                Some(kind) => entry_symbols(analysis, value, kind),
                None => Vec::new(),
            };
            let detail = match &value.value {
                Value::Mapping(_) | Value::Sequence(_) => None,
                _ => value.scalar_text().map(str::to_string),
            };
            symbol(
                name,
                detail,
                ComposeSymbolKind::Section,
                key,
                value,
                children,
            )
        })
        .collect()
}

fn symbol(
    name: String,
    detail: Option<String>,
    kind: ComposeSymbolKind,
    key: &Node,
    value: &Node,
    children: Vec<ComposeSymbol>,
) -> ComposeSymbol {
    let value_range = value.anchor_of.unwrap_or(value.range);
    let range = if value_range.start >= key.range.start {
        key.range.cover(value_range)
    } else {
        key.range
    };
    ComposeSymbol {
        name,
        detail,
        kind,
        range,
        selection_range: key.range,
        children,
    }
}

fn entry_symbols(
    analysis: &ComposeAnalysis,
    section: &Node,
    kind: ComposeSymbolKind,
) -> Vec<ComposeSymbol> {
    let Some(entries) = section.as_mapping() else {
        return Vec::new();
    };
    if section.anchor_of.is_some() {
        return Vec::new();
    }
    entries
        .iter()
        .filter(|(k, _)| section.range.contains_range(k.range) && k.anchor_of.is_none())
        .map(|(key, value)| {
            let name = key_text(key);
            let (detail, children) = if kind == ComposeSymbolKind::Service {
                (service_detail(analysis, &name, value), key_symbols(value))
            } else {
                (None, Vec::new())
            };
            symbol(name, detail, kind, key, value, children)
        })
        .collect()
}

/// The image a service runs, or what it builds.
fn service_detail(analysis: &ComposeAnalysis, name: &str, value: &Node) -> Option<String> {
    if let Some(image) = value.get("image").and_then(Node::scalar_text) {
        return Some(image.to_string());
    }
    let service = analysis.project.service(name)?;
    let build = model::build(&analysis.project, &service)?;
    let context = build
        .context_node
        .and_then(Node::scalar_text)
        .unwrap_or(".");
    Some(format!("build {context}"))
}

fn key_symbols(mapping: &Node) -> Vec<ComposeSymbol> {
    let Some(entries) = mapping.as_mapping() else {
        return Vec::new();
    };
    if mapping.anchor_of.is_some() {
        return Vec::new();
    }
    entries
        .iter()
        .filter(|(k, _)| mapping.range.contains_range(k.range) && k.anchor_of.is_none())
        .map(|(key, value)| {
            symbol(
                key_text(key),
                None,
                ComposeSymbolKind::Key,
                key,
                value,
                Vec::new(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::analyse;
    use super::*;

    fn definition_in(files: &[(&str, &str)]) -> (tempfile::TempDir, Option<Target>) {
        let (dir, analysis, offset) = analyse(files, "compose.yaml");
        (dir, definition(&analysis, offset))
    }

    #[test]
    fn depends_on_goes_to_the_service() {
        let text =
            "services:\n  web:\n    depends_on:\n      - d|b\n  db:\n    image: postgres:16\n";
        let (dir, found) = definition_in(&[("compose.yaml", text)]);
        let found = found.unwrap();
        assert_eq!(found.path, dir.path().join("compose.yaml"));
        assert_eq!(found.range, TextRange::new(46, 48));
        let text = "services:\n  web:\n    depends_on:\n      db|:\n        condition: service_started\n  db:\n    image: x\n";
        let (_dir, found) = definition_in(&[("compose.yaml", text)]);
        assert_eq!(found.unwrap().range, TextRange::new(80, 82));
    }

    #[test]
    fn named_resources_go_to_their_definition() {
        let text = "services:\n  web:\n    volumes:\n      - da|ta:/var/lib\n    networks: [back]\nvolumes:\n  data:\nnetworks:\n  back:\n";
        let (_dir, found) = definition_in(&[("compose.yaml", text)]);
        let clean = text.replacen('|', "", 1);
        let at = clean.rfind("data:").unwrap();
        assert_eq!(found.unwrap().range, TextRange::new(at, at + 4));
        let text = "services:\n  web:\n    networks: [ba|ck]\nnetworks:\n  back:\n";
        let (_dir, found) = definition_in(&[("compose.yaml", text)]);
        assert_eq!(found.unwrap().range, TextRange::new(50, 54));
        // A bind mount is not a volume name.
        let text = "services:\n  web:\n    volumes:\n      - ./da|ta:/var/lib\nvolumes:\n  data:\n";
        assert_eq!(definition_in(&[("compose.yaml", text)]).1, None);
    }

    #[test]
    fn alias_goes_to_its_anchor() {
        let text =
            "x-env: &env\n  A: 1\nx-other: &env2 {}\nservices:\n  web:\n    environment: *e|nv\n";
        let (_dir, found) = definition_in(&[("compose.yaml", text)]);
        assert_eq!(found.unwrap().range, TextRange::new(7, 11));
        let text = "x-base: &base\n  restart: always\nservices:\n  web:\n    <<: *ba|se\n";
        let (_dir, found) = definition_in(&[("compose.yaml", text)]);
        assert_eq!(found.unwrap().range, TextRange::new(8, 13));
    }

    #[test]
    fn paths_go_to_existing_files() {
        let text = "services:\n  web:\n    build:\n      context: ./api\n      dockerfile: Docker|file.dev\n";
        let (dir, found) = definition_in(&[
            ("compose.yaml", text),
            ("api/Dockerfile.dev", "FROM alpine\n"),
        ]);
        assert_eq!(
            found.unwrap(),
            Target {
                path: dir.path().join("api/Dockerfile.dev"),
                range: TextRange::empty(0)
            }
        );
        let text = "services:\n  web:\n    image: x\n    env_file: ./app|.env\n";
        let (dir, found) = definition_in(&[("compose.yaml", text), ("app.env", "A=1\n")]);
        assert_eq!(found.unwrap().path, dir.path().join("app.env"));
        let text = "services:\n  web:\n    image: x\n    env_file: ./mis|sing.env\n";
        assert_eq!(definition_in(&[("compose.yaml", text)]).1, None);
    }

    #[test]
    fn outline_of_sections_services_and_keys() {
        let text = "name: shop\nservices:\n  web:\n    image: nginx:1.27\n    ports: [\"80:80\"]\n  api:\n    build: ./api\nvolumes:\n  data: {}\n";
        let (_dir, analysis, _) = analyse(&[("compose.yaml", text)], "compose.yaml");
        let symbols = document_symbols(&analysis);
        let names: Vec<_> = symbols
            .iter()
            .map(|s| (s.name.as_str(), s.detail.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("name", Some("shop")),
                ("services", None),
                ("volumes", None)
            ]
        );
        let services = &symbols[1];
        assert_eq!(services.range, TextRange::new(11, 94));
        let web = &services.children[0];
        assert_eq!(
            (web.name.as_str(), web.kind),
            ("web", ComposeSymbolKind::Service)
        );
        assert_eq!(web.detail.as_deref(), Some("nginx:1.27"));
        assert_eq!(web.selection_range, TextRange::new(23, 26));
        let keys: Vec<_> = web.children.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(keys, ["image", "ports"]);
        assert_eq!(services.children[1].detail.as_deref(), Some("build ./api"));
        assert_eq!(symbols[2].children[0].kind, ComposeSymbolKind::Volume);
    }
}
