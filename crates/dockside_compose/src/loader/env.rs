//! The variables interpolation reads: the process environment over the env files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use dockside_syntax::TextRange;

use super::{Loader, shown};
use crate::dotenv;
use crate::project::{FileRole, LoadIssueKind, Variable, VariableSource};

/// An interpolation environment.
#[derive(Clone, Debug, Default)]
pub(crate) struct Environment {
    /// The variables that win over the env files (the process environment, or for an
    /// included project the including project's environment).
    inherited: HashMap<String, Variable>,
    /// The final value of each env file variable (later files win).
    from_files: HashMap<String, Variable>,
    /// Every variable in precedence order: the first entry of a name is its value.
    ordered: Vec<Variable>,
    /// The env files read, for messages.
    pub file_names: Vec<String>,
}

impl Environment {
    pub fn get(&self, name: &str) -> Option<String> {
        self.inherited
            .get(name)
            .or_else(|| self.from_files.get(name))
            .map(|v| v.value.clone())
    }

    /// The variables, first entry of a name wins.
    pub fn variables(&self) -> Vec<Variable> {
        self.ordered.clone()
    }

    /// Where dockside looked for variables, for messages.
    pub fn looked_in(&self) -> String {
        let mut places: Vec<String> = self.file_names.iter().map(|n| format!("`{n}`")).collect();
        places.push("the process environment".into());
        match places.len() {
            1 => places.remove(0),
            n => format!("{} and {}", places[..n - 1].join(", "), places[n - 1]),
        }
    }
}

impl Loader<'_> {
    /// The project environment: the process environment over `--env-file` files, else over
    /// `<dir>/.env` when it exists.
    pub(super) fn project_environment(&mut self, dir: &Path) -> Environment {
        let mut inherited = HashMap::new();
        let mut ordered = Vec::new();
        for (name, value) in &self.options.environment {
            let variable = Variable {
                name: name.clone(),
                value: value.clone(),
                source: VariableSource::Process,
            };
            if !inherited.contains_key(name) {
                ordered.push(variable.clone());
            }
            inherited.insert(name.clone(), variable);
        }
        let base = Environment {
            inherited,
            from_files: HashMap::new(),
            ordered,
            file_names: Vec::new(),
        };
        let explicit = self.options.env_files.clone();
        self.with_env_files(base, &explicit, dir)
    }

    /// `parent` (which wins) extended with the variables of `files`, or of `<dir>/.env`
    /// when `files` is empty and that file exists.
    pub(super) fn with_env_files(
        &mut self,
        parent: Environment,
        files: &[PathBuf],
        dir: &Path,
    ) -> Environment {
        let explicit = !files.is_empty();
        let files: Vec<PathBuf> = if explicit {
            files.to_vec()
        } else {
            let default = dir.join(".env");
            if super::files::exists(self.options, &default) {
                vec![default]
            } else {
                Vec::new()
            }
        };
        let mut env = Environment {
            inherited: parent
                .inherited
                .iter()
                .chain(parent.from_files.iter())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            from_files: HashMap::new(),
            ordered: parent.ordered.clone(),
            file_names: Vec::new(),
        };
        // The parent's own env file values do not override the process environment.
        for (name, variable) in &parent.inherited {
            env.inherited.insert(name.clone(), variable.clone());
        }
        let mut per_file: Vec<Vec<Variable>> = Vec::new();
        for path in &files {
            env.file_names.push(
                path.file_name()
                    .map_or_else(|| shown(path), |n| n.to_string_lossy().into_owned()),
            );
            let id = match self.read_text(path, FileRole::EnvFile) {
                Ok((id, _)) => id,
                Err(reason) => {
                    let id = self.push_file(path.clone(), String::new(), FileRole::EnvFile);
                    self.issue(
                        LoadIssueKind::EnvFile,
                        id,
                        TextRange::empty(0),
                        format!("cannot read the env file {}: {reason}", shown(path)),
                    );
                    continue;
                }
            };
            let text = self.file_text(id).to_string();
            let parsed = {
                let lookup = |name: &str| env.get(name);
                dotenv::parse_with(&text, &lookup)
            };
            for problem in parsed.errors.iter().chain(&parsed.warnings) {
                self.issue(
                    LoadIssueKind::EnvFile,
                    id,
                    TextRange::new(problem.range.start, problem.range.end),
                    problem.message.clone(),
                );
            }
            let mut variables = Vec::new();
            for (name, value) in parsed.variables() {
                let Some(entry) = parsed.get(name) else {
                    continue;
                };
                let end = entry.value_range.end.max(entry.key_range.end);
                let variable = Variable {
                    name: name.to_string(),
                    value: value.to_string(),
                    source: VariableSource::EnvFile {
                        file: id,
                        range: TextRange::new(entry.key_range.start, end),
                    },
                };
                env.from_files.insert(name.to_string(), variable.clone());
                variables.push(variable);
            }
            per_file.push(variables);
        }
        // Later files win over earlier ones, and the inherited variables over all.
        for variables in per_file.into_iter().rev() {
            for variable in variables {
                if !env.ordered.iter().any(|v| v.name == variable.name) {
                    env.ordered.push(variable);
                }
            }
        }
        env
    }
}
