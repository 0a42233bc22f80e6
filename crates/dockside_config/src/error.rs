use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// An error in a configuration file, with its location when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The configuration file.
    pub path: PathBuf,
    /// 1-based line of the offending key/value.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the offending key/value.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// Byte range of the offending text in the file.
    pub range: Option<Range<usize>>,
}

impl ConfigError {
    /// An error without location (e.g. an I/O error).
    pub fn new(path: &Path, message: impl Into<String>) -> ConfigError {
        ConfigError {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            range: None,
        }
    }

    /// An error located at byte range `range` of `text`.
    pub fn at(
        path: &Path,
        text: &str,
        range: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> ConfigError {
        let mut err = ConfigError::new(path, message);
        if let Some(range) = range {
            let start = floor_char_boundary(text, range.start);
            let (line, column) = line_column(text, start);
            err.line = Some(line);
            err.column = Some(column);
            err.range = Some(range);
        }
        err
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// 1-based line and column (counted in `char`s, ignoring a BOM) of byte `offset`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..]
        .chars()
        .filter(|&c| c != '\u{feff}')
        .count()
        + 1;
    (line, column)
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}
