//! Suppression hygiene: ignore comments that do nothing.

pub mod unused_suppression;

use crate::rule::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[&unused_suppression::UnusedSuppression];
