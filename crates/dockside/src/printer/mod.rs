//! Printing the results of `dockside check`.
//!
//! Every [`OutputFormat`] has a [`Printer`]; printers only format what the
//! linter produced ([`FileReport`]s) and never analyse anything themselves.

mod checkstyle;
mod fingerprint;
mod github;
mod gitlab;
mod gnu;
mod human;
pub mod json;
mod junit;
mod sarif;
mod statistics;

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use dockside_linter::{
    Applicability, Diagnostic, FailLevel, FileId, LintResult, Severity, SourceFile,
};
use dockside_syntax::TextRange;

use crate::args::OutputFormat;

/// The lint result of one file, as the printers see it.
pub struct FileReport {
    /// `result.main().path` is the path as given on the command line or found
    /// by walking (the `--stdin-filename`, or `-`, for stdin).
    pub result: LintResult,
    /// The fail level that applies to this file (command line, else its configuration).
    pub fail_level: FailLevel,
    /// Fixes applied to this file by `--fix` (or that `--diff` would apply).
    pub fixed: usize,
}

/// Everything a printer prints, files sorted by path.
pub struct Report<'a> {
    pub files: &'a [FileReport],
    /// `--unsafe-fixes` was given.
    pub unsafe_fixes: bool,
    /// `--fix` was given (the diagnostics are those that remain).
    pub fixing: bool,
}

pub struct PrintOptions {
    pub color: bool,
    /// Width for wrapping messages.
    pub width: usize,
    /// No summary.
    pub quiet: bool,
    /// Counts per rule instead of each diagnostic.
    pub statistics: bool,
}

pub trait Printer {
    fn print(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}

/// Prints `report` in `format`.
pub fn print(
    format: OutputFormat,
    options: &PrintOptions,
    report: &Report,
    out: &mut dyn Write,
) -> io::Result<()> {
    let statistics =
        options.statistics && matches!(format, OutputFormat::Human | OutputFormat::Json);
    if options.statistics && !statistics {
        eprintln!(
            "warning: --statistics applies to the human and json formats; ignored with --format {}",
            format.name()
        );
    }
    let printer: Box<dyn Printer + '_> = match format {
        _ if statistics => Box::new(statistics::StatisticsPrinter { format, options }),
        OutputFormat::Human => Box::new(human::HumanPrinter { options }),
        OutputFormat::Json => Box::new(json::JsonPrinter),
        OutputFormat::Sarif => Box::new(sarif::SarifPrinter),
        OutputFormat::Github => Box::new(github::GithubPrinter),
        OutputFormat::Gitlab => Box::new(gitlab::GitlabPrinter),
        OutputFormat::Checkstyle => Box::new(checkstyle::CheckstylePrinter),
        OutputFormat::Junit => Box::new(junit::JunitPrinter),
        OutputFormat::Gnu => Box::new(gnu::GnuPrinter),
    };
    printer.print(report, out)
}

/// A diagnostic together with the file it belongs to.
pub(crate) struct Item<'a> {
    pub report: &'a FileReport,
    pub diagnostic: &'a Diagnostic,
}

impl<'a> Item<'a> {
    pub fn file(&self) -> &'a SourceFile {
        self.report.result.file(self.diagnostic.file)
    }

    /// The fix `--fix` would apply (fixes in other files than the linted one are not applied).
    pub fn applicable_fix(&self) -> Option<&'a dockside_linter::Fix> {
        self.diagnostic
            .fix
            .as_ref()
            .filter(|_| self.diagnostic.file == FileId::MAIN)
    }
}

/// All diagnostics in output order: files by path, diagnostics by position.
pub(crate) fn items<'a>(report: &Report<'a>) -> impl Iterator<Item = Item<'a>> {
    report.files.iter().flat_map(|r| {
        r.result.diagnostics.iter().map(move |d| Item {
            report: r,
            diagnostic: d,
        })
    })
}

/// 1-based line and 1-based column in characters.
pub(crate) fn line_column(file: &SourceFile, offset: u32) -> (u32, u32) {
    let p = file.position(offset);
    (p.line + 1, p.char_col + 1)
}

/// The 1-based lines a range covers: a non-empty range that ends at the start of a
/// line (after a newline) does not cover that line.
pub(crate) fn line_span(file: &SourceFile, range: TextRange) -> (u32, u32) {
    let first = file.position(range.start).line;
    let end = file.position(range.end);
    let last = if end.line > first && end.char_col == 0 {
        end.line - 1
    } else {
        end.line
    };
    (first + 1, last + 1)
}

/// The paths of the files that were linted (each report's main file), printed as given.
pub(crate) fn linted_paths(report: &Report) -> Vec<String> {
    report
        .files
        .iter()
        .filter(|f| !f.result.files.is_empty())
        .map(|f| f.result.main().path.display().to_string())
        .collect()
}

