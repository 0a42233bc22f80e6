//! Checks on string values: durations, sizes, port specifications, policies.

use std::net::IpAddr;

use super::shape::Format;
use super::validate::{closest, list_values};

pub(crate) const PULL_POLICIES: &[&str] = &[
    "always",
    "never",
    "build",
    "if_not_present",
    "missing",
    "refresh",
    "daily",
    "weekly",
];
pub(crate) const RESTART_POLICIES: &[&str] = &["no", "always", "on-failure", "unless-stopped"];
pub(crate) const PROTOCOLS: &[&str] = &["tcp", "udp", "sctp"];

/// Checks `text` against `format`; `strict` adds what `docker compose` and the engine
/// require beyond the JSON schema. Returns the message and a suggested value.
pub(crate) fn check(
    format: Format,
    text: &str,
    strict: bool,
    name: &str,
) -> Option<(String, Option<String>)> {
    if !strict {
        let fits = match format {
            Format::PullPolicy => loose_pull_policy(text),
            Format::ContainerName => loose_container_name(text),
            _ => true,
        };
        return (!fits).then(|| describe_failure(format, text, name));
    }
    // An empty value comes from an unset variable, which its own rule reports; only the
    // schema's own patterns reject it here.
    if text.is_empty() && !format.schema_pattern() {
        return None;
    }
    let problem = match format {
        Format::None => None,
        Format::Duration => (!is_duration(text)).then(String::new),
        Format::ByteSize => (!is_byte_size(text)).then(String::new),
        Format::Port => port_problem(text),
        Format::Expose => expose_problem(text),
        Format::Restart => (!is_restart(text)).then(String::new),
        Format::PullPolicy => (!is_pull_policy(text)).then(String::new),
        Format::ContainerName => (!is_container_name(text)).then(String::new),
        Format::Protocol => (!is_protocol(text)).then(String::new),
        Format::OneOf(values) => (!values.contains(&text)).then(String::new),
    }?;
    let (mut message, suggestion) = describe_failure(format, text, name);
    if !problem.is_empty() {
        message.push_str(": ");
        message.push_str(&problem);
    }
    Some((message, suggestion))
}

fn describe_failure(format: Format, text: &str, name: &str) -> (String, Option<String>) {
    let with_suggestion = |message: String, candidates: &'static [&'static str]| {
        let suggestion = closest(text, candidates.iter().copied());
        match &suggestion {
            Some(s) => (format!("{message}: did you mean `{s}`?"), suggestion),
            None => (message, None),
        }
    };
    match format {
        Format::None => (format!("invalid {name} `{text}`"), None),
        Format::Duration => (
            format!("{name} must be a duration like `30s`, `1m30s` or `500ms`, not `{text}`"),
            None,
        ),
        Format::ByteSize => (
            format!("{name} must be a size like `512m`, `1g` or a number of bytes, not `{text}`"),
            None,
        ),
        Format::Port => (
            format!(
                "invalid port `{text}`: expected `[ip:][host:]container[/protocol]`, like `\"8080:80\"`"
            ),
            None,
        ),
        Format::Expose => (
            format!(
                "invalid port `{text}`: expected a port or a range with an optional protocol, like `8080` or `8000-8010/udp`"
            ),
            None,
        ),
        Format::Restart => with_suggestion(
            format!(
                "{name} must be `no`, `always`, `on-failure[:max-retries]` or `unless-stopped`, not `{text}`"
            ),
            RESTART_POLICIES,
        ),
        Format::PullPolicy => with_suggestion(
            format!(
                "{name} must be `always`, `never`, `missing`, `build`, `if_not_present`, `refresh`, `daily`, `weekly` or `every_<duration>`, not `{text}`"
            ),
            PULL_POLICIES,
        ),
        Format::ContainerName => (
            format!(
                "invalid container name `{text}`: it must start with a letter or a digit, followed by letters, digits, `_`, `.` or `-`"
            ),
            None,
        ),
        Format::Protocol => with_suggestion(
            format!("{name} must be `tcp`, `udp` or `sctp`, not `{text}`"),
            PROTOCOLS,
        ),
        Format::OneOf(values) => with_suggestion(
            format!("{name} must be {}, not `{text}`", list_values(values)),
            values,
        ),
    }
}

