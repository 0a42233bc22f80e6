use crate::analysis::packages::Manager;
use crate::checker::Checker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags packages in `npm install <pkg>` (also `npm i`, `npm add`, global
    /// installs) named without a version.
    ///
    /// Accepted as pinned: `name@version` and `@scope/name@version` (any version or
    /// range except the `latest` tag), tarballs (`.tgz`), local paths, URLs, git
    /// references with a commit (`#…`), and values from an ARG/ENV holding a pinned
    /// spec. `npm install` / `npm ci` without package names install the lockfile's
    /// versions and are not reported.
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
    /// RUN npm install -g pm2
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN npm install -g pm2@5.4.2
    /// ```
    pub struct NpmVersionUnpinned {
        name: "npm-version-unpinned",
        code: "DF810",
        group: "packages",
        severity: Info,
        aliases: ["DL3016"],
        fix: None,
        summary: "`npm install` of a package without a version",
    }
}

impl Rule for NpmVersionUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        super::check_pinning(
            cx,
            &super::Pinning {
                managers: &[Manager::Npm],
                subcommands: &[
                    "install", "i", "in", "ins", "inst", "insta", "instal", "add",
                ],
                pinned: npm_pinned,
                command_pins: |_| false,
                exempt: |_, _| false,
                hint: "`npm install <package>@<version>`",
            },
        );
    }
}

fn npm_pinned(v: &str) -> bool {
    if super::is_artifact(v, &[".tgz", ".tar.gz"]) || v.contains('#') || v.starts_with("file:") {
        return true;
    }
    // `@scope/name@1.2.3`: the version follows the last `@` that is not the first character.
    match v.get(1..).and_then(|rest| rest.rfind('@')) {
        Some(at) => {
            let version = &v[at + 2..];
            !version.is_empty() && version != "latest"
        }
        None => false,
    }
}
