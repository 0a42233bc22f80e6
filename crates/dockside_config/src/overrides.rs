//! Rule selection given on top of a configuration file: the CLI's
//! `--select`/`--ignore` and an editor's settings apply the same way.

use std::collections::BTreeMap;

use crate::config::{Config, SeverityOverride};

/// Canonical rule names (already resolved) to layer over a [`Config`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Replaces the configuration's `select` and clears its `extend-select`.
    pub select: Option<Vec<&'static str>>,
    /// Added to the configuration's `ignore`.
    pub ignore: Vec<&'static str>,
    /// Replaces the configuration's `[severity]` entries for these rules.
    pub severity: BTreeMap<&'static str, SeverityOverride>,
}

impl Overrides {
    pub fn apply(&self, config: &mut Config) {
        if let Some(select) = &self.select {
            config.select = Some(select.clone());
            config.extend_select.clear();
        }
        for rule in &self.ignore {
            if !config.ignore.contains(rule) {
                config.ignore.push(rule);
            }
        }
        for (rule, level) in &self.severity {
            config.severity.insert(rule, *level);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;
    use std::path::PathBuf;

    #[test]
    fn select_replaces_ignore_adds_severity_overrides() {
        let mut config = Config::default_for(PathBuf::from("/"));
        config.extend_select = vec!["b"];
        config.ignore = vec!["c"];
        let overrides = Overrides {
            select: Some(vec!["a"]),
            ignore: vec!["c", "d"],
            severity: BTreeMap::from([("a", SeverityOverride::Level(Severity::Error))]),
        };
        overrides.apply(&mut config);
        assert_eq!(config.select, Some(vec!["a"]));
        assert!(config.extend_select.is_empty());
        assert_eq!(config.ignore, vec!["c", "d"]);
        assert_eq!(config.severity_override("a"), Some(Severity::Error));
    }
}
