use dockside_compose::dotenv::{EnvErrorKind, EnvFile, Quote, parse, parse_with};

fn env(name: &str) -> Option<String> {
    match name {
        "HOME" => Some("/home/me".into()),
        "EMPTY" => Some(String::new()),
        "SHADOW" => Some("from-env".into()),
        _ => None,
    }
}

/// (key, value, key range, value range, line)
type Entries = &'static [(
    &'static str,
    &'static str,
    (usize, usize),
    (usize, usize),
    usize,
)];

const CASES: &[(&str, Entries)] = &[
    ("", &[]),
    ("\n\n  \n", &[]),
    ("# comment\n  # indented\n", &[]),
    ("A=b", &[("A", "b", (0, 1), (2, 3), 1)]),
    (
        "A=b\nC=d\n",
        &[("A", "b", (0, 1), (2, 3), 1), ("C", "d", (4, 5), (6, 7), 2)],
    ),
    ("A = b  \n", &[("A", "b", (0, 1), (4, 5), 1)]),
    ("  A=b\r\n", &[("A", "b", (2, 3), (4, 5), 1)]),
    ("export A=b", &[("A", "b", (7, 8), (9, 10), 1)]),
    ("export\tA=b", &[("A", "b", (7, 8), (9, 10), 1)]),
    ("exporter=b", &[("exporter", "b", (0, 8), (9, 10), 1)]),
    ("A: b", &[("A", "b", (0, 1), (3, 4), 1)]),
    ("A=", &[("A", "", (0, 1), (2, 2), 1)]),
    ("A=b # comment", &[("A", "b", (0, 1), (2, 3), 1)]),
    ("A=b#c", &[("A", "b#c", (0, 1), (2, 5), 1)]),
    ("A=b\t#c", &[("A", "b\t#c", (0, 1), (2, 6), 1)]),
    ("A= #c", &[("A", "#c", (0, 1), (3, 5), 1)]),
    ("A=a b  c", &[("A", "a b  c", (0, 1), (2, 8), 1)]),
    ("A.b-c[0]=x", &[("A.b-c[0]", "x", (0, 8), (9, 10), 1)]),
    ("ÄÖ=ü", &[("ÄÖ", "ü", (0, 4), (5, 7), 1)]),
    (
        "URL=postgres://u:p@h/db",
        &[("URL", "postgres://u:p@h/db", (0, 3), (4, 23), 1)],
    ),
    // single quotes: literal
    ("A='b c'", &[("A", "b c", (0, 1), (2, 7), 1)]),
    (
        "A='$HOME ${X:?x}'",
        &[("A", "$HOME ${X:?x}", (0, 1), (2, 17), 1)],
    ),
    ("A='a\\nb'", &[("A", "a\\nb", (0, 1), (2, 8), 1)]),
    ("A='it\\'s'", &[("A", "it's", (0, 1), (2, 9), 1)]),
    ("A='x # y' # z", &[("A", "x # y", (0, 1), (2, 9), 1)]),
    (
        "A='l1\nl2'\nB=c",
        &[
            ("A", "l1\nl2", (0, 1), (2, 9), 1),
            ("B", "c", (10, 11), (12, 13), 3),
        ],
    ),
    // double quotes: escapes and interpolation
    ("A=\"b c\"", &[("A", "b c", (0, 1), (2, 7), 1)]),
    ("A=\"a\\nb\\tc\"", &[("A", "a\nb\tc", (0, 1), (2, 11), 1)]),
    ("A=\"q\\\"q\"", &[("A", "q\"q", (0, 1), (2, 8), 1)]),
    (
        "A=\"back\\\\slash\"",
        &[("A", "back\\slash", (0, 1), (2, 15), 1)],
    ),
    ("A=\"\\$HOME\"", &[("A", "$HOME", (0, 1), (2, 10), 1)]),
    ("A=\"\\0101\"", &[("A", "A", (0, 1), (2, 9), 1)]),
    ("A=\"\\x\\c\"", &[("A", "\\x\\c", (0, 1), (2, 8), 1)]),
    (
        "A=\"line1\nline2\"\nB=x",
        &[
            ("A", "line1\nline2", (0, 1), (2, 15), 1),
            ("B", "x", (16, 17), (18, 19), 3),
        ],
    ),
    ("A=\"$HOME/x\"", &[("A", "/home/me/x", (0, 1), (2, 11), 1)]),
    ("A=\"x\" # note", &[("A", "x", (0, 1), (2, 5), 1)]),
    (
        "A=\"x\" B=y",
        &[("A", "x", (0, 1), (2, 5), 1), ("B", "y", (6, 7), (8, 9), 1)],
    ),
    // interpolation in unquoted values, from earlier entries first
    ("A=$HOME/bin", &[("A", "/home/me/bin", (0, 1), (2, 11), 1)]),
    (
        "A=1\nB=${A}2",
        &[
            ("A", "1", (0, 1), (2, 3), 1),
            ("B", "12", (4, 5), (6, 11), 2),
        ],
    ),
    (
        "SHADOW=file\nB=$SHADOW",
        &[
            ("SHADOW", "file", (0, 6), (7, 11), 1),
            ("B", "file", (12, 13), (14, 21), 2),
        ],
    ),
    ("B=$SHADOW", &[("B", "from-env", (0, 1), (2, 9), 1)]),
    ("A=${NOPE:-dflt}", &[("A", "dflt", (0, 1), (2, 15), 1)]),
    ("A=${EMPTY-dflt}", &[("A", "", (0, 1), (2, 15), 1)]),
    ("A=$$HOME", &[("A", "$HOME", (0, 1), (2, 8), 1)]),
    ("\u{FEFF}A=b", &[("A", "b", (3, 4), (5, 6), 1)]),
];

