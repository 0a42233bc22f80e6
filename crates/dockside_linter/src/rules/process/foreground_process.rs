use dockside_syntax::TextRange;

use crate::checker::Checker;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding, Severity};
use crate::rule::{Rule, RuleMeta};
use crate::rules::compose_services::process::{outer_file, started, with_image, words_range};

use super::main_process::{
    Cmd, Env, IssueKind, Mapping, basename, classify, defining_stages, make_command, resolve,
};

declare_rule! {
    /// ## What it does
    /// Finds the container's main process — the last command of the effective
    /// `CMD`/`ENTRYPOINT` of every stage that sets one, followed through
    /// `tini`/`dumb-init`/`gosu`/`exec` wrappers, `sh -c "…"` strings and
    /// entrypoint scripts ending in `exec "$@"` — and reports it when it does
    /// not stay in the foreground:
    ///
    /// - it starts a daemon and returns: `service x start`, `/etc/init.d/x start`,
    ///   `systemctl start x`, `apachectl start`, `sshd` without `-D`, `nginx`
    ///   without `daemon off;` (on the command line, in the Dockerfile or in the
    ///   `nginx.conf` COPY'd from the context), `httpd` without `-DFOREGROUND`,
    ///   `redis-server --daemonize yes`, `supervisord` without `-n` (or
    ///   `nodaemon=true` in a supervisord.conf of the context), `php-fpm -D`
    ///   (and the distribution's `php-fpm8.2`-style binaries without `-F`);
    /// - it runs in the background with `&`;
    /// - it exits at once by design (`pkill`, `kill`, `killall`);
    /// - it only keeps the container alive (`tail -f /dev/null`, `sleep infinity`,
    ///   `while true; do sleep 60; done`): reported as info.
    ///
    /// When the main process is `supervisord`, the `command=` of every
    /// `[program:x]` in the supervisord configurations of the build context is
    /// checked the same way, and the finding points into that file.
    ///
    /// In a Compose project, a service's `command` or `entrypoint` replaces the
    /// image's and is checked the same way (`command: service nginx start`,
    /// `command: nginx` without `daemon off;`), followed through the image's
    /// entrypoint script when the service builds its Dockerfile. For a service
    /// that only names an image, the image's configuration files are unknown:
    /// `nginx` is reported for the official `nginx` image (whose `nginx.conf`
    /// keeps `daemon on`), not for other images. A service whose whole command
    /// is a keep-alive (`command: sleep infinity`) is an idle container on
    /// purpose and is not reported; after other commands
    /// (`sh -c "service cron start && tail -f /dev/null"`) it is.
    ///
    /// ## Why is this bad?
    /// A container lives as long as its main process. A command that forks a
    /// daemon and returns ends the container at once (or, behind a keep-alive,
    /// leaves the real service unsupervised: its crash goes unnoticed and
    /// `docker stop` never reaches it). Under supervisord, a program that
    /// daemonizes looks like it exited: supervisord restarts it again and again
    /// ("exited too quickly") and finally marks it FATAL, while the daemonized
    /// copies pile up.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt-get update && apt-get install -y --no-install-recommends nginx
    /// CMD service nginx start && tail -f /var/log/nginx/access.log
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt-get update && apt-get install -y --no-install-recommends nginx
    /// CMD ["nginx", "-g", "daemon off;"]
    /// ```
    pub struct ForegroundProcess {
        name: "foreground-process",
        code: "DF401",
        group: "process",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "The container's main process daemonizes, exits at once or only keeps the container alive",
    }
}

impl Rule for ForegroundProcess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let mut seen: std::collections::HashSet<(FileId, TextRange)> = Default::default();
        let mut report = |finding: Finding| {
            let key = (finding.file, finding.range);
            if !seen.contains(&key) {
                seen.insert(key);
                cx.report(finding);
            }
        };
        for stage in defining_stages(cx) {
            let resolution = resolve(cx, stage);
            let Some(main) = resolution.main else {
                continue;
            };
            let env = Env { cx, stage };
            let instruction = &cx.dockerfile.instructions[main.instruction];
            let keyword = instruction.keyword.as_str();
            if let Some(issue) = classify(&main.command, &env, main.instruction, false) {
                let message = match issue.kind {
                    IssueKind::Daemon => {
                        format!(
                            "{}, so the container's main process exits and the container stops; {}",
                            issue.what, issue.hint
                        )
                    }
                    IssueKind::Background => format!(
                        "{}, and the container stops with it; {}",
                        issue.what, issue.hint
                    ),
                    IssueKind::Exits => format!(
                        "{}, so the container stops at once; {}",
                        issue.what, issue.hint
                    ),
                    IssueKind::KeepAlive => format!(
                        "{} only keeps the container alive: PID 1 does nothing useful, and a service started before it is not supervised (its crash goes unnoticed, `docker stop` never reaches it); run the service itself in the foreground",
                        issue.what
                    ),
                };
                let range = match main.command.unwrapped().argv {
                    [first, .., last] if issue.kind != IssueKind::Background => {
                        TextRange::new(first.range.start, last.range.end)
                    }
                    [only] if issue.kind != IssueKind::Background => {
                        TextRange::from(only.range.clone())
                    }
                    _ => main.range(),
                };
                let mut finding = Finding::new(range, message).in_file(main.file);
                if issue.kind == IssueKind::KeepAlive {
                    finding = finding.with_severity(Severity::Info);
                }
                if main.file != FileId::MAIN {
                    finding = finding.with_related(
                        FileId::MAIN,
                        instruction.args_range(),
                        format!(
                            "the {keyword} that runs this script as the container's main process"
                        ),
                    );
                }
                report(finding);
            }
            let runs_supervisord = main
                .command
                .unwrapped()
                .argv
                .first()
                .and_then(|w| w.value.as_deref())
                .is_some_and(|v| basename(v) == "supervisord");
            if runs_supervisord {
                check_supervisor_programs(cx, &env, &main, &mut report);
            }
        }
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        check_compose_service(cx);
    }
}

