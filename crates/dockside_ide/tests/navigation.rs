//! Navigation: symbols, definition, references, rename, highlights, folding.

use std::path::PathBuf;

use dockside_ide::{
    Analysis, FoldingKind, FoldingRange, HighlightKind, Symbol, SymbolKind, definition,
    document_symbols, folding_ranges, highlights, prepare_rename, references, rename,
};
use dockside_linter::{Config, Edit, LintOptions};
use dockside_syntax::TextRange;

fn analyse(text: &str) -> Analysis {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ide-navigation");
    std::fs::create_dir_all(&dir).unwrap();
    Analysis::new(
        &dir.join("Dockerfile"),
        text,
        Config::default_for(dir.clone()),
        LintOptions::default(),
    )
}

/// `line:col` (1-based, columns in characters) of an offset.
fn pos(a: &Analysis, offset: usize) -> String {
    let p = a.line_index.position(&a.text, offset);
    format!("{}:{}", p.line + 1, p.char_col + 1)
}

fn span(a: &Analysis, r: TextRange) -> String {
    format!("{}-{}", pos(a, r.start as usize), pos(a, r.end as usize))
}

fn spans(a: &Analysis, rs: &[TextRange]) -> Vec<String> {
    rs.iter().map(|&r| span(a, r)).collect()
}

/// Offset of the `nth` (0-based) occurrence of `needle`, plus `delta`.
fn at(a: &Analysis, needle: &str, nth: usize, delta: usize) -> usize {
    a.text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("no {nth}th {needle:?}"))
        .0
        + delta
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.range.as_range(), &e.content);
    }
    out
}

const MULTI: &str = r#"# syntax=docker/dockerfile:1
ARG PY_VERSION=3.12
FROM python:${PY_VERSION}-slim AS builder
ARG PY_VERSION
ENV APP_HOME=/app
WORKDIR $APP_HOME
RUN echo "building for ${PY_VERSION}" && \
    pip wheel --wheel-dir /wheels .

FROM builder AS test
RUN pytest

FROM python:${PY_VERSION}-slim
COPY --from=builder /wheels /wheels
COPY --from=0 /app/requirements.txt /tmp/
RUN --mount=type=cache,from=builder,target=/x pip install --no-cache-dir /x
CMD ["python", "-m", "app"]
"#;

fn outline(a: &Analysis, symbols: &[Symbol], depth: usize, out: &mut Vec<String>) {
    for s in symbols {
        out.push(format!(
            "{}{:?} {} [{}] {} sel {}",
            "  ".repeat(depth),
            s.kind,
            s.name,
            s.detail.clone().unwrap_or_default(),
            span(a, s.range),
            span(a, s.selection_range)
        ));
        outline(a, &s.children, depth + 1, out);
    }
}

#[test]
fn document_symbols_outline_stages_instructions_and_variables() {
    let a = analyse(MULTI);
    let mut out = Vec::new();
    outline(&a, &document_symbols(&a), 0, &mut out);
    assert_eq!(
        out,
        [
            "Variable PY_VERSION [3.12] 2:5-2:20 sel 2:5-2:15",
            "Stage builder [python:3.12-slim] 3:1-8:36 sel 3:35-3:42",
            "  Instruction ARG PY_VERSION [] 4:1-4:15 sel 4:1-4:4",
            "    Variable PY_VERSION [] 4:5-4:15 sel 4:5-4:15",
            "  Instruction ENV APP_HOME=/app [] 5:1-5:18 sel 5:1-5:4",
            "    Variable APP_HOME [/app] 5:5-5:18 sel 5:5-5:13",
            "  Instruction WORKDIR $APP_HOME [] 6:1-6:18 sel 6:1-6:8",
            "  Instruction RUN echo \"building for ${PY_VERSION}\" &… [] 7:1-8:36 sel 7:1-7:4",
            "Stage test [builder] 10:1-11:11 sel 10:17-10:21",
            "  Instruction RUN pytest [] 11:1-11:11 sel 11:1-11:4",
            "Stage stage 2 [python:3.12-slim] 13:1-17:28 sel 13:6-13:31",
            "  Instruction COPY --from=builder /wheels /wheels [] 14:1-14:36 sel 14:1-14:5",
            "  Instruction COPY --from=0 /app/requirements.txt /tm… [] 15:1-15:42 sel 15:1-15:5",
            "  Instruction RUN --mount=type=cache,from=builder,tar… [] 16:1-16:76 sel 16:1-16:4",
            "  Instruction CMD [\"python\", \"-m\", \"app\"] [] 17:1-17:28 sel 17:1-17:4",
        ]
    );
}

