//! Parse errors, suppression comments and deprecated syntax.

use crate::rule::Rule;

pub mod empty_continuation;
pub mod from_as_casing;
pub mod instruction_casing;
pub mod invalid_flag;
pub mod invalid_onbuild_trigger;
pub mod invalid_suppression;
pub mod malformed_exec_form;
pub mod misplaced_directive;
pub mod missing_from;
pub mod shell_analysis_limit;
pub mod syntax_error;

pub(crate) const RULES: &[&dyn Rule] = &[
    &syntax_error::SyntaxError,
    &invalid_suppression::InvalidSuppression,
    &missing_from::MissingFrom,
    &empty_continuation::EmptyContinuation,
    &instruction_casing::InstructionCasing,
    &from_as_casing::FromAsCasing,
    &malformed_exec_form::MalformedExecForm,
    &invalid_onbuild_trigger::InvalidOnbuildTrigger,
    &misplaced_directive::MisplacedDirective,
    &invalid_flag::InvalidFlag,
    &shell_analysis_limit::ShellAnalysisLimit,
];
