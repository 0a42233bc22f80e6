//! Layer merging: what each instruction adds to the image.

use std::sync::Arc;

use dockside_semantic::{CopySource, InstructionInfo, ShellCode};
use dockside_shell::SimpleCommand;
use dockside_syntax::{Instruction, Keyword};

use crate::checker::Checker;
use crate::rule::Rule;

pub mod chown_after_copy;
pub mod cleanup_in_later_layer;
pub mod merge_consecutive_runs;
pub mod package_cache_not_cleaned;

pub(crate) const RULES: &[&dyn Rule] = &[
    &merge_consecutive_runs::MergeConsecutiveRuns,
    &cleanup_in_later_layer::CleanupInLaterLayer,
    &package_cache_not_cleaned::PackageCacheNotCleaned,
    &chown_after_copy::ChownAfterCopy,
];

/// Per stage: whether its layers end up in the final image — the final stage,
/// the stages it is built `FROM`, and stages the final stage copies `/` from.
pub(crate) fn shipping_stages(cx: &Checker) -> Vec<bool> {
    let mut out = vec![false; cx.model.stages.len()];
    let Some(last) = cx.model.final_stage() else {
        return out;
    };
    let mut roots = vec![last.index];
    for c in &cx.model.copies {
        if c.stage == last.index
            && let CopySource::Stage(s) = c.from
            && c.sources
                .iter()
                .any(|(src, _)| matches!(src.trim_end_matches(['.', '/']), "" | "*"))
        {
            roots.push(s);
        }
    }
    for r in roots {
        for s in cx.model.stage_ancestry(r) {
            out[s] = true;
        }
    }
    out
}

/// Targets of `RUN --mount=type=cache|tmpfs,target=…` (not persisted in the layer).
pub(crate) fn volatile_mount_targets(
    cx: &Checker,
    index: usize,
    inst: &Instruction,
) -> Vec<String> {
    let mut out = Vec::new();
    for f in inst.flags_named("mount") {
        let Some(value) = f.value.as_deref() else {
            continue;
        };
        let value = cx.model.expand(index, value).value;
        let mut kind = "bind";
        let mut target = None;
        for part in value.split(',') {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            match k.trim().to_ascii_lowercase().as_str() {
                "type" => {
                    kind = if v.trim() == "cache" {
                        "cache"
                    } else if v.trim() == "tmpfs" {
                        "tmpfs"
                    } else {
                        "other"
                    }
                }
                "target" | "dst" | "destination" => {
                    target = Some(v.trim().trim_matches('"').to_string())
                }
                _ => {}
            }
        }
        if matches!(kind, "cache" | "tmpfs")
            && let Some(t) = target
        {
            out.push(cx.model.absolute_path(index, &t));
        }
    }
    out
}

/// The shell commands of a RUN in execution order (shell-form text, then heredoc bodies),
/// with the script each belongs to.
pub(crate) fn run_commands<'a>(
    info: &'a InstructionInfo,
) -> impl Iterator<Item = (&'a ShellCode, &'a SimpleCommand)> + 'a {
    info.scripts
        .iter()
        .flat_map(|code| code.script.commands.iter().map(move |c| (code, c)))
}

pub(crate) fn is_run(inst: &Instruction) -> bool {
    inst.keyword == Keyword::Run
}

/// Tracks the shell's working directory through a RUN (`cd` at the top level).
#[derive(Clone)]
pub(crate) struct Cwd {
    /// `None` once a `cd` went somewhere unknown.
    pub dir: Option<Arc<str>>,
}

impl Cwd {
    pub fn new(info: &InstructionInfo) -> Self {
        Cwd {
            dir: Some(Arc::clone(&info.workdir)),
        }
    }

    /// Updates the directory for a `cd`/`pushd` command (other commands are ignored).
    pub fn observe(&mut self, cmd: &SimpleCommand) {
        if !matches!(cmd.program(), Some("cd" | "pushd" | "popd")) {
            return;
        }
        if matches!(
            cmd.context,
            dockside_shell::Context::Subshell | dockside_shell::Context::Substitution
        ) || cmd.pipeline.is_some()
        {
            return;
        }
        let arg = cmd
            .args()
            .iter()
            .find(|w| !w.text().starts_with('-') || w.text() == "-");
        self.dir = match (
            cmd.program(),
            arg.and_then(|w| w.value.as_deref()),
            &self.dir,
        ) {
            (Some("popd"), _, _) => None,
            (_, Some(p), _) if p.starts_with('/') => {
                Some(dockside_semantic::resolve_path("/", p).into())
            }
            (_, Some(p), Some(d)) if p != "-" && !p.starts_with('~') => {
                Some(dockside_semantic::resolve_path(d, p).into())
            }
            (_, None, _) if arg.is_none() => Some(Arc::from("/root")),
            _ => None,
        };
    }

