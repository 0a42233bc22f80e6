//! The `github` format: one GitHub Actions workflow command per finding, which the
//! runner turns into an annotation on the pull request and the job summary.
//!
//! ```text
//! ::warning file=app/Dockerfile,line=3,col=1,endLine=3,endColumn=4,title=DF101 merge-consecutive-runs::2 consecutive RUN …
//! ```
//!
//! `error` for errors, `warning` for warnings, `notice` for info and style. Paths
//! are relative to the working directory (run from the repository root). Columns
//! count characters, `endColumn` is exclusive, and both are given only when the
//! finding is on one line (GitHub ignores columns across lines). Values are escaped
//! as the runner expects: `%`, CR and LF everywhere, `:` and `,` in properties too.

use std::io::{self, Write};

use dockside_linter::Severity;

use super::{Printer, Report, items, line_column, repository_path};

pub struct GithubPrinter;

impl Printer for GithubPrinter {
    fn print(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        for item in items(report) {
            let d = item.diagnostic;
            let file = item.file();
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "notice",
            };
            let (line, col) = line_column(file, d.range.start);
            let (end_line, end_col) = line_column(file, d.range.end);
            let mut properties = vec![
                ("file", repository_path(&file.path)),
                ("line", line.to_string()),
            ];
            if line == end_line {
                properties.push(("col", col.to_string()));
                properties.push(("endColumn", end_col.to_string()));
            } else {
                properties.push(("endLine", end_line.to_string()));
            }
            properties.push(("title", format!("{} {}", d.rule.code, d.rule.name)));
            let properties: Vec<String> = properties
                .iter()
                .map(|(key, value)| format!("{key}={}", escape_property(value)))
                .collect();
            writeln!(
                out,
                "::{command} {}::{}",
                properties.join(","),
                escape_data(&d.message)
            )?;
        }
        Ok(())
    }
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::{escape_data, escape_property};

    #[test]
    fn escapes_as_the_runner_decodes() {
        assert_eq!(
            escape_data("50% of\r\nlines: a,b"),
            "50%25 of%0D%0Alines: a,b"
        );
        assert_eq!(escape_property("C:\\x,y%"), "C%3A\\x%2Cy%25");
    }
}
