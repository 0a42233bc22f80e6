mod common;

use std::path::{Path, PathBuf};

use common::TestCatalog;
use dockside_config::{
    Config, ConfigError, ConfigFinder, FailLevel, Severity, SeverityOverride, find_config, load,
    parse,
};

const CFG: &str = "/proj/.dockside.toml";

fn parse_ok(text: &str) -> Config {
    parse(Path::new(CFG), text, &TestCatalog).unwrap_or_else(|e| panic!("{e}"))
}

fn parse_err(text: &str) -> ConfigError {
    match parse(Path::new(CFG), text, &TestCatalog) {
        Ok(_) => panic!("expected an error for {text:?}"),
        Err(e) => e,
    }
}

#[test]
fn empty_file_is_default() {
    for text in ["", "\n", "\r\n", "# only a comment\r\n\r\n", "\u{feff}"] {
        let cfg = parse_ok(text);
        assert_eq!(cfg.path.as_deref(), Some(Path::new(CFG)));
        assert_eq!(cfg.root, PathBuf::from("/proj"));
        assert_eq!(cfg.select, None);
        assert!(cfg.extend_select.is_empty() && cfg.ignore.is_empty());
        assert!(cfg.severity.is_empty() && cfg.per_file_ignores.is_empty());
        assert!(cfg.rules.is_empty());
        assert_eq!(cfg.fail_level(), None);
        let file = Path::new("/proj/Dockerfile");
        assert!(cfg.is_enabled("secret-in-env", true, file));
        assert!(!cfg.is_enabled("experimental-rule", false, file));
        assert_eq!(cfg.severity_override("secret-in-env"), None);
        assert_eq!(cfg.rule_options("secret-in-env"), None);
        assert!(
            cfg.string_list_option("secret-in-env", "extra-secret-names")
                .is_empty()
        );
    }
}

#[test]
fn default_for() {
    let cfg = Config::default_for(PathBuf::from("/x"));
    assert_eq!(cfg.path, None);
    assert_eq!(cfg.root, PathBuf::from("/x"));
    assert!(cfg.is_enabled("pin-base-image", true, Path::new("/x/Dockerfile")));
}

const FULL: &str = r#"
select = ["all"]
extend-select = []
ignore = ["DL3015"]
fail-level = "warning"

[severity]
merge-consecutive-runs = "info"
DF999 = "off"
SecretsUsedInArgOrEnv = "error"

[per-file-ignores]
"legacy/**" = ["secret-in-env"]
"**/Dockerfile.dev" = ["all"]
"*.prod" = ["DF101"]

[rules.secret-in-env]
extra-secret-names = ["^MY_.*_PASS$", "^TOKEN$"]
strict = true
max-length = 10
mode = "fast"
"#;

