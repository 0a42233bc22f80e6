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

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use dockside_linter::{Applicability, Severity, SourceFile};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

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
        let sources = Sources::default();
        for item in items(report) {
            let header = header(&item, style);
            let (diagnostic, notes) = rendered(&item, &sources);
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

/// The files of a report as miette sources, each indexed once.
#[derive(Default)]
struct Sources {
    by_text: RefCell<HashMap<*const u8, IndexedSource>>,
}

impl Sources {
    fn of(&self, file: &SourceFile) -> IndexedSource {
        let key = file.text.as_ptr();
        self.by_text
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| IndexedSource::new(file))
            .clone()
    }
}

/// A file's text for miette that finds a span's first lines by binary search.
/// miette's own sources scan from the start of the file for every report,
/// which made printing quadratic in the number of findings; this one hands
/// miette only the text from a few lines before the span and shifts the
/// answer back, so the rendering is the same.
#[derive(Clone)]
struct IndexedSource {
    name: String,
    text: Arc<str>,
    /// Where each line starts, with miette's line breaks (`\n`, `\r\n`, a lone `\r`).
    line_starts: Arc<[usize]>,
}

impl IndexedSource {
    fn new(file: &SourceFile) -> Self {
        let bytes = file.text.as_bytes();
        let mut line_starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                line_starts.push(i + 1);
            }
        }
        IndexedSource {
            name: file.path.display().to_string(),
            text: file.text.clone(),
            line_starts: line_starts.into(),
        }
    }
}

impl SourceCode for IndexedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let line = self
            .line_starts
            .partition_point(|&start| start <= span.offset())
            .saturating_sub(1);
        let base_line = line.saturating_sub(context_lines_before + 1);
        let base = self.line_starts[base_line];
        let tail = self.text.as_bytes().get(base..).unwrap_or_default();
        let shifted = SourceSpan::new(span.offset().saturating_sub(base).into(), span.len());
        let inner = tail.read_span(&shifted, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + base).into(), inner.span().len()),
            inner.line() + base_line,
            inner.column(),
            inner.line_count() + base_line,
        )))
    }
}

/// The diagnostic and a note for each related location in another file.
fn rendered(item: &Item, sources: &Sources) -> (Rendered, Vec<Rendered>) {
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
                source: sources.of(file),
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
        source: sources.of(item.file()),
        labels,
        help,
    };
    (diagnostic, notes)
}

/// A diagnostic in the shape miette renders.
struct Rendered {
    message: String,
    severity: miette::Severity,
    source: IndexedSource,
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
