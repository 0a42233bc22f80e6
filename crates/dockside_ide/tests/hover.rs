//! Hover on small realistic Dockerfiles: instruction docs, variables,
//! base images, flags and `--mount`, diagnostics, directives.

use std::path::PathBuf;

use dockside_ide::{Analysis, Hover, hover};
use dockside_linter::{Config, LintOptions};
use dockside_syntax::TextRange;

fn analyse(text: &str) -> Analysis {
    let dir: PathBuf = std::env::temp_dir().join("dockside_ide_hover_tests");
    std::fs::create_dir_all(&dir).unwrap();
    Analysis::new(
        &dir.join("Dockerfile"),
        text,
        Config::default_for(dir.clone()),
        LintOptions::default(),
    )
}

/// Byte offset of the `n`-th (0-based) occurrence of `needle`.
fn nth(text: &str, needle: &str, n: usize) -> usize {
    text.match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle:?} #{n} not in text"))
        .0
}

fn range_of(text: &str, needle: &str, n: usize) -> TextRange {
    let s = nth(text, needle, n);
    TextRange::new(s, s + needle.len())
}

fn hover_at(a: &Analysis, offset: usize) -> Hover {
    hover(a, offset).unwrap_or_else(|| panic!("no hover at {offset}"))
}

const APP: &str = "\
# syntax=docker/dockerfile:1
ARG PY_VERSION=3.12
ARG BASE_TAG
FROM python:$PY_VERSION AS build
ARG PY_VERSION
ENV VENV=/opt/venv APP_HOME=/srv/app
RUN --mount=type=cache,target=/root/.cache python -m venv $VENV && echo ${APP_HOME} $BASE_TAG
WORKDIR $APP_HOME

