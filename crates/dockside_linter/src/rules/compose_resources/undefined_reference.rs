//! Services using volumes, networks, secrets and configs that the top level does not declare.

use std::collections::HashSet;

use dockside_compose::model::volumes::{MountSyntax, mounts};
use dockside_compose::yaml::{Node, Value};

use super::{declared_names, did_you_mean, part_range};
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports named volumes used by a service (`db-data:/var/lib/data`, or
    /// `type: volume` with a `source`) that are not declared under the
    /// top-level `volumes`. Host paths (`./data`, `/srv/data`, `~/data`,
    /// `C:\data`), anonymous volumes and tmpfs mounts need no declaration.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses to load the project (`refers to undefined
    /// volume`). Often the source was meant as a host path and lacks its `./`.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:17
    ///     volumes:
    ///       - db-data:/var/lib/postgresql/data
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:17
    ///     volumes:
    ///       - db-data:/var/lib/postgresql/data
    /// volumes:
    ///   db-data:
    /// ```
    pub struct UndefinedVolume {
        name: "undefined-volume",
        code: "DC205",
        group: "compose-resources",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "A named volume that is not declared under the top-level `volumes`",
        target: Compose,
    }
}

declare_rule! {
    /// ## What it does
    /// Reports networks a service joins (`networks:` as a list or a mapping)
    /// that are not declared under the top-level `networks`. The `default`
    /// network always exists. `network_mode` values (`host`, `none`,
    /// `service:…`) are not networks and are not checked here.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses to load the project (`refers to undefined
    /// network`).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     networks: [frontend]
    /// networks:
    ///   front-end:
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     networks: [front-end]
    /// networks:
    ///   front-end:
    /// ```
    pub struct UndefinedNetwork {
        name: "undefined-network",
        code: "DC206",
        group: "compose-resources",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "A network that is not declared under the top-level `networks`",
        target: Compose,
    }
}

declare_rule! {
    /// ## What it does
    /// Reports secrets granted to a service (`- name` or `- source: name`)
    /// that are not declared under the top-level `secrets`.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses to load the project (`refers to undefined
    /// secret`).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:17
    ///     secrets: [db_pasword]
    /// secrets:
    ///   db_password:
    ///     file: ./db_password.txt
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:17
    ///     secrets: [db_password]
    /// secrets:
    ///   db_password:
    ///     file: ./db_password.txt
    /// ```
    pub struct UndefinedSecret {
        name: "undefined-secret",
        code: "DC207",
        group: "compose-resources",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "A secret that is not declared under the top-level `secrets`",
        target: Compose,
    }
}

declare_rule! {
    /// ## What it does
    /// Reports configs granted to a service (`- name` or `- source: name`)
    /// that are not declared under the top-level `configs`.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses to load the project (`refers to undefined
    /// config`).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     configs: [nginx.conf]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     configs:
    ///       - source: nginx.conf
    ///         target: /etc/nginx/nginx.conf
    /// configs:
    ///   nginx.conf:
    ///     file: ./nginx.conf
    /// ```
    pub struct UndefinedConfig {
        name: "undefined-config",
        code: "DC208",
        group: "compose-resources",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "A config that is not declared under the top-level `configs`",
        target: Compose,
    }
}

impl Rule for UndefinedVolume {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        let declared = declared_names(cx.project, "volumes");
        let declared_set: HashSet<&str> = declared.iter().copied().collect();
        for service in cx.services() {
            for mount in mounts(&service) {
                let (Some(name), Some(node)) = (mount.volume_name(), mount.source_node) else {
                    continue;
                };
                if declared_set.contains(name) {
                    continue;
                }
                let range = match mount.syntax {
                    MountSyntax::Short => part_range(cx.project, node, 0..name.len()),
                    MountSyntax::Long => node.range,
                };
                let hint = did_you_mean(name, declared.iter().copied());
                let hint = if hint.is_empty() && mount.syntax == MountSyntax::Short {
                    format!(" (for a folder of the host, write `./{name}`)")
                } else {
                    hint
                };
                cx.report(cx.finding_in(
                    node,
                    range,
                    format!(
                        "volume `{name}` used by `{}` is not declared under the top-level `volumes`{hint}",
                        service.name
                    ),
                ));
            }
        }
    }
}

