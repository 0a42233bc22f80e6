use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that replaces `/bin/sh` with a link to another shell
    /// (`ln -sf /bin/bash /bin/sh`). Links to `dash` or `busybox`, the usual
    /// `/bin/sh` of Debian and Alpine, are not reported.
    ///
    /// ## Why is this bad?
    /// Every script and package maintainer script of the image that runs
    /// `/bin/sh` now gets bash (or whatever the link points to), not the shell
    /// the distribution tested them with; package upgrades may also restore
    /// the link and silently switch back. To run the Dockerfile's own commands
    /// with another shell, say so with `SHELL`, which changes nothing in the
    /// image.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN ln -sf /bin/bash /bin/sh
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    /// ```
    pub struct LnBinSh {
        name: "ln-bin-sh",
        code: "DF905",
        group: "shell",
        severity: Warning,
        aliases: ["DL4005"],
        fix: None,
        summary: "`/bin/sh` replaced with `ln` instead of using SHELL",
    }
}

impl Rule for LnBinSh {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for rc in super::run_commands(cx) {
            let cmd = rc.cmd;
            if cmd.program() != Some("ln") || !cmd.has_flag(Some('s'), Some("symbolic")) {
                continue;
            }
            let operands: Vec<&str> = cmd
                .args()
                .iter()
                .map(|w| w.text())
                .filter(|t| !t.starts_with('-'))
                .collect();
            let [target, link] = operands.as_slice() else {
                continue;
            };
            if !matches!(*link, "/bin/sh" | "/usr/bin/sh") {
                continue;
            }
            let shell = target.rsplit('/').next().unwrap_or(target);
            if matches!(shell, "sh" | "dash" | "busybox") {
                continue;
            }
            let range = rc.code.source_range(cmd.range.clone());
            cx.report(Finding::new(
                range,
                format!(
                    "this replaces `/bin/sh` with `{shell}` for every script of the image: use `SHELL [\"{target}\", \"-c\"]` to run the Dockerfile's commands with it"
                ),
            ));
        }
    }
}
