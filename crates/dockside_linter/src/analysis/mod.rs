//! Shared facts about shell commands that several rules need.

pub mod install_steps;
pub mod packages;
pub mod stages;
