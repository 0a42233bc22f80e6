//! The `gnu` format: one line per finding in the GNU error message format, which
//! editors (Emacs `compile`, Vim's quickfix) and scripts read.
//!
//! ```text
//! app/Dockerfile:3.1-4.20: warning: 2 consecutive RUN instructions … [merge-consecutive-runs]
//! ```
//!
//! `path:line.column-endline.endcolumn: severity: message [rule]`, with the path as
//! given, 1-based lines and columns in characters, the end exclusive (as in the JSON
//! output). The severity is `error`, `warning` or `note` (info and style, the word
//! GNU tools use for the lowest level). Line breaks in a message become spaces.

use std::io::{self, Write};

use dockside_linter::Severity;

use super::{Printer, Report, items, line_column};

pub struct GnuPrinter;

impl Printer for GnuPrinter {
    fn print(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        for item in items(report) {
            let d = item.diagnostic;
            let file = item.file();
            let (line, col) = line_column(file, d.range.start);
            let (end_line, end_col) = line_column(file, d.range.end);
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "note",
            };
            let message = d.message.split_whitespace().collect::<Vec<_>>().join(" ");
            writeln!(
                out,
                "{}:{line}.{col}-{end_line}.{end_col}: {severity}: {message} [{}]",
                file.path.display(),
                d.rule.name
            )?;
        }
        Ok(())
    }
}
