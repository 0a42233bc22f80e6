//! What the model keeps of generated files stays bounded: variable values, stage
//! ancestry and the working directory.

use dockside_semantic::{Base, Lookup, MAX_ANCESTRY, MAX_STORED_VALUES, Model};

fn lookup(model: &Model, instruction: usize, name: &str) -> Lookup {
    model.lookup_value(model.instructions[instruction].scope, name)
}

#[test]
fn values_past_the_budget_are_known_only_at_build_time() {
    // Each PATH is longer than the one before: the values add up quadratically.
    let mut text = String::from("FROM alpine:3.20\nENV PATH=/usr/bin\n");
    let lines = 6_000;
    for i in 0..lines {
        text.push_str(&format!("ENV PATH=$PATH:/opt/tool-number-{i:05}/bin\n"));
    }
    text.push_str("RUN true\n");
    let df = dockside_syntax::parse(&text);
    let model = Model::build(&df);
    let last = model.instructions.len() - 1;
    // Early values are known, the last one is not (it would need well over the budget).
    match lookup(&model, 3, "PATH") {
        Lookup::Value(v) => assert!(v.starts_with("/usr/bin:/opt/tool-number-00000/bin")),
        other => panic!("expected a value, got {other:?}"),
    }
    assert!(matches!(lookup(&model, last, "PATH"), Lookup::Unknown));
    let kept: usize = (1..=last)
        .filter_map(|i| match lookup(&model, i, "PATH") {
            Lookup::Value(v) => Some(v.len()),
            _ => None,
        })
        .sum();
    assert!(kept <= MAX_STORED_VALUES, "{kept} bytes kept");
}

#[test]
fn ancestry_stops_after_the_limit() {
    let mut text = String::from("FROM alpine:3.20 AS s0\n");
    for i in 1..200 {
        text.push_str(&format!("FROM s{} AS s{i}\n", i - 1));
    }
    let df = dockside_syntax::parse(&text);
    let model = Model::build(&df);
    assert_eq!(model.stages[199].base, Base::Stage(198));
    let ancestry = model.stage_ancestry(199);
    assert_eq!(ancestry.len(), MAX_ANCESTRY);
    assert_eq!(ancestry[..3], [199, 198, 197]);
    assert_eq!(model.stage_ancestry(10), (0..=10).rev().collect::<Vec<_>>());
}

#[test]
fn relative_workdirs_stop_growing_at_path_max() {
    let mut text = String::from("FROM alpine:3.20\n");
    for i in 0..2_000 {
        text.push_str(&format!("WORKDIR dir{i:04}\n"));
    }
    let df = dockside_syntax::parse(&text);
    let model = Model::build(&df);
    // The directory in effect when an instruction runs: set by the WORKDIRs before it.
    assert_eq!(&*model.instructions[3].workdir, "/dir0000/dir0001");
    let last = &model.instructions[2_000].workdir;
    assert!(last.len() <= 4096, "{}", last.len());
    assert!(last.len() > 4096 - 8, "{}", last.len());
}
