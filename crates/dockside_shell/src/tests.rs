use crate::*;

fn values(words: &[Word]) -> Vec<&str> {
    words
        .iter()
        .map(|w| w.value.as_deref().unwrap_or("<dyn>"))
        .collect()
}

fn programs(script: &Script) -> Vec<&str> {
    script
        .commands
        .iter()
        .map(|c| c.program().unwrap_or("<none>"))
        .collect()
}

#[test]
fn words_tree_sitter_bash_splits_stay_one_word() {
    // tree-sitter-bash reads `nginx-$` and `NGINX_VERSION/…` as two arguments.
    let src = "tar xzf debuild-$t/nginx-$NGINX_VERSION/x.tgz \"a\"\\. >\"$F\"\\.log 'q'$1";
    for script in [parse_tree_sitter(src), parse(src)] {
        let tar = &script.commands[0];
        let raw: Vec<&str> = tar.argv.iter().map(|w| w.raw.as_str()).collect();
        assert_eq!(
            raw,
            [
                "tar",
                "xzf",
                "debuild-$t/nginx-$NGINX_VERSION/x.tgz",
                "\"a\"\\.",
                "'q'$1"
            ]
        );
        assert_eq!(tar.argv[2].value, None);
        assert_eq!(tar.argv[2].lossy, "debuild-$t/nginx-$NGINX_VERSION/x.tgz");
        assert_eq!(tar.argv[3].value.as_deref(), Some("a."));
        assert_eq!(tar.argv[4].value, None);
        let target = tar.redirects[0].target.as_ref().unwrap();
        assert_eq!(
            (target.raw.as_str(), target.lossy.as_str()),
            ("\"$F\"\\.log", "$F.log")
        );
    }
}

#[test]
fn apt_get_chain() {
    let s = parse("apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*");
    assert!(s.errors.is_empty());
    assert_eq!(programs(&s), ["apt-get", "apt-get", "rm"]);
    assert_eq!(s.statements.len(), 1);
    assert_eq!(s.statements[0].kind, StatementKind::AndOr);
    assert_eq!(s.statements[0].commands, [0, 1, 2]);
    let install = &s.commands[1];
    assert!(install.has_flag(Some('y'), Some("yes")));
    assert!(install.has_flag(Some('y'), Some("--yes")));
    assert!(!install.has_flag(Some('q'), Some("quiet")));
    assert_eq!(values(install.args()), ["install", "-y", "curl"]);
    assert!(s.commands[2].has_flag(Some('r'), None));
    assert!(s.commands[2].has_flag(Some('f'), Some("force")));
    let glob = &s.commands[2].argv[2];
    assert!(glob.has_glob);
    assert_eq!(glob.value.as_deref(), Some("/var/lib/apt/lists/*"));
    assert!(s.commands[0].condition_guarded);
    assert!(s.commands[1].condition_guarded);
    assert!(!s.commands[2].condition_guarded);
    assert!(s.commands.iter().all(|c| c.context == Context::TopLevel));
    assert!(s.commands.iter().all(|c| c.statement == Some(0)));
    assert_eq!(s.final_command().and_then(|c| c.program()), Some("rm"));
    assert_eq!(s.commands_named("apt-get").count(), 2);
    assert_eq!(
        &"apt-get update && apt-get install -y curl"[s.commands[1].range.clone()],
        "apt-get install -y curl"
    );
}

#[test]
fn combined_and_long_flags() {
    let s = parse("apt-get -qy install --no-install-recommends=1 x -- -z");
    let c = &s.commands[0];
    assert!(c.has_flag(Some('y'), None));
    assert!(c.has_flag(Some('q'), None));
    assert!(c.has_flag(None, Some("no-install-recommends")));
    assert!(!c.has_flag(None, Some("no-install")));
    assert!(!c.has_flag(Some('z'), None), "flags after -- are operands");
}

#[test]
fn two_statements_final_command() {
    let s = parse("pkill nginx; supervisord -n");
    assert_eq!(s.statements.len(), 2);
    assert_eq!(
        s.final_command().and_then(|c| c.program()),
        Some("supervisord")
    );
    assert_eq!(s.commands[1].statement, Some(1));
    assert_eq!(s.statements[0].kind, StatementKind::Simple);
}

