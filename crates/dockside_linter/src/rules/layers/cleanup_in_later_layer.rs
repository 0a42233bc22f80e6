use dockside_semantic::{Base, InstructionInfo, MAX_ANCESTRY};
use dockside_shell::SimpleCommand;
use dockside_syntax::{Keyword, TextRange};

use super::Cwd;
use crate::analysis::packages::{self, Manager, Op, RemovedPath};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a `RUN` that deletes files or caches created by an earlier
    /// instruction of the stage:
    /// - a download spread over several RUNs (`RUN wget …/installer.sh`,
    ///   `RUN bash installer.sh`, `RUN rm installer.sh`): files created by
    ///   `wget`, `curl -o`/`-O`, `git clone` or `cp`;
    /// - a file or directory added by `COPY`/`ADD` and removed later;
    /// - a package cache cleaned in a later RUN than the install that filled
    ///   it (`RUN rm -rf /var/lib/apt/lists/*`, `RUN apt-get clean`,
    ///   `RUN yum clean all`, `RUN pip cache purge` on their own).
    ///
    /// Paths are resolved against the `WORKDIR` (and `cd` inside the RUN);
    /// `rm` globs such as `/var/lib/apt/lists/*` match. Only stages whose layers
    /// ship (the final stage and the stages it is built on) are checked.
    ///
    /// ## Why is this bad?
    /// Layers are immutable: deleting a file in a later layer only hides it.
    /// Its bytes still ship in the layer that created it, so the image is as big
    /// as if the `rm` were not there.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN wget https://repo.anaconda.com/archive/Anaconda3-2024.06-1-Linux-x86_64.sh
    /// RUN bash Anaconda3-2024.06-1-Linux-x86_64.sh -b
    /// RUN rm Anaconda3-2024.06-1-Linux-x86_64.sh
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN wget https://repo.anaconda.com/archive/Anaconda3-2024.06-1-Linux-x86_64.sh \
    ///     && bash Anaconda3-2024.06-1-Linux-x86_64.sh -b \
    ///     && rm Anaconda3-2024.06-1-Linux-x86_64.sh
    /// ```
    /// For files from the build context, bind-mount them only for the RUN that
    /// needs them (`RUN --mount=type=bind,source=requirements.txt,target=/tmp/requirements.txt …`)
    /// or use a multi-stage build.
    pub struct CleanupInLaterLayer {
        name: "cleanup-in-later-layer",
        code: "DF102",
        group: "layers",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "A RUN deletes files or caches that an earlier layer created",
    }
}

#[derive(Clone, Debug)]
enum Kind {
    /// Created by a command of a RUN.
    File { path: String },
    /// Written by a COPY/ADD (index into `model.copies`).
    Copy { copy: usize },
    /// A package manager's cache filled by a RUN.
    Cache { manager: Manager },
}

#[derive(Clone, Debug)]
struct Created {
    kind: Kind,
    instruction: usize,
    /// What to point at: the creating command or instruction keyword.
    range: TextRange,
}

impl Rule for CleanupInLaterLayer {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let shipping = super::shipping_stages(cx);
        let mut stage_end: Vec<Vec<Created>> = Vec::new();
        let mut state: Vec<Created> = Vec::new();
        let mut copies_of: Vec<Vec<usize>> = vec![Vec::new(); cx.dockerfile.instructions.len()];
        for (ci, c) in cx.model.copies.iter().enumerate() {
            if let Some(of) = copies_of.get_mut(c.instruction) {
                of.push(ci);
            }
        }
        // How many base stages each stage has: a stage inherits what its base
        // created, up to MAX_ANCESTRY stages (a generated chain of 100,000
        // stages would otherwise copy ever longer states).
        let mut depth: Vec<usize> = Vec::with_capacity(cx.model.stages.len());
        for (index, inst, info) in cx.instructions() {
            if inst.keyword == Keyword::From {
                if !cx.model.stages.is_empty() && info.stage.is_some_and(|s| s > 0) {
                    stage_end.push(std::mem::take(&mut state));
                }
                let base = info.stage.map(|s| &cx.model.stages[s].base);
                let parent = match base {
                    Some(Base::Stage(p)) => depth.get(*p).map(|d| (*p, *d)),
                    _ => None,
                };
                depth.push(parent.map_or(0, |(_, d)| d + 1));
                state = match parent {
                    Some((p, d)) if d + 1 < MAX_ANCESTRY => {
                        stage_end.get(p).cloned().unwrap_or_default()
                    }
                    _ => Vec::new(),
                };
                continue;
            }
            let Some(stage) = info.stage else { continue };
            match inst.keyword {
                Keyword::Copy | Keyword::Add => {
                    for &ci in &copies_of[index] {
                        state.push(Created {
                            kind: Kind::Copy { copy: ci },
                            instruction: index,
                            range: inst.keyword_range,
                        });
                    }
                }
                Keyword::Run => run(cx, index, info, &mut state, shipping[stage]),
                _ => {}
            }
        }
    }
}

