//! Secrets baked into the image.

use crate::rule::Rule;

pub mod secret_in_build_context;
pub mod secret_in_env;

pub(crate) const RULES: &[&dyn Rule] = &[
    &secret_in_env::SecretInEnv,
    &secret_in_build_context::SecretInBuildContext,
];
