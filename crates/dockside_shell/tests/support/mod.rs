//! Corpus helpers shared by the differential tests and `examples/corpus_bench.rs`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Default location of the Dockerfile corpus.
pub const DEFAULT_CORPUS: &str = "/work/shared/corpus/dockerfiles";

/// Very rough `RUN` body extraction: joins backslash-continued lines.
pub fn run_bodies(text: &str, out: &mut Vec<String>) {
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(body) = current.as_mut() {
            if line.trim_start().starts_with('#') {
                continue; // Docker drops comment lines inside continuations
            }
            body.push('\n');
            body.push_str(line);
            if !line.trim_end().ends_with('\\') {
                out.extend(current.take());
            }
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.len() > 4
            && trimmed.is_char_boundary(4)
            && trimmed[..4].eq_ignore_ascii_case("run ")
        {
            let body = trimmed[4..].to_string();
            if body.trim_end().ends_with('\\') {
                current = Some(body);
            } else {
                out.push(body);
            }
        }
    }
    out.extend(current);
}

/// The `RUN` bodies of every file below `dir`, in a stable order; `None`
/// when `dir` does not exist.
pub fn corpus_bodies(dir: &Path) -> Option<Vec<String>> {
    if !dir.is_dir() {
        return None;
    }
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut bodies = Vec::new();
    for p in files {
        if let Ok(t) = std::fs::read_to_string(&p) {
            run_bodies(&t, &mut bodies);
        }
    }
    Some(bodies)
}

/// The corpus directory: `$DOCKSIDE_CORPUS` or [`DEFAULT_CORPUS`].
pub fn corpus_dir() -> PathBuf {
    std::env::var_os("DOCKSIDE_CORPUS").map_or_else(|| PathBuf::from(DEFAULT_CORPUS), PathBuf::from)
}
