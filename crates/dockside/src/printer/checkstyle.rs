//! The `checkstyle` format: Checkstyle's XML report, read by Jenkins (warnings-ng),
//! reviewdog and other Checkstyle consumers.
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <checkstyle version="4.3">
//!   <file name="app/Dockerfile">
//!     <error line="3" column="1" severity="warning" message="…" source="DF101"/>
//!   </file>
//! </checkstyle>
//! ```
//!
//! A `<file>` for every linted file (empty when it is clean) and for every other
//! file a finding points into, sorted by path; `<error>`s by position. Paths as
//! given, 1-based lines and columns in characters. `severity` is `error`,
//! `warning` or `info` (info and style); `source` is the rule code, as hadolint does.

use std::collections::BTreeMap;
use std::io::{self, Write};

use dockside_linter::Severity;

use super::{Item, Printer, Report, items, line_column, linted_paths, xml_escape};

pub struct CheckstylePrinter;

impl Printer for CheckstylePrinter {
    fn print(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut files: BTreeMap<String, Vec<Item>> = linted_paths(report)
            .into_iter()
            .map(|path| (path, Vec::new()))
            .collect();
        for item in items(report) {
            files
                .entry(item.file().path.display().to_string())
                .or_default()
                .push(item);
        }
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, r#"<checkstyle version="4.3">"#)?;
        for (path, items) in &files {
            if items.is_empty() {
                writeln!(out, r#"  <file name="{}"/>"#, xml_escape(path))?;
                continue;
            }
            writeln!(out, r#"  <file name="{}">"#, xml_escape(path))?;
            for item in items {
                let d = item.diagnostic;
                let (line, column) = line_column(item.file(), d.range.start);
                let severity = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info | Severity::Style => "info",
                };
                writeln!(
                    out,
                    r#"    <error line="{line}" column="{column}" severity="{severity}" message="{}" source="{}"/>"#,
                    xml_escape(&d.message),
                    d.rule.code
                )?;
            }
            writeln!(out, "  </file>")?;
        }
        writeln!(out, "</checkstyle>")
    }
}