impl Rule for UndefinedNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        let mut declared = declared_names(cx.project, "networks");
        declared.push("default");
        let declared_set: HashSet<&str> = declared.iter().copied().collect();
        for service in cx.services() {
            let used: Vec<&Node> = match service.get("networks").map(|n| &n.value) {
                Some(Value::Sequence(items)) => items.iter().collect(),
                Some(Value::Mapping(entries)) => entries.iter().map(|(k, _)| k).collect(),
                _ => Vec::new(),
            };
            for node in used {
                let Some(name) = node.scalar_text() else {
                    continue;
                };
                if declared_set.contains(name) || name.contains('$') {
                    continue;
                }
                let hint = did_you_mean(name, declared.iter().copied());
                cx.report(cx.finding(
                    node,
                    format!(
                        "network `{name}` used by `{}` is not declared under the top-level `networks`{hint}",
                        service.name
                    ),
                ));
            }
        }
    }
}

impl Rule for UndefinedSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        check_grants(cx, "secrets", "secret");
    }
}

impl Rule for UndefinedConfig {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        check_grants(cx, "configs", "config");
    }
}

/// Service `secrets`/`configs` entries (`- name` or `- source: name`) against the top level.
fn check_grants(cx: &ComposeChecker, section: &str, noun: &str) {
    let declared = declared_names(cx.project, section);
    let declared_set: HashSet<&str> = declared.iter().copied().collect();
    for service in cx.services() {
        for item in service
            .get(section)
            .and_then(Node::as_sequence)
            .unwrap_or_default()
        {
            let node = match &item.value {
                Value::Mapping(_) => item.get("source"),
                _ => Some(item),
            };
            let Some((node, name)) = node.and_then(|n| Some((n, n.scalar_text()?))) else {
                continue;
            };
            if declared_set.contains(name) || name.contains('$') {
                continue;
            }
            let hint = did_you_mean(name, declared.iter().copied());
            cx.report(cx.finding(
                node,
                format!(
                    "{noun} `{name}` used by `{}` is not declared under the top-level `{section}`{hint}",
                    service.name
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::findings;

    #[test]
    fn volumes() {
        let found = findings(
            "undefined-volume",
            &[(
                "compose.yaml",
                "services:\n  db:\n    image: postgres:17\n    volumes:\n      - db-dta:/var/lib/postgresql/data\n      - ./conf:/etc/conf:ro\n      - /anonymous\n      - logs:/logs\n      - type: volume\n        source: cache\n        target: /cache\n      - type: tmpfs\n        target: /tmp\n      - type: volume\n        source: db-data\n        target: /backup\nvolumes:\n  db-data:\n",
            )],
        );
        assert_eq!(
            found,
            [
                "5:9 volume `db-dta` used by `db` is not declared under the top-level `volumes` (did you mean `db-data`?)",
                "8:9 volume `logs` used by `db` is not declared under the top-level `volumes` (for a folder of the host, write `./logs`)",
                "10:17 volume `cache` used by `db` is not declared under the top-level `volumes`",
            ]
        );
    }

    #[test]
    fn networks() {
        let found = findings(
            "undefined-network",
            &[(
                "compose.yaml",
                "services:\n  a:\n    image: a:1\n    networks: [default, frontend, back]\n  b:\n    image: b:1\n    network_mode: host\n  c:\n    image: c:1\n    networks:\n      backend:\n        aliases: [x]\n      other:\nnetworks:\n  front-end:\n  backend:\n",
            )],
        );
        assert_eq!(
            found,
            [
                "4:25 network `frontend` used by `a` is not declared under the top-level `networks` (did you mean `front-end`?)",
                "4:35 network `back` used by `a` is not declared under the top-level `networks` (did you mean `backend`?)",
                "13:7 network `other` used by `c` is not declared under the top-level `networks`",
            ]
        );
    }

    #[test]
    fn secrets_and_configs() {
        let compose = "services:\n  a:\n    image: a:1\n    secrets:\n      - db_pasword\n      - source: api_key\n        target: key\n      - db_password\n    configs:\n      - source: nginx\n      - app\nsecrets:\n  db_password:\n    file: ./pw\nconfigs:\n  app:\n    file: ./app.conf\n";
        assert_eq!(
            findings("undefined-secret", &[("compose.yaml", compose)]),
            [
                "5:9 secret `db_pasword` used by `a` is not declared under the top-level `secrets` (did you mean `db_password`?)",
                "6:17 secret `api_key` used by `a` is not declared under the top-level `secrets`",
            ]
        );
        assert_eq!(
            findings("undefined-config", &[("compose.yaml", compose)]),
            ["10:17 config `nginx` used by `a` is not declared under the top-level `configs`"]
        );
    }
}