#[test]
fn definition_of_stage_references() {
    let a = analyse(MULTI);
    // `COPY --from=builder`, cursor inside and right after the name.
    let copy = at(&a, "--from=builder", 0, "--from=".len() + 2);
    assert_eq!(span(&a, definition(&a, copy).unwrap()), "3:35-3:42");
    let copy_end = at(&a, "--from=builder", 0, "--from=builder".len());
    assert_eq!(span(&a, definition(&a, copy_end).unwrap()), "3:35-3:42");
    // `RUN --mount=type=cache,from=builder,target=/x`.
    let mount = at(&a, "from=builder,target", 0, "from=".len());
    assert_eq!(span(&a, definition(&a, mount).unwrap()), "3:35-3:42");
    // `FROM builder AS test`.
    let from = at(&a, "FROM builder", 0, 5);
    assert_eq!(span(&a, definition(&a, from).unwrap()), "3:35-3:42");
    // A declaration is its own definition.
    let decl = at(&a, "AS builder", 0, 3);
    assert_eq!(span(&a, definition(&a, decl).unwrap()), "3:35-3:42");
    // `--from=0` names stage 0 by index (its name, as the stage has one).
    let index = at(&a, "--from=0", 0, "--from=".len());
    assert_eq!(span(&a, definition(&a, index).unwrap()), "3:35-3:42");
    // Nothing to navigate on a plain word.
    assert_eq!(definition(&a, at(&a, "pytest", 0, 1)), None);
}

#[test]
fn definition_of_variables() {
    let a = analyse(MULTI);
    // The RUN in stage `builder` uses the stage's `ARG PY_VERSION`...
    let run_use = at(&a, "${PY_VERSION}\"", 0, 3);
    assert_eq!(span(&a, definition(&a, run_use).unwrap()), "4:5-4:15");
    // ...which redeclares the global ARG.
    let redeclared = at(&a, "ARG PY_VERSION\n", 0, 4);
    assert_eq!(span(&a, definition(&a, redeclared).unwrap()), "2:5-2:15");
    // FROM lines see the global ARG.
    let from_use = at(&a, "${PY_VERSION}-slim", 1, 2);
    assert_eq!(span(&a, definition(&a, from_use).unwrap()), "2:5-2:15");
    // ENV used in WORKDIR.
    let workdir = at(&a, "$APP_HOME", 0, 1);
    assert_eq!(span(&a, definition(&a, workdir).unwrap()), "5:5-5:13");
}

#[test]
fn references_of_global_arg_include_redeclarations_and_their_uses() {
    let a = analyse(MULTI);
    let global = at(&a, "PY_VERSION=3.12", 0, 0);
    assert_eq!(
        spans(&a, &references(&a, global, true)),
        [
            "2:5-2:15",
            "3:15-3:25",
            "4:5-4:15",
            "7:26-7:36",
            "13:15-13:25"
        ]
    );
    assert_eq!(
        spans(&a, &references(&a, global, false)),
        ["3:15-3:25", "7:26-7:36", "13:15-13:25"]
    );
    // The same set from a use inside RUN.
    let run_use = at(&a, "${PY_VERSION}\"", 0, 2);
    assert_eq!(references(&a, run_use, true), references(&a, global, true));
}

#[test]
fn references_of_stage() {
    let a = analyse(MULTI);
    let decl = at(&a, "AS builder", 0, 3);
    assert_eq!(
        spans(&a, &references(&a, decl, true)),
        [
            "3:35-3:42",
            "10:6-10:13",
            "14:13-14:20",
            "15:13-15:14",
            "16:29-16:36"
        ]
    );
    assert_eq!(
        spans(&a, &references(&a, decl, false)),
        ["10:6-10:13", "14:13-14:20", "15:13-15:14", "16:29-16:36"]
    );
}

#[test]
fn rename_stage_updates_declaration_and_references() {
    let a = analyse(MULTI);
    let copy = at(&a, "--from=builder", 0, "--from=".len());
    assert_eq!(span(&a, prepare_rename(&a, copy).unwrap()), "14:13-14:20");
    let edits = rename(&a, copy, "build-env").unwrap();
    assert_eq!(edits.len(), 4);
    let renamed = apply(MULTI, &edits);
    assert!(renamed.contains("FROM python:${PY_VERSION}-slim AS build-env\n"));
    assert!(renamed.contains("FROM build-env AS test\n"));
    assert!(renamed.contains("COPY --from=build-env /wheels /wheels\n"));
    assert!(renamed.contains("RUN --mount=type=cache,from=build-env,target=/x "));
    // The index reference stays valid as it is.
    assert!(renamed.contains("COPY --from=0 /app"));
    let b = analyse(&renamed);
    assert_eq!(b.model.stages[1].base, dockside_semantic::Base::Stage(0));
    assert!(b.model.stage_by_name("build-env").is_some());
}

