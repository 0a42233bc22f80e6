//! A service's `ports`, in every form Compose accepts: a number (`80`), the short syntax
//! `[ip:][host[-range]:]container[-range][/protocol]` (IPv6 addresses in brackets or bare,
//! as Docker splits them), and the long syntax `{target, published, host_ip, protocol, mode}`.

use std::fmt;
use std::net::IpAddr;

use crate::project::Service;
use crate::yaml::{Node, Value};

/// An inclusive range of port numbers (a single port has `start == end`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PortRange {
    pub start: u16,
    pub end: u16,
}

impl PortRange {
    pub fn single(port: u16) -> Self {
        PortRange {
            start: port,
            end: port,
        }
    }

    pub fn overlaps(&self, other: &PortRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// The ports both ranges contain.
    pub fn intersection(&self, other: &PortRange) -> Option<PortRange> {
        self.overlaps(other).then(|| PortRange {
            start: self.start.max(other.start),
            end: self.end.min(other.end),
        })
    }

    /// Parses `8080` or `8000-8010`.
    pub fn parse(text: &str) -> Result<PortRange, String> {
        let (start, end) = match text.split_once('-') {
            Some((s, e)) => (parse_port_number(s)?, parse_port_number(e)?),
            None => {
                let p = parse_port_number(text)?;
                (p, p)
            }
        };
        if start > end {
            return Err(format!(
                "invalid port range `{text}`: {start} is above {end}"
            ));
        }
        Ok(PortRange { start, end })
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}-{}", self.start, self.end)
        }
    }
}

fn parse_port_number(text: &str) -> Result<u16, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("invalid port `{text}`"));
    }
    text.parse::<u16>()
        .map_err(|_| format!("port `{text}` is out of range (0-65535)"))
}

/// What one `ports` entry says, independent of how it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortSpec {
    /// The host address the port is bound to, without brackets; `None`: every interface.
    pub host_ip: Option<String>,
    /// The host port(s); `None`: a free port chosen by Docker (or `0`).
    pub published: Option<PortRange>,
    /// The container port(s).
    pub target: PortRange,
    /// Lowercase; `tcp` when not written.
    pub protocol: String,
}

impl PortSpec {
    /// Whether the host address is missing or unspecified (`0.0.0.0`, `::`): every interface.
    pub fn binds_every_interface(&self) -> bool {
        match self.host_ip.as_deref() {
            None => true,
            Some(ip) => ip.parse::<IpAddr>().is_ok_and(|ip| ip.is_unspecified()),
        }
    }
}

