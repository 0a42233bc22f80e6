//! Validators for the label value types of a label schema.

/// Why `value` is not a valid `kind` (`url`, `semver`, …), or `None` when it is (or when
/// `kind` is `text`, which accepts anything).
pub(crate) fn problem(kind: &str, value: &str) -> Option<&'static str> {
    let ok = match kind {
        "url" => is_url(value),
        "semver" => is_semver(value),
        "rfc3339" => is_rfc3339(value),
        "spdx" => is_spdx_expression(value),
        "hash" => is_git_hash(value),
        "email" => is_email(value),
        _ => true,
    };
    (!ok).then_some(match kind {
        "url" => "an absolute URL (`https://example.com/…`)",
        "semver" => "a semantic version (`1.2.3`, `2.0.0-rc.1`)",
        "rfc3339" => "an RFC 3339 timestamp (`2024-05-01T12:00:00Z`)",
        "spdx" => "an SPDX license expression (`MIT`, `Apache-2.0 OR MIT`)",
        "hash" => "a full git commit hash (40 or 64 hexadecimal digits)",
        _ => "an email address (`name@example.com`)",
    })
}

/// `scheme:` followed by something, no whitespace; for hierarchical schemes a host.
fn is_url(v: &str) -> bool {
    let Some((scheme, rest)) = v.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() || v.chars().any(char::is_whitespace) {
        return false;
    }
    match rest.strip_prefix("//") {
        Some(authority) => {
            let host = authority.split(['/', '?', '#']).next().unwrap_or("");
            let host = host.rsplit('@').next().unwrap_or("");
            !host.is_empty() && !host.starts_with(':')
        }
        None => true,
    }
}

fn numeric_identifier(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
}

fn identifiers(s: &str, pre: bool) -> bool {
    s.split('.').all(|id| {
        !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && (!pre || !id.bytes().all(|b| b.is_ascii_digit()) || numeric_identifier(id))
    })
}

/// Semantic Versioning 2.0.0: `MAJOR.MINOR.PATCH[-pre][+build]`.
fn is_semver(v: &str) -> bool {
    let (rest, build) = match v.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (v, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| numeric_identifier(p))
        && pre.is_none_or(|p| identifiers(p, true))
        && build.is_none_or(|b| identifiers(b, false))
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
fn is_rfc3339(v: &str) -> bool {
    let Some((date, time)) = v.split_once(['T', 't', ' ']) else {
        return false;
    };
    let d: Vec<&str> = date.split('-').collect();
    let date_ok = d.len() == 3
        && digits(d[0], 4).is_some()
        && digits(d[1], 2).is_some_and(|m| (1..=12).contains(&m))
        && digits(d[2], 2).is_some_and(|day| (1..=31).contains(&day));
    let (clock, offset) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, None)
    } else if let Some(at) = time.rfind(['+', '-']) {
        (&time[..at], Some(&time[at + 1..]))
    } else {
        return false;
    };
    let clock = clock.split_once('.').map_or(clock, |(c, frac)| {
        if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) {
            c
        } else {
            ""
        }
    });
    let t: Vec<&str> = clock.split(':').collect();
    let time_ok = t.len() == 3
        && digits(t[0], 2).is_some_and(|h| h <= 23)
        && digits(t[1], 2).is_some_and(|m| m <= 59)
        && digits(t[2], 2).is_some_and(|s| s <= 60);
    let offset_ok = offset.is_none_or(|o| {
        o.split_once(':').is_some_and(|(h, m)| {
            digits(h, 2).is_some_and(|h| h <= 23) && digits(m, 2).is_some_and(|m| m <= 59)
        })
    });
    date_ok && time_ok && offset_ok
}

/// The syntax of an SPDX license expression: identifiers (`MIT`, `GPL-2.0-or-later`,
/// `LicenseRef-x`, with an optional `+`) joined by `AND` / `OR` / `WITH`, with parentheses.
fn is_spdx_expression(v: &str) -> bool {
    let spaced = v.replace('(', " ( ").replace(')', " ) ");
    let mut depth = 0i32;
    // true when an identifier (or `)`) is expected next… i.e. after an operator or `(`.
    let mut want_operand = true;
    let mut any = false;
    for token in spaced.split_whitespace() {
        match token {
            "(" if want_operand => depth += 1,
            ")" if !want_operand && depth > 0 => depth -= 1,
            "AND" | "OR" | "WITH" | "and" | "or" | "with" if !want_operand => want_operand = true,
            id if want_operand
                && id.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+' | b':')
                })
                && id.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric()) =>
            {
                want_operand = false;
                any = true;
            }
            _ => return false,
        }
    }
    any && !want_operand && depth == 0
}

fn is_git_hash(v: &str) -> bool {
    (v.len() == 40 || v.len() == 64) && v.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `local@domain.tld`, optionally as `Name <local@domain.tld>`.
fn is_email(v: &str) -> bool {
    let v = match (v.find('<'), v.strip_suffix('>')) {
        (Some(open), Some(inner)) => &inner[open + 1..],
        _ => v,
    };
    let Some((local, domain)) = v.rsplit_once('@') else {
        return false;
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    !local.is_empty()
        && !local.contains(char::is_whitespace)
        && !local.contains('@')
        && domain.contains('.')
        && domain.split('.').all(label_ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validators() {
        assert!(is_url("https://github.com/org/repo"));
        assert!(!is_url("github.com/org/repo"));
        assert!(!is_url("https://"));
        assert!(is_semver("1.2.3") && is_semver("1.0.0-rc.1+build.5"));
        assert!(!is_semver("v1.2.3") && !is_semver("1.2") && !is_semver("01.2.3"));
        assert!(is_rfc3339("2024-05-01T12:00:00Z") && is_rfc3339("2024-05-01T12:00:00.123+02:00"));
        assert!(!is_rfc3339("2024-05-01") && !is_rfc3339("2024-13-01T12:00:00Z"));
        assert!(
            is_spdx_expression("MIT") && is_spdx_expression("(Apache-2.0 OR MIT) AND BSD-3-Clause")
        );
        assert!(is_spdx_expression(
            "GPL-2.0-only WITH Classpath-exception-2.0"
        ));
        assert!(
            !is_spdx_expression("MIT License")
                && !is_spdx_expression("")
                && !is_spdx_expression("MIT OR")
        );
        assert!(is_git_hash("0123456789abcdef0123456789abcdef01234567"));
        assert!(
            !is_git_hash("0123456") && !is_git_hash("zz23456789abcdef0123456789abcdef01234567")
        );
        assert!(is_email("dev@example.com") && is_email("Dev Team <dev@example.com>"));
        assert!(
            !is_email("dev@localhost") && !is_email("example.com") && !is_email("a b@example.com")
        );
    }
}
