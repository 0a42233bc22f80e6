use dockside_syntax::{Body, CommandForm};

use crate::checker::Checker;
use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{Rule, RuleMeta};

use super::main_process::{line_code, shell_form};

declare_rule! {
    /// ## What it does
    /// Reports a `CMD` that takes effect together with a shell-form `ENTRYPOINT`
    /// (`ENTRYPOINT gunicorn app:app`), in the same stage or in a stage built on
    /// it. An `ENTRYPOINT` whose text uses the positional parameters (`"$@"`,
    /// `$1`) is not reported: it does see the `CMD` words (as `$0`, `$1`, …).
    ///
    /// In a Compose project, a service's `command` given to an image whose
    /// Dockerfile (the one the service builds, at its `build.target`) has a
    /// shell-form `ENTRYPOINT` is reported the same way, at the `command`,
    /// unless the service also sets its own `entrypoint`.
    ///
    /// ## Why is this bad?
    /// A shell-form `ENTRYPOINT` runs `/bin/sh -c "<text>"`; the `CMD` (and the
    /// arguments of `docker run`) are not appended to the command, so the `CMD`
    /// is silently ignored. Whoever wrote it expected it to be used.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENTRYPOINT gunicorn app:app
    /// CMD ["--workers", "4"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ENTRYPOINT ["gunicorn", "app:app"]
    /// CMD ["--workers", "4"]
    /// ```
    pub struct EntrypointIgnoresCmd {
        name: "entrypoint-ignores-cmd",
        code: "DF404",
        group: "process",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "CMD is ignored because the ENTRYPOINT is in shell form",
    }
}

/// The text refers to the shell's positional parameters.
fn uses_positional(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(1)).any(|i| {
        b[i] == b'$'
            && (matches!(b[i + 1], b'@' | b'*' | b'0'..=b'9')
                || (b[i + 1] == b'{'
                    && b.get(i + 2)
                        .is_some_and(|c| matches!(c, b'@' | b'*' | b'0'..=b'9'))))
    })
}

impl Rule for EntrypointIgnoresCmd {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            let Some(command) = service.get("command") else {
                continue;
            };
            if service.get("entrypoint").is_some() {
                continue;
            }
            let Some(build) = cx.build(&service) else {
                continue;
            };
            if build.remote || build.inline.is_some() {
                continue;
            }
            let Some(built) = cx.dockerfile(&build.dockerfile) else {
                continue;
            };
            let stage = match build.target.and_then(|t| t.scalar_text()) {
                Some(t) => built.model.stage_by_name(t),
                None => built.model.final_stage(),
            };
            let Some(e) = stage.and_then(|s| s.entrypoint) else {
                continue;
            };
            let Some(entrypoint) = built.dockerfile.instructions.get(e) else {
                continue;
            };
            let Body::Command(CommandForm::Shell(form)) = &entrypoint.body else {
                continue;
            };
            let text = form.text.as_str();
            if text.trim().is_empty() || text.trim() == "\"\"" || uses_positional(text) {
                continue;
            }
            let line = built
                .text
                .get(..entrypoint.keyword_range.start as usize)
                .map_or(0, |t| t.matches('\n').count())
                + 1;
            let message = format!(
                "this `command` is ignored: the image's shell-form ENTRYPOINT (line {line} of its Dockerfile) runs `/bin/sh -c` with its own text and never receives the command; write the ENTRYPOINT in JSON form, or override it with `entrypoint:`"
            );
            cx.report(cx.finding(command, message).with_related(
                built.file,
                entrypoint.args_range(),
                "the shell-form ENTRYPOINT",
            ));
        }
    }

    fn check(&self, cx: &Checker) {
        let mut seen = std::collections::HashSet::new();
        for stage in &cx.model.stages {
            let (Some(e), Some(c)) = (stage.entrypoint, stage.cmd) else {
                continue;
            };
            if seen.contains(&(e, c)) || !shell_form(cx, e) {
                continue;
            }
            seen.insert((e, c));
            let Some(code) = line_code(cx, e) else {
                continue;
            };
            let text = code.text.as_str();
            if text.trim().is_empty() || text.trim() == "\"\"" || uses_positional(text) {
                continue;
            }
            let cmd = &cx.dockerfile.instructions[c];
            if let Body::Command(CommandForm::Exec(x)) = &cmd.body
                && x.elements.is_empty()
            {
                continue;
            }
            let entrypoint = &cx.dockerfile.instructions[e];
            let message = format!(
                "this CMD is ignored: the shell-form ENTRYPOINT on line {} runs `/bin/sh -c` with its own text and never receives CMD's arguments; write the ENTRYPOINT in JSON form or drop the CMD",
                cx.line_number(entrypoint.keyword_range.start)
            );
            cx.report(Finding::new(cmd.args_range(), message).with_related(
                FileId::MAIN,
                entrypoint.args_range(),
                "the shell-form ENTRYPOINT",
            ));
        }
    }
}
