//! The rule contract: identity (name, code, aliases), default severity, the
//! user documentation (the doc comment given to [`declare_rule!`]) and `check`.

use crate::checker::Checker;
use crate::compose::ComposeChecker;
use crate::diagnostic::Severity;

pub use dockside_config::{OptionKind, OptionSpec};

/// How much of a rule's findings can be fixed automatically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Fixability {
    None,
    /// Some findings carry a fix (safe or unsafe depending on the case).
    Sometimes,
    Always,
}

/// What kind of file a rule checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Dockerfile,
    /// Compose files (and, for cross-checks, the Dockerfiles their services build).
    Compose,
}

#[derive(Debug)]
pub struct RuleMeta {
    /// Public identity, kebab-case: `merge-consecutive-runs`.
    pub name: &'static str,
    /// Short code: `DF101`.
    pub code: &'static str,
    pub severity: Severity,
    /// Equivalent rules of other tools: hadolint `DL3059`, BuildKit `JSONArgsRecommended`.
    pub aliases: &'static [&'static str],
    pub fix: Fixability,
    /// One line, shown in `dockside rules`.
    pub summary: &'static str,
    /// Markdown with the sections What it does / Why is this bad? / Example / Use instead / Fix safety.
    pub doc: &'static str,
    pub group: &'static str,
    pub target: Target,
    pub options: &'static [OptionSpec],
    /// Off unless selected in the configuration.
    pub opt_in: bool,
}

impl RuleMeta {
    /// The documentation with the one-space indent of `///` comments removed.
    pub fn doc_markdown(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string() + "\n"
    }

    pub fn matches(&self, id: &str) -> bool {
        self.name.eq_ignore_ascii_case(id)
            || self.code.eq_ignore_ascii_case(id)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(id))
    }
}

pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Checks a Dockerfile.
    fn check(&self, _cx: &Checker) {}
    /// Checks a Compose project. A Dockerfile rule may implement this too, to apply the
    /// same reasoning to what Compose overrides (`command`, `entrypoint`).
    fn check_compose(&self, _cx: &ComposeChecker) {}
}

/// Declares a rule struct and its [`RuleMeta`]; the doc comment is the rule's
/// user documentation.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub struct MergeConsecutiveRuns {
///         name: "merge-consecutive-runs",
///         code: "DF101",
///         group: "layers",
///         severity: Warning,
///         aliases: ["DL3059"],
///         fix: Always,
///         summary: "Consecutive RUN instructions that could be one layer",
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $ty:ident {
            name: $name:literal,
            code: $code:literal,
            group: $group:literal,
            severity: $sev:ident,
            aliases: [$($alias:literal),* $(,)?],
            fix: $fix:ident,
            summary: $summary:literal
            $(, options: [$($opt:expr),* $(,)?])?
            $(, opt_in: $opt_in:literal)?
            $(, target: $target:ident)?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $ty;

        impl $ty {
            pub const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                name: $name,
                code: $code,
                severity: $crate::diagnostic::Severity::$sev,
                aliases: &[$($alias),*],
                fix: $crate::rule::Fixability::$fix,
                summary: $summary,
                doc: concat!($($doc, "\n"),*),
                group: $group,
                target: $crate::declare_rule!(@target $($target)?),
                options: &[$($($opt),*)?],
                opt_in: $crate::declare_rule!(@opt_in $($opt_in)?),
            };
        }
    };
    (@target) => { $crate::rule::Target::Dockerfile };
    (@target $t:ident) => { $crate::rule::Target::$t };
    (@opt_in) => { false };
    (@opt_in $v:literal) => { $v };
}