/// Parses the short syntax: `80`, `8080:80`, `127.0.0.1:8080:80`, `[::1]:8080:80/udp`,
/// `127.0.0.1::80`, `8000-8010:8000-8010`.
pub fn parse_port_spec(text: &str) -> Result<PortSpec, String> {
    let (address, protocol) = match text.rsplit_once('/') {
        Some((a, p)) if !p.is_empty() => (a, p.to_ascii_lowercase()),
        Some(_) => return Err(format!("missing protocol after `/` in `{text}`")),
        None => (text, "tcp".to_string()),
    };
    // Docker's split: the last part is the container port, the one before it the host
    // port, and everything before those the address (so bare IPv6 addresses work).
    let mut parts = address.rsplitn(3, ':');
    let container = parts.next().unwrap_or_default();
    let host = parts.next();
    let ip = parts.next();
    let target = PortRange::parse(container)?;
    if target.start == 0 {
        return Err(format!("invalid container port `{container}`"));
    }
    let published = match host {
        None | Some("") => None,
        Some(h) => Some(PortRange::parse(h)?).filter(|r| r.end != 0),
    };
    let host_ip = match ip {
        None | Some("") => None,
        Some(ip) => {
            let bare = ip
                .strip_prefix('[')
                .and_then(|i| i.strip_suffix(']'))
                .unwrap_or(ip);
            if bare.parse::<IpAddr>().is_err() {
                return Err(format!("invalid host IP `{ip}` in `{text}`"));
            }
            Some(bare.to_string())
        }
    };
    Ok(PortSpec {
        host_ip,
        published,
        target,
        protocol,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortSyntax {
    /// `- 80`
    Number,
    /// `- "8080:80"`
    Short,
    /// `- target: 80` …
    Long,
}

/// One `ports` entry of a service.
#[derive(Clone, Debug)]
pub struct PortMapping<'a> {
    /// The list item.
    pub node: &'a Node,
    pub syntax: PortSyntax,
    pub spec: PortSpec,
    /// `mode:` of the long syntax (`host` or `ingress`).
    pub mode: Option<String>,
    /// Where the host port is written: the `published:` value, or the entry itself.
    pub published_node: Option<&'a Node>,
}

/// Reads one `ports` entry. `Err` for entries Compose would reject and for values that
/// still hold an unresolved `${VAR}` (their meaning is not known).
pub fn port_mapping(node: &Node) -> Result<PortMapping<'_>, String> {
    match &node.value {
        Value::Int(n) => {
            let port = u16::try_from(*n)
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| format!("invalid port `{n}`"))?;
            Ok(PortMapping {
                node,
                syntax: PortSyntax::Number,
                spec: PortSpec {
                    host_ip: None,
                    published: None,
                    target: PortRange::single(port),
                    protocol: "tcp".into(),
                },
                mode: None,
                published_node: None,
            })
        }
        Value::String(text) => {
            reject_unresolved(text)?;
            let spec = parse_port_spec(text)?;
            Ok(PortMapping {
                node,
                syntax: PortSyntax::Short,
                published_node: spec.published.map(|_| node),
                spec,
                mode: None,
            })
        }
        Value::Mapping(_) => long_port(node),
        _ => Err("a port must be a number, a string or a mapping".into()),
    }
}

fn long_port(node: &Node) -> Result<PortMapping<'_>, String> {
    let text_of = |key: &str| -> Result<Option<&str>, String> {
        match node.get(key) {
            None => Ok(None),
            Some(v) if v.is_null() => Ok(None),
            Some(v) => {
                let text = v
                    .scalar_text()
                    .ok_or_else(|| format!("`{key}` must be a scalar"))?;
                reject_unresolved(text)?;
                Ok(Some(text))
            }
        }
    };
    let target_text = text_of("target")?.ok_or("a long-syntax port needs `target`")?;
    let target = PortRange::parse(target_text)?;
    if target.start == 0 {
        return Err(format!("invalid target port `{target_text}`"));
    }
    let published = match text_of("published")? {
        None | Some("") => None,
        Some(p) => Some(PortRange::parse(p)?).filter(|r| r.end != 0),
    };
    let host_ip = match text_of("host_ip")? {
        None | Some("") => None,
        Some(ip) => {
            let bare = ip
                .strip_prefix('[')
                .and_then(|i| i.strip_suffix(']'))
                .unwrap_or(ip);
            if bare.parse::<IpAddr>().is_err() {
                return Err(format!("invalid host IP `{ip}`"));
            }
            Some(bare.to_string())
        }
    };
    let protocol = text_of("protocol")?.map_or_else(|| "tcp".into(), str::to_ascii_lowercase);
    Ok(PortMapping {
        node,
        syntax: PortSyntax::Long,
        published_node: published.and(node.get("published")),
        spec: PortSpec {
            host_ip,
            published,
            target,
            protocol,
        },
        mode: text_of("mode")?.map(str::to_string),
    })
}

fn reject_unresolved(text: &str) -> Result<(), String> {
    if text.contains('$') {
        Err(format!("`{text}` is not interpolated"))
    } else {
        Ok(())
    }
}

