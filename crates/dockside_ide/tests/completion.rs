//! Completion on small realistic Dockerfiles: instruction snippets,
//! directives, flags, `--mount` keys and types, stages, variables.

use std::path::PathBuf;

use dockside_ide::{Analysis, CompletionItem, CompletionKind, completions};
use dockside_linter::{Config, LintOptions};
use dockside_syntax::TextRange;

fn analyse(text: &str) -> Analysis {
    let dir: PathBuf = std::env::temp_dir().join("dockside_ide_completion_tests");
    std::fs::create_dir_all(&dir).unwrap();
    Analysis::new(
        &dir.join("Dockerfile"),
        text,
        Config::default_for(dir.clone()),
        LintOptions::default(),
    )
}

/// Completions at the `|` marker (removed from the text).
fn complete(marked: &str) -> (String, usize, Vec<CompletionItem>) {
    let offset = marked.find('|').expect("cursor marker");
    let text = marked.replacen('|', "", 1);
    let a = analyse(&text);
    let items = completions(&a, offset);
    (text, offset, items)
}

fn labels(items: &[CompletionItem]) -> Vec<&str> {
    items.iter().map(|i| i.label.as_str()).collect()
}

fn item<'a>(items: &'a [CompletionItem], label: &str) -> &'a CompletionItem {
    items
        .iter()
        .find(|i| i.label == label)
        .unwrap_or_else(|| panic!("no {label} in {:?}", labels(items)))
}

const ALL_KEYWORDS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

#[test]
fn instructions_on_an_empty_line() {
    let (_, offset, items) = complete("FROM alpine:3.20\n|\n");
    assert_eq!(labels(&items), ALL_KEYWORDS);
    assert!(
        items
            .iter()
            .all(|i| i.kind == CompletionKind::Keyword && i.is_snippet)
    );
    assert!(items.iter().all(|i| i.replace == TextRange::empty(offset)));
    let run = item(&items, "RUN");
    assert_eq!(run.insert_text.as_deref(), Some("RUN ${1:command}"));
    assert!(run.documentation.as_deref().unwrap().starts_with("**RUN**"));
    assert_eq!(
        item(&items, "FROM").insert_text.as_deref(),
        Some("FROM ${1:image}:${2:tag} AS ${3:name}")
    );
    assert_eq!(
        item(&items, "COPY").insert_text.as_deref(),
        Some("COPY ${1:src} ${2:dest}")
    );
    assert_eq!(
        item(&items, "HEALTHCHECK").insert_text.as_deref(),
        Some("HEALTHCHECK --interval=${1:30s} CMD ${2:command}")
    );
}

#[test]
fn partial_keyword_is_replaced() {
    let (_, _, items) = complete("FROM alpine:3.20\nRU|\n");
    assert_eq!(labels(&items), ["RUN"]);
    assert_eq!(items[0].replace, TextRange::new(17, 19));

    let (_, _, items) = complete("FROM alpine:3.20\nco|");
    assert_eq!(labels(&items), ["COPY"]);
}

#[test]
fn keywords_follow_the_file_casing() {
    let (_, _, items) = complete("from alpine:3.20 as base\nrun echo hi\n|\n");
    let from = item(&items, "from");
    assert_eq!(
        from.insert_text.as_deref(),
        Some("from ${1:image}:${2:tag} as ${3:name}")
    );
    assert_eq!(
        item(&items, "run").insert_text.as_deref(),
        Some("run ${1:command}")
    );
    assert!(!items.iter().any(|i| i.label == "RUN"));
}

#[test]
fn directives_on_the_first_line() {
    let (_, offset, items) = complete("|");
    let directives: Vec<&str> = items
        .iter()
        .filter(|i| i.kind == CompletionKind::Directive)
        .map(|i| i.label.as_str())
        .collect();
    assert_eq!(
        directives,
        [
            "# syntax=docker/dockerfile:1",
            "# escape=`",
            "# check=skip="
        ]
    );
    assert_eq!(
        item(&items, "# syntax=docker/dockerfile:1")
            .insert_text
            .as_deref(),
        Some("# syntax=${1:docker/dockerfile:1}")
    );
    assert!(items.iter().all(|i| i.replace == TextRange::empty(offset)));
    // Instructions are offered too.
    assert!(items.iter().any(|i| i.label == "FROM"));

    // A started comment on line 1 gets only directives, replacing the `#…` text.
    let (_, _, items) = complete("# s|\nFROM alpine\n");
    assert_eq!(labels(&items), ["# syntax=docker/dockerfile:1"]);
    assert_eq!(items[0].replace, TextRange::new(0, 3));

    // After a directive, the others (not the same one again).
    let (_, _, items) = complete("# syntax=docker/dockerfile:1\n#|\nFROM alpine\n");
    assert_eq!(labels(&items), ["# escape=`", "# check=skip="]);

    // Not after an instruction.
    let (_, _, items) = complete("FROM alpine\n# |\n");
    assert!(items.is_empty(), "{:?}", labels(&items));
}

