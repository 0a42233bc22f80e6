//! Developer tool: lint files or folders and print `path:line:col code rule: message`.
//! `cargo run -p dockside_linter --example lint -- [--rule NAME] PATH…`

use std::path::{Path, PathBuf};

use dockside_linter::*;

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let Ok(rd) = std::fs::read_dir(p) else { return };
        let mut v: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        v.sort();
        for c in v {
            if !c.is_symlink() {
                walk(&c, out);
            }
        }
    } else if is_dockerfile_name(p) || p.to_string_lossy().ends_with("__Dockerfile") {
        out.push(p.to_path_buf());
    }
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let rule = args.iter().position(|a| a == "--rule").map(|i| {
        args.remove(i);
        args.remove(i)
    });
    let mut files = Vec::new();
    for a in &args {
        let p = Path::new(a);
        if p.is_file() {
            files.push(p.to_path_buf())
        } else {
            walk(p, &mut files)
        }
    }
    let mut count = 0;
    let mut flagged = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap_or_default();
        let config = config_for(f).unwrap_or_else(|e| panic!("{e}"));
        let r = lint_bytes(f, &bytes, &config, &LintOptions::default());
        let mut any = false;
        for d in &r.diagnostics {
            if rule.as_deref().is_some_and(|r| !d.rule.matches(r)) {
                continue;
            }
            let file = r.file(d.file);
            let p = file.position(d.range.start);
            println!(
                "{}:{}:{} {} {}: {}",
                file.path.display(),
                p.line + 1,
                p.char_col + 1,
                d.rule.code,
                d.rule.name,
                d.message
            );
            count += 1;
            any = true;
        }
        flagged += usize::from(any);
    }
    eprintln!("{count} findings in {flagged} of {} files", files.len());
}