    /// Absolute path of `path` in the current directory; `None` when unknown.
    pub fn resolve(&self, path: &str) -> Option<String> {
        if path.starts_with('/') {
            return Some(dockside_semantic::resolve_path("/", path));
        }
        if path.starts_with('~') || path.starts_with('$') {
            return Some(path.to_string());
        }
        self.dir
            .as_deref()
            .map(|d| dockside_semantic::resolve_path(d, path))
    }
}

/// Whether `path` (absolute, no glob) is, or is inside, something the COPY/ADD
/// `copy` wrote. Whole-context and directory sources only count when the build
/// context confirms the file came from them.
pub(crate) fn copy_wrote(cx: &Checker, copy: &dockside_semantic::CopyOp, path: &str) -> bool {
    let dest = copy.dest.trim_end_matches('/');
    let dest = if dest.is_empty() { "/" } else { dest };
    let under = |base: &str| -> Option<String> {
        if path == base {
            return Some(String::new());
        }
        let b = base.trim_end_matches('/');
        path.strip_prefix(b)
            .and_then(|r| r.strip_prefix('/'))
            .map(str::to_string)
    };
    if !copy.dest_is_dir {
        return under(dest).is_some();
    }
    let Some(rel) = under(dest) else { return false };
    if rel.is_empty() {
        // The destination directory itself.
        return true;
    }
    for (src, _) in &copy.sources {
        let clean = src.trim_start_matches("./").trim_end_matches('/');
        let whole = clean.is_empty() || clean == ".";
        let base = clean.rsplit('/').next().unwrap_or(clean);
        let first = rel.split('/').next().unwrap_or(&rel);
        if !whole && !clean.contains(['*', '?', '[']) && first == base && !src.ends_with('/') {
            return true;
        }
        if copy.from == CopySource::Context {
            let candidate = if whole {
                rel.clone()
            } else {
                format!("{clean}/{rel}")
            };
            if (whole || cx.context.is_dir(clean)) && cx.context.exists(&candidate) {
                return true;
            }
        } else if matches!(copy.from, CopySource::Remote)
            && first == base.split('?').next().unwrap_or(base)
        {
            return true;
        }
    }
    false
}

/// Whether an operation on `target` (absolute, globs allowed) reaches files the
/// COPY/ADD `copy` wrote. With `subtree` (`rm -r`, `chown -R`) a target that is
/// the destination or one of its ancestors counts too; without it, only the
/// copied files themselves (not the destination directory) count.
pub(crate) fn touches_copy(
    cx: &Checker,
    copy: &dockside_semantic::CopyOp,
    target: &str,
    subtree: bool,
) -> bool {
    let dest = copy.dest.trim_end_matches('/');
    if subtree && crate::analysis::packages::path_covers(target, &copy.dest) {
        return true;
    }
    if target.contains(['*', '?', '[']) {
        // Compare the glob with the concrete paths the COPY wrote.
        let items: Vec<String> = if copy.dest_is_dir {
            copy.sources
                .iter()
                .filter_map(|(s, _)| {
                    let clean = s.trim_start_matches("./").trim_end_matches('/');
                    let base = clean.rsplit('/').next()?;
                    (!base.is_empty() && base != "." && !base.contains(['*', '?', '[']))
                        .then(|| format!("{dest}/{base}"))
                })
                .collect()
        } else {
            vec![copy.dest.clone()]
        };
        if items
            .iter()
            .any(|p| crate::analysis::packages::path_covers(target, p))
        {
            return true;
        }
        // `COPY config/ /etc/app/` then `chmod 600 /etc/app/*.conf`: a glob inside the
        // destination of a directory copy.
        let parent = target.rsplit_once('/').map_or("", |(p, _)| p);
        let inside = parent == dest
            || parent
                .strip_prefix(dest)
                .is_some_and(|r| r.starts_with('/'));
        let dir_source = copy.sources.iter().any(|(s, _)| {
            let clean = s.trim_start_matches("./").trim_end_matches('/');
            s.ends_with('/')
                || clean.is_empty()
                || clean == "."
                || (copy.from == CopySource::Context && cx.context.is_dir(clean))
        });
        return copy.dest_is_dir && inside && !parent.contains(['*', '?', '[']) && dir_source;
    }
    if !subtree && copy.dest_is_dir && target.trim_end_matches('/') == dest {
        return false;
    }
    copy_wrote(cx, copy, target)
}

/// The value of a shell word: its static text, or its expansion when every
/// variable in it is an ARG/ENV with a known value (shell variables set inside
/// the RUN are not known: `None`). Empty values give `None`.
pub(crate) fn word_value(cx: &Checker, index: usize, w: &dockside_shell::Word) -> Option<String> {
    let v = match &w.value {
        Some(v) => v.to_string(),
        None => {
            let e = cx.model.expand(index, &w.raw);
            let known = e
                .references
                .iter()
                .all(|r| matches!(r.lookup, dockside_semantic::Lookup::Value(_)));
            if !e.complete || !known {
                return None;
            }
            e.value
        }
    };
    (!v.is_empty()).then_some(v)
}