/// A path as code hosts expect it in reports: relative to the working directory
/// when it is inside it, with `/` separators and no `./` prefix. Other paths are
/// returned absolute (or as given when the working directory is unknown).
pub(crate) fn repository_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    repository_path_in(path, cwd.as_deref())
}

pub(crate) fn repository_path_in(path: &Path, cwd: Option<&Path>) -> String {
    let relative: PathBuf = match cwd {
        Some(cwd) if path.is_absolute() => match path.strip_prefix(cwd) {
            Ok(rest) => rest.to_path_buf(),
            Err(_) => path.to_path_buf(),
        },
        _ => path.to_path_buf(),
    };
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = String::new();
    for component in relative.components() {
        match component {
            Component::CurDir => {}
            Component::Prefix(p) => absolute.push_str(&p.as_os_str().to_string_lossy()),
            Component::RootDir => absolute.push('/'),
            Component::ParentDir => parts.push("..".into()),
            Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if absolute.is_empty() && joined.is_empty() {
        ".".into()
    } else {
        absolute + &joined
    }
}

/// Text for an XML attribute or element: markup characters escaped, line breaks and
/// tabs as character references (attribute values keep them), and the control
/// characters XML 1.0 cannot carry replaced by U+FFFD.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn span(range: TextRange) -> miette::SourceSpan {
    (range.start as usize, range.len()).into()
}

/// Counts for the summary line.
#[derive(Default)]
pub(crate) struct Counts {
    pub total: usize,
    pub by_severity: [usize; 4],
    pub safe_fixes: usize,
    pub unsafe_fixes: usize,
}

impl Counts {
    pub fn of(report: &Report) -> Counts {
        let mut c = Counts::default();
        for item in items(report) {
            c.total += 1;
            c.by_severity[severity_index(item.diagnostic.severity)] += 1;
            match item.applicable_fix().map(|f| f.applicability) {
                Some(Applicability::Safe) => c.safe_fixes += 1,
                Some(Applicability::Unsafe) => c.unsafe_fixes += 1,
                None => {}
            }
        }
        c
    }
}

fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
        Severity::Style => 3,
    }
}

/// The summary line (without newline).
pub(crate) fn summary(report: &Report) -> String {
    let c = Counts::of(report);
    let files = plural(report.files.len(), "file", "files");
    if c.total == 0 {
        return format!("No problems found in {files}.");
    }
    let [e, w, i, s] = c.by_severity;
    let mut line = format!(
        "Found {} ({}, {}, {}, {s} style) in {files}",
        plural(c.total, "problem", "problems"),
        plural(e, "error", "errors"),
        plural(w, "warning", "warnings"),
        plural(i, "info", "infos"),
    );
    if report.unsafe_fixes {
        let n = c.safe_fixes + c.unsafe_fixes;
        if n > 0 {
            line += &format!("; {n} fixable with --fix --unsafe-fixes");
        }
    } else if c.safe_fixes > 0 {
        line += &format!("; {} fixable with --fix", c.safe_fixes);
        if c.unsafe_fixes > 0 {
            line += &format!(" ({} more with --unsafe-fixes)", c.unsafe_fixes);
        }
    } else if c.unsafe_fixes > 0 {
        line += &format!("; {} fixable with --fix --unsafe-fixes", c.unsafe_fixes);
    }
    line.push('.');
    line
}

/// The "Fixed N problems in F files." line after `--fix`, if anything was fixed.
pub(crate) fn fixed_line(report: &Report) -> Option<String> {
    let fixed: usize = report.files.iter().map(|f| f.fixed).sum();
    let files = report.files.iter().filter(|f| f.fixed > 0).count();
    (report.fixing && fixed > 0).then(|| {
        format!(
            "Fixed {} in {}.",
            plural(fixed, "problem", "problems"),
            plural(files, "file", "files")
        )
    })
}

/// Keeps the kind of an I/O error (a closed pipe is not worth reporting).
pub(crate) fn json_error(e: serde_json::Error) -> io::Error {
    match e.io_error_kind() {
        Some(kind) => io::Error::from(kind),
        None => io::Error::other(e),
    }
}

/// `1 file`, `2 files`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Minimal ANSI styling, a no-op without colour.
#[derive(Clone, Copy)]
pub(crate) struct Style {
    pub color: bool,
}

