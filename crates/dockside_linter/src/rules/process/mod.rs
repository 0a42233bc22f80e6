//! The container's main process: PID 1, signals, foreground.

use crate::rule::Rule;

pub mod app_stopsignal;
pub mod dev_server;
pub mod entrypoint_ignores_cmd;
pub mod entrypoint_without_exec;
pub mod foreground_process;
pub mod healthcheck_missing;
pub mod invalid_bind_address;
pub mod invalid_healthcheck;
pub mod invalid_stopsignal;
pub mod loopback_bind_address;
pub(crate) mod main_process;
pub mod multiple_instructions;
pub(crate) mod servers;
pub mod shell_form_entrypoint;

pub(crate) const RULES: &[&dyn Rule] = &[
    &foreground_process::ForegroundProcess,
    &shell_form_entrypoint::ShellFormEntrypoint,
    &entrypoint_without_exec::EntrypointWithoutExec,
    &entrypoint_ignores_cmd::EntrypointIgnoresCmd,
    &multiple_instructions::MultipleInstructions,
    &invalid_stopsignal::InvalidStopsignal,
    &invalid_healthcheck::InvalidHealthcheck,
    &healthcheck_missing::HealthcheckMissing,
    &dev_server::DevServer,
    &invalid_bind_address::InvalidBindAddress,
    &loopback_bind_address::LoopbackBindAddress,
    &app_stopsignal::AppStopsignal,
];
