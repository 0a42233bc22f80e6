//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use dockside_linter::{FailLevel, Severity};

/// A fast linter for Dockerfiles and Compose files.
///
/// Run `dockside check` in a project to lint every Dockerfile and Compose file in it,
/// `dockside rules` to list the rules and `dockside explain <rule>` to read about one.
#[derive(Debug, Parser)]
#[command(
    name = "dockside",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint Dockerfiles and Compose files (files, folders, or `-` for stdin).
    Check(CheckArgs),
    /// Compose tools: `dockside compose config` prints the resolved project.
    #[command(subcommand)]
    Compose(ComposeCommand),
    /// List all rules with their code, default severity and fixability.
    Rules(RulesArgs),
    /// Print the documentation of a rule (by name, code or alias).
    Explain(ExplainArgs),
    /// Run the language server (LSP over stdin/stdout), for editors.
    Lsp(LspArgs),
    /// Convert another linter's configuration: `dockside migrate hadolint` writes the
    /// `.dockside.toml` equivalent to a `.hadolint.yaml`.
    #[command(subcommand)]
    Migrate(crate::commands::migrate::MigrateCommand),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 = no finding at or above the fail level, 1 = findings at or \
above it (with --diff: there is something to fix), 2 = usage, configuration or I/O error."
)]
pub struct CheckArgs {
    /// Files or folders to lint; `-` reads from stdin. Folders are searched for
    /// Dockerfile, Containerfile, *.Dockerfile, Dockerfile.* and Compose files
    /// (compose.yaml, docker-compose.yml, their .override and other variants such as
    /// docker-compose.prod.yml), respecting .gitignore; files named here are always
    /// linted (.yml/.yaml files as Compose files). [default: `.`, or `-` with
    /// --stdin-filename]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub compose: ComposeProjectArgs,

    /// Output format. `--quiet` only drops the human summary; `--statistics` applies
    /// to human and json. With `--fix` the remaining findings are printed.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human, value_name = "FORMAT")]
    pub format: OutputFormat,

    /// When to use colours (NO_COLOR is respected with `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Lowest severity that makes the exit status 1 [default: the configuration's
    /// `fail-level`, else warning].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_level: Option<FailLevelArg>,

    /// Use this configuration file for every linted file instead of searching
    /// upward for `.dockside.toml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Only run these rules (names, codes or aliases, comma-separated; `all` for
    /// every rule). Replaces the configuration's `select` and `extend-select`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,

    /// Do not run these rules (names, codes or aliases, comma-separated); added to
    /// the configuration's `ignore`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// Apply safe fixes to the files and report the problems that remain.
    #[arg(long)]
    pub fix: bool,

    /// With --fix or --diff, also apply fixes that may change behaviour.
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print a unified diff of what --fix would change and write nothing.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,

    /// Print only the diagnostics, without the summary.
    #[arg(long, short)]
    pub quiet: bool,

    /// Print the number of problems per rule instead of each problem.
    #[arg(long)]
    pub statistics: bool,

    /// Skip walked files and folders matching this glob (repeatable). Matched
    /// against the name and the path relative to the searched folder.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// In folders, lint the files matching this glob (repeatable) instead of
    /// detecting Dockerfiles by name.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// The path of the file read from stdin (`-`), for configuration lookup,
    /// per-file ignores and the build context folder.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
}

/// How `dockside check` prints its findings (each format has its printer in
/// `printer/`; `docs/ci.md` describes them). hadolint's names are accepted where
/// they differ (`tty`, `gitlab_codeclimate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Annotated source snippets and a summary.
    #[value(alias = "tty")]
    Human,
    /// A JSON array of diagnostics (path, code, rule, severity, message, range, fix,
    /// related), with 1-based lines and columns in characters.
    Json,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: rule metadata,
    /// fixes, fingerprints, and the findings suppression comments silenced (marked as
    /// suppressed). Columns in UTF-16 code units.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…::…`): annotations on the
    /// pull request.
    Github,
    /// GitLab Code Quality report (JSON), for `artifacts:reports:codequality`.
    #[value(alias = "gitlab_codeclimate", alias = "gitlab-codeclimate")]
    Gitlab,
    /// Checkstyle XML (Jenkins, reviewdog and other Checkstyle readers).
    Checkstyle,
    /// JUnit XML: a test suite per file, a failed test case per finding (GitLab
    /// `artifacts:reports:junit`, Jenkins).
    Junit,
    /// `file:line.col-endline.endcol: severity: message [rule]`, one line per finding
    /// (GNU error format, for editors and `grep`).
    Gnu,
}

impl OutputFormat {
    /// The name given to `--format`.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Human => "human",
            OutputFormat::Json => "json",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Github => "github",
            OutputFormat::Gitlab => "gitlab",
            OutputFormat::Checkstyle => "checkstyle",
            OutputFormat::Junit => "junit",
            OutputFormat::Gnu => "gnu",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colours when printing to a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailLevelArg {
    Error,
    Warning,
    Info,
    Style,
    /// Never fail because of findings.
    None,
}

impl From<FailLevelArg> for FailLevel {
    fn from(level: FailLevelArg) -> FailLevel {
        match level {
            FailLevelArg::Error => FailLevel::Level(Severity::Error),
            FailLevelArg::Warning => FailLevel::Level(Severity::Warning),
            FailLevelArg::Info => FailLevel::Level(Severity::Info),
            FailLevelArg::Style => FailLevel::Level(Severity::Style),
            FailLevelArg::None => FailLevel::None,
        }
    }
}

/// How Compose projects are loaded (the `docker compose` flags that matter).
#[derive(Debug, Args, Clone, Default)]
pub struct ComposeProjectArgs {
    /// A Compose file of one project, merged in order like `docker compose -f`
    /// (repeatable). Without it, Compose files are found by name in the searched folders.
    #[arg(long = "compose-file", short = 'f', value_name = "FILE")]
    pub compose_files: Vec<PathBuf>,

    /// Read interpolation variables from this file instead of the project's `.env`
    /// (repeatable; later files win).
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<PathBuf>,

    /// Activate a Compose profile (repeatable; `COMPOSE_PROFILES` is read too).
    #[arg(long, value_name = "NAME")]
    pub profile: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum ComposeCommand {
    /// Print the resolved project (files merged, include/extends resolved, variables
    /// interpolated, inactive profiles left out), like `docker compose config`.
    Config(ComposeConfigArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 = loaded, 1 = the project has load errors (printed on \
stderr with their position; the output is what could be resolved), 2 = usage or I/O error."
)]
pub struct ComposeConfigArgs {
    /// The project folder [default: `.`].
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,

    #[command(flatten)]
    pub project: ComposeProjectArgs,

    /// `--project-name`: the project name (else `name:`, COMPOSE_PROJECT_NAME or the folder).
    #[arg(long, short = 'p', value_name = "NAME")]
    pub project_name: Option<String>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// An aligned text table.
    Table,
    /// A JSON array of `{code, name, aliases, severity, fixable, summary, group}`.
    Json,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule name (`syntax-error`), code (`DF001`) or alias (`DL1000`).
    #[arg(value_name = "RULE")]
    pub rule: String,
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Accepted for compatibility with editor clients that pass it; stdio is the only transport.
    #[arg(long, hide = true)]
    pub stdio: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        super::Cli::command().debug_assert();
    }

    #[test]
    fn format_names_match_clap() {
        use clap::ValueEnum;
        for format in super::OutputFormat::value_variants() {
            let value = format.to_possible_value().unwrap();
            assert_eq!(value.get_name(), format.name());
        }
    }
}
