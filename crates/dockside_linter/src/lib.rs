//! The dockside linter: rules over the syntax tree and semantic model of a
//! Dockerfile, and over a loaded Compose project, producing diagnostics with
//! fixes. The CLI and the language server are thin layers over
//! [`lint_dockerfile`] / [`fix_dockerfile`] and [`lint_compose`] / [`fix_compose`].

pub mod analysis;
pub mod checker;
pub mod compose;
pub mod diagnostic;
pub mod docs;
mod findings;
pub mod fix;
mod lint;
pub mod registry;
pub mod rule;
pub mod rules;
mod search;
mod suppression;

pub use checker::Checker;
pub use compose::{ComposeChecker, ComposeFixOutcome, fix_compose, lint_compose};
pub use diagnostic::{
    Applicability, Diagnostic, Edit, FileId, Finding, Fix, Related, Severity, SourceFile, Tag,
};
pub use dockside_config::{self as config, Config, ConfigError, FailLevel};
pub use fix::{FixOutcome, apply_fixes, apply_fixes_in, fix_dockerfile};
pub use lint::{
    LintOptions, LintResult, Suppressed, decode, lint_bytes, lint_dockerfile, lint_parsed,
};
pub use registry::{Catalog, all_rules, find_rule};
pub use rule::{Fixability, Rule, RuleMeta};
pub use rules::syntax::shell_analysis_limit::build_model;

use std::path::Path;

/// Whether a file name looks like a Dockerfile: `Dockerfile`, `Containerfile`,
/// `*.Dockerfile`, `Dockerfile.*`, `*.dockerfile`, `Containerfile.*`.
pub fn is_dockerfile_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") || lower.ends_with(".md") {
        return false;
    }
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.starts_with("dockerfile-")
        || lower.starts_with("dockerfile_")
}

/// Finds and loads the `.dockside.toml` that applies to `path` (searching upward), or the defaults.
pub fn config_for(path: &Path) -> Result<Config, ConfigError> {
    config_found_by(path, &dockside_config::ConfigFinder::default())
}

/// [`config_for`] with a finder that remembers the folders it looked in.
pub fn config_found_by(
    path: &Path,
    finder: &dockside_config::ConfigFinder,
) -> Result<Config, ConfigError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    match finder.find(&dir) {
        Some(file) => dockside_config::load(&file, &Catalog),
        None => Ok(Config::default_for(dir)),
    }
}
