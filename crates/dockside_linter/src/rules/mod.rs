//! The rules, one file each, grouped like the documentation.

use crate::rule::Rule;

pub mod base_image;
pub mod best_practice;
pub mod cache;
pub mod compose_resources;
pub mod compose_services;
pub mod compose_syntax;
pub mod format;
pub mod labels;
pub mod layers;
pub mod packages;
pub mod process;
pub mod secrets;
pub mod shell;
pub mod stages;
pub mod suppressions;
pub mod syntax;
pub mod user;
pub mod variables;

pub(crate) const GROUPS: &[&[&dyn Rule]] = &[
    syntax::RULES,
    layers::RULES,
    cache::RULES,
    secrets::RULES,
    process::RULES,
    best_practice::RULES,
    base_image::RULES,
    stages::RULES,
    variables::RULES,
    user::RULES,
    packages::RULES,
    shell::RULES,
    labels::RULES,
    suppressions::RULES,
    format::RULES,
    compose_syntax::RULES,
    compose_services::RULES,
    compose_resources::RULES,
];
