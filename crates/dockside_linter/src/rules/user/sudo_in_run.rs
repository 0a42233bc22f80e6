use dockside_syntax::TextRange;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

use super::{is_root, user_before};

declare_rule! {
    /// ## What it does
    /// Reports `sudo` in a `RUN` command (also in heredoc scripts).
    ///
    /// ## Why is this bad?
    /// `RUN` already runs as the current `USER`: as root `sudo` is useless
    /// (and often not installed, so the build breaks); as another user it
    /// means `sudo` is installed and configured in the image, which lets any
    /// process of the container become root. Switch with `USER root` for the
    /// steps that need it and back to the unprivileged user afterwards; to
    /// drop privileges at run time use `gosu` or `su-exec`.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN sudo apt-get update && sudo apt-get install -y curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// USER root
    /// RUN apt-get update && apt-get install -y curl
    /// USER app
    /// ```
    ///
    /// ## Fix safety
    /// When the `RUN` already runs as root (no `USER`, or `USER root`, before
    /// it) the fix removes a plain `sudo ` (without options): safe, it
    /// changes nothing. No fix is offered otherwise.
    pub struct SudoInRun {
        name: "sudo-in-run",
        code: "DF712",
        group: "user",
        severity: Warning,
        aliases: ["DL3004", "DS-0010", "CKV2_DOCKER_1"],
        fix: Sometimes,
        summary: "sudo used in RUN",
    }
}

impl Rule for SudoInRun {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (index, inst, info) in cx.instructions() {
            if inst.keyword != dockside_syntax::Keyword::Run {
                continue;
            }
            // Looking back for the USER costs a scan of the stage: only done for a sudo.
            let as_root = || match info.stage.map(|s| user_before(cx, s, index)) {
                Some(None) => true,
                Some(Some((_, _, Some(u)))) => is_root(&u),
                _ => false,
            };
            for code in &info.scripts {
                for cmd in &code.script.commands {
                    let Some(first) = cmd.argv.first() else {
                        continue;
                    };
                    let name = first.value.as_deref().unwrap_or("");
                    if name.rsplit('/').next() != Some("sudo") {
                        continue;
                    }
                    let range = code.source_range(first.range.clone());
                    let mut finding = Finding::new(
                        range,
                        "do not use sudo in RUN: switch with `USER root` for the steps that need it (or `gosu` at run \
                         time)",
                    );
                    let plain = cmd
                        .argv
                        .get(1)
                        .and_then(|w| w.value.as_deref())
                        .is_some_and(|v| !v.starts_with('-') && !v.contains('='));
                    let end = range.end as usize;
                    if plain
                        && as_root()
                        && range.len() == first.raw.len()
                        && cx.source[end..].starts_with(' ')
                    {
                        finding = finding.with_fix(Fix::safe(
                            "Remove `sudo` (the RUN already runs as root)",
                            vec![Edit::delete(TextRange::new(range.start as usize, end + 1))],
                        ));
                    }
                    cx.report(finding);
                }
            }
        }
    }
}
