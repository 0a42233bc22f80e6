//! Navigation: document symbols, definition/references/rename for stages and
//! variables, document highlight, folding ranges.

use std::collections::HashMap;

use dockside_semantic::{
    Base, CopySource, PREDEFINED_ARGS, PROXY_ARGS, ScriptOrigin, VarKind, expand,
};
use dockside_syntax::{Body, Instruction, Keyword, MappedText, Pair, TextRange};

use crate::{Analysis, TextEdit};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Stage,
    Instruction,
    Variable,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole construct (a stage: from FROM to its last instruction).
    pub range: TextRange,
    /// The name to select (the stage name, the keyword, the variable name).
    pub selection_range: TextRange,
    pub children: Vec<Symbol>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldingKind {
    Region,
    Comment,
}

/// Lines are 0-based and inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FoldingRange {
    pub start_line: u32,
    pub end_line: u32,
    pub kind: FoldingKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HighlightKind {
    Read,
    Write,
    Text,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub range: TextRange,
    pub kind: HighlightKind,
}

pub fn document_symbols(analysis: &Analysis) -> Vec<Symbol> {
    let df = &analysis.dockerfile;
    let model = &analysis.model;
    let mut out = Vec::new();
    // Everything before the first FROM: global ARGs (and stray instructions).
    let first_from = model
        .stages
        .first()
        .map_or(df.instructions.len(), |s| s.from);
    for inst in &df.instructions[..first_from] {
        match (&inst.keyword, &inst.body) {
            (Keyword::Arg, Body::Pairs(pairs)) => out.extend(pairs.iter().map(variable_symbol)),
            _ => out.push(instruction_symbol(inst)),
        }
    }
    for stage in &model.stages {
        let from = &df.instructions[stage.from];
        let last = &df.instructions[stage.end.max(stage.from + 1) - 1];
        let image_word = match &from.body {
            Body::From(f) => f.image.as_ref(),
            _ => None,
        };
        let image = if stage.image_complete || image_word.is_none() {
            stage.image.clone()
        } else {
            image_word.map(|w| w.value.to_string()).unwrap_or_default()
        };
        let name = match &stage.name {
            Some(n) => n.clone(),
            None => format!("stage {}", stage.index),
        };
        let selection_range = stage.name_range.unwrap_or(stage.image_range);
        let children = df.instructions[stage.from + 1..stage.end]
            .iter()
            .map(instruction_symbol)
            .collect();
        out.push(Symbol {
            name,
            detail: (!image.is_empty()).then_some(image),
            kind: SymbolKind::Stage,
            range: from.range.cover(last.range),
            selection_range,
            children,
        });
    }
    out
}

const SYMBOL_NAME_MAX: usize = 40;

fn instruction_symbol(inst: &Instruction) -> Symbol {
    let keyword = match inst.keyword {
        Keyword::Unknown => inst.keyword_text.to_ascii_uppercase(),
        k => k.as_str().to_string(),
    };
    let args = inst
        .line
        .as_str()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut name = if args.is_empty() {
        keyword
    } else {
        format!("{keyword} {args}")
    };
    if name.chars().count() > SYMBOL_NAME_MAX {
        name = name
            .chars()
            .take(SYMBOL_NAME_MAX - 1)
            .collect::<String>()
            .trim_end()
            .to_string();
        name.push('…');
    }
    let children = match (&inst.keyword, &inst.body) {
        (Keyword::Arg | Keyword::Env, Body::Pairs(pairs)) => {
            pairs.iter().map(variable_symbol).collect()
        }
        _ => Vec::new(),
    };
    Symbol {
        name,
        detail: None,
        kind: SymbolKind::Instruction,
        range: inst.range,
        selection_range: inst.keyword_range,
        children,
    }
}