#[test]
fn copy_flags() {
    let (_, offset, items) = complete("FROM alpine\nCOPY --|\n");
    assert_eq!(
        labels(&items),
        [
            "--from",
            "--chown",
            "--chmod",
            "--link",
            "--parents",
            "--exclude"
        ]
    );
    assert!(
        items
            .iter()
            .all(|i| i.kind == CompletionKind::Flag
                && i.replace == TextRange::new(offset - 2, offset))
    );
    assert_eq!(
        item(&items, "--from").insert_text.as_deref(),
        Some("--from=${1:stage}")
    );
    assert_eq!(
        item(&items, "--chown").insert_text.as_deref(),
        Some("--chown=${1:user}:${2:group}")
    );
    assert_eq!(
        item(&items, "--link").insert_text.as_deref(),
        Some("--link")
    );

    // Flags already given are not offered again; a partial name filters.
    let (_, _, items) = complete("FROM alpine\nCOPY --link --ch|\n");
    assert_eq!(labels(&items), ["--chown", "--chmod"]);

    let (_, _, items) = complete("FROM alpine\nADD --|\n");
    assert_eq!(
        labels(&items),
        [
            "--chown",
            "--chmod",
            "--link",
            "--checksum",
            "--keep-git-dir",
            "--unpack",
            "--exclude"
        ]
    );
    let (_, _, items) = complete("FROM alpine\nHEALTHCHECK --|\n");
    assert_eq!(
        labels(&items),
        [
            "--interval",
            "--timeout",
            "--start-period",
            "--start-interval",
            "--retries"
        ]
    );
    let (_, _, items) = complete("FROM --|\n");
    assert_eq!(labels(&items), ["--platform"]);
    // No flags once the arguments started.
    let (_, _, items) = complete("FROM alpine\nCOPY a.txt --|\n");
    assert!(items.is_empty(), "{:?}", labels(&items));
}

#[test]
fn copy_from_lists_earlier_stages_only() {
    let text = "\
FROM golang:1.22 AS build
RUN go build -o /out/app ./...
FROM alpine:3.20 AS certs
FROM scratch
COPY --from=| /out/app /app
FROM alpine AS later
";
    let (_, offset, items) = complete(text);
    assert_eq!(labels(&items), ["build", "certs", "0", "1"]);
    assert!(
        items
            .iter()
            .all(|i| i.kind == CompletionKind::Stage && i.replace == TextRange::empty(offset))
    );
    assert_eq!(
        item(&items, "build").detail.as_deref(),
        Some("stage 0: golang:1.22")
    );
    assert_eq!(
        item(&items, "1").detail.as_deref(),
        Some("stage 1 (certs): alpine:3.20")
    );

    let (_, offset, items) = complete(&text.replace("--from=|", "--from=bu|"));
    assert_eq!(labels(&items), ["build"]);
    assert_eq!(items[0].replace, TextRange::new(offset - 2, offset));
}

#[test]
fn mount_types_and_keys() {
    let (_, offset, items) =
        complete("FROM python:3.12\nRUN --mount=type=| pip install -r requirements.txt\n");
    assert_eq!(labels(&items), ["bind", "cache", "tmpfs", "secret", "ssh"]);
    assert!(
        items
            .iter()
            .all(|i| i.kind == CompletionKind::Value && i.replace == TextRange::empty(offset))
    );
    assert!(
        item(&items, "cache")
            .documentation
            .as_deref()
            .unwrap()
            .starts_with("**Mount type `cache`**")
    );

    let (_, _, items) = complete("FROM python:3.12\nRUN --mount=type=c|\n");
    assert_eq!(labels(&items), ["cache"]);

    // Keys: `type=` first when no type is given (bind keys).
    let (_, offset, items) = complete("FROM python:3.12\nRUN --mount=|\n");
    assert_eq!(
        labels(&items),
        ["type=", "target=", "source=", "from=", "rw"]
    );
    assert!(items.iter().all(|i| i.replace == TextRange::empty(offset)));

    // Keys of the chosen type, minus those already given.
    let (_, offset, items) =
        complete("FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache,s|\n");
    assert_eq!(labels(&items), ["sharing=", "source="]);
    assert!(
        items
            .iter()
            .all(|i| i.replace == TextRange::new(offset - 1, offset))
    );

    let (_, _, items) = complete("FROM python:3.12\nRUN --mount=type=cache,sharing=|\n");
    assert_eq!(labels(&items), ["shared", "private", "locked"]);

    // `from=` in a mount lists stages too.
    let (_, _, items) =
        complete("FROM node:20 AS deps\nFROM node:20\nRUN --mount=type=bind,from=|\n");
    assert_eq!(labels(&items), ["deps", "0"]);

    let (_, _, items) = complete("FROM python:3.12\nRUN --|\n");
    assert_eq!(labels(&items), ["--mount", "--network", "--security"]);
    let (_, _, items) = complete("FROM python:3.12\nRUN --mount=type=cache,target=/x --|\n");
    assert_eq!(labels(&items), ["--mount", "--network", "--security"]);
}

