use dockside_compose::Service;
use dockside_compose::model::volumes::{MountKind, mounts, path_is_within};
use dockside_compose::yaml::{Node, Value};
use dockside_semantic::{Base, ImageRef, parse_image_ref};

use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::diagnostic::FileId;
use crate::rule::{Rule, RuleMeta};
use dockside_syntax::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports services running a well-known stateful server whose data
    /// directory is not on a named volume or a host folder: PostgreSQL
    /// (`/var/lib/postgresql/data`, or `PGDATA` when set in `environment`;
    /// `/var/lib/postgresql` from PostgreSQL 18), MySQL, MariaDB and Percona
    /// (`/var/lib/mysql`), MongoDB (`/data/db`), Redis, Valkey and KeyDB
    /// (`/data`), Elasticsearch, OpenSearch, RabbitMQ, Cassandra, InfluxDB,
    /// ClickHouse, Neo4j, CouchDB, SQL Server, CockroachDB, Qdrant,
    /// Meilisearch, Solr and MinIO (the folder its `server` command serves).
    /// The image is read from `image:`, or for a service with `build:`, from
    /// the `FROM` of the stage its Dockerfile builds.
    ///
    /// A mount on the data directory or on a folder above it counts. A
    /// `tmpfs` on it is taken as a deliberate choice (throw-away test
    /// databases). Redis and its forks are mostly used as caches and queues:
    /// they are reported only when their command turns persistence on
    /// (`--appendonly yes`, or `--save` with a schedule). Services using
    /// `volumes_from` and Compose files named for tests or CI
    /// (`docker-compose.test.yml`, `compose.ci.yaml`) are not checked.
    ///
    /// ## Why is this bad?
    /// Without a volume the data is written into the container, or into an
    /// anonymous volume created by the image: `docker compose down` (or
    /// removing the container) loses it, and the next `up` starts with an
    /// empty database. A volume mounted somewhere else (`./data:/home/user/data`)
    /// does not help: the server never writes there.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:17
    ///     volumes:
    ///       - ./data:/home/user/data
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
    pub struct DataVolumeNotPersistent {
        name: "data-volume-not-persistent",
        code: "DC212",
        group: "compose-resources",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "A database or other stateful server whose data directory is not on a volume",
        target: Compose,
    }
}

/// A stateful server image and where it keeps its data.
struct Server {
    /// Repository names (`postgres` matches `postgres`, `library/postgres`, `org/postgres`;
    /// `bitnami/redis` only that repository). The first matching entry wins.
    repositories: &'static [&'static str],
    name: &'static str,
    data: DataDir,
}

