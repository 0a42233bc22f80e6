//! The project loader, on small projects written to temporary folders: merged values,
//! where each value and each issue points (file, line, column).

use std::path::{Path, PathBuf};

use dockside_compose::yaml::{Node, Value};
use dockside_compose::{
    FileRole, LoadIssueKind, LoadOptions, Project, VariableSource, load_project,
};

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new(files: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        Fixture { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn options(&self) -> LoadOptions {
        LoadOptions {
            dir: self.dir.path().to_path_buf(),
            ..LoadOptions::default()
        }
    }

    fn load(&self) -> Project {
        load_project(&self.options())
    }

    fn load_with(&self, edit: impl FnOnce(&mut LoadOptions)) -> Project {
        let mut options = self.options();
        edit(&mut options);
        load_project(&options)
    }
}

/// `file:line:col` of a byte offset (1-based), with the file name only.
fn position(project: &Project, file: u32, offset: u32) -> String {
    let f = &project.files[file as usize];
    let before = &f.text[..offset as usize];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let name = f.path.file_name().unwrap().to_string_lossy();
    format!("{name}:{line}:{col}")
}

fn at(project: &Project, node: &Node) -> String {
    position(project, node.file, node.range.start)
}

/// Every issue as `kind file:line:col message`.
fn issues(project: &Project) -> Vec<String> {
    project
        .issues
        .iter()
        .map(|i| {
            format!(
                "{:?} {} {}",
                i.kind,
                position(project, i.file, i.range.start),
                i.message
            )
        })
        .collect()
}

fn node<'a>(project: &'a Project, path: &str) -> &'a Node {
    let mut node = project.model.as_ref().expect("model");
    for part in path.split('.') {
        node = match part.parse::<usize>() {
            Ok(i) if node.as_sequence().is_some() => &node.as_sequence().unwrap()[i],
            _ => node
                .get(part)
                .unwrap_or_else(|| panic!("no `{part}` in {path}")),
        };
    }
    node
}

fn text(project: &Project, path: &str) -> String {
    node(project, path).scalar_text().unwrap_or("").to_string()
}

fn keys(node: &Node) -> Vec<String> {
    node.as_mapping()
        .unwrap()
        .iter()
        .map(|(k, _)| k.scalar_text().unwrap().to_string())
        .collect()
}

fn items(node: &Node) -> Vec<String> {
    node.as_sequence()
        .unwrap()
        .iter()
        .map(|n| n.scalar_text().unwrap_or("<map>").to_string())
        .collect()
}

#[test]
fn default_file_and_its_override_are_merged() {
    let fx = Fixture::new(&[
        (
            "compose.yaml",
            "services:\n  web:\n    image: nginx:1\n    ports:\n      - \"80:80\"\n",
        ),
        (
            "compose.override.yaml",
            "services:\n  web:\n    image: nginx:2\n    ports:\n      - \"443:443\"\n      - \"80:80\"\n",
        ),
        ("docker-compose.yml", "services:\n  other:\n    image: x\n"),
    ]);
    let project = fx.load();
    assert_eq!(issues(&project), Vec::<String>::new());
    assert_eq!(project.files.len(), 2);
    assert!(project.files[1].path.ends_with("compose.override.yaml"));
    assert_eq!(text(&project, "services.web.image"), "nginx:2");
    assert_eq!(
        at(&project, node(&project, "services.web.image")),
        "compose.override.yaml:3:12"
    );
    // Appended, the repeated port replacing the first one in place.
    let ports = node(&project, "services.web.ports");
    assert_eq!(items(ports), ["80:80", "443:443"]);
    assert_eq!(
        at(&project, &ports.as_sequence().unwrap()[0]),
        "compose.override.yaml:6:9"
    );
    assert!(project.service("other").is_none());
}

#[test]
fn missing_file_is_reported() {
    let fx = Fixture::new(&[("compose.yaml", "services: {}\n")]);
    let project = fx.load_with(|o| o.files = vec![fx.path("compose.yaml"), fx.path("nope.yaml")]);
    assert_eq!(project.files.len(), 2);
    assert_eq!(project.issues.len(), 1);
    assert_eq!(project.issues[0].kind, LoadIssueKind::MissingFile);
    assert_eq!(project.issues[0].file, 1);
    assert!(project.issues[0].message.contains("nope.yaml"));
}

