use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use globset::{GlobBuilder, GlobMatcher};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::ConfigError;
use crate::hadolint::{
    HADOLINT_CONFIG_FILE_NAMES, LABEL_TYPES, is_hadolint_config, parse_hadolint,
    user_config_candidates,
};
use crate::suggest::hint;
use crate::{FailLevel, OptionKind, RuleCatalog, Severity};

/// File names recognised by [`find_config`], in order of preference.
pub const CONFIG_FILE_NAMES: [&str; 2] = [".dockside.toml", "dockside.toml"];

const TOP_LEVEL_KEYS: [&str; 10] = [
    "select",
    "extend-select",
    "ignore",
    "fail-level",
    "severity",
    "per-file-ignores",
    "rules",
    "disable-inline-ignores",
    "label-schema",
    "strict-labels",
];

/// Walk upward from `start_dir` and return the first `.dockside.toml`
/// (or `dockside.toml`) found, stopping at the filesystem root. Without one,
/// hadolint's configuration is used the way hadolint finds it: the nearest
/// `.hadolint.yaml` / `.hadolint.yml` upward, then the user-level files
/// ([`crate::hadolint::user_config_candidates`]).
pub fn find_config(start_dir: &Path) -> Option<PathBuf> {
    ConfigFinder::default().find(start_dir)
}

/// The nearest `.dockside.toml` / `dockside.toml` upward from `start_dir`.
pub fn find_dockside_config(start_dir: &Path) -> Option<PathBuf> {
    find_upward(start_dir, &CONFIG_FILE_NAMES)
}

/// The hadolint configuration hadolint would use for files under `start_dir`.
pub fn find_hadolint_config(start_dir: &Path) -> Option<PathBuf> {
    find_upward(start_dir, &HADOLINT_CONFIG_FILE_NAMES)
        .or_else(|| user_config_candidates().into_iter().find(|p| p.is_file()))
}

fn find_upward(start_dir: &Path, names: &[&str]) -> Option<PathBuf> {
    find_upward_remembering(&absolute(start_dir), names, &mut HashMap::new())
}

fn absolute(dir: &Path) -> PathBuf {
    std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// Like [`find_upward`] from an absolute `start`, answering from `known` (folder →
/// the file found from it) and adding the folders it had to look in.
fn find_upward_remembering(
    start: &Path,
    names: &[&str],
    known: &mut HashMap<PathBuf, Option<PathBuf>>,
) -> Option<PathBuf> {
    let mut looked_in = Vec::new();
    let mut found = None;
    for dir in start.ancestors() {
        if let Some(answer) = known.get(dir) {
            found = answer.clone();
            break;
        }
        looked_in.push(dir.to_path_buf());
        if let Some(file) = names
            .iter()
            .map(|name| dir.join(name))
            .find(|p| p.is_file())
        {
            found = Some(file);
            break;
        }
    }
    for dir in looked_in {
        known.insert(dir, found.clone());
    }
    found
}

/// [`find_config`] for many folders at once (a `check` of a whole tree): each folder
/// and ancestor is looked in once, not once per folder below it.
#[derive(Default)]
pub struct ConfigFinder {
    known: Mutex<KnownFolders>,
}

#[derive(Default)]
struct KnownFolders {
    dockside: HashMap<PathBuf, Option<PathBuf>>,
    hadolint: HashMap<PathBuf, Option<PathBuf>>,
    user_hadolint: Option<Option<PathBuf>>,
}

impl ConfigFinder {
    /// What [`find_config`] answers for `start_dir`.
    pub fn find(&self, start_dir: &Path) -> Option<PathBuf> {
        let start = absolute(start_dir);
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        let known = &mut *known;
        find_upward_remembering(&start, &CONFIG_FILE_NAMES, &mut known.dockside)
            .or_else(|| {
                find_upward_remembering(&start, &HADOLINT_CONFIG_FILE_NAMES, &mut known.hadolint)
            })
            .or_else(|| {
                known
                    .user_hadolint
                    .get_or_insert_with(|| {
                        user_config_candidates().into_iter().find(|p| p.is_file())
                    })
                    .clone()
            })
    }
}

/// Read and [`parse`] the configuration file at `path` (a hadolint YAML file when
/// its name says so, see [`crate::hadolint::is_hadolint_config`]).
pub fn load(path: &Path, catalog: &dyn RuleCatalog) -> Result<Config, ConfigError> {
    // Reading a FIFO would block and a device might never end.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Err(ConfigError::new(
            path,
            "cannot read configuration file: not a regular file",
        ));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::new(path, format!("cannot read configuration file: {e}")))?;
    if is_hadolint_config(path) {
        return parse_hadolint(path, &text, catalog);
    }
    parse(path, &text, catalog)
}