/// Go durations (`1h30m`, `1.5s`, `-2m`, `0`), plus the `d` and `w` units Compose accepts.
pub(crate) fn is_duration(text: &str) -> bool {
    let rest = text.strip_prefix(['+', '-']).unwrap_or(text);
    if rest == "0" {
        return true;
    }
    if rest.is_empty() {
        return false;
    }
    let mut rest = rest;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..digits];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return false;
        }
        rest = &rest[digits..];
        let unit_len = ["ns", "us", "µs", "μs", "ms", "s", "m", "h", "d", "w"]
            .iter()
            .find(|unit| rest.starts_with(**unit))
            .map(|unit| unit.len());
        // `m` must not eat the `m` of `ms`: the two-letter units are listed first.
        match unit_len {
            Some(len) => rest = &rest[len..],
            None => return false,
        }
    }
    true
}

/// go-units' RAMInBytes: `1024`, `512m`, `1.5GB`, `10 KiB`.
pub(crate) fn is_byte_size(text: &str) -> bool {
    let digits_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(digits_end);
    let mut parts = number.split('.');
    if !parts.all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let suffix = suffix.strip_prefix(' ').unwrap_or(suffix);
    let mut chars = suffix.chars().peekable();
    if chars
        .peek()
        .is_some_and(|c| "kmgtp".contains(c.to_ascii_lowercase()))
    {
        chars.next();
    }
    if chars.peek().is_some_and(|c| c.eq_ignore_ascii_case(&'i')) {
        chars.next();
    }
    if chars.peek().is_some_and(|c| c.eq_ignore_ascii_case(&'b')) {
        chars.next();
    }
    chars.next().is_none()
}

fn is_restart(text: &str) -> bool {
    match text.strip_prefix("on-failure:") {
        Some(count) => !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()),
        None => RESTART_POLICIES.contains(&text),
    }
}

fn is_pull_policy(text: &str) -> bool {
    PULL_POLICIES.contains(&text) || text.strip_prefix("every_").is_some_and(is_interval)
}

/// `([0-9]+[wdhms])+`
fn is_interval(text: &str) -> bool {
    let mut rest = text;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        match rest.chars().next() {
            Some('w' | 'd' | 'h' | 'm' | 's') => rest = &rest[1..],
            _ => return false,
        }
    }
    true
}

/// The schema's pattern, not anchored: the value only has to contain a policy.
fn loose_pull_policy(text: &str) -> bool {
    PULL_POLICIES.iter().any(|policy| text.contains(policy))
        || text.match_indices("every_").any(|(at, _)| {
            let after = &text[at + "every_".len()..];
            let digits = after
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len());
            digits > 0 && after[digits..].starts_with(['w', 'd', 'h', 'm', 's'])
        })
}

fn is_container_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

fn is_container_name(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 2
        && bytes[0].is_ascii_alphanumeric()
        && bytes.iter().all(|b| is_container_name_char(*b))
}

/// The schema's pattern, not anchored: two such characters somewhere are enough.
fn loose_container_name(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_alphanumeric() && is_container_name_char(w[1]))
}

fn is_protocol(text: &str) -> bool {
    PROTOCOLS.iter().any(|p| p.eq_ignore_ascii_case(text))
}

/// A port or range: `80`, `8000-8010`. Returns its size.
fn port_range(text: &str) -> Result<u32, String> {
    let parse = |part: &str| -> Result<u32, String> {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("`{part}` is not a port number"));
        }
        match part.parse::<u32>() {
            Ok(port) if port <= 65535 => Ok(port),
            _ => Err(format!("port {part} is out of range (0-65535)")),
        }
    };
    match text.split_once('-') {
        None => parse(text).map(|_| 1),
        Some((start, end)) => {
            let (start, end) = (parse(start)?, parse(end)?);
            if start > end {
                Err(format!("the range `{text}` ends before it starts"))
            } else {
                Ok(end - start + 1)
            }
        }
    }
}

