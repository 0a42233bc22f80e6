//! The rules, one file each, grouped like the documentation.

use crate::rule::Rule;

pub mod best_practice;
pub mod cache;
pub mod compose_resources;
pub mod compose_services;
pub mod compose_syntax;
pub mod layers;
pub mod process;
pub mod secrets;
pub mod syntax;

pub(crate) const GROUPS: &[&[&dyn Rule]] = &[
    syntax::RULES,
    layers::RULES,
    cache::RULES,
    secrets::RULES,
    process::RULES,
    best_practice::RULES,
    compose_syntax::RULES,
    compose_services::RULES,
    compose_resources::RULES,
];