fn variable_symbol(pair: &Pair) -> Symbol {
    Symbol {
        name: pair.key.value.to_string(),
        detail: pair.value.as_ref().map(|v| v.value.to_string()),
        kind: SymbolKind::Variable,
        range: pair.range.cover(pair.key.range),
        selection_range: pair.key.range,
        children: Vec::new(),
    }
}

/// What a name refers to: a stage (by index) or a variable (by the range of
/// its root declaration: a stage's `ARG NAME` redeclaring a global ARG has the
/// global ARG as root).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Stage(usize),
    Var(TextRange),
}

/// One place where a stage or variable name occurs.
#[derive(Clone, Copy, Debug)]
struct Occurrence {
    /// The name itself (for `${NAME:-x}` only `NAME`).
    range: TextRange,
    target: Target,
    /// Where `definition` goes from here.
    definition: TextRange,
    /// A declaration (`AS name`, `ARG NAME`, `ENV NAME=…`).
    decl: bool,
    /// A numeric stage reference (`--from=0`): not renamed.
    numeric: bool,
}

struct Index {
    occurrences: Vec<Occurrence>,
    /// Root declaration → (kind, name).
    roots: HashMap<TextRange, (VarKind, String)>,
}

impl Index {
    fn build(a: &Analysis) -> Index {
        let df = &a.dockerfile;
        let model = &a.model;
        let mut occurrences = Vec::new();
        let mut roots = HashMap::new();

        // Stage declarations and references.
        for stage in &model.stages {
            if let Some(r) = stage.name_range {
                occurrences.push(Occurrence {
                    range: r,
                    target: Target::Stage(stage.index),
                    definition: r,
                    decl: true,
                    numeric: false,
                });
            }
        }
        let stage_ref = |range: TextRange, s: usize, numeric: bool| Occurrence {
            range,
            target: Target::Stage(s),
            definition: stage_definition(a, s),
            decl: false,
            numeric,
        };
        for (i, inst) in df.instructions.iter().enumerate() {
            let current = model.instructions[i].stage;
            match inst.keyword {
                Keyword::From => {
                    if let (Some(s), Body::From(f)) = (current, &inst.body)
                        && let Base::Stage(parent) = model.stages[s].base
                        && let Some(image) = &f.image
                        && !image.value.contains('$')
                        && a.text
                            .get(image.range.as_range())
                            .is_some_and(|t| t.eq_ignore_ascii_case(&image.value))
                    {
                        occurrences.push(stage_ref(image.range, parent, false));
                    }
                }
                Keyword::Copy => {
                    let Some(flag) = inst.flag("from") else {
                        continue;
                    };
                    let (Some(value), Some(range)) = (&flag.value, flag.value_range) else {
                        continue;
                    };
                    if value.contains('$') || a.text.get(range.as_range()) != Some(value.as_str()) {
                        continue;
                    }
                    // The semantic model resolved `--from` for this COPY.
                    let resolved = model.copies.iter().find_map(|c| match c.from {
                        CopySource::Stage(s) if c.instruction == i => Some(s),
                        _ => None,
                    });
                    let resolved = resolved.or_else(|| resolve_stage(a, value, current));
                    if let Some(s) = resolved {
                        let numeric = !named(a, s, value);
                        occurrences.push(stage_ref(range, s, numeric));
                    }
                }
                Keyword::Run => {
                    for flag in inst.flags_named("mount") {
                        let (Some(value), Some(range)) = (&flag.value, flag.value_range) else {
                            continue;
                        };
                        if a.text.get(range.as_range()) != Some(value.as_str()) {
                            continue;
                        }
                        let mut offset = 0;
                        for field in value.split(',') {
                            let start = offset;
                            offset += field.len() + 1;
                            let Some((key, v)) = field.split_once('=') else {
                                continue;
                            };
                            if !key.trim().eq_ignore_ascii_case("from") || v.contains('$') {
                                continue;
                            }
                            let v_start = range.start as usize + start + key.len() + 1;
                            let v_range = TextRange::new(v_start, v_start + v.len());
                            if let Some(s) = resolve_stage(a, v, current) {
                                occurrences.push(stage_ref(v_range, s, !named(a, s, v)));
                            }
                        }
                    }
                }
                _ => {}
            }
        }

        // Variable declarations.
        for (i, inst) in df.instructions.iter().enumerate() {
            let info = &model.instructions[i];
            let kind = match inst.keyword {
                Keyword::Arg => VarKind::Arg,
                Keyword::Env if info.stage.is_some() => VarKind::Env,
                _ => continue,
            };
            let Body::Pairs(pairs) = &inst.body else {
                continue;
            };
            for p in pairs {
                let key = p.key.range;
                let global = match (kind, info.stage, &p.value) {
                    (VarKind::Arg, Some(s), None) => {
                        let from_scope = model.instructions[model.stages[s].from].scope;
                        model
                            .lookup(from_scope, &p.key.value)
                            .filter(|b| b.kind == VarKind::Arg)
                            .map(|b| b.range)
                    }
                    _ => None,
                };
                let root = global.unwrap_or(key);
                roots.entry(root).or_insert((kind, p.key.value.to_string()));
                occurrences.push(Occurrence {
                    range: key,
                    target: Target::Var(root),
                    definition: root,
                    decl: true,
                    numeric: false,
                });
            }
        }
        let root_of: HashMap<TextRange, TextRange> = occurrences
            .iter()
            .filter_map(|o| match o.target {
                Target::Var(root) if o.decl => Some((o.range, root)),
                _ => None,
            })
            .collect();

        // Variable uses: the instruction text, shell heredocs of RUN, unquoted heredocs of COPY/ADD.
        for (i, inst) in df.instructions.iter().enumerate() {
            let info = &model.instructions[i];
            let mut texts: Vec<(&MappedText, char)> = vec![(&inst.line, df.escape)];
            match inst.keyword {
                Keyword::Run => texts.extend(
                    info.scripts
                        .iter()
                        .filter(|c| matches!(c.origin, ScriptOrigin::Heredoc(_)))
                        .map(|c| (&*c.text, '\\')),
                ),
                Keyword::Copy | Keyword::Add => texts.extend(
                    inst.heredocs
                        .iter()
                        .filter(|h| !h.quoted)
                        .map(|h| (&h.body_map, df.escape)),
                ),
                _ => {}
            }
            for (mapped, escape) in texts {
                let raw = mapped.as_str();
                for r in expand::references(raw, escape) {
                    let braced = raw[r.range.start + 1..].starts_with('{');
                    let start = r.range.start + 1 + usize::from(braced);
                    let end = start + r.name.len();
                    if raw.get(start..end) != Some(r.name.as_str()) {
                        continue;
                    }
                    let range = mapped.source_range(start..end);
                    if a.text.get(range.as_range()) != Some(r.name.as_str()) {
                        continue;
                    }
                    let Some(b) = model.lookup(info.scope, &r.name) else {
                        continue;
                    };
                    let root = root_of.get(&b.range).copied().unwrap_or(b.range);
                    occurrences.push(Occurrence {
                        range,
                        target: Target::Var(root),
                        definition: b.range,
                        decl: false,
                        numeric: false,
                    });
                }
            }
        }
        occurrences.sort_by_key(|o| (o.range.start, o.range.end));
        occurrences.dedup_by_key(|o| o.range);
        Index { occurrences, roots }
    }

