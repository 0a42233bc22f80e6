//! Every rule has a fixture folder `resources/fixtures/<rule>/` with `bad*/`
//! and `good*/` sub-folders holding Dockerfiles (and the build-context files
//! they need). Bad files must trigger the rule, good files must not, and the
//! findings (rule, position, message, fixes and the fixed text) must match
//! `expected.txt`. A case folder may hold a `.dockside.toml` (or `.hadolint.yaml`)
//! for rules that depend on settings. Regenerate with `DOCKSIDE_UPDATE_SNAPSHOTS=1` (and
//! `DOCKSIDE_RULE=name` to run one rule).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use dockside_linter::*;

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/fixtures")
}

/// The inputs of a case folder: its Dockerfiles, and the folder itself when it holds a
/// Compose project (loaded like `docker compose` does from that folder).
fn inputs_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    if entries.iter().any(|p| {
        dockside_compose::project::DEFAULT_FILE_NAMES
            .iter()
            .any(|n| p.file_name().is_some_and(|f| f == *n))
    }) {
        out.push(dir.to_path_buf());
    }
    for p in entries {
        if p.is_dir() {
            inputs_under(&p, out);
        } else if is_dockerfile_name(&p) {
            out.push(p);
        }
    }
}

fn cases(rule_dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(rule_dir) else {
        return out;
    };
    let mut dirs: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        if d.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(prefix))
        {
            inputs_under(&d, &mut out);
        }
    }
    out
}

/// The configuration of a fixture: the `.dockside.toml` or `.hadolint.yaml` beside it
/// (for rules that depend on settings), else the defaults.
fn fixture_config(folder: PathBuf) -> Config {
    [".dockside.toml", ".hadolint.yaml"]
        .iter()
        .map(|name| folder.join(name))
        .find(|file| file.is_file())
        .map(|file| {
            config::load(&file, &Catalog)
                .unwrap_or_else(|e| panic!("{}: {}", file.display(), e.message))
        })
        .unwrap_or_else(|| Config::default_for(folder))
}

/// Lints a fixture with its configuration, plus the rule under test when it is
/// off by default.
fn lint_file(path: &Path, rule: &'static RuleMeta) -> LintResult {
    let folder = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().unwrap().to_path_buf()
    };
    let mut config = fixture_config(folder);
    if rule.opt_in {
        config.extend_select.push(rule.name);
    }
    if path.is_dir() {
        let project = dockside_compose::load_project(&dockside_compose::LoadOptions {
            dir: path.to_path_buf(),
            ..Default::default()
        });
        return lint_compose(&project, &config, &LintOptions::default());
    }
    let text = std::fs::read_to_string(path).unwrap();
    lint_dockerfile(path, &text, &config, &LintOptions::default())
}

fn describe(rule: &RuleMeta, root: &Path, result: &LintResult, out: &mut String) -> usize {
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let mine: Vec<&Diagnostic> = result
        .diagnostics
        .iter()
        .filter(|d| d.rule.name == rule.name)
        .collect();
    for d in &mine {
        let file = result.file(d.file);
        let (s, e) = (file.position(d.range.start), file.position(d.range.end));
        let _ = writeln!(
            out,
            "{}:{}:{}-{}:{} {} {}: {}",
            rel(&file.path),
            s.line + 1,
            s.char_col + 1,
            e.line + 1,
            e.char_col + 1,
            d.severity,
            d.rule.code,
            d.message
        );
        for r in &d.related {
            let f = result.file(r.file);
            let p = f.position(r.range.start);
            let _ = writeln!(
                out,
                "    related {}:{}:{}: {}",
                rel(&f.path),
                p.line + 1,
                p.char_col + 1,
                r.message
            );
        }
        if let Some(fix) = &d.fix {
            let _ = writeln!(out, "    fix ({:?}): {}", fix.applicability, fix.title);
        }
    }
    let owned: Vec<Diagnostic> = mine.iter().map(|d| (*d).clone()).collect();
    let mut fixed_files: Vec<FileId> = mine
        .iter()
        .filter(|d| d.fix.is_some())
        .map(|d| d.file)
        .collect();
    fixed_files.sort();
    fixed_files.dedup();
    for id in fixed_files {
        let file = result.file(id);
        let (fixed, _) = apply_fixes_in(&file.text, id, &owned, true);
        let _ = writeln!(
            out,
            "--- {} after fixes ---\n{}--- end ---",
            rel(&file.path),
            fixed
        );
    }
    mine.len()
}

#[test]
fn every_rule_matches_its_fixtures() {
    let root = fixture_root();
    let update = std::env::var_os("DOCKSIDE_UPDATE_SNAPSHOTS").is_some();
    // `DOCKSIDE_RULE=name[,name]` limits the run to some rules.
    let only: Option<Vec<String>> = std::env::var("DOCKSIDE_RULE")
        .ok()
        .map(|v| v.split(',').map(str::to_string).collect());
    let mut failures = Vec::new();
    for rule in all_rules() {
        let meta = rule.meta();
        if only
            .as_ref()
            .is_some_and(|o| !o.iter().any(|n| meta.matches(n)))
        {
            continue;
        }
        let dir = root.join(meta.name);
        let bad = cases(&dir, "bad");
        let good = cases(&dir, "good");
        if bad.is_empty() || good.is_empty() {
            failures.push(format!(
                "{}: needs Dockerfiles or Compose projects under {}/bad*/ and good*/",
                meta.name,
                dir.display()
            ));
            continue;
        }
        let mut actual = String::new();
        for path in &bad {
            let result = lint_file(path, meta);
            if describe(meta, &dir, &result, &mut actual) == 0 {
                failures.push(format!("{}: no finding in {}", meta.name, path.display()));
            }
        }
        for path in &good {
            let result = lint_file(path, meta);
            let mut text = String::new();
            if describe(meta, &dir, &result, &mut text) > 0 {
                failures.push(format!(
                    "{}: unexpected findings in {}:\n{text}",
                    meta.name,
                    path.display()
                ));
            }
        }
        let snapshot = dir.join("expected.txt");
        if update {
            std::fs::write(&snapshot, &actual).unwrap();
            continue;
        }
        match std::fs::read_to_string(&snapshot) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{}: findings differ from {}\n--- expected\n{expected}\n--- actual\n{actual}",
                meta.name,
                snapshot.display()
            )),
            Err(_) => failures.push(format!(
                "{}: missing {} (run with DOCKSIDE_UPDATE_SNAPSHOTS=1)",
                meta.name,
                snapshot.display()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
