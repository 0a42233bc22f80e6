//! `dockside check`: find the files, load their configuration, lint (or fix)
//! them in parallel and hand the results to a printer. No analysis happens
//! here; everything is delegated to `dockside_linter`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use dockside_config::{Overrides, RuleCatalog, RuleSelector};
use dockside_context::ContextPool;
use dockside_linter::{Catalog, Config, ConfigError, FailLevel, LintOptions, LintResult, Severity};
use rayon::prelude::*;

use crate::ExitStatus;
use crate::args::{CheckArgs, ColorChoice, OutputFormat};
use crate::compose_projects;
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
    by_dir: Mutex<foldhash::HashMap<PathBuf, Result<Arc<Config>, ConfigError>>>,
    finder: dockside_config::ConfigFinder,
}

impl Configs {
    /// Warnings of the configurations loaded (each configuration once).
    fn warnings(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .explicit
            .iter()
            .flat_map(|c| c.warnings.iter().map(ToString::to_string))
            .collect();
        let by_dir = self.by_dir.lock().unwrap_or_else(|e| e.into_inner());
        let mut seen = HashSet::new();
        for config in by_dir.values().flatten() {
            if seen.insert(Arc::as_ptr(config)) || config.path.is_none() {
                out.extend(config.warnings.iter().map(ToString::to_string));
            }
        }
        out.sort();
        out.dedup();
        out
    }

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
        let loaded = dockside_linter::config_found_by(path, &self.finder).map(|mut config| {
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

/// The fail level for a file: the command line, else its configuration, else `warning`.
fn fail_level_for(cx: &Context, config: &Config) -> FailLevel {
    cx.args
        .fail_level
        .map(FailLevel::from)
        .or(config.fail_level)
        .unwrap_or(FailLevel::Level(Severity::Warning))
}

struct Context<'a> {
    args: &'a CheckArgs,
    mode: Mode,
    configs: Configs,
    /// Dockerfiles in the same folder share its listing and secret search.
    contexts: Arc<ContextPool>,
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
            finder: dockside_config::ConfigFinder::default(),
        },
        contexts: Arc::default(),
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
    // `-f` alone lints that project (and what it builds), like `docker compose -f`.
    let paths = if args.paths.is_empty() && !args.compose.compose_files.is_empty() {
        &[][..]
    } else {
        paths
    };
    let mut discovered = discover::discover(paths, &filters);
    let mut errors = std::mem::take(&mut discovered.errors);
    // Compose files named on the command line are read by the project loader, which
    // reports an unreadable file as a finding; here, as for Dockerfiles, it is an error.
    discovered
        .compose
        .retain(|path| match source_problem(path) {
            Some(problem) => {
                errors.push(format!("{}: {problem}", path.display()));
                false
            }
            None => true,
        });

    // Like `docker compose -f`, a missing or unreadable file stops its project.
    let compose_errors: Vec<String> = args
        .compose
        .compose_files
        .iter()
        .filter_map(|path| {
            source_problem(path).map(|problem| format!("{}: {problem}", path.display()))
        })
        .collect();
    let compose_args = if compose_errors.is_empty() {
        args.compose.clone()
    } else {
        errors.extend(compose_errors);
        crate::args::ComposeProjectArgs {
            compose_files: Vec::new(),
            ..args.compose.clone()
        }
    };
    let projects = compose_projects::plan(&discovered.compose, &compose_args);
    let mut builds = compose_projects::dockerfile_builds(&projects);
    let mut dockerfiles: Vec<(PathBuf, LintOptions)> = discovered
        .files
        .iter()
        .map(|path| {
            // Canonicalising costs a syscall per path component: only when needed.
            let options = if builds.is_empty() {
                LintOptions::default()
            } else {
                builds
                    .remove(&compose_projects::canonical(path))
                    .map(|(_, options)| options)
                    .unwrap_or_default()
            };
            (path.clone(), options)
        })
        .collect();
    let mut built: Vec<(PathBuf, LintOptions)> = builds.into_values().collect();
    built.sort_by(|a, b| a.0.cmp(&b.0));
    dockerfiles.extend(built);

    let mut processed = Vec::new();
    if discovered.stdin {
        processed.push(process_stdin(&cx));
    }
    // One file (a pre-commit hook, an editor save) is linted on this thread:
    // starting the thread pool would cost more than the lint.
    if dockerfiles.len() + projects.len() == 1 {
        processed.extend(
            dockerfiles
                .iter()
                .map(|(path, options)| process_file(&cx, path, options)),
        );
        processed.extend(projects.iter().map(|p| process_project(&cx, p)));
    } else {
        processed.par_extend(
            dockerfiles
                .par_iter()
                .map(|(path, options)| process_file(&cx, path, options)),
        );
        processed.par_extend(projects.par_iter().map(|p| process_project(&cx, p)));
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
    crate::discover::sort_by_path(&mut reports, |r| &r.result.main().path);
    // Only a Compose project's report can repeat another report's file.
    if !projects.is_empty() {
        dedupe_across_reports(&mut reports);
    }
    let had_errors = !errors.is_empty() || !config_errors.is_empty();
    for e in config_errors.iter().chain(&errors) {
        eprintln!("error: {e}");
    }
    for w in cx.configs.warnings().iter().chain(&warnings) {
        eprintln!("warning: {w}");
    }
    if reports.is_empty() && !had_errors && !args.quiet {
        eprintln!(
            "warning: no Dockerfiles or Compose files found (searched: {})",
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
    // The process ends next: freeing every report, model and context one by one
    // would only delay the exit.
    std::mem::forget(reports);
    std::mem::forget(diffs);
    std::mem::forget(cx);
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
    if discover::is_compose_input(&name) {
        return process_compose_stdin(cx, &name, bytes);
    }
    process(cx, &name, bytes, true, &LintOptions::default())
}

fn process_file(cx: &Context, path: &Path, options: &LintOptions) -> Processed {
    match read_source(path) {
        Ok(bytes) => process(cx, path, bytes, false, options),
        Err(message) => Processed {
            errors: vec![format!("{}: {message}", path.display())],
            ..Default::default()
        },
    }
}

/// The largest file linted (the Compose loader has the same limit).
const MAX_SOURCE_BYTES: u64 = 32 * 1024 * 1024;

/// Why a named file cannot be linted: missing, a folder, not a regular file (reading a
/// FIFO would block, `/dev/zero` would never end) or too large.
fn source_problem(path: &Path) -> Option<String> {
    lintable_metadata(path).err()
}

/// The metadata of a file that can be linted, else why it cannot (see [`source_problem`]).
fn lintable_metadata(path: &Path) -> Result<std::fs::Metadata, String> {
    match std::fs::metadata(path) {
        Err(e) => Err(io_message(&e)),
        Ok(meta) if meta.is_dir() => Err("is a directory".into()),
        Ok(meta) if !meta.is_file() => Err(
            "not a regular file (a FIFO, socket or device); pipe it to `dockside check -`".into(),
        ),
        Ok(meta) if meta.len() > MAX_SOURCE_BYTES => Err("file larger than 32 MB".into()),
        Ok(meta) => Ok(meta),
    }
}

/// Reads a file to lint, at most [`MAX_SOURCE_BYTES`] (it may grow after the check).
fn read_source(path: &Path) -> Result<Vec<u8>, String> {
    let meta = lintable_metadata(path)?;
    // Sized from the metadata: one read for the content, one to see the end.
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| io_message(&e))?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err("file larger than 32 MB".into());
    }
    Ok(bytes)
}

fn process(
    cx: &Context,
    path: &Path,
    bytes: Vec<u8>,
    is_stdin: bool,
    options: &LintOptions,
) -> Processed {
    let mut out = Processed::default();
    let config = match cx.configs.for_file(path) {
        Ok(config) => config,
        Err(e) => {
            out.config_error = Some(e.to_string());
            return out;
        }
    };
    let fail_level = fail_level_for(cx, &config);
    let mut options = options.clone();
    if options.contexts.is_none() {
        options.contexts = Some(Arc::clone(&cx.contexts));
    }
    let report = |result: LintResult, fixed: usize| {
        Some(FileReport {
            result,
            fail_level,
            fixed,
        })
    };

    let text = match cx.mode {
        Mode::Fix | Mode::Diff => dockside_linter::decode(&bytes, "a Dockerfile").ok(),
        Mode::Check => None,
    };
    let text = match text {
        Some(text) => text,
        None => {
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

/// Lints (or fixes) one Compose project. Its report's main file is the project's first
/// Compose file; findings in its other files (overrides, `.env`, included files) are in
/// the same report.
fn process_project(cx: &Context, planned: &compose_projects::Planned) -> Processed {
    let mut out = Processed::default();
    let Some(main) = planned.project.files.first() else {
        return out;
    };
    let config = match cx.configs.for_file(&main.path) {
        Ok(config) => config,
        Err(e) => {
            out.config_error = Some(e.to_string());
            return out;
        }
    };
    let fail_level = fail_level_for(cx, &config);
    let options = LintOptions::default();
    if cx.mode == Mode::Check {
        out.report = Some(FileReport {
            result: dockside_linter::lint_compose(&planned.project, &config, &options),
            fail_level,
            fixed: 0,
        });
        return out;
    }
    let outcome =
        dockside_linter::fix_compose(&planned.load, &config, &options, cx.args.unsafe_fixes);
    if let Some(rejected) = &outcome.rejected {
        out.warnings.push(rejected.clone());
    }
    let mut written = 0;
    let mut diffs = String::new();
    for (path, original, fixed) in &outcome.changed {
        let fixed = preserve_line_endings(original, fixed);
        match cx.mode {
            Mode::Diff => {
                let name = path.display().to_string();
                diffs.push_str(
                    &similar::TextDiff::from_lines(&**original, &*fixed)
                        .unified_diff()
                        .context_radius(3)
                        .header(&name, &name)
                        .missing_newline_hint(true)
                        .to_string(),
                );
            }
            _ => match write_compose_fix(path, original, &fixed) {
                Ok(()) => written += 1,
                Err(e) => out.errors.push(format!(
                    "{}: cannot write fixes: {}",
                    path.display(),
                    io_message(&e)
                )),
            },
        }
    }
    if !diffs.is_empty() {
        out.diff = Some(diffs);
    }
    let all_written = cx.mode == Mode::Diff || written == outcome.changed.len();
    let result = if cx.mode == Mode::Fix && !all_written {
        // Some files could not be written: report what is on disk.
        dockside_linter::lint_compose(
            &dockside_compose::load_project(&planned.load),
            &config,
            &options,
        )
    } else {
        outcome.remaining
    };
    out.report = Some(FileReport {
        result,
        fail_level,
        fixed: if all_written { outcome.applied } else { 0 },
    });
    out
}

/// Writes a fixed Compose file atomically, keeping its BOM, unless it changed on disk
/// since it was loaded.
fn write_compose_fix(path: &Path, original: &str, fixed: &str) -> io::Result<()> {
    let current = std::fs::read(path)?;
    let bom = current.starts_with(BOM.as_bytes());
    let body = if bom {
        &current[BOM.len()..]
    } else {
        &current[..]
    };
    if body != original.as_bytes() {
        return Err(io::Error::other(
            "the file changed on disk since it was read; not writing fixes",
        ));
    }
    let text = format!("{}{fixed}", if bom { BOM } else { "" });
    write_fixed(path, &current, text.as_bytes()).map(|_| ())
}

/// A Compose file on stdin (`--stdin-filename compose.yaml`): loaded as the project of its
/// folder with the stdin text in place of the file.
fn process_compose_stdin(cx: &Context, name: &Path, bytes: Vec<u8>) -> Processed {
    let mut out = Processed::default();
    let text = match dockside_linter::decode(&bytes, "a Compose file") {
        Ok(text) => text,
        Err((_, message)) => {
            out.errors.push(format!("{}: {message}", name.display()));
            return out;
        }
    };
    let absolute = std::path::absolute(name).unwrap_or_else(|_| name.to_path_buf());
    let mut overlay = HashMap::new();
    overlay.insert(absolute.clone(), text.clone());
    overlay.insert(name.to_path_buf(), text.clone());
    let load = dockside_compose::LoadOptions {
        files: vec![name.to_path_buf()],
        dir: name.parent().map(Path::to_path_buf).unwrap_or_default(),
        env_files: cx.args.compose.env_file.clone(),
        profiles: cx.args.compose.profile.clone(),
        environment: std::env::vars().collect(),
        overlay: Some(Arc::new(overlay)),
        ..Default::default()
    };
    let planned = compose_projects::Planned {
        project: dockside_compose::load_project(&load),
        load,
    };
    if cx.mode == Mode::Fix {
        // With --fix on stdin, stdout carries the fixed file.
        let config = match cx.configs.for_file(name) {
            Ok(config) => config,
            Err(e) => {
                out.config_error = Some(e.to_string());
                return out;
            }
        };
        let outcome = dockside_linter::fix_compose(
            &planned.load,
            &config,
            &LintOptions::default(),
            cx.args.unsafe_fixes,
        );
        let fixed = outcome
            .changed
            .iter()
            .find(|(p, _, _)| p == name || *p == absolute)
            .map_or_else(|| text.clone(), |(_, _, f)| f.clone());
        out.fixed_text = Some(fixed.into_bytes());
        let fail_level = fail_level_for(cx, &config);
        out.report = Some(FileReport {
            result: outcome.remaining,
            fail_level,
            fixed: outcome.applied,
        });
        return out;
    }
    process_project(cx, &planned)
}

/// Drops findings already reported by an earlier report (a Compose file shared by two
/// projects, such as the default file under `docker-compose.prod.yml`).
fn dedupe_across_reports(reports: &mut [FileReport]) {
    let mut seen = HashSet::new();
    for report in reports.iter_mut() {
        let mut paths: Vec<Option<PathBuf>> = vec![None; report.result.files.len()];
        let files = &report.result.files;
        report.result.diagnostics.retain(|d| {
            let index = d.file.0 as usize;
            let path = paths[index]
                .get_or_insert_with(|| compose_projects::canonical(&files[index].path))
                .clone();
            seen.insert((
                path,
                d.range.start,
                d.range.end,
                d.rule.code,
                d.message.clone(),
            ))
        });
    }
}
