//! Generated files: one rule keeps at most `MAX_FINDINGS_PER_RULE` findings per file and
//! says how many more there are, where the first one left out is; suppressions still apply.

mod support;

use std::path::Path;

use dockside_linter::checker::MAX_FINDINGS_PER_RULE;
use dockside_linter::*;

fn lint(source: &str) -> Vec<(String, usize, String)> {
    let mut config = Config::default_for(Path::new("/nonexistent").to_path_buf());
    config.select = Some(vec!["maintainer-deprecated", "unused-suppression"]);
    support::findings(source, &config)
}

fn maintainers(count: usize) -> String {
    let mut text = String::from("FROM alpine:3.20\n");
    for i in 0..count {
        text.push_str(&format!("MAINTAINER m{i}\n"));
    }
    text
}

#[test]
fn findings_past_the_limit_are_counted_in_one_more_finding() {
    let found = lint(&maintainers(MAX_FINDINGS_PER_RULE + 150));
    assert_eq!(found.len(), MAX_FINDINGS_PER_RULE + 1);
    // Lines 2..=5001 are reported one by one, in order.
    let lines: Vec<usize> = found[..MAX_FINDINGS_PER_RULE].iter().map(|f| f.1).collect();
    assert_eq!(lines, (2..MAX_FINDINGS_PER_RULE + 2).collect::<Vec<_>>());
    let (rule, line, message) = &found[MAX_FINDINGS_PER_RULE];
    assert_eq!(rule, "maintainer-deprecated");
    assert_eq!(
        *line,
        MAX_FINDINGS_PER_RULE + 2,
        "at the first finding left out"
    );
    assert_eq!(
        message,
        "150 more findings of this rule in this file are not shown: only the first 5000 are reported"
    );
}

#[test]
fn up_to_the_limit_every_finding_is_reported() {
    let found = lint(&maintainers(MAX_FINDINGS_PER_RULE));
    assert_eq!(found.len(), MAX_FINDINGS_PER_RULE);
    assert!(found.iter().all(|f| !f.2.contains("not shown")));
}

#[test]
fn a_global_ignore_also_silences_the_count() {
    let source = format!(
        "# dockside global ignore=maintainer-deprecated -- generated\n{}",
        maintainers(MAX_FINDINGS_PER_RULE + 10)
    );
    assert_eq!(lint(&source), Vec::new());
}