fn check_full(cfg: &Config) {
    assert_eq!(cfg.fail_level(), Some(FailLevel::Level(Severity::Warning)));
    assert_eq!(
        cfg.select.as_deref(),
        Some(
            &[
                "merge-consecutive-runs",
                "secret-in-env",
                "pin-base-image",
                "apt-no-install-recommends",
                "experimental-rule"
            ][..]
        )
    );
    assert_eq!(cfg.ignore, vec!["apt-no-install-recommends"]);
    assert_eq!(
        cfg.severity_override("merge-consecutive-runs"),
        Some(Severity::Info)
    );
    assert_eq!(
        cfg.severity_override("secret-in-env"),
        Some(Severity::Error)
    );
    assert_eq!(cfg.severity_override("experimental-rule"), None);
    assert_eq!(
        cfg.severity.get("experimental-rule"),
        Some(&SeverityOverride::Off)
    );
    assert_eq!(cfg.severity_override("pin-base-image"), None);
    assert_eq!(
        cfg.string_list_option("secret-in-env", "extra-secret-names"),
        vec!["^MY_.*_PASS$".to_string(), "^TOKEN$".to_string()]
    );
    assert_eq!(cfg.bool_option("secret-in-env", "strict"), Some(true));
    assert_eq!(cfg.integer_option("secret-in-env", "max-length"), Some(10));
    assert_eq!(cfg.string_option("secret-in-env", "mode"), Some("fast"));
    assert_eq!(cfg.rule_options("secret-in-env").map(|t| t.len()), Some(4));
    assert!(
        cfg.string_list_option("secret-in-env", "missing")
            .is_empty()
    );
    assert!(cfg.string_list_option("pin-base-image", "x").is_empty());

    // (rule, default_enabled, path, expected)
    let cases: &[(&str, bool, &str, bool)] = &[
        ("merge-consecutive-runs", true, "/proj/Dockerfile", true),
        ("experimental-rule", false, "/proj/Dockerfile", false), // severity off
        ("apt-no-install-recommends", true, "/proj/Dockerfile", false), // ignored
        ("secret-in-env", true, "/proj/Dockerfile", true),
        ("secret-in-env", true, "/proj/legacy/Dockerfile", false),
        ("secret-in-env", true, "/proj/legacy/a/b/Dockerfile", false),
        ("secret-in-env", true, "/proj/./legacy/Dockerfile", false),
        (
            "secret-in-env",
            true,
            "/proj/sub/../legacy/Dockerfile",
            false,
        ),
        ("secret-in-env", true, "/proj/sub/legacy/Dockerfile", true),
        ("secret-in-env", true, "/other/legacy/Dockerfile", true),
        ("pin-base-image", true, "/proj/legacy/Dockerfile", true),
        ("pin-base-image", true, "/proj/Dockerfile.dev", false),
        ("pin-base-image", true, "/proj/a/b/Dockerfile.dev", false),
        (
            "merge-consecutive-runs",
            true,
            "/proj/a/Dockerfile.dev",
            false,
        ),
        ("pin-base-image", true, "/proj/app.prod", false),
        ("pin-base-image", true, "/proj/deep/dir/app.prod", false),
        ("secret-in-env", true, "/proj/deep/dir/app.prod", true),
    ];
    for &(rule, default, path, expected) in cases {
        assert_eq!(
            cfg.is_enabled(rule, default, Path::new(path)),
            expected,
            "{rule} {path}"
        );
    }
}

#[test]
fn full_config() {
    check_full(&parse_ok(FULL));
}

#[test]
fn full_config_with_crlf() {
    let crlf = FULL.replace('\n', "\r\n");
    assert!(crlf.contains("\r\n"));
    check_full(&parse_ok(&crlf));
}

#[test]
fn select_and_extend_select() {
    let cfg = parse_ok(
        "select = [\"DF101\", \"merge-consecutive-runs\", \"DF101\"]\nextend-select = [\"dl3015\"]\n",
    );
    assert_eq!(
        cfg.select.as_deref(),
        Some(&["pin-base-image", "merge-consecutive-runs"][..])
    );
    assert_eq!(cfg.extend_select, vec!["apt-no-install-recommends"]);
    let f = Path::new("/proj/Dockerfile");
    for (rule, default, expected) in [
        ("pin-base-image", true, true),
        ("merge-consecutive-runs", false, true),
        ("secret-in-env", true, false),
        ("apt-no-install-recommends", true, true),
        ("experimental-rule", false, false),
    ] {
        assert_eq!(cfg.is_enabled(rule, default, f), expected, "{rule}");
    }

    // extend-select alone keeps the defaults and adds to them.
    let cfg = parse_ok("extend-select = [\"experimental-rule\"]\nignore = [\"all\"]");
    assert!(
        !cfg.is_enabled("experimental-rule", false, f),
        "ignore=all wins"
    );
    let cfg = parse_ok("extend-select = [\"experimental-rule\"]");
    assert!(cfg.is_enabled("experimental-rule", false, f));
    assert!(cfg.is_enabled("secret-in-env", true, f));
    assert!(!cfg.is_enabled("pin-base-image", false, f));
}

#[test]
fn fail_levels() {
    for (value, expected) in [
        ("error", FailLevel::Level(Severity::Error)),
        ("warning", FailLevel::Level(Severity::Warning)),
        ("info", FailLevel::Level(Severity::Info)),
        ("style", FailLevel::Level(Severity::Style)),
        ("none", FailLevel::None),
    ] {
        let cfg = parse_ok(&format!("fail-level = \"{value}\""));
        assert_eq!(cfg.fail_level(), Some(expected));
        assert_eq!(expected.to_string(), value);
        assert_eq!(value.parse::<FailLevel>(), Ok(expected));
    }
    assert!(FailLevel::Level(Severity::Warning).fails_on(Severity::Error));
    assert!(FailLevel::Level(Severity::Warning).fails_on(Severity::Warning));
    assert!(!FailLevel::Level(Severity::Warning).fails_on(Severity::Info));
    assert!(!FailLevel::None.fails_on(Severity::Error));
}