FROM ghcr.io/org/app:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS runtime
COPY --from=build /opt/venv /opt/venv
USER 1000
CMD [\"python\", \"-m\", \"app\"]
";

#[test]
fn no_unexpected_diagnostics_in_fixture() {
    let a = analyse(APP);
    let found: Vec<_> = a
        .lint
        .diagnostics
        .iter()
        .map(|d| (d.rule.name, d.range))
        .collect();
    // The hovers below must not be shadowed by a diagnostic.
    for (_, r) in &found {
        assert!(!r.contains(nth(APP, "RUN", 0)), "{found:?}");
        assert!(!r.contains(nth(APP, "$PY_VERSION", 0) + 1), "{found:?}");
    }
}

#[test]
fn hover_on_keyword_shows_instruction_doc() {
    let a = analyse(APP);
    let h = hover_at(&a, nth(APP, "RUN", 0) + 1);
    assert_eq!(h.range, range_of(APP, "RUN", 0));
    assert!(
        h.markdown
            .starts_with("**RUN** — run a command in a new layer"),
        "{}",
        h.markdown
    );
    assert!(h.markdown.contains("RUN [flags] <command>"));
    assert!(
        h.markdown
            .contains("Flags: `--mount`, `--network`, `--security`")
    );

    let h = hover_at(&a, nth(APP, "WORKDIR", 0));
    assert!(
        h.markdown
            .starts_with("**WORKDIR** — set the working directory"),
        "{}",
        h.markdown
    );
}

#[test]
fn hover_on_arg_in_from_shows_default() {
    let a = analyse(APP);
    let h = hover_at(&a, nth(APP, "$PY_VERSION", 0) + 3);
    assert_eq!(h.range, range_of(APP, "$PY_VERSION", 0));
    assert_eq!(
        h.markdown,
        "**`$PY_VERSION`** (ARG) = `3.12`\n\nDeclared by `ARG PY_VERSION` on line 2.\n"
    );
}

#[test]
fn hover_on_env_var_in_run() {
    let a = analyse(APP);
    let h = hover_at(&a, nth(APP, "$VENV", 0) + 1);
    assert_eq!(h.range, range_of(APP, "$VENV", 0));
    assert_eq!(
        h.markdown,
        "**`$VENV`** (ENV) = `/opt/venv`\n\nDeclared by `ENV VENV` on line 6.\n"
    );

    let h = hover_at(&a, nth(APP, "${APP_HOME}", 0) + 4);
    assert_eq!(h.range, range_of(APP, "${APP_HOME}", 0));
    assert!(
        h.markdown.starts_with("**`$APP_HOME`** (ENV) = `/srv/app`"),
        "{}",
        h.markdown
    );

    // Used in WORKDIR too (not a shell instruction).
    let h = hover_at(&a, nth(APP, "$APP_HOME", 0) + 1);
    assert_eq!(h.range, range_of(APP, "$APP_HOME", 0));
    assert!(h.markdown.contains("= `/srv/app`"));
}

#[test]
fn hover_on_global_arg_not_redeclared() {
    let a = analyse(APP);
    let h = hover_at(&a, nth(APP, "$BASE_TAG", 0) + 2);
    assert_eq!(h.range, range_of(APP, "$BASE_TAG", 0));
    assert!(
        h.markdown.contains("**`$BASE_TAG`**: not defined here"),
        "{}",
        h.markdown
    );
    assert!(
        h.markdown.contains("A global `ARG BASE_TAG` is declared on line 3, but a stage only sees it after redeclaring it with `ARG BASE_TAG`."),
        "{}",
        h.markdown
    );
}

#[test]
fn hover_on_arg_without_default() {
    let text = "ARG VERSION\nFROM alpine:${VERSION:-3.20}\n";
    let a = analyse(text);
    let h = hover_at(&a, nth(text, "${VERSION", 0) + 3);
    assert_eq!(h.range, range_of(text, "${VERSION:-3.20}", 0));
    assert!(
        h.markdown
            .starts_with("**`$VERSION`** (ARG): value set at build time"),
        "{}",
        h.markdown
    );
    assert!(h.markdown.contains("Declared by `ARG VERSION` on line 1."));
}

#[test]
fn hover_on_image_breaks_reference_down() {
    let a = analyse(APP);
    let h = hover_at(&a, nth(APP, "ghcr.io", 0) + 10);
    let word = "ghcr.io/org/app:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    assert_eq!(h.range, range_of(APP, word, 0));
    assert_eq!(
        h.markdown,
        format!(
            "**Image** `{word}`\n\n- Registry: `ghcr.io`\n- Repository: `org/app`\n- Tag: `1.2`\n- Digest: `sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`\n"
        )
    );
}

#[test]
fn hover_on_image_with_arg_shows_expansion_and_defaults() {
    let a = analyse(APP);
    // Off the `$PY_VERSION` reference, on `python`.
    let h = hover_at(&a, nth(APP, "python:$PY", 0) + 2);
    assert_eq!(h.range, range_of(APP, "python:$PY_VERSION", 0));
    assert_eq!(
        h.markdown,
        "**Image** `python:3.12`\n\n- Registry: `docker.io` (default)\n- Repository: `library/python`\n- Tag: `3.12`\n- Digest: none (the tag may point to a different image later)\n\n`python:$PY_VERSION` expands to `python:3.12`.\n"
    );

    let text = "FROM ubuntu\nFROM ubuntu AS base\nFROM base\n";
    let a = analyse(text);
    let h = hover_at(&a, nth(text, "ubuntu", 0));
    assert!(
        h.markdown.contains("- Tag: `latest` (implicit)\n"),
        "{}",
        h.markdown
    );
    let h = hover_at(&a, nth(text, "FROM base", 0) + 6);
    assert_eq!(h.range, range_of(text, "base", 1));
    assert!(
        h.markdown.starts_with("**Stage `base`** (stage 1, line 2)"),
        "{}",
        h.markdown
    );
}

#[test]
fn hover_on_mount_flag_shows_mount_docs() {
    let a = analyse(APP);
    let flag = "--mount=type=cache,target=/root/.cache";
    let h = hover_at(&a, nth(APP, flag, 0) + 3);
    assert_eq!(h.range, range_of(APP, flag, 0));
    assert!(h.markdown.starts_with("**`--mount`**"), "{}", h.markdown);
    assert!(
        h.markdown.contains("**Mount type `cache`**"),
        "{}",
        h.markdown
    );
    assert!(!h.markdown.contains("**Mount key"), "{}", h.markdown);

    // On the `target=` key: the key doc as well.
    let h = hover_at(&a, nth(APP, "target=/root", 0) + 2);
    assert_eq!(h.range, range_of(APP, flag, 0));
    assert!(h.markdown.contains("**Mount type `cache`**"));
    assert!(
        h.markdown
            .contains("**Mount key `target`** (also `dst`, `destination`)"),
        "{}",
        h.markdown
    );
}

#[test]
fn hover_on_copy_from_names_the_stage() {
    let a = analyse(APP);
    let h = hover_at(&a, nth(APP, "--from=build", 0) + 2);
    assert_eq!(h.range, range_of(APP, "--from=build", 0));
    assert!(h.markdown.starts_with("**`--from`**"), "{}", h.markdown);
    assert!(
        h.markdown.contains("Copies from stage 0 `build` (line 4)."),
        "{}",
        h.markdown
    );
}

#[test]
fn hover_on_diagnostic_shows_rule_doc() {
    let text =
        "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\nCMD python app.py\n";
    let a = analyse(text);
    let h = hover_at(&a, nth(text, "apt-get update", 0) + 4);
    assert_eq!(h.range, range_of(text, "apt-get update", 0));
    let rule = dockside_linter::find_rule("apt-update-alone").unwrap();
    assert!(
        h.markdown.starts_with("**apt-update-alone** (`DF202`, "),
        "{}",
        h.markdown
    );
    assert!(
        h.markdown
            .contains("`apt-get update` runs without an install in the same RUN")
    );
    assert!(h.markdown.contains(rule.doc_markdown().trim()));

    // The diagnostic on the keyword wins over the instruction doc.
    let h = hover_at(&a, nth(text, "RUN", 1));
    assert_eq!(h.range, range_of(text, "RUN", 1));
    assert!(
        h.markdown
            .starts_with("**merge-consecutive-runs** (`DF101`, "),
        "{}",
        h.markdown
    );

    let h = hover_at(&a, nth(text, "app.py", 0));
    assert_eq!(h.range, range_of(text, "python app.py", 0));
    assert!(
        h.markdown
            .starts_with("**shell-form-entrypoint** (`DF402`, "),
        "{}",
        h.markdown
    );
    assert!(!h.markdown.contains("Also here:"));
}

#[test]
fn hover_on_directive() {
    let a = analyse(APP);
    let h = hover_at(&a, 3);
    assert_eq!(h.range, range_of(APP, "# syntax=docker/dockerfile:1", 0));
    assert!(
        h.markdown.starts_with("**Parser directive `syntax`**"),
        "{}",
        h.markdown
    );
}

#[test]
fn nothing_on_plain_arguments() {
    let a = analyse(APP);
    assert_eq!(hover(&a, nth(APP, "/opt/venv /opt/venv", 0) + 2), None);
    assert_eq!(hover(&a, nth(APP, "\n\n", 0) + 1), None);
}

#[test]
fn hover_in_continuation_and_heredoc() {
    let text = "FROM alpine\nENV GREETING=hi\nRUN echo start && \\\n    echo $GREETING\nRUN <<EOF\necho $GREETING\nEOF\n";
    let a = analyse(text);
    for n in 0..2 {
        let h = hover_at(&a, nth(text, "$GREETING", n) + 1);
        assert_eq!(h.range, range_of(text, "$GREETING", n));
        assert_eq!(
            h.markdown,
            "**`$GREETING`** (ENV) = `hi`\n\nDeclared by `ENV GREETING` on line 2.\n"
        );
    }
}