#[test]
fn no_default_file_gives_an_empty_project() {
    let fx = Fixture::new(&[("README.md", "hi\n")]);
    let project = fx.load();
    assert!(project.files.is_empty());
    assert!(project.model.is_none());
}

#[test]
fn compose_file_variable_lists_the_files() {
    let fx = Fixture::new(&[
        ("a.yaml", "services:\n  a:\n    image: a\n"),
        ("b.yaml", "services:\n  b:\n    image: b\n"),
        (".env", "COMPOSE_FILE=a.yaml:b.yaml\n"),
    ]);
    let project = fx.load();
    assert_eq!(issues(&project), Vec::<String>::new());
    assert_eq!(keys(node(&project, "services")), ["a", "b"]);
}

#[test]
fn yaml_errors_and_multiple_documents() {
    let fx = Fixture::new(&[(
        "compose.yaml",
        "services:\n  a:\n    image: a\n---\nservices:\n  a:\n    environment:\n      K: v\n---\n",
    )]);
    let project = fx.load();
    assert_eq!(issues(&project), Vec::<String>::new());
    assert_eq!(text(&project, "services.a.image"), "a");
    assert_eq!(text(&project, "services.a.environment.K"), "v");

    let fx = Fixture::new(&[("compose.yaml", "services:\n  a: [\n")]);
    let project = fx.load();
    assert_eq!(project.issues[0].kind, LoadIssueKind::InvalidYaml);

    let fx = Fixture::new(&[("compose.yaml", "- a\n- b\n")]);
    let project = fx.load();
    assert_eq!(
        issues(&project),
        [
            "InvalidYaml compose.yaml:1:1 the top level of a Compose file must be a mapping (`services:`, `volumes:`…)"
        ]
    );
}

#[test]
fn environment_process_wins_over_env_file() {
    let fx = Fixture::new(&[
        (
            "compose.yaml",
            "services:\n  web:\n    image: \"${IMAGE}:${TAG}\"\n",
        ),
        (".env", "IMAGE=nginx\nTAG=1.0\nFULL=${IMAGE}-x\n"),
    ]);
    let project = fx.load_with(|o| o.environment = vec![("TAG".into(), "2.0".into())]);
    assert_eq!(issues(&project), Vec::<String>::new());
    assert_eq!(text(&project, "services.web.image"), "nginx:2.0");
    assert_eq!(
        project.variable("TAG").unwrap().source,
        VariableSource::Process
    );
    assert_eq!(project.variable("FULL").unwrap().value, "nginx-x");
    let image = project.variable("IMAGE").unwrap();
    let VariableSource::EnvFile { file, range } = &image.source else {
        panic!("IMAGE comes from .env");
    };
    assert_eq!(project.files[*file as usize].role, FileRole::EnvFile);
    assert_eq!(
        &project.files[*file as usize].text[range.as_range()],
        "IMAGE=nginx"
    );
    // The text as written stays readable.
    assert_eq!(
        project.written(node(&project, "services.web.image")),
        "\"${IMAGE}:${TAG}\""
    );
}

#[test]
fn explicit_env_files_replace_dot_env() {
    let fx = Fixture::new(&[
        ("compose.yaml", "services:\n  web:\n    image: ${IMAGE}\n"),
        (".env", "IMAGE=from-dot-env\n"),
        ("one.env", "IMAGE=one\n"),
        ("two.env", "IMAGE=two\nBAD KEY=1\n"),
    ]);
    let project = fx.load_with(|o| {
        o.env_files = vec![fx.path("one.env"), fx.path("two.env"), fx.path("none.env")]
    });
    assert_eq!(text(&project, "services.web.image"), "two");
    let problems = issues(&project);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("EnvFile two.env:2:"),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with("EnvFile none.env:1:1 cannot read the env file"),
        "{problems:?}"
    );
}

