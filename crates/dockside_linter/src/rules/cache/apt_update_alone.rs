use dockside_syntax::{Keyword, TextRange};

use crate::analysis::packages::{Manager, Op};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a package-index refresh in a `RUN` that does not install
    /// anything with that package manager: `apt-get update` / `apt update`,
    /// `apk update`, `yum makecache` / `dnf makecache`, `zypper refresh`.
    ///
    /// A `RUN` that refreshes and then only upgrades (`apt-get update &&
    /// apt-get upgrade -y`) is reported too when a later `RUN` of the stage
    /// installs packages with the same manager. `apt-get install -y update`
    /// installs a package named `update` and is not a refresh.
    ///
    /// ## Why is this bad?
    /// The refreshed index is cached in its own layer. When a later `RUN
    /// apt-get install …` changes, the build reuses the old `update` layer and
    /// installs from an index that may be weeks old: packages that have since
    /// been removed from the mirror fail to download, and security updates are
    /// missed. Refreshing and installing in the same `RUN` keeps them in step.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update
    /// RUN apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN apt-get update \
    ///  && apt-get install -y --no-install-recommends curl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    pub struct AptUpdateAlone {
        name: "apt-update-alone",
        code: "DF202",
        group: "cache",
        severity: Warning,
        aliases: ["DS-0017"],
        fix: None,
        summary: "A package-index update in a RUN without the install it is for",
    }
}

/// Managers that share one package index (yum and dnf use the same repositories).
fn family(m: Manager) -> u8 {
    match m {
        Manager::Apt => 0,
        Manager::Apk => 1,
        Manager::Yum | Manager::Dnf | Manager::Microdnf => 2,
        Manager::Zypper => 3,
        _ => 255,
    }
}

impl Rule for AptUpdateAlone {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let instructions: Vec<_> = cx.instructions().collect();
        for &(index, instruction, info) in &instructions {
            if instruction.keyword != Keyword::Run {
                continue;
            }
            // (family, op) of every system package command in this RUN.
            let mut ops: Vec<(u8, Op)> = Vec::new();
            let mut updates: Vec<(u8, TextRange, String)> = Vec::new();
            for code in &info.scripts {
                for cmd in &code.script.commands {
                    let Some(op) = cx.package_op(cmd) else {
                        continue;
                    };
                    if !op.manager.is_system() {
                        continue;
                    }
                    let fam = family(op.manager);
                    ops.push((fam, op.op));
                    let is_refresh = op.op == Op::Update
                        && !op
                            .subcommand
                            .is_some_and(|w| w.text().starts_with("check-"));
                    if is_refresh {
                        let head = op.head_range();
                        let label = code.text.as_str()[head.clone()]
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ");
                        updates.push((fam, code.source_range(head), label));
                    }
                }
            }
            for (fam, range, label) in updates {
                if ops.iter().any(|&(f, o)| f == fam && o == Op::Install) {
                    continue;
                }
                // A later RUN of the stage installing with this manager relies on the cached index.
                let end = info
                    .stage
                    .map_or(instructions.len(), |s| cx.model.stages[s].end);
                let later =
                    instructions[index + 1..end]
                        .iter()
                        .find_map(|&(_, later_inst, later_info)| {
                            if later_inst.keyword != Keyword::Run {
                                return None;
                            }
                            let mut installs = None;
                            let mut refreshes = false;
                            for code in &later_info.scripts {
                                for cmd in &code.script.commands {
                                    let Some(op) = cx.package_op(cmd) else {
                                        continue;
                                    };
                                    if family(op.manager) != fam {
                                        continue;
                                    }
                                    refreshes |= op.refreshes_index;
                                    if op.op == Op::Install && installs.is_none() {
                                        installs = Some(code.source_range(op.head_range()));
                                    }
                                }
                            }
                            installs.filter(|_| !refreshes)
                        });
                let upgrades_only = ops.iter().any(|&(f, o)| f == fam && o == Op::Upgrade);
                if upgrades_only && later.is_none() {
                    continue;
                }
                let mut finding = Finding::new(
                    range,
                    format!(
                        "`{label}` runs without an install in the same RUN: its layer caches the package index, and \
                         later installs reuse that stale index; refresh and install in one RUN (`{label} && … install …`)"
                    ),
                );
                if let Some(r) = later {
                    finding = finding.with_related(
                        FileId::MAIN,
                        r,
                        format!(
                            "installs from the index cached at line {}",
                            cx.line_number(range.start)
                        ),
                    );
                }
                cx.report(finding);
            }
        }
    }
}
