//! The Compose pipeline: project → rules → suppression → sorted diagnostics.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use dockside_compose::{LoadOptions, Project, load_project};
use dockside_config::Config;
use dockside_context::Overlay;

use super::ComposeChecker;
use super::suppression;
use crate::diagnostic::FileId;
use crate::fix::apply_fixes_in;
use crate::lint::{LintOptions, LintResult, finish};
use crate::registry::all_rules;

/// Lints a loaded project. `files[i]` of the result is `project.files[i]` (then any
/// Dockerfile the cross-checks read); an empty project gives an empty result.
pub fn lint_compose(project: &Project, config: &Config, options: &LintOptions) -> LintResult {
    let checker = ComposeChecker::new(project, config, options);
    let main_path = project
        .files
        .first()
        .map(|f| f.path.clone())
        .unwrap_or_default();
    if project.files.is_empty() {
        return LintResult {
            files: Vec::new(),
            diagnostics: Vec::new(),
            suppressed: Vec::new(),
        };
    }
    for rule in all_rules() {
        let meta = rule.meta();
        if !config.is_enabled(meta.name, !meta.opt_in, &main_path) {
            continue;
        }
        checker.findings.start_rule(Some(meta));
        rule.check_compose(&checker);
    }
    checker.findings.start_rule(None);

    let files = checker.files.into_inner();
    let mut diagnostics = checker.findings.into_diagnostics();
    // Per-file ignores (`[per-file-ignores]`) apply to the file a finding is in.
    diagnostics.retain(|d| {
        let path = &files[d.file.0 as usize].path;
        config.is_enabled(d.rule.name, true, path) || d.file == FileId::MAIN
    });
    let suppressed = suppression::apply(project, &files, &mut diagnostics, config);
    finish(files, diagnostics, suppressed, config)
}

/// The outcome of fixing a project.
pub struct ComposeFixOutcome {
    /// Files whose text changed: path, text as read, fixed text.
    pub changed: Vec<(PathBuf, Arc<str>, String)>,
    pub applied: usize,
    /// The project as fixed, and what remains in it.
    pub project: Project,
    pub remaining: LintResult,
    /// Set when a pass was rolled back because its result would not load as well as before.
    pub rejected: Option<String>,
}

const MAX_PASSES: usize = 8;

struct Buffers(HashMap<PathBuf, String>, Option<Arc<dyn Overlay>>);

impl Overlay for Buffers {
    fn read(&self, path: &std::path::Path) -> Option<String> {
        self.0
            .get(path)
            .cloned()
            .or_else(|| self.1.as_ref().and_then(|o| o.read(path)))
    }
}

/// Loads, lints and fixes a project until no applicable fix remains. Nothing is written:
/// the caller writes [`ComposeFixOutcome::changed`]. A pass whose result has more YAML
/// errors than before is rolled back.
pub fn fix_compose(
    load: &LoadOptions,
    config: &Config,
    options: &LintOptions,
    include_unsafe: bool,
) -> ComposeFixOutcome {
    let mut project = load_project(load);
    let mut result = lint_compose(&project, config, options);
    let originals: Vec<(PathBuf, Arc<str>)> = project
        .files
        .iter()
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect();
    let mut buffers: HashMap<PathBuf, String> = HashMap::new();
    let mut applied = 0;
    let mut rejected = None;
    for _ in 0..MAX_PASSES {
        let mut next = buffers.clone();
        let mut n = 0;
        for (i, file) in project.files.iter().enumerate() {
            let (fixed, count) = apply_fixes_in(
                &file.text,
                FileId(i as u32),
                &result.diagnostics,
                include_unsafe,
            );
            if count > 0 && fixed != *file.text {
                let before = dockside_compose::yaml::load(&file.text).errors.len();
                let after = dockside_compose::yaml::load(&fixed).errors.len();
                if after > before {
                    rejected = Some(format!(
                        "fixes to {} were not applied: the result would have {after} YAML error(s) instead of {before}",
                        file.path.display()
                    ));
                    continue;
                }
                next.insert(file.path.clone(), fixed);
                n += count;
            }
        }
        if n == 0 {
            break;
        }
        buffers = next;
        applied += n;
        let mut load = load.clone();
        load.overlay = Some(Arc::new(Buffers(buffers.clone(), load.overlay.clone())));
        project = load_project(&load);
        let mut options = options.clone();
        options.overlay = load.overlay.clone();
        result = lint_compose(&project, config, &options);
    }
    let changed = originals
        .into_iter()
        .filter_map(|(path, text)| {
            let fixed = buffers.get(&path)?;
            (fixed.as_str() != &*text).then(|| (path, text, fixed.clone()))
        })
        .collect();
    ComposeFixOutcome {
        changed,
        applied,
        project,
        remaining: result,
        rejected,
    }
}
