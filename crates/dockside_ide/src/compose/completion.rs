//! Completion in Compose files: keys allowed where the cursor is (minus those already
//! written), enum values, and the names of services, volumes, networks, secrets and
//! configs where a reference to one is written; variables after `${`.

use dockside_compose::schema::{self, KeyInfo};
use dockside_compose::yaml::Node;
use dockside_syntax::TextRange;

use super::ComposeAnalysis;
use super::cursor::{CursorContext, Slot, context_at, node_at_path};
use super::hover::key_markdown;
use crate::completion::{CompletionItem, CompletionKind};

/// Completions at byte `offset` of the document.
pub fn completions(analysis: &ComposeAnalysis, offset: usize) -> Vec<CompletionItem> {
    let text: &str = &analysis.text;
    let offset = dockside_syntax::text::floor_char_boundary(text, offset.min(text.len()));
    if let Some(items) = variable_completions(analysis, offset) {
        return items;
    }
    let Some(ctx) = context_at(text, offset) else {
        return Vec::new();
    };
    let path = ctx.path_refs();
    let mut items = match ctx.slot {
        Slot::Key => key_slot(analysis, &ctx, &path, offset),
        Slot::Value => value_slot(analysis, &ctx, &path),
        Slot::Item => item_slot(analysis, &ctx, &path, offset),
    };
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| seen.insert(i.label.clone()));
    items
}

fn key_slot(
    analysis: &ComposeAnalysis,
    ctx: &CursorContext,
    path: &[&str],
    offset: usize,
) -> Vec<CompletionItem> {
    let named = |section: &str, except: Option<&str>| {
        names(analysis, section)
            .into_iter()
            .filter(|n| Some(n.as_str()) != except && !ctx.siblings.contains(n))
            .map(|n| reference_item(n, section, ctx.replace))
            .collect()
    };
    match path {
        ["services", service, "depends_on"] => named("services", Some(service)),
        ["services", _, "networks"] => named("networks", None),
        _ => key_items(analysis, &schema::keys_at(path), ctx, offset),
    }
}

