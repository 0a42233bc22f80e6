//! The pipeline: source → syntax → semantic model → rules → diagnostics.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dockside_config::Config;
use dockside_context::{BuildContext, ContextPool, Overlay};
use dockside_semantic::Model;
pub use dockside_syntax::text::decode;
use dockside_syntax::{Dockerfile, TextRange};

use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, FileId, SourceFile};
use crate::registry::all_rules;
use crate::rules::syntax::syntax_error::SyntaxError;
use crate::suppression;

/// Everything found in one linted file.
#[derive(Clone, Debug)]
pub struct LintResult {
    /// `files[0]` is the linted file; others are files diagnostics point into.
    pub files: Vec<SourceFile>,
    /// Sorted by file, then position.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings silenced by a suppression comment (`# dockside ignore=…`,
    /// `# hadolint ignore=…`), sorted like `diagnostics`. They are not reported;
    /// they are kept for formats that record suppressions (SARIF).
    pub suppressed: Vec<Suppressed>,
}

/// A finding silenced by a suppression comment.
#[derive(Clone, Debug)]
pub struct Suppressed {
    pub diagnostic: Diagnostic,
    /// The comment's reason, the text after `--` (`None` when it gives none).
    pub reason: Option<String>,
}

impl LintResult {
    pub fn main(&self) -> &SourceFile {
        &self.files[0]
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
}

/// Where the build context is and which editor buffers override disk.
#[derive(Clone, Default)]
pub struct LintOptions {
    /// The build context folder; defaults to the Dockerfile's folder.
    pub context_root: Option<PathBuf>,
    pub overlay: Option<Arc<dyn Overlay>>,
    /// Build arguments given from outside (a Compose service's `build.args`): they
    /// override the ARG defaults of the Dockerfile.
    pub build_args: Vec<(String, String)>,
    /// Build contexts shared with the other Dockerfiles of a batch run (not used
    /// with an overlay: editor buffers change between runs).
    pub contexts: Option<Arc<ContextPool>>,
}

/// Lints Dockerfile bytes: decoding problems (binary data, invalid UTF-8) are
/// reported as `syntax-error` diagnostics with their position.
pub fn lint_bytes(path: &Path, bytes: &[u8], config: &Config, options: &LintOptions) -> LintResult {
    match decode(bytes, "a Dockerfile") {
        Ok(text) => lint_dockerfile(path, &text, config, options),
        Err((offset, message)) => {
            let lossy = String::from_utf8_lossy(bytes).replace('\0', "\u{FFFD}");
            let file = SourceFile::new(path.to_path_buf(), lossy.as_str());
            let at = lossy
                .char_indices()
                .nth(offset_in_chars(bytes, offset))
                .map_or(lossy.len(), |(i, _)| i);
            let end = lossy[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            let diagnostics = if config.is_enabled(SyntaxError::META.name, true, path) {
                vec![Diagnostic {
                    rule: &SyntaxError::META,
                    severity: config
                        .severity_override(SyntaxError::META.name)
                        .unwrap_or(SyntaxError::META.severity),
                    message,
                    file: FileId::MAIN,
                    range: TextRange::new(at, end),
                    related: Vec::new(),
                    fix: None,
                    tags: Vec::new(),
                }]
            } else {
                Vec::new()
            };
            LintResult {
                files: vec![file],
                diagnostics,
                suppressed: Vec::new(),
            }
        }
    }
}

fn offset_in_chars(bytes: &[u8], offset: usize) -> usize {
    String::from_utf8_lossy(&bytes[..offset.min(bytes.len())])
        .chars()
        .count()
}

/// Lints a Dockerfile's text.
pub fn lint_dockerfile(
    path: &Path,
    source: &str,
    config: &Config,
    options: &LintOptions,
) -> LintResult {
    let dockerfile = dockside_syntax::parse(source);
    let model = crate::build_model(&dockerfile, &options.build_args, config);
    lint_parsed(path, source, &dockerfile, &model, config, options)
}

/// Lints a Dockerfile already parsed, with its model built with `options.build_args`
/// (an editor keeps them; parsing and building them again would double time and memory).
pub fn lint_parsed(
    path: &Path,
    source: &str,
    dockerfile: &Dockerfile,
    model: &Model,
    config: &Config,
    options: &LintOptions,
) -> LintResult {
    let root = options.context_root.clone().unwrap_or_else(|| {
        path.parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    });
    let root = if root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        root
    };
    let context = match (&options.overlay, &options.contexts) {
        (Some(overlay), _) => {
            Arc::new(BuildContext::new(root, Some(path)).with_overlay(overlay.clone()))
        }
        (None, Some(pool)) => pool.get(root, Some(path)),
        (None, None) => Arc::new(BuildContext::new(root, Some(path))),
    };
    let main = SourceFile::with_line_index(
        path.to_path_buf(),
        source,
        Arc::clone(&dockerfile.line_index),
    );
    let line_index = Arc::clone(&main.line_index);
    let checker = Checker::new(
        path,
        source,
        &line_index,
        dockerfile,
        model,
        &context,
        config,
        main,
    );

    for rule in all_rules() {
        let meta = rule.meta();
        if !config.is_enabled(meta.name, !meta.opt_in, path) {
            continue;
        }
        checker.start_rule(Some(meta));
        rule.check(&checker);
    }
    checker.start_rule(None);

    let files = checker.files.into_inner();
    let mut diagnostics = checker.findings.into_diagnostics();
    let suppressed = suppression::apply(dockerfile, source, &files, &mut diagnostics, config, path);
    finish(files, diagnostics, suppressed, config)
}

/// Severity overrides, then diagnostics (reported and suppressed) sorted by file and
/// position, duplicates dropped.
pub(crate) fn finish(
    files: Vec<SourceFile>,
    mut diagnostics: Vec<Diagnostic>,
    mut suppressed: Vec<Suppressed>,
    config: &Config,
) -> LintResult {
    for d in diagnostics
        .iter_mut()
        .chain(suppressed.iter_mut().map(|s| &mut s.diagnostic))
    {
        if let Some(s) = config.severity_override(d.rule.name) {
            d.severity = s;
        }
    }
    diagnostics.sort_by(order);
    diagnostics.dedup_by(|a, b| same(a, b));
    suppressed.sort_by(|a, b| order(&a.diagnostic, &b.diagnostic));
    suppressed.dedup_by(|a, b| same(&a.diagnostic, &b.diagnostic));
    LintResult {
        files,
        diagnostics,
        suppressed,
    }
}

fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (a.file, a.range.start, a.range.end, a.rule.code).cmp(&(
        b.file,
        b.range.start,
        b.range.end,
        b.rule.code,
    ))
}

