//! Compose support: YAML loading, variable interpolation and `.env` files.

pub mod dotenv;
pub mod interpolate;
pub mod yaml;
