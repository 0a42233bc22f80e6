//! All rules, and lookup by name, code or alias.

use std::sync::OnceLock;

use dockside_config::{OptionSpec, RuleCatalog};

use crate::rule::{Rule, RuleMeta};
use crate::rules;

/// Every rule, in code order.
pub fn all_rules() -> &'static [&'static dyn Rule] {
    static ALL: OnceLock<Vec<&'static dyn Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<&'static dyn Rule> = rules::GROUPS
            .iter()
            .flat_map(|g| g.iter().copied())
            .collect();
        v.sort_by_key(|r| r.meta().code);
        v
    })
}

/// A rule by name, code or alias (case-insensitive).
pub fn find_rule(id: &str) -> Option<&'static RuleMeta> {
    all_rules().iter().map(|r| r.meta()).find(|m| m.matches(id))
}

/// Lets the configuration resolve rule names without knowing the rules.
pub struct Catalog;

impl RuleCatalog for Catalog {
    fn resolve(&self, id: &str) -> Option<&'static str> {
        find_rule(id).map(|m| m.name)
    }

    fn names(&self) -> Vec<&'static str> {
        all_rules().iter().map(|r| r.meta().name).collect()
    }

    fn options(&self, rule: &'static str) -> &'static [OptionSpec] {
        find_rule(rule).map_or(&[], |m| m.options)
    }
}
