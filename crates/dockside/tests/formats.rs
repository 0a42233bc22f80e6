//! The CI output formats (`--format sarif|github|gitlab|checkstyle|junit|gnu`), run
//! through the real binary on a small project with Dockerfile and Compose findings
//! and suppression comments.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const DOCKERFILE: &str = "\
FROM ubuntu:24.04
RUN apt-get update
RUN apt-get install -y curl
# dockside ignore=shell-form-entrypoint -- the image runs under tini
CMD node server.js
";

/// `image-tag` on line 8 comes after a character outside the BMP: its column is 39
/// in characters and 40 in UTF-16 code units.
const COMPOSE: &str = "\
version: \"3\"
services:
  web:
    # hadolint ignore=DC103
    image: nginx:latest
    ports:
      - 8080:80
  cache: {labels: {note: \"😀\"}, image: \"redis:latest\"}
";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), DOCKERFILE).unwrap();
    fs::write(dir.path().join("compose.yaml"), COMPOSE).unwrap();
    // The findings these tests describe come from a fixed set of rules, whatever rules are
    // added later.
    fs::write(
        dir.path().join(".dockside.toml"),
        "select = [\"apt-update-alone\", \"merge-consecutive-runs\", \"shell-form-entrypoint\", \"obsolete-version\", \"unquoted-port\", \"image-tag\", \"invalid-suppression\", \"package-cache-not-cleaned\"]\n",
    )
    .unwrap();
    dir
}

fn dockside(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dockside"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dockside");
    {
        let mut pipe = child.stdin.take().unwrap();
        if let Some(input) = stdin {
            pipe.write_all(input.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn check(dir: &Path, format: &str) -> (i32, String) {
    let out = dockside(dir, &["check", "--format", format, "."], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.is_empty(),
        "--format {format} wrote to stderr: {stderr}"
    );
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn parse_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn sarif_schema() -> jsonschema::Validator {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/resources/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
}

fn assert_valid_sarif(log: &Value) {
    let validator = sarif_schema();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

/// The SARIF results whose rule is `code`.
fn results_of<'a>(log: &'a Value, code: &str) -> Vec<&'a Value> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == code)
        .collect()
}

#[test]
fn sarif_is_valid_and_describes_rules_results_fixes_and_suppressions() {
    let dir = project();
    let (status, text) = check(dir.path(), "sarif");
    assert_eq!(status, 1);
    let log = parse_json(&text);
    assert_valid_sarif(&log);
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(
        !sarif_schema().is_valid(&broken),
        "the schema check can fail"
    );
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );

    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "dockside");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        driver["informationUri"],
        "https://github.com/dockside/dockside"
    );
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["DC101", "DC103", "DC201", "DF101", "DF202", "DF402"],
        "every rule with a result (suppressed ones too), sorted by code"
    );
    let runs_rule = &rules[3];
    assert_eq!(runs_rule["name"], "merge-consecutive-runs");
    assert_eq!(
        runs_rule["helpUri"],
        "https://github.com/dockside/dockside/blob/main/rules/merge-consecutive-runs.md"
    );
    assert_eq!(
        runs_rule["shortDescription"]["text"],
        "Consecutive RUN instructions that could be one layer"
    );
    assert!(
        runs_rule["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Reports consecutive `RUN` instructions")
    );
    assert!(
        runs_rule["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## Why is this bad?")
    );
    assert_eq!(runs_rule["defaultConfiguration"]["level"], "warning");
    assert_eq!(
        runs_rule["properties"]["tags"],
        serde_json::json!(["layers", "dockerfile"])
    );
    assert_eq!(
        runs_rule["properties"]["aliases"],
        serde_json::json!(["DL3059"])
    );

    let results = run["results"].as_array().unwrap();
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[index]["id"], r["ruleId"],
            "ruleIndex points at its rule"
        );
        let location = &r["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    }
    let order: Vec<(&str, u64)> = results
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                loc["artifactLocation"]["uri"].as_str().unwrap(),
                loc["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "results by file, then position");

    // A finding with a related location and a safe fix.
    let merge = results_of(&log, "DF101");
    assert_eq!(merge.len(), 1);
    let merge = merge[0];
    assert_eq!(merge["level"], "warning");
    assert_eq!(
        merge["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "Dockerfile"
    );
    assert_eq!(
        merge["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 4})
    );
    assert_eq!(
        merge["relatedLocations"][0]["message"]["text"],
        "the previous RUN"
    );
    assert_eq!(
        merge["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    let fix = &merge["fixes"][0];
    assert_eq!(fix["properties"]["applicability"], "safe");
    let replacement = &fix["artifactChanges"][0]["replacements"][0];
    assert_eq!(
        replacement["deletedRegion"],
        serde_json::json!({"startLine": 2, "startColumn": 19, "endLine": 3, "endColumn": 5})
    );
    assert_eq!(replacement["insertedContent"]["text"], " && \\\n    ");
    assert!(merge.get("suppressions").is_none());

    // Suppressed by `# dockside ignore=… -- reason`: recorded with the reason.
    let cmd = results_of(&log, "DF402");
    assert_eq!(cmd.len(), 1);
    assert_eq!(
        cmd[0]["suppressions"],
        serde_json::json!([{"kind": "inSource", "justification": "the image runs under tini"}])
    );
    assert_eq!(
        cmd[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        5
    );

    // Suppressed by `# hadolint ignore=…` without a reason; the other image-tag is not.
    let images = results_of(&log, "DC103");
    assert_eq!(images.len(), 2);
    assert_eq!(
        images[0]["suppressions"],
        serde_json::json!([{"kind": "inSource"}])
    );
    assert!(images[1].get("suppressions").is_none());
    // After "😀" (two UTF-16 code units): character column 39, UTF-16 column 40.
    assert_eq!(
        images[1]["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 8, "startColumn": 40, "endLine": 8, "endColumn": 54})
    );
    assert_eq!(
        images[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "compose.yaml"
    );

    // The same project without the suppressions reports them: same count of results.
    let json = dockside(dir.path(), &["check", "--format", "json", "."], None);
    let reported = parse_json(&String::from_utf8(json.stdout).unwrap());
    let unsuppressed = results
        .iter()
        .filter(|r| r.get("suppressions").is_none())
        .count();
    assert_eq!(reported.as_array().unwrap().len(), unsuppressed);
    assert_eq!(results.len(), unsuppressed + 2);
}

#[test]
fn sarif_exit_status_ignores_suppressed_results() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\n# dockside ignore=shell-form-entrypoint -- PID 1 is tini\nCMD node server.js\n",
    )
    .unwrap();
    let (status, text) = check(dir.path(), "sarif");
    assert_eq!(status, 0, "{text}");
    let log = parse_json(&text);
    assert_valid_sarif(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0]["suppressions"][0]["justification"],
        "PID 1 is tini"
    );
}

#[test]
fn sarif_of_a_clean_project_is_a_valid_empty_run() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nCMD [\"sh\"]\n",
    )
    .unwrap();
    let (status, text) = check(dir.path(), "sarif");
    assert_eq!(status, 0);
    let log = parse_json(&text);
    assert_valid_sarif(&log);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"],
        serde_json::json!([])
    );
}

/// `ruleId` + fingerprint → start line, for every result.
fn fingerprints(log: &Value) -> BTreeMap<(String, String), u64> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let fingerprint = r["partialFingerprints"]["dockside/v1"]
                .as_str()
                .expect("a dockside/v1 fingerprint")
                .to_string();
            let line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap();
            (
                (r["ruleId"].as_str().unwrap().to_string(), fingerprint),
                line,
            )
        })
        .collect()
}

