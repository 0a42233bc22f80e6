use crate::analysis::packages::Manager;
use crate::checker::Checker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags packages in `apt-get install` (and `apt install`) named without a
    /// version: `curl` instead of `curl=7.88.1-10+deb12u8`.
    ///
    /// Accepted as pinned: `name=version` (also with a glob, `curl=7.88.*`), `.deb`
    /// files and paths, and arguments whose value comes from an ARG/ENV that holds
    /// a pinned version (`curl=${CURL_VERSION}`). Arguments built from variables
    /// the linter cannot resolve are not judged.
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
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    /// ```
    pub struct AptVersionUnpinned {
        name: "apt-version-unpinned",
        code: "DF807",
        group: "packages",
        severity: Info,
        aliases: ["DL3008"],
        fix: None,
        summary: "`apt-get install` of a package without a version",
        opt_in: true,
    }
}

impl Rule for AptVersionUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        super::check_pinning(
            cx,
            &super::Pinning {
                managers: &[Manager::Apt],
                subcommands: &["install"],
                pinned: |v| v.contains('=') || super::is_artifact(v, &[".deb"]),
                command_pins: |_| false,
                exempt: |_, _| false,
                hint: "`apt-get install <package>=<version>`",
            },
        );
    }
}