#[test]
fn unset_variables_point_at_the_reference() {
    let fx = Fixture::new(&[
        (
            "compose.yaml",
            "services:\n  web:\n    image: nginx:${TAG}\n    command: 'run $$HOME ${MODE}'\n    env_file: app.env\n    environment:\n      - \"URL=${URL:-http://x}\"\n      - TOKEN=${SECRET}\n",
        ),
        ("app.env", "SECRET=s3cr3t\n"),
    ]);
    let project = fx.load();
    assert_eq!(
        issues(&project),
        [
            "UnsetVariable compose.yaml:3:18 variable `TAG` is not set: `${TAG}` becomes an empty string (dockside looked in the process environment)",
            "UnsetVariable compose.yaml:4:26 variable `MODE` is not set: `${MODE}` becomes an empty string (dockside looked in the process environment)",
            "UnsetVariable compose.yaml:8:15 variable `SECRET` is not set: `${SECRET}` becomes an empty string (dockside looked in the process environment); `env_file` sets variables inside the container; it does not feed interpolation of the Compose file",
        ]
    );
    assert_eq!(text(&project, "services.web.command"), "run $HOME ");
    assert_eq!(text(&project, "services.web.environment.0"), "URL=http://x");
}

#[test]
fn unset_variable_names_the_env_files_searched() {
    let fx = Fixture::new(&[
        (
            "compose.yaml",
            "services:\n  web:\n    image: \"a\\tb${X}\"\n",
        ),
        (".env", "Y=1\n"),
    ]);
    let project = fx.load();
    // An escape in the double-quoted scalar: the whole scalar is pointed at.
    assert_eq!(
        issues(&project),
        [
            "UnsetVariable compose.yaml:3:12 variable `X` is not set: `${X}` becomes an empty string (dockside looked in `.env` and the process environment)"
        ]
    );
}

#[test]
fn required_and_malformed_interpolation() {
    let fx = Fixture::new(&[(
        "compose.yaml",
        "services:\n  web:\n    image: ${IMAGE:?set IMAGE first}\n    command: echo ${oops\n",
    )]);
    let project = fx.load();
    let problems = issues(&project);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(
        problems[0],
        "InvalidInterpolation compose.yaml:3:12 required variable IMAGE is missing a value: set IMAGE first"
    );
    assert!(
        problems[1]
            .starts_with("InvalidInterpolation compose.yaml:4:19 invalid interpolation format"),
        "{problems:?}"
    );
}

#[test]
fn interpolated_values_get_compose_types() {
    let fx = Fixture::new(&[(
        "compose.yaml",
        "services:\n  web:\n    image: ${N}\n    privileged: ${YES}\n    deploy:\n      replicas: ${N}\n    environment:\n      COUNT: ${N}\n",
    )]);
    let project = fx.load_with(|o| {
        o.environment = vec![("N".into(), "3".into()), ("YES".into(), "true".into())]
    });
    assert_eq!(
        node(&project, "services.web.deploy.replicas").value,
        Value::Int(3)
    );
    assert_eq!(
        node(&project, "services.web.privileged").value,
        Value::Bool(true)
    );
    assert_eq!(
        node(&project, "services.web.image").value,
        Value::String("3".into())
    );
    assert_eq!(
        node(&project, "services.web.environment.COUNT").value,
        Value::String("3".into())
    );
    let replicas = node(&project, "services.web.deploy.replicas");
    assert_eq!(project.written(replicas), "${N}");
    assert_eq!(at(&project, replicas), "compose.yaml:6:17");
}

#[test]
fn keys_are_not_interpolated() {
    let fx = Fixture::new(&[("compose.yaml", "services:\n  ${NAME}:\n    image: x\n")]);
    let project = fx.load_with(|o| o.environment = vec![("NAME".into(), "web".into())]);
    assert_eq!(keys(node(&project, "services")), ["${NAME}"]);
}