#[test]
fn sarif_fingerprints_survive_lines_moving_and_tell_findings_apart() {
    let dir = project();
    // Two identical findings on identical lines: told apart by their occurrence.
    let compose =
        format!("{COMPOSE}  api:\n    image: nginx:latest\n  worker:\n    image: nginx:latest\n");
    fs::write(dir.path().join("compose.yaml"), &compose).unwrap();
    let before = fingerprints(&parse_json(&check(dir.path(), "sarif").1));
    let results = parse_json(&check(dir.path(), "sarif").1)["runs"][0]["results"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before.len(), results, "one distinct fingerprint per result");
    assert!(
        before
            .keys()
            .any(|(rule, f)| rule == "DC103" && f.ends_with(":1")),
        "{before:?}"
    );

    fs::write(
        dir.path().join("Dockerfile"),
        format!("# syntax=docker/dockerfile:1\n\n# Build the app\n{DOCKERFILE}"),
    )
    .unwrap();
    fs::write(
        dir.path().join("compose.yaml"),
        format!("# The app and its cache\n\n{compose}"),
    )
    .unwrap();
    let after = fingerprints(&parse_json(&check(dir.path(), "sarif").1));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the same fingerprints after lines were added above the findings"
    );
    for (key, line) in &before {
        let moved = after[key];
        assert!(
            moved == line + 3 || moved == line + 2,
            "{key:?} moved from line {line} to {moved}"
        );
    }

    // Editing a flagged line changes its fingerprint.
    fs::write(
        dir.path().join("compose.yaml"),
        compose.replace("redis:latest", "valkey:latest"),
    )
    .unwrap();
    let edited = fingerprints(&parse_json(&check(dir.path(), "sarif").1));
    let image_tags = |map: &BTreeMap<(String, String), u64>| -> BTreeSet<String> {
        map.keys()
            .filter(|(rule, _)| rule == "DC103")
            .map(|(_, f)| f.clone())
            .collect()
    };
    let (old, new) = (image_tags(&after), image_tags(&edited));
    assert_eq!(
        old.len(),
        4,
        "three on `image: nginx:latest` (one suppressed), one on redis"
    );
    assert_eq!(old.intersection(&new).count(), 3, "{old:?} {new:?}");
}

