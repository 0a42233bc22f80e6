use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

use super::user_before;

declare_rule! {
    /// ## What it does
    /// Reports a final image whose effective `USER` names the user instead of
    /// giving its numeric id (`USER app` rather than `USER 10001` or
    /// `USER 10001:10001`). Only the `USER` in effect at the end of the final
    /// stage counts, and Windows images (whose `SHELL` is `cmd` or PowerShell)
    /// are skipped. Off by default.
    ///
    /// ## Why is this bad?
    /// Kubernetes' `runAsNonRoot` can only verify a numeric user: a pod whose
    /// image says `USER app` is refused ("image has non-numeric user"). Tools
    /// outside the container (volume permissions, security scanners) cannot
    /// resolve the name either, since it only exists in the image's
    /// `/etc/passwd`.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN useradd -u 10001 app
    /// USER app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN useradd -u 10001 app
    /// USER 10001:10001
    /// ```
    pub struct NonNumericUser {
        name: "non-numeric-user",
        code: "DF714",
        group: "user",
        severity: Info,
        aliases: ["DL3066"],
        fix: None,
        summary: "The final USER is a name, not a numeric UID",
        opt_in: true,
    }
}

impl Rule for NonNumericUser {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let Some(stage) = cx.model.final_stage() else {
            return;
        };
        let Some((index, range, Some(user))) = user_before(cx, stage.index, stage.end) else {
            return;
        };
        // Windows containers: `runAsNonRoot` does not apply.
        if !cx.model.instructions[index].shell.is_posix() {
            return;
        }
        let name = user.split(':').next().unwrap_or(&user);
        if name.is_empty() || name.chars().all(|c| c.is_ascii_digit()) || name == "root" {
            return;
        }
        cx.report(Finding::new(
            range,
            format!(
                "USER `{name}` is a name: Kubernetes `runAsNonRoot` and tools outside the image cannot resolve it; use \
                 the numeric UID (and GID)"
            ),
        ));
    }
}
