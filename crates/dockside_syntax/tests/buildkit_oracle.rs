//! BuildKit's own parser test cases (in the shared corpus) are the oracle:
//! each `…__result` file is the expected parse of the Dockerfile beside it.

use dockside_syntax::*;
use std::path::Path;

const CASES: &str = "../../../shared/corpus/dockerfiles/moby__buildkit";

fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn command(form: &CommandForm, parts: &mut Vec<String>) {
    match form {
        CommandForm::Exec(e) => parts.extend(e.elements.iter().map(|w| go_quote(&w.value))),
        CommandForm::Shell(s) if s.text.is_empty() => {}
        CommandForm::Shell(s) => parts.push(go_quote(s.text.as_str())),
    }
}

fn sexpr(src: &str, inst: &Instruction) -> String {
    let mut parts = vec![inst.keyword.as_str().to_ascii_lowercase()];
    if !inst.flags.is_empty() {
        let flags: Vec<String> = inst
            .flags
            .iter()
            .map(|f| go_quote(&src[f.range.as_range()]))
            .collect();
        parts.push(format!("[{}]", flags.join(" ")));
    }
    match &inst.body {
        Body::Command(c) => command(c, &mut parts),
        Body::Paths { paths, .. } => parts.extend(paths.iter().map(|w| go_quote(&w.value))),
        Body::Pairs(pairs) if inst.keyword == Keyword::Arg => {
            for p in pairs {
                parts.push(go_quote(&src[p.range.as_range()]));
            }
        }
        Body::Pairs(pairs) => {
            for p in pairs {
                parts.push(go_quote(&p.key.value));
                parts.push(go_quote(p.value.as_ref().map_or("", |v| v.value.as_str())));
                parts.push(go_quote(if p.separator == Separator::Equals {
                    "="
                } else {
                    ""
                }));
            }
        }
        Body::From(f) => {
            for w in [&f.image, &f.as_keyword, &f.name].into_iter().flatten() {
                parts.push(go_quote(&w.value));
            }
        }
        Body::Shell(words) | Body::Words(words) => {
            parts.extend(words.iter().map(|w| go_quote(&w.value)))
        }
        Body::Healthcheck(h) => match h {
            Healthcheck::Missing => {}
            Healthcheck::None { keyword } => parts.push(go_quote(&keyword.value)),
            Healthcheck::Cmd {
                keyword,
                command: c,
            } => {
                parts.push(go_quote(&keyword.value));
                command(c, &mut parts);
            }
            Healthcheck::Other { keyword } => {
                parts.push(go_quote(&keyword.value));
                let text = inst.args.as_str();
                let rest = text[keyword.value.len()..].trim();
                parts.push(go_quote(rest));
            }
        },
        Body::Onbuild(Some(inner)) => parts.push(sexpr(src, inner)),
        Body::Onbuild(None) => {}
    }
    format!("({})", parts.join(" "))
}

#[test]
fn matches_buildkit_parser_test_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(CASES);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: {} not found", dir.display());
        return;
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix("__result") else {
            continue;
        };
        let expected = std::fs::read_to_string(entry.path()).unwrap();
        let source = std::fs::read_to_string(dir.join(format!("{stem}__Dockerfile"))).unwrap();
        let df = parse(&source);
        let actual: Vec<String> = df.instructions.iter().map(|i| sexpr(&source, i)).collect();
        let expected: Vec<&str> = expected.lines().filter(|l| !l.trim().is_empty()).collect();
        if actual != expected {
            failures.push(format!(
                "{stem}\n  expected: {expected:#?}\n  actual:   {actual:#?}"
            ));
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} cases found");
    assert!(
        failures.is_empty(),
        "{} of {checked} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn negative_cases_report_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(CASES);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut seen = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.contains("testfiles-negative") {
            continue;
        }
        let source = std::fs::read_to_string(entry.path()).unwrap();
        let df = parse(&source);
        assert!(!df.errors.is_empty(), "{name} should not parse cleanly");
        seen += 1;
    }
    assert_eq!(seen, 4);
}