#[test]
fn github_prints_one_escaped_workflow_command_per_finding() {
    let dir = project();
    let (status, text) = check(dir.path(), "github");
    assert_eq!(status, 1);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "::warning file=Dockerfile,line=2,col=5,endColumn=19,title=DF202 apt-update-alone::`apt-get update` runs without an install in the same RUN: its layer caches the package index, and later installs reuse that stale index; refresh and install in one RUN (`apt-get update && … install …`)",
            "::warning file=Dockerfile,line=3,col=1,endColumn=4,title=DF101 merge-consecutive-runs::this RUN directly follows the RUN on line 2 and adds another layer: join them into one RUN with `&&`",
            "::warning file=compose.yaml,line=1,col=1,endColumn=13,title=DC101 obsolete-version::`version: \"3\"` is obsolete: docker compose ignores it",
            "::warning file=compose.yaml,line=7,col=9,endColumn=16,title=DC201 unquoted-port::`8080:80` in `ports` is not quoted; quote it so every YAML parser reads it as a string",
            "::warning file=compose.yaml,line=8,col=39,endColumn=53,title=DC103 image-tag::`redis:latest` follows the `latest` tag, which moves with every release; pin a version tag (`redis:<version>`) or a digest",
        ]
    );
}

#[test]
fn github_escapes_properties_and_maps_severities() {
    let dir = tempfile::tempdir().unwrap();
    // A syntax error (error) and a path with `,` and `:` read from stdin.
    let out = dockside(
        dir.path(),
        &[
            "check",
            "--format",
            "github",
            "-",
            "--stdin-filename",
            "a,b:c/Dockerfile",
        ],
        Some("FROM alpine:3.20\nRUNN x\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text.lines().next().unwrap();
    assert!(
        line.starts_with(
            "::error file=a%2Cb%3Ac/Dockerfile,line=2,col=1,endColumn=5,title=DF001 syntax-error::"
        ),
        "{text}"
    );
}

#[test]
fn gitlab_code_quality_report() {
    let dir = project();
    let (status, text) = check(dir.path(), "gitlab");
    assert_eq!(status, 1);
    let issues = parse_json(&text);
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 5, "suppressed findings are left out");
    let first = &issues[0];
    assert_eq!(first["type"], "issue");
    assert_eq!(first["check_name"], "DF202");
    assert_eq!(first["severity"], "major");
    assert_eq!(
        first["location"],
        serde_json::json!({"path": "Dockerfile", "lines": {"begin": 2, "end": 2}})
    );
    assert!(
        first["description"]
            .as_str()
            .unwrap()
            .ends_with("(apt-update-alone)")
    );
    let fingerprints: BTreeSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints.len(), issues.len(), "unique fingerprints");
    let paths: Vec<&str> = issues
        .iter()
        .map(|i| i["location"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "Dockerfile",
            "Dockerfile",
            "compose.yaml",
            "compose.yaml",
            "compose.yaml"
        ]
    );

    // Severity mapping keeps dockside's order; the hadolint spelling is an alias.
    let out = dockside(
        dir.path(),
        &[
            "check",
            "--format",
            "gitlab_codeclimate",
            "--select",
            "syntax-error",
            "-",
            "--stdin-filename",
            "sub/Dockerfile",
        ],
        Some("FROM alpine:3.20\nRUNN x\n"),
    );
    let issues = parse_json(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(issues[0]["severity"], "critical");
    assert_eq!(issues[0]["location"]["path"], "sub/Dockerfile");
}

#[test]
fn gitlab_fingerprints_are_stable_when_lines_move() {
    let dir = project();
    let before: BTreeSet<String> = parse_json(&check(dir.path(), "gitlab").1)
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap().to_string())
        .collect();
    fs::write(
        dir.path().join("Dockerfile"),
        format!("# top\n{DOCKERFILE}"),
    )
    .unwrap();
    let after: BTreeSet<String> = parse_json(&check(dir.path(), "gitlab").1)
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(before, after);
}

