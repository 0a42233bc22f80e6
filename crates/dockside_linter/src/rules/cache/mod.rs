//! Cache ordering: what invalidates the build cache.

use crate::rule::Rule;

pub mod apt_update_alone;
pub mod copy_before_install;
pub mod volatile_arg_before_run;

pub(crate) const RULES: &[&dyn Rule] = &[
    &copy_before_install::CopyBeforeInstall,
    &apt_update_alone::AptUpdateAlone,
    &volatile_arg_before_run::VolatileArgBeforeRun,
];
