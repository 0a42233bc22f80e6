//! The subcommands other than `check`.

pub mod compose;
pub mod explain;
pub mod migrate;
pub mod rules;