/// A parsed XML element: name, attributes (unescaped), children and text.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: BTreeMap<String, String>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> &str {
        self.attributes
            .get(name)
            .unwrap_or_else(|| panic!("<{}> has no {name}: {:?}", self.name, self.attributes))
    }

    fn all(&self, name: &str) -> Vec<&Element> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(';').expect("entity ends with ;") + i;
        let entity = &rest[i + 1..end];
        out.push(match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = entity.strip_prefix('#').expect("known entity");
                char::from_u32(code.parse().expect("decimal reference")).unwrap()
            }
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A small XML reader for what the printers write (declaration, elements,
/// double-quoted attributes, text): panics on anything malformed, such as
/// unbalanced tags or a raw `<` or `&` in text.
fn parse_xml(xml: &str) -> Element {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .expect("XML declaration");
    let mut stack = vec![Element::default()];
    let mut rest = body;
    while !rest.is_empty() {
        let lt = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..lt];
        assert!(!text.contains('>'), "raw > in text: {text}");
        if !text.trim().is_empty() {
            stack.last_mut().unwrap().text.push_str(&unescape(text));
        }
        rest = &rest[lt..];
        if rest.is_empty() {
            break;
        }
        let gt = rest.find('>').expect("tag ends");
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let done = stack.pop().unwrap();
            assert_eq!(done.name, name, "unbalanced tags");
            stack.last_mut().unwrap().children.push(done);
            continue;
        }
        let (tag, closed) = match tag.strip_suffix('/') {
            Some(t) => (t, true),
            None => (tag, false),
        };
        let (name, mut attrs) = tag.split_once(' ').unwrap_or((tag, ""));
        let mut element = Element {
            name: name.to_string(),
            ..Element::default()
        };
        while let Some(eq) = attrs.find("=\"") {
            let key = attrs[..eq].trim().to_string();
            let value_end = attrs[eq + 2..].find('"').expect("attribute ends") + eq + 2;
            let value = &attrs[eq + 2..value_end];
            assert!(!value.contains('<'), "raw < in attribute");
            element.attributes.insert(key, unescape(value));
            attrs = &attrs[value_end + 1..];
        }
        assert!(attrs.trim().is_empty(), "unparsed attributes: {attrs}");
        if closed {
            stack.last_mut().unwrap().children.push(element);
        } else {
            stack.push(element);
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut document = stack.pop().unwrap();
    assert_eq!(document.children.len(), 1, "one root element");
    document.children.pop().unwrap()
}

#[test]
fn checkstyle_xml() {
    let dir = project();
    fs::create_dir(dir.path().join("clean")).unwrap();
    fs::write(
        dir.path().join("clean/Dockerfile"),
        "FROM alpine:3.20\nCMD [\"sh\"]\n",
    )
    .unwrap();
    let (status, text) = check(dir.path(), "checkstyle");
    assert_eq!(status, 1);
    let root = parse_xml(&text);
    assert_eq!(root.name, "checkstyle");
    assert_eq!(root.attr("version"), "4.3");
    let files: Vec<&str> = root.all("file").iter().map(|f| f.attr("name")).collect();
    assert_eq!(files, ["Dockerfile", "clean/Dockerfile", "compose.yaml"]);
    let dockerfile = &root.children[0];
    let errors = dockerfile.all("error");
    assert_eq!(errors.len(), 2);
    let merge = errors[1];
    assert_eq!(merge.attr("line"), "3");
    assert_eq!(merge.attr("column"), "1");
    assert_eq!(merge.attr("severity"), "warning");
    assert_eq!(merge.attr("source"), "DF101");
    assert_eq!(
        merge.attr("message"),
        "this RUN directly follows the RUN on line 2 and adds another layer: join them into one RUN with `&&`"
    );
    assert!(
        root.children[1].children.is_empty(),
        "a clean file has no errors"
    );
    let compose = root.children[2].all("error");
    assert_eq!(compose.len(), 3);
    assert_eq!(
        compose[0].attr("message"),
        "`version: \"3\"` is obsolete: docker compose ignores it"
    );
    assert_eq!(compose[2].attr("column"), "39", "columns in characters");
    assert!(text.contains("join them into one RUN with `&amp;&amp;`\" source=\"DF101\"/>"));
}

#[test]
fn junit_xml() {
    let dir = project();
    fs::create_dir(dir.path().join("clean")).unwrap();
    fs::write(
        dir.path().join("clean/Dockerfile"),
        "FROM alpine:3.20\nCMD [\"sh\"]\n",
    )
    .unwrap();
    let (status, text) = check(dir.path(), "junit");
    assert_eq!(status, 1);
    let root = parse_xml(&text);
    assert_eq!(root.name, "testsuites");
    assert_eq!(root.attr("tests"), "6");
    assert_eq!(root.attr("failures"), "5");
    let suites = root.all("testsuite");
    let names: Vec<&str> = suites.iter().map(|s| s.attr("name")).collect();
    assert_eq!(names, ["Dockerfile", "clean/Dockerfile", "compose.yaml"]);
    assert_eq!(suites[0].attr("tests"), "2");
    assert_eq!(suites[0].attr("failures"), "2");
    let case = suites[0].all("testcase")[1];
    assert_eq!(case.attr("name"), "DF101 merge-consecutive-runs at 3:1");
    assert_eq!(case.attr("classname"), "Dockerfile");
    assert_eq!(case.attr("file"), "Dockerfile");
    assert_eq!(case.attr("line"), "3");
    let failure = &case.children[0];
    assert_eq!(failure.name, "failure");
    assert_eq!(failure.attr("type"), "warning");
    assert_eq!(
        failure.text,
        "Dockerfile:3:1: warning DF101 merge-consecutive-runs\n\
         this RUN directly follows the RUN on line 2 and adds another layer: join them into one RUN with `&&`\n\
         Dockerfile:2:1: note: the previous RUN"
    );
    // A clean file passes.
    let clean = suites[1].all("testcase");
    assert_eq!(clean.len(), 1);
    assert!(clean[0].children.is_empty());
    assert_eq!(suites[1].attr("failures"), "0");
}

#[test]
fn gnu_lines() {
    let dir = project();
    let (status, text) = check(dir.path(), "gnu");
    assert_eq!(status, 1);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert_eq!(
        lines[1],
        "Dockerfile:3.1-3.4: warning: this RUN directly follows the RUN on line 2 and adds another layer: join them into one RUN with `&&` [merge-consecutive-runs]"
    );
    assert_eq!(
        lines[2],
        "compose.yaml:1.1-1.13: warning: `version: \"3\"` is obsolete: docker compose ignores it [obsolete-version]"
    );
    assert!(lines[4].starts_with("compose.yaml:8.39-8.53: warning: `redis:latest`"));
    assert!(lines[4].ends_with(" [image-tag]"));
}

#[test]
fn every_format_reads_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let input = "FROM alpine:3.20\nRUN apk add curl\nRUN echo done\n";
    for format in ["sarif", "github", "gitlab", "checkstyle", "junit", "gnu"] {
        let out = dockside(
            dir.path(),
            &[
                "check",
                "--format",
                format,
                "-",
                "--stdin-filename",
                "app/Dockerfile",
            ],
            Some(input),
        );
        assert_eq!(out.status.code(), Some(1), "{format}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("app/Dockerfile"), "{format}: {text}");
        assert!(
            text.contains("DF101") || text.contains("merge-consecutive-runs"),
            "{format}: {text}"
        );
    }
    let out = dockside(
        dir.path(),
        &[
            "check",
            "--format",
            "sarif",
            "-",
            "--stdin-filename",
            "app/Dockerfile",
        ],
        Some(input),
    );
    let log = parse_json(&String::from_utf8(out.stdout).unwrap());
    assert_valid_sarif(&log);
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/Dockerfile"
    );
}

