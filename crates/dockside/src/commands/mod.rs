//! The subcommands other than `check`.

pub mod explain;
pub mod rules;
