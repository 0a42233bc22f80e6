use crate::analysis::packages::Manager;
use crate::checker::Checker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags packages in `apk add` named without a version constraint.
    ///
    /// Accepted as pinned: every constraint apk understands — `name=1.2.3-r0`,
    /// `name~1.2`, `name=~1.2`, `name>=1.2`, `name<2`, `name>1.2` — `.apk` files
    /// and paths, and arguments whose value comes from an ARG/ENV holding a
    /// constraint. Arguments built from variables the linter cannot resolve are not
    /// judged.
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
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN apk add --no-cache curl~8.9
    /// ```
    pub struct ApkVersionUnpinned {
        name: "apk-version-unpinned",
        code: "DF808",
        group: "packages",
        severity: Info,
        aliases: ["DL3018"],
        fix: None,
        summary: "`apk add` of a package without a version",
        opt_in: true,
    }
}

impl Rule for ApkVersionUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        super::check_pinning(
            cx,
            &super::Pinning {
                managers: &[Manager::Apk],
                subcommands: &["add"],
                pinned: |v| v.contains(['=', '~', '<', '>']) || super::is_artifact(v, &[".apk"]),
                command_pins: |_| false,
                exempt: |_, _| false,
                hint: "`apk add <package>=<version>` or `<package>~<major.minor>`",
            },
        );
    }
}
