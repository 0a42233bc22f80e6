use crate::analysis::packages::{Manager, Op};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags `apt-get install` (and `apt install`) without
    /// `--no-install-recommends`.
    ///
    /// The flag may come from an ARG/ENV (`apt-get install $APT_OPTS curl`).
    /// `-o APT::Install-Recommends=false` and an earlier RUN of the stage that
    /// writes `APT::Install-Recommends` into the apt configuration satisfy the
    /// rule.
    ///
    /// ## Why is this bad?
    /// By default apt also installs the packages the requested ones merely
    /// *recommend*: documentation, optional tools, sometimes a whole X11 stack.
    /// They make the image larger, slower to pull and add to the attack
    /// surface, for nothing the container uses.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `--no-install-recommends`. It is unsafe: the program may
    /// need a recommended package at run time (`curl` recommends
    /// `ca-certificates`, without which HTTPS fails); name such packages
    /// explicitly.
    pub struct AptNoInstallRecommends {
        name: "apt-no-install-recommends",
        code: "DF805",
        group: "packages",
        severity: Info,
        aliases: ["DL3015"],
        fix: Always,
        summary: "`apt-get install` without `--no-install-recommends`",
    }
}

impl Rule for AptNoInstallRecommends {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for site in super::sites(cx) {
            let op = &site.op;
            if op.manager != Manager::Apt
                || op.op != Op::Install
                || !matches!(
                    op.program.value.as_deref().map(base),
                    Some("apt-get" | "apt")
                )
                || op.subcommand.and_then(|w| w.value.as_deref()) != Some("install")
                || op.command.has_flag(None, Some("no-install-recommends"))
                || op
                    .command
                    .args()
                    .iter()
                    .any(|w| w.text().to_ascii_lowercase().contains("install-recommends"))
                || super::configured_before(cx, site.index, &["apt::install-recommends"])
                || super::token_has_flag(
                    &super::expanded_tokens(cx, site.index, site.cmd),
                    None,
                    Some("no-install-recommends"),
                )
            {
                continue;
            }
            let range = site.code.source_range(op.head_range());
            cx.report(
                Finding::new(
                    range,
                    format!(
                        "`{}` without `--no-install-recommends` also installs recommended packages the image does not need: add `--no-install-recommends`",
                        cx.text(range)
                    ),
                )
                .with_fix(Fix::unsafe_(
                    "Add `--no-install-recommends`",
                    vec![Edit::insert(range.end as usize, " --no-install-recommends")],
                )),
            );
        }
    }
}

fn base(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
