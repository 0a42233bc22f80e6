//! The `gitlab` format (alias `gitlab_codeclimate`): a GitLab Code Quality report,
//! the JSON array `artifacts:reports:codequality` expects.
//!
//! ```json
//! [{"description": "…", "check_name": "DF101", "fingerprint": "…", "severity": "major",
//!   "location": {"path": "app/Dockerfile", "lines": {"begin": 3, "end": 4}}}]
//! ```
//!
//! - `check_name` is the rule code; `description` is `message (rule-name)`.
//! - `severity` keeps dockside's order on GitLab's scale: style → `info`,
//!   info → `minor`, warning → `major`, error → `critical` (`blocker` is unused).
//! - `fingerprint` is stable when lines move (see `fingerprint.rs`) and unique in
//!   the report, as GitLab requires to compare the branch with its target.
//! - `location.path` is relative to the working directory (run from the
//!   repository root) with `/` separators.

use std::io::{self, Write};

use dockside_linter::Severity;
use serde::Serialize;

use super::fingerprint::entries;
use super::sarif::rule_doc_url;
use super::{Printer, Report, json_error, line_span, repository_path};

pub struct GitlabPrinter;

#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
    content: Content,
}

/// Markdown GitLab shows with the issue.
#[derive(Serialize)]
struct Content {
    body: String,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

impl Printer for GitlabPrinter {
    fn print(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let issues: Vec<Issue> = entries(report)
            .iter()
            .filter(|e| e.suppressed.is_none())
            .map(|e| {
                let d = e.diagnostic;
                let file = e.file();
                let (begin, end) = line_span(file, d.range);
                Issue {
                    kind: "issue",
                    description: format!("{} ({})", d.message, d.rule.name),
                    check_name: d.rule.code,
                    fingerprint: e.fingerprint.unique(),
                    severity: match d.severity {
                        Severity::Error => "critical",
                        Severity::Warning => "major",
                        Severity::Info => "minor",
                        Severity::Style => "info",
                    },
                    location: Location {
                        path: repository_path(&file.path),
                        lines: Lines { begin, end },
                    },
                    content: Content {
                        body: format!(
                            "{}. [Documentation of `{}`]({})",
                            d.rule.summary,
                            d.rule.name,
                            rule_doc_url(d.rule)
                        ),
                    },
                }
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &issues).map_err(json_error)?;
        writeln!(out)
    }
}
