//! `dockside rules`: the rule catalogue.

use std::io::{self, Write};

use dockside_linter::{Fixability, RuleMeta, Severity, all_rules};
use serde::Serialize;

use crate::args::{RulesArgs, RulesFormat};

/// One element of `dockside rules --format json`.
#[derive(Serialize)]
struct JsonRule {
    code: &'static str,
    name: &'static str,
    aliases: &'static [&'static str],
    severity: Severity,
    /// `"always"`, `"sometimes"` or `"none"`.
    fixable: Fixability,
    summary: &'static str,
    group: &'static str,
}

pub fn run(args: &RulesArgs) -> io::Result<()> {
    let rules: Vec<&'static RuleMeta> = all_rules().iter().map(|r| r.meta()).collect();
    let mut out = io::stdout().lock();
    match args.format {
        RulesFormat::Json => {
            let json: Vec<JsonRule> = rules
                .iter()
                .map(|m| JsonRule {
                    code: m.code,
                    name: m.name,
                    aliases: m.aliases,
                    severity: m.severity,
                    fixable: m.fix,
                    summary: m.summary,
                    group: m.group,
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &json).map_err(crate::printer::json_error)?;
            writeln!(out)?;
        }
        RulesFormat::Table => out.write_all(table(&rules).as_bytes())?,
    }
    out.flush()
}

fn table(rules: &[&RuleMeta]) -> String {
    let rows: Vec<[String; 6]> = rules
        .iter()
        .map(|m| {
            let fix = match m.fix {
                Fixability::Always => "yes",
                Fixability::Sometimes => "some",
                Fixability::None => "—",
            };
            let severity = if m.opt_in {
                format!("{} (opt-in)", m.severity)
            } else {
                m.severity.to_string()
            };
            let aliases = if m.aliases.is_empty() {
                "—".to_string()
            } else {
                m.aliases.join(", ")
            };
            [
                m.code.to_string(),
                m.name.to_string(),
                severity,
                fix.to_string(),
                aliases,
                m.summary.to_string(),
            ]
        })
        .collect();
    let header = ["CODE", "NAME", "SEVERITY", "FIX", "ALIASES", "SUMMARY"].map(String::from);
    let mut widths = [0usize; 6];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
