//! Hover: instruction and flag reference, resolved variables, base image
//! breakdown, and the rule documentation of a diagnostic under the cursor.

use dockside_linter::{Diagnostic, FileId};
use dockside_semantic::expand::references;
use dockside_semantic::{
    Base, Lookup, Model, PREDEFINED_ARGS, PROXY_ARGS, Scope, VarKind, parse_image_ref,
};
use dockside_syntax::{
    Body, CommandForm, Healthcheck, Instruction, Keyword, MappedText, TextRange,
};

use crate::Analysis;
use crate::docs;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    /// What the hover is about (the word under the cursor).
    pub range: TextRange,
    pub markdown: String,
}

/// The hover at byte `offset`, if anything there has documentation.
/// The finding under the cursor, if any, then what is there (a variable's value, an
/// image's breakdown…).
pub fn hover(analysis: &Analysis, offset: usize) -> Option<Hover> {
    let element = directive_hover(analysis, offset).or_else(|| {
        let index = analysis.instruction_at(offset)?;
        let inst = &analysis.dockerfile.instructions[index];
        instruction_hover(analysis, index, inst, offset)
    });
    match (element, diagnostic_hover(analysis, offset)) {
        (Some(element), Some(finding)) => Some(Hover {
            range: element.range,
            markdown: format!("{}\n---\n\n{}", finding.markdown, element.markdown),
        }),
        (element, finding) => finding.or(element),
    }
}

