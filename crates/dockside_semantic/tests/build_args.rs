//! Build arguments given from outside override ARG defaults, as `--build-arg` does.

use dockside_semantic::{Base, Lookup, Model};

fn args(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn global_arg_in_from_takes_the_build_arg() {
    let df = dockside_syntax::parse("ARG BASE=python:3.11\nFROM ${BASE}\nRUN true\n");
    let default = Model::build(&df);
    assert_eq!(default.stages[0].image, "python:3.11");
    let given = Model::build_with_args(&df, &args(&[("BASE", "alpine:3.20")]));
    assert_eq!(given.stages[0].image, "alpine:3.20");
    let Base::Image(image) = &given.stages[0].base else {
        panic!("expected an image base, got {:?}", given.stages[0].base);
    };
    assert_eq!(image.repository, "alpine");
}

#[test]
fn arg_without_default_becomes_known() {
    let df = dockside_syntax::parse("ARG BASE\nFROM ${BASE}\nARG VERSION\nRUN echo $VERSION\n");
    let unknown = Model::build(&df);
    assert!(!unknown.stages[0].image_complete);
    let given = Model::build_with_args(&df, &args(&[("BASE", "debian:12"), ("VERSION", "2.1")]));
    assert!(given.stages[0].image_complete);
    assert_eq!(given.stages[0].image, "debian:12");
    let run = 3;
    assert_eq!(given.expand(run, "$VERSION").value, "2.1");
}

#[test]
fn stage_arg_default_is_overridden_and_redeclaration_inherits_it() {
    let df = dockside_syntax::parse(
        "ARG MODE=dev\nFROM alpine:3.20\nARG MODE\nARG PORT=8000\nRUN echo $MODE $PORT\n",
    );
    let given = Model::build_with_args(&df, &args(&[("MODE", "prod"), ("PORT", "9000")]));
    let scope = given.instructions[4].scope;
    assert_eq!(
        given.lookup_value(scope, "MODE"),
        Lookup::Value("prod".into())
    );
    assert_eq!(
        given.lookup_value(scope, "PORT"),
        Lookup::Value("9000".into())
    );
}

#[test]
fn undeclared_build_args_change_nothing() {
    let df = dockside_syntax::parse("FROM alpine:3.20\nRUN echo $TOKEN\n");
    let given = Model::build_with_args(&df, &args(&[("TOKEN", "x")]));
    assert_eq!(
        given.lookup_value(given.instructions[1].scope, "TOKEN"),
        Lookup::Undefined
    );
}

#[test]
fn env_is_not_overridden_by_build_args() {
    let df = dockside_syntax::parse("FROM alpine:3.20\nENV MODE=dev\nRUN echo $MODE\n");
    let given = Model::build_with_args(&df, &args(&[("MODE", "prod")]));
    assert_eq!(
        given.lookup_value(given.instructions[2].scope, "MODE"),
        Lookup::Value("dev".into())
    );
}
