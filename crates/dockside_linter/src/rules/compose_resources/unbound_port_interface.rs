use dockside_compose::model::ports::{PortSyntax, ports};
use dockside_compose::yaml::ScalarStyle;

use super::unquote;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports published ports without a host address (`"8080:80"`,
    /// `- 80`, or a long-syntax entry without `host_ip`). Off by default:
    /// select it where services should only be reachable from the machine
    /// itself (development stacks, hosts behind a reverse proxy).
    ///
    /// ## Why is this bad?
    /// Without an address, Docker binds the port on every interface of the
    /// host and adds firewall rules ahead of the host's own (`ufw` and
    /// `firewalld` rules do not apply). A database published for a local tool
    /// becomes reachable from the whole network, or the internet.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:17
    ///     ports:
    ///       - "5432:5432"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:17
    ///     ports:
    ///       - "127.0.0.1:5432:5432"
    /// ```
    ///
    /// ## Fix safety
    /// For the short syntax, the fix binds the port to `127.0.0.1`. It is
    /// unsafe: other machines (and containers reaching the host's address)
    /// lose access to the port.
    pub struct UnboundPortInterface {
        name: "unbound-port-interface",
        code: "DC203",
        group: "compose-resources",
        severity: Warning,
        aliases: ["no-unbound-port-interfaces"],
        fix: Sometimes,
        summary: "A published port bound to every network interface of the host",
        opt_in: true,
        target: Compose,
    }
}

impl Rule for UnboundPortInterface {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            for mapping in ports(&service) {
                if mapping.spec.host_ip.is_some() {
                    continue;
                }
                let port = match mapping.spec.published {
                    Some(p) if p.start == p.end => format!("host port {p}"),
                    Some(p) => format!("host ports {p}"),
                    None => format!(
                        "a random host port (for container port {})",
                        mapping.spec.target
                    ),
                };
                let (at, remedy) = match mapping.syntax {
                    PortSyntax::Long => (
                        mapping
                            .published_node
                            .or_else(|| mapping.node.get("target"))
                            .unwrap_or(mapping.node),
                        "set `host_ip: 127.0.0.1`",
                    ),
                    _ => (mapping.node, "bind it to `127.0.0.1:`"),
                };
                let mut finding = cx.finding(
                    at,
                    format!(
                        "`{}` publishes {port} on every network interface; {remedy} if only this machine needs it",
                        service.name
                    ),
                );
                if let Some(edit) = bind_to_loopback(cx, &mapping) {
                    finding =
                        finding.with_fix(Fix::unsafe_("Bind the port to 127.0.0.1", vec![edit]));
                }
                cx.report(finding);
            }
        }
    }
}

/// `"8080:80"` → `"127.0.0.1:8080:80"`, `- 80` → `- "127.0.0.1::80"`, when the entry is
/// written as its value (not interpolated).
fn bind_to_loopback(
    cx: &ComposeChecker,
    mapping: &dockside_compose::model::ports::PortMapping,
) -> Option<Edit> {
    let node = mapping.node;
    let written = cx.project.written(node);
    let value = node.scalar_text()?;
    let prefix = if mapping.spec.published.is_some() {
        "127.0.0.1:"
    } else {
        "127.0.0.1::"
    };
    match (mapping.syntax, node.style?) {
        (PortSyntax::Number, ScalarStyle::Plain) | (PortSyntax::Short, ScalarStyle::Plain)
            if written == value =>
        {
            Some(Edit::replace(node.range, format!("\"{prefix}{value}\"")))
        }
        (PortSyntax::Short, ScalarStyle::DoubleQuoted) if unquote(written, '"') == Some(value) => {
            Some(Edit::insert(node.range.start as usize + 1, prefix))
        }
        (PortSyntax::Short, ScalarStyle::SingleQuoted) if unquote(written, '\'') == Some(value) => {
            Some(Edit::insert(node.range.start as usize + 1, prefix))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::findings;

    #[test]
    fn reports_ports_without_an_address() {
        let found = findings(
            "unbound-port-interface",
            &[(
                "compose.yaml",
                "services:\n  db:\n    image: postgres:17\n    ports:\n      - \"5432:5432\"\n      - 80\n      - \"127.0.0.1:6000:6000\"\n      - target: 9000\n        published: \"9000-9001\"\n      - target: 9100\n        host_ip: 0.0.0.0\n",
            )],
        );
        assert_eq!(
            found,
            [
                "5:9 `db` publishes host port 5432 on every network interface; bind it to `127.0.0.1:` if only this machine needs it",
                "6:9 `db` publishes a random host port (for container port 80) on every network interface; bind it to `127.0.0.1:` if only this machine needs it",
                "9:20 `db` publishes host ports 9000-9001 on every network interface; set `host_ip: 127.0.0.1` if only this machine needs it",
            ]
        );
    }
}
