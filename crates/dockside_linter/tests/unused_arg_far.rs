//! `unused-arg` in long stages: an ARG is looked up in the next instructions one by
//! one, then through an index of the whole file; both must give the same answers.

mod support;

use std::path::Path;

use dockside_linter::*;

fn unused_args(source: &str) -> Vec<usize> {
    let mut config = Config::default_for(Path::new("/nonexistent").to_path_buf());
    config.select = Some(vec!["unused-arg"]);
    support::findings(source, &config)
        .into_iter()
        .map(|(_, line, _)| line)
        .collect()
}

/// `FROM`, the ARGs, `filler` LABELs, then `tail`.
fn stage(args: &[&str], filler: usize, tail: &str) -> String {
    let mut text = String::from("FROM alpine:3.20\n");
    for arg in args {
        text.push_str(&format!("ARG {arg}\n"));
    }
    for i in 0..filler {
        text.push_str(&format!("LABEL l{i}=x\n"));
    }
    text.push_str(tail);
    text
}

#[test]
fn a_use_far_below_the_arg_counts() {
    for filler in [0, 10, 200] {
        let source = stage(&["USED", "UNUSED"], filler, "LABEL v=$USED\n");
        assert_eq!(
            unused_args(&source),
            vec![3],
            "with {filler} instructions between"
        );
    }
}

#[test]
fn a_run_far_below_may_read_any_arg() {
    for filler in [0, 10, 200] {
        let source = stage(&["A"], filler, "RUN ./configure\n");
        assert_eq!(
            unused_args(&source),
            Vec::<usize>::new(),
            "with {filler} instructions between"
        );
        let source = stage(&["A"], filler, "RUN apt-get install -y curl\n");
        assert_eq!(
            unused_args(&source),
            vec![2],
            "with {filler} instructions between"
        );
    }
}

#[test]
fn a_use_in_a_stage_built_on_it_counts() {
    let mut source = stage(&["INHERITED"], 100, "");
    source = source.replacen("FROM alpine:3.20", "FROM alpine:3.20 AS base", 1);
    source.push_str("FROM base\nLABEL v=${INHERITED}\n");
    assert_eq!(unused_args(&source), Vec::<usize>::new());
}
