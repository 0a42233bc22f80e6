use super::physical_lines;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{OptionKind, OptionSpec, Rule, RuleMeta};
use dockside_syntax::TextRange;

/// Line count above which a Dockerfile is flagged when `max` is not set.
const DEFAULT_MAX: usize = 400;

declare_rule! {
    /// ## What it does
    /// Flags a Dockerfile longer than a maximum number of lines (400 unless the
    /// `max` option says otherwise), at the first line beyond it.
    ///
    /// ## Why is this bad?
    /// A very long Dockerfile usually builds several unrelated things: it is
    /// hard to review, and every edit invalidates the cache of everything after
    /// it. Base images, build scripts or separate Dockerfiles split it up.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// # … 400 more lines of RUN, COPY and ENV …
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM example/toolchain:1.4
    /// COPY build.sh /usr/local/bin/
    /// RUN build.sh
    /// ```
    pub struct MaxLines {
        name: "max-lines",
        code: "DF077",
        group: "format",
        severity: Style,
        aliases: [],
        fix: None,
        summary: "The Dockerfile has more lines than the configured maximum",
        options: [OptionSpec {
            key: "max",
            kind: OptionKind::Integer,
            help: "Maximum number of lines (default 400)",
        }],
        opt_in: true,
    }
}

impl Rule for MaxLines {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let max = cx
            .config
            .integer_option(Self::META.name, "max")
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(DEFAULT_MAX);
        let lines = physical_lines(cx.source);
        let Some(first_over) = lines.get(max) else {
            return;
        };
        cx.report(Finding::new(
            TextRange::new(first_over.start, first_over.end),
            format!(
                "the file has {} lines, more than the maximum of {max}: split it up",
                lines.len()
            ),
        ));
    }
}
