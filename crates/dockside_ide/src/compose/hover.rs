//! Hover in Compose files: key documentation, `${VAR}` values and where they come from,
//! and a summary of the service a reference names.

use std::path::Path;

use dockside_compose::interpolate::{self, Reference};
use dockside_compose::schema::{self, KeyInfo};
use dockside_compose::yaml::{Node, Value};
use dockside_compose::{Project, VariableSource};
use dockside_syntax::TextRange;

use super::ComposeAnalysis;
use super::cursor::{NodeAt, node_at};
use crate::Hover;

/// The hover at byte `offset` of the document.
pub fn hover(analysis: &ComposeAnalysis, offset: usize) -> Option<Hover> {
    let tree = analysis.tree.as_ref()?;
    let at = node_at(tree, offset)?;
    if let Some(h) = variable_hover(analysis, &at, offset) {
        return Some(h);
    }
    if let Some((name, range)) = service_reference(&at, analysis) {
        return service_summary(&analysis.project, &name).map(|markdown| Hover { range, markdown });
    }
    if at.on_key {
        let path: Vec<&str> = at.path.iter().map(String::as_str).collect();
        if path.len() == 2
            && path[0] == "services"
            && let Some(markdown) = service_summary(&analysis.project, path[1])
        {
            return Some(Hover {
                range: at.node.range,
                markdown,
            });
        }
        let info = schema::lookup(&path)?;
        return Some(Hover {
            range: at.node.range,
            markdown: key_markdown(&info),
        });
    }
    None
}

/// Documentation of a key, as shown in hovers and completion items.
pub(crate) fn key_markdown(info: &KeyInfo) -> String {
    let mut md = format!("**`{}`** · {}", info.name, info.kind);
    if info.deprecated {
        md.push_str(" · *deprecated*");
    }
    md.push_str("\n\n");
    md.push_str(info.doc.trim());
    if !info.values.is_empty() {
        let values: Vec<String> = info.values.iter().map(|v| format!("`{v}`")).collect();
        md.push_str("\n\nValues: ");
        md.push_str(&values.join(", "));
    }
    md
}

// ---------------------------------------------------------------------------------------------
// Variables

/// The reference (`$V` or `${V…}`) at `offset` in a scalar of the document, innermost first,
/// with its range in the document.
pub(crate) fn reference_at(
    analysis: &ComposeAnalysis,
    node: &Node,
    offset: usize,
) -> Option<(Reference, TextRange)> {
    if node.anchor_of.is_some() || !analysis.in_document(node) || node.style.is_none() {
        return None;
    }
    let written = analysis.written(node);
    let start = node.range.start as usize;
    let relative = offset.checked_sub(start)?;
    interpolate::references(written)
        .into_iter()
        .filter(|r| r.range.start <= relative && relative <= r.range.end)
        .min_by_key(|r| r.range.len())
        .map(|r| {
            let range = TextRange::new(start + r.range.start, start + r.range.end);
            (r, range)
        })
}

fn variable_hover(analysis: &ComposeAnalysis, at: &NodeAt<'_>, offset: usize) -> Option<Hover> {
    let (reference, range) = reference_at(analysis, at.node, offset)?;
    let project = &analysis.project;
    let written = &analysis.text[range.as_range()];
    let lookup = |name: &str| project.variable(name).map(|v| v.value.clone());
    let result = interpolate::interpolate(written, &lookup);
    let name = &reference.name;
    let mut md = String::new();
    match project.variable(name) {
        Some(variable) => {
            md.push_str(&format!(
                "**`{name}`** = `{}`\n\n",
                inline_code(&variable.value)
            ));
            md.push_str(&source_text(project, &variable.source));
        }
        None => {
            md.push_str(&format!("**`{name}`** is not set\n\n"));
            md.push_str(
                "Interpolation reads the project's `.env` file (or `--env-file`) and the \
                 environment; a service's `env_file` does not feed it.",
            );
        }
    }
    if let Some(error) = result.issues.iter().find(|i| i.kind.is_error()) {
        md.push_str(&format!("\n\nLoading fails here: {}", error.message));
    } else if reference.operator.is_some() || project.variable(name).is_none() {
        let becomes = if result.value.is_empty() {
            "an empty string".to_string()
        } else {
            format!("`{}`", inline_code(&result.value))
        };
        let why = if reference.warns_when_unset() && project.variable(name).is_none() {
            " (Compose warns about the unset variable)"
        } else {
            ""
        };
        md.push_str(&format!("\n\n`{written}` becomes {becomes}{why}"));
    }
    Some(Hover {
        range,
        markdown: md,
    })
}

