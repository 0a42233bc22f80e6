//! What the fuzz targets share: the configuration that enables every rule, a build
//! context that exists only in memory, and the invariants every lint result must keep.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use dockside_linter::{Config, LintResult, all_rules};

/// The folder every fuzzed file pretends to live in. It does not exist, so the only files
/// the linter can see are the ones the targets put in the overlay.
pub const ROOT: &str = "/dockside-fuzz-nonexistent";

pub fn root() -> PathBuf {
    PathBuf::from(ROOT)
}

/// The default configuration with every opt-in rule enabled as well.
pub fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let mut config = Config::default_for(root());
        config.extend_select = all_rules()
            .iter()
            .map(|r| r.meta())
            .filter(|m| m.opt_in)
            .map(|m| m.name)
            .collect();
        config
    })
}

/// Files that exist only in memory (an editor's unsaved buffers, for the linter).
pub fn overlay(files: &[(&str, &str)]) -> Arc<HashMap<PathBuf, String>> {
    Arc::new(
        files
            .iter()
            .map(|(name, text)| (root().join(name), text.to_string()))
            .collect(),
    )
}

/// Splits `data` at NUL bytes (never valid in the files the targets build) into at most
/// `n` parts, as text.
pub fn split_text(data: &[u8], n: usize) -> Vec<String> {
    data.splitn(n, |&b| b == 0)
        .map(|part| String::from_utf8_lossy(part).into_owned())
        .collect()
}

/// What every lint result must satisfy: findings point into the files of the result, on
/// character boundaries, with well-formed ranges; a fix's edits are applicable to the file
/// the finding is in (the fixer drops out-of-range edits silently, so the user would see a
/// fix offered that does nothing).
pub fn check_result(result: &LintResult) {
    for d in &result.diagnostics {
        let file = result
            .files
            .get(d.file.0 as usize)
            .unwrap_or_else(|| panic!("{}: file {} not in the result", d.rule.name, d.file.0));
        check_range(&file.text, d.range, d.rule.name, "range");
        let _ = file.position(d.range.start);
        let _ = file.position(d.range.end);
        for related in &d.related {
            let other = result
                .files
                .get(related.file.0 as usize)
                .unwrap_or_else(|| {
                    panic!(
                        "{}: related file {} not in the result",
                        d.rule.name, related.file.0
                    )
                });
            check_range(&other.text, related.range, d.rule.name, "related range");
        }
        if let Some(fix) = &d.fix {
            for edit in &fix.edits {
                check_range(&file.text, edit.range, d.rule.name, "fix edit");
            }
        }
    }
}

fn check_range(text: &str, range: dockside_syntax::TextRange, rule: &str, what: &str) {
    let (start, end) = (range.start as usize, range.end as usize);
    assert!(start <= end, "{rule}: {what} {start}..{end} is reversed");
    assert!(
        end <= text.len(),
        "{rule}: {what} {start}..{end} ends past the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{rule}: {what} {start}..{end} splits a character in {:?}",
        &text[text.floor_char_boundary(start.saturating_sub(4))
            ..text.ceil_char_boundary((end + 4).min(text.len()))]
    );
}

/// The path of a file named `name` in [`ROOT`].
pub fn path(name: &str) -> PathBuf {
    Path::new(ROOT).join(name)
}
