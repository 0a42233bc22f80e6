//! Suppression hygiene: ignore comments that do nothing or give no reason.

pub mod suppression_without_reason;
pub mod unused_suppression;

use crate::rule::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[
    &unused_suppression::UnusedSuppression,
    &suppression_without_reason::SuppressionWithoutReason,
];
