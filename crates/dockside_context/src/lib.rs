//! Questions about a Docker build context for cross-file lint rules, without
//! a Docker daemon: `.dockerignore` semantics, file existence and globbing,
//! secret detection and supervisord configuration.
//!
//! Every operation is infallible and bounded: reads are capped at 1 MiB,
//! walks at [`MAX_WALK_ENTRIES`] entries and [`MAX_WALK_DEPTH`] levels, and
//! symlinks are never followed while walking.

pub mod context;
pub mod dockerignore;
mod glob;
mod paths;
pub mod sensitive;
pub mod supervisord;

pub use context::{
    BuildContext, ContextPool, MAX_READ_BYTES, MAX_WALK_DEPTH, MAX_WALK_ENTRIES, Overlay,
    read_text_file,
};
pub use dockerignore::{DockerIgnore, Pattern, PatternError};
pub use glob::GlobError;
pub use paths::normalize_rel;
pub use sensitive::{SensitiveKind, classify};
pub use supervisord::SupervisorConfig;