fn instruction_hover(
    analysis: &Analysis,
    index: usize,
    inst: &Instruction,
    offset: usize,
) -> Option<Hover> {
    if let Some(h) = variable_hover(analysis, index, inst, offset) {
        return Some(h);
    }
    if let Some(h) = image_hover(analysis, index, inst, offset) {
        return Some(h);
    }
    if let Some(h) = flag_hover(analysis, index, inst, offset) {
        return Some(h);
    }
    if inst.keyword_range.contains(offset) {
        return Some(Hover {
            range: inst.keyword_range,
            markdown: docs::instruction_doc(inst.keyword).markdown(),
        });
    }
    match &inst.body {
        Body::Onbuild(Some(inner)) => instruction_hover(analysis, index, inner, offset),
        Body::Healthcheck(Healthcheck::Cmd { keyword, .. } | Healthcheck::None { keyword })
            if keyword.range.contains(offset) =>
        {
            Some(Hover {
                range: keyword.range,
                markdown: docs::instruction_doc(Keyword::Healthcheck).markdown(),
            })
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Diagnostics

fn diagnostic_hover(analysis: &Analysis, offset: usize) -> Option<Hover> {
    let mut here: Vec<&Diagnostic> = analysis
        .lint
        .diagnostics
        .iter()
        .filter(|d| d.file == FileId::MAIN)
        .filter(|d| {
            d.range.contains(offset) || (d.range.is_empty() && d.range.start as usize == offset)
        })
        .collect();
    if here.is_empty() {
        return None;
    }
    // The narrowest finding is the one the cursor is most likely about.
    here.sort_by_key(|d| d.range.len());
    let main = here[0];
    let mut md = format!(
        "**{}** (`{}`, {}): {}\n\n{}",
        main.rule.name,
        main.rule.code,
        severity_word(main),
        main.message,
        main.rule.doc_markdown()
    );
    if let Some(fix) = &main.fix {
        md.push_str(&format!("\nFix available: {}\n", fix.title));
    }
    if here.len() > 1 {
        md.push_str("\n---\n\nAlso here:\n");
        for d in &here[1..] {
            md.push_str(&format!(
                "- **{}** (`{}`): {}\n",
                d.rule.name, d.rule.code, d.message
            ));
        }
    }
    Some(Hover {
        range: main.range,
        markdown: md,
    })
}

fn severity_word(d: &Diagnostic) -> String {
    format!("{:?}", d.severity).to_ascii_lowercase()
}

// ---------------------------------------------------------------------------
// Parser directives

fn directive_hover(analysis: &Analysis, offset: usize) -> Option<Hover> {
    let d = analysis
        .dockerfile
        .directives
        .iter()
        .find(|d| d.range.contains(offset))?;
    // A check name in `# check=skip=A,B`: its rule documentation.
    if d.name == "check" && d.value_range.contains(offset) {
        let rel = offset - d.value_range.start as usize;
        if let Some((range, word)) = word_at(&d.value, rel, |c| {
            matches!(c, ',' | ';' | '=') || c.is_whitespace()
        }) && let Some(rule) = dockside_linter::find_rule(word)
        {
            let start = d.value_range.start as usize;
            return Some(Hover {
                range: TextRange::new(start + range.start, start + range.end),
                markdown: format!(
                    "**{}** (`{}`)\n\n{}",
                    rule.name,
                    rule.code,
                    rule.doc_markdown()
                ),
            });
        }
    }
    let doc = docs::directive_doc(&d.name)?;
    Some(Hover {
        range: d.range,
        markdown: doc.markdown(),
    })
}

/// The word of `text` around byte `pos`, words separated by `is_sep`.
fn word_at(
    text: &str,
    pos: usize,
    is_sep: impl Fn(char) -> bool,
) -> Option<(std::ops::Range<usize>, &str)> {
    let pos = pos.min(text.len());
    let start = text[..pos].rfind(&is_sep).map_or(0, |i| i + 1);
    let end = text[pos..].find(&is_sep).map_or(text.len(), |i| pos + i);
    (start < end).then(|| (start..end, &text[start..end]))
}

// ---------------------------------------------------------------------------
// Variables

/// A `$VAR` reference of an instruction, with its source range.
pub(crate) struct RefAt {
    pub name: String,
    pub range: TextRange,
    pub has_default: bool,
}

/// Every `$VAR` reference of an instruction (flags, arguments, unquoted heredoc
/// bodies), mapped to the source. Exec-form commands are not expanded by the
/// builder, so their arguments are left out.
pub(crate) fn instruction_refs(analysis: &Analysis, inst: &Instruction) -> Vec<RefAt> {
    let escape = analysis.dockerfile.escape;
    let mut out = Vec::new();
    let exec_args = matches!(
        (&inst.keyword, &inst.body),
        (
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint,
            Body::Command(CommandForm::Exec(_))
        )
    )
    .then(|| inst.args_range());
    let mut push = |m: &MappedText| {
        for r in references(m.as_str(), escape) {
            let range = m.source_range(r.range.clone());
            if exec_args.is_some_and(|a| a.contains_range(range)) {
                continue;
            }
            out.push(RefAt {
                name: r.name,
                range,
                has_default: r.has_default,
            });
        }
    };
    push(&inst.line);
    for h in &inst.heredocs {
        if !h.quoted {
            push(&h.body_map);
        }
    }
    out
}

fn variable_hover(
    analysis: &Analysis,
    index: usize,
    inst: &Instruction,
    offset: usize,
) -> Option<Hover> {
    let r = instruction_refs(analysis, inst)
        .into_iter()
        .find(|r| r.range.contains(offset))?;
    let model = &analysis.model;
    let info = &model.instructions[index];
    let scope = info.scope;
    let in_stage = info.stage.is_some() && inst.keyword != Keyword::From;
    let shell = matches!(
        inst.keyword,
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
    );
    let mut md = format!("**`${}`**", r.name);
    match model.lookup(scope, &r.name) {
        Some(b) => {
            let kind = kind_word(b.kind);
            match &b.value {
                Some(v) => md.push_str(&format!(" ({kind}) = `{v}`\n\n")),
                None => md.push_str(&format!(" ({kind}): value set at build time\n\n")),
            }
            if let Some(line) = b.instruction.map(|i| line_of_instruction(analysis, i)) {
                md.push_str(&format!(
                    "Declared by `{kind} {}` on line {line}.\n",
                    b.name
                ));
            }
        }
        None => {
            match model.lookup_value(scope, &r.name) {
                Lookup::Unknown | Lookup::Value(_) => {
                    md.push_str(" (ARG): predefined build argument, value set at build time by the builder.\n");
                }
                Lookup::Undefined => {
                    md.push_str(": not defined here");
                    if shell {
                        md.push_str(" by an ARG or ENV of this Dockerfile; the shell expands it (empty unless the base image or the command sets it).\n");
                    } else {
                        if in_stage {
                            md.push_str(
                                " by an ARG or ENV of this Dockerfile; it expands to an empty string unless the base image sets it.\n",
                            );
                        } else {
                            md.push_str("; it expands to an empty string.\n");
                        }
                    }
                    if in_stage && let Some(g) = global_binding(model, &r.name) {
                        let line = g.instruction.map(|i| line_of_instruction(analysis, i));
                        md.push_str(&format!(
                        "\nA global `ARG {}` is declared{}, but a stage only sees it after redeclaring it with `ARG {}`.\n",
                        r.name,
                        line.map(|l| format!(" on line {l}")).unwrap_or_default(),
                        r.name
                    ));
                    } else if in_stage && PREDEFINED_ARGS.contains(&r.name.as_str()) {
                        md.push_str(&format!(
                        "\n`{}` is a predefined build argument: declare `ARG {}` in this stage to use it.\n",
                        r.name, r.name
                    ));
                    } else if shell && PROXY_ARGS.contains(&r.name.as_str()) {
                        md.push_str("\nA predefined proxy argument: RUN sees it when it is passed with `--build-arg`.\n");
                    }
                }
            }
        }
    }
    if r.has_default {
        let raw = &analysis.text[r.range.as_range()];
        let e = model.expand(index, raw);
        if e.complete {
            md.push_str(&format!("\n`{raw}` expands to `{}` here.\n", e.value));
        }
    }
    Some(Hover {
        range: r.range,
        markdown: md,
    })
}

fn kind_word(kind: VarKind) -> &'static str {
    match kind {
        VarKind::Arg => "ARG",
        VarKind::Env => "ENV",
    }
}

/// A global ARG (declared before the first FROM) named `name`.
fn global_binding<'a>(model: &'a Model, name: &str) -> Option<&'a dockside_semantic::Binding> {
    let scope: Scope = model.instructions[model.stages.first()?.from].scope;
    model.lookup(scope, name)
}

