use dockside_compose::yaml::{Node, Value};

use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports `container_name` on a service that asks for more than one
    /// container: `deploy.replicas` or `scale` greater than 1.
    ///
    /// ## Why is this bad?
    /// Container names are unique on a Docker host. Compose cannot create a
    /// second container with the same name, so `docker compose up` fails (or,
    /// with `--scale`, refuses to scale the service).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:3.1
    ///     container_name: worker
    ///     deploy:
    ///       replicas: 3
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:3.1
    ///     deploy:
    ///       replicas: 3
    /// ```
    pub struct ContainerNameWithReplicas {
        name: "container-name-with-replicas",
        code: "DC108",
        group: "compose-services",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "`container_name` on a service with several replicas",
        target: Compose,
    }
}

/// A count written as a number or a string (after interpolation).
pub(crate) fn count(node: &Node) -> Option<i64> {
    match &node.value {
        Value::Int(n) => Some(*n),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Rule for ContainerNameWithReplicas {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            let Some(name) = service.get("container_name") else {
                continue;
            };
            let replicas = service
                .get("deploy")
                .and_then(|d| d.get("replicas"))
                .map(|n| (n, "deploy.replicas"));
            let scale = service.get("scale").map(|n| (n, "scale"));
            for (node, key) in [replicas, scale].into_iter().flatten() {
                let Some(n) = count(node).filter(|n| *n > 1) else {
                    continue;
                };
                cx.report(
                    cx.finding(
                        name,
                        format!(
                            "service `{}` asks for {n} containers (`{key}: {n}`) but `container_name` gives them all one name, which must be unique: Compose cannot create the second one; remove `container_name`",
                            service.name
                        ),
                    )
                    .with_related(cx.file_of(node), node.range, format!("`{key}: {n}`")),
                );
            }
        }
    }
}
