use crate::analysis::packages::Manager;
use crate::checker::Checker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags packages in `yum install` named without a version: `httpd` instead of
    /// `httpd-2.4.6`.
    ///
    /// Accepted as pinned: `name-version[-release]` (a `-` followed by a digit),
    /// `.rpm` files, paths and URLs, module streams (`nodejs:18`), and values from
    /// an ARG/ENV holding a pinned name. Groups (`@development`, `groupinstall`)
    /// are not judged, nor arguments built from unresolved variables.
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
    /// RUN yum install -y httpd && yum clean all
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN yum install -y httpd-2.4.6 && yum clean all
    /// ```
    pub struct YumVersionUnpinned {
        name: "yum-version-unpinned",
        code: "DF813",
        group: "packages",
        severity: Info,
        aliases: ["DL3033"],
        fix: None,
        summary: "`yum install` of a package without a version",
        opt_in: true,
    }
}

impl Rule for YumVersionUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        super::check_pinning(
            cx,
            &super::Pinning {
                managers: &[Manager::Yum],
                subcommands: &["install", "localinstall", "reinstall"],
                pinned: super::rpm_pinned,
                command_pins: super::rpm_group,
                exempt: |_, _| false,
                hint: "`yum install <package>-<version>`",
            },
        );
    }
}
