//! The `sarif` format: one SARIF 2.1.0 log with one run, for GitHub code scanning
//! and other SARIF viewers.
//!
//! - `tool.driver.rules`: every rule with a result, sorted by code. `id` is the
//!   rule's code (`DF101`), `name` its kebab-case name; `shortDescription` is the
//!   summary, `fullDescription` the "What it does" section, `help.markdown` the
//!   whole rule documentation (`help.text`: the summary and the link), `helpUri` the rule's page in the repository (the
//!   same link the language server gives), `defaultConfiguration.level` its
//!   default severity, `properties.tags` its group and target and
//!   `properties.aliases` the equivalent hadolint/BuildKit rules.
//! - `results`: `ruleId` (the code) and `ruleIndex`; `level` is `error`,
//!   `warning` or `note` (info and style; `properties.severity` keeps dockside's
//!   own severity); one location, related locations with their message, `fixes`
//!   when the finding has one (`properties.applicability`: safe or unsafe), and
//!   `partialFingerprints["dockside/v1"]` (see `fingerprint.rs`).
//! - Findings silenced by `# dockside ignore=…` / `# hadolint ignore=…` are results
//!   too, with `suppressions: [{"kind": "inSource", "justification": <reason>}]`
//!   (the text after `--`); viewers hide them, and they never affect the exit status.
//! - Locations: `uri` relative to the working directory with `uriBaseId`
//!   `%SRCROOT%` (given in `originalUriBaseIds`), or an absolute `file://` URI for
//!   a file outside it. Lines and columns are 1-based; columns count UTF-16 code
//!   units (`columnKind: "utf16CodeUnits"`, SARIF's default) and `endColumn` is the
//!   column after the last character.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use dockside_linter::{Applicability, RuleMeta, Severity, SourceFile, rule::Target};
use dockside_syntax::TextRange;
use serde::Serialize;

use super::fingerprint::{Entry, entries};
use super::{Printer, Report, json_error, repository_path, repository_path_in};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The documentation page of a rule (the link the language server gives too).
pub(crate) fn rule_doc_url(rule: &RuleMeta) -> String {
    format!("{REPOSITORY}/blob/main/rules/{}.md", rule.name)
}

pub struct SarifPrinter;

impl Printer for SarifPrinter {
    fn print(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let cwd = std::env::current_dir().ok();
        let entries = entries(report);
        let mut used: BTreeMap<&str, &RuleMeta> = BTreeMap::new();
        for e in &entries {
            used.insert(e.diagnostic.rule.code, e.diagnostic.rule);
        }
        let index: BTreeMap<&str, usize> = used.keys().enumerate().map(|(i, c)| (*c, i)).collect();
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: vec![Run {
                tool: Tool {
                    driver: Driver {
                        name: "dockside",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        information_uri: REPOSITORY,
                        rules: used.values().map(|r| rule(r)).collect(),
                    },
                },
                original_uri_base_ids: cwd.as_deref().map(|dir| {
                    BTreeMap::from([(
                        SRCROOT,
                        BaseUri {
                            uri: format!("{}/", file_uri(dir).trim_end_matches('/')),
                        },
                    )])
                }),
                column_kind: "utf16CodeUnits",
                results: entries
                    .iter()
                    .map(|e| result(e, index[e.diagnostic.rule.code]))
                    .collect(),
            }],
        };
        serde_json::to_writer_pretty(&mut *out, &log).map_err(json_error)?;
        writeln!(out)
    }
}

fn rule(meta: &'static RuleMeta) -> Rule {
    let doc = meta.doc_markdown();
    let target = match meta.target {
        Target::Dockerfile => "dockerfile",
        Target::Compose => "compose",
    };
    Rule {
        id: meta.code,
        name: meta.name,
        short_description: Text::new(meta.summary.to_string()),
        full_description: Text::new(
            section(&doc, "What it does").unwrap_or(meta.summary.to_string()),
        ),
        help: Help {
            text: format!("{}. Documentation: {}", meta.summary, rule_doc_url(meta)),
            markdown: doc,
        },
        help_uri: rule_doc_url(meta),
        default_configuration: Configuration {
            level: level(meta.severity),
        },
        properties: RuleProperties {
            tags: vec![meta.group, target],
            aliases: meta.aliases,
            severity: meta.severity,
        },
    }
}

