use std::collections::HashMap;

use dockside_compose::Service;

use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports services of the project that set the same `container_name`.
    /// Services in profiles that never run together (each has `profiles:`, and
    /// they share none) are not reported: they are alternatives.
    ///
    /// ## Why is this bad?
    /// Container names are unique on a Docker host: the second container cannot
    /// be created and `docker compose up` fails with "Conflict. The container
    /// name … is already in use".
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: example/web:1.4
    ///     container_name: app
    ///   worker:
    ///     image: example/worker:1.4
    ///     container_name: app
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: example/web:1.4
    ///     container_name: app-web
    ///   worker:
    ///     image: example/worker:1.4
    ///     container_name: app-worker
    /// ```
    pub struct DuplicateContainerName {
        name: "duplicate-container-name",
        code: "DC109",
        group: "compose-services",
        severity: Error,
        aliases: ["no-duplicate-container-names"],
        fix: None,
        summary: "Two services with the same `container_name`",
        target: Compose,
    }
}

/// Whether two services can run at the same time (profiles permitting).
fn can_run_together(a: &Service, b: &Service) -> bool {
    let (pa, pb) = (a.profiles(), b.profiles());
    pa.is_empty() || pb.is_empty() || pa.iter().any(|p| pb.contains(p))
}

impl Rule for DuplicateContainerName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        // The earlier services that use each container name, in order.
        let mut earlier: HashMap<&str, Vec<Service>> = HashMap::new();
        for service in cx.services() {
            let Some(node) = service.get("container_name") else {
                continue;
            };
            let Some(name) = node.scalar_text().filter(|n| !n.is_empty()) else {
                continue;
            };
            let same_name = earlier.entry(name).or_default();
            let first = same_name
                .iter()
                .find(|other| can_run_together(&service, other))
                .copied();
            same_name.push(service);
            let Some(first) = first else { continue };
            let first_node = first.get("container_name").unwrap_or(first.key);
            cx.report(
                cx.finding(
                    node,
                    format!(
                        "container name `{name}` is already used by service `{}`: container names are unique on a host, so `docker compose up` cannot create both",
                        first.name
                    ),
                )
                .with_related(
                    cx.file_of(first_node),
                    first_node.range,
                    format!("`{name}` of service `{}`", first.name),
                ),
            );
        }
    }
}
