//! `dockside compose config`: the resolved project, like `docker compose config`.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;

use dockside_compose::{LoadIssueKind, LoadOptions, load_project};
use dockside_syntax::LineIndex;

use crate::ExitStatus;
use crate::args::ComposeConfigArgs;

pub fn config(args: &ComposeConfigArgs) -> ExitStatus {
    let dir = args.dir.clone().unwrap_or_default();
    if !args.project.compose_files.is_empty() || !dir.as_os_str().is_empty() {
        for path in args.project.compose_files.iter().chain(args.dir.iter()) {
            if !path.exists() {
                eprintln!("error: {}: no such file or directory", path.display());
                return ExitStatus::Error;
            }
        }
    }
    let load = LoadOptions {
        files: args.project.compose_files.clone(),
        dir: dir.clone(),
        env_files: args.project.env_file.clone(),
        profiles: args.project.profile.clone(),
        environment: std::env::vars().collect(),
        project_name: args.project_name.clone(),
        ..LoadOptions::default()
    };
    let project = load_project(&load);
    if project.files.is_empty() {
        eprintln!(
            "error: no Compose file found in {} (looked for {})",
            if dir.as_os_str().is_empty() {
                PathBuf::from(".").display().to_string()
            } else {
                dir.display().to_string()
            },
            dockside_compose::project::DEFAULT_FILE_NAMES.join(", ")
        );
        return ExitStatus::Error;
    }
    let mut failed = false;
    let mut indexes: Vec<Option<Arc<LineIndex>>> = vec![None; project.files.len()];
    for issue in &project.issues {
        let error = !matches!(
            issue.kind,
            LoadIssueKind::UnsetVariable | LoadIssueKind::YamlTrap | LoadIssueKind::EnvFile
        );
        failed |= error;
        let Some(file) = project.files.get(issue.file as usize) else {
            continue;
        };
        let index = indexes[issue.file as usize]
            .get_or_insert_with(|| Arc::new(LineIndex::new(&file.text)))
            .clone();
        let at = index.position(&file.text, issue.range.start as usize);
        eprintln!(
            "{}: {}:{}:{}: {}",
            if error { "error" } else { "warning" },
            file.path.display(),
            at.line + 1,
            at.char_col + 1,
            issue.message
        );
    }
    if let Some(model) = dockside_compose::emit::resolved_model(&project) {
        let text = dockside_compose::emit::to_yaml(&model);
        let mut stdout = io::stdout().lock();
        if let Err(e) = stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            && e.kind() != io::ErrorKind::BrokenPipe
        {
            eprintln!("error: cannot write output: {e}");
            return ExitStatus::Error;
        }
    }
    if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}
