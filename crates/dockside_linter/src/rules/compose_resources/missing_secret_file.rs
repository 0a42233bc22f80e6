use dockside_compose::model::resolve;

use super::shown_path;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports top-level `secrets` and `configs` whose `file:` does not
    /// exist. Paths are relative to the project directory (to the included
    /// file's folder for an `include`d file).
    ///
    /// ## Why is this bad?
    /// Services granted the secret or config fail to start. Secret files are
    /// usually kept out of version control, so a fresh checkout fails until
    /// they are created: document how to create them, or generate them in a
    /// setup step.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:17
    ///     secrets: [db_password]
    /// secrets:
    ///   db_password:
    ///     file: ./secrets/db_pasword.txt
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:17
    ///     secrets: [db_password]
    /// secrets:
    ///   db_password:
    ///     file: ./secrets/db_password.txt
    /// ```
    pub struct MissingSecretFile {
        name: "missing-secret-file",
        code: "DC211",
        group: "compose-resources",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "A secret or config `file:` that does not exist",
        target: Compose,
    }
}

impl Rule for MissingSecretFile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for (section, noun) in [("secrets", "secret"), ("configs", "config")] {
            for (key, definition) in cx.project.section(section).unwrap_or_default() {
                let Some(node) = definition.get("file") else {
                    continue;
                };
                let Some(written) = node.as_str().filter(|w| !w.is_empty() && !w.contains('$'))
                else {
                    continue;
                };
                let path = resolve(&cx.project.base_dir_of(node), written);
                if cx.exists(&path) {
                    continue;
                }
                cx.report(cx.finding(
                    node,
                    format!(
                        "the file `{written}` of {noun} `{}` does not exist (looked for `{}`)",
                        key.scalar_text().unwrap_or_default(),
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
    fn secrets_and_configs() {
        let found = findings(
            "missing-secret-file",
            &[
                (
                    "p/compose.yaml",
                    "services:\n  a:\n    image: a:1\nsecrets:\n  present:\n    file: ./present.txt\n  missing:\n    file: ./secrets/missing.txt\n  from_env:\n    environment: TOKEN\nconfigs:\n  nginx:\n    file: nginx.conf\n  inline:\n    content: hello\n",
                ),
                ("p/present.txt", "x"),
            ],
        );
        assert_eq!(
            found,
            [
                "8:11 the file `./secrets/missing.txt` of secret `missing` does not exist (looked for `p/secrets/missing.txt`)",
                "13:11 the file `nginx.conf` of config `nginx` does not exist (looked for `p/nginx.conf`)",
            ]
        );
    }
}
