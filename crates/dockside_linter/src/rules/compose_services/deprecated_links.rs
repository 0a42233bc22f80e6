use dockside_compose::yaml::{Node, Value};
use dockside_syntax::TextRange;

use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Fix, Tag};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports the `links:` of a service.
    ///
    /// ## Why is this bad?
    /// `links` is a legacy feature of Docker's default bridge network. Compose
    /// puts every service of a project on the project's default network, where
    /// services already reach each other by service name (`db:5432`); `links`
    /// adds nothing but a start-order dependency, which `depends_on` states
    /// explicitly. Docker documents links as legacy and may remove them.
    ///
    /// An alias (`- db:database`) is the one thing links still do: use
    /// `networks: {default: {aliases: [database]}}` on the target service, or
    /// change the client to use the service name.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: example/web:1.4
    ///     links:
    ///       - db
    ///   db:
    ///     image: postgres:16
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: example/web:1.4
    ///     depends_on:
    ///       - db
    ///   db:
    ///     image: postgres:16
    /// ```
    ///
    /// ## Fix safety
    /// When every link names a service without an alias, the fix removes the
    /// `links` entry. It is unsafe: the start order the links implied is lost
    /// unless `depends_on` already states it.
    pub struct DeprecatedLinks {
        name: "deprecated-links",
        code: "DC102",
        group: "compose-services",
        severity: Warning,
        aliases: [],
        fix: Sometimes,
        summary: "`links` is a legacy feature: services reach each other by name",
        target: Compose,
    }
}

impl Rule for DeprecatedLinks {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            let Some(entries) = service.node.as_mapping() else {
                continue;
            };
            let Some((key, value)) = entries
                .iter()
                .find(|(k, _)| k.scalar_text() == Some("links"))
            else {
                continue;
            };
            let links: Vec<&str> = value
                .as_sequence()
                .map(|items| items.iter().filter_map(Node::scalar_text).collect())
                .unwrap_or_default();
            let aliased: Vec<&str> = links.iter().copied().filter(|l| l.contains(':')).collect();
            let mut message = format!(
                "`links` is a legacy feature: service `{}` already reaches other services by name on the project network",
                service.name
            );
            if aliased.is_empty() {
                message.push_str("; remove it (and use `depends_on` if the start order matters)");
            } else {
                message.push_str(&format!(
                    "; for the alias{} {}, add `networks: {{default: {{aliases: […]}}}}` to the target service instead",
                    if aliased.len() > 1 { "es" } else { "" },
                    aliased
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            let range = TextRange::new(key.range.start as usize, value.range.end as usize);
            let mut finding = cx.finding_in(key, range, message).with_tag(Tag::Deprecated);
            let removable = aliased.is_empty()
                && matches!(value.value, Value::Sequence(_))
                && key.file == value.file
                && value.anchor_of.is_none();
            if removable
                && let Some(file) = cx.project.files.get(key.file as usize)
                && let Some(lines) = entry_lines(&file.text, key, value)
            {
                finding =
                    finding.with_fix(Fix::unsafe_("Remove `links`", vec![Edit::delete(lines)]));
            }
            cx.report(finding);
        }
    }
}

/// The whole lines of a block `key: value` entry; `None` when something else shares them.
pub(crate) fn entry_lines(text: &str, key: &Node, value: &Node) -> Option<TextRange> {
    let key_start = key.range.start as usize;
    let line_start = text.get(..key_start)?.rfind('\n').map_or(0, |i| i + 1);
    if !text.get(line_start..key_start)?.trim().is_empty() {
        return None;
    }
    let end = (value.range.end as usize).max(key.range.end as usize);
    let rest = text.get(end..)?;
    let line_end = rest.find('\n').map_or(text.len(), |i| end + i + 1);
    let tail = text.get(end..line_end)?.trim();
    (tail.is_empty() || tail.starts_with('#')).then(|| TextRange::new(line_start, line_end))
}