fn value_slot(
    analysis: &ComposeAnalysis,
    ctx: &CursorContext,
    path: &[&str],
) -> Vec<CompletionItem> {
    match path {
        ["services", service, "extends"] | ["services", service, "extends", "service"] => {
            services_except(analysis, service, ctx.replace)
        }
        ["services", _, "network_mode"] => {
            let mut items: Vec<CompletionItem> = ["host", "none", "bridge"]
                .iter()
                .map(|v| value_item(v, ctx.replace))
                .collect();
            items.extend(
                names(analysis, "services")
                    .into_iter()
                    .map(|n| CompletionItem {
                        label: format!("service:{n}"),
                        kind: CompletionKind::Stage,
                        detail: Some("the network stack of a service".to_string()),
                        documentation: None,
                        insert_text: None,
                        is_snippet: false,
                        replace: ctx.replace,
                    }),
            );
            items
        }
        ["services", _, "volumes", "-", "source"] => {
            resource_items(analysis, "volumes", ctx.replace)
        }
        ["services", _, "secrets", "-", "source"] => {
            resource_items(analysis, "secrets", ctx.replace)
        }
        ["services", _, "configs", "-", "source"] => {
            resource_items(analysis, "configs", ctx.replace)
        }
        _ => schema::lookup(path)
            .map(|info| {
                info.values
                    .iter()
                    .map(|v| value_item(v, ctx.replace))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn item_slot(
    analysis: &ComposeAnalysis,
    ctx: &CursorContext,
    path: &[&str],
    offset: usize,
) -> Vec<CompletionItem> {
    match path {
        ["services", service, "depends_on" | "links"] => {
            services_except(analysis, service, ctx.replace)
        }
        ["services", service, "volumes_from"] => services_except(analysis, service, ctx.replace),
        ["services", _, "volumes"] => resource_items(analysis, "volumes", ctx.replace),
        ["services", _, "networks"] => resource_items(analysis, "networks", ctx.replace),
        ["services", _, "secrets"] => resource_items(analysis, "secrets", ctx.replace),
        ["services", _, "configs"] => resource_items(analysis, "configs", ctx.replace),
        _ => {
            let mut item_path = path.to_vec();
            item_path.push("-");
            let mut items: Vec<CompletionItem> = schema::lookup(&item_path)
                .map(|info| {
                    info.values
                        .iter()
                        .map(|v| value_item(v, ctx.replace))
                        .collect()
                })
                .unwrap_or_default();
            items.extend(key_items(
                analysis,
                &schema::keys_at(&item_path),
                ctx,
                offset,
            ));
            items
        }
    }
}

fn services_except(
    analysis: &ComposeAnalysis,
    service: &str,
    replace: TextRange,
) -> Vec<CompletionItem> {
    names(analysis, "services")
        .into_iter()
        .filter(|n| n != service)
        .map(|n| reference_item(n, "services", replace))
        .collect()
}

fn resource_items(
    analysis: &ComposeAnalysis,
    section: &str,
    replace: TextRange,
) -> Vec<CompletionItem> {
    names(analysis, section)
        .into_iter()
        .map(|n| reference_item(n, section, replace))
        .collect()
}

/// The entries of a top-level section: those of the loaded project (all files merged),
/// then those of the document as it is now.
fn names(analysis: &ComposeAnalysis, section: &str) -> Vec<String> {
    let from_project = analysis.project.section(section).unwrap_or_default();
    let from_document = analysis
        .tree
        .as_ref()
        .and_then(|t| node_at_path(t, &[section]))
        .and_then(Node::as_mapping)
        .unwrap_or_default();
    let mut out: Vec<String> = Vec::new();
    for (key, _) in from_project.iter().chain(from_document) {
        if let Some(name) = key.scalar_text()
            && !name.is_empty()
            && !out.iter().any(|n| n == name)
        {
            out.push(name.to_string());
        }
    }
    out
}

fn reference_item(name: String, section: &str, replace: TextRange) -> CompletionItem {
    let what = match section {
        "services" => "service",
        "volumes" => "volume",
        "networks" => "network",
        "secrets" => "secret",
        "configs" => "config",
        other => other,
    };
    CompletionItem {
        label: name,
        kind: CompletionKind::Stage,
        detail: Some(what.to_string()),
        documentation: None,
        insert_text: None,
        is_snippet: false,
        replace,
    }
}

fn value_item(value: &str, replace: TextRange) -> CompletionItem {
    CompletionItem {
        label: value.to_string(),
        kind: CompletionKind::Value,
        detail: None,
        documentation: None,
        insert_text: None,
        is_snippet: false,
        replace,
    }
}

/// Keys not written yet. The word under the cursor is replaced whole; `key: ` is inserted
/// unless the line already has its colon.
fn key_items(
    analysis: &ComposeAnalysis,
    keys: &[KeyInfo],
    ctx: &CursorContext,
    offset: usize,
) -> Vec<CompletionItem> {
    let text: &str = &analysis.text;
    let rest = &text[offset..];
    let word_len = rest
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .unwrap_or(rest.len());
    let has_colon = rest[word_len..].starts_with(':');
    let replace = TextRange::new(ctx.replace.start as usize, offset + word_len);
    keys.iter()
        .filter(|k| !ctx.siblings.iter().any(|s| s == k.name))
        .map(|k| CompletionItem {
            label: k.name.to_string(),
            kind: CompletionKind::Flag,
            detail: Some(if k.deprecated {
                format!("{} (deprecated)", k.kind)
            } else {
                k.kind.to_string()
            }),
            documentation: Some(key_markdown(k)),
            insert_text: (!has_colon).then(|| format!("{}: ", k.name)),
            is_snippet: false,
            replace,
        })
        .collect()
}

/// After an unclosed `${` on the line: the variables the project knows.
fn variable_completions(analysis: &ComposeAnalysis, offset: usize) -> Option<Vec<CompletionItem>> {
    let text: &str = &analysis.text;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let open = before.rfind("${")?;
    let partial = &before[open + 2..];
    if !partial
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    let replace = TextRange::new(offset - partial.len(), offset);
    Some(
        analysis
            .project
            .variables
            .iter()
            .map(|v| CompletionItem {
                label: v.name.clone(),
                kind: CompletionKind::Variable,
                detail: Some(v.value.clone()),
                documentation: None,
                insert_text: None,
                is_snippet: false,
                replace,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::analyse;
    use super::*;

    fn labels(files: &[(&str, &str)]) -> Vec<String> {
        let (_dir, analysis, offset) = analyse(files, "compose.yaml");
        completions(&analysis, offset)
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    const PROJECT: &str = "services:\n  web:\n    image: nginx\n    depends_on:\n      - |\n  db:\n    image: postgres\n  cache:\n    image: redis\nvolumes:\n  data: {}\nnetworks:\n  back: {}\n";

    #[test]
    fn services_in_depends_on_without_the_service_itself() {
        assert_eq!(labels(&[("compose.yaml", PROJECT)]), ["db", "cache"]);
        let flow = "services:\n  web:\n    depends_on: [db, |]\n  db: {}\n  api: {}\n";
        assert_eq!(labels(&[("compose.yaml", flow)]), ["db", "api"]);
        let mapping = "services:\n  web:\n    depends_on:\n      db:\n        condition: service_started\n      |\n  db: {}\n  api: {}\n";
        assert_eq!(labels(&[("compose.yaml", mapping)]), ["api"]);
    }

    #[test]
    fn volumes_networks_and_network_mode() {
        let text = PROJECT.replace("depends_on:\n      - |", "volumes:\n      - |");
        assert_eq!(labels(&[("compose.yaml", &text)]), ["data"]);
        let text = PROJECT.replace("depends_on:\n      - |", "networks:\n      - |");
        assert_eq!(labels(&[("compose.yaml", &text)]), ["back"]);
        let text = PROJECT.replace("depends_on:\n      - |", "network_mode: |");
        assert_eq!(
            labels(&[("compose.yaml", &text)]),
            [
                "host",
                "none",
                "bridge",
                "service:web",
                "service:db",
                "service:cache"
            ]
        );
    }

    #[test]
    fn names_from_the_override_file_too() {
        let base = "services:\n  web:\n    depends_on:\n      - |\n";
        let (_dir, analysis, offset) = analyse(
            &[
                ("compose.yaml", base),
                (
                    "compose.override.yml",
                    "services:\n  worker:\n    image: w\n",
                ),
            ],
            "compose.yaml",
        );
        let labels: Vec<_> = completions(&analysis, offset)
            .into_iter()
            .map(|i| i.label)
            .collect();
        assert_eq!(labels, ["worker"]);
    }

    #[test]
    fn keys_and_values_from_the_specification() {
        let text = "services:\n  web:\n    image: nginx\n    re|\n";
        let keys = labels(&[("compose.yaml", text)]);
        assert!(keys.contains(&"restart".to_string()), "{keys:?}");
        assert!(!keys.contains(&"image".to_string()), "{keys:?}");
        let text = "services:\n  web:\n    image: nginx\n    restart: |\n";
        let values = labels(&[("compose.yaml", text)]);
        assert!(values.contains(&"unless-stopped".to_string()), "{values:?}");
        let text =
            "services:\n  web:\n    image: nginx\n    ports:\n      - target: 80\n        |\n";
        let keys = labels(&[("compose.yaml", text)]);
        assert!(keys.contains(&"published".to_string()), "{keys:?}");
        assert!(!keys.contains(&"target".to_string()), "{keys:?}");
    }

    #[test]
    fn variables_after_a_dollar_brace() {
        let (_dir, analysis, offset) = analyse(
            &[("compose.yaml", "services:\n  web:\n    image: \"x:${T|\"\n")],
            "compose.yaml",
        );
        let items = completions(&analysis, offset);
        for item in &items {
            assert_eq!(item.kind, CompletionKind::Variable);
            assert_eq!(item.replace, TextRange::new(offset - 1, offset));
        }
    }

    #[test]
    fn key_items_skip_written_keys_and_keep_an_existing_colon() {
        let (_dir, analysis, offset) = analyse(
            &[(
                "compose.yaml",
                "services:\n  web:\n    image: x\n    re|st: 1\n",
            )],
            "compose.yaml",
        );
        let ctx = context_at(&analysis.text, offset).unwrap();
        let keys = [
            KeyInfo {
                name: "image",
                doc: "",
                kind: "string",
                values: &[],
                deprecated: false,
            },
            KeyInfo {
                name: "restart",
                doc: "",
                kind: "string",
                values: &[],
                deprecated: false,
            },
        ];
        let items = key_items(&analysis, &keys, &ctx, offset);
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].label, "restart");
        assert_eq!(items[0].insert_text, None);
        assert_eq!(items[0].replace, TextRange::new(34, 38));
        let (_dir, analysis, offset) = analyse(
            &[("compose.yaml", "services:\n  web:\n    re|\n")],
            "compose.yaml",
        );
        let ctx = context_at(&analysis.text, offset).unwrap();
        let items = key_items(&analysis, &keys, &ctx, offset);
        assert_eq!(items[1].insert_text.as_deref(), Some("restart: "));
    }
}