/// Parse and validate configuration text; `path` is used for error messages
/// and its directory becomes [`Config::root`]. Returns the first error found
/// (in document order), located at the offending key or value.
pub fn parse(path: &Path, text: &str, catalog: &dyn RuleCatalog) -> Result<Config, ConfigError> {
    let root = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let root = std::path::absolute(&root).unwrap_or(root);
    let mut config = Config::default_for(root);
    config.path = Some(path.to_path_buf());
    Parser {
        path,
        text,
        catalog,
    }
    .parse_into(&mut config)?;
    Ok(config)
}

/// A rule reference as written in the configuration: `"all"` or one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleSelector {
    /// `"all"`: every rule.
    All,
    /// A single rule (canonical name).
    Rule(&'static str),
}

/// Resolve a rule name, code, alias or `"all"`; the error message contains a
/// did-you-mean suggestion when one is close enough.
pub fn resolve_rule(name: &str, catalog: &dyn RuleCatalog) -> Result<RuleSelector, String> {
    if name.eq_ignore_ascii_case("all") {
        return Ok(RuleSelector::All);
    }
    if let Some(rule) = catalog.resolve(name) {
        return Ok(RuleSelector::Rule(rule));
    }
    let names = catalog.names();
    Err(format!(
        "unknown rule `{name}`{}",
        hint(name, names.iter().copied())
    ))
}

/// A severity override from `[severity]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeverityOverride {
    /// `"off"`: the rule is disabled.
    Off,
    /// Report the rule's diagnostics with this severity.
    Level(Severity),
}

/// One `[per-file-ignores]` entry.
#[derive(Debug, Clone)]
pub struct PerFileIgnore {
    /// The glob as written.
    pub pattern: String,
    /// Rules disabled for matching files (canonical names; `"all"` expanded).
    pub rules: Vec<&'static str>,
    matcher: GlobMatcher,
    /// Patterns without `/` also match the bare file name.
    match_file_name: bool,
}

impl PerFileIgnore {
    /// Does this entry's glob match `relative` (a path relative to the
    /// configuration root)?
    pub fn matches(&self, relative: &Path) -> bool {
        self.matcher.is_match(relative)
            || (self.match_file_name
                && relative
                    .file_name()
                    .is_some_and(|name| self.matcher.is_match(name)))
    }
}

/// A resolved, validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file this came from; `None` for the default configuration.
    pub path: Option<PathBuf>,
    /// The configuration file's directory (per-file-ignores are relative to it).
    pub root: PathBuf,
    /// `select`, resolved to canonical names (`"all"` expanded); `None` = rule defaults.
    pub select: Option<Vec<&'static str>>,
    /// `extend-select`, resolved to canonical names.
    pub extend_select: Vec<&'static str>,
    /// `ignore`, resolved to canonical names.
    pub ignore: Vec<&'static str>,
    /// `fail-level`, if set.
    pub fail_level: Option<FailLevel>,
    /// `[severity]` overrides, keyed by canonical name.
    pub severity: BTreeMap<&'static str, SeverityOverride>,
    /// `[per-file-ignores]`, in document order.
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// `[rules.<name>]` option tables (validated), keyed by canonical name.
    pub rules: BTreeMap<&'static str, toml::Table>,
    /// `disable-inline-ignores = true` (hadolint's `disable-ignore-pragma`): suppression
    /// comments are not honoured.
    pub disable_inline_ignores: bool,
    /// `[label-schema]`: required labels and the type of their value (`text`, `url`,
    /// `semver`, `rfc3339`, `spdx`, `hash`, `email`).
    pub label_schema: BTreeMap<String, String>,
    /// `strict-labels = true`: labels not in the schema are reported.
    pub strict_labels: bool,
    /// Problems that do not stop the configuration from loading (e.g. hadolint codes
    /// dockside has no rule for), with their location.
    pub warnings: Vec<ConfigError>,
}

