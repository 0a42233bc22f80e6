//! Compose support: YAML with positions, `.env` files, interpolation, project loading
//! (merge, include, extends, profiles), and the schema of the Compose specification.

pub mod dotenv;
pub mod emit;
pub mod interpolate;
mod loader;
pub mod model;
pub mod project;
pub mod schema;
pub mod yaml;

pub use project::{
    FileRole, LoadIssue, LoadIssueKind, LoadOptions, Project, ProjectFile, Service, Variable,
    VariableSource, is_compose_file_name, load_project,
};
