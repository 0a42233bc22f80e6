use crate::analysis::packages::Manager;
use crate::checker::Checker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags `go install` (and `go get`) of a remote package without `@version`, or with
    /// `@latest`.
    ///
    /// Accepted: `go install example.com/tool@v1.2.3` (also a commit or branch
    /// query other than `latest`), local packages (`go install ./...`, `.`), and
    /// values from an ARG/ENV holding a pinned path. Arguments built from
    /// unresolved variables are not judged.
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
    /// RUN go install golang.org/x/tools/gopls@latest
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN go install golang.org/x/tools/gopls@v0.16.1
    /// ```
    pub struct GoInstallUnpinned {
        name: "go-install-unpinned",
        code: "DF812",
        group: "packages",
        severity: Info,
        aliases: ["DL3062"],
        fix: None,
        summary: "`go install` of a module without a version",
    }
}

impl Rule for GoInstallUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        super::check_pinning(
            cx,
            &super::Pinning {
                managers: &[Manager::Go],
                subcommands: &["install", "get"],
                pinned: go_pinned,
                command_pins: |_| false,
                exempt: |_, _| false,
                hint: "`go install <package>@<version>`",
            },
        );
    }
}

fn go_pinned(v: &str) -> bool {
    if v.starts_with('.') || v.starts_with('/') {
        return true;
    }
    match v.rsplit_once('@') {
        Some((_, version)) => !version.is_empty() && version != "latest",
        None => false,
    }
}
