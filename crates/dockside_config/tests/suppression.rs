use dockside_config::suppression::{Tool, parse_comment};

/// (comment, global, tool, rules, reason, all)
type OkCase<'a> = (&'a str, bool, Tool, &'a [&'a str], Option<&'a str>, bool);

#[test]
fn well_formed_comments() {
    let cases: &[OkCase] = &[
        (
            "# dockside ignore=merge-consecutive-runs,DF202 -- reason",
            false,
            Tool::Dockside,
            &["merge-consecutive-runs", "DF202"],
            Some("reason"),
            false,
        ),
        (
            "#dockside ignore = a, b",
            false,
            Tool::Dockside,
            &["a", "b"],
            None,
            false,
        ),
        (
            "# dockside global ignore=secret-in-env",
            true,
            Tool::Dockside,
            &["secret-in-env"],
            None,
            false,
        ),
        (
            "#  dockside   global   ignore =  DF101 ,DF202",
            true,
            Tool::Dockside,
            &["DF101", "DF202"],
            None,
            false,
        ),
        (
            "# dockside ignore=all",
            false,
            Tool::Dockside,
            &[],
            None,
            true,
        ),
        (
            "# dockside ignore=all -- legacy image, fix later ",
            false,
            Tool::Dockside,
            &[],
            Some("legacy image, fix later"),
            true,
        ),
        (
            "# dockside ignore=DF101,all",
            false,
            Tool::Dockside,
            &["DF101"],
            None,
            true,
        ),
        (
            "# dockside ignore=a --",
            false,
            Tool::Dockside,
            &["a"],
            None,
            false,
        ),
        (
            "# dockside ignore=a--b",
            false,
            Tool::Dockside,
            &["a--b"],
            None,
            false,
        ),
        (
            "# dockside ignore=a\r",
            false,
            Tool::Dockside,
            &["a"],
            None,
            false,
        ),
        (
            "  # DOCKSIDE IGNORE=DF101",
            false,
            Tool::Dockside,
            &["DF101"],
            None,
            false,
        ),
        (
            "# hadolint ignore=DL3008,DL3009",
            false,
            Tool::Hadolint,
            &["DL3008", "DL3009"],
            None,
            false,
        ),
        (
            "# hadolint global ignore=DL3059",
            true,
            Tool::Hadolint,
            &["DL3059"],
            None,
            false,
        ),
        (
            "# hadolint ignore=DL3008 because apt is pinned elsewhere",
            false,
            Tool::Hadolint,
            &["DL3008"],
            None,
            false,
        ),
        (
            "# hadolint ignore=DL3008 -- pinned elsewhere",
            false,
            Tool::Hadolint,
            &["DL3008"],
            Some("pinned elsewhere"),
            false,
        ),
        (
            "# dockside ignore=JSONArgsRecommended",
            false,
            Tool::Dockside,
            &["JSONArgsRecommended"],
            None,
            false,
        ),
    ];
    for &(input, global, tool, rules, reason, all) in cases {
        let parsed = parse_comment(input)
            .unwrap_or_else(|| panic!("{input:?}: not recognised"))
            .unwrap_or_else(|e| panic!("{input:?}: {e} at {:?}", e.range));
        assert_eq!(parsed.global, global, "{input:?}");
        assert_eq!(parsed.tool, tool, "{input:?}");
        assert_eq!(parsed.all, all, "{input:?}");
        assert_eq!(parsed.reason.as_deref(), reason, "{input:?}");
        let names: Vec<&str> = parsed.rules.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, rules, "{input:?}");
        for (name, range) in &parsed.rules {
            assert_eq!(&input[range.clone()], name, "{input:?}");
        }
    }
}

#[test]
fn rule_ranges_are_exact() {
    let c = parse_comment("# dockside ignore=merge-consecutive-runs,DF202 -- reason")
        .unwrap()
        .unwrap();
    assert_eq!(c.rules[0].1, 18..40);
    assert_eq!(c.rules[1].1, 41..46);
    let c = parse_comment("#dockside ignore = a, b").unwrap().unwrap();
    assert_eq!(
        c.rules,
        vec![("a".to_string(), 19..20), ("b".to_string(), 22..23)]
    );
}

#[test]
fn not_suppression_comments() {
    for input in [
        "",
        "not a comment",
        "# just a comment",
        "#",
        "# dockside",
        "# dockside is great",
        "# dockside ignores nothing here",
        "# dockside.toml holds the config",
        "# dockside: see docs",
        "# docksidex ignore=a",
        "# hadolint shell=bash",
        "# hadolint shell=powershell",
        "# tool ignore=DF101",
    ] {
        assert_eq!(parse_comment(input), None, "{input:?}");
    }
}

#[test]
fn malformed_comments() {
    // (comment, message fragment, range)
    let cases: &[(&str, &str, std::ops::Range<usize>)] = &[
        (
            "# dockside ignore=",
            "expected at least one rule name after `ignore=`",
            11..18,
        ),
        (
            "# dockside ignore=   ",
            "expected at least one rule name",
            11..18,
        ),
        (
            "# dockside ignore= -- why",
            "expected at least one rule name",
            11..18,
        ),
        (
            "# hadolint ignore=",
            "expected at least one rule name",
            11..18,
        ),
        (
            "# dockside ignor=x",
            "unknown directive `ignor`; did you mean `ignore=`?",
            11..16,
        ),
        ("# dockside ingore=x", "did you mean `ignore=`?", 11..17),
        (
            "# dockside frobnicate=x",
            "unknown directive `frobnicate`; expected `ignore=`",
            11..21,
        ),
        ("# dockside ignore x", "expected `=` after `ignore`", 11..17),
        ("# dockside ignore", "expected `=` after `ignore`", 11..17),
        (
            "# dockside ignore=a,,b",
            "expected a rule name after `,`",
            19..20,
        ),
        (
            "# dockside ignore=a,",
            "expected a rule name after `,`",
            19..20,
        ),
        (
            "# dockside ignore=a b",
            "unexpected `b` after the rule list",
            20..21,
        ),
        ("# dockside ignore=a;b", "unexpected `;b`", 19..21),
        (
            "# dockside global",
            "expected `ignore=` after `global`",
            11..17,
        ),
        ("# dockside global foo", "unknown directive `foo`", 18..21),
        (
            "# dockside globl ignore=a",
            "unknown modifier `globl`; did you mean `global`?",
            11..16,
        ),
    ];
    for (input, fragment, range) in cases {
        let err = parse_comment(input)
            .unwrap_or_else(|| panic!("{input:?}: not recognised"))
            .expect_err(input);
        assert!(err.message.contains(fragment), "{input:?}: {}", err.message);
        assert_eq!(&err.range, range, "{input:?}: {}", err.message);
    }
}
