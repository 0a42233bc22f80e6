//! The container's main process: PID 1, signals, foreground.

use crate::rule::Rule;

pub mod entrypoint_ignores_cmd;
pub mod entrypoint_without_exec;
pub mod foreground_process;
pub(crate) mod main_process;
pub mod shell_form_entrypoint;

pub(crate) const RULES: &[&dyn Rule] = &[
    &foreground_process::ForegroundProcess,
    &shell_form_entrypoint::ShellFormEntrypoint,
    &entrypoint_without_exec::EntrypointWithoutExec,
    &entrypoint_ignores_cmd::EntrypointIgnoresCmd,
];
