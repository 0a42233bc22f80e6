use std::collections::HashSet;

use dockside_compose::yaml::{Node, Value};
use dockside_syntax::TextRange;

use super::{compose_roots, did_you_mean, part_range};
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports references to services that are not defined: `depends_on`
    /// (list and long form), `links` (`name` or `name:alias`),
    /// `extends.service` without `file` (the service must be in the same
    /// file), `network_mode: service:<name>` and `volumes_from` (`name`,
    /// `name:ro`, `service:name`; `container:<name>` names a container and is
    /// not checked).
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses to load the project (`depends on undefined
    /// service`), usually because of a typo or a service renamed in one place
    /// only.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     depends_on:
    ///       - databse
    ///   database:
    ///     image: postgres:17
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     depends_on:
    ///       - database
    ///   database:
    ///     image: postgres:17
    /// ```
    pub struct UndefinedService {
        name: "undefined-service",
        code: "DC204",
        group: "compose-resources",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "A reference to a service that is not defined",
        target: Compose,
    }
}

/// A service name used somewhere, and where it is written.
struct Reference<'a> {
    name: &'a str,
    node: &'a Node,
    /// The name's byte range inside the node's value.
    part: std::ops::Range<usize>,
    /// How the reference is made, for the message: "`depends_on`".
    via: &'static str,
}

impl Rule for UndefinedService {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        let defined: Vec<&str> = cx.services().map(|s| s.name).collect();
        let defined_set: HashSet<&str> = defined.iter().copied().collect();
        for service in cx.services() {
            for reference in references(service.node) {
                if !defined_set.contains(reference.name) {
                    report(cx, &reference, service.name, &defined);
                }
            }
        }
        // `extends` without `file` names a service of the file it is written in.
        for root in compose_roots(cx.project) {
            let Some(services) = root.get("services").and_then(Node::as_mapping) else {
                continue;
            };
            let local: Vec<&str> = services
                .iter()
                .filter_map(|(k, _)| k.scalar_text())
                .collect();
            let local_set: HashSet<&str> = local.iter().copied().collect();
            for (key, definition) in services {
                let Some(extends) = definition.get("extends") else {
                    continue;
                };
                let target = match &extends.value {
                    Value::String(_) => Some(extends),
                    Value::Mapping(_) if extends.get("file").is_none() => extends.get("service"),
                    _ => None,
                };
                let Some((node, name)) = target.and_then(|n| Some((n, n.scalar_text()?))) else {
                    continue;
                };
                if !local_set.contains(name) && !name.contains('$') {
                    let reference = Reference {
                        name,
                        node,
                        part: 0..name.len(),
                        via: "`extends`",
                    };
                    report(
                        cx,
                        &reference,
                        key.scalar_text().unwrap_or_default(),
                        &local,
                    );
                }
            }
        }
    }
}

fn report(cx: &ComposeChecker, reference: &Reference, from: &str, defined: &[&str]) {
    let range: TextRange = part_range(cx.project, reference.node, reference.part.clone());
    let hint = did_you_mean(reference.name, defined.iter().copied());
    cx.report(cx.finding_in(
        reference.node,
        range,
        format!(
            "service `{}` used by {} of `{from}` is not defined{hint}",
            reference.name, reference.via
        ),
    ));
}

/// Every service a definition refers to, except through `extends`.
fn references(definition: &Node) -> Vec<Reference<'_>> {
    let mut out = Vec::new();
    match definition.get("depends_on").map(|n| &n.value) {
        Some(Value::Sequence(items)) => {
            for item in items {
                push_whole(&mut out, item, "`depends_on`");
            }
        }
        Some(Value::Mapping(entries)) => {
            for (key, _) in entries {
                push_whole(&mut out, key, "`depends_on`");
            }
        }
        _ => {}
    }
    for item in definition
        .get("links")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
    {
        if let Some(text) = item.scalar_text() {
            let name = text.split_once(':').map_or(text, |(name, _)| name);
            push_part(&mut out, item, 0, name, "`links`");
        }
    }
    if let Some(mode) = definition.get("network_mode")
        && let Some(name) = mode.scalar_text().and_then(|t| t.strip_prefix("service:"))
    {
        push_part(&mut out, mode, "service:".len(), name, "`network_mode`");
    }
    for item in definition
        .get("volumes_from")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
    {
        let Some(text) = item.scalar_text() else {
            continue;
        };
        if text.starts_with("container:") {
            continue;
        }
        let (offset, rest) = match text.strip_prefix("service:") {
            Some(rest) => ("service:".len(), rest),
            None => (0, text),
        };
        let name = rest.split_once(':').map_or(rest, |(name, _)| name);
        push_part(&mut out, item, offset, name, "`volumes_from`");
    }
    out
}

fn push_whole<'a>(out: &mut Vec<Reference<'a>>, node: &'a Node, via: &'static str) {
    if let Some(name) = node.scalar_text() {
        push_part(out, node, 0, name, via);
    }
}

fn push_part<'a>(
    out: &mut Vec<Reference<'a>>,
    node: &'a Node,
    offset: usize,
    name: &'a str,
    via: &'static str,
) {
    if name.is_empty() || name.contains('$') {
        return;
    }
    out.push(Reference {
        name,
        node,
        part: offset..offset + name.len(),
        via,
    });
}

#[cfg(test)]
mod tests {
    use super::super::test_support::findings;

    #[test]
    fn every_kind_of_reference() {
        let found = findings(
            "undefined-service",
            &[(
                "compose.yaml",
                "services:\n  web:\n    image: a:1\n    depends_on: [databse]\n    links:\n      - \"cache:redis\"\n      - db\n    volumes_from:\n      - service:store:ro\n      - container:other\n      - db:rw\n  sidecar:\n    image: b:1\n    network_mode: \"service:wbe\"\n    depends_on:\n      db:\n        condition: service_started\n      missing:\n        condition: service_healthy\n    extends:\n      service: bsae\n  db:\n    image: c:1\n",
            )],
        );
        assert_eq!(
            found,
            [
                "4:18 service `databse` used by `depends_on` of `web` is not defined",
                "6:10 service `cache` used by `links` of `web` is not defined",
                "9:17 service `store` used by `volumes_from` of `web` is not defined",
                "14:28 service `wbe` used by `network_mode` of `sidecar` is not defined (did you mean `web`?)",
                "18:7 service `missing` used by `depends_on` of `sidecar` is not defined",
                "21:16 service `bsae` used by `extends` of `sidecar` is not defined",
            ]
        );
    }
}
