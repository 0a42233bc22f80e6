use dockside_semantic::ScriptOrigin;
use dockside_shell::{Context, StatementKind};
use dockside_syntax::Keyword;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a `RUN` that starts with `cd <dir>` and then runs the rest of its
    /// commands there (`RUN cd /app && make`), where a `WORKDIR` says the same.
    ///
    /// Not reported, unlike hadolint's DL3003: a `cd` later in the command, a
    /// `cd` inside a subshell or a group (`(cd src && make)`), a `RUN` with
    /// several `cd`s (`cd /tmp/x && make && cd / && rm -rf /tmp/x` is a
    /// temporary build directory, not a working directory), `cd … || exit`,
    /// and a `cd` to a directory that is built from variables, removed by the
    /// same `RUN`, temporary (`/tmp`, `/var/tmp`) or mounted for this `RUN`
    /// only (`--mount=…,target=<dir>`).
    ///
    /// ## Why is this bad?
    /// A `cd` only lasts until the end of its `RUN`, so it is repeated in every
    /// instruction that needs the directory, and the `COPY`, `CMD` and next
    /// `RUN` lines silently work somewhere else. `WORKDIR` states the
    /// directory once, creates it when missing and applies to everything that
    /// follows.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN cd /app && npm ci
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// WORKDIR /app
    /// RUN npm ci
    /// ```
    ///
    /// ## Fix safety
    /// The fix moves the directory into a `WORKDIR` before the `RUN`. It is
    /// unsafe: the new working directory also applies to the instructions after
    /// the `RUN` (relative `COPY` destinations, `CMD`), and `WORKDIR` creates a
    /// missing directory where `cd` would have failed.
    pub struct CdInsteadOfWorkdir {
        name: "cd-instead-of-workdir",
        code: "DF509",
        group: "best-practice",
        severity: Warning,
        aliases: ["DL3003"],
        fix: Always,
        summary: "RUN starts with `cd <dir> && …`: use WORKDIR",
    }
}

impl Rule for CdInsteadOfWorkdir {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (i, inst, info) in cx.instructions() {
            if inst.keyword != Keyword::Run || info.stage.is_none() {
                continue;
            }
            let Some(code) = info.scripts.iter().find(|c| c.origin == ScriptOrigin::Line) else {
                continue;
            };
            let script = &code.script;
            if script.has_errors() || !script.heredocs.is_empty() {
                continue;
            }
            let (Some(first_statement), Some(cd)) =
                (script.statements.first(), script.commands.first())
            else {
                continue;
            };
            if cd.name() != Some("cd")
                || cd.context != Context::TopLevel
                || cd.pipeline.is_some()
                || cd.background
                || cd.range.start != first_statement.range.start
                || !cd.redirects.is_empty()
                || !cd.assignments.is_empty()
            {
                continue;
            }
            // Exactly one static directory argument.
            let [dir] = &cd.argv[1..] else { continue };
            let Some(dir_value) = dir.value.as_deref() else {
                continue;
            };
            if dir_value.is_empty() || dir_value.starts_with(['-', '~']) || dir.raw.contains('$') {
                continue;
            }
            // A temporary directory, or one mounted for this RUN only.
            let absolute = cx.model.absolute_path(i, dir_value);
            let under = |base: &str| {
                let base = base.trim_end_matches('/');
                absolute == base || absolute.starts_with(&format!("{base}/"))
            };
            if under("/tmp") || under("/var/tmp") {
                continue;
            }
            let mounted = inst.flags_named("mount").any(|f| {
                f.value.as_deref().is_some_and(|v| {
                    v.split(',').any(|kv| {
                        kv.split_once('=').is_some_and(|(k, t)| {
                            matches!(k, "target" | "dst" | "destination")
                                && under(&cx.model.absolute_path(i, t))
                        })
                    })
                })
            });
            if mounted {
                continue;
            }
            // No other directory change, and the directory is not removed.
            let others = script.commands.iter().skip(1).any(|c| {
                matches!(c.program(), Some("cd" | "pushd" | "popd"))
                    || (c.program() == Some("rm")
                        && c.args().iter().any(|w| {
                            w.value.as_deref().is_some_and(|v| {
                                v.trim_end_matches('/') == dir_value.trim_end_matches('/')
                            })
                        }))
            });
            if others {
                continue;
            }
            let text = code.text.as_str();
            // Where the rest of the commands starts.
            let rest_start = match first_statement.kind {
                StatementKind::AndOr => {
                    let after = &text[cd.range.end..];
                    let trimmed = after.trim_start();
                    let Some(rest) = trimmed.strip_prefix("&&") else {
                        continue;
                    };
                    let skipped = rest.len() - rest.trim_start().len();
                    cd.range.end + (after.len() - trimmed.len()) + 2 + skipped
                }
                StatementKind::Simple => match script.statements.get(1) {
                    Some(next) => next.range.start,
                    None => continue,
                },
                _ => continue,
            };
            if rest_start >= text.len() {
                continue;
            }
            let cd_range = code.source_range(cd.range.clone());
            let delete = code.source_range(cd.range.start..rest_start);
            let line_start = cx.source[..inst.range.start as usize]
                .rfind('\n')
                .map_or(0, |p| p + 1);
            let indent: String = cx.source[line_start..inst.range.start as usize]
                .chars()
                .take_while(|c| c.is_whitespace())
                .collect();
            let workdir = if dir.raw == dir_value && !dir_value.contains(char::is_whitespace) {
                dir_value.to_string()
            } else {
                format!(
                    "\"{}\"",
                    dir_value.replace('\\', "\\\\").replace('"', "\\\"")
                )
            };
            let finding = Finding::new(
                cd_range,
                format!("`cd {dir_value}` only lasts for this RUN; set the directory with `WORKDIR {workdir}` before it"),
            )
            .with_fix(Fix::unsafe_(
                format!("Use `WORKDIR {workdir}`"),
                vec![
                    Edit::insert(inst.range.start as usize, format!("WORKDIR {workdir}\n{indent}")),
                    Edit::delete(delete),
                ],
            ));
            cx.report(finding);
        }
    }
}
