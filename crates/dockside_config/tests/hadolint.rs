mod common;

use std::path::Path;

use dockside_config::{
    Config, ConfigError, FailLevel, OptionKind, OptionSpec, RuleCatalog, Severity,
    SeverityOverride, find_config, load, parse_hadolint,
};

/// The shared test catalog plus a registry rule with the `trusted-registries` option.
struct TestCatalog;

const REGISTRY_OPTIONS: &[OptionSpec] = &[OptionSpec {
    key: "trusted-registries",
    kind: OptionKind::StringList,
    help: "registries",
}];

impl RuleCatalog for TestCatalog {
    fn resolve(&self, name: &str) -> Option<&'static str> {
        if name.eq_ignore_ascii_case("DL3026") || name == "untrusted-registry" {
            return Some("untrusted-registry");
        }
        common::TestCatalog.resolve(name)
    }

    fn names(&self) -> Vec<&'static str> {
        let mut names = common::TestCatalog.names();
        names.push("untrusted-registry");
        names
    }

    fn options(&self, rule: &'static str) -> &'static [OptionSpec] {
        match rule {
            "untrusted-registry" => REGISTRY_OPTIONS,
            other => common::TestCatalog.options(other),
        }
    }
}

const CFG: &str = "/proj/.hadolint.yaml";

fn parse_ok(text: &str) -> Config {
    parse_hadolint(Path::new(CFG), text, &TestCatalog).unwrap_or_else(|e| panic!("{e}"))
}

fn parse_err(text: &str) -> ConfigError {
    parse_hadolint(Path::new(CFG), text, &TestCatalog).expect_err("expected an error")
}

#[test]
fn full_hadolint_file() {
    let cfg = parse_ok(
        "ignored:\n  - DL3059\n  - DL3015\noverride:\n  error:\n    - DL3006\n  info: [SecretsUsedInArgOrEnv]\nfailure-threshold: warning\ntrustedRegistries:\n  - docker.io\n  - my-company.com:5000\nlabel-schema:\n  author: text\n  url: URL\nstrict-labels: true\ndisable-ignore-pragma: true\nformat: json\nno-color: true\n",
    );
    assert_eq!(
        cfg.ignore,
        vec!["merge-consecutive-runs", "apt-no-install-recommends"]
    );
    assert_eq!(
        cfg.severity.get("pin-base-image"),
        Some(&SeverityOverride::Level(Severity::Error))
    );
    assert_eq!(
        cfg.severity.get("secret-in-env"),
        Some(&SeverityOverride::Level(Severity::Info))
    );
    assert_eq!(cfg.fail_level(), Some(FailLevel::Level(Severity::Warning)));
    assert_eq!(
        cfg.string_list_option("untrusted-registry", "trusted-registries"),
        vec!["docker.io", "my-company.com:5000"]
    );
    assert!(cfg.extend_select.contains(&"untrusted-registry"));
    assert_eq!(
        cfg.label_schema.get("author").map(String::as_str),
        Some("text")
    );
    assert_eq!(cfg.label_schema.get("url").map(String::as_str), Some("url"));
    assert!(cfg.strict_labels);
    assert!(cfg.disable_inline_ignores);
    assert!(cfg.warnings.is_empty(), "{:?}", cfg.warnings);
}

#[test]
fn unknown_codes_are_warnings_with_positions() {
    let cfg = parse_ok("ignored:\n  - DL3059\n  - DL3999\n");
    assert_eq!(cfg.ignore, vec!["merge-consecutive-runs"]);
    assert_eq!(cfg.warnings.len(), 1);
    let w = &cfg.warnings[0];
    assert_eq!((w.line, w.column), (Some(3), Some(5)));
    assert!(w.message.contains("DL3999"), "{}", w.message);
}

#[test]
fn no_fail_wins_over_threshold() {
    let cfg = parse_ok("no-fail: true\nfailure-threshold: style\n");
    assert_eq!(cfg.fail_level(), Some(FailLevel::None));
    let cfg = parse_ok("failure-threshold: none\n");
    assert_eq!(cfg.fail_level(), Some(FailLevel::None));
    let cfg = parse_ok("failure-threshold: ignore\n");
    assert_eq!(cfg.fail_level(), Some(FailLevel::Level(Severity::Style)));
}

#[test]
fn empty_and_null_documents_load() {
    assert!(parse_ok("").ignore.is_empty());
    assert!(parse_ok("# only a comment\n").ignore.is_empty());
    assert!(parse_ok("ignored:\noverride:\n").ignore.is_empty());
}

