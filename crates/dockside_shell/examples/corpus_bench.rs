//! Rough timing over the RUN bodies of a Dockerfile corpus (development aid).
//!
//! Usage: `cargo run --release -p dockside_shell --example corpus_bench [DIR]`

use std::time::Instant;

#[path = "../tests/support/mod.rs"]
mod support;

use support::run_bodies;

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

    // Fast path vs. tree-sitter, both uncached.
    let hits: Vec<bool> = bodies
        .iter()
        .map(|b| dockside_shell::parse_fast_path(b).is_some())
        .collect();
    let hit_count = hits.iter().filter(|h| **h).count();
    let hit_bytes: usize = bodies
        .iter()
        .zip(&hits)
        .filter(|(_, h)| **h)
        .map(|(b, _)| b.len())
        .sum();
    println!(
        "fast path: {hit_count}/{} bodies ({:.1} %), {hit_bytes} bytes",
        bodies.len(),
        100.0 * hit_count as f64 / bodies.len().max(1) as f64
    );
    for round in 0..2 {
        let start = Instant::now();
        for b in &bodies {
            let _ = dockside_shell::parse_tree_sitter(b);
        }
        let slow = start.elapsed();
        let start = Instant::now();
        for b in &bodies {
            if dockside_shell::parse_fast_path(b).is_none() {
                let _ = dockside_shell::parse_tree_sitter(b);
            }
        }
        let both = start.elapsed();
        let start = Instant::now();
        for (b, _) in bodies.iter().zip(&hits).filter(|(_, h)| **h) {
            let _ = dockside_shell::parse_tree_sitter(b);
        }
        let hit_slow = start.elapsed();
        let start = Instant::now();
        for (b, _) in bodies.iter().zip(&hits).filter(|(_, h)| **h) {
            let _ = dockside_shell::parse_fast_path(b);
        }
        let hit_fast = start.elapsed();
        println!(
            "uncached #{round}: tree-sitter path {slow:?}, fast path + fallback {both:?} \
             ({:.2}x); on fast-path bodies: tree-sitter {hit_slow:?}, fast {hit_fast:?} ({:.0}x)",
            slow.as_secs_f64() / both.as_secs_f64(),
            hit_slow.as_secs_f64() / hit_fast.as_secs_f64().max(1e-9),
        );
    }
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