/// 1-based line of an instruction's keyword.
pub(crate) fn line_of_instruction(analysis: &Analysis, index: usize) -> usize {
    let inst = &analysis.dockerfile.instructions[index];
    analysis
        .line_index
        .line_of(inst.keyword_range.start as usize)
        + 1
}

// ---------------------------------------------------------------------------
// Base images

fn image_hover(
    analysis: &Analysis,
    index: usize,
    inst: &Instruction,
    offset: usize,
) -> Option<Hover> {
    let Body::From(from) = &inst.body else {
        return None;
    };
    let word = from.image.as_ref().filter(|w| w.range.contains(offset))?;
    let model = &analysis.model;
    let stage = model.stages.iter().find(|s| s.from == index)?;
    let mut md = String::new();
    let expanded = stage.image != word.value;
    match &stage.base {
        Base::Stage(p) => {
            let parent = &model.stages[*p];
            md.push_str(&format!(
                "**Stage `{}`** (stage {}, line {})\n\nThis stage builds on an earlier stage of this Dockerfile, not on an image.\n",
                parent.name.as_deref().unwrap_or(&stage.image),
                parent.index,
                line_of_instruction(analysis, parent.from)
            ));
        }
        Base::Scratch => {
            md.push_str("**`scratch`**: the empty image. The stage starts with no files at all.\n");
        }
        Base::Image(r) => {
            md.push_str(&format!("**Image** `{r}`\n\n"));
            md.push_str(&format!(
                "- Registry: `{}`{}\n",
                r.registry_or_default(),
                if r.registry.is_none() {
                    " (default)"
                } else {
                    ""
                }
            ));
            md.push_str(&format!("- Repository: `{}`\n", r.full_repository()));
            match &r.tag {
                Some(t) => md.push_str(&format!("- Tag: `{t}`\n")),
                None if r.digest.is_some() => {
                    md.push_str("- Tag: none (the digest selects the image)\n")
                }
                None => md.push_str("- Tag: `latest` (implicit)\n"),
            }
            match &r.digest {
                Some(d) => md.push_str(&format!("- Digest: `{d}`\n")),
                None => {
                    md.push_str("- Digest: none (the tag may point to a different image later)\n")
                }
            }
        }
        Base::Unresolved(text) => {
            if stage.image_complete {
                let why = parse_image_ref(text).err().unwrap_or_default();
                md.push_str(&format!(
                    "**Image** `{text}`\n\nNot a valid image reference: {why}.\n"
                ));
            } else {
                md.push_str(&format!(
                    "**Image** `{text}`\n\nDepends on build arguments whose values are only known at build time.\n"
                ));
            }
        }
    }
    if expanded && stage.image_complete {
        md.push_str(&format!(
            "\n`{}` expands to `{}`.\n",
            word.value, stage.image
        ));
    }
    if let Some(f) = inst.flag("platform").and_then(|f| f.value.as_deref()) {
        md.push_str(&format!("\nPlatform: `{f}`\n"));
    }
    Some(Hover {
        range: word.range,
        markdown: md,
    })
}

