use dockside_syntax::{Flag, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks the options of `HEALTHCHECK`: `--interval`, `--timeout`,
    /// `--start-period` and `--start-interval` must be durations such as `30s`,
    /// `1m30s` or `500ms` (not negative, and at least 1ms unless `0`);
    /// `--retries` must be a whole number that is not negative; no other
    /// option exists, and none may be given twice or without a value.
    ///
    /// Values written with variables are not judged.
    ///
    /// A missing `CMD`, `HEALTHCHECK NONE` with options and unknown types
    /// (`HEALTHCHECK CONNECT …`) are syntax errors, reported by `syntax-error`.
    ///
    /// ## Why is this bad?
    /// The builder refuses these instructions, so the image does not build.
    /// The most common mistake, a number without a unit (`--interval=30`), is
    /// not read as seconds: durations need a unit.
    ///
    /// ## Example
    /// ```dockerfile
    /// HEALTHCHECK --interval=30 --timeout=5sec --retries=-1 CMD curl -f http://localhost/
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD curl -f http://localhost/
    /// ```
    ///
    /// ## Fix safety
    /// A duration written as a bare number gets an unsafe fix that adds `s`:
    /// seconds are the likely intent, but only the author knows.
    pub struct InvalidHealthcheck {
        name: "invalid-healthcheck",
        code: "DF407",
        group: "process",
        severity: Error,
        aliases: [],
        fix: Sometimes,
        summary: "HEALTHCHECK option with an invalid duration or retry count, or an unknown option",
    }
}

const DURATIONS: &[&str] = &["interval", "timeout", "start-period", "start-interval"];

/// A Go duration (`1h2m3.5s`, `300ms`, `-1s`, `0`) in nanoseconds.
pub(crate) fn parse_go_duration(s: &str) -> Option<f64> {
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(0.0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let num = &rest[..num_len];
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += value * factor;
        rest = &rest[unit_len..];
    }
    Some(if neg { -total } else { total })
}

fn check_flag(cx: &Checker, flag: &Flag) {
    let name = flag.name.as_str();
    let Some(raw) = flag.value.as_deref() else {
        cx.report(Finding::new(
            flag.range,
            format!("`--{name}` needs a value (`--{name}=…`); the build fails without one"),
        ));
        return;
    };
    let range = flag.value_range.unwrap_or(flag.range);
    // Values built from variables are not judged.
    if raw.contains('$') {
        return;
    }
    let value = dockside_syntax::words::unquote(raw, cx.dockerfile.escape)
        .trim()
        .to_string();
    if DURATIONS.contains(&name) {
        match parse_go_duration(&value) {
            None => {
                let mut finding = Finding::new(
                    range,
                    format!("`--{name}={value}` is not a duration, so the build fails; write a number with a unit, such as `30s`, `1m30s` or `500ms`"),
                );
                if !value.is_empty()
                    && value.chars().all(|c| c.is_ascii_digit())
                    && raw == value
                {
                    finding = finding.with_fix(Fix::unsafe_(
                        format!("Use `{value}s`"),
                        vec![Edit::replace(range, format!("{value}s"))],
                    ));
                }
                cx.report(finding);
            }
            Some(ns) if ns < 0.0 => cx.report(Finding::new(
                range,
                format!("`--{name}` cannot be negative; the build fails"),
            )),
            Some(ns) if ns > 0.0 && ns < 1e6 => cx.report(Finding::new(
                range,
                format!("`--{name}={value}` is below the 1ms minimum, so the build fails; use `0` for the default or at least `1ms`"),
            )),
            Some(_) => {}
        }
    } else if name == "retries" {
        match value.parse::<i64>() {
            Ok(n) if n < 0 => cx.report(Finding::new(
                range,
                "`--retries` cannot be negative; the build fails",
            )),
            Ok(_) => {}
            Err(_) => cx.report(Finding::new(
                range,
                format!("`--retries={value}` is not a whole number, so the build fails"),
            )),
        }
    }
}

impl Rule for InvalidHealthcheck {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (_, inst, _) in cx.instructions() {
            if inst.keyword != Keyword::Healthcheck {
                continue;
            }
            let mut seen: Vec<&str> = Vec::new();
            for flag in &inst.flags {
                let name = flag.name.as_str();
                if !DURATIONS.contains(&name) && name != "retries" {
                    cx.report(Finding::new(
                        flag.name_range,
                        format!("HEALTHCHECK has no option `--{name}` (it takes --interval, --timeout, --start-period, --start-interval and --retries), so the build fails"),
                    ));
                    continue;
                }
                if seen.contains(&name) {
                    cx.report(Finding::new(
                        flag.range,
                        format!("`--{name}` is given twice, so the build fails; keep one"),
                    ));
                    continue;
                }
                seen.push(name);
                check_flag(cx, flag);
            }
        }
    }
}
