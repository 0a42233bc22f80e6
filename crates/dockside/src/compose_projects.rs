//! Which Compose projects to lint, from the Compose files found or named.
//!
//! In each folder, the default project is what `docker compose` loads there (the first
//! of compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml, plus its
//! `.override` file). Every other Compose file of the folder (`docker-compose.prod.yml`)
//! is linted merged over that default file when it refines a service the default file
//! defines (the usual `-f docker-compose.yml -f docker-compose.prod.yml`), else on its own.
//! `--compose-file` files form one project of their own.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use dockside_compose::project::DEFAULT_FILE_NAMES;
use dockside_compose::{LoadOptions, Project, load_project};
use dockside_linter::LintOptions;

use crate::args::ComposeProjectArgs;

/// A project to load: options for `load_project`.
pub struct Planned {
    pub load: LoadOptions,
    pub project: Project,
}

/// Loads the projects for the Compose files found (`inputs`) and `--compose-file`.
pub fn plan(inputs: &[PathBuf], args: &ComposeProjectArgs) -> Vec<Planned> {
    let environment: Vec<(String, String)> = std::env::vars().collect();
    let base = LoadOptions {
        env_files: args.env_file.clone(),
        profiles: args.profile.clone(),
        environment,
        ..LoadOptions::default()
    };
    let mut planned = Vec::new();
    let mut covered: HashSet<PathBuf> = HashSet::new();
    if !args.compose_files.is_empty() {
        let load = LoadOptions {
            files: args.compose_files.clone(),
            dir: parent(&args.compose_files[0]),
            ..base.clone()
        };
        let project = load_project(&load);
        covered.extend(project.files.iter().map(|f| canonical(&f.path)));
        planned.push(Planned { load, project });
    }
    let mut by_dir: BTreeMap<PathBuf, Vec<&PathBuf>> = BTreeMap::new();
    for input in inputs {
        by_dir.entry(parent(input)).or_default().push(input);
    }
    for (dir, files) in by_dir {
        let mut default_services = None;
        let default_exists = DEFAULT_FILE_NAMES.iter().any(|n| dir.join(n).is_file());
        if default_exists {
            let load = LoadOptions {
                dir: dir.clone(),
                ..base.clone()
            };
            let project = load_project(&load);
            let first = project.files.first().map(|f| canonical(&f.path));
            if first.as_ref().is_some_and(|f| !covered.contains(f)) {
                covered.extend(project.files.iter().map(|f| canonical(&f.path)));
                default_services = Some((
                    project.files.first().map(|f| f.path.clone()),
                    project
                        .services()
                        .map(|s| s.name.to_string())
                        .collect::<HashSet<_>>(),
                ));
                planned.push(Planned { load, project });
            }
        }
        for file in files {
            if covered.contains(&canonical(file)) {
                continue;
            }
            let files = match &default_services {
                Some((Some(default_file), names)) if refines(file, names) => {
                    vec![default_file.clone(), file.clone()]
                }
                _ => vec![file.clone()],
            };
            let load = LoadOptions {
                files,
                dir: dir.clone(),
                ..base.clone()
            };
            let project = load_project(&load);
            covered.insert(canonical(file));
            planned.push(Planned { load, project });
        }
    }
    planned
}

/// Whether `file` redefines a service of `names` without saying how to run it (no `image`
/// nor `build`): it is an overlay of the default file, not a project of its own.
fn refines(file: &Path, names: &HashSet<String>) -> bool {
    let Some(text) = dockside_context::read_text_file(file) else {
        return false;
    };
    let loaded = dockside_compose::yaml::load(&text);
    let Some(services) = loaded
        .documents
        .first()
        .and_then(|d| d.get("services"))
        .and_then(|s| s.as_mapping())
    else {
        return false;
    };
    services.iter().any(|(k, v)| {
        k.scalar_text().is_some_and(|n| names.contains(n))
            && v.get("image").is_none()
            && v.get("build").is_none()
    })
}

/// The Dockerfiles the services of these projects build, keyed by canonical path:
/// the path to lint and the options (build context, build args) to lint it with.
pub fn dockerfile_builds(planned: &[Planned]) -> HashMap<PathBuf, (PathBuf, LintOptions)> {
    let mut out = HashMap::new();
    for p in planned {
        for build in dockside_compose::model::dockerfile_builds(&p.project) {
            if !build.dockerfile.is_file() {
                continue;
            }
            let key = canonical(&build.dockerfile);
            out.entry(key).or_insert_with(|| {
                let options = LintOptions {
                    context_root: Some(build.context.clone()),
                    build_args: build.args.clone(),
                    ..LintOptions::default()
                };
                (crate::discover::strip_cur_dir(&build.dockerfile), options)
            });
        }
    }
    out
}

pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The folder of a path as given (empty for a bare file name: paths stay as the user wrote them).
fn parent(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}
