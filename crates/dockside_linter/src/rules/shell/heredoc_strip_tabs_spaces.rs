use dockside_syntax::TextRange;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a `<<-` heredoc (in a Dockerfile instruction or in the shell code
    /// of a RUN) whose lines are all indented with spaces.
    ///
    /// ## Why is this bad?
    /// `<<-` removes leading *tabs* only. Lines indented with spaces keep their
    /// indentation in the text (a YAML or Python file written this way breaks),
    /// and an end marker indented with spaces is not recognised at all: the
    /// heredoc then swallows the rest of the script or Dockerfile.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN cat <<-EOF > /etc/app.yaml
    ///     port: 8080
    ///     EOF
    /// ```
    ///
    /// ## Use instead
    /// Indent with tabs, or do not indent:
    /// ```dockerfile
    /// RUN cat <<EOF > /etc/app.yaml
    /// port: 8080
    /// EOF
    /// ```
    pub struct HeredocStripTabsSpaces {
        name: "heredoc-strip-tabs-spaces",
        code: "DF907",
        group: "shell",
        severity: Warning,
        aliases: ["SC1040"],
        fix: None,
        summary: "`<<-` heredoc indented with spaces (it strips only tabs)",
    }
}

impl Rule for HeredocStripTabsSpaces {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (_, inst, info) in cx.instructions() {
            for h in inst.heredocs.iter().filter(|h| h.strip_tabs) {
                let terminator = h.terminator_range.map_or("", |t| cx.text(t));
                if space_indented(cx.text(h.body_range)) || space_indented(terminator) {
                    report(cx, h.marker_range);
                }
            }
            for code in &info.scripts {
                let src = code.text.as_str();
                for h in code.script.heredocs.iter().filter(|h| h.strip_tabs) {
                    let Some(text) = src.get(h.range.clone()) else {
                        continue;
                    };
                    // Skip the header line (`<<-EOF > file`).
                    let Some((header, rest)) = text.split_once('\n') else {
                        continue;
                    };
                    let (body, terminator) = rest
                        .trim_end_matches('\n')
                        .rsplit_once('\n')
                        .unwrap_or(("", rest));
                    if space_indented(body) || space_indented(terminator) {
                        let start = h.range.start;
                        report(cx, code.source_range(start..start + header.len()));
                    }
                }
            }
        }
    }
}

fn report(cx: &Checker, range: TextRange) {
    cx.report(Finding::new(
        range,
        "`<<-` strips leading tabs only, but this heredoc is indented with spaces: they stay in the text and an indented end marker is not recognised; indent with tabs",
    ));
}

/// Whether the text is indented with spaces as a whole: every non-empty line
/// starts with whitespace containing a space. (Spaces inside a block that is
/// not indented as a whole are the content's own indentation.)
fn space_indented(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty()).peekable();
    lines.peek().is_some()
        && lines.all(|line| {
            let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
            indent.contains(' ')
        })
}