impl Config {
    /// The default configuration (every rule at its default) rooted at `root`.
    pub fn default_for(root: PathBuf) -> Config {
        Config {
            path: None,
            root,
            select: None,
            extend_select: Vec::new(),
            ignore: Vec::new(),
            fail_level: None,
            severity: BTreeMap::new(),
            per_file_ignores: Vec::new(),
            rules: BTreeMap::new(),
            disable_inline_ignores: false,
            label_schema: BTreeMap::new(),
            strict_labels: false,
            warnings: Vec::new(),
        }
    }

    /// Is `rule` enabled for the file at `path`, after `select`,
    /// `extend-select`, `ignore`, `per-file-ignores` and severity `"off"`?
    /// `default_enabled` is the rule's own default.
    #[inline]
    pub fn is_enabled(&self, rule: &'static str, default_enabled: bool, path: &Path) -> bool {
        let adjusts_rules = self.select.is_some()
            || !self.extend_select.is_empty()
            || !self.ignore.is_empty()
            || !self.severity.is_empty()
            || !self.per_file_ignores.is_empty();
        if !adjusts_rules {
            return default_enabled;
        }
        let selected = match &self.select {
            Some(select) => select.contains(&rule),
            None => default_enabled,
        } || self.extend_select.contains(&rule);
        if !selected
            || self.ignore.contains(&rule)
            || self.severity.get(rule) == Some(&SeverityOverride::Off)
        {
            return false;
        }
        !self.is_ignored_by_path(rule, path)
    }

    /// Is `rule` disabled for `path` by a `[per-file-ignores]` entry?
    pub fn is_ignored_by_path(&self, rule: &'static str, path: &Path) -> bool {
        if self.per_file_ignores.is_empty() {
            return false;
        }
        let relative = self.relative_path(path);
        self.per_file_ignores
            .iter()
            .any(|pfi| pfi.rules.contains(&rule) && pfi.matches(&relative))
    }

