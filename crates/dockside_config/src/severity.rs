use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Diagnostic severity, ordered from least (`Style`) to most (`Error`) severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stylistic suggestion.
    Style,
    /// Informational finding.
    Info,
    /// Likely problem.
    Warning,
    /// Definite problem.
    Error,
}

impl Severity {
    /// All severities, lowest first.
    pub const ALL: [Severity; 4] = [
        Severity::Style,
        Severity::Info,
        Severity::Warning,
        Severity::Error,
    ];

    /// The lowercase name (`"warning"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Style => "style",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error returned when parsing a [`Severity`] or [`FailLevel`] from a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseLevelError {
    /// The rejected input.
    pub input: String,
    /// The accepted spellings.
    pub expected: &'static [&'static str],
}

impl fmt::Display for ParseLevelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid value `{}`; expected one of: {}",
            self.input,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for ParseLevelError {}

impl FromStr for Severity {
    type Err = ParseLevelError;

    /// Parses `error | warning | info | style` (ASCII case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| ParseLevelError {
                input: s.to_string(),
                expected: &["error", "warning", "info", "style"],
            })
    }
}

/// The minimum severity that makes the CLI exit with failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailLevel {
    /// Fail when a diagnostic of at least this severity is reported.
    Level(Severity),
    /// Never fail because of diagnostics.
    None,
}

impl FailLevel {
    /// Should a diagnostic of severity `severity` cause failure?
    pub fn fails_on(self, severity: Severity) -> bool {
        match self {
            FailLevel::Level(min) => severity >= min,
            FailLevel::None => false,
        }
    }
}

impl fmt::Display for FailLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailLevel::Level(sev) => sev.fmt(f),
            FailLevel::None => f.write_str("none"),
        }
    }
}

impl FromStr for FailLevel {
    type Err = ParseLevelError;

    /// Parses `error | warning | info | style | none` (ASCII case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim().eq_ignore_ascii_case("none") {
            return Ok(FailLevel::None);
        }
        s.parse::<Severity>()
            .map(FailLevel::Level)
            .map_err(|_| ParseLevelError {
                input: s.to_string(),
                expected: &["error", "warning", "info", "style", "none"],
            })
    }
}
