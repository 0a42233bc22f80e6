//! Multi-stage builds: stage names and references between stages.

use crate::rule::Rule;

pub mod copy_from_own_stage;
pub mod copy_whole_filesystem;
pub mod duplicate_stage_name;
pub mod empty_scratch_stage;
pub mod reserved_stage_name;
pub mod stage_forward_reference;
pub mod stage_name_casing;
pub mod unknown_copy_from;
pub mod unused_stage;

pub(crate) const RULES: &[&dyn Rule] = &[
    &duplicate_stage_name::DuplicateStageName,
    &reserved_stage_name::ReservedStageName,
    &stage_name_casing::StageNameCasing,
    &unknown_copy_from::UnknownCopyFrom,
    &copy_from_own_stage::CopyFromOwnStage,
    &stage_forward_reference::StageForwardReference,
    &unused_stage::UnusedStage,
    &copy_whole_filesystem::CopyWholeFilesystem,
    &empty_scratch_stage::EmptyScratchStage,
];