    /// `path` relative to [`Config::root`] (lexically normalised); paths
    /// outside the root are returned normalised but otherwise unchanged.
    pub fn relative_path<'a>(&self, path: &'a Path) -> Cow<'a, Path> {
        let abs = |p: &Path| {
            if p.is_absolute() {
                normalize(p)
            } else {
                std::path::absolute(p).map_or_else(|_| normalize(p), |a| normalize(&a))
            }
        };
        let full = abs(path);
        match full.strip_prefix(abs(&self.root)) {
            Ok(rel) => Cow::Owned(rel.to_path_buf()),
            Err(_) if full == path => Cow::Borrowed(path),
            Err(_) => Cow::Owned(full),
        }
    }

    /// The `[severity]` override for `rule`, unless it is `"off"`.
    pub fn severity_override(&self, rule: &'static str) -> Option<Severity> {
        match self.severity.get(rule)? {
            SeverityOverride::Level(sev) => Some(*sev),
            SeverityOverride::Off => None,
        }
    }

    /// The configured `fail-level` (the CLI default for `--fail-level`).
    pub fn fail_level(&self) -> Option<FailLevel> {
        self.fail_level
    }

    /// The `[rules.<rule>]` table, if present.
    pub fn rule_options(&self, rule: &'static str) -> Option<&toml::Table> {
        self.rules.get(rule)
    }

    /// A string-list option of `rule`; empty if absent.
    pub fn string_list_option(&self, rule: &'static str, key: &str) -> Vec<String> {
        self.option(rule, key)
            .and_then(toml::Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A string option of `rule`, if set.
    pub fn string_option(&self, rule: &'static str, key: &str) -> Option<&str> {
        self.option(rule, key)?.as_str()
    }

    /// A boolean option of `rule`, if set.
    pub fn bool_option(&self, rule: &'static str, key: &str) -> Option<bool> {
        self.option(rule, key)?.as_bool()
    }

    /// An integer option of `rule`, if set.
    pub fn integer_option(&self, rule: &'static str, key: &str) -> Option<i64> {
        self.option(rule, key)?.as_integer()
    }

    fn option(&self, rule: &'static str, key: &str) -> Option<&toml::Value> {
        self.rule_options(rule)?.get(key)
    }
}

/// Lexically remove `.` and resolve `..` components.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for comp in path.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

type Entry<'a, 'i> = (&'a Spanned<Cow<'i, str>>, &'a Spanned<DeValue<'i>>);

/// Table entries in document order (the map itself is sorted by key).
fn entries<'a, 'i>(table: &'a DeTable<'i>) -> Vec<Entry<'a, 'i>> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

struct Parser<'a> {
    path: &'a Path,
    text: &'a str,
    catalog: &'a dyn RuleCatalog,
}

