//! Inputs found while writing and running the fuzz targets (`fuzz/`), kept small. Each
//! test asserts what a user sees for the input, not only that loading returns.

use std::path::Path;

use dockside_compose::{LoadOptions, Project, load_project};

fn load(dir: &Path, compose: &str, edit: impl FnOnce(&mut LoadOptions)) -> Project {
    std::fs::write(dir.join("compose.yaml"), compose).expect("write compose.yaml");
    let mut options = LoadOptions {
        dir: dir.to_path_buf(),
        ..LoadOptions::default()
    };
    edit(&mut options);
    load_project(&options)
}

/// `kind line:col message` of every issue (lines and columns 1-based).
fn issues(project: &Project) -> Vec<String> {
    project
        .issues
        .iter()
        .map(|i| {
            let text = &project.files[i.file as usize].text;
            let before = &text[..i.range.start as usize];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            format!("{:?} {line}:{col} {}", i.kind, i.message)
        })
        .collect()
}

/// A path in the file naming a device was read like a file: `/dev/zero` until memory ran
/// out, a FIFO forever. Devices are now refused like folders.
#[cfg(unix)]
#[test]
fn an_include_naming_a_device_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = load(
        dir.path(),
        "include:\n  - /dev/null\nservices:\n  web:\n    image: nginx:1.27\n",
        |_| {},
    );
    assert_eq!(
        issues(&project),
        ["Include 2:5 cannot include `/dev/null` (/dev/null): not a regular file"]
    );
    assert_eq!(project.services().count(), 1);
}

#[cfg(unix)]
#[test]
fn an_extends_file_or_env_file_that_is_a_fifo_does_not_block() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let project = load(
        dir.path(),
        "services:\n  web:\n    extends:\n      file: ./pipe\n      service: base\n",
        |options| options.env_files = vec![fifo.clone()],
    );
    let fifo = fifo.display();
    assert_eq!(
        issues(&project),
        [
            format!("EnvFile 1:1 cannot read the env file {fifo}: not a regular file"),
            "Extends 4:13 cannot read `./pipe` (pipe): not a regular file; `extends.file` is relative to the folder of the file that contains it"
                .to_string(),
        ]
    );
}

/// `dockside compose config` printed the `:` of an explicit (collection) key at column 0,
/// which ended the enclosing mapping: the output did not load as YAML.
#[test]
fn a_collection_key_prints_as_yaml_that_loads_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = load(
        dir.path(),
        "services:\n  test:\n    image: alpine:3.20\n    environment:\n      ? A:\n",
        |_| {},
    );
    let model = dockside_compose::emit::resolved_model(&project).expect("model");
    let printed = dockside_compose::emit::to_yaml(&model);
    let name = &project.name;
    assert_eq!(
        printed,
        format!(
            "name: {name}\nservices:\n  test:\n    image: alpine:3.20\n    environment:\n      ? {{\"A\": null}}\n      : null\n"
        )
    );
    let reloaded = dockside_compose::yaml::load(&printed);
    assert!(reloaded.errors.is_empty(), "{:?}", reloaded.errors);
}
