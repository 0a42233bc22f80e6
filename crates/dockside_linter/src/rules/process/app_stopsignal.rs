use dockside_semantic::Base;
use dockside_syntax::{Body, Keyword, TextRange};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

use super::main_process::{basename, defining_stages, resolve};

declare_rule! {
    /// ## What it does
    /// Reports an image whose main process shuts down gracefully on another signal
    /// than the one `docker stop` sends it:
    /// - nginx and OpenResty finish their open requests on `SIGQUIT`; `SIGTERM`
    ///   drops them;
    /// - PHP-FPM finishes its running requests on `SIGQUIT`; `SIGTERM` kills them;
    /// - Apache httpd stops gracefully on `SIGWINCH`; `SIGTERM` aborts requests;
    /// - systemd as PID 1 shuts the system down on `SIGRTMIN+3`; it ignores
    ///   `SIGTERM`, so `docker stop` always ends in a kill after the timeout.
    ///
    /// The main process is followed through the `ENTRYPOINT`, `CMD` and the
    /// entrypoint scripts of the build context. Reported when a `STOPSIGNAL`
    /// names another signal, or when there is none and the base image is not the
    /// application's own (the official `nginx`, `php` and `httpd` images already
    /// set the right signal, so images whose base names the application in its
    /// repository or tag are not reported). `/sbin/init`
    /// counts as systemd only when the Dockerfile installs systemd.
    ///
    /// ## Why is this bad?
    /// `docker stop`, `docker compose down` and every rolling deployment send the
    /// stop signal and wait. With the wrong one, requests in flight fail on every
    /// deployment, or the container hangs until the timeout and is killed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN apt-get update && apt-get install -y --no-install-recommends nginx
    /// CMD ["nginx", "-g", "daemon off;"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN apt-get update && apt-get install -y --no-install-recommends nginx
    /// STOPSIGNAL SIGQUIT
    /// CMD ["nginx", "-g", "daemon off;"]
    /// ```
    ///
    /// ## Fix safety
    /// The fix writes the application's graceful signal into the `STOPSIGNAL`, or
    /// adds `STOPSIGNAL` before the instruction that starts the process. It is
    /// unsafe: a graceful shutdown waits for open connections, which may outlast
    /// the stop timeout (`docker stop -t`, `stop_grace_period`) and end in a kill
    /// anyway.
    pub struct AppStopsignal {
        name: "app-stopsignal",
        code: "DF412",
        group: "process",
        severity: Warning,
        aliases: ["prefer-nginx-sigquit", "prefer-systemd-sigrtmin-plus-3"],
        fix: Always,
        summary: "The main process stops gracefully on another signal than the image's STOPSIGNAL",
    }
}

/// An application with its own graceful-stop signal.
struct App {
    name: &'static str,
    /// Canonical signal name.
    signal: &'static str,
    /// Words in a base image's repository name that mark the application's own image.
    images: &'static [&'static str],
}

const NGINX: App = App {
    name: "nginx",
    signal: "SIGQUIT",
    images: &["nginx", "openresty"],
};
const PHP_FPM: App = App {
    name: "PHP-FPM",
    signal: "SIGQUIT",
    images: &["php"],
};
const HTTPD: App = App {
    name: "Apache httpd",
    signal: "SIGWINCH",
    images: &["httpd", "apache"],
};
const SYSTEMD: App = App {
    name: "systemd",
    signal: "SIGRTMIN+3",
    images: &["systemd"],
};

