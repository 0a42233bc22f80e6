use dockside_syntax::{Body, CommandForm, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

use super::main_process::{SHELLS, basename};

declare_rule! {
    /// ## What it does
    /// Reports a final stage that has no `HEALTHCHECK` (neither its own nor
    /// one from a stage it builds on). Off by default: enable it where the
    /// image runs under plain Docker or Swarm, which use the health check.
    ///
    /// Not reported: images whose command is only a shell (`CMD ["bash"]`,
    /// tool images), and function runtimes (AWS Lambda, Azure Functions,
    /// OpenFaaS), whose platform checks health itself.
    ///
    /// ## Why is this bad?
    /// Without a health check Docker only knows whether the process runs, not
    /// whether it answers: a deadlocked server stays "up", `depends_on:
    /// condition: service_healthy` cannot wait for it and Swarm does not
    /// replace it. (Kubernetes ignores `HEALTHCHECK` and uses its own probes.)
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// COPY site/ /usr/share/nginx/html/
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM nginx:1.27
    /// COPY site/ /usr/share/nginx/html/
    /// HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost/ || exit 1
    /// ```
    pub struct HealthcheckMissing {
        name: "healthcheck-missing",
        code: "DF408",
        group: "process",
        severity: Info,
        aliases: ["DL3057"],
        fix: None,
        summary: "The final stage has no HEALTHCHECK",
        opt_in: true,
    }
}

/// Bases of function runtimes, whose platform checks health.
const FAAS: &[&str] = &[
    "public.ecr.aws/lambda/",
    "amazon/aws-lambda-",
    "mcr.microsoft.com/azure-functions/",
    "openfaas/",
    "ghcr.io/openfaas/",
];

impl Rule for HealthcheckMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let Some(stage) = cx.model.final_stage() else {
            return;
        };
        let ancestry = cx.model.stage_ancestry(stage.index);
        let has_healthcheck = ancestry.iter().any(|&s| {
            cx.dockerfile.instructions[cx.model.stages[s].instructions()]
                .iter()
                .any(|inst| inst.keyword == Keyword::Healthcheck)
        });
        if has_healthcheck {
            return;
        }
        let image = ancestry
            .last()
            .map_or(stage.image.as_str(), |&s| cx.model.stages[s].image.as_str());
        if FAAS.iter().any(|p| image.starts_with(p)) {
            return;
        }
        // The command is only a shell: a tool image, not a service.
        let only_shell = |i: usize| match &cx.dockerfile.instructions[i].body {
            Body::Command(CommandForm::Exec(e)) => {
                e.elements.len() == 1 && SHELLS.contains(&basename(&e.elements[0].value))
            }
            Body::Command(CommandForm::Shell(s)) => {
                SHELLS.contains(&basename(s.text.as_str().trim()))
            }
            _ => false,
        };
        if stage.entrypoint.is_none() && stage.cmd.is_some_and(only_shell) {
            return;
        }
        if stage.entrypoint.is_some_and(only_shell) && stage.cmd.is_none() {
            return;
        }
        cx.report(Finding::new(
            stage.image_range,
            "the final stage has no HEALTHCHECK, so Docker cannot tell a hung container from a healthy one; add `HEALTHCHECK CMD …` (or `HEALTHCHECK NONE` to state there is none)",
        ));
    }
}
