//! Inputs found by the fuzz targets (`fuzz/`), kept small. The parse of each must be the
//! same whichever of the two parsers builds it.

use dockside_shell::{parse, parse_tree_sitter};

/// A NUL byte inside quotes was read as text by the fast path, while tree-sitter-bash
/// stops its string there: the same RUN body gave other commands depending on the path.
#[test]
fn a_nul_byte_in_quotes_parses_as_tree_sitter_reads_it() {
    for src in [
        "grep -F \"a\0b\" f",
        "echo 'a\0b'",
        "echo ok # a\0b",
        "echo \"\\\0\"",
    ] {
        let script = parse(src);
        assert_eq!(
            format!("{script:#?}"),
            format!("{:#?}", parse_tree_sitter(src)),
            "{src:?}"
        );
        assert!(
            script.has_errors() || src.contains('#'),
            "{src:?}: {script:#?}"
        );
    }
    let script = parse("grep -F \"a\0b\" f");
    let argv: Vec<&str> = script.commands[0]
        .argv
        .iter()
        .map(|w| w.raw.as_str())
        .collect();
    assert_eq!(argv[..2], ["grep", "-F"]);
    assert_eq!(script.errors.first().map(|e| e.start), Some(10));
}

/// `./make.bash --no-clean 0>&1` (from a Go image's RUN): tree-sitter-bash reads the `0`
/// before `>` as an argument and the redirection without a descriptor, while the fast path
/// read descriptor 0. Such commands are left to tree-sitter, so both paths agree.
#[test]
fn a_zero_before_a_redirection_parses_as_tree_sitter_reads_it() {
    for src in [
        "cd /usr/local/go/src && ./make.bash --no-clean 0>&1",
        "x 0>f",
        "x 0<f",
        "x 00>&1",
        "{ x; } 0>f",
    ] {
        assert_eq!(
            format!("{:#?}", parse(src)),
            format!("{:#?}", parse_tree_sitter(src)),
            "{src:?}"
        );
    }
    // Other descriptors still take the fast path.
    assert!(dockside_shell::parse_fast_path("x 2>&1").is_some());
    assert!(dockside_shell::parse_fast_path("x 10>&1").is_some());
}
