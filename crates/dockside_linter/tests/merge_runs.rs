//! `merge-consecutive-runs` reports every RUN that could join the one before it (like
//! hadolint's DL3059), so ignore comments above a later RUN work, and fixing a file merges
//! whole sequences over the fix passes without changing what the shell runs.

use std::path::Path;

mod support;

use dockside_linter::fix::fix_dockerfile;
use dockside_linter::*;

fn config() -> Config {
    let mut config = Config::default_for(Path::new("/nonexistent").to_path_buf());
    config.select = Some(vec!["merge-consecutive-runs", "unused-suppression"]);
    config
}

fn findings(source: &str) -> Vec<(String, usize)> {
    support::findings(source, &config())
        .into_iter()
        .map(|(rule, line, _)| (rule, line))
        .collect()
}

fn fixed(source: &str) -> String {
    let outcome = fix_dockerfile(
        Path::new("/nonexistent/Dockerfile"),
        source,
        &config(),
        &LintOptions::default(),
        false,
    );
    assert!(outcome.rejected.is_none(), "{:?}", outcome.rejected);
    assert!(
        outcome.remaining.diagnostics.is_empty(),
        "left: {:?}",
        outcome.remaining.diagnostics
    );
    outcome.text
}

const THREE: &str = "FROM alpine:3.20\nRUN apk add --no-cache curl\n# hadolint ignore=DL3059\nRUN curl --version\nRUN echo done\n";

#[test]
fn each_later_run_is_reported_on_its_own_line() {
    let source = "FROM alpine:3.20\nRUN echo one\nRUN echo two\nRUN echo three\n";
    assert_eq!(
        findings(source),
        [
            ("merge-consecutive-runs".to_string(), 3),
            ("merge-consecutive-runs".to_string(), 4)
        ]
    );
}

#[test]
fn hadolint_ignore_above_a_later_run_silences_that_run_only() {
    // The comment is used (no unused-suppression); the third RUN can still join the second.
    assert_eq!(findings(THREE), [("merge-consecutive-runs".to_string(), 5)]);
}

#[test]
fn ignore_above_the_first_run_of_a_sequence_suppresses_nothing() {
    let source = "FROM alpine:3.20\n# hadolint ignore=DL3059\nRUN echo one\nRUN echo two\n";
    assert_eq!(
        findings(source),
        [
            ("unused-suppression".to_string(), 2),
            ("merge-consecutive-runs".to_string(), 4)
        ]
    );
}

#[test]
fn fixing_keeps_a_suppressed_run_apart() {
    assert_eq!(
        fixed(THREE),
        "FROM alpine:3.20\nRUN apk add --no-cache curl\n# hadolint ignore=DL3059\nRUN curl --version && \\\n    echo done\n"
    );
}

#[test]
fn fixing_a_sequence_with_wrapped_runs_gives_one_run() {
    let source = "FROM alpine:3.20\nRUN echo 1\n# c1\nRUN echo 2 || true\nRUN cd /x; echo 3\nRUN a=1; echo $a\nRUN echo 5\n";
    assert_eq!(
        fixed(source),
        "FROM alpine:3.20\n# c1\nRUN ( echo 1 && \\\n    { echo 2 || true; } && \\\n    { cd /x; echo 3; } ) && \\\n    ( a=1; echo $a ) && \\\n    echo 5\n"
    );
}