#[test]
fn relative_paths() {
    // A relative config path is rooted at the current directory.
    let cfg = parse(
        Path::new(".dockside.toml"),
        "[per-file-ignores]\n\"legacy/**\" = [\"all\"]\n",
        &TestCatalog,
    )
    .unwrap();
    assert!(cfg.root.is_absolute());
    assert!(!cfg.is_enabled("pin-base-image", true, Path::new("legacy/Dockerfile")));
    assert!(!cfg.is_enabled("pin-base-image", true, Path::new("./legacy/x/Dockerfile")));
    assert!(cfg.is_enabled("pin-base-image", true, Path::new("Dockerfile")));
    let abs = std::env::current_dir().unwrap().join("legacy/Dockerfile");
    assert!(!cfg.is_enabled("pin-base-image", true, &abs));
    assert_eq!(cfg.relative_path(&abs), Path::new("legacy/Dockerfile"));
}

#[test]
fn errors_have_positions() {
    // (name, toml, line, column, message fragment)
    let cases: &[(&str, &str, usize, usize, &str)] = &[
        (
            "unknown key",
            "selct = []",
            1,
            1,
            "unknown key `selct`; did you mean `select`?",
        ),
        (
            "snake case key",
            "select = [\"all\"]\nextend_select = []",
            2,
            1,
            "unknown key `extend_select`; did you mean `extend-select`?",
        ),
        (
            "unknown key no hint",
            "\n\n  whatever = 1",
            3,
            3,
            "unknown key `whatever`",
        ),
        (
            "first in document order",
            "zzz = 1\nignore = [\"nope\"]",
            1,
            1,
            "unknown key `zzz`",
        ),
        (
            "unknown rule",
            "select = [\"merge-consecutive-run\"]",
            1,
            11,
            "unknown rule `merge-consecutive-run`; did you mean `merge-consecutive-runs`?",
        ),
        (
            "unknown rule crlf",
            "fail-level = \"warning\"\r\n\r\nignore = [\"DL3059\", \"DL9999\"]\r\n",
            3,
            21,
            "unknown rule `DL9999`",
        ),
        (
            "unknown rule multiline array",
            "ignore = [\n  \"DF101\",\n  \"secret-in-evn\",\n]",
            3,
            3,
            "did you mean `secret-in-env`?",
        ),
        (
            "select not array",
            "select = \"all\"",
            1,
            10,
            "`select` must be an array of rule names, found string",
        ),
        (
            "select item not string",
            "select = [1]",
            1,
            11,
            "a rule name must be a string, found integer",
        ),
        (
            "invalid severity",
            "[severity]\nmerge-consecutive-runs = \"warn\"",
            2,
            26,
            "invalid severity `warn`; expected one of: error, warning, info, style, off; did you mean `warning`?",
        ),
        (
            "invalid severity crlf",
            "[severity]\r\nmerge-consecutive-runs = \"fatal\"\r\n",
            2,
            26,
            "invalid severity `fatal`",
        ),
        (
            "severity unknown rule",
            "[severity]\nmerge-runs = \"info\"",
            2,
            1,
            "unknown rule `merge-runs`",
        ),
        (
            "severity not string",
            "[severity]\nDF202 = 3",
            2,
            9,
            "a severity must be a string, found integer",
        ),
        (
            "severity all",
            "[severity]\nall = \"off\"",
            2,
            1,
            "`all` is not allowed here",
        ),
        (
            "severity duplicate",
            "[severity]\nDF202 = \"info\"\nmerge-consecutive-runs = \"error\"",
            3,
            1,
            "already set (as `DF202`)",
        ),
        (
            "severity dotted key",
            "severity.DF202 = \"loud\"",
            1,
            18,
            "invalid severity `loud`",
        ),
        (
            "severity not table",
            "severity = \"info\"",
            1,
            12,
            "`severity` must be a table, found string",
        ),
        (
            "fail-level invalid",
            "fail-level = \"warnings\"",
            1,
            14,
            "invalid fail-level `warnings`; expected one of: error, warning, info, style, none; did you mean `warning`?",
        ),
        (
            "fail-level off",
            "fail-level = \"off\"",
            1,
            14,
            "invalid fail-level `off`",
        ),
        (
            "fail-level type",
            "fail-level = 2",
            1,
            14,
            "`fail-level` must be a string, found integer",
        ),
        (
            "invalid glob",
            "[per-file-ignores]\n\"legacy/[a\" = [\"all\"]",
            2,
            1,
            "invalid glob `legacy/[a`: unclosed character class",
        ),
        (
            "per-file unknown rule",
            "[per-file-ignores]\n\"a/**\" = [\"all\", \"nope\"]",
            2,
            18,
            "unknown rule `nope`",
        ),
        (
            "per-file non-ascii column",
            "[per-file-ignores]\n\"ä/**\" = [\"nope\"]",
            2,
            11,
            "unknown rule `nope`",
        ),
        (
            "per-file not array",
            "[per-file-ignores]\n\"a/**\" = \"all\"",
            2,
            10,
            "must be an array of rule names",
        ),
        (
            "unknown option",
            "[rules.secret-in-env]\nextra-secret-name = []",
            2,
            1,
            "unknown option `extra-secret-name` for rule `secret-in-env` (valid options: `extra-secret-names`, `mode`, `strict`, `max-length`); did you mean `extra-secret-names`?",
        ),
        (
            "option on rule without options",
            "[rules.pin-base-image]\nfoo = 1",
            2,
            1,
            "unknown option `foo`: rule `pin-base-image` has no options",
        ),
        (
            "wrong option type bool",
            "[rules.secret-in-env]\nstrict = \"yes\"",
            2,
            10,
            "option `strict` of rule `secret-in-env` must be a boolean, found string",
        ),
        (
            "wrong option type int",
            "[rules.secret-in-env]\r\nmax-length = 1.5\r\n",
            2,
            14,
            "must be an integer, found float",
        ),
        (
            "wrong option type string",
            "[rules.secret-in-env]\nmode = []",
            2,
            8,
            "must be a string, found array",
        ),
        (
            "wrong option type list",
            "[rules.secret-in-env]\nextra-secret-names = \"x\"",
            2,
            22,
            "must be an array of strings, found string",
        ),
        (
            "list with non-string",
            "[rules.DF301]\nextra-secret-names = [\"a\", 1]",
            2,
            28,
            "must be an array of strings, found an array containing integer",
        ),
        (
            "unknown rule table",
            "[rules.nope]\n",
            1,
            8,
            "unknown rule `nope`",
        ),
        (
            "rules duplicate",
            "[rules.DF301]\nmode = \"a\"\n[rules.secret-in-env]\nmode = \"b\"",
            3,
            8,
            "already set (as `[rules.DF301]`)",
        ),
        (
            "rules not table",
            "rules = 5",
            1,
            9,
            "`rules` must be a table, found integer",
        ),
        (
            "rule not table",
            "rules.DF301 = 5",
            1,
            15,
            "`rules.DF301` must be a table, found integer",
        ),
        (
            "syntax: unterminated",
            "select = [\"all\"]\nignore = [\"a",
            2,
            13,
            "TOML parse error: unclosed array",
        ),
        (
            "syntax: missing value",
            "a = 1\nb = = 2",
            2,
            5,
            "TOML parse error",
        ),
        (
            "syntax: duplicate key",
            "select = []\r\nselect = []\r\n",
            2,
            1,
            "duplicate key",
        ),
        (
            "syntax: bad header",
            "[severity\n",
            1,
            10,
            "TOML parse error",
        ),
    ];
    for &(name, text, line, column, fragment) in cases {
        let err = parse_err(text);
        assert!(
            err.message.contains(fragment),
            "{name}: got {:?}",
            err.message
        );
        assert_eq!(
            (err.line, err.column),
            (Some(line), Some(column)),
            "{name}: {err}"
        );
        assert!(err.range.is_some(), "{name}");
        assert_eq!(err.path, Path::new(CFG));
    }
}