    /// The occurrence under `offset` (a cursor right after a name counts).
    fn at(&self, offset: usize) -> Option<&Occurrence> {
        let touching =
            |o: &&Occurrence| (o.range.start as usize) <= offset && offset <= o.range.end as usize;
        self.occurrences
            .iter()
            .filter(touching)
            .find(|o| o.range.contains(offset))
            .or_else(|| self.occurrences.iter().find(touching))
    }

    fn of(&self, target: Target) -> impl Iterator<Item = &Occurrence> {
        self.occurrences.iter().filter(move |o| o.target == target)
    }

    /// Whether the name at `occ` can be renamed: named stages (not by index) and ARGs
    /// other than BuildKit's predefined and proxy ARGs.
    fn renameable(&self, a: &Analysis, occ: &Occurrence) -> bool {
        match occ.target {
            Target::Stage(s) => !occ.numeric && a.model.stages[s].name.is_some(),
            Target::Var(root) => self.roots.get(&root).is_some_and(|(kind, name)| {
                *kind == VarKind::Arg
                    && !PREDEFINED_ARGS.contains(&name.as_str())
                    && !PROXY_ARGS.contains(&name.as_str())
            }),
        }
    }
}

/// Where a stage is defined: its name, or its FROM instruction when unnamed.
fn stage_definition(a: &Analysis, s: usize) -> TextRange {
    let stage = &a.model.stages[s];
    stage
        .name_range
        .unwrap_or(a.dockerfile.instructions[stage.from].range)
}

