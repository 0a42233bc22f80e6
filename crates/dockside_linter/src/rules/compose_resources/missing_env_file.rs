use dockside_compose::model::resolve;
use dockside_compose::yaml::{Node, Value};

use super::shown_path;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports `env_file` entries of a service (a string, a list, or the long
    /// form `{path, required}`) naming a file that does not exist. Entries
    /// with `required: false` are optional and not reported. Paths are
    /// relative to the project directory (to the included file's folder for
    /// an `include`d file).
    ///
    /// ## Why is this bad?
    /// `docker compose up` stops with `env file … not found`. The file is
    /// often missing on purpose from the repository (it holds secrets) and
    /// each new checkout fails until someone writes it: commit an example
    /// (`.env.example`) or mark the entry `required: false`.
    ///
    /// Note that `env_file` only sets variables inside the container: it does
    /// not feed `${VAR}` interpolation in the Compose file, which reads the
    /// project's `.env` (or `--env-file`).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     env_file: .env.development
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     env_file:
    ///       - path: .env.development
    ///         required: false
    /// ```
    pub struct MissingEnvFile {
        name: "missing-env-file",
        code: "DC210",
        group: "compose-resources",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "A service `env_file` that does not exist",
        target: Compose,
    }
}

impl Rule for MissingEnvFile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            let entries: Vec<&Node> = match service.get("env_file").map(|n| (n, &n.value)) {
                Some((_, Value::Sequence(items))) => items.iter().collect(),
                Some((node, _)) => vec![node],
                None => continue,
            };
            for entry in entries {
                let path_node = match &entry.value {
                    Value::Mapping(_) => {
                        let required = entry.get("required").is_none_or(|r| {
                            !matches!(r.value, Value::Bool(false))
                                && r.scalar_text() != Some("false")
                        });
                        if !required {
                            continue;
                        }
                        entry.get("path")
                    }
                    _ => Some(entry),
                };
                let Some((node, written)) = path_node.and_then(|n| Some((n, n.as_str()?))) else {
                    continue;
                };
                if written.is_empty() || written.contains('$') {
                    continue;
                }
                let path = resolve(&cx.project.base_dir_of(node), written);
                if cx.exists(&path) {
                    continue;
                }
                cx.report(cx.finding(
                    node,
                    format!(
                        "env file `{written}` of `{}` does not exist (looked for `{}`); create it or mark the entry `required: false`",
                        service.name,
                        shown_path(cx.project, &path)
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::findings;

    #[test]
    fn every_form() {
        let found = findings(
            "missing-env-file",
            &[
                (
                    "proj/compose.yaml",
                    "services:\n  a:\n    image: a:1\n    env_file: .env.development\n  b:\n    image: b:1\n    env_file:\n      - ./present.env\n      - config/missing.env\n      - path: ./optional.env\n        required: false\n      - path: ./needed.env\n",
                ),
                ("proj/present.env", "A=1\n"),
            ],
        );
        assert_eq!(
            found,
            [
                "4:15 env file `.env.development` of `a` does not exist (looked for `proj/.env.development`); create it or mark the entry `required: false`",
                "9:9 env file `config/missing.env` of `b` does not exist (looked for `proj/config/missing.env`); create it or mark the entry `required: false`",
                "12:15 env file `./needed.env` of `b` does not exist (looked for `proj/needed.env`); create it or mark the entry `required: false`",
            ]
        );
    }
}