enum DataDir {
    Fixed(&'static str),
    /// PostgreSQL: `PGDATA`, and a layout that changed in 18.
    Postgres,
    /// InfluxDB: `/var/lib/influxdb` (1.x), `/var/lib/influxdb2` (2.x), `/var/lib/influxdb3`.
    Influx,
    /// Redis and its forks: `/data`, `--dir`, or nothing for a cache without persistence.
    Redis,
    /// MinIO: the folder of `server <dir>`.
    Minio,
}

const SERVERS: &[Server] = &[
    Server {
        repositories: &["bitnami/postgresql"],
        name: "PostgreSQL",
        data: DataDir::Fixed("/bitnami/postgresql"),
    },
    Server {
        repositories: &["bitnami/mysql"],
        name: "MySQL",
        data: DataDir::Fixed("/bitnami/mysql/data"),
    },
    Server {
        repositories: &["bitnami/mariadb"],
        name: "MariaDB",
        data: DataDir::Fixed("/bitnami/mariadb"),
    },
    Server {
        repositories: &["bitnami/mongodb"],
        name: "MongoDB",
        data: DataDir::Fixed("/bitnami/mongodb"),
    },
    Server {
        repositories: &["bitnami/redis"],
        name: "Redis",
        data: DataDir::Fixed("/bitnami/redis/data"),
    },
    Server {
        repositories: &["postgres", "postgis", "pgvector", "timescaledb"],
        name: "PostgreSQL",
        data: DataDir::Postgres,
    },
    Server {
        repositories: &["mysql", "mysql-server", "percona", "percona-server"],
        name: "MySQL",
        data: DataDir::Fixed("/var/lib/mysql"),
    },
    Server {
        repositories: &["mariadb"],
        name: "MariaDB",
        data: DataDir::Fixed("/var/lib/mysql"),
    },
    Server {
        repositories: &["mongo", "mongodb-community-server"],
        name: "MongoDB",
        data: DataDir::Fixed("/data/db"),
    },
    Server {
        repositories: &[
            "redis",
            "redis-stack-server",
            "redis-stack",
            "valkey",
            "keydb",
        ],
        name: "Redis",
        data: DataDir::Redis,
    },
    Server {
        repositories: &["elasticsearch"],
        name: "Elasticsearch",
        data: DataDir::Fixed("/usr/share/elasticsearch/data"),
    },
    Server {
        repositories: &["opensearch"],
        name: "OpenSearch",
        data: DataDir::Fixed("/usr/share/opensearch/data"),
    },
    Server {
        repositories: &["rabbitmq"],
        name: "RabbitMQ",
        data: DataDir::Fixed("/var/lib/rabbitmq"),
    },
    Server {
        repositories: &["cassandra"],
        name: "Cassandra",
        data: DataDir::Fixed("/var/lib/cassandra"),
    },
    Server {
        repositories: &["influxdb"],
        name: "InfluxDB",
        data: DataDir::Influx,
    },
    Server {
        repositories: &["clickhouse-server", "clickhouse"],
        name: "ClickHouse",
        data: DataDir::Fixed("/var/lib/clickhouse"),
    },
    Server {
        repositories: &["neo4j"],
        name: "Neo4j",
        data: DataDir::Fixed("/data"),
    },
    Server {
        repositories: &["couchdb"],
        name: "CouchDB",
        data: DataDir::Fixed("/opt/couchdb/data"),
    },
    Server {
        repositories: &["mssql/server"],
        name: "SQL Server",
        data: DataDir::Fixed("/var/opt/mssql"),
    },
    Server {
        repositories: &["cockroachdb/cockroach"],
        name: "CockroachDB",
        data: DataDir::Fixed("/cockroach/cockroach-data"),
    },
    Server {
        repositories: &["qdrant/qdrant"],
        name: "Qdrant",
        data: DataDir::Fixed("/qdrant/storage"),
    },
    Server {
        repositories: &["getmeili/meilisearch"],
        name: "Meilisearch",
        data: DataDir::Fixed("/meili_data"),
    },
    Server {
        repositories: &["solr"],
        name: "Solr",
        data: DataDir::Fixed("/var/solr"),
    },
    Server {
        repositories: &["minio/minio"],
        name: "MinIO",
        data: DataDir::Minio,
    },
];

fn server_for(image: &ImageRef) -> Option<&'static Server> {
    let repository = image.repository.to_ascii_lowercase();
    SERVERS.iter().find(|server| {
        server.repositories.iter().any(|r| {
            repository == *r
                || (!r.contains('/')
                    && repository
                        .rsplit_once('/')
                        .is_some_and(|(_, last)| last == *r))
        })
    })
}

/// The image a service runs and where that was read.
struct RunImage {
    image: ImageRef,
    /// Where to report: the `image:` value, or the service key for a build.
    node_range: TextRange,
    node_file: FileId,
    /// The `FROM` the image was read from, for builds.
    from: Option<(FileId, TextRange)>,
}

impl Rule for DataVolumeNotPersistent {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            if service.get("volumes_from").is_some()
                || is_throwaway_file(cx.project.path_of(service.node))
            {
                continue;
            }
            let Some(run) = run_image(cx, &service) else {
                continue;
            };
            let Some(server) = server_for(&run.image) else {
                continue;
            };
            let Some(data_dir) = data_dir(server, &run.image, &service) else {
                continue;
            };
            check_service(cx, &service, server, &data_dir, &run);
        }
    }
}

fn check_service(
    cx: &ComposeChecker,
    service: &Service,
    server: &Server,
    data_dir: &str,
    run: &RunImage,
) {
    let mounts = mounts(service);
    let covering: Vec<_> = mounts
        .iter()
        .filter(|m| path_is_within(data_dir, &m.target))
        .collect();
    let persistent = covering.iter().any(|m| match m.kind {
        MountKind::Volume => m.source.is_some(),
        MountKind::Tmpfs | MountKind::Image => false,
        _ => true,
    });
    let on_tmpfs = covering.iter().any(|m| m.kind == MountKind::Tmpfs)
        || tmpfs_targets(service)
            .iter()
            .any(|t| path_is_within(data_dir, t));
    if persistent || on_tmpfs {
        return;
    }
    let anonymous = covering.iter().find(|m| m.kind == MountKind::Volume);
    let (range, file, where_) = match anonymous {
        Some(m) => (
            m.target_node.range,
            cx.file_of(m.target_node),
            "is on an anonymous volume",
        ),
        None => (run.node_range, run.node_file, "is not on a volume"),
    };
    let mut finding = crate::diagnostic::Finding::new(
        range,
        format!(
            "`{}` runs {} ({}), whose data directory `{data_dir}` {where_}: the data is lost with the container (`docker compose down`); mount a named volume there, e.g. `{}-data:{data_dir}`",
            service.name, server.name, run.image, service.name
        ),
    )
    .in_file(file);
    if let Some((from_file, from_range)) = run.from {
        finding = finding.with_related(
            from_file,
            from_range,
            format!("the image is built from {}", run.image),
        );
    }
    if anonymous.is_none()
        && let Some(other) = mounts
            .iter()
            .find(|m| matches!(m.kind, MountKind::Bind) || m.volume_name().is_some())
    {
        finding = finding.with_related(
            cx.file_of(other.target_node),
            other.node.range,
            format!(
                "this volume is mounted on `{}`, not on the data directory",
                other.target
            ),
        );
    }
    cx.report(finding);
}