/// The text of a `## heading` section, its lines joined into one paragraph.
fn section(doc: &str, heading: &str) -> Option<String> {
    let title = format!("## {heading}");
    let mut lines = doc.lines().skip_while(|l| l.trim_end() != title);
    lines.next()?;
    let text = lines
        .take_while(|l| !l.starts_with("## "))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

fn result<'a>(e: &Entry<'a>, rule_index: usize) -> SarifResult<'a> {
    let d = e.diagnostic;
    let file = e.file();
    SarifResult {
        rule_id: d.rule.code,
        rule_index,
        level: level(d.severity),
        message: Text::new(d.message.clone()),
        locations: vec![Location {
            id: None,
            physical_location: physical(file, d.range),
            message: None,
        }],
        related_locations: d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| Location {
                id: Some(i),
                physical_location: physical(e.report.result.file(r.file), r.range),
                message: Some(Text::new(r.message.clone())),
            })
            .collect(),
        fixes: d
            .fix
            .iter()
            .map(|fix| SarifFix {
                description: Text::new(fix.title.clone()),
                artifact_changes: vec![ArtifactChange {
                    artifact_location: artifact(&file.path),
                    replacements: fix
                        .edits
                        .iter()
                        .map(|edit| Replacement {
                            deleted_region: region(file, edit.range),
                            inserted_content: Text::new(edit.content.clone()),
                        })
                        .collect(),
                }],
                properties: FixProperties {
                    applicability: fix.applicability,
                },
            })
            .collect(),
        partial_fingerprints: BTreeMap::from([("dockside/v1", e.fingerprint.with_occurrence())]),
        suppressions: e.suppressed.map(|reason| {
            vec![Suppression {
                kind: "inSource",
                justification: reason,
            }]
        }),
        properties: ResultProperties {
            severity: d.severity,
            rule: d.rule.name,
        },
    }
}

fn physical(file: &SourceFile, range: TextRange) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: artifact(&file.path),
        region: region(file, range),
    }
}

fn artifact(path: &Path) -> ArtifactLocation {
    let relative = repository_path(path);
    if Path::new(&relative).is_absolute() {
        ArtifactLocation {
            uri: file_uri(Path::new(&relative)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: percent_encode(&relative, false),
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// 1-based lines, 1-based UTF-16 columns, `endColumn` exclusive.
fn region(file: &SourceFile, range: TextRange) -> Region {
    let start = file.position(range.start);
    let end = file.position(range.end);
    Region {
        start_line: start.line + 1,
        start_column: start.utf16_col + 1,
        end_line: end.line + 1,
        end_column: end.utf16_col + 1,
    }
}

/// `file:///abs/path` for an absolute path.
fn file_uri(path: &Path) -> String {
    let text = repository_path_in(path, None);
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    format!("file://{}", percent_encode(&text, true))
}

/// Percent-encodes what may not appear in a URI path (`:` too in a relative
/// reference, where it would read as a scheme).
fn percent_encode(path: &str, absolute: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&b)
            || (absolute && b == b':');
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BTreeMap<&'static str, BaseUri>>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct BaseUri {
    uri: String,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

impl Text {
    fn new(text: String) -> Text {
        Text { text }
    }
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    aliases: &'static [&'static str],
    /// dockside's severity (SARIF levels merge info and style into `note`).
    severity: Severity,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<Vec<Suppression<'a>>>,
    properties: ResultProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(rename = "uriBaseId", skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
    properties: FixProperties,
}

#[derive(Serialize)]
struct FixProperties {
    applicability: Applicability,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<&'a str>,
}

#[derive(Serialize)]
struct ResultProperties {
    /// dockside's severity.
    severity: Severity,
    /// The rule's name (`ruleId` is its code).
    rule: &'static str,
}

#[cfg(test)]
mod tests {
    use super::{percent_encode, section};

    #[test]
    fn encodes_what_a_uri_path_cannot_carry() {
        assert_eq!(percent_encode("app/Dockerfile", false), "app/Dockerfile");
        assert_eq!(
            percent_encode("my app/Dockerfile#1?x", false),
            "my%20app/Dockerfile%231%3Fx"
        );
        assert_eq!(percent_encode("a:b", false), "a%3Ab");
        assert_eq!(percent_encode("/c:/x", true), "/c:/x");
        assert_eq!(percent_encode("é", false), "%C3%A9");
        assert_eq!(percent_encode("50%", false), "50%25");
    }

    #[test]
    fn takes_one_section_as_a_paragraph() {
        let doc = "# x\n\n## What it does\nReports\nthings.\n\n## Why is this bad?\nBecause.\n";
        assert_eq!(
            section(doc, "What it does").as_deref(),
            Some("Reports things.")
        );
        assert_eq!(section(doc, "Example"), None);
    }
}
