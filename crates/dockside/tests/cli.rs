//! End-to-end tests: run the real `dockside` binary and check what a user sees.

use std::fs;
use std::path::Path;

use serde_json::Value;

mod support;
use support::*;

const BROKEN: &str = "FROM alpine\nRUNN x\n";

fn paths(items: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = items
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    v.dedup();
    v
}

/// Rules known to the binary, from `dockside rules --format json`.
fn rules(dir: &Path) -> Vec<Value> {
    let out = dockside(dir, &["rules", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    json(&out)
}

#[test]
fn syntax_error_is_reported_with_position() {
    let dir = temp();
    write(dir.path(), "Dockerfile", BROKEN);
    let out = dockside(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "syntax-error",
            "Dockerfile",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let items = json(&out);
    assert_eq!(items.len(), 1, "{items:?}");
    let d = &items[0];
    assert_eq!(d["path"], "Dockerfile");
    assert_eq!(d["rule"], "syntax-error");
    assert_eq!(d["code"], "DF001");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["range"]["start"]["line"], 2);
    assert_eq!(d["range"]["start"]["column"], 1);
    assert_eq!(d["range"]["end"]["line"], 2);
    assert!(d["message"].as_str().unwrap().contains("RUNN"), "{d}");
    assert!(d["fix"].is_null());
    assert_eq!(d["related"], Value::Array(vec![]));
}

#[test]
fn human_output_has_header_snippet_and_summary() {
    let dir = temp();
    write(dir.path(), "Dockerfile", BROKEN);
    let out = dockside(dir.path(), &["check", "--select", "DF001"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Dockerfile:2:1: error DF001 syntax-error"),
        "{text}"
    );
    assert!(text.contains("RUNN x"), "{text}");
    assert!(
        text.contains("Found 1 problem (1 error, 0 warnings, 0 infos, 0 style) in 1 file."),
        "{text}"
    );
    assert!(
        !text.contains('\x1b'),
        "no colours when not a terminal: {text:?}"
    );

    let out = dockside(
        dir.path(),
        &["check", "--select", "DF001", "--color", "always"],
    );
    assert!(stdout(&out).contains('\x1b'), "--color always colours");

    let out = dockside(dir.path(), &["check", "--select", "DF001", "--quiet"]);
    assert_eq!(code(&out), 1);
    assert!(!stdout(&out).contains("Found"), "{}", stdout(&out));
    assert!(stdout(&out).contains("DF001"));
}

#[test]
fn clean_file_with_default_rules() {
    let dir = temp();
    write(dir.path(), "Dockerfile", CLEAN);
    let out = dockside(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(json(&out), Vec::<Value>::new());
    assert_eq!(stdout(&out).trim(), "[]");

    let out = dockside(dir.path(), &["check"]);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).contains("No problems found in 1 file."),
        "{}",
        stdout(&out)
    );
}

#[test]
fn clean_file_with_only_syntax_error() {
    let dir = temp();
    write(dir.path(), "Dockerfile", CLEAN);
    let out = dockside(
        dir.path(),
        &["check", "--format", "json", "--select", "syntax-error"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json(&out), Vec::<Value>::new());
    assert_eq!(stderr(&out), "");
}

#[test]
fn fail_level() {
    let dir = temp();
    write(dir.path(), "Dockerfile", BROKEN);
    let out = dockside(
        dir.path(),
        &[
            "check",
            "--select",
            "DF001",
            "--fail-level",
            "none",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 0);
    assert_eq!(json(&out).len(), 1);
    let out = dockside(
        dir.path(),
        &["check", "--select", "DF001", "--fail-level", "error"],
    );
    assert_eq!(code(&out), 1);
    write(dir.path(), ".dockside.toml", "fail-level = \"none\"\n");
    let out = dockside(dir.path(), &["check", "--select", "DF001"]);
    assert_eq!(code(&out), 0, "the configuration's fail-level applies");
    let out = dockside(
        dir.path(),
        &["check", "--select", "DF001", "--fail-level", "style"],
    );
    assert_eq!(code(&out), 1, "--fail-level overrides the configuration");
}

#[test]
fn usage_errors_exit_2() {
    let dir = temp();
    let out = dockside(dir.path(), &["check", "--no-such-flag"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--no-such-flag"), "{}", stderr(&out));

    let out = dockside(dir.path(), &["check", "--format", "xml"]);
    assert_eq!(code(&out), 2);

    let out = dockside(dir.path(), &["frobnicate"]);
    assert_eq!(code(&out), 2);

    let out = dockside(dir.path(), &["check", "--select", "syntax-eror"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("did you mean `syntax-error`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn help_and_version() {
    let dir = temp();
    let out = dockside(dir.path(), &["--version"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).starts_with("dockside "), "{}", stdout(&out));
    let out = dockside(dir.path(), &["check", "--help"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("--fail-level"));
}

#[test]
fn missing_path_is_an_error_but_others_are_linted() {
    let dir = temp();
    write(dir.path(), "Dockerfile", BROKEN);
    let out = dockside(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "DF001",
            "nope/Dockerfile",
            "Dockerfile",
        ],
    );
    assert_eq!(code(&out), 2, "2 wins over 1");
    assert!(stderr(&out).contains("nope/Dockerfile"), "{}", stderr(&out));
    assert_eq!(json(&out).len(), 1, "the existing file is still linted");
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp();
    write(dir.path(), "Dockerfile", CLEAN);
    fs::set_permissions(
        dir.path().join("Dockerfile"),
        fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    if fs::read(dir.path().join("Dockerfile")).is_ok() {
        eprintln!("skipped: running as root, permissions are not enforced");
        return;
    }
    let out = dockside(dir.path(), &["check", "Dockerfile"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("Dockerfile"), "{}", stderr(&out));
}

#[test]
fn invalid_config_exits_2_with_location() {
    let dir = temp();
    write(dir.path(), "Dockerfile", CLEAN);
    write(
        dir.path(),
        ".dockside.toml",
        "ignore = [\"no-such-rule\"]\n",
    );
    let out = dockside(dir.path(), &["check"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains(".dockside.toml:1:"), "{err}");
    assert!(err.contains("no-such-rule"), "{err}");

    // The same through --config.
    write(
        dir.path(),
        "other.toml",
        "select = [\"all\"]\nfail-level = \"loud\"\n",
    );
    let out = dockside(
        dir.path(),
        &["check", "--config", "other.toml", "Dockerfile"],
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("other.toml:2:"), "{}", stderr(&out));
}

#[test]
fn explicit_config_replaces_upward_search() {
    let dir = temp();
    write(dir.path(), "Dockerfile", BROKEN);
    write(dir.path(), ".dockside.toml", "ignore = [\"DF001\"]\n");
    let out = dockside(dir.path(), &["check", "--format", "json", "Dockerfile"]);
    assert!(
        json(&out).iter().all(|d| d["code"] != "DF001"),
        "the found config ignores DF001"
    );
    write(dir.path(), "strict.toml", "select = [\"syntax-error\"]\n");
    let out = dockside(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--config",
            "strict.toml",
            "Dockerfile",
        ],
    );
    assert_eq!(code(&out), 1);
    assert_eq!(json(&out)[0]["code"], "DF001");
}

#[test]
fn ignore_flag_overrides_selection() {
    let dir = temp();
    write(dir.path(), "Dockerfile", BROKEN);
    let out = dockside(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "DF001,DF002",
            "--ignore",
            "DL1000",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json(&out), Vec::<Value>::new());
}

#[test]
fn stdin_with_filename() {
    let dir = temp();
    write(dir.path(), "sub/.dockside.toml", "fail-level = \"none\"\n");
    let args = [
        "check",
        "--format",
        "json",
        "--select",
        "syntax-error",
        "--stdin-filename",
        "sub/Dockerfile",
        "-",
    ];
    let out = dockside_stdin(dir.path(), &args, Some(BROKEN.as_bytes()));
    let items = json(&out);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["path"], "sub/Dockerfile");
    assert_eq!(items[0]["range"]["start"]["line"], 2);
    assert_eq!(
        code(&out),
        0,
        "the configuration next to --stdin-filename applies (fail-level none)"
    );

    let out = dockside_stdin(
        dir.path(),
        &["check", "--format", "json", "--select", "syntax-error", "-"],
        Some(BROKEN.as_bytes()),
    );
    assert_eq!(code(&out), 1);
    assert_eq!(json(&out)[0]["path"], "-");
}

fn walk_tree(dir: &Path) {
    write(dir, "Dockerfile", BROKEN);
    write(dir, "app.Dockerfile", BROKEN);
    write(dir, "services/api/Dockerfile.dev", BROKEN);
    write(dir, "README.md", BROKEN);
    write(dir, "notes.txt", BROKEN);
    write(dir, "ignored/Dockerfile", BROKEN);
    write(dir, ".gitignore", "ignored/\n");
    write(dir, ".hidden/Dockerfile", BROKEN);
    write(dir, ".git/Dockerfile", BROKEN);
}

#[test]
fn walking_folders_detects_dockerfiles() {
    let dir = temp();
    walk_tree(dir.path());
    let out = dockside(
        dir.path(),
        &["check", "--format", "json", "--select", "syntax-error"],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(
        paths(&json(&out)),
        [
            ".hidden/Dockerfile",
            "Dockerfile",
            "app.Dockerfile",
            "services/api/Dockerfile.dev"
        ],
        "sorted, README.md, .gitignored folders and .git skipped"
    );

    // Walking a sub folder keeps the paths relative to the working directory.
    let out = dockside(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "syntax-error",
            "services",
        ],
    );
    assert_eq!(paths(&json(&out)), ["services/api/Dockerfile.dev"]);

    // A file named explicitly is always linted.
    let out = dockside(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "syntax-error",
            "README.md",
            "ignored/Dockerfile",
        ],
    );
    assert_eq!(paths(&json(&out)), ["README.md", "ignored/Dockerfile"]);
}

#[test]
fn exclude_and_include() {
    let dir = temp();
    walk_tree(dir.path());
    let out = dockside(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "syntax-error",
            "--exclude",
            "services",
            "--exclude",
            "*.Dockerfile",
            "--exclude",
            ".hidden",
        ],
    );
    assert_eq!(paths(&json(&out)), ["Dockerfile"]);

    let out = dockside(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "syntax-error",
            "--include",
            "*.txt",
        ],
    );
    assert_eq!(paths(&json(&out)), ["notes.txt"]);

    let out = dockside(dir.path(), &["check", "--exclude", "[oops"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("[oops"), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang() {
    let dir = temp();
    write(dir.path(), "a/Dockerfile", CLEAN);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("a/loop")).unwrap();
    let out = dockside(
        dir.path(),
        &["check", "--format", "json", "--select", "syntax-error"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn binary_file_is_a_syntax_error() {
    let dir = temp();
    write(
        dir.path(),
        "Dockerfile",
        b"FROM alpine\n\x00\x01\x02\xff\xfe binary\n",
    );
    let out = dockside(
        dir.path(),
        &["check", "--format", "json", "--select", "syntax-error"],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let items = json(&out);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["rule"], "syntax-error");
    assert_eq!(items[0]["range"]["start"]["line"], 2);

    // The human printer copes with it too.
    let out = dockside(dir.path(), &["check", "--select", "syntax-error"]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("Dockerfile:2:1"), "{}", stdout(&out));
}

#[test]
fn invalid_utf8_has_a_position() {
    let dir = temp();
    write(
        dir.path(),
        "Dockerfile",
        b"FROM alpine\nRUN echo \xc3\x28 caf\xc3\xa9\n",
    );
    let out = dockside(
        dir.path(),
        &["check", "--format", "json", "--select", "syntax-error"],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let items = json(&out);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["range"]["start"]["line"], 2);
    assert_eq!(items[0]["range"]["start"]["column"], 10);
}

#[test]
fn columns_count_characters() {
    let dir = temp();
    // The invalid byte follows `RUN echo café ` (14 characters, 15 bytes).
    write(
        dir.path(),
        "Dockerfile",
        b"FROM alpine\nRUN echo caf\xc3\xa9 \xff\n",
    );
    let out = dockside(
        dir.path(),
        &["check", "--format", "json", "--select", "syntax-error"],
    );
    let items = json(&out);
    assert_eq!(items[0]["range"]["start"]["line"], 2);
    assert_eq!(items[0]["range"]["start"]["column"], 15);
    let out = dockside(dir.path(), &["check", "--select", "syntax-error"]);
    assert!(
        stdout(&out).contains("Dockerfile:2:15: error DF001"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn bom_is_accepted() {
    let dir = temp();
    write(dir.path(), "Dockerfile", format!("\u{FEFF}{CLEAN}"));
    let out = dockside(
        dir.path(),
        &["check", "--format", "json", "--select", "syntax-error"],
    );
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

#[test]
fn rules_and_explain() {
    let dir = temp();
    let rules = rules(dir.path());
    let syntax = rules
        .iter()
        .find(|r| r["name"] == "syntax-error")
        .expect("syntax-error listed");
    assert_eq!(syntax["code"], "DF001");
    assert_eq!(syntax["severity"], "error");
    assert_eq!(syntax["fixable"], "none");
    assert!(syntax["aliases"].is_array());
    assert!(syntax["summary"].is_string());
    assert!(syntax["group"].is_string());

    let out = dockside(dir.path(), &["rules"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("DF001") && stdout(&out).contains("syntax-error"));

    for id in ["DF001", "syntax-error", "dl1000"] {
        let out = dockside(dir.path(), &["explain", id]);
        assert_eq!(code(&out), 0);
        assert!(stdout(&out).contains("## What it does"), "{}", stdout(&out));
        assert!(stdout(&out).contains("syntax-error"));
    }

    let out = dockside(dir.path(), &["explain", "nope"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("nope"));
    let out = dockside(dir.path(), &["explain", "syntax-eror"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("did you mean `syntax-error`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn statistics() {
    let dir = temp();
    write(dir.path(), "Dockerfile", "FROM alpine\nRUNN x\nRUNN y\n");
    let out = dockside(
        dir.path(),
        &["check", "--statistics", "--select", "syntax-error"],
    );
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).starts_with("2  DF001  syntax-error"),
        "{}",
        stdout(&out)
    );
    let out = dockside(
        dir.path(),
        &[
            "check",
            "--statistics",
            "--format",
            "json",
            "--select",
            "syntax-error",
        ],
    );
    let rows = json(&out);
    assert_eq!(rows[0]["count"], 2);
    assert_eq!(rows[0]["rule"], "syntax-error");
}

// ---- fixes -------------------------------------------------------------------

const SHELL_FORM: &str = "FROM alpine:3.20\nCMD python app.py\n";

/// The fix tests need `shell-form-entrypoint` with a fix; other crates are
/// adding it concurrently, so skip (loudly) while it is not there.
fn fixable_rule(dir: &Path) -> bool {
    let rules = rules(dir);
    match rules.iter().find(|r| r["name"] == "shell-form-entrypoint") {
        Some(r) if r["fixable"] != "none" => true,
        _ => {
            eprintln!(
                "skipped: `dockside rules --format json` does not list a fixable `shell-form-entrypoint` yet"
            );
            false
        }
    }
}

fn fixable_finding(dir: &Path) -> bool {
    let out = dockside(
        dir,
        &[
            "check",
            "--format",
            "json",
            "--select",
            "shell-form-entrypoint",
            "Dockerfile",
        ],
    );
    let items = json(&out);
    assert!(
        !items.is_empty(),
        "shell-form-entrypoint reports `CMD python app.py`"
    );
    let fix = &items[0]["fix"];
    if fix.is_null() {
        eprintln!("skipped: shell-form-entrypoint offers no fix for `CMD python app.py` yet");
        return false;
    }
    assert!(fix["title"].is_string());
    assert!(fix["edits"][0]["range"]["start"]["line"].is_number());
    fix["applicability"] == "safe"
}

#[test]
fn diff_and_fix_round_trip() {
    let dir = temp();
    if !fixable_rule(dir.path()) {
        return;
    }
    write(dir.path(), "Dockerfile", SHELL_FORM);
    if !fixable_finding(dir.path()) {
        return;
    }
    let select = ["--select", "shell-form-entrypoint"];

    let out = dockside(
        dir.path(),
        &[&["check", "--diff"][..], &select, &["Dockerfile"]].concat(),
    );
    assert_eq!(code(&out), 1, "a diff exists: {}", stderr(&out));
    let diff = stdout(&out);
    assert!(diff.contains("--- Dockerfile\n+++ Dockerfile\n"), "{diff}");
    assert!(diff.contains("-CMD python app.py"), "{diff}");
    assert!(diff.contains("+CMD [\"python\", \"app.py\"]"), "{diff}");
    assert_eq!(
        fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        SHELL_FORM,
        "--diff writes nothing"
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(
            dir.path().join("Dockerfile"),
            fs::Permissions::from_mode(0o640),
        )
        .unwrap();
    }
    let out = dockside(
        dir.path(),
        &[
            &["check", "--fix", "--format", "json"][..],
            &select,
            &["Dockerfile"],
        ]
        .concat(),
    );
    assert_eq!(
        code(&out),
        0,
        "nothing remains: {}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(json(&out), Vec::<Value>::new());
    assert_eq!(
        fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        "FROM alpine:3.20\nCMD [\"python\", \"app.py\"]\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dir.path().join("Dockerfile"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640, "permissions kept");
    }

    // Nothing left to do.
    let out = dockside(
        dir.path(),
        &[&["check", "--diff"][..], &select, &["Dockerfile"]].concat(),
    );
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out), "");
}

#[test]
fn fix_keeps_crlf_and_reports_fixed_count() {
    let dir = temp();
    if !fixable_rule(dir.path()) {
        return;
    }
    write(dir.path(), "Dockerfile", SHELL_FORM);
    if !fixable_finding(dir.path()) {
        return;
    }
    write(dir.path(), "Dockerfile", SHELL_FORM.replace('\n', "\r\n"));
    let out = dockside(
        dir.path(),
        &[
            "check",
            "--fix",
            "--select",
            "shell-form-entrypoint",
            "Dockerfile",
        ],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("Fixed 1 problem in 1 file."),
        "{}",
        stdout(&out)
    );
    let fixed = fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert!(fixed.contains("CMD [\"python\", \"app.py\"]"), "{fixed:?}");
    assert_eq!(
        fixed.matches("\r\n").count(),
        fixed.matches('\n').count(),
        "CRLF kept: {fixed:?}"
    );
}

#[test]
fn fix_from_stdin_prints_the_fixed_text() {
    let dir = temp();
    if !fixable_rule(dir.path()) {
        return;
    }
    write(dir.path(), "Dockerfile", SHELL_FORM);
    if !fixable_finding(dir.path()) {
        return;
    }
    let out = dockside_stdin(
        dir.path(),
        &[
            "check",
            "--fix",
            "--select",
            "shell-form-entrypoint",
            "--stdin-filename",
            "Dockerfile",
            "-",
        ],
        Some(SHELL_FORM.as_bytes()),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "FROM alpine:3.20\nCMD [\"python\", \"app.py\"]\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        SHELL_FORM,
        "disk untouched"
    );
}

#[test]
fn fix_never_rewrites_clean_files() {
    let dir = temp();
    write(dir.path(), "Dockerfile", CLEAN);
    let before = fs::metadata(dir.path().join("Dockerfile"))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let out = dockside(dir.path(), &["check", "--fix", "--select", "syntax-error"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        fs::metadata(dir.path().join("Dockerfile"))
            .unwrap()
            .modified()
            .unwrap(),
        before
    );
    let out = dockside(dir.path(), &["check", "--diff", "--select", "syntax-error"]);
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out), "");
}

/// `maintainer-deprecated` (if present) has a safe fix, `workdir-relative` an unsafe one.
#[test]
fn safe_and_unsafe_fixes() {
    let dir = temp();
    let rules = rules(dir.path());
    let has = |name: &str| {
        rules
            .iter()
            .any(|r| r["name"] == name && r["fixable"] != "none")
    };
    if !has("maintainer-deprecated") || !has("workdir-relative") {
        eprintln!("skipped: maintainer-deprecated / workdir-relative are not listed as fixable");
        return;
    }
    let original =
        "FROM alpine:3.20\r\nMAINTAINER me <me@x.org>\r\nWORKDIR app\r\nCMD [\"sh\"]\r\n";
    write(dir.path(), "Dockerfile", original);
    let select = "maintainer-deprecated,workdir-relative";

    let out = dockside(dir.path(), &["check", "--select", select]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains("fix available: "), "{text}");
    assert!(text.contains("(unsafe)"), "{text}");
    assert!(
        text.contains("1 fixable with --fix (1 more with --unsafe-fixes)"),
        "{text}"
    );

    let out = dockside(dir.path(), &["check", "--diff", "--select", select]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("-MAINTAINER me <me@x.org>\r\n"),
        "{}",
        stdout(&out)
    );
    assert!(
        !stdout(&out).contains("+WORKDIR /app"),
        "unsafe fixes need --unsafe-fixes"
    );
    let out = dockside(
        dir.path(),
        &["check", "--diff", "--unsafe-fixes", "--select", select],
    );
    assert!(stdout(&out).contains("+WORKDIR /app"), "{}", stdout(&out));
    assert_eq!(
        fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        original
    );

    let out = dockside(
        dir.path(),
        &["check", "--fix", "--format", "json", "--select", select],
    );
    assert_eq!(code(&out), 1, "the unsafe one remains");
    let remaining = json(&out);
    assert_eq!(remaining.len(), 1);
    assert_eq!(remaining[0]["rule"], "workdir-relative");
    assert_eq!(remaining[0]["range"]["start"]["line"], 3);
    let fixed = fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert!(!fixed.contains("MAINTAINER"), "{fixed:?}");
    assert_eq!(fixed.matches("\r\n").count(), 4, "CRLF kept: {fixed:?}");

    let out = dockside(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "--select", select],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("Fixed 1 problem in 1 file."),
        "{}",
        stdout(&out)
    );
    assert!(
        fs::read_to_string(dir.path().join("Dockerfile"))
            .unwrap()
            .contains("WORKDIR /app\r\n")
    );
}
