use dockside_compose::interpolate::{IssueKind, Operator, interpolate, references};

use IssueKind::{Invalid, Required, Unset};

/// FOO is set, EMPTY is set to "", NOPE is unset.
fn lookup(name: &str) -> Option<String> {
    match name {
        "FOO" => Some("first".into()),
        "EMPTY" => Some(String::new()),
        "B" => Some("bee".into()),
        "lower_case" => Some("lc".into()),
        "ſ" => Some("long-s".into()),
        _ => None,
    }
}

type Expected = &'static [(IssueKind, &'static str, usize, usize)];

const CASES: &[(&str, &str, Expected)] = &[
    // plain text and `$` that is not a reference
    ("plain text", "plain text", &[]),
    ("", "", &[]),
    ("a $ string", "a $ string", &[]),
    ("^REGEX$", "^REGEX$", &[]),
    ("$}", "$}", &[]),
    ("$", "$", &[]),
    ("$1 and $-x", "$1 and $-x", &[]),
    // `$$`
    ("$$", "$", &[]),
    ("$${FOO}", "${FOO}", &[]),
    ("$$FOO", "$FOO", &[]),
    ("$$$FOO", "$first", &[]),
    ("cost: 5$$", "cost: 5$", &[]),
    // unbraced
    ("$FOO", "first", &[]),
    ("$FOO-bar", "first-bar", &[]),
    ("x$FOO.y", "xfirst.y", &[]),
    ("$lower_case", "lc", &[]),
    ("$NOPE", "", &[(Unset, "NOPE", 0, 5)]),
    ("a $NOPE b", "a  b", &[(Unset, "NOPE", 2, 7)]),
    ("$EMPTY", "", &[]),
    // braced
    ("${FOO}", "first", &[]),
    ("${FOO}bar", "firstbar", &[]),
    ("${NOPE}", "", &[(Unset, "NOPE", 0, 7)]),
    ("${EMPTY}", "", &[]),
    // :-
    ("${FOO:-d}", "first", &[]),
    ("${EMPTY:-d}", "d", &[]),
    ("${NOPE:-d}", "d", &[]),
    ("${NOPE:-}", "", &[]),
    // -
    ("${FOO-d}", "first", &[]),
    ("${EMPTY-d}", "", &[]),
    ("${NOPE-d}", "d", &[]),
    // :+
    ("${FOO:+r}", "r", &[]),
    ("${EMPTY:+r}", "", &[]),
    ("${NOPE:+r}", "", &[]),
    // +
    ("${FOO+r}", "r", &[]),
    ("${EMPTY+r}", "r", &[]),
    ("${NOPE+r}", "", &[]),
    // :?
    ("${FOO:?err}", "first", &[]),
    ("${EMPTY:?err}", "", &[(Required, "EMPTY", 0, 13)]),
    ("x ${NOPE:?set it} y", "x  y", &[(Required, "NOPE", 2, 17)]),
    ("${NOPE:?}", "", &[(Required, "NOPE", 0, 9)]),
    // ?
    ("${FOO?err}", "first", &[]),
    ("${EMPTY?err}", "", &[]),
    ("${NOPE?err}", "", &[(Required, "NOPE", 0, 11)]),
    // the first operator wins; the rest is the argument
    ("${NOPE-a:?b}", "a:?b", &[]),
    ("${NOPE:-/non:-alphanumeric}", "/non:-alphanumeric", &[]),
    ("${FOO?bar-baz}", "first", &[]),
    ("${NOPE-myerror?msg}", "myerror?msg", &[]),
    // operator characters around a reference do not matter
    ("-ok ${EMPTY:-dv}", "-ok dv", &[]),
    (":?ok ${EMPTY-dv}", ":?ok ", &[]),
    // nesting
    ("${NOPE:-${FOO}}", "first", &[]),
    ("${NOPE:-$FOO}", "first", &[]),
    ("${NOPE:-${EMPTY:-c}}", "c", &[]),
    ("${NOPE:-${FOO} ${FOO}}", "first first", &[]),
    ("${EMPTY+$FOO ${FOO:+second}}", "first second", &[]),
    ("${NOPE:-${NOPE2-${B}}}!", "bee!", &[]),
    ("${NOPE:-x} - ${FOO}", "x - first", &[]),
    ("${NOPE:-a}}", "a}", &[]),
    ("${NOPE:-{x}}", "{x}", &[]),
    ("${NOPE:-{x}", "{x", &[]),
    // nested issues point into the argument
    ("${NOPE:-$MISSING}", "", &[(Unset, "MISSING", 8, 16)]),
    ("${NOPE:-${MISSING}}", "", &[(Unset, "MISSING", 8, 18)]),
    (
        "${NOPE:?need ${MISSING}}",
        "",
        &[(Unset, "MISSING", 13, 23), (Required, "NOPE", 0, 24)],
    ),
    // unused branches are not evaluated
    ("${FOO:-$MISSING}", "first", &[]),
    ("${FOO:-${NOPE:?boom}}", "first", &[]),
    ("${NOPE:+${NOPE:?boom}}", "", &[]),
    ("${FOO:-${}", "first", &[]),
    // invalid syntax
    ("${", "", &[(Invalid, "", 0, 2)]),
    ("${}", "}", &[(Invalid, "", 0, 3)]),
    ("${ }", " }", &[(Invalid, "", 0, 4)]),
    ("${ FOO}", " FOO}", &[(Invalid, "", 0, 7)]),
    ("${FOO }", "FOO }", &[(Invalid, "FOO", 0, 7)]),
    ("${FOO!}", "FOO!}", &[(Invalid, "FOO", 0, 7)]),
    ("${:-x}", ":-x}", &[(Invalid, "", 0, 6)]),
    ("${1}", "1}", &[(Invalid, "", 0, 4)]),
    ("${FOO", "FOO", &[(Invalid, "FOO", 0, 5)]),
    ("${FOO:-x", "FOO:-x", &[(Invalid, "FOO", 0, 8)]),
    (
        "ab ${FOO:x} $FOO",
        "ab FOO:x} first",
        &[(Invalid, "FOO", 3, 11)],
    ),
    // an argument cannot span lines
    ("${NOPE:-a\nb}", "NOPE:-a\nb}", &[(Invalid, "NOPE", 0, 9)]),
    ("${FOO}\n${NOPE}", "first\n", &[(Unset, "NOPE", 7, 14)]),
    // several issues, in order
    (
        "$A ${B} ${C:?c}",
        " bee ",
        &[(Unset, "A", 0, 2), (Required, "C", 8, 15)],
    ),
    // unicode around references: byte ranges
    ("é$NOPE€", "é€", &[(Unset, "NOPE", 2, 7)]),
    ("日本${FOO}語", "日本first語", &[]),
    (
        "ü ${NOPE:?fehlt – bitte}",
        "ü ",
        &[(Required, "NOPE", 3, 27)],
    ),
    ("${NOPE:-ça}", "ça", &[]),
    ("$FOOé", "firsté", &[]),
    ("${é}", "é}", &[(Invalid, "", 0, 5)]),
    // Go's case folding admits ſ (U+017F) in names
    ("$ſ", "long-s", &[]),
];

