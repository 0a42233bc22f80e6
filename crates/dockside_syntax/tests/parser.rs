use dockside_syntax::*;

fn text(src: &str, r: TextRange) -> &str {
    &src[r.as_range()]
}

#[test]
fn heredocs_several_per_instruction() {
    let src = "FROM alpine\nRUN <<EOF cat > /a <<-\"END\"\necho $HOME\nEOF\n\tliteral\n\tEND\nCMD [\"sh\"]\n";
    let df = parse(src);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.instructions.len(), 3);
    let run = &df.instructions[1];
    assert_eq!(run.heredocs.len(), 2);
    assert_eq!(run.heredocs[0].name, "EOF");
    assert_eq!(run.heredocs[0].body, "echo $HOME\n");
    assert!(!run.heredocs[0].quoted);
    assert_eq!(run.heredocs[1].name, "END");
    assert!(run.heredocs[1].quoted && run.heredocs[1].strip_tabs);
    assert_eq!(run.heredocs[1].body, "literal\n");
    assert!(text(src, run.range).ends_with("\tEND"));
    assert_eq!(df.instructions[2].keyword, Keyword::Cmd);
}

#[test]
fn unterminated_heredoc_is_an_error() {
    let df = parse("FROM a\nRUN <<EOF\necho hi\n");
    assert_eq!(df.errors.len(), 1);
    assert!(df.errors[0].message.contains("unterminated heredoc"));
}

#[test]
fn flags_and_ranges_survive_continuations() {
    let src = "FROM a AS build\nRUN --mount=type=cache,target=/root/.cache \\\n    # a comment\n    pip install x\n";
    let df = parse(src);
    let run = &df.instructions[1];
    assert_eq!(run.flags[0].name, "mount");
    assert_eq!(
        run.flags[0].value.as_deref(),
        Some("type=cache,target=/root/.cache")
    );
    assert_eq!(
        text(src, run.flags[0].range),
        "--mount=type=cache,target=/root/.cache"
    );
    let Some(CommandForm::Shell(sh)) = run.command() else {
        panic!()
    };
    assert_eq!(sh.text.as_str(), "pip install x");
    let pip = sh.text.source_range(0..3);
    assert_eq!(text(src, pip), "pip");
    assert_eq!(df.comments.len(), 1);
    assert!(df.comments[0].inside_instruction);
    let Body::From(from) = &df.instructions[0].body else {
        panic!()
    };
    assert_eq!(from.name.as_ref().unwrap().value, "build");
}

#[test]
fn malformed_exec_form_is_detected() {
    for (src, needle) in [
        ("CMD ['python', 'app.py']", "single quotes"),
        ("CMD [\"a\", \"b\",]", "trailing comma"),
        ("ENTRYPOINT [\"a\"", "missing `]`"),
    ] {
        let df = parse(src);
        let Some(CommandForm::Shell(sh)) = df.instructions[0].command() else {
            panic!("{src}")
        };
        let err = sh.malformed_json.as_ref().expect(src);
        assert!(err.message.contains(needle), "{src}: {}", err.message);
    }
}

#[test]
fn directives_and_escape() {
    let src = "# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN echo `\n  hi\n";
    let df = parse(src);
    assert_eq!(df.escape, '`');
    assert_eq!(df.directive("syntax").unwrap().value, "docker/dockerfile:1");
    let Some(CommandForm::Shell(sh)) = df.instructions[1].command() else {
        panic!()
    };
    assert_eq!(sh.text.as_str(), "echo   hi");
}

#[test]
fn unknown_instruction_recovers() {
    let df = parse("FROM a\nRUNN echo\nCOPY . /app\n");
    assert_eq!(df.instructions.len(), 3);
    assert_eq!(df.errors.len(), 1);
    assert!(df.errors[0].message.contains("did you mean RUN?"));
    assert_eq!(df.instructions[2].keyword, Keyword::Copy);
}

#[test]
fn legacy_env_and_pairs() {
    let src = "FROM a\nENV FLASK_APP microblog.py\nENV A=1 B=\"two words\"\nARG X Y=2\n";
    let df = parse(src);
    let Body::Pairs(p) = &df.instructions[1].body else {
        panic!()
    };
    assert_eq!(p[0].separator, Separator::Space);
    assert_eq!(p[0].value.as_ref().unwrap().value, "microblog.py");
    let Body::Pairs(p) = &df.instructions[2].body else {
        panic!()
    };
    assert_eq!(p.len(), 2);
    assert_eq!(p[1].value.as_ref().unwrap().value, "\"two words\"");
    assert_eq!(
        words::unquote(&p[1].value.as_ref().unwrap().value, '\\'),
        "two words"
    );
    let Body::Pairs(p) = &df.instructions[3].body else {
        panic!()
    };
    assert_eq!(p[0].value, None);
    assert_eq!(p[1].key.value, "Y");
}

#[test]
fn hostile_input_does_not_panic() {
    let mut junk = String::new();
    for i in 0..5000u32 {
        junk.push(char::from_u32((i * 7919) % 0x2FFF).unwrap_or('x'));
        if i % 97 == 0 {
            junk.push_str("\\\n");
        }
    }
    let _ = parse(&junk);
    let _ = parse("RUN \\");
    let _ = parse("\u{FEFF}FROM a\r\nRUN x\r\n");
    let _ = parse("CMD [\"\\ud800\"]");
    let _ = parse(&"[".repeat(100_000));
}

/// The line index the parser builds while splitting lines is the one built from the
/// text alone: every offset maps to the same line and column.
#[test]
fn parser_line_index_matches_a_fresh_one() {
    let sources = [
        "",
        "FROM a",
        "FROM a\n",
        "\u{feff}FROM a\r\nRUN echo \\\r\n  hi\r\n",
        "FROM a\rRUN x\n\n\nCMD é😀\n",
        "\n\n\n",
        "# escape=`\nFROM a\nRUN a `\n b\n",
    ];
    for src in sources {
        let parsed = parse(src).line_index;
        let fresh = LineIndex::new(src);
        assert_eq!(parsed.line_count(), fresh.line_count(), "{src:?}");
        for offset in 0..=src.len() + 1 {
            assert_eq!(
                parsed.position(src, offset),
                fresh.position(src, offset),
                "{src:?} at {offset}"
            );
        }
    }
}
