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
        let stages = cx.model.stages.len();
        // Per stage: the first use of each tool, and which tool came first.
        let mut firsts: Vec<[Option<dockside_syntax::TextRange>; 2]> = vec![[None, None]; stages];
        let mut leading: Vec<Option<usize>> = vec![None; stages];
        for rc in super::run_commands(cx) {
            let Some(stage) = rc.stage.filter(|&s| s < stages) else {
                continue;
            };
            let tool = match rc.cmd.program() {
                Some("wget") => 0,
                Some("curl") => 1,
                _ => continue,
            };
            if firsts[stage][tool].is_none()
                && let Some(w) = rc.cmd.unwrapped_argv().first()
            {
                firsts[stage][tool] = Some(rc.code.source_range(w.range.clone()));
                leading[stage].get_or_insert(tool);
            }
        }
        for (first, leading) in firsts.into_iter().zip(leading) {
            let (Some(a), Some(b)) = (first[0], first[1]) else {
                continue;
            };
            let (second, earlier) = if leading == Some(0) { (b, a) } else { (a, b) };
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
