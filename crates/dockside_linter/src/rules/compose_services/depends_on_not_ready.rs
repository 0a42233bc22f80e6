use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

use super::dependencies::{compose_healthcheck, dependencies, dockerfile_exposes, service_image};

declare_rule! {
    /// ## What it does
    /// Reports a plain `depends_on` (the list form, or
    /// `condition: service_started`) on a service that is a network server the
    /// dependent service will talk to: a database, queue, cache or search
    /// engine image (`postgres`, `mysql`, `mariadb`, `mongo`, `redis`,
    /// `rabbitmq`, `kafka`, `elasticsearch`, …), or any service that publishes
    /// `ports`, declares `expose`, or whose Dockerfile `EXPOSE`s a port.
    ///
    /// Reported as info: applications that retry their connections cope with
    /// it, and `condition: service_completed_successfully` is never reported.
    ///
    /// ## Why is this bad?
    /// Compose starts the dependent container as soon as the dependency's
    /// container has *started*, not once the server inside accepts connections.
    /// A database often needs seconds to initialise (much longer on first
    /// start), so the application fails its first connection, and crashes or
    /// serves errors — only sometimes, depending on the machine.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: example/web:1.4
    ///     depends_on:
    ///       - db
    ///   db:
    ///     image: postgres:16
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: example/web:1.4
    ///     depends_on:
    ///       db:
    ///         condition: service_healthy
    ///   db:
    ///     image: postgres:16
    ///     healthcheck:
    ///       test: ["CMD-SHELL", "pg_isready -U postgres"]
    ///       interval: 5s
    ///       retries: 10
    /// ```
    pub struct DependsOnNotReady {
        name: "depends-on-not-ready",
        code: "DC107",
        group: "compose-services",
        severity: Info,
        aliases: [],
        fix: None,
        summary: "Plain `depends_on` on a server: start order is not readiness",
        target: Compose,
    }
}

/// Images of servers that take a while to accept connections.
const SERVER_IMAGES: &[&str] = &[
    "postgres",
    "postgis",
    "mysql",
    "mariadb",
    "percona",
    "mongo",
    "mongodb",
    "redis",
    "valkey",
    "keydb",
    "memcached",
    "rabbitmq",
    "kafka",
    "cp-kafka",
    "zookeeper",
    "cp-zookeeper",
    "nats",
    "elasticsearch",
    "opensearch",
    "solr",
    "cassandra",
    "scylla",
    "couchdb",
    "couchbase",
    "influxdb",
    "clickhouse-server",
    "clickhouse",
    "neo4j",
    "mssql-server",
    "oracle",
    "cockroach",
    "etcd",
    "consul",
    "vault",
    "minio",
    "activemq",
    "artemis",
    "pulsar",
    "timescaledb",
    "questdb",
    "arangodb",
    "surrealdb",
    "dragonfly",
    "redpanda",
];

impl Rule for DependsOnNotReady {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            for dep in dependencies(&service) {
                let condition = dep.condition.and_then(|c| c.as_str());
                if !matches!(condition, None | Some("service_started")) {
                    continue;
                }
                let Some(target) = cx.project.service(dep.name) else {
                    continue;
                };
                let image = service_image(&target);
                let why = if let Some(image) =
                    image.filter(|i| SERVER_IMAGES.contains(&i.short_name()))
                {
                    format!("`{}` runs `{}`, a server", dep.name, image.short_name())
                } else if target.get("ports").is_some() {
                    format!("`{}` publishes ports", dep.name)
                } else if target.get("expose").is_some() {
                    format!("`{}` exposes ports", dep.name)
                } else if dockerfile_exposes(cx, &target) {
                    format!("`{}` EXPOSEs ports in its Dockerfile", dep.name)
                } else {
                    continue;
                };
                let todo = match compose_healthcheck(&target) {
                    Some((true, _)) => "use `condition: service_healthy`".to_string(),
                    _ => format!(
                        "give `{}` a `healthcheck:` and use `condition: service_healthy`",
                        dep.name
                    ),
                };
                cx.report(cx.finding(
                    dep.node,
                    format!(
                        "{why}, but `{}` only waits for its container to start, not for it to accept connections; {todo}",
                        service.name
                    ),
                ));
            }
        }
    }
}
