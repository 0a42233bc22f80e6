use dockside_syntax::TextRange;

use crate::checker::Checker;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};
use crate::rules::compose_services::process::{outer_file, started, with_image};

use super::main_process::{Cmd, report_main_process_findings};
use super::servers::{binds, host_range, invocation, malformed_ipv4};

declare_rule! {
    /// ## What it does
    /// Reports an address a server is told to listen on that is not a valid
    /// IPv4 address although it is written like one (`0.0.0:8000`,
    /// `10.0.0.256`), or whose port is not a port (`0.0.0.0:80000`). It reads
    /// the address of Django's `runserver ADDR:PORT`, gunicorn and hypercorn
    /// `--bind`/`-b`, uvicorn and `fastapi` `--host`, `flask run --host`,
    /// `python -m http.server --bind`, `php -S`, `rails server -b`, `next`
    /// `--hostname` and `vite --host`, in the container's main process (through
    /// `sh -c`, wrappers and entrypoint scripts) and in Compose
    /// `command:`/`entrypoint:`.
    ///
    /// A lone `0` (`runserver 0:8000`) is not reported: Django documents it as
    /// a shortcut for `0.0.0.0`, and other servers read it the same way.
    ///
    /// ## Why is this bad?
    /// `0.0.0` is a typo for `0.0.0.0`. Some servers reject it and the
    /// container exits at start (Go's resolver, for one); others only accept it
    /// because the C library still reads the legacy shorthand `a.b.c` as
    /// `a.b.0.c`. Either way the address says something else than intended,
    /// and a port above 65535 fails at start.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD ["python3", "manage.py", "runserver", "0.0.0:8000"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// CMD ["python3", "manage.py", "runserver", "0.0.0.0:8000"]
    /// ```
    ///
    /// ## Fix safety
    /// An address made only of zeros (`0.0.0`) is rewritten as `0.0.0.0`,
    /// what it was meant to be: the fix is safe.
    pub struct InvalidBindAddress {
        name: "invalid-bind-address",
        code: "DF410",
        group: "process",
        severity: Warning,
        aliases: [],
        fix: Sometimes,
        summary: "A server is told to listen on an invalid address (`0.0.0:8000`) or port",
    }
}

fn findings(main: &Cmd) -> Vec<Finding> {
    let mut out = Vec::new();
    let u = main.command.unwrapped();
    let Some(inv) = invocation(u.argv) else {
        return out;
    };
    for bind in binds(&inv).0 {
        if let Some(host) = bind.host.as_deref()
            && malformed_ipv4(host)
        {
            let (range, exact) = host_range(&bind);
            let parts = host.split('.').count();
            let message = if parts == 4 {
                format!(
                    "`{host}` is not a valid IPv4 address (each part runs from 0 to 255), so the server cannot listen on it"
                )
            } else {
                format!(
                    "`{host}` is not a valid IPv4 address ({parts} parts instead of 4): some servers reject it, others accept it only through a legacy C-library shorthand; write `0.0.0.0` to listen on all interfaces"
                )
            };
            let mut f = Finding::new(TextRange::from(range.clone()), message);
            if exact
                && host
                    .split('.')
                    .all(|p| !p.is_empty() && p.chars().all(|c| c == '0'))
            {
                f = f.with_fix(Fix::safe(
                    "Use `0.0.0.0`",
                    vec![Edit::replace(TextRange::from(range), "0.0.0.0")],
                ));
            }
            out.push(f);
        }
        if let Some(port) = bind.port.as_deref()
            && !port.contains('$')
            && !port.is_empty()
            && port.parse::<u32>().map_or(true, |n| n > 65535)
        {
            out.push(Finding::new(
                TextRange::from(bind.word.range.clone()),
                format!(
                    "`{port}` is not a port (ports run from 1 to 65535), so the server cannot start"
                ),
            ));
        }
    }
    out
}

impl Rule for InvalidBindAddress {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        report_main_process_findings(cx, |_| false, findings);
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
                for f in findings(&main) {
                    cx.report(f.in_file(file));
                }
            });
        }
    }
}
