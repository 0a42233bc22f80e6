use dockside_compose::schema::{SchemaError, consistency, validate};
use dockside_compose::{FileRole, LoadIssueKind};

use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks every Compose file against the Compose specification, the way `docker compose`
    /// does before it runs anything, and reports every problem at once, each where it is
    /// written:
    ///
    /// - unknown keys (with the closest known key: `imagee` → `image`), and keys that must
    ///   start with `x-` to be ignored;
    /// - values of the wrong type (`ports: 8080` instead of a list), missing required keys
    ///   (`condition` in the long form of `depends_on`), values outside their fixed set
    ///   (`condition: service_healty`), invalid service, volume or network names, duplicate
    ///   entries in lists such as `cap_add` or `ports`;
    /// - values `docker compose` or the engine would reject although the JSON schema lets
    ///   them through: durations (`interval: 30`), sizes (`mem_limit: 1x`), port
    ///   specifications (`"70000:80"`, `"8080:80/http"`), `restart` and `pull_policy`
    ///   policies, `deploy` modes;
    /// - the checks Compose runs on the loaded project: a service with neither `image` nor
    ///   `build`, `network_mode` together with `networks`, attributes next to
    ///   `external: true`, secrets and configs with no source or several, a healthcheck
    ///   `test` list that does not start with `CMD`, `CMD-SHELL` or `NONE`, `sync` watch
    ///   rules without a `target`.
    ///
    /// Each file is checked on its own after interpolation, like `docker compose` does:
    /// an override file may leave out `image` as long as the merged project has it.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses to load a file that does not follow the specification, and
    /// it stops at the first error, so fixing a file one `docker compose up` at a time is
    /// slow. Some mistakes only show when a container is created (an invalid port or
    /// restart policy), possibly on a server long after the change was merged.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     imagee: nginx:1.27
    ///     ports: 8080:80
    ///     restart: alway
    ///     depends_on:
    ///       db:
    ///         condition: service_healty
    ///   db:
    ///     image: postgres:17
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     ports:
    ///       - "8080:80"
    ///     restart: always
    ///     depends_on:
    ///       db:
    ///         condition: service_healthy
    ///   db:
    ///     image: postgres:17
    /// ```
    pub struct ComposeSchema {
        name: "compose-schema",
        code: "DC002",
        group: "compose-syntax",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "A Compose file that does not follow the Compose specification",
        target: Compose,
    }
}

impl Rule for ComposeSchema {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        let project = cx.project;
        for (index, file) in project.files.iter().enumerate() {
            if file.role == FileRole::EnvFile {
                continue;
            }
            // A file that is not valid YAML is reported as such; its partial tree would
            // only add confusing errors.
            let broken = project
                .issues
                .iter()
                .any(|i| i.kind == LoadIssueKind::InvalidYaml && i.file as usize == index);
            let Some(root) = file.root.as_ref().filter(|_| !broken) else {
                continue;
            };
            for error in validate(root) {
                if depends_on_unset_variable(project, &error) {
                    // The unset variable is reported where it is used; the value it left
                    // behind (`:/udp`, an empty name) would only repeat that finding.
                    continue;
                }
                let written = file.text.get(error.range.as_range()).unwrap_or("");
                if written.contains('$') && is_scalar_type_error(&error.message) {
                    // The loader types a plain `${VAR}` by its value (`1000` becomes a
                    // number); `docker compose` keeps it a string where a string is expected.
                    continue;
                }
                cx.report(Finding::new(error.range, error.message).in_file(FileId(error.file)));
            }
        }
        for error in consistency(project) {
            cx.report(Finding::new(error.range, error.message).in_file(FileId(error.file)));
        }
    }
}

fn depends_on_unset_variable(project: &dockside_compose::Project, error: &SchemaError) -> bool {
    project.issues.iter().any(|issue| {
        matches!(
            issue.kind,
            LoadIssueKind::UnsetVariable | LoadIssueKind::InvalidInterpolation
        ) && issue.file == error.file
            && error.range.start <= issue.range.start
            && issue.range.end <= error.range.end
    })
}

fn is_scalar_type_error(message: &str) -> bool {
    [", not a number", ", not a boolean", ", not null"]
        .iter()
        .any(|end| message.ends_with(end))
}
