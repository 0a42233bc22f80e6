//! Which Compose files make the project, and where it lives.

use std::path::{Path, PathBuf};

use super::{Environment, folder_of};
use crate::project::LoadOptions;

/// compose-go's discovery order (`docker-compose.yml` before `docker-compose.yaml`).
const DISCOVERY_NAMES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];

/// The override files picked next to a discovered file, in compose-go's order.
const OVERRIDE_NAMES: [&str; 4] = [
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
];

/// The folder whose `.env` is read: `--project-directory`, else the folder of the first
/// `-f` file, else the working folder (compose-go reads it before `COMPOSE_FILE`).
pub(super) fn environment_dir(options: &LoadOptions) -> PathBuf {
    if let Some(dir) = &options.project_directory {
        return dir.clone();
    }
    match options.files.first() {
        Some(first) => folder_of(first),
        None => options.dir.clone(),
    }
}

/// The Compose files in merge order: `-f`, else `COMPOSE_FILE`, else the first default
/// name found in [`LoadOptions::dir`] and the first override file found beside it.
pub(super) fn compose_files(options: &LoadOptions, env: &Environment) -> Vec<PathBuf> {
    if !options.files.is_empty() {
        return options.files.clone();
    }
    if let Some(list) = env.get("COMPOSE_FILE").filter(|v| !v.is_empty()) {
        let separator = env
            .get("COMPOSE_PATH_SEPARATOR")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| if cfg!(windows) { ";" } else { ":" }.to_string());
        return list
            .split(separator.as_str())
            .filter(|p| !p.is_empty())
            .map(|p| resolve_from(&options.dir, p))
            .collect();
    }
    let found = |names: &[&str]| {
        names
            .iter()
            .map(|name| options.dir.join(name))
            .find(|path| exists(options, path))
    };
    let Some(main) = found(&DISCOVERY_NAMES) else {
        return Vec::new();
    };
    let mut files = vec![main];
    files.extend(found(&OVERRIDE_NAMES));
    files
}

/// `--project-directory`, else the folder of the first Compose file.
pub(super) fn project_directory(options: &LoadOptions, files: &[PathBuf]) -> PathBuf {
    if let Some(dir) = &options.project_directory {
        return dir.clone();
    }
    match files.first() {
        Some(first) => folder_of(first),
        None if options.dir.as_os_str().is_empty() => PathBuf::from("."),
        None => options.dir.clone(),
    }
}

fn resolve_from(dir: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() || dir.as_os_str().is_empty() {
        p.to_path_buf()
    } else {
        dir.join(p)
    }
}

/// Whether a file exists in the overlay or on disk.
pub(super) fn exists(options: &LoadOptions, path: &Path) -> bool {
    options
        .overlay
        .as_ref()
        .is_some_and(|o| o.read(path).is_some())
        || path.is_file()
}
