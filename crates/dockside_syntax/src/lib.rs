//! Lossless, error-tolerant Dockerfile syntax following BuildKit's parser.
//!
//! `parse` turns source text into a [`Dockerfile`]: parser directives,
//! instructions (keyword, flags, arguments, exec/shell form, heredocs) and
//! comments, each with exact byte ranges. Positions convert through
//! [`LineIndex`] to UTF-8, UTF-16 and character columns.

pub mod ast;
mod json;
mod parser;
pub mod text;
pub mod words;

pub use ast::*;
pub use parser::parse;
pub use text::{LineIndex, MappedText, Position, TextRange};

/// Levenshtein distance, for did-you-mean suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    parser::edit_distance(a, b)
}

/// The decoded elements when `text` is a valid exec-form JSON array of strings
/// (`["a", "b"]`, surrounding whitespace allowed), `None` otherwise.
pub fn parse_exec_json(text: &str) -> Option<Vec<String>> {
    let text = text.trim();
    if !text.starts_with('[') {
        return None;
    }
    match json::parse_string_array(text) {
        json::JsonArray::Strings(items) => Some(items.into_iter().map(|(s, _)| s).collect()),
        _ => None,
    }
}