/// The main process a Compose service's `command`/`entrypoint` starts.
fn check_compose_service(cx: &ComposeChecker) {
    for service in cx.services() {
        with_image(cx, &service, |image| {
            let Some(started) = started(cx, &service, image) else {
                return;
            };
            let Some(main) = started.resolution.main else {
                return;
            };
            let surroundings = image.surroundings();
            let Some(issue) = classify(&main.command, surroundings.as_ref(), image.at(), false)
            else {
                return;
            };
            // `command: sleep infinity` is a deliberately idle container (dev containers,
            // test fixtures); a keep-alive only hides a problem after other commands.
            let idle_on_purpose = started
                .resolution
                .layers
                .iter()
                .all(|layer| layer.script.commands.len() <= 1);
            if issue.kind == IssueKind::KeepAlive && idle_on_purpose {
                return;
            }
            let key = started.by.key.scalar_text().unwrap_or("command");
            let message = match issue.kind {
                IssueKind::Daemon => format!(
                    "{}, so the container's main process exits and the service stops (or restarts over and over); {}",
                    issue.what, issue.hint
                ),
                IssueKind::Background => format!(
                    "{}, and the container stops with it; {}",
                    issue.what, issue.hint
                ),
                IssueKind::Exits => format!(
                    "{}, so the container stops at once; {}",
                    issue.what, issue.hint
                ),
                IssueKind::KeepAlive => format!(
                    "{} only keeps the container alive: PID 1 does nothing useful, and a service started before it is not supervised; run the service itself in the foreground",
                    issue.what
                ),
            };
            let range = if issue.kind == IssueKind::Background {
                main.range()
            } else {
                words_range(&main.command)
            };
            let file = outer_file(cx, image, main.file);
            let mut finding = Finding::new(range, message).in_file(file);
            if issue.kind == IssueKind::KeepAlive {
                finding = finding.with_severity(Severity::Info);
            }
            if file != cx.file_of(started.by.node) {
                finding = finding.with_related(
                    cx.file_of(started.by.node),
                    started.by.node.range,
                    format!("the `{key}` of service `{}` that runs it", service.name),
                );
            }
            cx.report(finding);
        });
    }
}

/// The `[program:x] command=` of the context's supervisord configurations.
fn check_supervisor_programs(
    cx: &Checker,
    env: &Env,
    main: &Cmd,
    report: &mut impl FnMut(Finding),
) {
    let instruction = &cx.dockerfile.instructions[main.instruction];
    for rel in cx.context.find_supervisord_configs() {
        let Some(text) = cx.context.read_text(&rel) else {
            continue;
        };
        let config = dockside_context::supervisord::parse(&text);
        let mut file = None;
        for (name, entry) in config.programs() {
            let value = entry.value.replace('\n', " ");
            let script = dockside_shell::parse(&value);
            let Some(first) = script
                .statements
                .first()
                .and_then(|s| s.last_command)
                .and_then(|i| script.commands.get(i))
            else {
                continue;
            };
            let mapping = if entry.value.contains('\n') {
                Mapping::Collapse(entry.value_range.clone())
            } else {
                Mapping::Offset(entry.value_range.start)
            };
            let command = super::main_process::remap(cx, first, &mapping);
            let command = if command.argv.is_empty() {
                make_command(Vec::new())
            } else {
                command
            };
            let Some(issue) = classify(&command, env, main.instruction, true) else {
                continue;
            };
            let id =
                *file.get_or_insert_with(|| cx.add_file(cx.context.abs_path(&rel), text.as_str()));
            let message = format!(
                "program `{name}`: {}, so supervisord sees it exit at once and restarts it over and over (\"exited too quickly\") until it gives up; {}",
                issue.what, issue.hint
            );
            report(
                Finding::new(TextRange::from(entry.value_range.clone()), message)
                    .in_file(id)
                    .with_related(
                        FileId::MAIN,
                        instruction.args_range(),
                        "supervisord runs the programs as the container's main process",
                    ),
            );
        }
    }
}
