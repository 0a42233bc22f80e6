//! Dockerfile best practices and deprecated forms.

use crate::rule::Rule;

pub mod add_instead_of_copy;
pub mod legacy_env_format;
pub mod maintainer_deprecated;
pub mod workdir_relative;

pub(crate) const RULES: &[&dyn Rule] = &[
    &workdir_relative::WorkdirRelative,
    &legacy_env_format::LegacyEnvFormat,
    &maintainer_deprecated::MaintainerDeprecated,
    &add_instead_of_copy::AddInsteadOfCopy,
];
