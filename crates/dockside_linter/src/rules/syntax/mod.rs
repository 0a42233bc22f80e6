//! Parse errors, suppression comments and deprecated syntax.

use crate::rule::Rule;

pub mod invalid_suppression;
pub mod syntax_error;

pub(crate) const RULES: &[&dyn Rule] = &[
    &syntax_error::SyntaxError,
    &invalid_suppression::InvalidSuppression,
];