#[test]
fn background() {
    let s = parse("nginx &");
    assert_eq!(s.commands.len(), 1);
    assert!(s.commands[0].background);
    assert!(s.statements[0].background);

    let s = parse("a & b; (c; d) &\ne && f &");
    let bg: Vec<bool> = s.commands.iter().map(|c| c.background).collect();
    assert_eq!(bg, [true, false, true, true, true, true]);
    assert_eq!(s.statements.len(), 4);
}

#[test]
fn exec_wrapper() {
    let s = parse("exec gunicorn -b :5000 app");
    let c = &s.commands[0];
    assert!(c.is_exec());
    assert_eq!(c.program(), Some("gunicorn"));
    assert_eq!(c.name(), Some("exec"));
    assert!(c.has_flag(Some('b'), Some("bind")));
    assert_eq!(values(c.args()), ["-b", ":5000", "app"]);

    // `exec` with only redirections does not replace the process.
    let s = parse("exec >/var/log/x 2>&1");
    assert!(!s.commands[0].is_exec());
    assert_eq!(s.commands[0].program(), Some("exec"));
    assert_eq!(s.commands[0].redirects.len(), 2);
}

#[test]
fn sudo_env_wrappers() {
    let s = parse("sudo -u app env FOO=1 /usr/bin/python3 x.py");
    let c = &s.commands[0];
    let u = c.unwrapped();
    assert_eq!(u.wrappers, ["sudo", "env"]);
    assert_eq!(c.program(), Some("python3"));
    assert_eq!(values(c.args()), ["x.py"]);
    assert!(!c.is_exec());
}

#[test]
fn more_wrappers() {
    let cases = [
        (
            "nohup nice -n 10 stdbuf -oL myapp",
            vec!["nohup", "nice", "stdbuf"],
            "myapp",
        ),
        ("gosu www-data:www-data php-fpm", vec!["gosu"], "php-fpm"),
        (
            "su-exec redis redis-server",
            vec!["su-exec"],
            "redis-server",
        ),
        ("/sbin/tini -- node server.js", vec!["tini"], "node"),
        ("dumb-init -- exec-me", vec!["dumb-init"], "exec-me"),
        ("time -p make -j4", vec!["time"], "make"),
        ("command -p ls", vec!["command"], "ls"),
        ("command -v ls", vec![], "command"),
        ("env -i PATH=/bin sh -c x", vec!["env"], "sh"),
        ("exec su-exec app \"$@\"", vec!["exec", "su-exec"], "<none>"),
        ("xargs rm", vec![], "xargs"),
        ("sudo", vec![], "sudo"),
    ];
    for (src, wrappers, program) in cases {
        let s = parse(src);
        let c = &s.commands[0];
        assert_eq!(c.unwrapped().wrappers, wrappers, "{src}");
        assert_eq!(c.program().unwrap_or("<none>"), program, "{src}");
    }
}

#[test]
fn pipelines() {
    let s = parse("curl -fsSL x | sh");
    assert_eq!(s.statements[0].kind, StatementKind::Pipeline);
    let a = s.commands[0].pipeline.expect("pipeline");
    let b = s.commands[1].pipeline.expect("pipeline");
    assert_eq!((a.index, a.len), (0, 2));
    assert_eq!((b.index, b.len), (1, 2));
    assert_eq!(a.id, b.id);
    assert!(b.is_last());
    assert!(s.commands[0].has_flag(Some('f'), None));

    let s = parse("a | b && c | d | e; f");
    let ids: Vec<_> = s
        .commands
        .iter()
        .map(|c| c.pipeline.map(|p| (p.id, p.index, p.len)))
        .collect();
    assert_eq!(
        ids,
        [
            Some((0, 0, 2)),
            Some((0, 1, 2)),
            Some((1, 0, 3)),
            Some((1, 1, 3)),
            Some((1, 2, 3)),
            None
        ]
    );
    assert_eq!(s.final_command().and_then(|c| c.name()), Some("f"));
    assert_eq!(s.statements[0].last_command, Some(4));
}