#[test]
fn yaml_traps_only_where_a_string_is_expected() {
    let fx = Fixture::new(&[(
        "compose.yaml",
        "services:\n  web:\n    image: x\n    ports:\n      - 22:22\n    read_only: yes\n    environment:\n      DEBUG: no\n      UMASK: 0022\n      FLAG: true\n    secrets:\n      - source: s\n        mode: 0440\n",
    )]);
    let project = fx.load();
    let problems = issues(&project);
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(
        problems[0].starts_with("YamlTrap compose.yaml:8:14 `no` is the boolean false"),
        "{problems:?}"
    );
    assert_eq!(
        problems[1],
        "YamlTrap compose.yaml:9:14 `0022` is the octal number 18 for docker compose and YAML 1.1 parsers: the value becomes `18`; quote it (\"0022\") to keep it as written"
    );
    assert!(
        problems[2].starts_with("YamlTrap compose.yaml:13:15 `0440` is the octal number 288"),
        "{problems:?}"
    );
}

#[test]
fn merge_rules() {
    let fx = Fixture::new(&[
        (
            "compose.yaml",
            "services:
  web:
    build: .
    command: [run, a]
    environment:
      - A=1
      - B=2
    labels:
      x: '1'
    volumes:
      - ./data:/data
      - logs:/logs
    depends_on: [db]
    networks: [front]
    secrets: [token]
    dns: 8.8.8.8
    healthcheck:
      test: [CMD, a]
      interval: 10s
",
        ),
        (
            "override.yaml",
            "services:
  web:
    build:
      target: dev
    command: run b
    environment:
      B: three
      C: '4'
    labels:
      - y=2
    volumes:
      - ./other:/data
    depends_on:
      cache:
        condition: service_healthy
    networks:
      back: {}
    secrets:
      - source: token
        target: /run/secrets/token
    dns: [1.1.1.1, 8.8.8.8]
    healthcheck:
      test: [CMD, b]
",
        ),
    ]);
    let project =
        fx.load_with(|o| o.files = vec![fx.path("compose.yaml"), fx.path("override.yaml")]);
    assert_eq!(issues(&project), Vec::<String>::new());
    assert_eq!(
        keys(node(&project, "services.web.build")),
        ["context", "target"]
    );
    assert_eq!(text(&project, "services.web.build.context"), ".");
    assert_eq!(text(&project, "services.web.command"), "run b");
    let env = node(&project, "services.web.environment");
    assert_eq!(keys(env), ["A", "B", "C"]);
    assert_eq!(text(&project, "services.web.environment.A"), "1");
    assert_eq!(text(&project, "services.web.environment.B"), "three");
    // The list item's parts point where they were written.
    let (a_key, a_value) = &env.as_mapping().unwrap()[0];
    assert_eq!(at(&project, a_key), "compose.yaml:6:9");
    assert_eq!(at(&project, a_value), "compose.yaml:6:11");
    assert_eq!(
        at(&project, node(&project, "services.web.environment.B")),
        "override.yaml:7:10"
    );
    assert_eq!(keys(node(&project, "services.web.labels")), ["x", "y"]);
    assert_eq!(
        items(node(&project, "services.web.volumes")),
        ["./other:/data", "logs:/logs"]
    );
    assert_eq!(
        keys(node(&project, "services.web.depends_on")),
        ["db", "cache"]
    );
    assert_eq!(
        text(&project, "services.web.depends_on.db.condition"),
        "service_started"
    );
    assert_eq!(
        keys(node(&project, "services.web.networks")),
        ["front", "back"]
    );
    assert_eq!(items(node(&project, "services.web.secrets")), ["<map>"]);
    assert_eq!(
        items(node(&project, "services.web.dns")),
        ["8.8.8.8", "1.1.1.1"]
    );
    assert_eq!(
        items(node(&project, "services.web.healthcheck.test")),
        ["CMD", "b"]
    );
    assert_eq!(text(&project, "services.web.healthcheck.interval"), "10s");
}

