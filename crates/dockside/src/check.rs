//! `dockside check`: find the files, load their configuration, lint (or fix)
//! them in parallel and hand the results to a printer. No analysis happens
//! here; everything is delegated to `dockside_linter`.

use std::collections::{BTreeSet, HashMap};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use dockside_config::{Overrides, RuleCatalog, RuleSelector};
use dockside_linter::{Catalog, Config, ConfigError, FailLevel, LintOptions, LintResult, Severity};
use rayon::prelude::*;

use crate::ExitStatus;
use crate::args::{CheckArgs, ColorChoice, OutputFormat};
use crate::discover::{self, Filters, io_message};
use crate::fix_write::{preserve_line_endings, write_fixed};
use crate::printer::{self, FileReport, PrintOptions, Report};

const BOM: &str = "\u{FEFF}";

/// What to do with fixes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Check,
    Fix,
    Diff,
}

/// `--select` / `--ignore`, resolved to canonical rule names.
/// `--select` / `--ignore`, resolved.
fn parse_overrides(select: &[String], ignore: &[String]) -> Result<Overrides, String> {
    let select = if select.is_empty() {
        None
    } else {
        Some(resolve_all(select, "--select")?)
    };
    Ok(Overrides {
        select,
        ignore: resolve_all(ignore, "--ignore")?,
        ..Overrides::default()
    })
}

fn resolve_all(ids: &[String], flag: &str) -> Result<Vec<&'static str>, String> {
    let mut out = Vec::new();
    for id in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let names = match dockside_config::resolve_rule(id, &Catalog)
            .map_err(|e| format!("{flag}: {e}"))?
        {
            RuleSelector::All => Catalog.names(),
            RuleSelector::Rule(name) => vec![name],
        };
        for name in names {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    Ok(out)
}

/// Configurations by folder, loaded once (`--config` short-circuits the search).
struct Configs {
    explicit: Option<Arc<Config>>,
    overrides: Overrides,
    by_dir: Mutex<HashMap<PathBuf, Result<Arc<Config>, ConfigError>>>,
}

impl Configs {
    fn for_file(&self, path: &Path) -> Result<Arc<Config>, ConfigError> {
        if let Some(config) = &self.explicit {
            return Ok(config.clone());
        }
        let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
        if let Some(found) = self
            .by_dir
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&dir)
        {
            return found.clone();
        }
        let loaded = dockside_linter::config_for(path).map(|mut config| {
            self.overrides.apply(&mut config);
            Arc::new(config)
        });
        self.by_dir
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir, loaded.clone());
        loaded
    }
}

/// The result of processing one input.
#[derive(Default)]
struct Processed {
    report: Option<FileReport>,
    diff: Option<String>,
    /// Set for stdin with `--fix`: the (possibly) fixed text, printed to stdout.
    fixed_text: Option<Vec<u8>>,
    errors: Vec<String>,
    config_error: Option<String>,
    warnings: Vec<String>,
}

struct Context<'a> {
    args: &'a CheckArgs,
    mode: Mode,
    configs: Configs,
}

