//! `--statistics`: the number of problems per rule, most frequent first.
//!
//! Human: `COUNT  CODE  NAME  [*]` lines (`[*]` = some are fixable with `--fix`)
//! then the summary. JSON: `[{"code", "rule", "count", "fixable"}]` where
//! `fixable` is how many of them carry a fix.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{PrintOptions, Printer, Report, Style, items, json_error, summary};
use crate::args::OutputFormat;

pub struct StatisticsPrinter<'a> {
    pub format: OutputFormat,
    pub options: &'a PrintOptions,
}

#[derive(Serialize)]
struct Row {
    code: &'static str,
    rule: &'static str,
    count: usize,
    fixable: usize,
}

impl Printer for StatisticsPrinter<'_> {
    fn print(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut rows: BTreeMap<&'static str, Row> = BTreeMap::new();
        for item in items(report) {
            let rule = item.diagnostic.rule;
            let row = rows.entry(rule.code).or_insert(Row {
                code: rule.code,
                rule: rule.name,
                count: 0,
                fixable: 0,
            });
            row.count += 1;
            row.fixable += usize::from(item.applicable_fix().is_some());
        }
        let mut rows: Vec<Row> = rows.into_values().collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
        match self.format {
            OutputFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &rows).map_err(json_error)?;
                writeln!(out)
            }
            _ => {
                let style = Style {
                    color: self.options.color,
                };
                let count_w = rows
                    .iter()
                    .map(|r| r.count.to_string().len())
                    .max()
                    .unwrap_or(1);
                let name_w = rows.iter().map(|r| r.rule.len()).max().unwrap_or(0);
                for r in &rows {
                    let fix = if r.fixable > 0 { " [*]" } else { "" };
                    let line = format!(
                        "{:>count_w$}  {}  {:name_w$}{fix}",
                        r.count,
                        style.bold(r.code),
                        r.rule
                    );
                    writeln!(out, "{}", line.trim_end())?;
                }
                if !self.options.quiet {
                    if !rows.is_empty() {
                        writeln!(out)?;
                    }
                    writeln!(out, "{}", style.bold(&summary(report)))?;
                }
                Ok(())
            }
        }
    }
}