fn named(a: &Analysis, s: usize, value: &str) -> bool {
    a.model.stages[s]
        .name
        .as_deref()
        .is_some_and(|n| n.eq_ignore_ascii_case(value))
}

/// A stage reference (name or index) seen from a stage: only earlier stages count.
fn resolve_stage(a: &Analysis, value: &str, current: Option<usize>) -> Option<usize> {
    let limit = current.unwrap_or(a.model.stages.len());
    let earlier = &a.model.stages[..limit];
    earlier
        .iter()
        .find(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(value))
        })
        .map(|s| s.index)
        .or_else(|| value.parse::<usize>().ok().filter(|&n| n < limit))
}

/// Where the stage or variable at `offset` is defined.
pub fn definition(analysis: &Analysis, offset: usize) -> Option<TextRange> {
    Index::build(analysis).at(offset).map(|o| o.definition)
}

/// Every reference to the stage or variable at `offset`.
pub fn references(analysis: &Analysis, offset: usize, include_declaration: bool) -> Vec<TextRange> {
    let index = Index::build(analysis);
    let Some(occ) = index.at(offset) else {
        return Vec::new();
    };
    index
        .of(occ.target)
        .filter(|o| include_declaration || !o.decl)
        .map(|o| o.range)
        .collect()
}

/// The range of the renameable name at `offset` (stage names and ARGs).
///
/// ENV variables are not renameable: their names are part of the image's
/// runtime environment (read by programs and scripts outside the Dockerfile),
/// so a rename inside the Dockerfile could never be complete. Stage indices
/// (`--from=0`) and BuildKit's predefined and proxy ARGs are not renameable either.
pub fn prepare_rename(analysis: &Analysis, offset: usize) -> Option<TextRange> {
    let index = Index::build(analysis);
    let occ = index.at(offset)?;
    index.renameable(analysis, occ).then_some(occ.range)
}