fn run(cx: &Checker, index: usize, info: &InstructionInfo, state: &mut Vec<Created>, report: bool) {
    let inst = &cx.dockerfile.instructions[index];
    let mounts = super::volatile_mount_targets(cx, index, inst);
    let mut cwd = Cwd::new(info);
    // Package operations of this RUN that fill a cache: (manager, range, position).
    let mut fills: Vec<(Manager, TextRange)> = Vec::new();
    for (code, cmd) in super::run_commands(info) {
        cwd.observe(cmd);
        let cmd_range = code.source_range(cmd.range.clone());
        // Cache cleanups (the command is classified once, then checked per manager).
        let op = cx.package_op(cmd);
        let rm = packages::rm_targets(cmd);
        let removed: Vec<RemovedPath> = match (&op, &rm) {
            (None, Some(targets)) => targets.iter().map(|t| RemovedPath::new(t.text())).collect(),
            _ => Vec::new(),
        };
        let cleaned: Vec<Manager> = if op.is_none() && rm.is_none() {
            Vec::new()
        } else {
            Manager::CACHING
                .iter()
                .copied()
                .filter(|&m| match (&op, &rm) {
                    (Some(op), _) => {
                        packages::is_cache_cleanup_of(Some(op), None, m)
                            || (op.op == Op::Clean && same_family(op.manager, m))
                    }
                    // Any cache directory: the essential ones are among them.
                    (None, Some(_)) => removed
                        .iter()
                        .any(|r| m.cache_dirs().iter().any(|d| r.covers(d))),
                    (None, None) => false,
                })
                .collect()
        };
        if !cleaned.is_empty() {
            // A RUN that installs and then cleans up cleans its own cache: fine.
            let own = fills.iter().any(|(m, _)| cleaned.contains(m));
            fills.retain(|(m, _)| !cleaned.contains(m));
            let earlier = state.iter().rposition(
                |c| matches!(c.kind, Kind::Cache { manager } if cleaned.contains(&manager)),
            );
            if let Some(pos) = earlier {
                let created = state[pos].clone();
                state.retain(
                    |c| !matches!(c.kind, Kind::Cache { manager } if cleaned.contains(&manager)),
                );
                if report
                    && !own
                    && let Kind::Cache { manager } = created.kind
                {
                    let line = cx.line_number(created.range.start);
                    cx.report(
                        Finding::new(
                            cmd_range,
                            format!(
                                "`{}` cleans the {} cache filled by the RUN on line {line}, but that layer still ships it: clean up in the same RUN as the install",
                                short(cx.text(cmd_range)),
                                manager.name()
                            ),
                        )
                        .with_related(FileId::MAIN, created.range, "the cache is filled here"),
                    );
                }
            }
            continue;
        }
        if let Some(targets) = rm {
            let mut reported = false;
            for t in targets {
                let Some(text) = super::word_value(cx, index, t) else {
                    continue;
                };
                let Some(path) = cwd.resolve(&text) else {
                    continue;
                };
                let hits: Vec<usize> = (0..state.len())
                    .filter(|&k| removes(cx, &path, &state[k]))
                    .collect();
                let Some(&latest) = hits.last() else { continue };
                let created = state[latest].clone();
                for k in hits.into_iter().rev() {
                    state.remove(k);
                }
                if created.instruction == index || reported || !report {
                    continue;
                }
                reported = true;
                let line = cx.line_number(created.range.start);
                let message = match created.kind {
                    Kind::Copy { .. } => {
                        let keyword = cx.dockerfile.instructions[created.instruction]
                            .keyword
                            .as_str();
                        format!(
                            "`rm` deletes `{text}`, added by the {keyword} on line {line}, but that layer still ships it: use it from a bind mount (`RUN --mount=type=bind,…`) or a build stage instead of copying it"
                        )
                    }
                    _ => format!(
                        "`rm` deletes `{text}`, created by the RUN on line {line}, but that layer still ships it: create, use and delete it in the same RUN, or use a multi-stage build"
                    ),
                };
                cx.report(Finding::new(cmd_range, message).with_related(
                    FileId::MAIN,
                    created.range,
                    "created here",
                ));
            }
            continue;
        }
        for path in created_paths(cmd, &cwd) {
            state.push(Created {
                kind: Kind::File { path },
                instruction: index,
                range: cmd_range,
            });
        }
        if let Some(op) = op
            && Manager::CACHING.contains(&op.manager)
            && fills_cache(cx, info, op)
            && !op
                .manager
                .essential_cache_dirs()
                .iter()
                .any(|d| mounts.iter().any(|m| packages::path_covers(m, d)))
        {
            fills.push((op.manager, code.source_range(op.head_range())));
        }
    }
    // Only this loop adds caches of this RUN: one per manager, at its first fill.
    let mut added: Vec<Manager> = Vec::new();
    for (manager, range) in fills {
        if !added.contains(&manager) {
            added.push(manager);
            state.push(Created {
                kind: Kind::Cache { manager },
                instruction: index,
                range,
            });
        }
    }
}

