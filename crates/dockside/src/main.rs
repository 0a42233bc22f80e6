//! `dockside`: the command-line interface, a thin layer over `dockside_linter`.

mod allocator;
mod args;
mod check;
mod commands;
mod compose_projects;
mod discover;
mod fix_write;
mod printer;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command, ComposeCommand};

#[global_allocator]
static ALLOCATOR: allocator::Allocator = allocator::Allocator;

/// The process exit status; `Error` wins over `Failure`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// 0: no finding at or above the fail level.
    Success,
    /// 1: findings at or above the fail level (with `--diff`: something to fix).
    Failure,
    /// 2: usage, configuration or I/O error.
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        match status {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}

fn main() -> ExitCode {
    // clap exits with 2 on usage errors and 0 for --help / --version.
    let cli = Cli::parse();
    let status = match &cli.command {
        Command::Lsp(_) => {
            allocator::use_system();
            return dockside_lsp::run_stdio();
        }
        Command::Check(args) => check::run(args),
        Command::Compose(ComposeCommand::Config(args)) => commands::compose::config(args),
        Command::Migrate(command) => commands::migrate::run(command),
        Command::Rules(args) => match commands::rules::run(args) {
            Ok(()) => ExitStatus::Success,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitStatus::Success,
            Err(e) => {
                eprintln!("error: {e}");
                ExitStatus::Error
            }
        },
        Command::Explain(args) => match commands::explain::run(&args.rule) {
            Ok(()) => ExitStatus::Success,
            Err(message) => {
                eprintln!("error: {message}");
                ExitStatus::Error
            }
        },
    };
    status.into()
}