/// Edits that rename the stage or ARG at `offset`; an error message when the name is invalid.
pub fn rename(analysis: &Analysis, offset: usize, new_name: &str) -> Result<Vec<TextEdit>, String> {
    let index = Index::build(analysis);
    let occ = index
        .at(offset)
        .ok_or_else(|| "no stage or ARG name here".to_string())?;
    if !index.renameable(analysis, occ) {
        return Err(match occ.target {
            Target::Stage(_) if occ.numeric => {
                "a stage referenced by its index cannot be renamed here".into()
            }
            Target::Stage(_) => "this stage has no name to rename".into(),
            Target::Var(root) => match index.roots.get(&root) {
                Some((VarKind::Env, _)) => {
                    "ENV variables cannot be renamed: the image's programs read them by name".into()
                }
                _ => "BuildKit's predefined ARGs cannot be renamed".into(),
            },
        });
    }
    match occ.target {
        Target::Stage(s) => {
            if !valid_stage_name(new_name) {
                return Err(format!(
                    "`{new_name}` is not a valid stage name: use a lower-case letter followed by letters, digits, `-`, `_` or `.`"
                ));
            }
            if new_name.eq_ignore_ascii_case("scratch") {
                return Err("`scratch` is reserved for the empty image".into());
            }
            if let Some(other) = analysis.model.stage_by_name(new_name)
                && other.index != s
            {
                return Err(format!("a stage named `{new_name}` already exists"));
            }
        }
        Target::Var(root) => {
            if !valid_arg_name(new_name) {
                return Err(format!(
                    "`{new_name}` is not a valid ARG name: use a letter or `_` followed by letters, digits or `_`"
                ));
            }
            let clash = index.occurrences.iter().any(|o| {
                o.decl
                    && o.target != Target::Var(root)
                    && matches!(o.target, Target::Var(_))
                    && analysis.text.get(o.range.as_range()) == Some(new_name)
            });
            if clash {
                return Err(format!("a variable named `{new_name}` is already declared"));
            }
        }
    }
    Ok(index
        .of(occ.target)
        .filter(|o| !o.numeric)
        .map(|o| TextEdit::replace(o.range, new_name))
        .collect())
}

fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

fn valid_arg_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub fn highlights(analysis: &Analysis, offset: usize) -> Vec<Highlight> {
    let index = Index::build(analysis);
    let Some(occ) = index.at(offset) else {
        return Vec::new();
    };
    index
        .of(occ.target)
        .map(|o| Highlight {
            range: o.range,
            kind: if o.decl {
                HighlightKind::Write
            } else {
                HighlightKind::Read
            },
        })
        .collect()
}

pub fn folding_ranges(analysis: &Analysis) -> Vec<FoldingRange> {
    let df = &analysis.dockerfile;
    let li = &analysis.line_index;
    let line = |offset: u32| li.line_of(offset as usize) as u32;
    let mut out: Vec<FoldingRange> = Vec::new();
    let region = |start: u32, end: u32, kind: FoldingKind, out: &mut Vec<FoldingRange>| {
        if end > start {
            out.push(FoldingRange {
                start_line: start,
                end_line: end,
                kind,
            });
        }
    };
    for stage in &analysis.model.stages {
        let first = &df.instructions[stage.from];
        let last = &df.instructions[stage.end.max(stage.from + 1) - 1];
        region(
            line(first.range.start),
            line(last.range.end),
            FoldingKind::Region,
            &mut out,
        );
    }
    for inst in &df.instructions {
        // Continuation lines (heredoc bodies fold on their own).
        let end = if inst.heredocs.is_empty() {
            inst.range.end
        } else if inst.line.is_empty() {
            inst.keyword_range.end
        } else {
            inst.line.source_range(0..inst.line.len()).end
        };
        region(
            line(inst.range.start),
            line(end),
            FoldingKind::Region,
            &mut out,
        );
        for doc in &inst.heredocs {
            let end = doc.terminator_range.unwrap_or(doc.body_range);
            region(
                line(doc.marker_range.start),
                line(end.end),
                FoldingKind::Region,
                &mut out,
            );
        }
    }
    // Runs of comment lines outside instructions.
    let mut run: Option<(u32, u32)> = None;
    for c in df.comments.iter().filter(|c| !c.inside_instruction) {
        let l = line(c.range.start);
        run = match run {
            Some((s, e)) if l == e + 1 => Some((s, l)),
            Some((s, e)) => {
                region(s, e, FoldingKind::Comment, &mut out);
                Some((l, l))
            }
            None => Some((l, l)),
        };
    }
    if let Some((s, e)) = run {
        region(s, e, FoldingKind::Comment, &mut out);
    }
    // One fold per start line (editors keep only one): the largest.
    out.sort_by(|a, b| {
        a.start_line
            .cmp(&b.start_line)
            .then(b.end_line.cmp(&a.end_line))
    });
    out.dedup_by_key(|f| f.start_line);
    out
}
