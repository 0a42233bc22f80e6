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

/// `curl | sh` on every line, with shell analysis limited to `max_bytes`.
fn curl_pipes(lines: usize, max_bytes: Option<i64>) -> Vec<(String, usize, String)> {
    let mut toml = String::from("select = [\"curl-pipe-shell\", \"shell-analysis-limit\"]\n");
    if let Some(max) = max_bytes {
        toml.push_str(&format!(
            "[rules.shell-analysis-limit]\nmax-bytes = {max}\n"
        ));
    }
    let config = config::parse(Path::new("/nonexistent/.dockside.toml"), &toml, &Catalog).unwrap();
    let mut text = String::from("FROM alpine:3.20\n");
    for i in 0..lines {
        text.push_str(&format!("RUN curl -fsSL https://example.com/{i:03} | sh\n"));
    }
    support::findings(&text, &config)
}

#[test]
fn shell_code_past_the_limit_is_not_analysed_and_the_first_left_out_is_marked() {
    // Each RUN line is 45 bytes: three fit in 140.
    let found = curl_pipes(5, Some(140));
    let rules: Vec<(&str, usize)> = found.iter().map(|f| (f.0.as_str(), f.1)).collect();
    assert_eq!(
        rules,
        [
            ("curl-pipe-shell", 2),
            ("curl-pipe-shell", 3),
            ("curl-pipe-shell", 4),
            ("shell-analysis-limit", 5),
        ]
    );
    assert!(
        found[3].2.starts_with("shell analysis stops here"),
        "{}",
        found[3].2
    );
    assert!(
        found[3].2.contains("the 140 bytes analysed"),
        "{}",
        found[3].2
    );
}

#[test]
fn within_the_default_limit_every_script_is_analysed() {
    let found = curl_pipes(50, None);
    assert_eq!(found.len(), 50);
    assert!(found.iter().all(|f| f.0 == "curl-pipe-shell"));
}

#[test]
fn compose_rules_keep_at_most_the_limit_too() {
    let dir = std::env::temp_dir().join(format!("dockside-limits-compose-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = String::from("services:\n");
    for i in 0..MAX_FINDINGS_PER_RULE + 20 {
        text.push_str(&format!(
            "  s{i}:\n    image: nginx:1.27\n    privileged: true\n"
        ));
    }
    std::fs::write(dir.join("compose.yaml"), text).unwrap();
    let project = dockside_compose::load_project(&dockside_compose::LoadOptions {
        dir: dir.clone(),
        ..Default::default()
    });
    let mut config = Config::default_for(dir.clone());
    config.select = Some(vec!["privileged"]);
    let result = lint_compose(&project, &config, &LintOptions::default());
    std::fs::remove_dir_all(&dir).unwrap();
    let privileged: Vec<&Diagnostic> = result
        .diagnostics
        .iter()
        .filter(|d| d.rule.name == "privileged")
        .collect();
    assert_eq!(privileged.len(), MAX_FINDINGS_PER_RULE + 1);
    let last = privileged.last().unwrap();
    assert_eq!(
        last.message,
        "20 more findings of this rule in this file are not shown: only the first 5000 are reported"
    );
    // At the first service left out (each service takes three lines after `services:`).
    let line = result.file(last.file).position(last.range.start).line as usize + 1;
    assert_eq!(line, 2 + 3 * MAX_FINDINGS_PER_RULE + 2);
}
