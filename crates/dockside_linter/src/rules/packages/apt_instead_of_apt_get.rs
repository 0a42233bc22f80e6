use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags the `apt` command in a `RUN` (`apt install`, `apt update`, …).
    ///
    /// ## Why is this bad?
    /// `apt` is the command-line tool for people at a terminal: its output and
    /// behaviour are not a stable interface and it warns "apt does not have a
    /// stable CLI interface. Use with caution in scripts." `apt-get` (and
    /// `apt-cache` for queries) is the scripting interface, with stable options
    /// and output.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt update && apt install -y curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y curl
    /// ```
    ///
    /// ## Fix safety
    /// Replacing `apt` with `apt-get` is offered for the subcommands `apt-get`
    /// has. It is safe for `install`, `update`, `remove`, `purge`, `autoremove`,
    /// `clean` and the like, and unsafe for `upgrade`: `apt upgrade` installs new
    /// dependencies where `apt-get upgrade` holds the package back. `apt list`,
    /// `apt search`, `apt show` and `full-upgrade` get no fix (use `apt-cache` or
    /// `apt-get dist-upgrade`).
    pub struct AptInsteadOfAptGet {
        name: "apt-instead-of-apt-get",
        code: "DF806",
        group: "packages",
        severity: Warning,
        aliases: ["DL3027"],
        fix: Sometimes,
        summary: "`apt` used in a RUN instead of `apt-get`",
    }
}

impl Rule for AptInsteadOfAptGet {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for site in super::sites(cx) {
            let op = &site.op;
            if op
                .program
                .value
                .as_deref()
                .map(|v| v.rsplit('/').next().unwrap_or(v))
                != Some("apt")
            {
                continue;
            }
            let Some(sub) = op.subcommand.and_then(|w| w.value.as_deref()) else {
                continue;
            };
            let program = site.code.source_range(op.program.range.clone());
            let range = site.code.source_range(op.head_range());
            let mut finding = Finding::new(
                range,
                format!(
                    "`{}`: `apt` is meant for interactive use and has no stable interface for scripts: use {}",
                    cx.text(range),
                    if matches!(
                        sub,
                        "list" | "search" | "show" | "policy" | "depends" | "rdepends"
                    ) {
                        "`apt-cache`"
                    } else {
                        "`apt-get`"
                    }
                ),
            );
            let edit = || vec![Edit::replace(program, "apt-get")];
            if op.program.raw == "apt" {
                match sub {
                    "install" | "reinstall" | "update" | "remove" | "purge" | "autoremove"
                    | "clean" | "autoclean" | "source" | "build-dep" | "satisfy" | "download" => {
                        finding = finding.with_fix(Fix::safe("Use `apt-get`", edit()));
                    }
                    "upgrade" => {
                        finding = finding.with_fix(Fix::unsafe_("Use `apt-get`", edit()));
                    }
                    _ => {}
                }
            }
            cx.report(finding);
        }
    }
}
