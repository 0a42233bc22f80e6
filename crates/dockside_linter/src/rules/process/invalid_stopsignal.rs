use dockside_syntax::{Body, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks the signal of `STOPSIGNAL`:
    /// - a name Docker does not know (`STOPSIGNAL SIGTERMINATE`) or `0` is an
    ///   error: the container cannot be created (`invalid signal`);
    /// - `SIGKILL` (or `9`) and `SIGSTOP` cannot be caught: the application
    ///   never gets a chance to shut down, and `SIGSTOP` only pauses it, so
    ///   `docker stop` waits for its timeout and kills it anyway;
    /// - other spellings than the canonical upper-case `SIG…` name (`term`,
    ///   `TERM`, `15`) are reported as style: Docker accepts them, but numbers
    ///   differ between CPU architectures and readers search for `SIGTERM`.
    ///
    /// Values that come from a build argument without a default are not judged.
    ///
    /// ## Why is this bad?
    /// The stop signal is how the application learns that it should finish its
    /// requests, flush its data and exit. A wrong one turns every `docker stop`
    /// (and every rolling deployment) into a hard kill.
    ///
    /// ## Example
    /// ```dockerfile
    /// STOPSIGNAL SIGKILL
    /// STOPSIGNAL quit
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// STOPSIGNAL SIGTERM
    /// STOPSIGNAL SIGQUIT
    /// ```
    ///
    /// ## Fix safety
    /// Rewriting a name (`quit`, `QUIT`) or a number that is the same on every
    /// Linux architecture (`1`, `2`, `3`, `6`, `9`, `15`, …) as its canonical
    /// name is safe: Docker sends the same signal.
    pub struct InvalidStopsignal {
        name: "invalid-stopsignal",
        code: "DF406",
        group: "process",
        severity: Error,
        aliases: ["no-ungraceful-stopsignal", "prefer-canonical-stopsignal"],
        fix: Sometimes,
        summary: "STOPSIGNAL unknown, uncatchable (SIGKILL/SIGSTOP) or not spelled canonically",
    }
}

/// Signal names Docker knows on Linux (without `SIG`).
const NAMES: &[&str] = &[
    "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL",
    "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP",
    "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMAX",
];

/// Signal numbers that are the same on every Linux architecture.
const PORTABLE: &[(u32, &str)] = &[
    (1, "HUP"),
    (2, "INT"),
    (3, "QUIT"),
    (4, "ILL"),
    (5, "TRAP"),
    (6, "ABRT"),
    (8, "FPE"),
    (9, "KILL"),
    (11, "SEGV"),
    (13, "PIPE"),
    (14, "ALRM"),
    (15, "TERM"),
];

/// `RTMIN+n` / `RTMAX-n` with n in 1..=15.
fn realtime(name: &str) -> bool {
    let offset = name
        .strip_prefix("RTMIN+")
        .or_else(|| name.strip_prefix("RTMAX-"));
    offset
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| (1..=15).contains(&n) && !name[6..].starts_with('0'))
}

impl Rule for InvalidStopsignal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (i, inst, info) in cx.instructions() {
            let (Keyword::Stopsignal, Body::Words(words)) = (inst.keyword, &inst.body) else {
                continue;
            };
            if !info.shell.is_posix() {
                continue;
            }
            let Some(word) = words.first() else { continue };
            let expanded = cx.model.expand(i, &word.value);
            if !expanded.complete {
                continue;
            }
            let raw = expanded.value.trim();
            let from_variable = raw != word.value;
            if raw.is_empty() {
                continue;
            }
            // Canonical name without the `SIG` prefix, and whether a rewrite is exact.
            let canonical: Option<(String, bool)> = if let Ok(n) = raw.parse::<u32>() {
                if n == 0 || n > 64 {
                    None
                } else {
                    Some(match PORTABLE.iter().find(|(k, _)| *k == n) {
                        Some((_, name)) => (name.to_string(), true),
                        None => (String::new(), false),
                    })
                }
            } else {
                let upper = raw.to_ascii_uppercase();
                let bare = upper.strip_prefix("SIG").unwrap_or(&upper).to_string();
                (NAMES.contains(&bare.as_str()) || realtime(&bare)).then_some((bare, true))
            };
            let Some((name, exact)) = canonical else {
                cx.report(Finding::new(
                    word.range,
                    format!("`{raw}` is not a signal Docker knows, so the container cannot be created; use a name such as `SIGTERM`"),
                ));
                continue;
            };
            if name == "KILL" || name == "STOP" {
                cx.report(
                    Finding::new(
                        word.range,
                        format!("SIG{name} cannot be caught, so the application never shuts down cleanly and `docker stop` ends in a hard kill; use `SIGTERM` (or the signal the application handles)"),
                    )
                    .with_severity(Severity::Warning),
                );
                continue;
            }
            let wanted = format!("SIG{name}");
            if raw == wanted || from_variable {
                continue;
            }
            let mut finding = if exact {
                Finding::new(
                    word.range,
                    format!("write the signal as `{wanted}`, its canonical name"),
                )
                .with_fix(Fix::safe(
                    format!("Use `{wanted}`"),
                    vec![Edit::replace(word.range, wanted.clone())],
                ))
            } else {
                Finding::new(
                    word.range,
                    format!(
                        "signal number `{raw}` means different signals on different CPU architectures; write the signal's name (`SIGUSR1`, …)"
                    ),
                )
            };
            finding = finding.with_severity(Severity::Style);
            cx.report(finding);
        }
    }
}
