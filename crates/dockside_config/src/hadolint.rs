//! hadolint's configuration file (`.hadolint.yaml` / `.hadolint.yml`), read when a
//! project has no `.dockside.toml`, so a team switching linters keeps its settings.
//!
//! Keys: `ignored`, `override` (`error` / `warning` / `info` / `style` lists),
//! `failure-threshold`, `no-fail`, `trustedRegistries`, `label-schema`, `strict-labels`,
//! `disable-ignore-pragma`. Output-only keys (`format`, `no-color`, `verbose`,
//! `output-file`) are accepted and ignored. DL codes are mapped to dockside rules through
//! their aliases; a code dockside has no rule for is a warning ([`Config::warnings`]),
//! not an error, so a hadolint configuration always loads.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use dockside_compose::yaml::{self, Node, Value};

use crate::config::{Config, SeverityOverride};
use crate::error::ConfigError;
use crate::suggest::hint;
use crate::{FailLevel, OptionKind, RuleCatalog, Severity};

/// File names of hadolint's project configuration, in order of preference.
pub const HADOLINT_CONFIG_FILE_NAMES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];

/// The hadolint code of the trusted-registries rule.
pub const TRUSTED_REGISTRIES_CODE: &str = "DL3026";
/// The option of that rule holding the registries.
pub const TRUSTED_REGISTRIES_OPTION: &str = "trusted-registries";

const KEYS: [&str; 12] = [
    "ignored",
    "override",
    "failure-threshold",
    "no-fail",
    "trustedRegistries",
    "label-schema",
    "strict-labels",
    "disable-ignore-pragma",
    "format",
    "no-color",
    "verbose",
    "output-file",
];

/// Label value types hadolint's `label-schema` accepts.
pub const LABEL_TYPES: [&str; 7] = ["text", "url", "semver", "rfc3339", "spdx", "hash", "email"];

/// Is this a hadolint configuration file name (`.hadolint.yaml`, `hadolint.yml`, …)?
pub fn is_hadolint_config(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        let n = n.trim_start_matches('.');
        n.starts_with("hadolint") && (n.ends_with(".yaml") || n.ends_with(".yml"))
    })
}

/// hadolint's user-level configuration files, in its order of preference:
/// `$XDG_CONFIG_HOME/hadolint.yaml`, `~/.config/hadolint.yaml`, `~/.hadolint/hadolint.yaml`,
/// `~/.hadolint.yaml` (each also with `.yml`).
pub fn user_config_candidates() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from);
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|x| !x.is_empty())
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".config")));
    if let Some(xdg) = xdg {
        out.push(xdg.join("hadolint.yaml"));
        out.push(xdg.join("hadolint.yml"));
    }
    if let Some(home) = home {
        out.push(home.join(".hadolint").join("hadolint.yaml"));
        out.push(home.join(".hadolint").join("hadolint.yml"));
        out.push(home.join(".hadolint.yaml"));
        out.push(home.join(".hadolint.yml"));
    }
    out
}