// ---------------------------------------------------------------------------
// Flags

/// The cooked offset in `m` of source offset `source`, if it falls in a mapped piece.
pub(crate) fn cooked_offset(m: &MappedText, source: usize) -> Option<usize> {
    m.segments.iter().find_map(|s| {
        let (start, end) = (s.source as usize, (s.source + s.len) as usize);
        (start <= source && source <= end).then(|| s.cooked as usize + (source - start))
    })
}

/// One `key=value` piece of a `--mount` value: its range in the value, key and value.
pub(crate) struct MountPiece<'a> {
    pub range: std::ops::Range<usize>,
    pub key: &'a str,
    pub value: Option<&'a str>,
}

pub(crate) fn mount_pieces(value: &str) -> Vec<MountPiece<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in value.split(',') {
        let (key, val) = match piece.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (piece, None),
        };
        out.push(MountPiece {
            range: start..start + piece.len(),
            key: key.trim(),
            value: val,
        });
        start += piece.len() + 1;
    }
    out
}

/// The mount type of a `--mount` value (`bind` when not given).
pub(crate) fn mount_type<'a>(pieces: &[MountPiece<'a>]) -> &'a str {
    pieces
        .iter()
        .find(|p| p.key.eq_ignore_ascii_case("type"))
        .and_then(|p| p.value)
        .unwrap_or("bind")
}

fn flag_hover(
    analysis: &Analysis,
    index: usize,
    inst: &Instruction,
    offset: usize,
) -> Option<Hover> {
    let flag = inst.flags.iter().find(|f| f.range.contains(offset))?;
    let mut md = match docs::flag_doc(inst.keyword, &flag.name) {
        Some(doc) => doc.markdown(),
        None => {
            let valid: Vec<String> = docs::flags_for(inst.keyword)
                .iter()
                .map(|f| format!("`--{}`", f.name))
                .collect();
            let list = if valid.is_empty() {
                "none".to_string()
            } else {
                valid.join(", ")
            };
            format!(
                "**`--{}`**: not a flag of {}. Valid flags: {list}\n",
                flag.name, inst.keyword_text
            )
        }
    };
    if let (Some(value), Some(vr)) = (flag.value.as_deref(), flag.value_range) {
        match (inst.keyword, flag.name.as_str()) {
            (Keyword::Run, "mount") => {
                let pieces = mount_pieces(value);
                let ty = mount_type(&pieces);
                if let Some(t) = docs::mount_type_doc(ty) {
                    md.push_str("\n---\n\n");
                    md.push_str(&t.markdown());
                }
                let pos = match (
                    cooked_offset(&inst.line, offset),
                    cooked_offset(&inst.line, vr.start as usize),
                ) {
                    (Some(o), Some(s)) if o >= s => Some(o - s),
                    _ => None,
                };
                if let Some(pos) = pos
                    && let Some(p) = pieces
                        .iter()
                        .find(|p| p.range.start <= pos && pos < p.range.end)
                    && !p.key.eq_ignore_ascii_case("type")
                    && let Some(k) = docs::mount_key_doc(p.key)
                {
                    md.push_str("\n---\n\n");
                    md.push_str(&k.markdown());
                }
            }
            (Keyword::Copy, "from") => {
                let v = analysis.model.expand(index, value).value;
                let current = analysis.model.instructions[index]
                    .stage
                    .unwrap_or(usize::MAX);
                let stage = analysis
                    .model
                    .stages
                    .iter()
                    .take_while(|s| s.index < current)
                    .find(|s| {
                        s.name
                            .as_deref()
                            .is_some_and(|n| n.eq_ignore_ascii_case(&v))
                            || s.index.to_string() == v
                    });
                md.push_str("\n---\n\n");
                match stage {
                    Some(s) => md.push_str(&format!(
                        "Copies from stage {}{} (line {}).\n",
                        s.index,
                        s.name.as_deref().map(|n| format!(" `{n}`")).unwrap_or_default(),
                        line_of_instruction(analysis, s.from)
                    )),
                    None => md.push_str(&format!("`{v}` is not an earlier stage: it is used as an image or a named build context.\n")),
                }
            }
            _ => {}
        }
    }
    Some(Hover {
        range: flag.range,
        markdown: md,
    })
}