/// Runs `dockside check`.
pub fn run(args: &CheckArgs) -> ExitStatus {
    let usage_error = |message: &str| {
        eprintln!("error: {message}");
        ExitStatus::Error
    };
    let filters = match Filters::new(&args.include, &args.exclude) {
        Ok(f) => f,
        Err(e) => return usage_error(&e),
    };
    let overrides = match parse_overrides(&args.select, &args.ignore) {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    let explicit = match &args.config {
        None => None,
        Some(path) => match dockside_config::load(path, &Catalog) {
            Ok(mut config) => {
                overrides.apply(&mut config);
                Some(Arc::new(config))
            }
            Err(e) => return usage_error(&e.to_string()),
        },
    };
    if args.unsafe_fixes && !args.fix && !args.diff {
        eprintln!("warning: --unsafe-fixes has no effect without --fix or --diff");
    }
    let mode = if args.diff {
        Mode::Diff
    } else if args.fix {
        Mode::Fix
    } else {
        Mode::Check
    };
    let cx = Context {
        args,
        mode,
        configs: Configs {
            explicit,
            overrides,
            by_dir: Mutex::default(),
        },
    };

    let default_path = [PathBuf::from(if args.stdin_filename.is_some() {
        "-"
    } else {
        "."
    })];
    let paths = if args.paths.is_empty() {
        &default_path[..]
    } else {
        &args.paths[..]
    };
    let discovered = discover::discover(paths, &filters);
    let mut errors = discovered.errors;

    let mut processed = Vec::new();
    if discovered.stdin {
        processed.push(process_stdin(&cx));
    }
    // One file (a pre-commit hook, an editor save) is linted on this thread:
    // starting the thread pool would cost more than the lint.
    if discovered.files.len() == 1 {
        processed.push(process_file(&cx, &discovered.files[0]));
    } else {
        processed.par_extend(
            discovered
                .files
                .par_iter()
                .map(|path| process_file(&cx, path)),
        );
    }

    let mut config_errors = BTreeSet::new();
    let mut warnings = Vec::new();
    let mut reports = Vec::new();
    let mut diffs = Vec::new();
    let mut fixed_text = None;
    for p in processed {
        errors.extend(p.errors);
        config_errors.extend(p.config_error);
        warnings.extend(p.warnings);
        diffs.extend(p.diff);
        if p.fixed_text.is_some() {
            fixed_text = p.fixed_text;
        }
        reports.extend(p.report);
    }
    let had_errors = !errors.is_empty() || !config_errors.is_empty();
    for e in config_errors.iter().chain(&errors) {
        eprintln!("error: {e}");
    }
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    if reports.is_empty() && !had_errors && !args.quiet {
        eprintln!(
            "warning: no Dockerfiles found (searched: {})",
            display_list(paths)
        );
    }

    // Nothing was checked because of errors: a human summary would only say "no problems".
    let nothing_to_say = had_errors && reports.is_empty() && args.format == OutputFormat::Human;
    let findings_status = match mode {
        _ if nothing_to_say => Ok(ExitStatus::Success),
        Mode::Diff => print_diffs(args, &diffs, &reports),
        Mode::Check | Mode::Fix => print_report(args, &reports, fixed_text),
    };
    let findings_status = match findings_status {
        Ok(status) => status,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitStatus::Success,
        Err(e) => {
            eprintln!("error: cannot write output: {e}");
            ExitStatus::Error
        }
    };
    if had_errors {
        ExitStatus::Error
    } else {
        findings_status
    }
}

fn display_list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_report(
    args: &CheckArgs,
    reports: &[FileReport],
    fixed_text: Option<Vec<u8>>,
) -> io::Result<ExitStatus> {
    let failed = reports.iter().any(|r| {
        r.result
            .diagnostics
            .iter()
            .any(|d| r.fail_level.fails_on(d.severity))
    });
    let report = Report {
        files: reports,
        unsafe_fixes: args.unsafe_fixes,
        fixing: args.fix,
    };
    // With `--fix` on stdin, stdout carries the fixed Dockerfile; diagnostics go to stderr.
    let printed = if let Some(text) = fixed_text {
        let mut stdout = io::stdout().lock();
        stdout.write_all(&text)?;
        stdout.flush()?;
        let options = print_options(args, io::stderr().is_terminal());
        let mut stderr = io::BufWriter::new(io::stderr().lock());
        printer::print(args.format, &options, &report, &mut stderr).and_then(|()| stderr.flush())
    } else {
        let options = print_options(args, io::stdout().is_terminal());
        let mut stdout = io::BufWriter::new(io::stdout().lock());
        printer::print(args.format, &options, &report, &mut stdout).and_then(|()| stdout.flush())
    };
    printed?;
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn print_diffs(
    args: &CheckArgs,
    diffs: &[String],
    reports: &[FileReport],
) -> io::Result<ExitStatus> {
    let mut stdout = io::stdout().lock();
    for diff in diffs {
        stdout.write_all(diff.as_bytes())?;
    }
    stdout.flush()?;
    if !args.quiet {
        let fixes: usize = reports.iter().map(|r| r.fixed).sum();
        if diffs.is_empty() {
            eprintln!(
                "No fixes available in {}.",
                printer::plural(reports.len(), "file", "files")
            );
        } else {
            eprintln!(
                "Would fix {} in {}.",
                printer::plural(fixes, "problem", "problems"),
                printer::plural(diffs.len(), "file", "files")
            );
        }
    }
    Ok(if diffs.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

fn print_options(args: &CheckArgs, is_terminal: bool) -> PrintOptions {
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w: &usize| w >= 40)
        .unwrap_or(120);
    PrintOptions {
        color,
        width,
        quiet: args.quiet,
        statistics: args.statistics,
    }
}

fn process_stdin(cx: &Context) -> Processed {
    let name = cx
        .args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    let mut bytes = Vec::new();
    if let Err(e) = io::stdin().lock().read_to_end(&mut bytes) {
        return Processed {
            errors: vec![format!("-: cannot read stdin: {}", io_message(&e))],
            ..Default::default()
        };
    }
    process(cx, &name, bytes, true)
}

fn process_file(cx: &Context, path: &Path) -> Processed {
    match std::fs::read(path) {
        Ok(bytes) => process(cx, path, bytes, false),
        Err(e) => Processed {
            errors: vec![format!("{}: {}", path.display(), io_message(&e))],
            ..Default::default()
        },
    }
}

fn process(cx: &Context, path: &Path, bytes: Vec<u8>, is_stdin: bool) -> Processed {
    let mut out = Processed::default();
    let config = match cx.configs.for_file(path) {
        Ok(config) => config,
        Err(e) => {
            out.config_error = Some(e.to_string());
            return out;
        }
    };
    let fail_level = cx
        .args
        .fail_level
        .map(FailLevel::from)
        .or(config.fail_level)
        .unwrap_or(FailLevel::Level(Severity::Warning));
    let options = LintOptions::default();
    let report = |result: LintResult, fixed: usize| {
        Some(FileReport {
            result,
            fail_level,
            fixed,
        })
    };

    let text = match (cx.mode, dockside_linter::decode(&bytes)) {
        (Mode::Fix | Mode::Diff, Ok(text)) => text,
        _ => {
            // Checking only, or not text (nothing to fix): report the decoding problem.
            out.report = report(
                dockside_linter::lint_bytes(path, &bytes, &config, &options),
                0,
            );
            if is_stdin && cx.mode == Mode::Fix {
                out.fixed_text = Some(bytes.clone());
            }
            return out;
        }
    };
    let outcome =
        dockside_linter::fix_dockerfile(path, &text, &config, &options, cx.args.unsafe_fixes);
    if let Some(rejected) = &outcome.rejected {
        out.warnings.push(format!("{}: {rejected}", path.display()));
    }
    let fixed = preserve_line_endings(&text, &outcome.text);
    let changed = *fixed != *text;
    let bom = if bytes.starts_with(BOM.as_bytes()) {
        BOM
    } else {
        ""
    };
    match cx.mode {
        Mode::Diff => {
            if changed {
                let name = path.display().to_string();
                let diff = similar::TextDiff::from_lines(text.as_str(), &*fixed);
                out.diff = Some(
                    diff.unified_diff()
                        .context_radius(3)
                        .header(&name, &name)
                        .missing_newline_hint(true)
                        .to_string(),
                );
            }
            out.report = report(outcome.remaining, if changed { outcome.applied } else { 0 });
        }
        Mode::Fix if is_stdin => {
            out.fixed_text = Some(format!("{bom}{fixed}").into_bytes());
            out.report = report(outcome.remaining, if changed { outcome.applied } else { 0 });
        }
        Mode::Fix => {
            if !changed {
                out.report = report(outcome.remaining, 0);
                return out;
            }
            match write_fixed(path, &bytes, format!("{bom}{fixed}").as_bytes()) {
                Ok(_) => out.report = report(outcome.remaining, outcome.applied),
                Err(e) => {
                    out.errors.push(format!(
                        "{}: cannot write fixes: {}",
                        path.display(),
                        io_message(&e)
                    ));
                    out.report = report(
                        dockside_linter::lint_bytes(path, &bytes, &config, &options),
                        0,
                    );
                }
            }
        }
        Mode::Check => unreachable!("handled above"),
    }
    out
}
