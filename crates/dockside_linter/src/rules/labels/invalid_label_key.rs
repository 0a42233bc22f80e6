use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};
use crate::rules::labels::labels;

declare_rule! {
    /// ## What it does
    /// Reports label keys that break Docker's key format: keys in the namespaces Docker
    /// reserves (`com.docker.*`, `io.docker.*`, `org.dockerproject.*`), and keys that do
    /// not begin and end with a lower-case letter or digit, contain characters other than
    /// lower-case letters, digits, `.` and `-`, or repeat `.` / `-`. Keys built from
    /// variables are judged after expansion, and skipped when only known at build time.
    ///
    /// ## Why is this bad?
    /// Reserved namespaces belong to Docker's own tooling, and a key in the wrong format
    /// (`Build_Date`, `org..acme`) is missed by tools that look up the conventional
    /// reverse-DNS, lower-case key.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL com.docker.extension=1 Build_Date="2024-05-01"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL com.acme.extension=1 org.opencontainers.image.created="2024-05-01T00:00:00Z"
    /// ```
    pub struct InvalidLabelKey {
        name: "invalid-label-key",
        code: "DF563",
        group: "labels",
        severity: Style,
        aliases: ["DL3048"],
        fix: None,
        summary: "A label key is in a reserved namespace or not in Docker's key format",
    }
}

const RESERVED: [&str; 3] = ["com.docker.", "io.docker.", "org.dockerproject."];

/// Why `key` is not a valid label key, if it is not.
fn problem(key: &str) -> Option<String> {
    if let Some(ns) = RESERVED.iter().find(|ns| key.starts_with(*ns)) {
        return Some(format!(
            "label key `{key}` is in the `{}*` namespace reserved for Docker; use your own reverse-DNS prefix",
            ns
        ));
    }
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let chars_ok = key
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
    let repeated = key.contains("..") || key.contains("--");
    if edge_ok(key.chars().next()) && edge_ok(key.chars().last()) && chars_ok && !repeated {
        return None;
    }
    Some(format!(
        "label key `{key}` should use only lower-case letters, digits, `.` and `-`, start and end with a letter or digit, and not repeat `.` or `-`"
    ))
}

impl Rule for InvalidLabelKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for label in labels(cx) {
            if !label.key_complete {
                continue;
            }
            if let Some(message) = problem(&label.key) {
                cx.report(Finding::new(label.key_range, message));
            }
        }
    }
}