#[test]
fn error_display() {
    let err = parse_err("\nselct = []");
    assert_eq!(
        err.to_string(),
        "/proj/.dockside.toml:2:1: unknown key `selct`; did you mean `select`?"
    );
    assert_eq!(err.range, Some(1..6));
    let err: Box<dyn std::error::Error> = Box::new(err);
    assert!(err.to_string().starts_with("/proj/.dockside.toml:2:1:"));
}

#[test]
fn severity_basics() {
    assert!(Severity::Style < Severity::Info);
    assert!(Severity::Info < Severity::Warning);
    assert!(Severity::Warning < Severity::Error);
    for sev in Severity::ALL {
        assert_eq!(sev.to_string().parse::<Severity>(), Ok(sev));
    }
    assert_eq!("Warning".parse::<Severity>(), Ok(Severity::Warning));
    assert!("off".parse::<Severity>().is_err());
    assert!("none".parse::<Severity>().is_err());

    #[derive(serde::Deserialize, serde::Serialize)]
    struct W {
        s: Severity,
    }
    let w: W = toml::from_str("s = \"style\"").unwrap();
    assert_eq!(w.s, Severity::Style);
    assert_eq!(
        toml::to_string(&W { s: Severity::Error }).unwrap().trim(),
        "s = \"error\""
    );
}