fn run_image(cx: &ComposeChecker, service: &Service) -> Option<RunImage> {
    if let Some(build) = cx.build(service)
        && !build.remote
        && build.inline.is_none()
        && let Some(dockerfile) = cx.dockerfile(&build.dockerfile)
    {
        let model = &dockerfile.model;
        let stage = match build.target.and_then(Node::scalar_text) {
            Some(target) => model.stage_by_name(target)?,
            None => model.final_stage()?,
        };
        let root = *model.stage_ancestry(stage.index).last()?;
        let root = model.stages.get(root)?;
        let Base::Image(image) = &root.base else {
            return None;
        };
        return Some(RunImage {
            image: image.clone(),
            node_range: service.key.range,
            node_file: cx.file_of(service.key),
            from: Some((dockerfile.file, root.image_range)),
        });
    }
    let node = service.get("image")?;
    let text = node.as_str()?;
    if text.contains('$') {
        return None;
    }
    Some(RunImage {
        image: parse_image_ref(text).ok()?,
        node_range: node.range,
        node_file: cx.file_of(node),
        from: None,
    })
}

/// Where `server` keeps its data for this service; `None` when it does not persist or
/// the place cannot be known.
fn data_dir(server: &Server, image: &ImageRef, service: &Service) -> Option<String> {
    let major = image.tag.as_deref().and_then(|t| {
        let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u32>().ok()
    });
    match server.data {
        DataDir::Fixed(dir) => Some(dir.to_string()),
        DataDir::Postgres => {
            if let Some(pgdata) =
                environment_value(service, "PGDATA").filter(|v| v.starts_with('/'))
            {
                return Some(pgdata);
            }
            Some(if major.is_some_and(|m| m >= 18) {
                "/var/lib/postgresql".into()
            } else {
                "/var/lib/postgresql/data".into()
            })
        }
        DataDir::Influx => Some(
            match major {
                Some(1) => "/var/lib/influxdb",
                Some(3) => "/var/lib/influxdb3",
                _ => "/var/lib/influxdb2",
            }
            .into(),
        ),
        DataDir::Redis => {
            let args = command_words(service);
            let flag = |name: &str| {
                args.iter()
                    .position(|a| a == name)
                    .map(|i| args.get(i + 1).map_or("", String::as_str))
            };
            // Most Compose files use Redis as a cache or a queue: only a server told to
            // persist is expected to have a volume.
            let snapshots = flag("--save").is_some_and(|v| !v.is_empty() && !v.starts_with('-'));
            let append_only = flag("--appendonly").is_some_and(|v| v == "yes");
            if !snapshots && !append_only {
                return None;
            }
            match flag("--dir") {
                Some(dir) if dir.starts_with('/') => Some(dir.to_string()),
                _ => Some("/data".into()),
            }
        }
        DataDir::Minio => {
            let args = command_words(service);
            let server_at = args.iter().position(|a| a == "server")?;
            let dir = args[server_at + 1..].iter().find(|a| !a.starts_with('-'))?;
            (dir.starts_with('/') && !dir.contains('{')).then(|| dir.clone())
        }
    }
}

/// The words of `command:` (a list, or a string split on blanks with quotes removed).
fn command_words(service: &Service) -> Vec<String> {
    match service.get("command").map(|n| &n.value) {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(Node::scalar_text)
            .flat_map(split_words)
            .collect(),
        Some(Value::String(text)) => split_words(text),
        _ => Vec::new(),
    }
}

/// Blank-separated words with quotes removed (`--save ""` gives `--save` and an empty word);
/// enough to find flags in `redis-server …` and `sh -c "redis-server …"`.
fn split_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
        .collect()
}

