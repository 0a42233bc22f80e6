//! `LintOptions::build_args` override ARG defaults, so rules see the build that
//! `docker build --build-arg` (or a Compose service's `build.args`) would run.

use std::path::Path;

use dockside_linter::*;

fn findings(source: &str, build_args: &[(&str, &str)]) -> Vec<(String, usize)> {
    let path = Path::new("/nonexistent/Dockerfile");
    let config = Config::default_for(Path::new("/nonexistent").to_path_buf());
    let options = LintOptions {
        build_args: build_args
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Default::default()
    };
    let result = lint_dockerfile(path, source, &config, &options);
    result
        .diagnostics
        .iter()
        .map(|d| {
            let line = result.main().position(d.range.start).line as usize + 1;
            (d.rule.name.to_string(), line)
        })
        .collect()
}

const WINDOWS_OR_LINUX: &str = "ARG BASE=ubuntu:24.04\nFROM ${BASE}\nCMD python app.py\n";

#[test]
fn base_image_default_is_used_without_build_args() {
    let found = findings(WINDOWS_OR_LINUX, &[]);
    assert!(
        found.contains(&("shell-form-entrypoint".to_string(), 3)),
        "{found:?}"
    );
}

#[test]
fn build_arg_changes_the_base_image_rules_see() {
    // On a Windows base the shell is cmd, where the POSIX PID 1 reasoning does not apply.
    let found = findings(
        WINDOWS_OR_LINUX,
        &[("BASE", "mcr.microsoft.com/windows/servercore:ltsc2022")],
    );
    assert!(
        !found
            .iter()
            .any(|(rule, _)| rule == "shell-form-entrypoint"),
        "{found:?}"
    );
}

#[test]
fn build_arg_for_an_undeclared_name_changes_nothing() {
    let found = findings(WINDOWS_OR_LINUX, &[("OTHER", "windows")]);
    assert!(
        found.contains(&("shell-form-entrypoint".to_string(), 3)),
        "{found:?}"
    );
}