impl Parser<'_> {
    fn err(&self, span: Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError::at(self.path, self.text, Some(span), message)
    }

    fn parse_into(&self, config: &mut Config) -> Result<(), ConfigError> {
        let doc = DeTable::parse(self.text).map_err(|e| {
            ConfigError::at(
                self.path,
                self.text,
                e.span(),
                format!("TOML parse error: {}", e.message().trim_end()),
            )
        })?;
        // A plain (span-less) copy of the document, for `[rules.*]` values.
        let plain: toml::Table = self.text.parse().map_err(|e: toml::de::Error| {
            ConfigError::at(self.path, self.text, e.span(), e.message().trim_end())
        })?;

        for (key, value) in entries(doc.get_ref()) {
            match key.get_ref().as_ref() {
                "select" => config.select = Some(self.rule_list(value, "select")?),
                "extend-select" => config.extend_select = self.rule_list(value, "extend-select")?,
                "ignore" => config.ignore = self.rule_list(value, "ignore")?,
                "fail-level" => {
                    let s = self.string(value, "`fail-level`")?;
                    let level = s.parse::<FailLevel>().map_err(|e| {
                        self.err(
                            value.span(),
                            format!(
                                "invalid fail-level `{s}`; expected one of: {}{}",
                                e.expected.join(", "),
                                hint(s, e.expected.iter().copied())
                            ),
                        )
                    })?;
                    config.fail_level = Some(level);
                }
                "severity" => self.severity(value, config)?,
                "per-file-ignores" => self.per_file_ignores(value, config)?,
                "rules" => self.rules(value, plain.get("rules"), config)?,
                "disable-inline-ignores" => {
                    config.disable_inline_ignores =
                        self.boolean(value, "`disable-inline-ignores`")?;
                }
                "strict-labels" => {
                    config.strict_labels = self.boolean(value, "`strict-labels`")?;
                }
                "label-schema" => {
                    for (label, kind) in entries(self.table(value, "`label-schema`")?) {
                        let s = self.string(kind, "a label type")?;
                        let lower = s.trim().to_ascii_lowercase();
                        if !LABEL_TYPES.contains(&lower.as_str()) {
                            return Err(self.err(
                                kind.span(),
                                format!(
                                    "invalid label type `{s}`; expected one of: {}{}",
                                    LABEL_TYPES.join(", "),
                                    hint(s, LABEL_TYPES)
                                ),
                            ));
                        }
                        config
                            .label_schema
                            .insert(label.get_ref().to_string(), lower);
                    }
                }
                other => {
                    return Err(self.err(
                        key.span(),
                        format!(
                            "unknown key `{other}`{}",
                            hint(other, TOP_LEVEL_KEYS.iter().copied())
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn table<'v, 'i>(
        &self,
        value: &'v Spanned<DeValue<'i>>,
        what: &str,
    ) -> Result<&'v DeTable<'i>, ConfigError> {
        value.get_ref().as_table().ok_or_else(|| {
            self.err(
                value.span(),
                format!(
                    "{what} must be a table, found {}",
                    value.get_ref().type_str()
                ),
            )
        })
    }

    fn boolean(&self, value: &Spanned<DeValue<'_>>, what: &str) -> Result<bool, ConfigError> {
        value.get_ref().as_bool().ok_or_else(|| {
            self.err(
                value.span(),
                format!(
                    "{what} must be a boolean, found {}",
                    value.get_ref().type_str()
                ),
            )
        })
    }

    fn string<'v>(
        &self,
        value: &'v Spanned<DeValue<'_>>,
        what: &str,
    ) -> Result<&'v str, ConfigError> {
        value.get_ref().as_str().ok_or_else(|| {
            self.err(
                value.span(),
                format!(
                    "{what} must be a string, found {}",
                    value.get_ref().type_str()
                ),
            )
        })
    }

    /// A rule name / code / alias key (no `"all"`).
    fn rule_key(&self, key: &Spanned<Cow<'_, str>>) -> Result<&'static str, ConfigError> {
        match resolve_rule(key.get_ref(), self.catalog) {
            Ok(RuleSelector::Rule(rule)) => Ok(rule),
            Ok(RuleSelector::All) => Err(self.err(
                key.span(),
                "`all` is not allowed here; name a specific rule",
            )),
            Err(msg) => Err(self.err(key.span(), msg)),
        }
    }

    /// Every canonical rule name.
    fn all_rules(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        for name in self.catalog.names() {
            if let Some(rule) = self.catalog.resolve(name)
                && !out.contains(&rule)
            {
                out.push(rule);
            }
        }
        out
    }

    /// An array of rule names/codes/aliases/`"all"`, resolved and deduplicated.
    fn rule_list(
        &self,
        value: &Spanned<DeValue<'_>>,
        what: &str,
    ) -> Result<Vec<&'static str>, ConfigError> {
        let items = value.get_ref().as_array().ok_or_else(|| {
            self.err(
                value.span(),
                format!(
                    "`{what}` must be an array of rule names, found {}",
                    value.get_ref().type_str()
                ),
            )
        })?;
        let mut out: Vec<&'static str> = Vec::new();
        for item in items.iter() {
            let name = self.string(item, "a rule name")?;
            match resolve_rule(name, self.catalog).map_err(|msg| self.err(item.span(), msg))? {
                RuleSelector::All => {
                    for rule in self.all_rules() {
                        if !out.contains(&rule) {
                            out.push(rule);
                        }
                    }
                }
                RuleSelector::Rule(rule) => {
                    if !out.contains(&rule) {
                        out.push(rule);
                    }
                }
            }
        }
        Ok(out)
    }

    fn severity(
        &self,
        value: &Spanned<DeValue<'_>>,
        config: &mut Config,
    ) -> Result<(), ConfigError> {
        const LEVELS: [&str; 5] = ["error", "warning", "info", "style", "off"];
        let mut seen: BTreeMap<&'static str, String> = BTreeMap::new();
        for (key, value) in entries(self.table(value, "`severity`")?) {
            let rule = self.rule_key(key)?;
            if let Some(prev) = seen.insert(rule, key.get_ref().to_string()) {
                return Err(self.err(
                    key.span(),
                    format!("severity of rule `{rule}` is already set (as `{prev}`)"),
                ));
            }
            let s = self.string(value, "a severity")?;
            let level = if s.trim().eq_ignore_ascii_case("off") {
                SeverityOverride::Off
            } else {
                SeverityOverride::Level(s.parse::<Severity>().map_err(|_| {
                    self.err(
                        value.span(),
                        format!(
                            "invalid severity `{s}`; expected one of: {}{}",
                            LEVELS.join(", "),
                            hint(s, LEVELS)
                        ),
                    )
                })?)
            };
            config.severity.insert(rule, level);
        }
        Ok(())
    }

    fn per_file_ignores(
        &self,
        value: &Spanned<DeValue<'_>>,
        config: &mut Config,
    ) -> Result<(), ConfigError> {
        for (key, value) in entries(self.table(value, "`per-file-ignores`")?) {
            let pattern = key.get_ref().to_string();
            let glob = GlobBuilder::new(&pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    self.err(
                        key.span(),
                        format!("invalid glob `{pattern}`: {}", e.kind()),
                    )
                })?;
            let rules = self.rule_list(value, &format!("per-file-ignores.\"{pattern}\""))?;
            config.per_file_ignores.push(PerFileIgnore {
                match_file_name: !pattern.contains('/'),
                pattern,
                rules,
                matcher: glob.compile_matcher(),
            });
        }
        Ok(())
    }

    fn rules(
        &self,
        value: &Spanned<DeValue<'_>>,
        plain: Option<&toml::Value>,
        config: &mut Config,
    ) -> Result<(), ConfigError> {
        let mut seen: BTreeMap<&'static str, String> = BTreeMap::new();
        for (key, value) in entries(self.table(value, "`rules`")?) {
            let rule = self.rule_key(key)?;
            if let Some(prev) = seen.insert(rule, key.get_ref().to_string()) {
                return Err(self.err(
                    key.span(),
                    format!("options for rule `{rule}` are already set (as `[rules.{prev}]`)"),
                ));
            }
            let table = self.table(value, &format!("`rules.{}`", key.get_ref()))?;
            let specs = self.catalog.options(rule);
            for (opt_key, opt_value) in entries(table) {
                let name = opt_key.get_ref().as_ref();
                let Some(spec) = specs.iter().find(|s| s.key == name) else {
                    let message = if specs.is_empty() {
                        format!("unknown option `{name}`: rule `{rule}` has no options")
                    } else {
                        let valid: Vec<_> = specs.iter().map(|s| format!("`{}`", s.key)).collect();
                        format!(
                            "unknown option `{name}` for rule `{rule}` (valid options: {}){}",
                            valid.join(", "),
                            hint(name, specs.iter().map(|s| s.key))
                        )
                    };
                    return Err(self.err(opt_key.span(), message));
                };
                self.check_option_type(rule, spec.key, spec.kind, opt_value)?;
            }
            let options = plain
                .and_then(|v| v.get(key.get_ref().as_ref()))
                .and_then(toml::Value::as_table)
                .cloned()
                .unwrap_or_default();
            config.rules.insert(rule, options);
        }
        Ok(())
    }

    fn check_option_type(
        &self,
        rule: &str,
        key: &str,
        kind: OptionKind,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<(), ConfigError> {
        let v = value.get_ref();
        let wrong = |span: Range<usize>, found: &str| {
            self.err(
                span,
                format!(
                    "option `{key}` of rule `{rule}` must be {}, found {found}",
                    kind.describe()
                ),
            )
        };
        match kind {
            OptionKind::StringList => {
                let items = v
                    .as_array()
                    .ok_or_else(|| wrong(value.span(), v.type_str()))?;
                if let Some(bad) = items.iter().find(|item| !item.get_ref().is_str()) {
                    return Err(wrong(
                        bad.span(),
                        &format!("an array containing {}", bad.get_ref().type_str()),
                    ));
                }
            }
            OptionKind::String if !v.is_str() => return Err(wrong(value.span(), v.type_str())),
            OptionKind::Bool if !v.is_bool() => return Err(wrong(value.span(), v.type_str())),
            OptionKind::Integer if !v.is_integer() => {
                return Err(wrong(value.span(), v.type_str()));
            }
            _ => {}
        }
        Ok(())
    }
}