/// Parse a hadolint configuration. Structural errors (wrong types, invalid levels,
/// unknown keys, YAML syntax) are errors with line and column; codes of rules dockside
/// does not have are collected in [`Config::warnings`].
pub fn parse_hadolint(
    path: &Path,
    text: &str,
    catalog: &dyn RuleCatalog,
) -> Result<Config, ConfigError> {
    let root = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let root = std::path::absolute(&root).unwrap_or(root);
    let mut config = Config::default_for(root);
    config.path = Some(path.to_path_buf());
    let p = YamlParser {
        path,
        text,
        catalog,
    };
    let loaded = yaml::load(text);
    if let Some(e) = loaded.errors.first() {
        return Err(p.err(e.range.as_range(), format!("YAML error: {}", e.message)));
    }
    let Some(doc) = loaded.documents.first() else {
        return Ok(config);
    };
    if doc.is_null() {
        return Ok(config);
    }
    let Some(entries) = doc.as_mapping() else {
        return Err(p.err(doc.range.as_range(), "the configuration must be a mapping"));
    };
    let mut no_fail = false;
    for (key, value) in entries {
        let Some(name) = key.scalar_text() else {
            return Err(p.err(key.range.as_range(), "keys must be strings"));
        };
        match normalize_key(name).as_str() {
            "ignored" => {
                for rule in p.codes(value, "ignored", &mut config.warnings)? {
                    if !config.ignore.contains(&rule) {
                        config.ignore.push(rule);
                    }
                }
            }
            "override" => p.overrides(value, &mut config)?,
            "failure-threshold" => {
                let s = p.string(value, "`failure-threshold`")?;
                config.fail_level = Some(match s.trim().to_ascii_lowercase().as_str() {
                    "none" => FailLevel::None,
                    "ignore" => FailLevel::Level(Severity::Style),
                    other => other
                        .parse::<Severity>()
                        .map(FailLevel::Level)
                        .map_err(|_| {
                            const LEVELS: [&str; 6] =
                                ["error", "warning", "info", "style", "ignore", "none"];
                            p.err(
                                value.range.as_range(),
                                format!(
                                    "invalid failure-threshold `{s}`; expected one of: {}{}",
                                    LEVELS.join(", "),
                                    hint(s, LEVELS)
                                ),
                            )
                        })?,
                });
            }
            "no-fail" => {
                no_fail = p.bool(value, "`no-fail`")?;
            }
            "trusted-registries" => {
                let registries = p.strings(value, "`trustedRegistries`")?;
                p.trusted_registries(value, registries, &mut config);
            }
            "label-schema" => {
                let Some(items) = value.as_mapping() else {
                    if value.is_null() {
                        continue;
                    }
                    return Err(p.err(
                        value.range.as_range(),
                        "`label-schema` must be a mapping of label names to types",
                    ));
                };
                for (label, kind) in items {
                    let Some(label_name) = label.scalar_text() else {
                        return Err(p.err(label.range.as_range(), "label names must be strings"));
                    };
                    let kind_text = p.string(kind, "a label type")?;
                    let lower = kind_text.trim().to_ascii_lowercase();
                    if !LABEL_TYPES.contains(&lower.as_str()) {
                        return Err(p.err(
                            kind.range.as_range(),
                            format!(
                                "invalid label type `{kind_text}`; expected one of: {}{}",
                                LABEL_TYPES.join(", "),
                                hint(kind_text, LABEL_TYPES)
                            ),
                        ));
                    }
                    config.label_schema.insert(label_name.to_string(), lower);
                }
            }
            "strict-labels" => config.strict_labels = p.bool(value, "`strict-labels`")?,
            "disable-ignore-pragma" => {
                config.disable_inline_ignores = p.bool(value, "`disable-ignore-pragma`")?;
            }
            "format" | "no-color" | "verbose" | "output-file" => {}
            _ => {
                return Err(p.err(
                    key.range.as_range(),
                    format!("unknown key `{name}`{}", hint(name, KEYS)),
                ));
            }
        }
    }
    if no_fail {
        config.fail_level = Some(FailLevel::None);
    }
    Ok(config)
}

/// `trustedRegistries`, `trusted-registries` and `trusted_registries` are one key;
/// other keys are compared in lower case with `_` as `-`.
fn normalize_key(key: &str) -> String {
    let mut out = String::new();
    for (i, ch) in key.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(ch.to_ascii_lowercase());
        } else if ch == '_' {
            out.push('-');
        } else {
            out.push(ch);
        }
    }
    out
}

struct YamlParser<'a> {
    path: &'a Path,
    text: &'a str,
    catalog: &'a dyn RuleCatalog,
}

