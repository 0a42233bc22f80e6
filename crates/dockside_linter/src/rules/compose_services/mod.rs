//! How services are defined: images, commands, privileges, dependencies, secrets,
//! and what Compose overrides in the Dockerfiles it builds.

use crate::rule::Rule;

pub mod container_name_with_replicas;
pub(crate) mod dependencies;
pub mod depends_on_not_ready;
pub mod deprecated_links;
pub mod duplicate_container_name;
pub mod healthcheck_missing_for_condition;
pub mod image_tag;
pub mod obsolete_version;
pub mod privileged;
pub(crate) mod process;
pub mod secret_in_environment;
pub mod shell_wrapped_command;
pub mod undeclared_build_arg;
pub mod unknown_build_target;

pub(crate) const RULES: &[&dyn Rule] = &[
    &obsolete_version::ObsoleteVersion,
    &deprecated_links::DeprecatedLinks,
    &image_tag::ImageTag,
    &secret_in_environment::SecretInEnvironment,
    &shell_wrapped_command::ShellWrappedCommand,
    &healthcheck_missing_for_condition::HealthcheckMissingForCondition,
    &depends_on_not_ready::DependsOnNotReady,
    &container_name_with_replicas::ContainerNameWithReplicas,
    &duplicate_container_name::DuplicateContainerName,
    &privileged::Privileged,
    &unknown_build_target::UnknownBuildTarget,
    &undeclared_build_arg::UndeclaredBuildArg,
];