/// A Compose file named for tests or CI (`docker-compose.test.yml`, `compose.ci.yaml`):
/// its databases are meant to be thrown away.
fn is_throwaway_file(path: &std::path::Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    name.split(['.', '-', '_'])
        .any(|part| matches!(part, "test" | "tests" | "ci" | "e2e"))
}

/// A variable of the service's `environment` (mapping or `KEY=value` list).
fn environment_value(service: &Service, name: &str) -> Option<String> {
    match &service.get("environment")?.value {
        Value::Mapping(entries) => entries
            .iter()
            .find(|(k, _)| k.scalar_text() == Some(name))
            .and_then(|(_, v)| v.scalar_text().map(str::to_string)),
        Value::Sequence(items) => items.iter().find_map(|item| {
            let (key, value) = item.scalar_text()?.split_once('=')?;
            (key == name).then(|| value.to_string())
        }),
        _ => None,
    }
}

/// The service's `tmpfs:` paths (a string or a list; options after `:` dropped).
fn tmpfs_targets(service: &Service) -> Vec<String> {
    let items: Vec<&Node> = match service.get("tmpfs").map(|n| (n, &n.value)) {
        Some((_, Value::Sequence(items))) => items.iter().collect(),
        Some((node, Value::String(_))) => vec![node],
        _ => Vec::new(),
    };
    items
        .iter()
        .filter_map(|n| n.scalar_text())
        .map(|t| t.split(':').next().unwrap_or(t).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::findings;

    fn check(files: &[(&str, &str)]) -> Vec<String> {
        findings("data-volume-not-persistent", files)
    }

    #[test]
    fn seed_example_eight() {
        assert_eq!(
            check(&[(
                "compose.yaml",
                "services:\n  db:\n    image: postgres\n    volumes:\n      - ./data:/home/user/data\n    environment:\n      - POSTGRES_DB=sampledb\n",
            )]),
            [
                "3:12 `db` runs PostgreSQL (postgres), whose data directory `/var/lib/postgresql/data` is not on a volume: the data is lost with the container (`docker compose down`); mount a named volume there, e.g. `db-data:/var/lib/postgresql/data`"
            ]
        );
    }

    #[test]
    fn persistent_and_deliberately_ephemeral_services_pass() {
        assert!(check(&[(
            "compose.yaml",
            "services:\n  a:\n    image: postgres:16\n    volumes: [\"pg:/var/lib/postgresql/data\"]\n  b:\n    image: postgres:18-alpine\n    volumes: [\"pg18:/var/lib/postgresql\"]\n  c:\n    image: mysql:8.4\n    volumes: [\"./mysql:/var/lib/mysql\"]\n  d:\n    image: postgres:16\n    environment:\n      PGDATA: /pgdata/db\n    volumes: [\"pgd:/pgdata\"]\n  e:\n    image: postgres:16\n    tmpfs: /var/lib/postgresql/data\n  f:\n    image: redis:7\n    command: redis-server --save \"\" --appendonly no\n  f2:\n    image: valkey/valkey:8\n  g:\n    image: minio/minio:RELEASE.2024-10-02T17-50-41Z\n    command: server /data --console-address :9001\n    volumes: [\"minio:/data\"]\n  h:\n    image: nginx:1.27\n  i:\n    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0\n    volumes:\n      - type: volume\n        source: es\n        target: /usr/share/elasticsearch/data\nvolumes: {pg: {}, pg18: {}, pgd: {}, minio: {}, es: {}}\n",
        )])
        .is_empty());
    }

    #[test]
    fn anonymous_volumes_and_builds() {
        let found = check(&[
            (
                "compose.yaml",
                "services:\n  cache:\n    image: redis:7-alpine\n    command: [\"redis-server\", \"--appendonly\", \"yes\"]\n    volumes:\n      - /data\n  mongo:\n    build: ./mongo\n  pg:\n    image: postgres:17\n    environment:\n      PGDATA: /var/lib/postgresql/data/pgdata\n    volumes:\n      - pg:/var/lib/postgresql\nvolumes:\n  pg:\n",
            ),
            (
                "mongo/Dockerfile",
                "FROM mongo:7 AS base\nFROM base\nRUN echo hi\n",
            ),
        ]);
        assert_eq!(
            found,
            [
                "6:9 `cache` runs Redis (redis:7-alpine), whose data directory `/data` is on an anonymous volume: the data is lost with the container (`docker compose down`); mount a named volume there, e.g. `cache-data:/data`",
                "7:3 `mongo` runs MongoDB (mongo:7), whose data directory `/data/db` is not on a volume: the data is lost with the container (`docker compose down`); mount a named volume there, e.g. `mongo-data:/data/db`",
            ]
        );
    }
}
