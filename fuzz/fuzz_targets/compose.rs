//! A Compose project in memory: the input, split at NUL bytes, is `compose.yaml`,
//! `compose.override.yaml`, `.env` and the `Dockerfile` a service may build. Load (merge,
//! interpolation, extends, include) → every Compose rule → the resolved model as
//! `dockside compose config` prints it → fixes (safe and unsafe, every file).

#![no_main]

use dockside_compose::{LoadIssueKind, LoadOptions, emit, load_project};
use dockside_fuzz::{check_result, config, overlay, path, root, split_text};
use dockside_linter::{LintOptions, fix_compose, lint_compose};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 4] = [
    "compose.yaml",
    "compose.override.yaml",
    ".env",
    "Dockerfile",
];

fuzz_target!(|data: &[u8]| {
    let parts = split_text(data, NAMES.len());
    let files: Vec<(&str, &str)> = NAMES
        .iter()
        .zip(&parts)
        .map(|(name, text)| (*name, text.as_str()))
        .collect();
    let overlay = overlay(&files);
    let compose_files = files.iter().take(2).map(|(name, _)| path(name)).collect();
    let load = LoadOptions {
        files: compose_files,
        dir: root(),
        environment: vec![
            ("FUZZ_SET".to_string(), "value".to_string()),
            ("FUZZ_EMPTY".to_string(), String::new()),
        ],
        profiles: vec!["debug".to_string()],
        overlay: Some(overlay.clone()),
        ..LoadOptions::default()
    };
    let project = load_project(&load);
    for issue in &project.issues {
        let file = &project.files[issue.file as usize];
        let (start, end) = (issue.range.start as usize, issue.range.end as usize);
        assert!(
            start <= end && end <= file.text.len(),
            "load issue {issue:?} outside {}",
            file.path.display()
        );
        assert!(file.text.is_char_boundary(start) && file.text.is_char_boundary(end));
    }
    let options = LintOptions {
        context_root: Some(root()),
        overlay: Some(overlay),
        ..LintOptions::default()
    };
    check_result(&lint_compose(&project, config(), &options));
    // What `dockside compose config` prints for a project that loads without errors must
    // load as YAML again (with errors it prints what it could, and fails).
    let loads = project.issues.iter().all(|i| {
        matches!(
            i.kind,
            LoadIssueKind::UnsetVariable | LoadIssueKind::YamlTrap | LoadIssueKind::EnvFile
        )
    });
    if let Some(model) = emit::resolved_model(&project).filter(|_| loads) {
        let printed = emit::to_yaml(&model);
        let reloaded = dockside_compose::yaml::load(&printed);
        assert!(
            reloaded.errors.is_empty(),
            "printed model does not load: {:?}\n{printed}",
            reloaded.errors
        );
    }
    let outcome = fix_compose(&load, config(), &options, true);
    check_result(&outcome.remaining);
});