#[test]
fn reset_and_override_tags() {
    let fx = Fixture::new(&[
        (
            "compose.yaml",
            "services:\n  web:\n    image: x\n    ports: ['80:80']\n    environment:\n      A: '1'\n    labels: !reset {}\n",
        ),
        (
            "compose.override.yaml",
            "services:\n  web:\n    ports: !reset []\n    environment: !override\n      B: '2'\n",
        ),
    ]);
    let project = fx.load();
    assert_eq!(issues(&project), Vec::<String>::new());
    let web = node(&project, "services.web");
    assert_eq!(keys(web), ["image", "environment"]);
    assert_eq!(keys(node(&project, "services.web.environment")), ["B"]);
}

#[test]
fn include_adds_resources_from_its_own_folder() {
    let fx = Fixture::new(&[
        (
            "compose.yaml",
            "include:\n  - db/compose.yaml\n  - path: cache.yaml\n    env_file: cache.env\nservices:\n  web:\n    image: web\n",
        ),
        (
            "db/compose.yaml",
            "services:\n  db:\n    image: postgres:${PG}\n    build: ./img\nvolumes:\n  data: {}\n",
        ),
        ("db/.env", "PG=16\n"),
        (
            "cache.yaml",
            "services:\n  cache:\n    image: redis:${REDIS}\n",
        ),
        ("cache.env", "REDIS=7\n"),
    ]);
    let project = fx.load();
    assert_eq!(issues(&project), Vec::<String>::new());
    assert_eq!(keys(node(&project, "services")), ["web", "db", "cache"]);
    assert_eq!(text(&project, "services.db.image"), "postgres:16");
    assert_eq!(text(&project, "services.cache.image"), "redis:7");
    assert_eq!(keys(node(&project, "volumes")), ["data"]);
    let build = node(&project, "services.db.build");
    assert_eq!(at(&project, build), "compose.yaml:4:12");
    assert_eq!(project.path_of(build), fx.path("db/compose.yaml"));
    assert_eq!(project.files[build.file as usize].role, FileRole::Included);
    assert_eq!(project.base_dir_of(build), fx.path("db"));
}

#[test]
fn include_problems() {
    let fx = Fixture::new(&[
        (
            "compose.yaml",
            "include:\n  - missing.yaml\n  - a.yaml\n  - b.yaml\n  - loop.yaml\nservices:\n  shared:\n    image: local\n",
        ),
        (
            "a.yaml",
            "services:\n  x:\n    image: a\n  shared:\n    image: a\n",
        ),
        ("b.yaml", "services:\n  x:\n    image: b\n"),
        ("loop.yaml", "include:\n  - loop.yaml\n"),
    ]);
    let project = fx.load();
    let problems = issues(&project);
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(
        problems[0].starts_with("Include compose.yaml:2:5 cannot include `missing.yaml`"),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with(
            "Include compose.yaml:7:3 `services.shared` is defined here and in an included project"
        ),
        "{problems:?}"
    );
    assert!(
        problems[2].starts_with(
            "Include compose.yaml:4:5 `services.x` is defined differently by two included projects"
        ),
        "{problems:?}"
    );
    assert!(
        problems[3].starts_with("Include loop.yaml:2:5 `include` cycle"),
        "{problems:?}"
    );
    assert_eq!(text(&project, "services.shared.image"), "local");
    assert_eq!(text(&project, "services.x.image"), "a");
}

#[test]
fn extends_same_file_other_file_and_nested() {
    let fx = Fixture::new(&[
        (
            "compose.yaml",
            "services:
  base:
    image: base
    environment:
      A: '1'
  web:
    extends: base
    environment:
      B: '2'
  api:
    extends:
      file: common/common.yaml
      service: app
    command: serve
",
        ),
        (
            "common/common.yaml",
            "services:
  root:
    image: root
    build: ./ctx
  app:
    extends: root
    command: run
    ports: ['80:80']
  unrelated:
    image: nope
",
        ),
    ]);
    let project = fx.load();
    assert_eq!(issues(&project), Vec::<String>::new());
    assert_eq!(keys(node(&project, "services")), ["base", "web", "api"]);
    assert_eq!(text(&project, "services.web.image"), "base");
    assert_eq!(keys(node(&project, "services.web.environment")), ["A", "B"]);
    assert_eq!(text(&project, "services.api.image"), "root");
    assert_eq!(text(&project, "services.api.command"), "serve");
    let build = node(&project, "services.api.build");
    assert_eq!(at(&project, build), "common.yaml:4:12");
    assert_eq!(project.files[build.file as usize].role, FileRole::Extended);
    assert_eq!(project.base_dir_of(build), fx.path("common"));
}

