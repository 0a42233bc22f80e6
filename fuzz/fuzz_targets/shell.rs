//! Shell code → the command model (both parsers: the hand-written fast path must build
//! exactly what tree-sitter-bash builds whenever it accepts the input) → the script as an
//! entrypoint script and as a RUN heredoc of a Dockerfile, linted with every rule.

#![no_main]

use std::ops::Range;

use dockside_fuzz::{check_result, config, overlay, path, root};
use dockside_linter::{LintOptions, lint_dockerfile};
use dockside_shell::{
    Script, Word, parse, parse_fast_path, parse_tree_sitter, shebang_interpreter,
};
use libfuzzer_sys::fuzz_target;

const DOCKERFILE: &str = "FROM alpine:3.20
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
RUN chmod +x /usr/local/bin/entrypoint.sh
ENTRYPOINT [\"/usr/local/bin/entrypoint.sh\"]
CMD [\"app\"]
";

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(fast) = parse_fast_path(source) {
        let slow = parse_tree_sitter(source);
        assert_eq!(
            format!("{fast:#?}"),
            format!("{slow:#?}"),
            "the fast path and tree-sitter differ on {source:?}"
        );
    }
    let script = parse(source);
    check_script(source, &script);
    let _ = shebang_interpreter(source);

    let options = LintOptions {
        context_root: Some(root()),
        overlay: Some(overlay(&[("entrypoint.sh", source)])),
        ..LintOptions::default()
    };
    let result = lint_dockerfile(&path("Dockerfile"), DOCKERFILE, config(), &options);
    check_result(&result);

    if !source.lines().any(|l| l.trim() == "FUZZ_EOF") {
        let dockerfile = format!("FROM alpine:3.20\nRUN <<FUZZ_EOF\n{source}\nFUZZ_EOF\n");
        check_result(&lint_dockerfile(
            &path("Dockerfile"),
            &dockerfile,
            config(),
            &LintOptions::default(),
        ));
    }
});

/// Every range of the model lies in the source, on character boundaries, and indexes
/// point at existing commands.
fn check_script(source: &str, script: &Script) {
    let range = |r: &Range<usize>, what: &str| {
        assert!(
            r.start <= r.end && r.end <= source.len(),
            "{what} {r:?} outside {source:?}"
        );
        assert!(
            source.is_char_boundary(r.start) && source.is_char_boundary(r.end),
            "{what} {r:?} splits a character of {source:?}"
        );
    };
    let word = |w: &Word, what: &str| {
        range(&w.range, what);
        let _ = w.text();
    };
    for command in &script.commands {
        range(&command.range, "command");
        for w in &command.argv {
            word(w, "argv word");
        }
        for a in &command.assignments {
            range(&a.range, "assignment");
            word(&a.value, "assignment value");
        }
        for r in &command.redirects {
            range(&r.range, "redirect");
            if let Some(target) = &r.target {
                word(target, "redirect target");
            }
        }
        if let Some(statement) = command.statement {
            assert!(
                statement < script.statements.len(),
                "statement index {statement}"
            );
        }
        let _ = command.program();
        let _ = command.unwrapped_argv();
        let _ = command.is_exec();
        let _ = command.has_flag(Some('f'), Some("force"));
    }
    for statement in &script.statements {
        range(&statement.range, "statement");
        for &i in &statement.commands {
            assert!(i < script.commands.len(), "command index {i}");
        }
        if let Some(last) = statement.last_command {
            assert!(last < script.commands.len(), "last command index {last}");
        }
    }
    for heredoc in &script.heredocs {
        range(&heredoc.range, "heredoc");
        range(&heredoc.body_range, "heredoc body");
        if let Some(c) = heredoc.command {
            assert!(c < script.commands.len(), "heredoc command index {c}");
        }
    }
    for error in &script.errors {
        range(error, "error");
    }
    let _ = script.final_command();
}