impl Style {
    pub fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
    pub fn severity(self, severity: Severity) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;34",
            Severity::Style => "1;36",
        };
        self.paint(code, severity.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use dockside_linter::{
        Diagnostic, Edit, FailLevel, FileId, Fix, LintResult, Related, Severity, SourceFile,
    };
    use dockside_syntax::TextRange;

    use super::*;

    /// A result with a diagnostic whose related locations are in the same and in another file.
    fn sample() -> FileReport {
        let main = SourceFile::new(
            PathBuf::from("app/Dockerfile"),
            "FROM alpine\nCOPY entry.sh /\nENTRYPOINT [\"/entry.sh\"]\n",
        );
        let script = SourceFile::new(PathBuf::from("app/entry.sh"), "#!/bin/sh\nexec \"$@\"\n");
        let diagnostic = Diagnostic {
            rule: dockside_linter::find_rule("syntax-error").unwrap(),
            severity: Severity::Warning,
            message: "the main message".into(),
            file: FileId::MAIN,
            range: TextRange::new(39, 49),
            related: vec![
                Related {
                    file: FileId::MAIN,
                    range: TextRange::new(12, 16),
                    message: "copied here".into(),
                },
                Related {
                    file: FileId(1),
                    range: TextRange::new(10, 14),
                    message: "the script execs".into(),
                },
            ],
            fix: Some(Fix::unsafe_(
                "Do it",
                vec![Edit::replace(TextRange::new(12, 16), "ADD")],
            )),
            tags: Vec::new(),
        };
        FileReport {
            result: LintResult {
                files: vec![main, script],
                diagnostics: vec![diagnostic],
                suppressed: Vec::new(),
            },
            fail_level: FailLevel::Level(Severity::Warning),
            fixed: 0,
        }
    }

    fn render(format: OutputFormat) -> String {
        let files = [sample()];
        let report = Report {
            files: &files,
            unsafe_fixes: false,
            fixing: false,
        };
        let options = PrintOptions {
            color: false,
            width: 100,
            quiet: false,
            statistics: false,
        };
        let mut out = Vec::new();
        print(format, &options, &report, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn repository_paths_are_relative_with_slashes() {
        let cwd = std::path::Path::new("/work/repo");
        let path = |p: &str| repository_path_in(std::path::Path::new(p), Some(cwd));
        assert_eq!(path("./app/Dockerfile"), "app/Dockerfile");
        assert_eq!(path("/work/repo/app/./Dockerfile"), "app/Dockerfile");
        assert_eq!(path("../other/Dockerfile"), "../other/Dockerfile");
        assert_eq!(path("/elsewhere/Dockerfile"), "/elsewhere/Dockerfile");
        assert_eq!(path("-"), "-");
        assert_eq!(path("."), ".");
    }

    #[test]
    fn xml_escape_keeps_documents_well_formed() {
        assert_eq!(
            xml_escape("a && b < \"c\" > 'd'\n\u{1}"),
            "a &amp;&amp; b &lt; &quot;c&quot; &gt; &apos;d&apos;&#10;\u{FFFD}"
        );
    }

    #[test]
    fn human_shows_related_locations_and_fix() {
        let text = render(OutputFormat::Human);
        assert!(
            text.starts_with("app/Dockerfile:3:12: warning DF001 syntax-error\n"),
            "{text}"
        );
        assert!(text.contains("the main message"), "{text}");
        assert!(text.contains("copied here"), "{text}");
        assert!(text.contains("the script execs"), "{text}");
        assert!(text.contains("app/entry.sh"), "{text}");
        assert!(text.contains("exec \"$@\""), "{text}");
        assert!(text.contains("fix available: Do it (unsafe)"), "{text}");
        assert!(text.contains("Found 1 problem (0 errors, 1 warning, 0 infos, 0 style) in 1 file; 1 fixable with --fix --unsafe-fixes."), "{text}");
    }

    #[test]
    fn json_schema() {
        let json: serde_json::Value = serde_json::from_str(&render(OutputFormat::Json)).unwrap();
        let d = &json[0];
        assert_eq!(d["path"], "app/Dockerfile");
        assert_eq!(d["code"], "DF001");
        assert_eq!(d["rule"], "syntax-error");
        assert_eq!(d["severity"], "warning");
        assert_eq!(d["message"], "the main message");
        assert_eq!(
            d["range"],
            serde_json::json!({"start": {"line": 3, "column": 12}, "end": {"line": 3, "column": 22}})
        );
        assert_eq!(d["fix"]["applicability"], "unsafe");
        assert_eq!(d["fix"]["title"], "Do it");
        assert_eq!(
            d["fix"]["edits"][0],
            serde_json::json!({"range": {"start": {"line": 2, "column": 1}, "end": {"line": 2, "column": 5}}, "content": "ADD"})
        );
        assert_eq!(d["related"][1]["path"], "app/entry.sh");
        assert_eq!(
            d["related"][1]["range"]["start"],
            serde_json::json!({"line": 2, "column": 1})
        );
        assert_eq!(d["related"][1]["message"], "the script execs");
    }
}
