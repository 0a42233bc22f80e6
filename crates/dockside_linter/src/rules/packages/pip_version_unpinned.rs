use crate::analysis::packages::{Manager, PackageOp};
use crate::checker::Checker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags packages in `pip install` named without a version specifier.
    ///
    /// Accepted as pinned: `==`, `===`, `~=`, `>=`, `<=`, `<`, `>` specifiers (also
    /// after extras, `uvicorn[standard]==0.30.1`), direct references (`name @
    /// https://…`, `git+https://…`), wheels, sdists and local paths, requirement
    /// files (`-r`), a constraints file (`-c`, or
    /// `PIP_CONSTRAINT=… pip install`), and values
    /// from an ARG/ENV holding a pinned spec. `pip`, `setuptools` and `wheel`
    /// upgraded with `--upgrade` are not reported: pinning the installer itself
    /// brings little. Arguments built from unresolved variables are not judged.
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
    /// RUN pip install --no-cache-dir requests
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN pip install --no-cache-dir requests==2.32.3
    /// ```
    pub struct PipVersionUnpinned {
        name: "pip-version-unpinned",
        code: "DF809",
        group: "packages",
        severity: Info,
        aliases: ["DL3013"],
        fix: None,
        summary: "`pip install` of a package without a version",
    }
}

impl Rule for PipVersionUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        super::check_pinning(
            cx,
            &super::Pinning {
                managers: &[Manager::Pip],
                subcommands: &["install"],
                pinned: pip_pinned,
                command_pins: pip_command_pins,
                exempt: pip_exempt,
                hint: "`pip install <package>==<version>` or a requirements file",
            },
        );
    }
}

fn pip_pinned(v: &str) -> bool {
    v.contains(['=', '<', '>', '@'])
        || super::is_artifact(v, &[".whl", ".tar.gz", ".zip", ".tar.bz2"])
        || v.starts_with("git+")
        || v.starts_with("file:")
}

fn pip_command_pins(op: &PackageOp) -> bool {
    op.command.has_flag(Some('c'), Some("constraint"))
        || op
            .command
            .assignments
            .iter()
            .any(|a| a.name == "PIP_CONSTRAINT")
}

/// `pip install --upgrade pip setuptools wheel`: the installer itself.
fn pip_exempt(op: &PackageOp, value: &str) -> bool {
    matches!(value, "pip" | "setuptools" | "wheel")
        && op.command.has_flag(Some('U'), Some("upgrade"))
}