fn same(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.file == b.file && a.range == b.range && a.rule.code == b.rule.code && a.message == b.message
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn suppressed_findings_are_kept_with_their_reason() {
        let source = "FROM alpine:3.20\n\
                      # dockside ignore=shell-form-entrypoint -- tini is PID 1\n\
                      CMD node a.js\n\
                      # hadolint ignore=DL3025\n\
                      ENTRYPOINT node b.js\n";
        let config = Config::default_for(PathBuf::from("."));
        let result = lint_dockerfile(
            Path::new("Dockerfile"),
            source,
            &config,
            &LintOptions::default(),
        );
        let reported: Vec<&str> = result.diagnostics.iter().map(|d| d.rule.name).collect();
        assert!(!reported.contains(&"shell-form-entrypoint"), "{reported:?}");
        let suppressed: Vec<(&str, u32, Option<&str>)> = result
            .suppressed
            .iter()
            .map(|s| {
                let line = result.main().position(s.diagnostic.range.start).line + 1;
                (s.diagnostic.rule.name, line, s.reason.as_deref())
            })
            .collect();
        assert_eq!(
            suppressed,
            [
                ("shell-form-entrypoint", 3, Some("tini is PID 1")),
                ("shell-form-entrypoint", 5, None),
            ]
        );
    }
}
