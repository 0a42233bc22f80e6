//! ARG and ENV: scopes, undefined and unused variables.

use crate::rule::Rule;

pub mod env_disables_tls;
pub mod env_self_reference;
pub mod undefined_var;
pub mod unused_arg;

pub(crate) const RULES: &[&dyn Rule] = &[
    &undefined_var::UndefinedVar,
    &env_self_reference::EnvSelfReference,
    &unused_arg::UnusedArg,
    &env_disables_tls::EnvDisablesTls,
];
