use std::collections::HashMap;
use std::net::IpAddr;

use dockside_compose::Service;
use dockside_compose::model::ports::{PortMapping, PortRange, ports};

use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a host port published twice: by two services, or twice by one
    /// service, on the same protocol and an address both bindings use. Port
    /// ranges count as every port they contain; a binding without an address
    /// (or on `0.0.0.0` / `::`) takes the port on every address of its family.
    /// Values are compared after interpolation, so `${WEB_PORT:-8080}` counts
    /// as 8080. Services in disjoint profiles never run together and are not
    /// compared.
    ///
    /// ## Why is this bad?
    /// Only one container can hold a host port. `docker compose up` starts the
    /// first service and fails on the second with `port is already allocated`
    /// (or `address already in use`), often after the stack is half started.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     ports:
    ///       - "8080:80"
    ///   admin:
    ///     image: adminer:4.8.1
    ///     ports:
    ///       - "8080:8080"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     ports:
    ///       - "8080:80"
    ///   admin:
    ///     image: adminer:4.8.1
    ///     ports:
    ///       - "8081:8080"
    /// ```
    pub struct HostPortConflict {
        name: "host-port-conflict",
        code: "DC202",
        group: "compose-resources",
        severity: Error,
        aliases: ["no-duplicate-exported-ports"],
        fix: None,
        summary: "The same host port published twice",
        target: Compose,
    }
}

impl Rule for HostPortConflict {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        let mut seen: Vec<(Service, PortMapping, PortRange)> = Vec::new();
        // Which of `seen` publish each host port (ranges of up to WIDE ports), and
        // the wider ranges: a file with thousands of services stays linear.
        let mut by_port: HashMap<u16, Vec<usize>> = HashMap::new();
        // The same by port and profile (`""` for a service without profiles), so
        // that services in their own profiles are not compared with each other.
        let mut by_port_profile: HashMap<(u16, &str), Vec<usize>> = HashMap::new();
        let mut wide: Vec<usize> = Vec::new();
        for service in cx.services() {
            let profiles = service.profiles();
            let runs_with_all = profiles.is_empty() || profiles.contains(&"*");
            let keys: Vec<&str> = if profiles.is_empty() {
                vec![""]
            } else {
                profiles.clone()
            };
            for mapping in ports(&service) {
                let Some(published) = mapping.spec.published else {
                    continue;
                };
                let clashes_with = |i: usize| {
                    let (other_service, other, other_range) = &seen[i];
                    let shared = published.intersection(other_range)?;
                    (mapping.spec.protocol == other.spec.protocol
                        && addresses_collide(
                            mapping.spec.host_ip.as_deref(),
                            other.spec.host_ip.as_deref(),
                        )
                        && may_run_together(&service, other_service))
                    .then_some((other_service, other, shared))
                };
                let clash = if published.start == published.end && wide.is_empty() {
                    let port = published.start;
                    if runs_with_all {
                        // One port: its list is already in order.
                        by_port
                            .get(&port)
                            .into_iter()
                            .flatten()
                            .find_map(|&i| clashes_with(i))
                    } else {
                        let mut candidates: Vec<usize> = ["", "*"]
                            .iter()
                            .chain(&profiles)
                            .flat_map(|&p| by_port_profile.get(&(port, p)).into_iter().flatten())
                            .copied()
                            .collect();
                        candidates.sort_unstable();
                        candidates.dedup();
                        candidates.into_iter().find_map(clashes_with)
                    }
                } else {
                    let mut candidates: Vec<usize> = if is_wide(published) {
                        (0..seen.len()).collect()
                    } else {
                        (published.start..=published.end)
                            .flat_map(|port| by_port.get(&port).into_iter().flatten().copied())
                            .chain(wide.iter().copied())
                            .collect()
                    };
                    candidates.sort_unstable();
                    candidates.dedup();
                    candidates.into_iter().find_map(clashes_with)
                };
                if let Some((other_service, other, shared)) = clash {
                    let node = mapping.published_node.unwrap_or(mapping.node);
                    let other_node = other.published_node.unwrap_or(other.node);
                    let what = describe(&mapping, shared);
                    let (owner, consequence) = if other_service.name == service.name {
                        ("this service".to_string(), "the container")
                    } else {
                        (
                            format!("service `{}`", other_service.name),
                            "the second container",
                        )
                    };
                    let message = format!(
                        "host {what} is already published by {owner} (line {}): {consequence} cannot start",
                        cx.line_of(other_node)
                    );
                    cx.report(cx.finding(node, message).with_related(
                        cx.file_of(other_node),
                        other_node.range,
                        format!("{what} first published here"),
                    ));
                }
                if is_wide(published) {
                    wide.push(seen.len());
                } else {
                    for port in published.start..=published.end {
                        by_port.entry(port).or_default().push(seen.len());
                        for &key in &keys {
                            by_port_profile
                                .entry((port, key))
                                .or_default()
                                .push(seen.len());
                        }
                    }
                }
                seen.push((service, mapping, published));
            }
        }
    }
}

