//! Helpers shared by the integration tests.

use std::path::Path;

use dockside_linter::{Config, LintOptions, lint_dockerfile};

/// Each finding of `source` (linted as `/nonexistent/Dockerfile`): rule name, 1-based line, message.
pub fn findings(source: &str, config: &Config) -> Vec<(String, usize, String)> {
    let result = lint_dockerfile(
        Path::new("/nonexistent/Dockerfile"),
        source,
        config,
        &LintOptions::default(),
    );
    result
        .diagnostics
        .iter()
        .map(|d| {
            let line = result.main().position(d.range.start).line as usize + 1;
            (d.rule.name.to_string(), line, d.message.clone())
        })
        .collect()
}