fn split_protocol(text: &str) -> Result<&str, String> {
    match text.rsplit_once('/') {
        Some((body, protocol)) if is_protocol(protocol) => Ok(body),
        Some((_, protocol)) => Err(format!(
            "unknown protocol `{protocol}` (use `tcp`, `udp` or `sctp`)"
        )),
        None => Ok(text),
    }
}

/// What is wrong with a short port specification, or `None`.
fn port_problem(text: &str) -> Option<String> {
    let body = match split_protocol(text) {
        Ok(body) => body,
        Err(problem) => return Some(problem),
    };
    let (ip, ports) = match body.strip_prefix('[') {
        Some(bracketed) => match bracketed.split_once("]:") {
            Some((ip, rest)) => (Some(ip), rest),
            None => return Some("unclosed `[` around the IP address".to_string()),
        },
        None => (None, body),
    };
    let parts: Vec<&str> = ports.split(':').collect();
    let (ip, host, container) = match (ip, parts.as_slice()) {
        (None, [container]) => (None, None, *container),
        (None, [host, container]) => (None, Some(*host), *container),
        (Some(ip), [host, container]) => (Some(ip.to_string()), Some(*host), *container),
        (None, [ip @ .., host, container]) => (Some(ip.join(":")), Some(*host), *container),
        (Some(_), _) => return Some("expected `[ip]:host:container`".to_string()),
        (None, []) => return Some("empty port".to_string()),
    };
    if let Some(ip) = ip.filter(|ip| !ip.is_empty())
        && ip.parse::<IpAddr>().is_err()
    {
        return Some(format!("`{ip}` is not an IP address"));
    }
    let container_size = match port_range(container) {
        Ok(size) => size,
        Err(problem) => return Some(format!("container port: {problem}")),
    };
    if let Some(host) = host.filter(|h| !h.is_empty()) {
        match port_range(host) {
            Ok(host_size) if container_size > 1 && host_size != container_size => {
                return Some(format!(
                    "the host range has {host_size} ports but the container range has {container_size}"
                ));
            }
            Ok(_) => {}
            Err(problem) => return Some(format!("host port: {problem}")),
        }
    }
    None
}

fn expose_problem(text: &str) -> Option<String> {
    let body = match split_protocol(text) {
        Ok(body) => body,
        Err(problem) => return Some(problem),
    };
    port_range(body).err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for ok in ["30s", "1m30s", "1.5h", "500ms", "0", "-1s", "2d", "10us"] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in ["30", "s", "1x", "1.2.3s", "", "1m30"] {
            assert!(!is_duration(bad), "{bad}");
        }
    }

    #[test]
    fn byte_sizes() {
        for ok in ["1024", "512m", "1.5GB", "10 KiB", "1g", "64M"] {
            assert!(is_byte_size(ok), "{ok}");
        }
        for bad in ["m", "12x", "1.g", "-1", "1 g b"] {
            assert!(!is_byte_size(bad), "{bad}");
        }
    }

    #[test]
    fn ports() {
        for ok in [
            "80",
            "8080:80",
            "127.0.0.1:8080:80",
            "127.0.0.1::80",
            "[::1]:8080:80",
            "8000-8010:8000-8010",
            "9090-9091:8080",
            "53:53/udp",
            "::1:8080:80",
        ] {
            assert_eq!(port_problem(ok), None, "{ok}");
        }
        for bad in [
            "80:80:80:x",
            "70000:80",
            "8080:80/http",
            "a:80",
            "8000-8002:80-81",
            "localhost:80:80",
        ] {
            assert!(port_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn policies() {
        assert!(is_restart("on-failure:3"));
        assert!(!is_restart("on-failure:"));
        assert!(is_pull_policy("every_12h30m"));
        assert!(!is_pull_policy("every_"));
        assert!(loose_pull_policy("xalwaysx"));
        assert!(!loose_pull_policy("sometimes"));
        assert!(loose_container_name("-ab"));
        assert!(!is_container_name("-ab"));
    }
}
