//! The rules, one file each, grouped like the documentation.

use crate::rule::Rule;

pub mod syntax;

pub(crate) const GROUPS: &[&[&dyn Rule]] = &[syntax::RULES];