#[test]
fn final_command_descends() {
    let s = parse("if [ -f x ]; then exec a; else b; fi");
    assert_eq!(s.statements.len(), 1);
    assert_eq!(
        s.statements[0].kind,
        StatementKind::Compound(CompoundKind::If)
    );
    assert_eq!(s.final_command().and_then(|c| c.name()), Some("b"));
    let test = &s.commands[0];
    assert_eq!(values(&test.argv), ["[", "-f", "x", "]"]);
    assert!(test.condition_guarded);
    assert_eq!(test.context, Context::Conditional);
    assert!(s.commands[1].is_exec());
    assert!(!s.commands[1].condition_guarded);

    let s = parse("set -e\n(cd /x && { make; exec run; })");
    assert_eq!(s.final_command().and_then(|c| c.program()), Some("run"));
    assert_eq!(s.final_command().map(|c| c.context), Some(Context::Group));

    let s = parse("while true; do sleep 1; done");
    assert_eq!(s.final_command().and_then(|c| c.name()), Some("sleep"));
    assert_eq!(s.commands[0].context, Context::Loop);
    assert!(s.commands[0].condition_guarded);

    assert!(parse("").final_command().is_none());
    assert!(parse("# just a comment\n").final_command().is_none());
    assert!(parse("f() { a; }").final_command().is_none());
}

