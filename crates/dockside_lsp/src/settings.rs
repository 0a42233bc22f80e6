//! Client settings (`initializationOptions`, `workspace/didChangeConfiguration`)
//! and how they override a file configuration — the same way `dockside check
//! --select/--ignore` does.

use std::collections::BTreeMap;

use dockside_config::{RuleCatalog, RuleSelector, SeverityOverride};
use dockside_linter::{Catalog, Config, Severity};
use serde_json::Value;

/// Overrides from the client, resolved to canonical rule names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// Replaces the configuration's `select` and `extend-select`.
    pub select: Option<Vec<&'static str>>,
    /// Added to the configuration's `ignore`.
    pub ignore: Vec<&'static str>,
    /// Override the configuration's `[severity]` entries.
    pub severity: BTreeMap<&'static str, SeverityOverride>,
}

impl Settings {
    /// Parses `{"dockside": {...}}`, `{"settings": {"dockside": {...}}}` or
    /// the object itself. Unknown keys are ignored (`failLevel` included);
    /// problems (unknown rules, bad levels) are returned as messages and
    /// the offending entries skipped.
    pub fn parse(value: &Value) -> (Settings, Vec<String>) {
        let mut value = value;
        if let Some(inner) = value.get("settings").filter(|v| v.is_object()) {
            value = inner;
        }
        if let Some(inner) = value.get("dockside").filter(|v| v.is_object()) {
            value = inner;
        }
        let mut settings = Settings::default();
        let mut problems = Vec::new();
        if !value.is_object() {
            return (settings, problems);
        }
        match value.get("select") {
            None | Some(Value::Null) => {}
            Some(v) => {
                let list = resolve_list(v, "select", &mut problems);
                if !list.is_empty() {
                    settings.select = Some(list);
                }
            }
        }
        if let Some(v) = value.get("ignore").filter(|v| !v.is_null()) {
            settings.ignore = resolve_list(v, "ignore", &mut problems);
        }
        match value.get("severity") {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => {
                for (rule, level) in map {
                    let names = match dockside_config::resolve_rule(rule, &Catalog) {
                        Ok(RuleSelector::All) => Catalog.names(),
                        Ok(RuleSelector::Rule(name)) => vec![name],
                        Err(e) => {
                            problems.push(format!("severity: {e}"));
                            continue;
                        }
                    };
                    let Some(level) = level.as_str().and_then(parse_level) else {
                        problems.push(format!(
                            "severity: invalid level {level} for `{rule}`; expected one of: error, warning, info, style, off"
                        ));
                        continue;
                    };
                    for name in names {
                        settings.severity.insert(name, level);
                    }
                }
            }
            Some(other) => problems.push(format!("severity: expected an object, found {other}")),
        }
        (settings, problems)
    }

    /// Applies these overrides on top of `config`.
    /// Layers the settings over a file configuration, as the CLI does with its flags.
    pub fn apply(&self, config: &mut Config) {
        dockside_config::Overrides {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            severity: self.severity.clone(),
        }
        .apply(config);
    }
}

fn parse_level(s: &str) -> Option<SeverityOverride> {
    if s.trim().eq_ignore_ascii_case("off") {
        return Some(SeverityOverride::Off);
    }
    s.parse::<Severity>().ok().map(SeverityOverride::Level)
}

/// A list of rule names, codes, aliases or `all` (a comma-separated string
/// is accepted too), resolved and deduplicated.
fn resolve_list(value: &Value, what: &str, problems: &mut Vec<String>) -> Vec<&'static str> {
    let ids: Vec<String> = match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|item| match item.as_str() {
                Some(s) => Some(s.to_string()),
                None => {
                    problems.push(format!("{what}: expected a rule name, found {item}"));
                    None
                }
            })
            .collect(),
        Value::String(s) => s.split(',').map(str::to_string).collect(),
        other => {
            problems.push(format!(
                "{what}: expected a list of rule names, found {other}"
            ));
            Vec::new()
        }
    };
    let mut out = Vec::new();
    for id in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let names = match dockside_config::resolve_rule(id, &Catalog) {
            Ok(RuleSelector::All) => Catalog.names(),
            Ok(RuleSelector::Rule(name)) => vec![name],
            Err(e) => {
                problems.push(format!("{what}: {e}"));
                continue;
            }
        };
        for name in names {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::PathBuf;

    fn some_rule() -> &'static dockside_linter::RuleMeta {
        dockside_linter::all_rules()[0].meta()
    }

    #[test]
    fn parses_nested_and_flat_forms() {
        let rule = some_rule();
        let flat = json!({"select": [rule.code], "ignore": [rule.name], "failLevel": "error"});
        let nested = json!({"dockside": flat.clone()});
        let wrapped = json!({"settings": {"dockside": flat.clone()}});
        for v in [flat, nested, wrapped] {
            let (s, problems) = Settings::parse(&v);
            assert!(problems.is_empty(), "{problems:?}");
            assert_eq!(s.select, Some(vec![rule.name]));
            assert_eq!(s.ignore, vec![rule.name]);
        }
    }

    #[test]
    fn empty_or_odd_values() {
        assert_eq!(Settings::parse(&json!(null)).0, Settings::default());
        assert_eq!(Settings::parse(&json!({})).0, Settings::default());
        assert_eq!(
            Settings::parse(&json!({"dockside": {}})).0,
            Settings::default()
        );
        assert_eq!(Settings::parse(&json!({"select": []})).0.select, None);
        let (s, problems) = Settings::parse(&json!({"select": 3, "ignore": [1]}));
        assert_eq!(s, Settings::default());
        assert_eq!(problems.len(), 2);
    }

    #[test]
    fn all_and_unknown_rules() {
        let (s, problems) = Settings::parse(&json!({"select": ["all", "no-such-rule"]}));
        assert_eq!(s.select.unwrap().len(), dockside_linter::all_rules().len());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("no-such-rule"), "{problems:?}");
    }

    #[test]
    fn severity_map() {
        let rule = some_rule();
        let (s, problems) = Settings::parse(&json!({"severity": {
            rule.code: "info",
            "nope": "error",
        }}));
        assert_eq!(problems.len(), 1);
        assert_eq!(
            s.severity.get(rule.name),
            Some(&SeverityOverride::Level(Severity::Info))
        );
        let (s, _) = Settings::parse(&json!({"severity": {rule.name: "OFF"}}));
        assert_eq!(s.severity.get(rule.name), Some(&SeverityOverride::Off));
        let (s, problems) = Settings::parse(&json!({"severity": {rule.name: "loud"}}));
        assert!(s.severity.is_empty());
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn apply_matches_the_cli() {
        let rule = some_rule();
        let other = dockside_linter::all_rules()[1].meta();
        let mut config = Config::default_for(PathBuf::from("/"));
        config.extend_select = vec![other.name];
        config.ignore = vec![other.name];
        let (s, _) = Settings::parse(&json!({
            "select": [rule.name], "ignore": [rule.name, other.name], "severity": {rule.name: "error"}
        }));
        s.apply(&mut config);
        assert_eq!(config.select, Some(vec![rule.name]));
        assert!(config.extend_select.is_empty());
        assert_eq!(config.ignore, vec![other.name, rule.name]);
        assert_eq!(config.severity_override(rule.name), Some(Severity::Error));
        assert!(!config.is_enabled(rule.name, true, std::path::Path::new("/Dockerfile")));
    }
}