#[test]
fn with_fix_the_remaining_findings_are_printed() {
    let dir = project();
    let out = dockside(
        dir.path(),
        &["check", "--fix", "--format", "gnu", "."],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("[merge-consecutive-runs]"), "fixed: {text}");
    assert!(!text.contains("[unquoted-port]"), "fixed: {text}");
    assert!(text.contains("[image-tag]"), "no fix for image-tag: {text}");
    assert!(
        fs::read_to_string(dir.path().join("Dockerfile"))
            .unwrap()
            .contains("apt-get update && \\\n    apt-get install")
    );

    let out = dockside(
        dir.path(),
        &["check", "--fix", "--format", "sarif", "."],
        None,
    );
    let log = parse_json(&String::from_utf8(out.stdout).unwrap());
    assert_valid_sarif(&log);
    assert!(results_of(&log, "DF101").is_empty());
    // The suppressed CMD was not fixed and is still recorded as suppressed.
    assert_eq!(
        results_of(&log, "DF402")[0]["suppressions"][0]["kind"],
        "inSource"
    );
}

#[test]
fn fail_level_decides_the_exit_status_not_the_output() {
    let dir = project();
    let out = dockside(
        dir.path(),
        &["check", "--format", "sarif", "--fail-level", "error", "."],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let log = parse_json(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 7);
}

#[test]
fn quiet_and_statistics_with_ci_formats() {
    let dir = project();
    let (_, plain) = check(dir.path(), "gnu");
    let quiet = dockside(
        dir.path(),
        &["check", "--quiet", "--format", "gnu", "."],
        None,
    );
    assert_eq!(String::from_utf8(quiet.stdout).unwrap(), plain);

    let out = dockside(
        dir.path(),
        &["check", "--statistics", "--format", "checkstyle", "."],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "--statistics applies to the human and json formats; ignored with --format checkstyle"
    ));
    parse_xml(&String::from_utf8(out.stdout).unwrap());
}

#[test]
fn hadolint_format_names_are_accepted() {
    let dir = project();
    let (_, human) = check(dir.path(), "human");
    let (_, tty) = check(dir.path(), "tty");
    assert_eq!(human, tty);
    let (_, gitlab) = check(dir.path(), "gitlab");
    let (_, alias) = check(dir.path(), "gitlab_codeclimate");
    assert_eq!(gitlab, alias);
}
