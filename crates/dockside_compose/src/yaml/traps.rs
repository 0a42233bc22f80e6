//! YAML 1.1 traps: plain scalars that YAML 1.1 parsers (PyYAML, docker-compose v1, many
//! editors' tools) read differently from go-yaml v3, which `docker compose` uses.

use dockside_syntax::TextRange;

use super::{Node, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrapKind {
    /// `22:22`: a base-60 number in YAML 1.1.
    Sexagesimal,
    /// `yes`, `no`, `on`, `off`, `y`, `n`: booleans in YAML 1.1.
    Boolean,
    /// `0755` (octal in YAML 1.1 and go-yaml, decimal in YAML 1.2) or `0o755` (octal in
    /// YAML 1.2, a string in YAML 1.1).
    Octal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    pub kind: TrapKind,
    pub range: TextRange,
    pub message: String,
}

/// Every plain, untagged scalar (keys included) under `node` whose meaning depends on the YAML
/// version. Sorted by position; a scalar reached through several aliases is reported once.
pub fn traps(node: &Node) -> Vec<Trap> {
    let mut out = Vec::new();
    walk(node, &mut out);
    out.sort_by_key(|t| (t.range.start, t.range.end));
    out.dedup_by_key(|t| t.range);
    out
}

fn walk(node: &Node, out: &mut Vec<Trap>) {
    match &node.value {
        Value::Sequence(items) => items.iter().for_each(|n| walk(n, out)),
        Value::Mapping(entries) => {
            for (k, v) in entries {
                walk(k, out);
                walk(v, out);
            }
        }
        _ => {
            if node.is_plain_scalar()
                && node.tag.is_none()
                && let Some(text) = node.scalar_text()
                && let Some((kind, message)) = classify(text)
            {
                out.push(Trap {
                    kind,
                    range: node.range,
                    message,
                });
            }
        }
    }
}

/// The trap a plain scalar falls into, if any, with the message to show.
pub fn classify(text: &str) -> Option<(TrapKind, String)> {
    if let Some(value) = sexagesimal(text) {
        return Some((
            TrapKind::Sexagesimal,
            format!(
                "`{text}` is the base-60 number {value} for YAML 1.1 parsers; quote it (\"{text}\") if a string is meant"
            ),
        ));
    }
    if matches!(
        text.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off"
    ) {
        let truth = matches!(text.to_ascii_lowercase().as_str(), "y" | "yes" | "on");
        return Some((
            TrapKind::Boolean,
            format!(
                "`{text}` is the boolean {truth} for YAML 1.1 parsers and a string for YAML 1.2; quote it (\"{text}\") if a string is meant"
            ),
        ));
    }
    let b = text.as_bytes();
    if b.len() >= 2 && b[0] == b'0' && b[1..].iter().all(|c| (b'0'..=b'7').contains(c)) {
        let value = i64::from_str_radix(&text[1..], 8).ok()?;
        return Some((
            TrapKind::Octal,
            format!(
                "`{text}` is the octal number {value} for YAML 1.1 parsers and docker compose, but {} for YAML 1.2 parsers; write `0o{}` or quote it",
                text.trim_start_matches('0').parse::<u64>().unwrap_or(0),
                &text[1..]
            ),
        ));
    }
    if b.len() >= 3
        && (text.starts_with("0o") || text.starts_with("0O"))
        && b[2..].iter().all(|c| (b'0'..=b'7').contains(c))
    {
        let value = i64::from_str_radix(&text[2..], 8).ok()?;
        return Some((
            TrapKind::Octal,
            format!(
                "`{text}` is the octal number {value} for YAML 1.2 parsers and docker compose, but a string for YAML 1.1 parsers"
            ),
        ));
    }
    None
}

/// YAML 1.1's base-60 forms: int `[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+` and float
/// `[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*`. Returns the value YAML 1.1 gives it.
fn sexagesimal(text: &str) -> Option<String> {
    let (sign, body) = match text.as_bytes().first()? {
        b'-' => ("-", &text[1..]),
        b'+' => ("", &text[1..]),
        _ => ("", text),
    };
    let (body, fraction) = match body.split_once('.') {
        Some((b, f)) => (b, Some(f)),
        None => (body, None),
    };
    let mut parts = body.split(':');
    let first = parts.next()?;
    let first_ok = !first.is_empty()
        && first.as_bytes()[0].is_ascii_digit()
        && (fraction.is_some() || first.as_bytes()[0] != b'0')
        && first.bytes().all(|c| c.is_ascii_digit() || c == b'_');
    if !first_ok {
        return None;
    }
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() {
        return None;
    }
    let sixty_ok = |p: &&str| {
        (1..=2).contains(&p.len())
            && p.bytes().all(|c| c.is_ascii_digit())
            && (p.len() == 1 || p.as_bytes()[0] <= b'5')
    };
    if !rest.iter().all(sixty_ok) {
        return None;
    }
    if let Some(f) = fraction
        && !f.bytes().all(|c| c.is_ascii_digit() || c == b'_')
    {
        return None;
    }
    let mut value: u128 = first
        .bytes()
        .filter(u8::is_ascii_digit)
        .fold(0u128, |acc, d| {
            acc.saturating_mul(10).saturating_add(u128::from(d - b'0'))
        });
    for p in &rest {
        value = value
            .saturating_mul(60)
            .saturating_add(p.parse::<u128>().unwrap_or(0));
    }
    Some(match fraction {
        Some(f) => {
            let digits: String = f.chars().filter(char::is_ascii_digit).collect();
            format!(
                "{sign}{value}.{}",
                if digits.is_empty() { "0" } else { &digits }
            )
        }
        None => format!("{sign}{value}"),
    })
}