fn check(text: &str, file: &EnvFile, want: Entries) -> Option<String> {
    let got: Vec<_> = file
        .entries
        .iter()
        .map(|e| {
            (
                e.key.clone(),
                e.value.clone(),
                (e.key_range.start, e.key_range.end),
                (e.value_range.start, e.value_range.end),
                e.line,
            )
        })
        .collect();
    let want: Vec<_> = want
        .iter()
        .map(|(k, v, kr, vr, l)| (k.to_string(), v.to_string(), *kr, *vr, *l))
        .collect();
    (got != want || !file.errors.is_empty()).then(|| {
        format!(
            "{text:?}\n   want {want:?}\n    got {got:?}\n errors {:?}",
            file.errors
        )
    })
}

#[test]
fn dotenv_table() {
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|(text, want)| check(text, &parse_with(text, &env), want))
        .collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn quotes_are_recorded() {
    let file = parse("A=x\nB='y'\nC=\"z\"\n");
    let quotes: Vec<Quote> = file.entries.iter().map(|e| e.quote).collect();
    assert_eq!(quotes, [Quote::None, Quote::Single, Quote::Double]);
}

#[test]
fn inherited_keys() {
    let text = "HOME\nMISSING\n  EMPTY  \nA=1\nA\n";
    let file = parse_with(text, &env);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let e: Vec<_> = file
        .entries
        .iter()
        .map(|e| {
            (
                e.key.as_str(),
                e.value.as_str(),
                e.inherited,
                e.is_set,
                e.key_range.clone(),
                e.value_range.clone(),
                e.line,
            )
        })
        .collect();
    assert_eq!(
        e,
        [
            ("HOME", "/home/me", true, true, 0..4, 4..4, 1),
            ("MISSING", "", true, false, 5..12, 12..12, 2),
            ("EMPTY", "", true, true, 15..20, 20..20, 3),
            ("A", "1", false, true, 23..24, 25..26, 4),
            ("A", "", true, false, 27..28, 28..28, 5),
        ]
    );
    // An inherited key the environment lacks leaves the earlier value.
    assert_eq!(file.value("A"), Some("1"));
    assert_eq!(file.value("MISSING"), None);
    assert_eq!(file.value("HOME"), Some("/home/me"));
    assert_eq!(file.get("A").map(|e| e.line), Some(4));
    assert_eq!(
        file.variables(),
        [("HOME", "/home/me"), ("EMPTY", ""), ("A", "1")]
    );
}

#[test]
fn later_definitions_win() {
    let file = parse("A=1\nB=$A\nA=2\nC=$A\n");
    assert_eq!(file.value("A"), Some("2"));
    assert_eq!(file.value("B"), Some("1"));
    assert_eq!(file.value("C"), Some("2"));
    assert_eq!(file.variables(), [("B", "1"), ("A", "2"), ("C", "2")]);
}

