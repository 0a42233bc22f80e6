use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a stage whose `RUN` instructions use both `wget` and `curl`. The
    /// finding points at the first use of the tool that came second, with the
    /// other one as related information.
    ///
    /// ## Why is this bad?
    /// Both tools do the same job. Using both usually means installing both,
    /// which adds packages (and their CVEs) to the image for nothing, and makes
    /// the download steps inconsistent (different retry, TLS and redirect
    /// behaviour).
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN wget -q https://example.com/a.tar.gz
    /// RUN curl -fsSLO https://example.com/b.tar.gz
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN curl -fsSLO https://example.com/a.tar.gz
    /// RUN curl -fsSLO https://example.com/b.tar.gz
    /// ```
    pub struct WgetAndCurl {
        name: "wget-and-curl",
        code: "DF902",
        group: "shell",
        severity: Warning,
        aliases: ["DL4001"],
        fix: None,
        summary: "A stage uses both `wget` and `curl`",
    }
}

impl Rule for WgetAndCurl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let commands = super::run_commands(cx);
        for stage in 0..cx.model.stages.len() {
            let mut first: [Option<dockside_syntax::TextRange>; 2] = [None, None];
            let mut order = Vec::new();
            for rc in &commands {
                if rc.stage != Some(stage) {
                    continue;
                }
                let tool = match rc.cmd.program() {
                    Some("wget") => 0,
                    Some("curl") => 1,
                    _ => continue,
                };
                if first[tool].is_none()
                    && let Some(w) = rc.cmd.unwrapped_argv().first()
                {
                    first[tool] = Some(rc.code.source_range(w.range.clone()));
                    order.push(tool);
                }
            }
            let (Some(a), Some(b)) = (first[0], first[1]) else {
                continue;
            };
            let (second, earlier) = if order.first() == Some(&0) {
                (b, a)
            } else {
                (a, b)
            };
            let names = |r| cx.text(r);
            cx.report(
                Finding::new(
                    second,
                    format!(
                        "`{}` is used in a stage that already uses `{}`: use one download tool so the image needs only one",
                        names(second),
                        names(earlier)
                    ),
                )
                .with_related(FileId::MAIN, earlier, "first use of the other tool"),
            );
        }
    }
}