#[test]
fn word_values() {
    let s = parse(r#"echo "$HOME"/x 'a b' a\ b "q\"x\\y\z" $'t\tx' ~/y ${A:-b} "a$" x"#);
    let argv = &s.commands[0].argv;
    assert_eq!(argv[1].value, None);
    assert_eq!(argv[1].lossy, "$HOME/x");
    assert_eq!(argv[1].raw, "\"$HOME\"/x");
    assert_eq!(argv[2].value.as_deref(), Some("a b"));
    assert_eq!(argv[3].value.as_deref(), Some("a b"));
    assert_eq!(argv[4].value.as_deref(), Some("q\"x\\y\\z"));
    assert_eq!(argv[5].value.as_deref(), Some("t\tx"));
    assert_eq!(argv[6].value.as_deref(), Some("~/y"));
    assert_eq!(argv[7].value, None);
    assert_eq!(argv[7].lossy, "${A:-b}");
    assert_eq!(argv[8].value.as_deref(), Some("a$"));
    assert_eq!(argv.len(), 10);

    let s = parse("ls '*.txt' \\*.c *.h");
    let argv = &s.commands[0].argv;
    assert!(!argv[1].has_glob);
    assert!(!argv[2].has_glob);
    assert_eq!(argv[2].value.as_deref(), Some("*.c"));
    assert!(argv[3].has_glob);
}

#[test]
fn assignments() {
    let s = parse("FOO=bar BAZ=\"$x\" make install; A=1; B=");
    let c = &s.commands[0];
    assert_eq!(c.name(), Some("make"));
    assert_eq!(c.assignments.len(), 2);
    assert_eq!(c.assignments[0].name, "FOO");
    assert_eq!(c.assignments[0].value.value.as_deref(), Some("bar"));
    assert_eq!(c.assignments[1].value.value, None);
    assert!(s.commands[1].argv.is_empty());
    assert_eq!(s.commands[1].assignments[0].name, "A");
    assert_eq!(
        s.commands[2].assignments[0].value.value.as_deref(),
        Some("")
    );

    let s = parse("export PATH=/x:$PATH LANG; unset X");
    assert_eq!(s.commands[0].name(), Some("export"));
    assert_eq!(s.commands[0].argv.len(), 3);
    assert_eq!(s.commands[0].argv[1].lossy, "PATH=/x:$PATH");
    assert_eq!(values(&s.commands[1].argv), ["unset", "X"]);
}

#[test]
fn substitutions_are_commands() {
    let s = parse("echo $(cat f) `id -u` \"$(date)\" | tee \"$(mktemp)\"");
    let names: Vec<_> = s.commands.iter().map(|c| c.name().unwrap_or("")).collect();
    assert_eq!(names, ["echo", "cat", "id", "date", "tee", "mktemp"]);
    for i in [1, 2, 3, 5] {
        assert_eq!(s.commands[i].context, Context::Substitution);
        assert_eq!(s.commands[i].pipeline, None);
        assert_eq!(s.commands[i].statement, Some(0));
    }
    assert_eq!(s.statements[0].commands.len(), 6);
    assert_eq!(s.final_command().and_then(|c| c.name()), Some("tee"));

    let s = parse("x=$(cat f); diff <(ls a) b");
    assert_eq!(programs(&s), ["<none>", "cat", "diff", "ls"]);
    assert_eq!(s.commands[3].context, Context::Substitution);
}

#[test]
fn heredocs() {
    let src = "cat <<EOF > /etc/x\nhello\nEOF\necho done";
    let s = parse(src);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(s.heredocs.len(), 1);
    let h = &s.heredocs[0];
    assert_eq!(h.delimiter, "EOF");
    assert_eq!(h.body, "hello\n");
    assert_eq!(&src[h.body_range.clone()], "hello\n");
    assert_eq!(h.command, Some(0));
    assert!(!h.quoted);
    let cat = &s.commands[0];
    let ops: Vec<_> = cat.redirects.iter().map(|r| r.op.as_str()).collect();
    assert_eq!(ops, ["<<", ">"]);
    assert_eq!(
        cat.redirects[1]
            .target
            .as_ref()
            .and_then(|t| t.value.as_deref()),
        Some("/etc/x")
    );
    assert_eq!(&src[cat.range.clone()], "cat <<EOF > /etc/x");
    assert_eq!(s.statements.len(), 2);
    assert_eq!(s.final_command().and_then(|c| c.name()), Some("echo"));

    let src = "cat <<-'END' | sh -s && echo ok &\n\tset -x\n\tEND\n";
    let s = parse(src);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(programs(&s), ["cat", "sh", "echo"]);
    assert_eq!(s.commands[1].pipeline.map(|p| p.index), Some(1));
    assert!(s.commands[0].condition_guarded);
    assert!(s.commands.iter().all(|c| c.background));
    assert_eq!(s.statements[0].kind, StatementKind::AndOr);
    let h = &s.heredocs[0];
    assert!(h.quoted && h.strip_tabs);
    assert_eq!(h.body, "set -x\n");
    assert_eq!(&src[h.body_range.clone()], "\tset -x\n");

    let s = parse("cat <<EOF\n$(id)\nEOF");
    assert_eq!(programs(&s), ["cat", "id"]);
    assert_eq!(s.commands[1].context, Context::Substitution);
}

#[test]
fn redirects() {
    let s = parse("cmd 2>&1 >>log <in >&- &>/dev/null");
    let r = &s.commands[0].redirects;
    let ops: Vec<_> = r.iter().map(|r| (r.fd, r.op.as_str())).collect();
    assert_eq!(
        ops,
        [
            (Some(2), ">&"),
            (None, ">>"),
            (None, "<"),
            (None, ">&"),
            (None, "&>"),
        ]
    );
    assert_eq!(
        r[0].target.as_ref().and_then(|t| t.value.as_deref()),
        Some("1")
    );
    assert_eq!(
        r[3].target.as_ref().and_then(|t| t.value.as_deref()),
        Some("-")
    );

    let s = parse("read -r x <<< \"$y\"");
    let r = &s.commands[0].redirects[0];
    assert_eq!(r.op, "<<<");
    assert_eq!(r.target.as_ref().map(|t| t.lossy.as_str()), Some("$y"));

    let s = parse("echo > f a b");
    assert_eq!(values(&s.commands[0].argv), ["echo", "a", "b"]);

    let s = parse("a && b 2>&1 >/dev/null || c");
    assert!(s.commands[0].redirects.is_empty());
    assert_eq!(s.commands[1].redirects.len(), 2);
}

#[test]
fn contexts() {
    let s = parse(
        "f() { a; }\n(b)\n{ c; }\nfor i in 1; do d; done\ncase $x in y) e;; esac\n! g\n((i++))",
    );
    let ctx: Vec<_> = s
        .commands
        .iter()
        .map(|c| (c.name().unwrap_or(""), c.context))
        .collect();
    assert_eq!(
        ctx,
        [
            ("a", Context::Function),
            ("b", Context::Subshell),
            ("c", Context::Group),
            ("d", Context::Loop),
            ("e", Context::Conditional),
            ("g", Context::TopLevel),
        ]
    );
    let kinds: Vec<_> = s.statements.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            StatementKind::FunctionDef,
            StatementKind::Compound(CompoundKind::Subshell),
            StatementKind::Compound(CompoundKind::Group),
            StatementKind::Compound(CompoundKind::For),
            StatementKind::Compound(CompoundKind::Case),
            StatementKind::Simple,
            StatementKind::Compound(CompoundKind::Arithmetic),
        ]
    );
    assert!(s.commands[5].negated);
}