impl Rule for AppStopsignal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for stage in defining_stages(cx) {
            let Some(main) = resolve(cx, stage).main else {
                continue;
            };
            let Some(program) = main.command.program().map(basename) else {
                continue;
            };
            let Some(app) = app_of(cx, stage.index, program) else {
                continue;
            };
            let main_range = main.range();
            let related = |f: Finding| {
                f.with_related(
                    main.file,
                    main_range,
                    format!("{} runs as the main process here", app.name),
                )
            };
            match stopsignal(cx, stage.index) {
                Some(None) => {}
                Some(Some((range, value))) => {
                    if canonical(&value) == app.signal {
                        continue;
                    }
                    cx.report(related(
                        Finding::new(
                            range,
                            format!(
                                "{} stops gracefully on `{}`, but `STOPSIGNAL {value}` makes `docker stop` send \
                                 another signal; use `STOPSIGNAL {}`",
                                app.name, app.signal, app.signal
                            ),
                        )
                        .with_fix(Fix::unsafe_(
                            format!("Use `STOPSIGNAL {}`", app.signal),
                            vec![Edit::replace(range, app.signal)],
                        )),
                    ));
                }
                None => {
                    if base_is_app_image(cx, stage.index, app) {
                        continue;
                    }
                    // Before the instruction that starts the process (CMD or ENTRYPOINT of this stage).
                    let start = [stage.entrypoint, stage.cmd]
                        .into_iter()
                        .flatten()
                        .filter(|&i| stage.instructions().contains(&i))
                        .min()
                        .unwrap_or(stage.end.saturating_sub(1));
                    let inst = &cx.dockerfile.instructions[start];
                    let line_start = cx
                        .line_index
                        .line_start(cx.line_index.line_of(inst.range.start as usize));
                    let report_at = inst.keyword_range;
                    cx.report(related(
                        Finding::new(
                            report_at,
                            format!(
                                "{} stops gracefully on `{}`, but without a STOPSIGNAL `docker stop` sends `SIGTERM`; \
                                 add `STOPSIGNAL {}`",
                                app.name, app.signal, app.signal
                            ),
                        )
                        .with_fix(Fix::unsafe_(
                            format!("Add `STOPSIGNAL {}`", app.signal),
                            vec![Edit::insert(line_start, format!("STOPSIGNAL {}\n", app.signal))],
                        )),
                    ));
                }
            }
        }
    }
}

fn app_of(cx: &Checker, stage: usize, program: &str) -> Option<&'static App> {
    match program {
        "nginx" | "openresty" => Some(&NGINX),
        "httpd" | "apache2" | "apachectl" | "apache2ctl" => Some(&HTTPD),
        "systemd" => Some(&SYSTEMD),
        "init" if installs_systemd(cx, stage) => Some(&SYSTEMD),
        p if p.starts_with("php-fpm") => Some(&PHP_FPM),
        _ => None,
    }
}

/// A RUN of the stage (or the stages it is built on) installs systemd.
fn installs_systemd(cx: &Checker, stage: usize) -> bool {
    cx.model.stage_ancestry(stage).into_iter().any(|s| {
        cx.model.stages[s].instructions().any(|i| {
            cx.dockerfile.instructions[i].keyword == Keyword::Run
                && cx.model.instructions[i].scripts.iter().any(|code| {
                    code.script.commands.iter().any(|c| {
                        let installs = c
                            .args()
                            .iter()
                            .any(|w| matches!(w.value.as_deref(), Some("install" | "add" | "in")));
                        installs
                            && c.args()
                                .iter()
                                .any(|w| w.value.as_deref() == Some("systemd"))
                    })
                })
        })
    })
}

/// The STOPSIGNAL in effect for `stage`: `None` when the Dockerfile sets none,
/// `Some(None)` when its value is not known, else its range and expanded value.
#[allow(clippy::option_option)]
fn stopsignal(cx: &Checker, stage: usize) -> Option<Option<(TextRange, String)>> {
    for s in cx.model.stage_ancestry(stage) {
        for i in cx.model.stages[s].instructions().rev() {
            let inst = &cx.dockerfile.instructions[i];
            if let (Keyword::Stopsignal, Body::Words(words)) = (inst.keyword, &inst.body) {
                let Some(word) = words.first() else {
                    return Some(None);
                };
                let e = cx.model.expand(i, &word.value);
                return Some(e.complete.then(|| (word.range, e.value.trim().to_string())));
            }
        }
    }
    None
}

/// `quit`, `QUIT`, `3`, `SIGQUIT` → `SIGQUIT`.
fn canonical(value: &str) -> String {
    let upper = value.to_ascii_uppercase();
    match upper.as_str() {
        "3" => "SIGQUIT".to_string(),
        _ if upper.starts_with("SIG") => upper,
        _ => format!("SIG{upper}"),
    }
}

/// The stage is built (through its parent stages) on an image named after the application.
fn base_is_app_image(cx: &Checker, stage: usize, app: &App) -> bool {
    let root = *cx.model.stage_ancestry(stage).last().unwrap_or(&stage);
    match &cx.model.stages[root].base {
        Base::Image(image) => {
            let name = format!(
                "{}:{}",
                image.repository,
                image.tag.as_deref().unwrap_or_default()
            )
            .to_ascii_lowercase();
            name.split(['/', '-', '_', '.', ':'])
                .any(|w| app.images.contains(&w))
        }
        Base::Scratch => false,
        _ => true,
    }
}