impl YamlParser<'_> {
    fn err(&self, span: Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError::at(self.path, self.text, Some(span), message)
    }

    fn warn(&self, span: Range<usize>, message: impl Into<String>) -> ConfigError {
        self.err(span, message)
    }

    fn type_name(node: &Node) -> &'static str {
        match node.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::String(_) => "a string",
            Value::Sequence(_) => "a list",
            Value::Mapping(_) => "a mapping",
        }
    }

    fn string<'n>(&self, node: &'n Node, what: &str) -> Result<&'n str, ConfigError> {
        node.as_str().ok_or_else(|| {
            self.err(
                node.range.as_range(),
                format!("{what} must be a string, found {}", Self::type_name(node)),
            )
        })
    }

    fn bool(&self, node: &Node, what: &str) -> Result<bool, ConfigError> {
        match node.value {
            Value::Bool(b) => Ok(b),
            _ => Err(self.err(
                node.range.as_range(),
                format!(
                    "{what} must be true or false, found {}",
                    Self::type_name(node)
                ),
            )),
        }
    }

    /// A list of strings (a null value is an empty list); items with their ranges.
    fn strings<'n>(
        &self,
        node: &'n Node,
        what: &str,
    ) -> Result<Vec<(&'n str, Range<usize>)>, ConfigError> {
        if node.is_null() {
            return Ok(Vec::new());
        }
        let items = node.as_sequence().ok_or_else(|| {
            self.err(
                node.range.as_range(),
                format!("{what} must be a list, found {}", Self::type_name(node)),
            )
        })?;
        items
            .iter()
            .map(|item| {
                let s = item
                    .scalar_text()
                    .filter(|_| !matches!(item.value, Value::Sequence(_) | Value::Mapping(_)));
                s.map(|s| (s, item.range.as_range())).ok_or_else(|| {
                    self.err(
                        item.range.as_range(),
                        format!(
                            "items of {what} must be strings, found {}",
                            Self::type_name(item)
                        ),
                    )
                })
            })
            .collect()
    }

    /// A list of DL codes (or dockside names), resolved; unknown ones become warnings.
    fn codes(
        &self,
        node: &Node,
        what: &str,
        warnings: &mut Vec<ConfigError>,
    ) -> Result<Vec<&'static str>, ConfigError> {
        let mut out = Vec::new();
        for (code, range) in self.strings(node, &format!("`{what}`"))? {
            match self.catalog.resolve(code.trim()) {
                Some(rule) => {
                    if !out.contains(&rule) {
                        out.push(rule);
                    }
                }
                None => warnings.push(self.warn(
                    range,
                    format!("`{code}` in `{what}` is not a rule dockside has; it is skipped"),
                )),
            }
        }
        Ok(out)
    }

    fn overrides(&self, node: &Node, config: &mut Config) -> Result<(), ConfigError> {
        if node.is_null() {
            return Ok(());
        }
        let Some(entries) = node.as_mapping() else {
            return Err(self.err(
                node.range.as_range(),
                format!(
                    "`override` must be a mapping of levels to rule lists, found {}",
                    Self::type_name(node)
                ),
            ));
        };
        const LEVELS: [&str; 4] = ["error", "warning", "info", "style"];
        for (key, value) in entries {
            let level_name = key.scalar_text().unwrap_or_default();
            let Ok(level) = level_name.parse::<Severity>() else {
                return Err(self.err(
                    key.range.as_range(),
                    format!(
                        "unknown level `{level_name}` in `override`; expected one of: {}{}",
                        LEVELS.join(", "),
                        hint(level_name, LEVELS)
                    ),
                ));
            };
            let what = format!("override.{level_name}");
            for rule in self.codes(value, &what, &mut config.warnings)? {
                config.severity.insert(rule, SeverityOverride::Level(level));
            }
        }
        Ok(())
    }

    fn trusted_registries(
        &self,
        node: &Node,
        registries: Vec<(&str, Range<usize>)>,
        config: &mut Config,
    ) {
        if registries.is_empty() {
            return;
        }
        let rule =
            self.catalog
                .resolve(TRUSTED_REGISTRIES_CODE)
                .filter(|rule| {
                    self.catalog.options(rule).iter().any(|o| {
                        o.key == TRUSTED_REGISTRIES_OPTION && o.kind == OptionKind::StringList
                    })
                });
        let Some(rule) = rule else {
            config.warnings.push(self.warn(
                node.range.as_range(),
                format!(
                    "`trustedRegistries` is skipped: dockside has no rule for {TRUSTED_REGISTRIES_CODE} with a `{TRUSTED_REGISTRIES_OPTION}` option"
                ),
            ));
            return;
        };
        let list = registries
            .iter()
            .map(|(r, _)| toml::Value::String((*r).to_string()))
            .collect();
        let mut table = toml::Table::new();
        table.insert(
            TRUSTED_REGISTRIES_OPTION.to_string(),
            toml::Value::Array(list),
        );
        config.rules.insert(rule, table);
        // hadolint checks registries only when the list is set: enable the rule.
        if !config.extend_select.contains(&rule) {
            config.extend_select.push(rule);
        }
    }
}

/// The `.dockside.toml` text equivalent to `config` (a configuration read from a hadolint
/// file), for `dockside migrate hadolint`. Rule names are the canonical dockside names.
pub fn to_dockside_toml(config: &Config) -> String {
    let mut out = String::new();
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let list = |items: &[&str]| {
        let parts: Vec<String> = items.iter().map(|s| quote(s)).collect();
        format!("[{}]", parts.join(", "))
    };
    if !config.extend_select.is_empty() {
        out.push_str(&format!(
            "extend-select = {}\n",
            list(&config.extend_select)
        ));
    }
    if !config.ignore.is_empty() {
        out.push_str(&format!("ignore = {}\n", list(&config.ignore)));
    }
    if let Some(level) = config.fail_level {
        out.push_str(&format!("fail-level = {}\n", quote(&level.to_string())));
    }
    if config.disable_inline_ignores {
        out.push_str("disable-inline-ignores = true\n");
    }
    if config.strict_labels {
        out.push_str("strict-labels = true\n");
    }
    if !config.label_schema.is_empty() {
        out.push_str("\n[label-schema]\n");
        for (label, kind) in &config.label_schema {
            out.push_str(&format!("{} = {}\n", toml_key(label), quote(kind)));
        }
    }
    if !config.severity.is_empty() {
        out.push_str("\n[severity]\n");
        let sorted: BTreeMap<_, _> = config.severity.iter().collect();
        for (rule, level) in sorted {
            let level = match level {
                SeverityOverride::Off => "off".to_string(),
                SeverityOverride::Level(s) => s.to_string(),
            };
            out.push_str(&format!("{rule} = {}\n", quote(&level)));
        }
    }
    for (rule, table) in &config.rules {
        out.push_str(&format!("\n[rules.{rule}]\n"));
        out.push_str(&toml::to_string(table).unwrap_or_default());
    }
    out
}

fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        key.to_string()
    } else {
        toml::Value::String(key.to_string()).to_string()
    }
}
