use std::cell::OnceCell;

use dockside_semantic::{Base, ShellCode};

use crate::analysis::packages::{self, Manager, Op, PackageOp};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports package installs that leave the package manager's cache in the
    /// layer of the `RUN` that created it:
    /// - **apt**: `apt-get update` and an install in the same RUN without
    ///   `rm -rf /var/lib/apt/lists/*` afterwards (`apt-get clean` is not enough:
    ///   it keeps the lists);
    /// - **apk**: `apk add` without `--no-cache`;
    /// - **yum / dnf / microdnf / zypper**: an install without `yum clean all`,
    ///   `dnf clean all`, `zypper clean -a` (or removing the cache directory);
    /// - **pip**: `pip install` without `--no-cache-dir`, `PIP_NO_CACHE_DIR`
    ///   (ENV, `export` or an assignment) or `pip cache purge`;
    /// - **npm**: `npm install` / `npm ci` without `npm cache clean --force`;
    /// - **yarn**: `yarn install` / `yarn add` without `yarn cache clean`.
    ///
    /// A `RUN --mount=type=cache` (or `tmpfs`) whose target is the cache
    /// directory also satisfies the rule. Only stages whose layers ship are
    /// checked: the final stage, the stages it is built `FROM`, and stages the
    /// final stage copies `/` from; caches in other build stages never reach the
    /// image. A RUN with `apt-get update` but no install is left to
    /// `apt-update-alone`.
    ///
    /// ## Why is this bad?
    /// The cache is useless at run time but ships in the image forever: a later
    /// `RUN rm` cannot shrink an earlier layer. apt lists weigh tens of MB, pip
    /// and npm caches often as much as the installed packages.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y curl && apt-get clean
    /// RUN pip install -r requirements.txt
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// ```
    ///
    /// ## Fix safety
    /// Adding `--no-cache-dir` to `pip install` and `--no-cache` to `apk add` is
    /// safe: only the cache is affected. Appending a cleanup to the RUN
    /// (`&& rm -rf /var/lib/apt/lists/*`, `&& yum clean all`,
    /// `&& npm cache clean --force`, …) is unsafe: a later RUN that installs
    /// without refreshing the index first would now fail or download again. No
    /// cleanup fix is offered when the RUN has several statements, heredocs or
    /// ends in a comment, nor (for apt) when a later RUN of the stage, or of a stage
    /// built on it, runs `apt-get install` without its own `apt-get update`: that
    /// install needs the lists.
    pub struct PackageCacheNotCleaned {
        name: "package-cache-not-cleaned",
        code: "DF103",
        group: "layers",
        severity: Warning,
        aliases: ["DL3009", "DL3019", "DL3032", "DL3036", "DL3040", "DL3042", "DL3060"],
        fix: Sometimes,
        summary: "A package install leaves the package manager's cache in the layer",
    }
}

impl Rule for PackageCacheNotCleaned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let shipping = super::shipping_stages(cx);
        let lists_needed = OnceCell::new();
        for (index, inst, info) in cx.instructions() {
            if !super::is_run(inst) || !info.stage.is_some_and(|s| shipping[s]) {
                continue;
            }
            let mounts = super::volatile_mount_targets(cx, index, inst);
            let commands: Vec<_> = super::run_commands(info).collect();
            let classified: Vec<Classified> = commands
                .iter()
                .map(|(_, cmd)| Classified {
                    op: cx.package_op(cmd),
                    rm: packages::rm_targets(cmd),
                })
                .collect();
            // Conda's cache is tracked by cleanup-in-later-layer but not reported here.
            for &manager in Manager::CACHING.iter().filter(|&&m| m != Manager::Conda) {
                // Only an operation of this manager fills its cache.
                if !classified
                    .iter()
                    .any(|c| c.op.is_some_and(|op| op.manager == manager))
                {
                    continue;
                }
                if manager
                    .essential_cache_dirs()
                    .iter()
                    .any(|d| mounts.iter().any(|m| packages::path_covers(m, d)))
                {
                    continue;
                }
                let findings = check_manager(
                    cx,
                    index,
                    info,
                    manager,
                    &commands,
                    &classified,
                    &lists_needed,
                );
                for finding in findings {
                    cx.report(finding);
                }
            }
        }
    }
}

/// A RUN's command as package operation and `rm` operands, computed once for all managers.
struct Classified<'c, 'a> {
    op: Option<&'c PackageOp<'a>>,
    rm: Option<Vec<&'a dockside_shell::Word>>,
}