#[test]
fn extends_problems() {
    let fx = Fixture::new(&[(
        "compose.yaml",
        "services:
  a:
    extends: b
  b:
    extends: a
  c:
    extends:
      file: nope.yaml
      service: x
  d:
    extends:
      service: wbe
  web:
    image: w
",
    )]);
    let project = fx.load();
    let problems = issues(&project);
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert_eq!(
        problems[0],
        "Extends compose.yaml:5:14 `extends` cycle: a → b → a"
    );
    assert!(
        problems[1].starts_with("Extends compose.yaml:8:13 cannot read `nope.yaml`"),
        "{problems:?}"
    );
    assert_eq!(
        problems[2],
        "Extends compose.yaml:12:16 service `wbe` is not defined in this file (did you mean `web`?)"
    );
}

#[test]
fn profiles_and_project_name() {
    let fx = Fixture::new(&[(
        "My Project/compose.yaml",
        "services:\n  web:\n    image: x\n  debug:\n    image: y\n    profiles: [debug]\n",
    )]);
    let dir = fx.path("My Project");
    let project = load_project(&LoadOptions {
        dir: dir.clone(),
        environment: vec![("COMPOSE_PROFILES".into(), "debug, ops".into())],
        ..LoadOptions::default()
    });
    assert_eq!(project.profiles, ["debug", "ops"]);
    assert_eq!(project.name, "myproject");
    assert!(project.services().all(|s| project.is_active(&s)));

    let project = load_project(&LoadOptions {
        dir: dir.clone(),
        profiles: vec!["other".into()],
        environment: vec![("COMPOSE_PROFILES".into(), "debug".into())],
        ..LoadOptions::default()
    });
    assert_eq!(project.profiles, ["other"]);
    let debug = project.service("debug").unwrap();
    assert!(!project.is_active(&debug));

    let named = Fixture::new(&[("compose.yaml", "name: App_${ENV}\nservices: {}\n")]);
    let env = vec![("ENV".into(), "Prod".into())];
    let project = named.load_with(|o| o.environment = env.clone());
    assert_eq!(project.name, "app_prod");
    let project = named.load_with(|o| {
        o.environment = env.clone();
        o.environment
            .push(("COMPOSE_PROJECT_NAME".into(), "from-env".into()));
    });
    assert_eq!(project.name, "from-env");
    let project = named.load_with(|o| {
        o.environment = env.clone();
        o.project_name = Some("Flag".into());
    });
    assert_eq!(project.name, "flag");
}

#[test]
fn overlay_text_wins_over_the_disk() {
    struct Buffers(PathBuf);
    impl dockside_context::Overlay for Buffers {
        fn read(&self, path: &Path) -> Option<String> {
            (path == self.0).then(|| "services:\n  edited:\n    image: x\n".to_string())
        }
    }
    let fx = Fixture::new(&[("compose.yaml", "services:\n  saved:\n    image: x\n")]);
    let project =
        fx.load_with(|o| o.overlay = Some(std::sync::Arc::new(Buffers(fx.path("compose.yaml")))));
    assert_eq!(keys(node(&project, "services")), ["edited"]);
}

#[test]
fn odd_input_does_not_panic() {
    for text in [
        "",
        "~\n",
        "services: 3\n",
        "services:\n  a: !reset\n",
        "services:\n  a:\n    extends: 7\n",
        "services:\n  a:\n    extends: {file: [x]}\n",
        "include: 3\n",
        "include:\n  - {path: 4}\n  - {}\n",
        "services:\n  a:\n    environment: [1, {x: y}]\n",
        "\u{0}\u{1}binary",
    ] {
        let fx = Fixture::new(&[("compose.yaml", text), ("compose.override.yaml", text)]);
        let _ = fx.load();
    }
}