#[test]
fn errors_have_line_and_column() {
    let e = parse_err("ignored: DL3059\n");
    assert_eq!((e.line, e.column), (Some(1), Some(10)));
    assert!(e.message.contains("must be a list"), "{}", e.message);

    let e = parse_err("failure-threshold: warnings\n");
    assert_eq!((e.line, e.column), (Some(1), Some(20)));
    assert!(
        e.message.contains("did you mean `warning`"),
        "{}",
        e.message
    );

    let e = parse_err("override:\n  errors: [DL3059]\n");
    assert_eq!((e.line, e.column), (Some(2), Some(3)));

    let e = parse_err("ignore:\n  - DL3059\n");
    assert!(
        e.message.contains("did you mean `ignored`"),
        "{}",
        e.message
    );

    let e = parse_err("label-schema:\n  author: txt\n");
    assert_eq!((e.line, e.column), (Some(2), Some(11)));

    let e = parse_err("strict-labels: yes\n");
    assert!(e.message.contains("true or false"), "{}", e.message);

    let e = parse_err("ignored: [DL3059\n");
    assert!(e.message.contains("YAML"), "{}", e.message);
    assert!(e.line.is_some());
}

#[test]
fn trusted_registries_without_the_rule_is_a_warning() {
    struct NoRegistry;
    impl RuleCatalog for NoRegistry {
        fn resolve(&self, _: &str) -> Option<&'static str> {
            None
        }
        fn names(&self) -> Vec<&'static str> {
            Vec::new()
        }
        fn options(&self, _: &'static str) -> &'static [OptionSpec] {
            &[]
        }
    }
    let cfg = parse_hadolint(
        Path::new(CFG),
        "trustedRegistries: [docker.io]\n",
        &NoRegistry,
    )
    .unwrap();
    assert_eq!(cfg.warnings.len(), 1);
    assert!(cfg.rules.is_empty());
}

#[test]
fn dockside_toml_wins_then_nearest_hadolint_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let deep = root.join("a/b");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(root.join(".hadolint.yaml"), "ignored: [DL3059]\n").unwrap();
    assert_eq!(find_config(&deep), Some(root.join(".hadolint.yaml")));
    std::fs::write(root.join("a/.hadolint.yml"), "ignored: [DL3015]\n").unwrap();
    assert_eq!(find_config(&deep), Some(root.join("a/.hadolint.yml")));
    let cfg = load(&root.join("a/.hadolint.yml"), &TestCatalog).unwrap();
    assert_eq!(cfg.ignore, vec!["apt-no-install-recommends"]);
    std::fs::write(root.join(".dockside.toml"), "").unwrap();
    assert_eq!(find_config(&deep), Some(root.join(".dockside.toml")));
}

#[test]
fn dockside_toml_label_keys() {
    let cfg = dockside_config::parse(
        Path::new("/proj/.dockside.toml"),
        "disable-inline-ignores = true\nstrict-labels = true\n[label-schema]\nauthor = \"email\"\n\"org.opencontainers.image.url\" = \"url\"\n",
        &TestCatalog,
    )
    .unwrap();
    assert!(cfg.disable_inline_ignores && cfg.strict_labels);
    assert_eq!(cfg.label_schema.len(), 2);
    let e = dockside_config::parse(
        Path::new("/proj/.dockside.toml"),
        "[label-schema]\nauthor = \"mail\"\n",
        &TestCatalog,
    )
    .unwrap_err();
    assert_eq!((e.line, e.column), (Some(2), Some(10)));
}

#[test]
fn migrated_toml_parses_to_the_same_config() {
    let cfg = parse_ok(
        "ignored: [DL3059]\noverride:\n  style: [DL3006]\nno-fail: true\ntrustedRegistries: [docker.io]\nlabel-schema:\n  org.opencontainers.image.url: url\nstrict-labels: true\ndisable-ignore-pragma: true\n",
    );
    let text = dockside_config::hadolint::to_dockside_toml(&cfg);
    let back = dockside_config::parse(Path::new("/proj/.dockside.toml"), &text, &TestCatalog)
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(back.ignore, cfg.ignore);
    assert_eq!(back.severity, cfg.severity);
    assert_eq!(back.fail_level, cfg.fail_level);
    assert_eq!(back.extend_select, cfg.extend_select);
    assert_eq!(back.rules, cfg.rules);
    assert_eq!(back.label_schema, cfg.label_schema);
    assert_eq!(back.strict_labels, cfg.strict_labels);
    assert_eq!(back.disable_inline_ignores, cfg.disable_inline_ignores);
}
