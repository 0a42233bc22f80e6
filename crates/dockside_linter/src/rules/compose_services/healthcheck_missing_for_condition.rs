use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rule::{Rule, RuleMeta};

use super::dependencies::{ImageHealth, compose_healthcheck, dependencies, image_health};

declare_rule! {
    /// ## What it does
    /// Reports `depends_on: {x: {condition: service_healthy}}` when service `x`
    /// has no health check: none in the Compose file (or one disabled with
    /// `disable: true` / `test: ["NONE"]`), and none in the image:
    ///
    /// - for a service that builds, the Dockerfile's target stage (`build.target`,
    ///   else the last stage) and the stages it is built on are searched for a
    ///   `HEALTHCHECK`; when there is none and the base image is a Docker
    ///   Official Image (which never define one) or `scratch`, it is an error;
    /// - for a service that runs an official image (`postgres`, `redis`, …) it
    ///   is an error too;
    /// - for any other image the image may define a `HEALTHCHECK` we cannot
    ///   see: reported as info, to check.
    ///
    /// ## Why is this bad?
    /// `docker compose up` waits for the dependency to become healthy, and a
    /// container without a health check never does: Compose fails with
    /// "container x has no healthcheck configured" and the dependent service
    /// never starts.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: example/web:1.4
    ///     depends_on:
    ///       db:
    ///         condition: service_healthy
    ///   db:
    ///     image: postgres:16
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: example/web:1.4
    ///     depends_on:
    ///       db:
    ///         condition: service_healthy
    ///   db:
    ///     image: postgres:16
    ///     healthcheck:
    ///       test: ["CMD-SHELL", "pg_isready -U postgres"]
    ///       interval: 5s
    ///       retries: 10
    /// ```
    pub struct HealthcheckMissingForCondition {
        name: "healthcheck-missing-for-condition",
        code: "DC106",
        group: "compose-services",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "`condition: service_healthy` on a service without a health check",
        target: Compose,
    }
}

impl Rule for HealthcheckMissingForCondition {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            for dep in dependencies(&service) {
                let Some(condition) = dep.condition else {
                    continue;
                };
                if condition.as_str() != Some("service_healthy") {
                    continue;
                }
                let Some(target) = cx.project.service(dep.name) else {
                    continue;
                };
                let waits = format!(
                    "`{}` waits for `{}` to be healthy, but",
                    service.name, dep.name
                );
                let never = "so `docker compose up` fails instead of starting it";
                match compose_healthcheck(&target) {
                    Some((true, _)) => continue,
                    Some((false, how)) => {
                        let hc = target.get("healthcheck").unwrap_or(target.key);
                        cx.report(
                            cx.finding(
                                condition,
                                format!(
                                    "{waits} `{}` disables its health check with {how}, {never}",
                                    dep.name
                                ),
                            )
                            .with_related(
                                cx.file_of(hc),
                                hc.range,
                                "the disabled health check",
                            ),
                        );
                        continue;
                    }
                    None => {}
                }
                let add = format!("add a `healthcheck:` to `{}`", dep.name);
                let finding = match image_health(cx, &target) {
                    ImageHealth::Defined => continue,
                    ImageHealth::Disabled(file, range) => cx
                        .finding(
                            condition,
                            format!(
                                "{waits} the image of `{}` disables its health check (`HEALTHCHECK NONE`) and the Compose file defines none, {never}; {add}",
                                dep.name
                            ),
                        )
                        .with_related(file, range, "HEALTHCHECK NONE"),
                    ImageHealth::Missing(why) => cx.finding(
                        condition,
                        format!(
                            "{waits} `{}` has no health check: none in the Compose file and {why}, {never}; {add}",
                            dep.name
                        ),
                    ),
                    ImageHealth::Unknown(what) => cx
                        .finding(
                            condition,
                            format!(
                                "{waits} `{}` has no health check in the Compose file: this only works if {what} defines a HEALTHCHECK; otherwise {add}",
                                dep.name
                            ),
                        )
                        .with_severity(Severity::Info),
                };
                cx.report(finding.with_related(
                    cx.file_of(target.key),
                    target.key.range,
                    format!("service `{}`", dep.name),
                ));
            }
        }
    }
}
