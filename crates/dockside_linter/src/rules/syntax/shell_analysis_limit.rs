use dockside_config::{Config, OptionKind, OptionSpec};
use dockside_semantic::{MAX_SHELL_SOURCE, Model};
use dockside_syntax::Dockerfile;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Says where dockside stops analysing shell code in a Dockerfile whose `RUN`,
    /// shell-form `CMD`/`ENTRYPOINT` and `HEALTHCHECK` instructions hold more than
    /// 4 MiB (by default) in all.
    ///
    /// ## Why is this bad?
    /// Such files are generated, not written: real Dockerfiles hold a few kilobytes
    /// of shell code. Modelling every script of a file of hundreds of thousands of
    /// `RUN` lines would take gigabytes of memory, so dockside keeps the later
    /// instructions as text only: the rules that read shell commands (package
    /// managers, `curl | sh`, `cd`, foreground processes, …) do not see them, and
    /// this finding marks the first one left out. Every other rule still checks the
    /// whole file.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt-get install -y pkg1 && curl -sL https://example.com/1 | sh
    /// # … 200,000 more such lines (20 MB)
    /// ```
    ///
    /// ## Use instead
    /// Split the work into scripts copied into the image (`COPY install.sh /tmp/` and
    /// `RUN /tmp/install.sh`), or raise the limit for this file with the `max-bytes`
    /// option when the memory is available.
    ///
    /// ## Options
    /// - `max-bytes`: the most bytes of instructions with shell code analysed per
    ///   Dockerfile (default 4194304, 4 MiB). The model takes about twenty times the
    ///   text it analyses.
    pub struct ShellAnalysisLimit {
        name: "shell-analysis-limit",
        code: "DF078",
        group: "syntax",
        severity: Info,
        aliases: [],
        fix: None,
        summary: "The file holds more shell code than is analysed; later scripts are not checked",
        options: [
            OptionSpec {
                key: "max-bytes",
                kind: OptionKind::Integer,
                help: "The most bytes of instructions with shell code analysed per Dockerfile",
            },
        ],
    }
}

impl ShellAnalysisLimit {
    /// The limit `config` sets for this file.
    pub fn max_bytes(config: &Config) -> usize {
        config
            .integer_option(Self::META.name, "max-bytes")
            .map_or(MAX_SHELL_SOURCE, |n| usize::try_from(n).unwrap_or(0))
    }
}

/// The semantic model of `dockerfile`, within the shell-code limit `config` sets.
pub fn build_model(
    dockerfile: &Dockerfile,
    build_args: &[(String, String)],
    config: &Config,
) -> Model {
    Model::build_limited(
        dockerfile,
        build_args,
        ShellAnalysisLimit::max_bytes(config),
    )
}

impl Rule for ShellAnalysisLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let Some(index) = cx.model.shell_limit_reached_at else {
            return;
        };
        let inst = &cx.dockerfile.instructions[index];
        cx.report(Finding::new(
            inst.keyword_range,
            format!(
                "shell analysis stops here: with this instruction the file's shell code passes the {} analysed per Dockerfile (`max-bytes`); the shell code of this and later instructions is not checked",
                bytes(Self::max_bytes(cx.config))
            ),
        ));
    }
}

fn bytes(n: usize) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}
