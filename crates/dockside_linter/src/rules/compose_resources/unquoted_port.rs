use dockside_compose::yaml::{Node, TrapKind, Value, traps};

use super::compose_roots;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Fix, Severity};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports port mappings containing `:` written without quotes in `ports`
    /// or `expose`, such as `- 8080:80`.
    ///
    /// ## Why is this bad?
    /// An unquoted `xx:yy` is read by its look. `docker compose` (YAML 1.2)
    /// reads `8080:80` as a string, but YAML 1.1 parsers (PyYAML, the old
    /// `docker-compose`, many editor and CI tools) read `22:22` as the base-60
    /// number 1342: the mapping silently becomes another port, or the file is
    /// rejected. Such findings are errors; other unquoted mappings are
    /// warnings, because the same file breaks as soon as someone changes a
    /// port to a value below 60.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   ssh:
    ///     image: linuxserver/openssh-server:9.7
    ///     ports:
    ///       - 22:22
    ///       - 8080:80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   ssh:
    ///     image: linuxserver/openssh-server:9.7
    ///     ports:
    ///       - "22:22"
    ///       - "8080:80"
    /// ```
    ///
    /// ## Fix safety
    /// The fix wraps the value in double quotes. It is safe: `docker compose`
    /// already reads the value as that string.
    pub struct UnquotedPort {
        name: "unquoted-port",
        code: "DC201",
        group: "compose-resources",
        severity: Warning,
        aliases: ["require-quotes-in-ports"],
        fix: Always,
        summary: "A port mapping with `:` written without quotes",
        target: Compose,
    }
}

impl Rule for UnquotedPort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for root in compose_roots(cx.project) {
            let Some(services) = root.get("services").and_then(Node::as_mapping) else {
                continue;
            };
            for (_, service) in services {
                for key in ["ports", "expose"] {
                    let Some(items) = service.get(key).and_then(Node::as_sequence) else {
                        continue;
                    };
                    for item in items {
                        check_entry(cx, key, item);
                    }
                }
            }
        }
    }
}

fn check_entry(cx: &ComposeChecker, key: &str, item: &Node) {
    if !item.is_plain_scalar() || item.tag.is_some() {
        return;
    }
    let written = cx.project.written(item);
    if !written.contains(':') || written.contains('\n') {
        return;
    }
    let is_sexagesimal = traps(item).iter().any(|t| t.kind == TrapKind::Sexagesimal);
    let mut finding = if is_sexagesimal {
        cx.finding(
            item,
            format!(
                "`{written}` in `{key}` is not quoted: YAML 1.1 parsers read it as the base-60 number {}, not a port mapping; quote it",
                base_sixty(written)
            ),
        )
        .with_severity(Severity::Error)
    } else {
        cx.finding(
            item,
            format!(
                "`{written}` in `{key}` is not quoted; quote it so every YAML parser reads it as a string"
            ),
        )
    };
    // A value that already holds quotes or backslashes would need escaping: left alone.
    if matches!(item.value, Value::String(_)) && !written.contains(['"', '\\']) {
        finding = finding.with_fix(Fix::safe(
            "Quote the port mapping",
            vec![Edit::replace(item.range, format!("\"{written}\""))],
        ));
    }
    cx.report(finding);
}

/// The value YAML 1.1 gives `a:b[:c…]` (each part after the first is a base-60 digit).
fn base_sixty(text: &str) -> u128 {
    text.split(':')
        .map(|part| {
            part.bytes().filter(u8::is_ascii_digit).fold(0u128, |n, d| {
                n.saturating_mul(10).saturating_add(u128::from(d - b'0'))
            })
        })
        .fold(0u128, |n, part| n.saturating_mul(60).saturating_add(part))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::findings;

    #[test]
    fn reports_unquoted_mappings_with_the_base_sixty_value() {
        let found = findings(
            "unquoted-port",
            &[(
                "compose.yaml",
                "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - 22:22\n      - 8080:80\n      - \"9000:9000\"\n      - 80\n    expose:\n      - 3000\n",
            )],
        );
        assert_eq!(
            found,
            [
                "5:9 `22:22` in `ports` is not quoted: YAML 1.1 parsers read it as the base-60 number 1342, not a port mapping; quote it",
                "6:9 `8080:80` in `ports` is not quoted; quote it so every YAML parser reads it as a string",
            ]
        );
    }

    #[test]
    fn flow_sequences_and_ip_addresses() {
        let found = findings(
            "unquoted-port",
            &[(
                "compose.yaml",
                "services:\n  web:\n    image: nginx:1.27\n    ports: [127.0.0.1:8080:80, '443:443']\n",
            )],
        );
        assert_eq!(
            found,
            [
                "4:13 `127.0.0.1:8080:80` in `ports` is not quoted; quote it so every YAML parser reads it as a string"
            ]
        );
    }
}
