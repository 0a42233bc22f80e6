//! Acceptance tests for dockside as a whole (see `tests/`): what a user sees
//! on their own examples, on the examples this repository ships, and on the
//! real-world corpus. Shared helpers live here.

use std::path::{Path, PathBuf};

use dockside_linter::{LintOptions, LintResult, config_for, is_dockerfile_name, lint_bytes};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the repository")
        .to_path_buf()
}

/// `../shared` next to the repository, when present (users do not have it).
pub fn shared(sub: &str) -> Option<PathBuf> {
    let dir = repo_root().join("../shared").join(sub);
    dir.is_dir().then_some(dir)
}

/// Lints one file as `dockside check` would (configuration found upward).
pub fn lint(path: &Path) -> LintResult {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let config = config_for(path).unwrap_or_else(|e| panic!("{e}"));
    lint_bytes(path, &bytes, &config, &LintOptions::default())
}

/// Dockerfiles under a folder (by name), sorted.
pub fn dockerfiles(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() && !p.is_symlink() {
                stack.push(p);
            } else if is_dockerfile_name(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `(file relative to root, 1-based line, rule name)` of every finding.
pub fn findings(result: &LintResult, root: &Path) -> Vec<(String, usize, String)> {
    result
        .diagnostics
        .iter()
        .map(|d| {
            let file = result.file(d.file);
            let rel = file
                .path
                .strip_prefix(root)
                .unwrap_or(&file.path)
                .display()
                .to_string();
            (
                rel,
                file.position(d.range.start).line as usize + 1,
                d.rule.name.to_string(),
            )
        })
        .collect()
}
