//! `dockside migrate hadolint` and hadolint compatibility, with the real binary.

use std::path::Path;
use std::process::{Command, Output};

fn dockside(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockside"))
        .args(args)
        .current_dir(dir)
        // No user-level hadolint configuration may leak into the tests.
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("no-xdg"))
        .output()
        .expect("run dockside")
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The rule codes reported by `dockside check --format json`, with severities.
fn findings(dir: &Path, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["check", "--format", "json", "--fail-level", "none"];
    args.extend_from_slice(extra);
    let out = dockside(dir, &args);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)));
    let list = json
        .as_array()
        .cloned()
        .or_else(|| json.get("diagnostics").and_then(|d| d.as_array()).cloned())
        .unwrap_or_default();
    list.iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["severity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

const HADOLINT: &str = "ignored:\n  - DL3059\n  - DL3999\noverride:\n  error:\n    - DL3015\nfailure-threshold: error\nlabel-schema:\n  maintainer: email\nstrict-labels: true\ndisable-ignore-pragma: false\n";

const DOCKERFILE: &str = "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN echo one\nRUN echo two\n";

#[test]
fn writes_the_equivalent_toml_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join(".hadolint.yaml"), HADOLINT).unwrap();

    let out = dockside(root, &["migrate", "hadolint"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // What could not be mapped is said, with its position.
    assert!(
        stderr(&out).contains(".hadolint.yaml:3:5"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("DL3999"), "{}", stderr(&out));
    let toml = std::fs::read_to_string(root.join(".dockside.toml")).unwrap();
    assert!(
        toml.contains("ignore = [\"merge-consecutive-runs\"]"),
        "{toml}"
    );
    assert!(toml.contains("fail-level = \"error\""), "{toml}");
    assert!(toml.contains("[severity]"), "{toml}");
    assert!(toml.contains("= \"error\""), "{toml}");
    assert!(toml.contains("maintainer = \"email\""), "{toml}");
    assert!(toml.contains("strict-labels = true"), "{toml}");
    assert!(toml.contains("DL3999"), "{toml}");

    // A second run refuses, --force overwrites.
    std::fs::write(root.join(".dockside.toml"), "# mine\n").unwrap();
    let out = dockside(root, &["migrate", "hadolint"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(root.join(".dockside.toml")).unwrap(),
        "# mine\n"
    );
    let out = dockside(root, &["migrate", "hadolint", "--force"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(root.join(".dockside.toml")).unwrap(),
        toml
    );
}

#[test]
fn migrated_config_lints_like_the_hadolint_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join(".hadolint.yaml"), HADOLINT).unwrap();
    std::fs::write(root.join("Dockerfile"), DOCKERFILE).unwrap();
    let with_hadolint = findings(root, &[]);
    // DL3015 (missing --no-install-recommends) is raised to error; DL3059 is ignored.
    assert!(
        with_hadolint.iter().any(|(_, s)| s == "error"),
        "{with_hadolint:?}"
    );
    let out = dockside(root, &["migrate", "hadolint", "--stdout"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    std::fs::write(root.join(".dockside.toml"), stdout(&out)).unwrap();
    let with_toml = findings(root, &[]);
    assert_eq!(with_hadolint, with_toml);
    // The fail level comes from `failure-threshold`.
    std::fs::remove_file(root.join(".dockside.toml")).unwrap();
    let out = dockside(root, &["check"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
}

#[test]
fn missing_or_invalid_hadolint_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let out = dockside(root, &["migrate", "hadolint"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains(".hadolint.yaml"), "{}", stderr(&out));
    std::fs::write(root.join(".hadolint.yml"), "failure-threshold: warn\n").unwrap();
    let out = dockside(root, &["migrate", "hadolint", ".hadolint.yml"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(".hadolint.yml:1:20"),
        "{}",
        stderr(&out)
    );
    assert!(!root.join(".dockside.toml").exists());
}

#[test]
fn hadolint_pragmas_and_buildkit_check_directive() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // `# hadolint global ignore=` silences the whole file.
    std::fs::write(
        root.join("Dockerfile"),
        "# hadolint global ignore=DL3015\nFROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
    )
    .unwrap();
    let found = findings(root, &[]);
    assert!(!found.iter().any(|(c, _)| c == "DF805"), "{found:?}");

    // `disable-ignore-pragma: true` turns the comments off.
    std::fs::write(root.join(".hadolint.yaml"), "disable-ignore-pragma: true\n").unwrap();
    let found = findings(root, &[]);
    assert!(found.iter().any(|(c, _)| c == "DF805"), "{found:?}");
    std::fs::remove_file(root.join(".hadolint.yaml")).unwrap();

    // BuildKit: `skip=` disables checks by name, `error=true` makes check warnings errors.
    std::fs::write(
        root.join("Dockerfile"),
        "# check=skip=JSONArgsRecommended;error=true\nFROM alpine:3.20\nWORKDIR app\nCMD echo hi\n",
    )
    .unwrap();
    let found = findings(root, &[]);
    // JSONArgsRecommended is `shell-form-entrypoint` (DF402); WorkdirRelativePath is DF501.
    assert!(!found.iter().any(|(c, _)| c == "DF402"), "{found:?}");
    assert!(
        found.iter().any(|(c, s)| c == "DF501" && s == "error"),
        "{found:?}"
    );
}

#[test]
fn hadolint_shell_pragma_turns_off_posix_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let run = "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n";
    std::fs::write(root.join("Dockerfile"), format!("FROM ubuntu:24.04\n{run}")).unwrap();
    assert!(findings(root, &[]).iter().any(|(c, _)| c == "DF805"));
    std::fs::write(
        root.join("Dockerfile"),
        format!("FROM ubuntu:24.04\n# hadolint shell=pwsh\n{run}"),
    )
    .unwrap();
    let found = findings(root, &[]);
    assert!(!found.iter().any(|(c, _)| c == "DF805"), "{found:?}");
}
