//! Base images: tags, digests, registries, platforms.

use crate::rule::Rule;

pub mod base_image_not_digest_pinned;
pub mod constant_platform;
pub mod invalid_default_arg_in_from;
pub mod invalid_image_reference;
pub mod latest_tag;
pub mod redundant_target_platform;
pub mod undefined_arg_in_from;
pub mod untagged_base_image;
pub mod untrusted_registry;

pub(crate) const RULES: &[&dyn Rule] = &[
    &untagged_base_image::UntaggedBaseImage,
    &latest_tag::LatestTag,
    &untrusted_registry::UntrustedRegistry,
    &constant_platform::ConstantPlatform,
    &redundant_target_platform::RedundantTargetPlatform,
    &undefined_arg_in_from::UndefinedArgInFrom,
    &invalid_default_arg_in_from::InvalidDefaultArgInFrom,
    &invalid_image_reference::InvalidImageReference,
    &base_image_not_digest_pinned::BaseImageNotDigestPinned,
];
