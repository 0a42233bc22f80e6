use std::path::Path;

use crate::checker::Checker;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};
use crate::rules::compose_services::process::{outer_file, started, with_image, words_range};

use super::main_process::{Cmd, report_main_process_findings};
use super::servers::{dev_server, invocation};

declare_rule! {
    /// ## What it does
    /// Reports a container whose main process is a development server:
    /// Django's `manage.py runserver`, `flask run`, `uvicorn`/`gunicorn`/`hypercorn`
    /// with `--reload`, `fastapi dev`, `python -m http.server`, `npm run dev`
    /// (and `yarn`/`pnpm`/`bun` with the `dev`, `develop` or `start:dev`
    /// script), `nodemon`, `ts-node-dev`, `node --watch`, `tsx watch`,
    /// `next dev`, `nuxt dev`, `vite` (its dev server), `ng serve`,
    /// `vue-cli-service serve`, `webpack serve`, `react-scripts start`,
    /// `php artisan serve`, `php -S` and `rails server -e development`. The
    /// command is followed through `sh -c`, wrappers and entrypoint scripts of
    /// the build context; Compose `command:`/`entrypoint:` overrides are
    /// checked too.
    ///
    /// Not reported: stages named for development (`dev`, `development`,
    /// `debug`, `local`, `test`, …), Dockerfiles named so (`Dockerfile.dev`,
    /// `dev.Dockerfile`), Compose services and files named so
    /// (`docker-compose.dev.yml`, `compose.override.yaml`).
    ///
    /// ## Why is this bad?
    /// Development servers are built for one developer: a single process or
    /// thread, debug pages that leak source and settings, file watchers that
    /// restart the server, unoptimized bundles, and no hardening (Django:
    /// "DO NOT USE THIS SERVER IN A PRODUCTION SETTING. It has not gone
    /// through security audits or performance tests"). An image that runs one
    /// ends up in production sooner or later.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// CMD ["gunicorn", "--bind", "0.0.0.0:8000", "mysite.wsgi"]
    /// ```
    pub struct DevServer {
        name: "dev-server",
        code: "DF409",
        group: "process",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "The container's main process is a development server",
    }
}

/// Words in stage, service and file names that mark a development setup.
const DEV_WORDS: &[&str] = &[
    "dev",
    "develop",
    "development",
    "debug",
    "local",
    "test",
    "tests",
    "testing",
    "e2e",
    "override",
];

/// `name` is made of words one of which marks development (`dev`, `app-dev`, `Dockerfile.local`).
pub(crate) fn dev_named(name: &str) -> bool {
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| DEV_WORDS.contains(&w))
}

fn file_dev_named(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(dev_named)
}

/// The finding for a main process that is a development server.
fn finding(main: &Cmd) -> Option<Finding> {
    let u = main.command.unwrapped();
    let inv = invocation(u.argv)?;
    let dev = dev_server(&inv)?;
    Some(Finding::new(
        words_range(&main.command),
        format!("{}; {}", dev.what, dev.hint),
    ))
}

impl Rule for DevServer {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        if file_dev_named(cx.path) {
            return;
        }
        report_main_process_findings(
            cx,
            |stage| stage.name.as_deref().is_some_and(dev_named),
            |main| finding(main).into_iter().collect(),
        );
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            if dev_named(service.name) || file_dev_named(cx.project.path_of(service.key)) {
                continue;
            }
            with_image(cx, &service, |image| {
                let started = started(cx, &service, image)?;
                let main = started.resolution.main?;
                let f = finding(&main)?;
                let file = outer_file(cx, image, main.file);
                let mut f = f.in_file(file);
                if file != cx.file_of(started.by.node) {
                    f = f.with_related(
                        cx.file_of(started.by.node),
                        started.by.node.range,
                        format!("the command of service `{}` that runs it", service.name),
                    );
                }
                cx.report(f);
                Some(())
            });
        }
    }
}
