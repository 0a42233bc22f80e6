//! The `junit` format: JUnit XML, for GitLab's `artifacts:reports:junit`, Jenkins
//! and other test report viewers.
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <testsuites name="dockside" tests="2" failures="1" errors="0">
//!   <testsuite name="app/Dockerfile" tests="1" failures="1" errors="0" skipped="0">
//!     <testcase name="DF101 merge-consecutive-runs at 3:1" classname="app/Dockerfile" file="app/Dockerfile" line="3">
//!       <failure type="warning" message="…">app/Dockerfile:3:1: warning DF101 merge-consecutive-runs …</failure>
//!     </testcase>
//!   </testsuite>
//!   <testsuite name="Dockerfile" tests="1" failures="0" errors="0" skipped="0">
//!     <testcase name="dockside" classname="Dockerfile" file="Dockerfile"/>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! One test suite per file, sorted by path: every linted file, and every other
//! file a finding points into. Each finding is a failed test case (whatever its
//! severity: `--fail-level` decides the exit status, the report shows everything);
//! a file without findings has one passing test case named `dockside`. Paths as
//! given; lines and columns 1-based, columns in characters.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Item, Printer, Report, items, line_column, linted_paths, xml_escape};

pub struct JunitPrinter;

impl Printer for JunitPrinter {
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
        let failures: usize = files.values().map(Vec::len).sum();
        let tests: usize = files.values().map(|items| items.len().max(1)).sum();
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="dockside" tests="{tests}" failures="{failures}" errors="0">"#
        )?;
        for (path, items) in &files {
            let path = xml_escape(path);
            writeln!(
                out,
                r#"  <testsuite name="{path}" tests="{}" failures="{}" errors="0" skipped="0">"#,
                items.len().max(1),
                items.len()
            )?;
            if items.is_empty() {
                writeln!(
                    out,
                    r#"    <testcase name="dockside" classname="{path}" file="{path}"/>"#
                )?;
            }
            for item in items {
                let d = item.diagnostic;
                let (line, column) = line_column(item.file(), d.range.start);
                let rule = format!("{} {}", d.rule.code, d.rule.name);
                writeln!(
                    out,
                    r#"    <testcase name="{rule} at {line}:{column}" classname="{path}" file="{path}" line="{line}">"#
                )?;
                let mut body = format!(
                    "{}:{line}:{column}: {} {rule}\n{}",
                    item.file().path.display(),
                    d.severity.as_str(),
                    d.message
                );
                for related in &d.related {
                    let file = item.report.result.file(related.file);
                    let (line, column) = line_column(file, related.range.start);
                    body.push_str(&format!(
                        "\n{}:{line}:{column}: note: {}",
                        file.path.display(),
                        related.message
                    ));
                }
                writeln!(
                    out,
                    r#"      <failure type="{}" message="{}">{}</failure>"#,
                    d.severity.as_str(),
                    xml_escape(&d.message),
                    // Line breaks stay literal in element text.
                    xml_escape(&body).replace("&#10;", "\n")
                )?;
                writeln!(out, "    </testcase>")?;
            }
            writeln!(out, "  </testsuite>")?;
        }
        writeln!(out, "</testsuites>")
    }
}