/// Backticks inside inline code would end it early.
fn inline_code(text: &str) -> String {
    text.replace('`', "'").replace('\n', "⏎")
}

/// "Set in `.env` line 3" / "From the environment".
fn source_text(project: &Project, source: &VariableSource) -> String {
    match source {
        VariableSource::Process => "From the environment of the language server.".to_string(),
        VariableSource::EnvFile { file, range } => match project.files.get(*file as usize) {
            Some(f) => {
                let line = line_number(&f.text, range.start as usize);
                format!("Set in `{}` line {line}.", display_path(project, &f.path))
            }
            None => "Set in an env file.".to_string(),
        },
    }
}

/// 1-based line of a byte offset.
fn line_number(text: &str, offset: usize) -> usize {
    let offset = dockside_syntax::text::floor_char_boundary(text, offset.min(text.len()));
    text[..offset].matches('\n').count() + 1
}

fn display_path(project: &Project, path: &Path) -> String {
    path.strip_prefix(&project.directory)
        .unwrap_or(path)
        .display()
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Services

/// A service name referenced at the cursor (`depends_on`, `links`, `extends`,
/// `network_mode: service:x`, `volumes_from`) and the range of the name.
pub(crate) fn service_reference(
    at: &NodeAt<'_>,
    analysis: &ComposeAnalysis,
) -> Option<(String, TextRange)> {
    let path: Vec<&str> = at.path.iter().map(String::as_str).collect();
    if path.len() < 3 || path[0] != "services" || at.node.anchor_of.is_some() {
        return None;
    }
    let text = at.node.scalar_text()?;
    let range = at.node.range;
    let written = analysis.written(at.node);
    // Skip the opening quote so the name's range is exact.
    let name_start = range.start as usize + usize::from(written.starts_with(['"', '\'']));
    let name_range = |len: usize| TextRange::new(name_start, name_start + len);
    let service_of = |name: &str| Some((name.to_string(), name_range(name.len())));
    match (&path[2..], at.on_key) {
        (["depends_on", "-"], false) | (["depends_on", _], true) => service_of(text),
        (["links", "-"], false) => service_of(text.split(':').next()?),
        (["extends"], false) => service_of(text),
        (["extends", "service"], false) => {
            let extends = at.ancestors.last()?;
            if extends.get("file").is_some() {
                return None;
            }
            service_of(text)
        }
        (["network_mode"], false) => {
            let name = text.strip_prefix("service:")?;
            let start = name_start + "service:".len();
            Some((name.to_string(), TextRange::new(start, start + name.len())))
        }
        (["volumes_from", "-"], false) => {
            if text.starts_with("container:") {
                return None;
            }
            service_of(text.split(':').next()?)
        }
        _ => None,
    }
}

/// Markdown describing a service of the project: image or build, ports, where it is defined.
fn service_summary(project: &Project, name: &str) -> Option<String> {
    let service = project.service(name)?;
    let mut md = format!("**service `{name}`**\n");
    if let Some(image) = service.get("image").and_then(Node::scalar_text) {
        md.push_str(&format!("\n- image: `{}`", inline_code(image)));
    }
    if let Some(build) = dockside_compose::model::build(project, &service) {
        let context = build
            .context_node
            .and_then(Node::scalar_text)
            .unwrap_or(".");
        let mut line = format!("\n- build: `{}`", inline_code(context));
        if let Some(dockerfile) = build.dockerfile_node.and_then(Node::scalar_text) {
            line.push_str(&format!(" (Dockerfile `{}`)", inline_code(dockerfile)));
        } else if build.inline.is_some() {
            line.push_str(" (inline Dockerfile)");
        }
        if let Some(target) = build.target.and_then(Node::scalar_text) {
            line.push_str(&format!(", target `{}`", inline_code(target)));
        }
        md.push_str(&line);
    }
    let ports = list_texts(service.get("ports"));
    if !ports.is_empty() {
        md.push_str(&format!("\n- ports: {}", ports.join(", ")));
    }
    let profiles = service.profiles();
    if !profiles.is_empty() {
        let profiles: Vec<String> = profiles.iter().map(|p| format!("`{p}`")).collect();
        md.push_str(&format!("\n- profiles: {}", profiles.join(", ")));
    }
    let file = project.path_of(service.key);
    if let Some(f) = project.files.get(service.key.file as usize) {
        let line = line_number(&f.text, service.key.range.start as usize);
        md.push_str(&format!(
            "\n\nDefined in `{}` line {line}.",
            display_path(project, file)
        ));
    }
    Some(md)
}

/// Items of a list as inline code: scalars as written, mappings by their `published:target`.
fn list_texts(node: Option<&Node>) -> Vec<String> {
    let Some(items) = node.and_then(Node::as_sequence) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match &item.value {
            Value::Mapping(_) => {
                let target = item.get("target").and_then(Node::scalar_text)?;
                Some(match item.get("published").and_then(Node::scalar_text) {
                    Some(published) => format!("`{published}:{target}`"),
                    None => format!("`{target}`"),
                })
            }
            _ => item.scalar_text().map(|t| format!("`{}`", inline_code(t))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::analyse;
    use super::*;

    fn hover_at(files: &[(&str, &str)]) -> Option<Hover> {
        let (_dir, analysis, offset) = analyse(files, "compose.yaml");
        hover(&analysis, offset)
    }

    #[test]
    fn variable_from_the_env_file() {
        let h = hover_at(&[
            (
                "compose.yaml",
                "services:\n  db:\n    image: \"postgres:${PG_V|ERSION}\"\n",
            ),
            (".env", "# versions\nPG_VERSION=16\n"),
        ]);
        let h = h.unwrap();
        assert_eq!(h.range, TextRange::new(37, 50));
        assert_eq!(
            h.markdown,
            "**`PG_VERSION`** = `16`\n\nSet in `.env` line 2."
        );
    }

    #[test]
    fn unset_variable_with_and_without_default() {
        let h = hover_at(&[(
            "compose.yaml",
            "services:\n  db:\n    image: postgres:${T|AG:-16}\n",
        )])
        .unwrap();
        assert_eq!(h.range, TextRange::new(36, 46));
        assert!(
            h.markdown.starts_with("**`TAG`** is not set"),
            "{}",
            h.markdown
        );
        assert!(
            h.markdown.ends_with("`${TAG:-16}` becomes `16`"),
            "{}",
            h.markdown
        );
        let h = hover_at(&[(
            "compose.yaml",
            "services:\n  db:\n    image: postgres:$T|AG\n",
        )])
        .unwrap();
        assert!(
            h.markdown.ends_with(
                "`$TAG` becomes an empty string (Compose warns about the unset variable)"
            ),
            "{}",
            h.markdown
        );
        let h = hover_at(&[(
            "compose.yaml",
            "services:\n  db:\n    image: ${T|AG:?set TAG}\n",
        )])
        .unwrap();
        assert!(
            h.markdown.contains("Loading fails here: "),
            "{}",
            h.markdown
        );
    }

    #[test]
    fn service_named_in_depends_on() {
        let h = hover_at(&[(
            "compose.yaml",
            "services:\n  web:\n    build: ./web\n    depends_on:\n      - d|b\n  db:\n    image: postgres:16\n    ports:\n      - \"5432:5432\"\n",
        )])
        .unwrap();
        assert_eq!(h.range, TextRange::new(58, 60));
        assert_eq!(
            h.markdown,
            "**service `db`**\n\n- image: `postgres:16`\n- ports: `5432:5432`\n\nDefined in `compose.yaml` line 6."
        );
    }

    #[test]
    fn service_in_network_mode_and_links() {
        let h = hover_at(&[(
            "compose.yaml",
            "services:\n  web:\n    network_mode: \"service:v|pn\"\n  vpn:\n    build:\n      context: ./vpn\n      target: run\n",
        )])
        .unwrap();
        assert_eq!(h.range, TextRange::new(44, 47));
        assert!(
            h.markdown.contains("- build: `./vpn`, target `run`"),
            "{}",
            h.markdown
        );
        let h = hover_at(&[(
            "compose.yaml",
            "services:\n  web:\n    links:\n      - \"db|:database\"\n  db:\n    image: x\n",
        )])
        .unwrap();
        assert_eq!(h.range, TextRange::new(37, 39));
    }

    #[test]
    fn nothing_on_plain_values() {
        assert_eq!(
            hover_at(&[("compose.yaml", "services:\n  web:\n    image: ngi|nx\n")]),
            None
        );
    }

    #[test]
    fn key_documentation_format() {
        let info = KeyInfo {
            name: "restart",
            doc: "When to restart the container.",
            kind: "string",
            values: &["no", "always"],
            deprecated: false,
        };
        assert_eq!(
            key_markdown(&info),
            "**`restart`** · string\n\nWhen to restart the container.\n\nValues: `no`, `always`"
        );
    }
}
