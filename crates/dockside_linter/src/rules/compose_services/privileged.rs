use dockside_compose::yaml::{Node, Value};

use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports services that get every capability of the host's root user:
    /// `privileged: true`, and `cap_add: [ALL]` (which grants all
    /// capabilities, the bulk of what `privileged` does).
    ///
    /// Sharing the host's namespaces (`network_mode: host`, `pid: host`) is a
    /// different trade-off and not reported here.
    ///
    /// ## Why is this bad?
    /// A privileged container can access every device of the host, load kernel
    /// modules and mount the host's disks: a compromise of the application is
    /// a compromise of the host. Most services that "need" it only need one
    /// capability (`cap_add: [NET_ADMIN]`) or one device (`devices:`).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   vpn:
    ///     image: example/vpn:2.0
    ///     privileged: true
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   vpn:
    ///     image: example/vpn:2.0
    ///     cap_add:
    ///       - NET_ADMIN
    ///     devices:
    ///       - /dev/net/tun
    /// ```
    pub struct Privileged {
        name: "privileged",
        code: "DC110",
        group: "compose-services",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "Service runs privileged (or with all capabilities)",
        target: Compose,
    }
}

impl Rule for Privileged {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            if let Some(node) = service.get("privileged")
                && is_true(node)
            {
                let range = service
                    .node
                    .as_mapping()
                    .and_then(|m| {
                        m.iter()
                            .find(|(k, _)| k.scalar_text() == Some("privileged"))
                    })
                    .map_or(node.range, |(k, v)| {
                        dockside_syntax::TextRange::new(
                            k.range.start as usize,
                            v.range.end as usize,
                        )
                    });
                cx.report(cx.finding_in(
                    node,
                    range,
                    format!(
                        "service `{}` runs privileged: it can use every device of the host, load kernel modules and mount its disks, so a compromise of the container is a compromise of the host; grant only the capabilities (`cap_add`) or `devices` it needs",
                        service.name
                    ),
                ));
            }
            let all = service
                .get("cap_add")
                .and_then(Node::as_sequence)
                .and_then(|caps| {
                    caps.iter().find(|c| {
                        c.as_str().is_some_and(|s| {
                            let s = s.trim().to_ascii_uppercase();
                            s == "ALL" || s == "CAP_ALL"
                        })
                    })
                });
            if let Some(node) = all {
                cx.report(cx.finding(
                    node,
                    format!(
                        "service `{}` adds every capability (`cap_add: ALL`), which is nearly `privileged`; add only the capabilities it needs",
                        service.name
                    ),
                ));
            }
        }
    }
}

fn is_true(node: &Node) -> bool {
    match &node.value {
        Value::Bool(b) => *b,
        Value::String(s) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}
