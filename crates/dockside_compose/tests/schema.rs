//! What users see from schema validation: message, line and column of each error.

use dockside_compose::schema::{keys_at, lookup, validate};
use dockside_compose::yaml;
use dockside_syntax::LineIndex;

/// `line:col message` for every error (1-based, columns in characters).
fn errors(text: &str) -> Vec<String> {
    let loaded = yaml::load(text);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let root = loaded.documents.into_iter().next().expect("a document");
    let index = LineIndex::new(text);
    validate(&root)
        .into_iter()
        .map(|e| {
            let start = e.range.start as usize;
            let line = index.line_of(start);
            let column = text[index.line_start(line)..start].chars().count();
            format!("{}:{} {}", line + 1, column + 1, e.message)
        })
        .collect()
}

#[test]
fn valid_file_has_no_errors() {
    let text = r#"
name: shop
services:
  web:
    image: nginx:1.27
    build:
      context: .
      args: [A=1]
    ports: ["8080:80", "127.0.0.1:9090:9090/udp", {target: 80, published: "8000-8001"}]
    depends_on:
      db:
        condition: service_healthy
    healthcheck:
      test: ["CMD", "true"]
      interval: 1m30s
    restart: on-failure:3
    deploy:
      resources: {limits: {memory: 512M, cpus: "0.5"}}
    x-note: anything
  db:
    image: postgres:17
volumes:
  data:
networks:
  front: {}
x-common: &common {a: 1}
"#;
    assert_eq!(errors(text), Vec::<String>::new());
}

#[test]
fn unknown_keys_are_reported_at_the_key_with_a_suggestion() {
    let text = "services:\n  web:\n    imagee: nginx\n    buld: .\n    zzz: 1\nservics: {}\n";
    assert_eq!(
        errors(text),
        [
            "3:5 unknown service property `imagee`: did you mean `image`?",
            "4:5 unknown service property `buld`: did you mean `build`?",
            "5:5 unknown service property `zzz` (custom keys must start with `x-`)",
            "6:1 unknown top-level key `servics`: did you mean `services`?",
        ]
    );
    let loaded = yaml::load(text);
    let root = &loaded.documents[0];
    let first = &validate(root)[0];
    assert_eq!(first.suggestion.as_deref(), Some("image"));
}

#[test]
fn wrong_types_are_reported_at_the_value() {
    let text = "services:\n  web:\n    image: [nginx]\n    ports: 8080\n    privileged: 1\n";
    assert_eq!(
        errors(text),
        [
            "3:12 `image` must be a string, not a list",
            "4:12 `ports` must be a list, not a number",
            "5:17 `privileged` must be a boolean or a string, not a number",
        ]
    );
}

#[test]
fn alternatives_get_one_clear_message() {
    let text = "services:\n  web:\n    image: x\n    ports:\n      - [80]\n    build: 3\n";
    assert_eq!(
        errors(text),
        [
            "5:9 each `ports` entry must be a string like `\"8080:80\"` or a mapping with `target`, not a list",
            "6:12 `build` must be a context path or a mapping with `context`, `dockerfile`…, not a number",
        ]
    );
}

#[test]
fn missing_required_keys_are_reported_at_the_parent_key() {
    let text = "services:\n  web:\n    image: x\n    depends_on:\n      db: {restart: true}\n    volumes:\n      - source: data\n        target: /data\n";
    assert_eq!(
        errors(text),
        [
            "5:7 service `db` is missing the required key `condition`",
            "7:9 this `volumes` entry is missing the required key `type`",
        ]
    );
}

#[test]
fn enums_suggest_the_closest_value() {
    let text = "services:\n  web:\n    image: x\n    depends_on:\n      db:\n        condition: service_healty\n";
    assert_eq!(
        errors(text),
        [
            "6:20 `condition` must be `service_started`, `service_healthy` or `service_completed_successfully`, not `service_healty`: did you mean `service_healthy`?"
        ]
    );
}