#[test]
fn one_finder_answers_each_folder_as_find_config_does() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for sub in ["a/b/c", "a/d", "e/f", "g"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
    }
    std::fs::write(root.join("dockside.toml"), "").unwrap();
    std::fs::write(root.join("a/.dockside.toml"), "").unwrap();
    std::fs::write(root.join("e/.hadolint.yaml"), "").unwrap();
    let finder = ConfigFinder::default();
    // Deep folders first, so shallower ones are answered from what was remembered.
    for sub in ["a/b/c", "a/d", "a/b", "a", "e/f", "e", "g", ""] {
        let folder = root.join(sub);
        assert_eq!(finder.find(&folder), find_config(&folder), "{sub}");
    }
    assert_eq!(
        finder.find(&root.join("a/b/c")),
        Some(root.join("a/.dockside.toml"))
    );
    assert_eq!(
        finder.find(&root.join("g")),
        Some(root.join("dockside.toml"))
    );
    // A dockside configuration above wins over hadolint's nearer one, as for `find_config`.
    assert_eq!(
        finder.find(&root.join("e/f")),
        Some(root.join("dockside.toml"))
    );
}

#[test]
fn find_and_load() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let deep = root.join("a/b/c");
    std::fs::create_dir_all(&deep).unwrap();

    std::fs::write(root.join("dockside.toml"), "fail-level = \"error\"\n").unwrap();
    assert_eq!(find_config(&deep), Some(root.join("dockside.toml")));

    // `.dockside.toml` wins over `dockside.toml` in the same directory.
    std::fs::write(root.join(".dockside.toml"), "fail-level = \"info\"\n").unwrap();
    assert_eq!(find_config(&deep), Some(root.join(".dockside.toml")));
    assert_eq!(find_config(root), Some(root.join(".dockside.toml")));

    // The nearest directory wins.
    std::fs::write(root.join("a/.dockside.toml"), "ignore = [\"DF101\"]\n").unwrap();
    let found = find_config(&deep).unwrap();
    assert_eq!(found, root.join("a/.dockside.toml"));

    let cfg = load(&found, &TestCatalog).unwrap();
    assert_eq!(cfg.root, root.join("a"));
    assert_eq!(cfg.ignore, vec!["pin-base-image"]);
    let cfg = load(&root.join(".dockside.toml"), &TestCatalog).unwrap();
    assert_eq!(cfg.fail_level(), Some(FailLevel::Level(Severity::Info)));

    // A directory named like the config file is not a config file.
    let other = root.join("x/y");
    std::fs::create_dir_all(other.join(".dockside.toml")).unwrap();
    assert_eq!(find_config(&other), Some(root.join(".dockside.toml")));

    // Errors from load carry the path and position.
    std::fs::write(
        root.join("a/.dockside.toml"),
        "\r\nignore = [\"DF1O1\"]\r\n",
    )
    .unwrap();
    let err = load(&found, &TestCatalog).unwrap_err();
    assert_eq!((err.line, err.column), (Some(2), Some(11)));
    assert_eq!(err.path, found);

    // IO errors have no position.
    let missing = root.join("missing.toml");
    let err = load(&missing, &TestCatalog).unwrap_err();
    assert_eq!(err.line, None);
    assert!(err.message.contains("cannot read"), "{}", err.message);
    assert!(
        err.to_string()
            .starts_with(&format!("{}: cannot read", missing.display()))
    );
}