/// (text, kind, range, line)
const ERRORS: &[(&str, EnvErrorKind, (usize, usize), usize)] = &[
    ("A B=c", EnvErrorKind::KeyWithSpace, (0, 3), 1),
    ("OK=1\nA!=c", EnvErrorKind::InvalidKeyCharacter, (6, 7), 2),
    ("A=\"abc\nB=1", EnvErrorKind::UnterminatedQuote, (2, 6), 1),
    ("A='abc", EnvErrorKind::UnterminatedQuote, (2, 6), 1),
    (
        "A=${NOPE:?set NOPE}",
        EnvErrorKind::RequiredVariable,
        (2, 19),
        1,
    ),
    ("X=1\nA=x${", EnvErrorKind::InvalidInterpolation, (7, 9), 2),
    (
        "A=\"ü ${NOPE?}\"",
        EnvErrorKind::RequiredVariable,
        (6, 14),
        1,
    ),
    // positions inside double quotes map back through escapes
    (
        "A=\"\\n\\t${NOPE:?x}\"",
        EnvErrorKind::RequiredVariable,
        (7, 17),
        1,
    ),
    (
        "A=\"a\nb ${BAD!}\"",
        EnvErrorKind::InvalidInterpolation,
        (7, 14),
        2,
    ),
];

#[test]
fn errors_with_positions() {
    let mut failures = Vec::new();
    for (text, kind, (start, end), line) in ERRORS {
        let file = parse_with(text, &env);
        let got: Vec<_> = file
            .errors
            .iter()
            .map(|e| (e.kind, e.range.start, e.range.end, e.line))
            .collect();
        if got != [(*kind, *start, *end, *line)] {
            failures.push(format!(
                "{text:?}: want {:?} got {got:?}",
                (kind, start, end, line)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn parsing_resumes_after_errors() {
    let file = parse("A B=1\nGOOD=2\nBAD!=3\nALSO=4\nQ=\"open\nLAST=5\n");
    let keys: Vec<&str> = file.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["GOOD", "ALSO", "LAST"]);
    let kinds: Vec<_> = file.errors.iter().map(|e| (e.kind, e.line)).collect();
    assert_eq!(
        kinds,
        [
            (EnvErrorKind::KeyWithSpace, 1),
            (EnvErrorKind::InvalidKeyCharacter, 3),
            (EnvErrorKind::UnterminatedQuote, 5),
        ]
    );
    assert!(file.errors[0].message.contains("cannot contain a space"));
    assert!(file.errors[2].message.contains("unterminated quoted value"));
}

#[test]
fn warnings() {
    let file = parse_with("A=$NOPE\nB=\"${NOPE}\"\nC='$NOPE'\n", &env);
    assert!(file.errors.is_empty());
    let w: Vec<_> = file
        .warnings
        .iter()
        .map(|w| (w.kind, w.range.clone(), w.line))
        .collect();
    assert_eq!(
        w,
        [
            (EnvErrorKind::UnsetVariable, 2..7, 1),
            (EnvErrorKind::UnsetVariable, 11..18, 2),
        ]
    );

    let file = parse("A=1\nLAST");
    assert_eq!(file.entries.len(), 1);
    assert_eq!(file.warnings[0].kind, EnvErrorKind::BareKeyAtEndOfFile);
    assert_eq!(file.warnings[0].range, 4..8);
    assert_eq!(file.warnings[0].line, 2);

    let file = parse("=value\n");
    assert!(file.entries.is_empty());
    assert_eq!(file.warnings[0].kind, EnvErrorKind::MissingKey);
    assert_eq!(file.warnings[0].range, 0..6);

    let file = parse("A=\"x\"junk\n");
    assert_eq!(file.warnings[0].kind, EnvErrorKind::TextAfterQuote);
    assert_eq!(file.warnings[0].range, 5..9);
    // Compose reads `junk` as an inherited key.
    assert_eq!(file.entries[1].key, "junk");
    assert!(file.entries[1].inherited);

    let file = parse("A=\"x\" # fine\n");
    assert!(file.warnings.is_empty());
}