fn same_family(a: Manager, b: Manager) -> bool {
    let rpm = |m| matches!(m, Manager::Yum | Manager::Dnf | Manager::Microdnf);
    a == b || rpm(a) && rpm(b)
}

fn fills_cache(cx: &Checker, info: &InstructionInfo, op: &packages::PackageOp) -> bool {
    if op.no_cache || !matches!(op.op, Op::Install | Op::Upgrade | Op::Update) {
        return false;
    }
    if op.manager == Manager::Pip {
        let env = Manager::Pip.no_cache_env().iter().any(|n| {
            cx.model
                .lookup(info.scope, n)
                .is_some_and(|b| b.value.as_deref().is_none_or(packages::env_value_true))
        });
        return op.op == Op::Install && !env;
    }
    !matches!(op.manager, Manager::Npm | Manager::Yarn) || op.op != Op::Update
}

fn short(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(60).collect::<String>())
    } else {
        one_line
    }
}

/// Whether `rm <target>` (absolute, globs allowed) removes what `created` made.
fn removes(cx: &Checker, target: &str, created: &Created) -> bool {
    match &created.kind {
        Kind::File { path } => packages::path_covers(target, path),
        Kind::Cache { .. } => false,
        Kind::Copy { copy } => super::touches_copy(cx, &cx.model.copies[*copy], target, true),
    }
}

