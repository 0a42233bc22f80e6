use crate::analysis::packages::Manager;
use crate::checker::Checker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags gems in `gem install` named without a version.
    ///
    /// Accepted as pinned: `gem install name -v 1.2.3` / `--version`, `name:1.2.3`,
    /// `.gem` files and paths, and values from an ARG/ENV holding a pinned spec.
    ///
    /// ## Why is this bad?
    /// Without a version the build installs whatever the repository serves that
    /// day: two builds of the same Dockerfile can differ, a new release can break
    /// the image without any change to the Dockerfile, and a rebuilt image cannot
    /// be traced back to the versions it contains. Pinning makes builds
    /// reproducible and upgrades deliberate (a tool such as Renovate can bump the
    /// pins).
    ///
    /// The default severity is info, lower than hadolint's: pinning is a
    /// trade-off, as distribution repositories drop old versions.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN gem install bundler
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN gem install bundler -v 2.5.16
    /// ```
    pub struct GemVersionUnpinned {
        name: "gem-version-unpinned",
        code: "DF811",
        group: "packages",
        severity: Info,
        aliases: ["DL3028"],
        fix: None,
        summary: "`gem install` of a gem without a version",
    }
}

impl Rule for GemVersionUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        super::check_pinning(
            cx,
            &super::Pinning {
                managers: &[Manager::Gem],
                subcommands: &["install", "i"],
                pinned: |v| v.contains(':') || super::is_artifact(v, &[".gem"]),
                command_pins: |op| op.command.has_flag(Some('v'), Some("version")),
                exempt: |_, _| false,
                hint: "`gem install <gem>:<version>` or `-v <version>`",
            },
        );
    }
}