fn check_manager(
    cx: &Checker,
    index: usize,
    info: &dockside_semantic::InstructionInfo,
    manager: Manager,
    commands: &[(&ShellCode, &dockside_shell::SimpleCommand)],
    classified: &[Classified<'_, '_>],
    lists_needed: &OnceCell<Vec<Option<usize>>>,
) -> Vec<Finding> {
    // Operations that fill the cache (with their position in `commands`).
    let mut fillers: Vec<(usize, &PackageOp)> = Vec::new();
    let mut updated = false;
    let mut uncached_update = false;
    let mut env_no_cache = manager.no_cache_env().iter().any(|name| {
        cx.model
            .lookup(info.scope, name)
            .is_some_and(|b| b.value.as_deref().is_none_or(packages::env_value_true))
    });
    // Position of the last operation that writes to the cache, and of the last cleanup.
    let mut last_fill = None;
    let mut last_cleanup = None;
    for (pos, (_, cmd)) in commands.iter().enumerate() {
        // `export PIP_NO_CACHE_DIR=1`.
        if cmd.program() == Some("export") {
            for w in cmd.args() {
                if let Some((name, value)) = w.text().split_once('=')
                    && manager.no_cache_env().contains(&name)
                    && packages::env_value_true(value)
                {
                    env_no_cache = true;
                }
            }
        }
        let known = &classified[pos];
        if packages::is_cache_cleanup_of(known.op, known.rm.as_deref(), manager) {
            last_cleanup = Some(pos);
            continue;
        }
        let Some(op) = known.op else { continue };
        if op.manager != manager {
            continue;
        }
        let installs = matches!(op.op, Op::Install | Op::Upgrade);
        match manager {
            Manager::Apt => {
                if op.op == Op::Update {
                    updated = true;
                    last_fill = Some(pos);
                } else if installs && updated {
                    fillers.push((pos, op));
                }
            }
            Manager::Apk => {
                if op.op == Op::Update && !op.no_cache {
                    uncached_update = true;
                    last_fill = Some(pos);
                } else if installs && (!op.no_cache || uncached_update) {
                    last_fill = Some(pos);
                    fillers.push((pos, op));
                }
            }
            Manager::Pip => {
                if op.op == Op::Install && !op.no_cache && !env_no_cache {
                    last_fill = Some(pos);
                    fillers.push((pos, op));
                }
            }
            _ => {
                if installs || op.op == Op::Update {
                    last_fill = Some(pos);
                }
                if installs {
                    fillers.push((pos, op));
                }
            }
        }
    }
    if last_cleanup.is_some_and(|c| Some(c) > last_fill) || fillers.is_empty() {
        return Vec::new();
    }
    // One finding per command for flags that fix a single command, else one per RUN.
    if !matches!(manager, Manager::Pip | Manager::Apk) {
        fillers.truncate(1);
    }
    let mut out = Vec::new();
    for (pos, op) in fillers {
        let (code, _) = commands[pos];
        let range = code.source_range(op.head_range());
        let what = format!("`{}`", cx.text(range));
        let head_end = range.end as usize;
        let (message, fix) = match manager {
            Manager::Apt => (
                format!(
                    "{what} after `apt-get update` leaves the package lists in /var/lib/apt/lists in this layer: end the RUN with `&& rm -rf /var/lib/apt/lists/*` (`apt-get clean` keeps them)"
                ),
                if later_install_needs_lists(cx, index, lists_needed) {
                    None
                } else {
                    append_fix(cx, info, index, "rm -rf /var/lib/apt/lists/*")
                },
            ),
            Manager::Apk if op.no_cache || uncached_update => (
                format!(
                    "{what} runs after `apk update`, which leaves the package index in /var/cache/apk in this layer: drop `apk update` and use `apk add --no-cache` (it fetches a fresh index without storing it)"
                ),
                None,
            ),
            Manager::Apk => (
                format!(
                    "{what} without `--no-cache` leaves the package index in /var/cache/apk in this layer: use `apk add --no-cache`"
                ),
                Some(Fix::safe(
                    "Add `--no-cache`",
                    vec![Edit::insert(head_end, " --no-cache")],
                )),
            ),
            Manager::Yum | Manager::Dnf | Manager::Microdnf => {
                let name = op.program.text();
                let dir = if manager == Manager::Yum {
                    "/var/cache/yum"
                } else {
                    "/var/cache/dnf"
                };
                (
                    format!(
                        "{what} leaves its metadata and package cache in {dir} in this layer: end the RUN with `&& {name} clean all`"
                    ),
                    append_fix(cx, info, index, &format!("{name} clean all")),
                )
            }
            Manager::Zypper => (
                format!(
                    "{what} leaves its cache in /var/cache/zypp in this layer: end the RUN with `&& zypper clean -a`"
                ),
                append_fix(cx, info, index, "zypper clean -a"),
            ),
            Manager::Pip => (
                format!(
                    "{what} keeps the downloaded packages in ~/.cache/pip in this layer: add `--no-cache-dir` (or set `PIP_NO_CACHE_DIR=1`)"
                ),
                Some(Fix::safe(
                    "Add `--no-cache-dir`",
                    vec![Edit::insert(head_end, " --no-cache-dir")],
                )),
            ),
            Manager::Npm => (
                format!(
                    "{what} leaves its download cache in ~/.npm in this layer: end the RUN with `&& npm cache clean --force` or use a cache mount"
                ),
                append_fix(cx, info, index, "npm cache clean --force"),
            ),
            Manager::Yarn => (
                format!(
                    "{what} leaves its download cache in /usr/local/share/.cache/yarn in this layer: end the RUN with `&& yarn cache clean` or use a cache mount"
                ),
                append_fix(cx, info, index, "yarn cache clean"),
            ),
            _ => continue,
        };
        let mut finding = Finding::new(range, message);
        if let Some(fix) = fix {
            finding = finding.with_fix(fix);
        }
        out.push(finding);
        if manager == Manager::Apk && (op.no_cache || uncached_update) {
            break;
        }
    }
    out
}

