//! The `human` format: one miette report per diagnostic, then a summary.
//!
//! ```text
//! Dockerfile:2:1: error DF001 syntax-error
//!   × unknown instruction `RUNN`
//!    ╭─[Dockerfile:2:1]
//!  1 │ FROM alpine
//!  2 │ RUNN x
//!    · ────
//!    ╰────
//!   help: fix available: … (unsafe)
//!
//! Found 1 problem (1 error, 0 warnings, 0 infos, 0 style) in 1 file.
//! ```
//!
//! Related locations in the same file are extra labels; those in other files
//! are rendered as notes (`☞ note: …`) with their own snippet.

use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use dockside_linter::{Applicability, Severity, SourceFile};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use super::{
    Item, PrintOptions, Printer, Report, Style, fixed_line, items, line_column, span, summary,
};

pub struct HumanPrinter<'a> {
    pub options: &'a PrintOptions,
}

impl Printer for HumanPrinter<'_> {
    fn print(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let style = Style {
            color: self.options.color,
        };
        let theme = if self.options.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .with_width(self.options.width)
            // miette counts columns in bytes; the header line has the character column.
            .without_primary_span_start();
        for item in items(report) {
            let header = header(&item, style);
            let (diagnostic, notes) = rendered(&item);
            let mut body = String::new();
            handler
                .render_report(&mut body, &diagnostic)
                .map_err(io::Error::other)?;
            for note in &notes {
                body.push('\n');
                handler
                    .render_report(&mut body, note)
                    .map_err(io::Error::other)?;
            }
            writeln!(out, "{header}\n{}\n", body.trim_end())?;
        }
        if !self.options.quiet {
            if let Some(line) = fixed_line(report) {
                writeln!(out, "{line}")?;
            }
            writeln!(out, "{}", style.bold(&summary(report)))?;
        }
        Ok(())
    }
}

/// `path:line:col: severity CODE rule-name`
fn header(item: &Item, style: Style) -> String {
    let d = item.diagnostic;
    let file = item.file();
    let (line, col) = line_column(file, d.range.start);
    format!(
        "{}: {} {} {}",
        style.bold(&format!("{}:{line}:{col}", file.path.display())),
        style.severity(d.severity),
        style.bold(d.rule.code),
        d.rule.name,
    )
}

fn source(file: &SourceFile) -> NamedSource<Arc<str>> {
    NamedSource::new(file.path.display().to_string(), file.text.clone())
}

/// The diagnostic and a note for each related location in another file.
fn rendered(item: &Item) -> (Rendered, Vec<Rendered>) {
    let d = item.diagnostic;
    let mut labels = vec![LabeledSpan::new_primary_with_span(None, span(d.range))];
    let mut notes = Vec::new();
    for r in &d.related {
        if r.file == d.file {
            labels.push(LabeledSpan::new_with_span(
                Some(r.message.clone()),
                span(r.range),
            ));
        } else {
            let file = item.report.result.file(r.file);
            notes.push(Rendered {
                message: format!("note: {}", r.message),
                severity: miette::Severity::Advice,
                source: source(file),
                labels: vec![LabeledSpan::new_primary_with_span(None, span(r.range))],
                help: None,
            });
        }
    }
    let help = item.applicable_fix().map(|fix| {
        let marker = if fix.applicability == Applicability::Unsafe {
            " (unsafe)"
        } else {
            ""
        };
        format!("fix available: {}{marker}", fix.title)
    });
    let diagnostic = Rendered {
        message: d.message.clone(),
        severity: match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info | Severity::Style => miette::Severity::Advice,
        },
        source: source(item.file()),
        labels,
        help,
    };
    (diagnostic, notes)
}

/// A diagnostic in the shape miette renders.
struct Rendered {
    message: String,
    severity: miette::Severity,
    source: NamedSource<Arc<str>>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
}

impl fmt::Debug for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rendered")
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}
