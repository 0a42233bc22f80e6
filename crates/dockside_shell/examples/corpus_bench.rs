//! Rough timing over the RUN bodies of a Dockerfile corpus (development aid).
//!
//! Usage: `cargo run --release -p dockside_shell --example corpus_bench [DIR]`

use std::time::Instant;

/// Very rough `RUN` body extraction: joins backslash-continued lines.
fn run_bodies(text: &str, out: &mut Vec<String>) {
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
        if trimmed.len() > 4 && trimmed[..4].eq_ignore_ascii_case("run ") {
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

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/work/shared/corpus/dockerfiles".to_string());
    let mut bodies = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(t) = std::fs::read_to_string(&p) {
                run_bodies(&t, &mut bodies);
            }
        }
    }
    if std::env::var_os("JOIN").is_some() {
        for b in &mut bodies {
            *b = b.replace("\\\n", "");
        }
    }
    let unique: std::collections::HashSet<&String> = bodies.iter().collect();
    println!(
        "{} bytes, {} unique bodies ({} bytes)",
        bodies.iter().map(String::len).sum::<usize>(),
        unique.len(),
        unique.iter().map(|b| b.len()).sum::<usize>()
    );
    let _ = dockside_shell::parse("true");
    let mut parser = tree_sitter::Parser::new();
    let _ = parser.set_language(&tree_sitter_bash::LANGUAGE.into());
    let start = Instant::now();
    for b in &bodies {
        let _ = parser.parse(b, None);
    }
    println!("tree-sitter only: {:?}", start.elapsed());
    let start = Instant::now();
    let (mut commands, mut errors, mut with_errors) = (0, 0, 0);
    for b in &bodies {
        let s = dockside_shell::parse(b);
        commands += s.commands.len();
        errors += s.errors.len();
        with_errors += usize::from(!s.errors.is_empty());
    }
    println!(
        "{} bodies, {} commands, {} errors in {} bodies, {:?}",
        bodies.len(),
        commands,
        errors,
        with_errors,
        start.elapsed()
    );
    let start = Instant::now();
    for b in &bodies {
        let _ = parser.parse(b, None);
    }
    println!("tree-sitter only again: {:?}", start.elapsed());
    let mut times: Vec<(std::time::Duration, usize)> = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let t = Instant::now();
            let _ = dockside_shell::parse(b);
            (t.elapsed(), i)
        })
        .collect();
    times.sort();
    for (t, i) in times.iter().rev().take(3) {
        let b = &bodies[*i];
        println!("{t:?} len={} {:?}", b.len(), &b[..b.len().min(200)]);
    }
    if std::env::args().nth(2).as_deref() == Some("-v") {
        for b in &bodies {
            let s = dockside_shell::parse(b);
            if !s.errors.is_empty() {
                println!("---- {:?}\n{b}", s.errors);
            }
        }
    }
}
