//! `dockside migrate hadolint [PATH]`: writes the `.dockside.toml` equivalent to a
//! `.hadolint.yaml`, and says what could not be carried over.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use dockside_config::hadolint::{HADOLINT_CONFIG_FILE_NAMES, to_dockside_toml};
use dockside_linter::Catalog;

use crate::ExitStatus;

#[derive(Debug, Subcommand)]
pub enum MigrateCommand {
    /// Convert a hadolint configuration (`.hadolint.yaml` / `.hadolint.yml`) into the
    /// equivalent `.dockside.toml`, written beside it. DL codes become dockside rule
    /// names; settings dockside cannot express are listed on stderr.
    Hadolint(MigrateHadolintArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 = written (or printed), 2 = no hadolint configuration, \
invalid configuration, existing .dockside.toml without --force, or I/O error."
)]
pub struct MigrateHadolintArgs {
    /// The hadolint configuration file, or the folder holding it. [default: `.`]
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// Where to write the configuration [default: `.dockside.toml` beside the
    /// hadolint file].
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Overwrite an existing output file.
    #[arg(long)]
    pub force: bool,

    /// Print the configuration on stdout instead of writing it.
    #[arg(long, conflicts_with_all = ["output", "force"])]
    pub stdout: bool,
}

/// Runs `dockside migrate …`.
pub fn run(command: &MigrateCommand) -> ExitStatus {
    match command {
        MigrateCommand::Hadolint(args) => match hadolint(args) {
            Ok(()) => ExitStatus::Success,
            Err(message) => {
                eprintln!("error: {message}");
                ExitStatus::Error
            }
        },
    }
}

fn find_source(path: &Path) -> Result<PathBuf, String> {
    if path.is_file() {
        return Ok(path.to_path_buf());
    }
    if !path.is_dir() {
        return Err(format!("`{}` does not exist", path.display()));
    }
    HADOLINT_CONFIG_FILE_NAMES
        .iter()
        .map(|name| path.join(name))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            format!(
                "no {} in `{}`",
                HADOLINT_CONFIG_FILE_NAMES.join(" or "),
                path.display()
            )
        })
}

fn hadolint(args: &MigrateHadolintArgs) -> Result<(), String> {
    let source = find_source(args.path.as_deref().unwrap_or(Path::new(".")))?;
    let text = std::fs::read_to_string(&source)
        .map_err(|e| format!("cannot read `{}`: {e}", source.display()))?;
    let config =
        dockside_config::parse_hadolint(&source, &text, &Catalog).map_err(|e| e.to_string())?;

    let name = source
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut out = format!("# Migrated from {name} by `dockside migrate hadolint`.\n");
    if !config.warnings.is_empty() {
        out.push_str("# Not carried over:\n");
        for w in &config.warnings {
            let line = w.line.map_or_else(String::new, |l| format!("line {l}: "));
            out.push_str(&format!("#   {line}{}\n", w.message));
        }
    }
    out.push('\n');
    out.push_str(&to_dockside_toml(&config));

    // The result must load as it is, with the same meaning.
    let target = args.output.clone().unwrap_or_else(|| {
        source
            .parent()
            .unwrap_or(Path::new("."))
            .join(dockside_config::CONFIG_FILE_NAMES[0])
    });
    dockside_config::parse(&target, &out, &Catalog)
        .map_err(|e| format!("internal error: the migrated configuration does not load: {e}"))?;

    for w in &config.warnings {
        eprintln!("warning: {w}");
    }
    if args.stdout {
        print!("{out}");
        return Ok(());
    }
    if target.exists() && !args.force {
        return Err(format!(
            "`{}` already exists; use --force to overwrite it (or --stdout to print)",
            target.display()
        ));
    }
    std::fs::write(&target, out)
        .map_err(|e| format!("cannot write `{}`: {e}", target.display()))?;
    eprintln!("wrote {} (from {})", target.display(), source.display());
    Ok(())
}
