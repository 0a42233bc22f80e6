//! Dockerfile best practices and deprecated forms.

use crate::rule::Rule;

pub mod add_instead_of_copy;
pub mod cd_instead_of_workdir;
pub mod copy_archive_then_extract;
pub mod copy_ignored_file;
pub mod copy_multiple_sources_dest;
pub mod copy_without_workdir;
pub mod download_then_extract;
pub mod expose_host_mapping;
pub mod invalid_definition_description;
pub mod invalid_expose;
pub mod legacy_env_format;
pub mod maintainer_deprecated;
pub mod workdir_relative;

pub(crate) const RULES: &[&dyn Rule] = &[
    &workdir_relative::WorkdirRelative,
    &legacy_env_format::LegacyEnvFormat,
    &maintainer_deprecated::MaintainerDeprecated,
    &add_instead_of_copy::AddInsteadOfCopy,
    &copy_multiple_sources_dest::CopyMultipleSourcesDest,
    &copy_without_workdir::CopyWithoutWorkdir,
    &copy_archive_then_extract::CopyArchiveThenExtract,
    &copy_ignored_file::CopyIgnoredFile,
    &cd_instead_of_workdir::CdInsteadOfWorkdir,
    &invalid_expose::InvalidExpose,
    &expose_host_mapping::ExposeHostMapping,
    &download_then_extract::DownloadThenExtract,
    &invalid_definition_description::InvalidDefinitionDescription,
];