#[test]
fn interpolation_table() {
    assert!(CASES.len() >= 40);
    let mut failures = Vec::new();
    for (text, value, issues) in CASES {
        let got = interpolate(text, &lookup);
        let got_issues: Vec<(IssueKind, String, usize, usize)> = got
            .issues
            .iter()
            .map(|i| (i.kind, i.name.clone(), i.range.start, i.range.end))
            .collect();
        let want_issues: Vec<(IssueKind, String, usize, usize)> = issues
            .iter()
            .map(|(k, n, s, e)| (*k, n.to_string(), *s, *e))
            .collect();
        if got.value != *value || got_issues != want_issues {
            failures.push(format!(
                "{text:?}\n   want {value:?} {want_issues:?}\n    got {:?} {got_issues:?}",
                got.value
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn messages() {
    let r = interpolate("${NOPE:?please set NOPE}", &lookup);
    assert_eq!(
        r.issues[0].message,
        "required variable NOPE is missing a value: please set NOPE"
    );
    let r = interpolate("${NOPE?}", &lookup);
    assert_eq!(
        r.issues[0].message,
        "required variable NOPE is missing a value"
    );
    let r = interpolate("${NOPE:?need ${FOO}}", &lookup);
    assert_eq!(
        r.issues[0].message,
        "required variable NOPE is missing a value: need first"
    );
    let r = interpolate("$NOPE", &lookup);
    assert!(r.issues[0].message.contains("\"NOPE\" variable is not set"));
    assert!(!r.has_errors());
    let r = interpolate("${FOO!}", &lookup);
    assert!(r.has_errors());
    assert!(
        r.issues[0].message.contains("`${FOO!}`"),
        "{}",
        r.issues[0].message
    );
    assert!(r.issues[0].message.contains("$$"));
    let r = interpolate("${NOPE:-a\nb}", &lookup);
    assert!(
        r.issues[0].message.contains("same line"),
        "{}",
        r.issues[0].message
    );
}

#[test]
fn references_list_every_use() {
    let text = "$A ${B:-${C}} ${D:?x $E} $$F ${G+y} ${";
    let refs = references(text);
    let names: Vec<&str> = refs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["A", "B", "C", "D", "E", "G"]);

    let a = &refs[0];
    assert_eq!((a.range.clone(), a.name_range.clone()), (0..2, 1..2));
    assert!(!a.braced && a.operator.is_none() && !a.has_default && a.warns_when_unset());

    let b = &refs[1];
    assert_eq!(b.range, 3..13);
    assert_eq!(b.name_range, 5..6);
    assert_eq!(b.operator, Some(Operator::DefaultIfUnsetOrEmpty));
    assert_eq!(b.argument, Some(8..12));
    assert_eq!(&text[8..12], "${C}");
    assert!(b.braced && b.has_default && !b.warns_when_unset());
    assert_eq!(b.depth, 0);

    let c = &refs[2];
    assert_eq!((c.range.clone(), c.depth), (8..12, 1));

    let d = &refs[3];
    assert_eq!(d.operator, Some(Operator::RequiredNonEmpty));
    assert!(!d.has_default && !d.warns_when_unset());
    assert_eq!(refs[4].depth, 1);
    assert_eq!(refs[5].operator, Some(Operator::ReplaceIfSet));
    assert_eq!(Operator::ReplaceIfSet.as_str(), "+");
}

#[test]
fn references_include_unused_branches_and_unicode() {
    let refs = references("ü${X-${Y:?z}}");
    assert_eq!(refs.len(), 2);
    assert_eq!(refs[0].range, 2..14);
    assert_eq!(refs[1].range, 6..13);
    assert_eq!(refs[1].operator, Some(Operator::RequiredNonEmpty));
}
