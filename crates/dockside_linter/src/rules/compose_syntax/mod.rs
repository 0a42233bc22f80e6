//! Compose files that cannot be loaded as written: YAML, schema, interpolation,
//! `include` / `extends`, env files.

use dockside_compose::LoadIssueKind;

use crate::compose::ComposeChecker;
use crate::diagnostic::{FileId, Finding};
use crate::rule::Rule;

pub mod compose_load_error;
pub mod compose_schema;
pub mod compose_syntax_error;
pub mod env_file_syntax;
pub mod invalid_interpolation;
pub mod undefined_variable;
pub mod yaml_trap;

pub(crate) const RULES: &[&dyn Rule] = &[
    &compose_syntax_error::ComposeSyntaxError,
    &compose_schema::ComposeSchema,
    &compose_load_error::ComposeLoadError,
    &undefined_variable::UndefinedVariable,
    &invalid_interpolation::InvalidInterpolation,
    &env_file_syntax::EnvFileSyntax,
    &yaml_trap::YamlTrap,
];

/// Reports the load issues of the given kinds, where they are.
fn report_issues(cx: &ComposeChecker, kinds: &[LoadIssueKind]) {
    for issue in &cx.project.issues {
        if kinds.contains(&issue.kind) {
            cx.report(Finding::new(issue.range, issue.message.clone()).in_file(FileId(issue.file)));
        }
    }
}
