use dockside_syntax::TextRange;

use crate::checker::Checker;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};
use crate::rules::compose_services::process::{outer_file, started, with_image, words_range};

use super::main_process::{Cmd, report_main_process_findings};
use super::servers::{binds, host_range, invocation, loopback, loopback_default};

declare_rule! {
    /// ## What it does
    /// Reports a container whose main process listens only on the loopback
    /// interface: an explicit `127.0.0.1`, `localhost` or `::1` (Django's
    /// `runserver 127.0.0.1:8000`, gunicorn `--bind localhost:8000`, uvicorn
    /// `--host 127.0.0.1`, …), or a server started without an address whose
    /// default is the loopback: `manage.py runserver` (127.0.0.1:8000),
    /// `flask run` (127.0.0.1:5000), `uvicorn` and `gunicorn` and `hypercorn`
    /// (127.0.0.1:8000).
    ///
    /// A default is not reported when the Dockerfile sets the variable that
    /// changes it (`FLASK_RUN_HOST`, `UVICORN_HOST`, `GUNICORN_CMD_ARGS`, or
    /// `PORT`, which makes gunicorn listen on 0.0.0.0), when gunicorn or
    /// hypercorn get a configuration file (`-c`, or a `gunicorn.conf.py` in the
    /// build context), or in Compose (the service's environment may set it).
    ///
    /// ## Why is this bad?
    /// Inside a container, 127.0.0.1 is the container's own loopback: a
    /// published port (`-p 8000:8000`) forwards connections to the container's
    /// network interface, where nothing listens. The server starts, logs that
    /// it is running, and every request from outside fails with "connection
    /// reset" or "empty reply".
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD ["python", "manage.py", "runserver"]
    /// CMD ["gunicorn", "--bind", "127.0.0.1:8000", "app:app"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
    /// CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
    /// ```
    ///
    /// ## Fix safety
    /// An explicit loopback address is replaced by `0.0.0.0`. This is unsafe:
    /// the server becomes reachable from other containers and, when the port
    /// is published, from outside, which may have been avoided on purpose (a
    /// sidecar proxy in the same network namespace).
    pub struct LoopbackBindAddress {
        name: "loopback-bind-address",
        code: "DF411",
        group: "process",
        severity: Warning,
        aliases: [],
        fix: Sometimes,
        summary: "The server listens on 127.0.0.1/localhost only: unreachable from outside the container",
    }
}

const WHY: &str =
    "which only accepts connections from inside the container: published ports cannot reach it";

fn explicit(main: &Cmd) -> Vec<Finding> {
    let mut out = Vec::new();
    let u = main.command.unwrapped();
    let Some(inv) = invocation(u.argv) else {
        return out;
    };
    for bind in binds(&inv).0 {
        let Some(host) = bind.host.as_deref() else {
            continue;
        };
        if !loopback(host) {
            continue;
        }
        let (range, exact) = host_range(&bind);
        let range = TextRange::from(range);
        let replacement = if host.starts_with('[') || host == "::1" {
            "[::]"
        } else {
            "0.0.0.0"
        };
        let mut f = Finding::new(
            range,
            format!("the server listens on `{host}`, {WHY}; listen on `{replacement}`"),
        );
        if exact && host != "::1" {
            f = f.with_fix(Fix::unsafe_(
                format!("Use `{replacement}`"),
                vec![Edit::replace(range, replacement)],
            ));
        }
        out.push(f);
    }
    out
}

/// A server started without an address whose default is the loopback.
fn default_loopback(cx: &Checker, main: &Cmd) -> Option<Finding> {
    let u = main.command.unwrapped();
    let inv = invocation(u.argv)?;
    let (_, given) = binds(&inv);
    let found = loopback_default(&inv, given)?;
    let scope = cx.model.instructions.get(main.instruction)?.scope;
    if found
        .vars
        .iter()
        .any(|v| cx.model.lookup(scope, v).is_some())
    {
        return None;
    }
    if matches!(inv.program.as_str(), "gunicorn" | "hypercorn")
        && cx
            .context
            .files_under("")
            .iter()
            .any(|f| f.rsplit('/').next() == Some("gunicorn.conf.py"))
    {
        return None;
    }
    Some(Finding::new(
        words_range(&main.command),
        format!(
            "{} without an address listens on {}, {WHY}; {}",
            found.what, found.default, found.hint
        ),
    ))
}

impl Rule for LoopbackBindAddress {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        report_main_process_findings(
            cx,
            |_| false,
            |main| {
                let mut found = explicit(main);
                found.extend(default_loopback(cx, main));
                found
            },
        );
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            with_image(cx, &service, |image| {
                let Some(started) = started(cx, &service, image) else {
                    return;
                };
                let Some(main) = started.resolution.main else {
                    return;
                };
                let file = outer_file(cx, image, main.file);
                for f in explicit(&main) {
                    cx.report(f.in_file(file));
                }
            });
        }
    }
}