#[test]
fn invalid_input_reports_errors() {
    let s = parse("if then fi ((");
    assert!(!s.errors.is_empty());
    let s = parse("echo ok; if [ x ]; then\n");
    assert!(!s.errors.is_empty());
    assert!(s.commands.iter().any(|c| c.name() == Some("echo")));
}

#[test]
fn junk_does_not_panic() {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..200 {
        let len = (next() % 300) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| (next() % 256) as u8).collect();
        let _ = parse(&String::from_utf8_lossy(&bytes));
        let alphabet = b"ab $(){}[]|&;<>'\"`\\\n#!=*?-EOF<<";
        let text: String = (0..len)
            .map(|_| alphabet[(next() as usize) % alphabet.len()] as char)
            .collect();
        let script = parse(&text);
        for c in &script.commands {
            assert!(c.range.end <= text.len());
            let _ = (
                c.program(),
                c.is_exec(),
                c.args(),
                c.has_flag(Some('x'), Some("x")),
            );
        }
        let _ = script.final_command();
    }
}

#[test]
fn huge_inputs() {
    let junk: String = (0..1_000_000u32)
        .map(|i| {
            let alphabet = b"(){}$`'\"x \n|&;<";
            char::from(alphabet[(i as usize * 7919) % alphabet.len()])
        })
        .collect();
    let _ = parse(&junk);

    let deep = format!("{}x{}", "$(".repeat(5000), ")".repeat(5000));
    let _ = parse(&deep);
    let deep = format!("{}x{}", "(".repeat(5000), ")".repeat(5000));
    let _ = parse(&deep);

    let many: String = (0..10_000).map(|i| format!("echo {i} && true\n")).collect();
    let s = parse(&many);
    assert_eq!(s.commands.len(), 20_000);
    assert_eq!(s.statements.len(), 10_000);

    let chain = vec!["a"; 10_000].join(" && ");
    let s = parse(&chain);
    assert_eq!(s.commands.len(), 10_000);
    assert!(s.commands[..9_999].iter().all(|c| c.condition_guarded));
}

#[test]
fn shebang() {
    assert_eq!(
        shebang_interpreter("#!/usr/bin/env bash\necho").as_deref(),
        Some("bash")
    );
    assert_eq!(shebang_interpreter("#!/bin/sh -e\n").as_deref(), Some("sh"));
    assert_eq!(shebang_interpreter("#! /bin/bash").as_deref(), Some("bash"));
    assert_eq!(
        shebang_interpreter("#!/usr/bin/env -S bash -eu").as_deref(),
        Some("bash")
    );
    assert_eq!(shebang_interpreter("echo hi"), None);
    assert_eq!(shebang_interpreter("#!"), None);
}

#[test]
fn corpus_scripts_parse() {
    let root = std::path::Path::new("/work/shared/corpus/dockerfiles");
    if !root.is_dir() {
        return;
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "sh")
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                let _ = parse(&text);
            }
        }
    }
}

fn parts_of(src: &str) -> Vec<(String, PartKind, bool)> {
    let s = parse(src);
    s.commands
        .iter()
        .flat_map(|c| c.argv.iter())
        .flat_map(|w| w.parts())
        .map(|p| (src[p.range.clone()].to_string(), p.kind, p.quoted))
        .collect()
}

