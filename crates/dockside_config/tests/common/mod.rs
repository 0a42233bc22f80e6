//! A small test-only rule catalog.
#![allow(dead_code)]

use dockside_config::{OptionKind, OptionSpec, RuleCatalog};

pub struct TestCatalog;

/// (canonical name, code, aliases)
const RULES: &[(&str, &str, &[&str])] = &[
    ("merge-consecutive-runs", "DF202", &["DL3059"]),
    ("secret-in-env", "DF301", &["SecretsUsedInArgOrEnv"]),
    ("pin-base-image", "DF101", &["DL3006", "DL3007"]),
    ("apt-no-install-recommends", "DF110", &["DL3015"]),
    ("experimental-rule", "DF999", &[]),
];

const SECRET_OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "extra-secret-names",
        kind: OptionKind::StringList,
        help: "extra regexes",
    },
    OptionSpec {
        key: "mode",
        kind: OptionKind::String,
        help: "mode",
    },
    OptionSpec {
        key: "strict",
        kind: OptionKind::Bool,
        help: "strict",
    },
    OptionSpec {
        key: "max-length",
        kind: OptionKind::Integer,
        help: "max",
    },
];

impl RuleCatalog for TestCatalog {
    fn resolve(&self, name: &str) -> Option<&'static str> {
        RULES.iter().find_map(|(canon, code, aliases)| {
            (*canon == name
                || code.eq_ignore_ascii_case(name)
                || aliases.iter().any(|a| a.eq_ignore_ascii_case(name)))
            .then_some(*canon)
        })
    }

    fn names(&self) -> Vec<&'static str> {
        RULES.iter().map(|r| r.0).collect()
    }

    fn options(&self, rule: &'static str) -> &'static [OptionSpec] {
        match rule {
            "secret-in-env" => SECRET_OPTIONS,
            _ => &[],
        }
    }
}