/// Whether a later RUN of this stage (or of a stage built on it) runs `apt-get install`
/// before any `apt-get update` of its own: it relies on the package lists this RUN
/// leaves, so removing them would break that RUN.
fn later_install_needs_lists(
    cx: &Checker,
    index: usize,
    lists_needed: &OnceCell<Vec<Option<usize>>>,
) -> bool {
    let Some(stage) = cx.model.instructions[index].stage else {
        return false;
    };
    let last = lists_needed.get_or_init(|| last_list_readers(cx));
    last.get(stage)
        .copied()
        .flatten()
        .is_some_and(|i| i > index)
}

/// Per stage: the last RUN, in it or in a stage built on it, whose first apt
/// operation installs (so reads the package lists an earlier RUN left).
fn last_list_readers(cx: &Checker) -> Vec<Option<usize>> {
    let mut last: Vec<Option<usize>> = vec![None; cx.model.stages.len()];
    let mut previous_run = None;
    for site in crate::rules::packages::sites(cx) {
        if site.op.manager != Manager::Apt || previous_run == Some(site.index) {
            continue;
        }
        previous_run = Some(site.index);
        if matches!(site.op.op, Op::Install | Op::Upgrade)
            && let Some(s) = cx.model.instructions[site.index].stage
            && let Some(slot) = last.get_mut(s)
        {
            *slot = (*slot).max(Some(site.index));
        }
    }
    // A stage only builds on an earlier one: pass each stage's reader down to its base.
    for s in (0..last.len()).rev() {
        if let Base::Stage(parent) = cx.model.stages[s].base
            && parent < s
        {
            last[parent] = last[parent].max(last[s]);
        }
    }
    last
}

/// Unsafe fix appending `&& <cleanup>` to a RUN made of one statement.
fn append_fix(
    cx: &Checker,
    info: &dockside_semantic::InstructionInfo,
    index: usize,
    cleanup: &str,
) -> Option<Fix> {
    let inst = &cx.dockerfile.instructions[index];
    if !inst.heredocs.is_empty() || info.scripts.len() != 1 {
        return None;
    }
    let code = &info.scripts[0];
    let script = &code.script;
    if script.has_errors() || script.statements.len() != 1 || script.statements[0].background {
        return None;
    }
    let stmt = &script.statements[0];
    let text = code.text.as_str();
    if !text[stmt.range.end..]
        .chars()
        .all(|c| c.is_whitespace() || c == ';')
    {
        return None;
    }
    // `a || b && cleanup` would run the cleanup after a failed `a` too, which is fine;
    // but `a | b` / compound statements are fine as well: `&&` binds the whole list.
    let at = code.source_range(stmt.range.end - 1..stmt.range.end).end as usize;
    Some(Fix::unsafe_(
        format!("Append `&& {cleanup}`"),
        vec![Edit::insert(at, format!(" && {cleanup}"))],
    ))
}