#[test]
fn word_parts() {
    let got =
        parts_of(r#"echo $A "${B:-x y}" '$C' \$D x$E"$F"y $'\n' $(date) `id` $((1+2)) $1 "$@""#);
    let want = [
        ("$A", PartKind::Simple("A".into()), false),
        ("${B:-x y}", PartKind::Braced("B:-x y".into()), true),
        ("$E", PartKind::Simple("E".into()), false),
        ("$F", PartKind::Simple("F".into()), true),
        ("$'\\n'", PartKind::AnsiC, false),
        ("$(date)", PartKind::Command, false),
        ("`id`", PartKind::Command, false),
        ("$((1+2))", PartKind::Arithmetic, false),
        ("$1", PartKind::Simple("1".into()), false),
        ("$@", PartKind::Simple("@".into()), true),
    ];
    let want: Vec<_> = want
        .into_iter()
        .map(|(t, k, q)| (t.to_string(), k, q))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn word_part_parameters() {
    let braced = |s: &str| PartKind::Braced(s.to_string());
    assert_eq!(braced("VAR:0:1").parameter(), Some("VAR"));
    assert_eq!(braced("VAR:0:1").modifier(), Some(":0:1"));
    assert_eq!(braced("VAR").modifier(), Some(""));
    assert_eq!(braced("#VAR").parameter(), None);
    assert_eq!(braced("!ref").parameter(), None);
    assert_eq!(braced("#").parameter(), Some("#"));
    assert_eq!(braced("10").parameter(), Some("10"));
    assert_eq!(PartKind::Command.parameter(), None);
    // A `$(…)` with a `)` in quotes, then a word after it.
    let got = parts_of(r#"echo $(echo ")") $X"#);
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].0, "$X");
}

#[test]
fn bash_constructs_in_the_model() {
    let s = parse("[[ -n $A ]] && [ \"$a\" == b ] && arr=(1 2) && cat <<< x &> /dev/null");
    let dump: Vec<String> = s
        .commands
        .iter()
        .map(|c| {
            format!(
                "{:?} {:?} {:?}",
                c.argv.iter().map(|w| w.raw.as_str()).collect::<Vec<_>>(),
                c.assignments
                    .iter()
                    .map(|a| a.value.raw.as_str())
                    .collect::<Vec<_>>(),
                c.redirects
                    .iter()
                    .map(|r| r.op.as_str())
                    .collect::<Vec<_>>()
            )
        })
        .collect();
    assert_eq!(
        dump,
        [
            r#"["[[", "-n", "$A", "]]"] [] []"#,
            r#"["[", "\"$a\"", "==", "b", "]"] [] []"#,
            r#"[] ["(1 2)"] []"#,
            r#"["cat"] [] ["<<<", "&>"]"#,
        ]
    );
}

#[test]
fn function_definitions() {
    let src = "function a { :; } && b() { function c() { :; }; }";
    let s = parse(src);
    let got: Vec<(&str, Option<&str>)> = s
        .functions
        .iter()
        .map(|f| (f.name.as_str(), f.keyword.clone().map(|k| &src[k])))
        .collect();
    assert_eq!(
        got,
        [
            ("a", Some("function")),
            ("b", None),
            ("c", Some("function"))
        ]
    );
}

#[test]
fn repeated_parses_share_one_model() {
    // One body the fast path takes, one it leaves to tree-sitter.
    for src in [
        "apt-get update && apt-get install -y curl",
        "cat <<EOF\nx\nEOF",
    ] {
        let first = parse(src);
        let again = parse(src);
        assert!(std::ptr::eq::<ScriptModel>(&*first, &*again), "{src:?}");
        assert_eq!(
            format!("{first:?}"),
            format!("{:?}", parse_tree_sitter(src))
        );
    }
    let other = parse("apt-get update && apt-get install -y curl ");
    assert!(!std::ptr::eq::<ScriptModel>(
        &*other,
        &*parse("apt-get update && apt-get install -y curl")
    ));
}
