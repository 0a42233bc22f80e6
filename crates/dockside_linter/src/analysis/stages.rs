//! The stage graph: which stage each `FROM`, `COPY --from` and `RUN --mount=from=`
//! refers to, resolved against every stage of the file (so forward references
//! are visible), with the source range of the reference.

use dockside_semantic::{Base, Lookup, Model, parse_image_ref};
use dockside_syntax::{Dockerfile, Instruction, Keyword, TextRange};

/// Where a reference to another stage or image is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    /// `FROM <stage>`.
    From,
    /// `COPY --from=` / `ADD --from=`.
    CopyFrom,
    /// `RUN --mount=…,from=`.
    MountFrom,
}

/// What a reference names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A stage of this Dockerfile, by name or index.
    Stage(usize),
    /// A stage index that does not exist (`--from=7`).
    MissingIndex(usize),
    /// Not a stage: an image or a named build context.
    External(String),
    /// The value depends on a build-time value (`--from=$BUILDER`, no default).
    Unknown,
}

#[derive(Clone, Debug)]
pub struct StageRef {
    pub instruction: usize,
    /// The stage the referencing instruction belongs to.
    pub stage: Option<usize>,
    pub kind: RefKind,
    /// The value after ARG expansion.
    pub value: String,
    /// The value in the source.
    pub range: TextRange,
    pub target: Target,
}

/// Finds a stage by name (case-insensitive) or index among all stages.
pub fn resolve(model: &Model, value: &str) -> Target {
    match model.stage_by_name(value) {
        Some(s) => Target::Stage(s.index),
        None => resolve_unnamed(model, value),
    }
}

/// A value no stage is named: a stage index, or an image.
fn resolve_unnamed(model: &Model, value: &str) -> Target {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return match value.parse::<usize>() {
            Ok(n) if n < model.stages.len() => Target::Stage(n),
            Ok(n) => Target::MissingIndex(n),
            Err(_) => Target::MissingIndex(usize::MAX),
        };
    }
    Target::External(value.to_string())
}

/// The `from=` value of a `--mount` flag and its range inside the flag value.
pub fn mount_from(value: &str) -> Option<(&str, std::ops::Range<usize>)> {
    let mut offset = 0;
    for part in value.split(',') {
        let start = offset;
        offset += part.len() + 1;
        if let Some((key, v)) = part.split_once('=')
            && key.trim().eq_ignore_ascii_case("from")
        {
            let v_start = start + key.len() + 1;
            return Some((v, v_start..v_start + v.len()));
        }
    }
    None
}

/// Every reference to a stage or external image in `--from` flags and in FROM
/// lines that name a stage, in source order.
pub fn references(df: &Dockerfile, model: &Model) -> Vec<StageRef> {
    let mut out = Vec::new();
    for (i, inst) in df.instructions.iter().enumerate() {
        let stage = model.instructions.get(i).and_then(|info| info.stage);
        collect(model, i, stage, inst, &mut out);
    }
    out
}

fn collect(
    model: &Model,
    i: usize,
    stage: Option<usize>,
    inst: &Instruction,
    out: &mut Vec<StageRef>,
) {
    let mut push = |kind: RefKind, raw: &str, range: TextRange| {
        let e = model.expand(i, raw);
        let concrete = e
            .references
            .iter()
            .all(|r| matches!(r.lookup, Lookup::Value(_)) || r.has_default);
        let target = if e.complete && concrete {
            resolve(model, &e.value)
        } else {
            Target::Unknown
        };
        out.push(StageRef {
            instruction: i,
            stage,
            kind,
            value: e.value,
            range,
            target,
        });
    };
    match inst.keyword {
        Keyword::From => {
            if let Some(s) = stage
                && let Base::Stage(_) = model.stages[s].base
            {
                let st = &model.stages[s];
                push(RefKind::From, &st.image, st.image_range);
            }
        }
        Keyword::Copy | Keyword::Add => {
            for f in inst.flags_named("from") {
                if let (Some(v), Some(r)) = (&f.value, f.value_range) {
                    push(RefKind::CopyFrom, v, r);
                }
            }
        }
        Keyword::Run => {
            for f in inst.flags_named("mount") {
                let (Some(v), Some(r)) = (&f.value, f.value_range) else {
                    continue;
                };
                let Some((from, sub)) = mount_from(v) else {
                    continue;
                };
                let range = if r.len() == v.len() {
                    TextRange::new(r.start as usize + sub.start, r.start as usize + sub.end)
                } else {
                    r
                };
                push(RefKind::MountFrom, from, range);
            }
        }
        _ => {}
    }
}

/// Whether an external `--from` value is written like an image reference (has a
/// tag, digest or registry/namespace) rather than a bare word that could be a
/// misspelled stage or a named build context.
pub fn looks_like_image(value: &str) -> bool {
    value.contains([':', '/', '@']) && parse_image_ref(value).is_ok()
}

/// Stages the final stage (or `target`) needs, transitively: its base stages and
/// every stage it copies or mounts from.
pub fn needed_stages(model: &Model, refs: &[StageRef], target: usize) -> Vec<bool> {
    let mut needed = vec![false; model.stages.len()];
    let mut referenced: Vec<Vec<usize>> = vec![Vec::new(); model.stages.len()];
    for r in refs {
        if let (Some(s), Target::Stage(t)) = (r.stage, &r.target)
            && let Some(targets) = referenced.get_mut(s)
        {
            targets.push(*t);
        }
    }
    let mut todo = vec![target];
    while let Some(s) = todo.pop() {
        if s >= needed.len() || needed[s] {
            continue;
        }
        needed[s] = true;
        if let Base::Stage(p) = model.stages[s].base {
            todo.push(p);
        }
        todo.extend_from_slice(&referenced[s]);
    }
    needed
}
