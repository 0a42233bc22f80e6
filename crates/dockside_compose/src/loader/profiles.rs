//! The active profiles and the project name.

use std::path::Path;

use super::Environment;
use crate::project::LoadOptions;
use crate::yaml::Node;

/// `--profile`, else `COMPOSE_PROFILES` (comma-separated), as compose-go's
/// `WithDefaultProfiles` does: the variable is only read when no profile is given.
pub(super) fn active_profiles(options: &LoadOptions, env: &Environment) -> Vec<String> {
    let given: Vec<String> = options
        .profiles
        .iter()
        .flat_map(|p| p.split(','))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    if !given.is_empty() {
        return given;
    }
    env.get("COMPOSE_PROFILES")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// The project name with Compose's precedence: `--project-name`, then
/// `COMPOSE_PROJECT_NAME`, then the top-level `name:` (interpolated), then the project
/// folder's name; normalised (lowercase, `[a-z0-9_-]` kept, no leading `_`/`-`).
pub(super) fn project_name(
    options: &LoadOptions,
    env: &Environment,
    model: Option<&Node>,
    directory: &Path,
) -> String {
    let candidates = [
        options.project_name.clone(),
        env.get("COMPOSE_PROJECT_NAME"),
        model
            .and_then(|m| m.get("name"))
            .and_then(Node::scalar_text)
            .map(str::to_string),
    ];
    if let Some(name) = candidates
        .into_iter()
        .flatten()
        .map(|n| normalize(&n))
        .find(|n| !n.is_empty())
    {
        return name;
    }
    let folder = std::path::absolute(directory).unwrap_or_else(|_| directory.to_path_buf());
    let folder = std::fs::canonicalize(&folder).unwrap_or(folder);
    folder
        .file_name()
        .map(|n| normalize(&n.to_string_lossy()))
        .unwrap_or_default()
}

/// Compose's `NormalizeProjectName`.
pub(crate) fn normalize(name: &str) -> String {
    let kept: String = name
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-')
        .collect();
    kept.trim_start_matches(['_', '-']).to_string()
}
