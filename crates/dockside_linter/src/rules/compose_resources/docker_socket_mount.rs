use dockside_compose::model::volumes::{MountKind, mounts};

use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports services that mount the Docker daemon's socket
    /// (`/var/run/docker.sock`, `/run/docker.sock`, a rootless
    /// `/run/user/<id>/docker.sock`, or the Windows pipe
    /// `\\.\pipe\docker_engine`), in the short or the long syntax.
    ///
    /// ## Why is this bad?
    /// Whoever can talk to the socket controls the Docker daemon: it can start
    /// a privileged container with the host's `/` mounted, which is root on
    /// the host. A vulnerability in the service (often a web UI or a CI
    /// runner) becomes a host compromise. Mounting it read-only (`:ro`) does
    /// not help: the API is used through the socket, not by writing the file.
    ///
    /// When a tool needs the API (a reverse proxy reading container labels, a
    /// monitoring agent), put a filtering proxy such as
    /// `tecnativa/docker-socket-proxy` in front of the socket and allow only
    /// the endpoints it needs, and suppress the finding on that proxy.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   traefik:
    ///     image: traefik:v3.1
    ///     volumes:
    ///       - /var/run/docker.sock:/var/run/docker.sock
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   socket-proxy:
    ///     image: tecnativa/docker-socket-proxy:0.2
    ///     environment:
    ///       CONTAINERS: 1
    ///     volumes:
    ///       # dockside ignore=docker-socket-mount -- read-only API for traefik
    ///       - /var/run/docker.sock:/var/run/docker.sock
    ///   traefik:
    ///     image: traefik:v3.1
    ///     command: --providers.docker.endpoint=tcp://socket-proxy:2375
    /// ```
    pub struct DockerSocketMount {
        name: "docker-socket-mount",
        code: "DC213",
        group: "compose-resources",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "The Docker socket mounted into a container",
        target: Compose,
    }
}

impl Rule for DockerSocketMount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            for mount in mounts(&service) {
                if !matches!(mount.kind, MountKind::Bind | MountKind::Npipe) {
                    continue;
                }
                let Some(source) = mount.source.as_deref().filter(|s| is_docker_socket(s)) else {
                    continue;
                };
                let node = mount.source_node.unwrap_or(mount.node);
                cx.report(cx.finding(
                    node,
                    format!(
                        "`{}` mounts the Docker socket `{source}`: whoever controls the container controls the Docker daemon, which is root on the host",
                        service.name
                    ),
                ));
            }
        }
    }
}

fn is_docker_socket(path: &str) -> bool {
    let normalized = path.replace('\\', "/").to_ascii_lowercase();
    let normalized = normalized.trim_end_matches('/');
    normalized.ends_with("/docker.sock") || normalized == "//./pipe/docker_engine"
}

#[cfg(test)]
mod tests {
    use super::super::test_support::findings;
    use super::is_docker_socket;

    #[test]
    fn socket_paths() {
        for yes in [
            "/var/run/docker.sock",
            "/run/docker.sock",
            "/run/user/1000/docker.sock",
            r"\\.\pipe\docker_engine",
        ] {
            assert!(is_docker_socket(yes), "{yes}");
        }
        for no in [
            "/var/run/docker",
            "./docker.socket",
            "/var/run/dockershim.sock",
        ] {
            assert!(!is_docker_socket(no), "{no}");
        }
    }

    #[test]
    fn short_and_long_syntax() {
        let found = findings(
            "docker-socket-mount",
            &[(
                "compose.yaml",
                "services:\n  ui:\n    image: portainer/portainer-ce:2.21.0\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n      - data:/data\n  agent:\n    image: agent:1\n    volumes:\n      - type: bind\n        source: /run/docker.sock\n        target: /var/run/docker.sock\nvolumes:\n  data:\n",
            )],
        );
        assert_eq!(
            found,
            [
                "5:9 `ui` mounts the Docker socket `/var/run/docker.sock`: whoever controls the container controls the Docker daemon, which is root on the host",
                "11:17 `agent` mounts the Docker socket `/run/docker.sock`: whoever controls the container controls the Docker daemon, which is root on the host",
            ]
        );
    }
}