/// The `ports` entries of a service that can be read (see [`port_mapping`]).
pub fn ports<'a>(service: &Service<'a>) -> Vec<PortMapping<'a>> {
    service
        .get("ports")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(|item| port_mapping(item).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    fn spec(text: &str) -> PortSpec {
        parse_port_spec(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn range(start: u16, end: u16) -> PortRange {
        PortRange { start, end }
    }

    #[test]
    fn short_syntax() {
        let s = spec("80");
        assert_eq!(
            (s.host_ip, s.published, s.target),
            (None, None, range(80, 80))
        );
        assert_eq!(s.protocol, "tcp");

        let s = spec("8080:80");
        assert_eq!(
            (s.published, s.target),
            (Some(range(8080, 8080)), range(80, 80))
        );

        let s = spec("127.0.0.1:8080:80/UDP");
        assert_eq!(s.host_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(s.protocol, "udp");
        assert!(!s.binds_every_interface());

        let s = spec("127.0.0.1::80");
        assert_eq!((s.published, s.target), (None, range(80, 80)));

        let s = spec("8000-8010:9000-9010");
        assert_eq!(
            (s.published, s.target),
            (Some(range(8000, 8010)), range(9000, 9010))
        );

        let s = spec("0.0.0.0:53:53/udp");
        assert!(s.binds_every_interface());
        assert_eq!(s.protocol, "udp");

        assert_eq!(spec("0:80").published, None);
    }

    #[test]
    fn ipv6_addresses() {
        let s = spec("[::1]:8080:80");
        assert_eq!(s.host_ip.as_deref(), Some("::1"));
        assert_eq!(s.published, Some(range(8080, 8080)));
        let s = spec("::1:8080:80");
        assert_eq!(s.host_ip.as_deref(), Some("::1"));
        let s = spec("[::]:443:443/tcp");
        assert!(s.binds_every_interface());
    }

    #[test]
    fn invalid_short_syntax() {
        for bad in [
            "",
            "abc",
            "80:",
            "70000",
            "8010-8000:80",
            "1.2.3:80:80",
            "80/",
            "x:80:80",
            ":",
        ] {
            assert!(parse_port_spec(bad).is_err(), "{bad}");
        }
    }

    fn first_entry(text: &str) -> Node {
        let doc = yaml::load(text).documents.remove(0);
        doc.get("ports").unwrap().as_sequence().unwrap()[0].clone()
    }

    #[test]
    fn entries_in_every_form() {
        let node = first_entry("ports:\n  - 80\n");
        let m = port_mapping(&node).unwrap();
        assert_eq!(m.syntax, PortSyntax::Number);
        assert_eq!(m.spec.target, range(80, 80));
        assert!(m.published_node.is_none());

        let node = first_entry("ports:\n  - \"8080:80\"\n");
        let m = port_mapping(&node).unwrap();
        assert_eq!(m.syntax, PortSyntax::Short);
        assert_eq!(m.published_node.map(|n| n.range), Some(node.range));

        let node = first_entry(
            "ports:\n  - target: 80\n    published: \"8080-8081\"\n    host_ip: 127.0.0.1\n    protocol: udp\n    mode: host\n",
        );
        let m = port_mapping(&node).unwrap();
        assert_eq!(m.syntax, PortSyntax::Long);
        assert_eq!(m.spec.published, Some(range(8080, 8081)));
        assert_eq!(m.spec.host_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(m.spec.protocol, "udp");
        assert_eq!(m.mode.as_deref(), Some("host"));
        assert_eq!(
            m.published_node.and_then(Node::scalar_text),
            Some("8080-8081")
        );

        let node = first_entry("ports:\n  - target: 80\n");
        let m = port_mapping(&node).unwrap();
        assert_eq!(m.spec.published, None);
    }

    #[test]
    fn unresolved_and_invalid_entries_are_errors() {
        for text in [
            "ports:\n  - \"${PORT}:80\"\n",
            "ports:\n  - published: 80\n",
            "ports:\n  - target: [80]\n",
            "ports:\n  - true\n",
            "ports:\n  - -1\n",
        ] {
            let node = first_entry(text);
            assert!(port_mapping(&node).is_err(), "{text}");
        }
    }

    #[test]
    fn ranges_overlap() {
        assert!(range(8000, 8010).overlaps(&range(8010, 8020)));
        assert!(!range(8000, 8010).overlaps(&range(8011, 8020)));
        assert_eq!(
            range(8000, 8010).intersection(&range(8005, 9000)),
            Some(range(8005, 8010))
        );
        assert_eq!(range(80, 90).to_string(), "80-90");
        assert_eq!(range(80, 80).to_string(), "80");
    }
}