/// Files a command creates: `wget`, `curl -o/-O`, `git clone`, `cp`.
fn created_paths(cmd: &SimpleCommand, cwd: &Cwd) -> Vec<String> {
    if !matches!(cmd.program(), Some("wget" | "curl" | "git" | "cp")) {
        return Vec::new();
    }
    let args = cmd.args();
    let texts: Vec<&str> = args.iter().map(|w| w.text()).collect();
    let mut out = Vec::new();
    let is_url = |t: &str| t.contains("://");
    let url_base = |t: &str| -> Option<String> {
        let no_query = t.split(['?', '#']).next()?;
        let base = no_query.trim_end_matches('/').rsplit('/').next()?;
        (!base.is_empty() && !base.contains(':') && !base.contains('$')).then(|| base.to_string())
    };
    match cmd.program() {
        Some("wget") => {
            let output = value_of(&texts, 'O', "output-document");
            let prefix = value_of(&texts, 'P', "directory-prefix");
            match output {
                Some(o) if o != "-" => out.extend(cwd.resolve(o)),
                Some(_) => {}
                None => {
                    for t in texts.iter().filter(|t| is_url(t)) {
                        if let Some(b) = url_base(t) {
                            let p = match prefix {
                                Some(d) => format!("{}/{b}", d.trim_end_matches('/')),
                                None => b,
                            };
                            out.extend(cwd.resolve(&p));
                        }
                    }
                }
            }
        }
        Some("curl") => {
            if let Some(o) = value_of(&texts, 'o', "output")
                && o != "-"
            {
                out.extend(cwd.resolve(o));
            }
            let remote = texts.iter().any(|t| {
                *t == "--remote-name"
                    || *t == "--remote-name-all"
                    || (t.starts_with('-')
                        && !t.starts_with("--")
                        && t[1..].chars().all(|c| c.is_ascii_alphabetic())
                        && t.contains('O'))
            });
            if remote {
                let dir = value_of(&texts, '\0', "output-dir");
                for t in texts.iter().filter(|t| is_url(t)) {
                    if let Some(b) = url_base(t) {
                        let p = match dir {
                            Some(d) => format!("{}/{b}", d.trim_end_matches('/')),
                            None => b,
                        };
                        out.extend(cwd.resolve(&p));
                    }
                }
            }
        }
        Some("git") if texts.first() == Some(&"clone") => {
            let pos: Vec<&str> = positional(
                &texts[1..],
                &[
                    "b",
                    "branch",
                    "depth",
                    "c",
                    "config",
                    "origin",
                    "o",
                    "reference",
                    "separate-git-dir",
                    "filter",
                    "j",
                    "jobs",
                    "shallow-since",
                    "u",
                    "upload-pack",
                    "template",
                ],
            );
            match pos.as_slice() {
                [_, dir, ..] => out.extend(cwd.resolve(dir)),
                [url] => out.extend(
                    url_base(url)
                        .map(|b| b.trim_end_matches(".git").to_string())
                        .and_then(|b| cwd.resolve(&b)),
                ),
                _ => {}
            }
        }
        Some("cp") => {
            let pos = positional(&texts, &["t", "target-directory", "S", "suffix"]);
            if let [sources @ .., dest] = pos.as_slice()
                && !sources.is_empty()
            {
                out.extend(cwd.resolve(dest));
                for s in sources {
                    if let Some(b) = s.trim_end_matches('/').rsplit('/').next() {
                        out.extend(cwd.resolve(&format!("{}/{b}", dest.trim_end_matches('/'))));
                    }
                }
            }
        }
        _ => {}
    }
    out.retain(|p| !p.contains('$') && !p.starts_with('~'));
    out
}

/// Value of `-x value`, `-xvalue` (also at the end of a short cluster), `--long value`, `--long=value`.
fn value_of<'a>(args: &[&'a str], short: char, long: &str) -> Option<&'a str> {
    let mut i = 0;
    while i < args.len() {
        let t = args[i];
        if let Some(rest) = t.strip_prefix("--") {
            if rest == long {
                return args.get(i + 1).copied();
            }
            if let Some(v) = rest.strip_prefix(long).and_then(|r| r.strip_prefix('=')) {
                return Some(v);
            }
        } else if let Some(rest) = t.strip_prefix('-')
            && short != '\0'
            && let Some(p) = rest.find(short)
            && rest[..p].chars().all(|c| c.is_ascii_alphabetic())
        {
            let after = &rest[p + short.len_utf8()..];
            return if after.is_empty() {
                args.get(i + 1).copied()
            } else {
                Some(after)
            };
        }
        i += 1;
    }
    None
}

fn positional<'a>(args: &[&'a str], value_opts: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let t = args[i];
        if let Some(name) = t.strip_prefix("--") {
            if !name.contains('=') && value_opts.contains(&name) {
                i += 1;
            }
        } else if t.len() > 1 && t.starts_with('-') {
            if value_opts.contains(&&t[t.len() - 1..]) {
                i += 1;
            }
        } else {
            out.push(t);
        }
        i += 1;
    }
    out
}