/// Ranges wider than this are compared with every other mapping instead of indexed
/// port by port.
const WIDE: u16 = 256;

fn is_wide(range: PortRange) -> bool {
    range.end.saturating_sub(range.start) >= WIDE
}

/// `port 8080/tcp`, `ports 8000-8005/udp`, `port 127.0.0.1:8080/tcp`.
fn describe(mapping: &PortMapping, shared: PortRange) -> String {
    let noun = if shared.start == shared.end {
        "port"
    } else {
        "ports"
    };
    match mapping.spec.host_ip.as_deref() {
        Some(ip) if ip.contains(':') => format!("{noun} [{ip}]:{shared}/{}", mapping.spec.protocol),
        Some(ip) => format!("{noun} {ip}:{shared}/{}", mapping.spec.protocol),
        None => format!("{noun} {shared}/{}", mapping.spec.protocol),
    }
}

/// Whether two bindings use a common host address. No address means every address of
/// both families; an unspecified address (`0.0.0.0`, `::`) every address of its family.
fn addresses_collide(a: Option<&str>, b: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    match (a.parse::<IpAddr>(), b.parse::<IpAddr>()) {
        (Ok(a), Ok(b)) => {
            a == b || (a.is_ipv4() == b.is_ipv4() && (a.is_unspecified() || b.is_unspecified()))
        }
        _ => a == b,
    }
}

/// Whether two services can be started together: either runs without a profile, or they
/// share one.
fn may_run_together(a: &Service, b: &Service) -> bool {
    let (pa, pb) = (a.profiles(), b.profiles());
    pa.is_empty()
        || pb.is_empty()
        || pa.iter().any(|p| *p == "*" || pb.contains(p))
        || pb.contains(&"*")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::findings;

    fn check(compose: &str) -> Vec<String> {
        findings("host-port-conflict", &[("compose.yaml", compose)])
    }

    #[test]
    fn two_services_on_one_port() {
        assert_eq!(
            check(
                "services:\n  web:\n    image: a:1\n    ports: [\"8080:80\"]\n  api:\n    image: b:1\n    ports:\n      - target: 8080\n        published: 8080\n"
            ),
            [
                "9:20 host port 8080/tcp is already published by service `web` (line 4): the second container cannot start"
            ]
        );
    }

    #[test]
    fn ranges_addresses_and_protocols() {
        let found = check(
            "services:\n  a:\n    image: a:1\n    ports:\n      - \"8000-8010:8000-8010\"\n      - \"127.0.0.1:53:53/udp\"\n  b:\n    image: b:1\n    ports:\n      - \"8005:80\"\n      - \"53:53/tcp\"\n      - \"127.0.0.2:53:53/udp\"\n      - \"0.0.0.0:53:53/udp\"\n      - \"[::1]:8000:80\"\n",
        );
        assert_eq!(
            found,
            [
                "10:9 host port 8005/tcp is already published by service `a` (line 5): the second container cannot start",
                "13:9 host port 0.0.0.0:53/udp is already published by service `a` (line 6): the second container cannot start",
                "14:9 host port [::1]:8000/tcp is already published by service `a` (line 5): the second container cannot start",
            ]
        );
    }

    #[test]
    fn twice_in_one_service_and_profiles() {
        let found = check(
            "services:\n  a:\n    image: a:1\n    ports: [\"80:80\", \"80:8080\"]\n  dev:\n    image: b:1\n    profiles: [dev]\n    ports: [\"9000:9000\"]\n  prod:\n    image: b:1\n    profiles: [prod]\n    ports: [\"9000:9000\"]\n  ephemeral:\n    image: c:1\n    ports: [\"80\", \"127.0.0.1::80\"]\n",
        );
        assert_eq!(
            found,
            [
                "4:22 host port 80/tcp is already published by this service (line 4): the container cannot start"
            ]
        );
    }
}
