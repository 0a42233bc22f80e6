use crate::analysis::packages::Manager;
use crate::checker::Checker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags packages in `zypper install` named without a version.
    ///
    /// Accepted as pinned: `name=version`, `name>=version`, `name<version` and the
    /// other relations, `name-version` (a `-` followed by a digit), `.rpm` files,
    /// paths and URLs, and values from an ARG/ENV holding a pinned name. Patterns
    /// and capabilities built from unresolved variables are not judged.
    ///
    /// ## Why is this bad?
    /// Without a version the build installs whatever the repository serves that
    /// day: two builds of the same Dockerfile can differ, a new release can break
    /// the image without any change to the Dockerfile, and a rebuilt image cannot
    /// be traced back to the versions it contains. Pinning makes builds
    /// reproducible and upgrades deliberate (a tool such as Renovate can bump the
    /// pins).
    ///
    /// Off by default, and at severity info when enabled: pinning
    /// distribution packages is a trade-off, as distribution repositories drop
    /// old versions (a pinned build breaks when they do) and security updates
    /// then need a Dockerfile change. Enable it where reproducible builds
    /// matter more.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN zypper -n install nginx && zypper clean -a
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN zypper -n install nginx=1.21.5 && zypper clean -a
    /// ```
    pub struct ZypperVersionUnpinned {
        name: "zypper-version-unpinned",
        code: "DF815",
        group: "packages",
        severity: Info,
        aliases: ["DL3037"],
        fix: None,
        summary: "`zypper install` of a package without a version",
        opt_in: true,
    }
}

impl Rule for ZypperVersionUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        super::check_pinning(
            cx,
            &super::Pinning {
                managers: &[Manager::Zypper],
                subcommands: &["install", "in"],
                pinned: |v| v.contains(['=', '<', '>']) || super::rpm_pinned(v),
                command_pins: |_| false,
                exempt: |_, _| false,
                hint: "`zypper install <package>=<version>`",
            },
        );
    }
}