#[test]
fn rename_rejects_invalid_names() {
    let a = analyse(MULTI);
    let decl = at(&a, "AS builder", 0, 3);
    assert!(
        rename(&a, decl, "Build Env")
            .unwrap_err()
            .contains("not a valid stage name")
    );
    assert!(rename(&a, decl, "9lives").is_err());
    assert!(rename(&a, decl, "").is_err());
    assert!(
        rename(&a, decl, "test")
            .unwrap_err()
            .contains("already exists")
    );
    let arg = at(&a, "PY_VERSION=3.12", 0, 0);
    assert!(
        rename(&a, arg, "PY-VERSION")
            .unwrap_err()
            .contains("not a valid ARG name")
    );
    assert!(
        rename(&a, arg, "APP_HOME")
            .unwrap_err()
            .contains("already declared")
    );
    // Stage indices and ENV variables are not renameable.
    let index = at(&a, "--from=0", 0, "--from=".len());
    assert_eq!(prepare_rename(&a, index), None);
    assert!(rename(&a, index, "x").is_err());
    let env = at(&a, "$APP_HOME", 0, 1);
    assert_eq!(prepare_rename(&a, env), None);
    assert!(rename(&a, env, "HOME_DIR").is_err());
}

#[test]
fn rename_arg_updates_global_redeclaration_and_uses() {
    let a = analyse(MULTI);
    let run_use = at(&a, "${PY_VERSION}\"", 0, 2);
    assert_eq!(span(&a, prepare_rename(&a, run_use).unwrap()), "7:26-7:36");
    let renamed = apply(MULTI, &rename(&a, run_use, "PYTHON").unwrap());
    assert!(!renamed.contains("PY_VERSION"));
    assert!(
        renamed.contains("ARG PYTHON=3.12\nFROM python:${PYTHON}-slim AS builder\nARG PYTHON\n")
    );
    assert!(renamed.contains("echo \"building for ${PYTHON}\""));
    assert!(renamed.contains("\nFROM python:${PYTHON}-slim\n"));
}

#[test]
fn highlights_mark_declarations_as_writes() {
    let a = analyse(MULTI);
    let got: Vec<(String, HighlightKind)> = highlights(&a, at(&a, "FROM builder", 0, 6))
        .into_iter()
        .map(|h| (span(&a, h.range), h.kind))
        .collect();
    assert_eq!(
        got,
        [
            ("3:35-3:42".to_string(), HighlightKind::Write),
            ("10:6-10:13".to_string(), HighlightKind::Read),
            ("14:13-14:20".to_string(), HighlightKind::Read),
            ("15:13-15:14".to_string(), HighlightKind::Read),
            ("16:29-16:36".to_string(), HighlightKind::Read),
        ]
    );
    let got: Vec<(String, HighlightKind)> = highlights(&a, at(&a, "APP_HOME=", 0, 0))
        .into_iter()
        .map(|h| (span(&a, h.range), h.kind))
        .collect();
    assert_eq!(
        got,
        [
            ("5:5-5:13".to_string(), HighlightKind::Write),
            ("6:10-6:18".to_string(), HighlightKind::Read)
        ]
    );
    assert!(highlights(&a, at(&a, "pytest", 0, 0)).is_empty());
}

#[test]
fn folding_stages_heredocs_continuations_and_comments() {
    let text = "# Runtime image\n# with a heredoc\nFROM alpine:3.20\nRUN <<EOF\napk add --no-cache curl\necho ok\nEOF\nRUN apk add --no-cache git \\\n    make\n\nFROM scratch\nCOPY --from=0 /usr/bin/curl /curl\n";
    let a = analyse(text);
    let region = |start_line, end_line| FoldingRange {
        start_line,
        end_line,
        kind: FoldingKind::Region,
    };
    assert_eq!(
        folding_ranges(&a),
        [
            FoldingRange {
                start_line: 0,
                end_line: 1,
                kind: FoldingKind::Comment,
            },
            region(2, 8),   // the first stage
            region(3, 6),   // the heredoc, marker to terminator
            region(7, 8),   // the continuation
            region(10, 11), // the second stage
        ]
    );
    // An index reference to an unnamed stage goes to its FROM instruction.
    let index = at(&a, "--from=0", 0, "--from=".len());
    assert_eq!(span(&a, definition(&a, index).unwrap()), "3:1-3:17");
    assert_eq!(prepare_rename(&a, index), None);
    // Symbol kinds of the same file.
    let kinds: Vec<SymbolKind> = document_symbols(&a).iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [SymbolKind::Stage, SymbolKind::Stage]);
}
