//! Configuration for dockside: the `.dockside.toml` file (or, without one, hadolint's
//! `.hadolint.yaml`, see [`hadolint`]) and inline
//! suppression comments (`# dockside ignore=…`, `# hadolint ignore=…`).
//!
//! This crate knows nothing about the concrete rules; it learns their
//! identities through the [`RuleCatalog`] trait, which the linter implements.

mod config;
mod error;
pub mod hadolint;
mod overrides;
mod severity;
mod suggest;
pub mod suppression;

pub use config::{
    CONFIG_FILE_NAMES, Config, ConfigFinder, PerFileIgnore, RuleSelector, SeverityOverride,
    find_config, find_dockside_config, find_hadolint_config, load, parse, resolve_rule,
};
pub use error::ConfigError;
pub use hadolint::{HADOLINT_CONFIG_FILE_NAMES, parse_hadolint};
pub use overrides::Overrides;
pub use severity::{FailLevel, ParseLevelError, Severity};
pub use suggest::{did_you_mean, levenshtein};

/// The type a rule option (a key in `[rules.<name>]`) must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionKind {
    /// An array of strings, e.g. `["^MY_.*_PASS$"]`.
    StringList,
    /// A single string.
    String,
    /// `true` / `false`.
    Bool,
    /// An integer.
    Integer,
}

impl OptionKind {
    /// Human-readable description used in error messages.
    pub fn describe(self) -> &'static str {
        match self {
            OptionKind::StringList => "an array of strings",
            OptionKind::String => "a string",
            OptionKind::Bool => "a boolean",
            OptionKind::Integer => "an integer",
        }
    }
}

/// Describes one option key accepted by a rule in `[rules.<name>]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OptionSpec {
    /// The (kebab-case) option key.
    pub key: &'static str,
    /// The expected value type.
    pub kind: OptionKind,
    /// One-line help text.
    pub help: &'static str,
}

/// How the configuration learns about rules; implemented by the linter.
pub trait RuleCatalog {
    /// Canonical rule name for a name, code (`DF101`) or alias (`DL3059`,
    /// BuildKit check name), case-insensitive for codes/aliases; `None` if unknown.
    fn resolve(&self, name_code_or_alias: &str) -> Option<&'static str>;
    /// All canonical names (used for `"all"` and did-you-mean suggestions).
    /// May also contain codes/aliases; they are resolved before use.
    fn names(&self) -> Vec<&'static str>;
    /// Option keys a rule accepts in `[rules.<name>]`, with the expected type.
    fn options(&self, rule: &'static str) -> &'static [OptionSpec];
}
