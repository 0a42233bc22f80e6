//! The semantic model of a Dockerfile, built from its syntax tree: stages and
//! their base images, ARG/ENV scopes with expansion, working directories, the
//! layer sequence, what COPY/ADD bring in from the build context, and the
//! shell code of each instruction as a command model.

pub mod expand;
pub mod image;
mod model;

pub use dockside_context::BuildContext;
pub use expand::{Expansion, Lookup, VarRef};
pub use image::{ImageRef, parse_image_ref};
pub use model::*;