const VARS: &str = "\
ARG PY_VERSION=3.12
ARG BUILD_ID
FROM python:$PY_VERSION
ARG BUILD_ID
ENV APP_HOME=/srv/app PATH=/opt/venv/bin:$PATH
";

#[test]
fn variables_after_dollar() {
    let (_, offset, items) = complete(&format!("{VARS}RUN echo $|\n"));
    assert_eq!(labels(&items), ["PATH", "APP_HOME", "BUILD_ID"]);
    assert!(
        items
            .iter()
            .all(|i| i.kind == CompletionKind::Variable && i.replace == TextRange::empty(offset))
    );
    assert_eq!(
        item(&items, "APP_HOME").detail.as_deref(),
        Some("ENV = /srv/app")
    );
    assert_eq!(
        item(&items, "BUILD_ID").detail.as_deref(),
        Some("ARG (set at build time)")
    );
    assert_eq!(
        item(&items, "BUILD_ID").documentation.as_deref(),
        Some("Declared on line 4.")
    );
    assert_eq!(item(&items, "APP_HOME").insert_text, None);

    // `${` with a partial name: the name is replaced and the brace closed.
    let (_, offset, items) = complete(&format!("{VARS}WORKDIR ${{APP|\n"));
    assert_eq!(labels(&items), ["APP_HOME"]);
    assert_eq!(items[0].replace, TextRange::new(offset - 3, offset));
    assert_eq!(items[0].insert_text.as_deref(), Some("APP_HOME}"));
}

#[test]
fn variables_in_from_lines_include_global_and_predefined_args() {
    let (_, _, items) = complete("ARG PY_VERSION=3.12\nFROM --platform=$BUILDPLATFORM python:$|\n");
    let l = labels(&items);
    assert_eq!(l[0], "PY_VERSION");
    assert_eq!(
        item(&items, "PY_VERSION").detail.as_deref(),
        Some("ARG = 3.12")
    );
    assert!(
        l.contains(&"TARGETPLATFORM") && l.contains(&"BUILDPLATFORM"),
        "{l:?}"
    );
    assert_eq!(
        item(&items, "TARGETPLATFORM").detail.as_deref(),
        Some("ARG (predefined, set by the builder)")
    );

    // Inside a stage, predefined ARGs need a declaration.
    let (_, _, items) = complete("FROM alpine\nARG TARGETARCH\nRUN echo $T|\n");
    assert_eq!(labels(&items), ["TARGETARCH"]);
}

#[test]
fn healthcheck_and_from_keywords() {
    let (_, offset, items) = complete("FROM alpine\nHEALTHCHECK |\n");
    assert_eq!(labels(&items), ["CMD", "NONE"]);
    assert!(items.iter().all(|i| i.replace == TextRange::empty(offset)));
    assert_eq!(
        item(&items, "CMD").insert_text.as_deref(),
        Some("CMD ${1:command}")
    );
    let (_, _, items) = complete("FROM alpine\nHEALTHCHECK --interval=10s |\n");
    assert_eq!(labels(&items), ["CMD", "NONE"]);

    let (_, _, items) = complete("FROM alpine |\n");
    assert_eq!(labels(&items), ["AS"]);
    let (_, _, items) = complete("FROM alpine AS |\n");
    assert!(items.is_empty(), "{:?}", labels(&items));
}

#[test]
fn onbuild_completes_the_inner_instruction() {
    let (_, _, items) = complete("FROM alpine\nONBUILD CO|\n");
    assert_eq!(labels(&items), ["COPY"]);
    let (_, _, items) = complete("FROM alpine\nONBUILD COPY --l|\n");
    assert_eq!(labels(&items), ["--link"]);
}

#[test]
fn continuation_lines_and_heredocs() {
    // A flag on the continuation line of a RUN.
    let (_, offset, items) =
        complete("FROM python:3.12\nRUN --network=none \\\n    --mount=type=|\n");
    assert_eq!(labels(&items), ["bind", "cache", "tmpfs", "secret", "ssh"]);
    assert_eq!(items[0].replace, TextRange::empty(offset));

    // Variables inside an unquoted heredoc body; none inside a quoted one.
    let (_, _, items) = complete("FROM alpine\nENV GREETING=hi\nRUN <<EOF\necho $GR|\nEOF\n");
    assert_eq!(labels(&items), ["GREETING"]);
    let (_, _, items) = complete("FROM alpine\nENV GREETING=hi\nRUN <<'EOF'\necho $GR|\nEOF\n");
    assert!(items.is_empty(), "{:?}", labels(&items));
}