#[test]
fn formats_docker_compose_checks() {
    let text = "services:\n  web:\n    image: x\n    restart: alway\n    stop_grace_period: 10\n    ports: [\"70000:80\", \"8080:80/http\"]\n    mem_limit: 1x\n    pull_policy: sometimes\n";
    assert_eq!(
        errors(text),
        [
            "4:14 `restart` must be `no`, `always`, `on-failure[:max-retries]` or `unless-stopped`, not `alway`: did you mean `always`?",
            "5:24 `stop_grace_period` must be a duration like `30s` or `1m30s`, not a number",
            "6:13 invalid port `70000:80`: expected `[ip:][host:]container[/protocol]`, like `\"8080:80\"`: host port: port 70000 is out of range (0-65535)",
            "6:25 invalid port `8080:80/http`: expected `[ip:][host:]container[/protocol]`, like `\"8080:80\"`: unknown protocol `http` (use `tcp`, `udp` or `sctp`)",
            "7:16 `mem_limit` must be a size like `512m`, `1g` or a number of bytes, not `1x`",
            "8:18 `pull_policy` must be `always`, `never`, `missing`, `build`, `if_not_present`, `refresh`, `daily`, `weekly` or `every_<duration>`, not `sometimes`",
        ]
    );
}

#[test]
fn names_and_uniqueness() {
    let text = "services:\n  my web:\n    image: x\n  api:\n    image: y\n    cap_add: [NET_ADMIN, NET_ADMIN]\n";
    assert_eq!(
        errors(text),
        [
            "2:3 invalid service name `my web`: use only letters, digits, `.`, `_` and `-`",
            "6:26 `cap_add` lists `NET_ADMIN` more than once",
        ]
    );
}

#[test]
fn not_a_mapping() {
    assert_eq!(
        errors("- a\n- b\n"),
        [
            "1:1 a Compose file must be a mapping of top-level keys (`services`, `volumes`…), not a list"
        ]
    );
}

#[test]
fn editor_lookup() {
    let context = lookup(&["services", "web", "build", "context"]).expect("context");
    assert_eq!(context.name, "context");
    assert_eq!(context.kind, "string");
    let target = lookup(&["services", "web", "ports", "-", "target"]).expect("target");
    assert_eq!(target.name, "target");
    let condition =
        lookup(&["services", "api", "depends_on", "db", "condition"]).expect("condition");
    assert_eq!(
        condition.values,
        [
            "service_started",
            "service_healthy",
            "service_completed_successfully"
        ]
    );
    let service = lookup(&["services", "web"]).expect("a service name");
    assert_eq!(service.name, "service name");
    assert!(lookup(&["version"]).expect("version").deprecated);
    assert_eq!(
        lookup(&["services", "web", "restart"])
            .expect("restart")
            .values,
        ["no", "always", "on-failure", "unless-stopped"]
    );
    assert_eq!(
        lookup(&["services", "web", "healthcheck", "interval"])
            .expect("interval")
            .kind,
        "duration"
    );
    assert!(lookup(&["services", "web", "imagee"]).is_none());

    let top: Vec<&str> = keys_at(&[]).iter().map(|k| k.name).collect();
    assert_eq!(
        top,
        [
            "version", "name", "include", "services", "models", "networks", "volumes", "secrets",
            "configs"
        ]
    );
    let service_keys = keys_at(&["services", "web"]);
    assert!(service_keys.len() > 90, "{}", service_keys.len());
    assert!(service_keys.iter().all(|k| !k.doc.is_empty()));
    let build_keys: Vec<&str> = keys_at(&["services", "web", "build"])
        .iter()
        .map(|k| k.name)
        .collect();
    assert!(build_keys.contains(&"dockerfile"));
    let long_ports: Vec<&str> = keys_at(&["services", "web", "ports", "-"])
        .iter()
        .map(|k| k.name)
        .collect();
    assert!(long_ports.contains(&"published"));
}
