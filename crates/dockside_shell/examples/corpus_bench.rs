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
    if std::env::var_os("REJECTIONS").is_some() {
        // Where the fast path gives up, one line per distinct body.
        let mut sorted: Vec<&&String> = unique.iter().collect();
        sorted.sort();
        for b in sorted {
            if let Some(at) = dockside_shell::fast_path_rejection(b) {
                let from = b.floor_char_boundary(at.saturating_sub(30));
                let to = b.ceil_char_boundary((at + 30).min(b.len()));
                println!(
                    "{at:>6} {:?} | {:?}",
                    &b[from..at.min(b.len())],
                    &b[at.min(b.len())..to]
                );
            }
        }
        return;
    }
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
    fallback_breakdown(&bodies, &hits);
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

/// Constructs found in the bodies that fall back, weighted by bytes: for each,
/// the bytes of the fallback bodies containing it, and of those where it is
/// the only construct found (a rough text scan, not a parse).
fn fallback_breakdown(bodies: &[String], hits: &[bool]) {
    type Found = fn(&str) -> bool;
    const CONSTRUCTS: &[(&str, Found)] = &[
        ("$(...)", |b| b.contains("$(") && !b.contains("$((")),
        ("`...`", |b| b.contains('`')),
        ("$((...))", |b| b.contains("$((")),
        ("${VAR<op>...}", |b| {
            b.match_indices("${").any(|(i, _)| {
                let rest = &b[i + 2..];
                let name = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                !rest[name..].starts_with('}') || name == 0
            })
        }),
        ("$1 $@ $? ...", |b| {
            b.match_indices('$').any(|(i, _)| {
                b[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit() || "@*#?$!-".contains(c))
            })
        }),
        ("[ ... ]", |b| b.contains("[ ") || b.contains(" ]")),
        ("if/then/fi", |b| has_word(b, "if") || has_word(b, "fi")),
        ("for/while/do/done", |b| {
            has_word(b, "for") || has_word(b, "while") || has_word(b, "done")
        }),
        ("case/esac", |b| has_word(b, "esac")),
        ("{ ...; }", |b| has_word(b, "{") || has_word(b, "}")),
        ("( ... )", |b| {
            b.match_indices('(')
                .any(|(i, _)| i == 0 || !b[..i].ends_with('$'))
        }),
        ("!", |b| has_word(b, "!")),
        ("f() / function", |b| {
            b.contains("() ") || has_word(b, "function")
        }),
        ("~", |b| b.contains('~')),
        ("<<heredoc / <<<", |b| b.contains("<<")),
        ("$'...'", |b| b.contains("$'")),
        ("non-ASCII", |b| !b.is_ascii()),
    ];
    let missed: Vec<&String> = bodies
        .iter()
        .zip(hits)
        .filter(|(_, h)| !**h)
        .map(|(b, _)| b)
        .collect();
    let missed_bytes: usize = missed.iter().map(|b| b.len()).sum();
    println!(
        "fallback: {} bodies, {missed_bytes} bytes; by construct (bytes of bodies containing it / it alone):",
        missed.len()
    );
    let mut rows: Vec<(usize, usize, &str)> = CONSTRUCTS
        .iter()
        .map(|(name, found)| {
            let (mut any, mut alone) = (0, 0);
            for b in &missed {
                if found(b) {
                    any += b.len();
                    if CONSTRUCTS.iter().filter(|(_, f)| f(b)).count() == 1 {
                        alone += b.len();
                    }
                }
            }
            (any, alone, *name)
        })
        .collect();
    let none: usize = missed
        .iter()
        .filter(|b| !CONSTRUCTS.iter().any(|(_, f)| f(b)))
        .map(|b| b.len())
        .sum();
    rows.sort_by(|a, b| b.cmp(a));
    for (any, alone, name) in rows {
        println!("  {name:<20} {any:>9} {alone:>9}");
    }
    println!("  {:<20} {none:>9} {none:>9}", "(none of these)");
    // What the fast path stopped at: the text there, weighted by bytes.
    let mut stops: std::collections::HashMap<String, (usize, usize)> = Default::default();
    for b in &missed {
        let Some(at) = dockside_shell::fast_path_rejection(b) else {
            continue;
        };
        let mut end = (at + 12).min(b.len());
        while !b.is_char_boundary(end) {
            end -= 1;
        }
        let mut start = at.min(end);
        while !b.is_char_boundary(start) {
            start -= 1;
        }
        let entry = stops.entry(b[start..end].to_string()).or_default();
        entry.0 += b.len();
        entry.1 += 1;
    }
    if let Some(dir) = std::env::var_os("FALLBACK_DIR") {
        let unique: std::collections::BTreeSet<&String> = missed.iter().copied().collect();
        for (i, b) in unique.iter().enumerate() {
            let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{i:04}.sh")), b);
        }
    }
    let mut stops: Vec<_> = stops.into_iter().collect();
    stops.sort_by_key(|(_, (bytes, _))| std::cmp::Reverse(*bytes));
    println!("fallback points (text where the fast path stops; bytes, bodies):");
    for (text, (bytes, count)) in stops.iter().take(25) {
        println!("  {text:<16?} {bytes:>9} {count:>5}");
    }
}

fn has_word(body: &str, word: &str) -> bool {
    body.split(|c: char| c.is_ascii_whitespace() || c == ';')
        .any(|w| w == word)
}
