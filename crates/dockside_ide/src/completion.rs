//! Completion: instructions (with snippets), flags valid for the instruction,
//! `--mount` keys and types, stage names after `--from=`, variables after
//! `$`/`${`, parser directives.

use dockside_semantic::{Lookup, PREDEFINED_ARGS, VarKind};
use dockside_syntax::text::floor_char_boundary;
use dockside_syntax::{Keyword, TextRange};

use crate::Analysis;
use crate::docs;
use crate::hover::{cooked_offset, line_of_instruction, mount_pieces, mount_type};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Flag,
    Value,
    Stage,
    Variable,
    Directive,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// Text to insert (LSP snippet syntax when `is_snippet`); `label` when `None`.
    pub insert_text: Option<String>,
    pub is_snippet: bool,
    /// The range the insertion replaces (the partial word before the cursor).
    pub replace: TextRange,
}

impl CompletionItem {
    fn new(label: impl Into<String>, kind: CompletionKind, replace: TextRange) -> Self {
        CompletionItem {
            label: label.into(),
            kind,
            detail: None,
            documentation: None,
            insert_text: None,
            is_snippet: false,
            replace,
        }
    }
    fn detail(mut self, d: impl Into<String>) -> Self {
        self.detail = Some(d.into());
        self
    }
    fn doc(mut self, d: impl Into<String>) -> Self {
        self.documentation = Some(d.into());
        self
    }
    fn insert(mut self, text: impl Into<String>) -> Self {
        self.insert_text = Some(text.into());
        self
    }
    fn snippet(mut self, text: impl Into<String>) -> Self {
        self.insert_text = Some(text.into());
        self.is_snippet = true;
        self
    }
}

/// Completions at byte `offset`.
pub fn completions(analysis: &Analysis, offset: usize) -> Vec<CompletionItem> {
    let text: &str = &analysis.text;
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let line = analysis.line_index.line_of(offset);
    let line_start = analysis.line_index.line_start(line);
    let physical = &text[line_start..offset];

    // Inside a heredoc body only variables make sense.
    for (i, inst) in analysis.dockerfile.instructions.iter().enumerate() {
        for h in &inst.heredocs {
            let in_body = h.body_range.contains(offset)
                || (h.body_range.end as usize == offset && !h.body_range.is_empty());
            if in_body {
                return match variable_context(physical, offset) {
                    Some((partial, replace, braced)) if !h.quoted => {
                        variables(analysis, i, partial, replace, braced, &text[offset..])
                    }
                    _ => Vec::new(),
                };
            }
        }
    }

    match instruction_for(analysis, offset, line_start) {
        Some(i) => {
            let inst = &analysis.dockerfile.instructions[i];
            let kw = inst.keyword_range;
            if offset <= kw.end as usize {
                let partial = &text[kw.start as usize..offset];
                let replace = TextRange::new(kw.start as usize, offset);
                let mut out = keywords(analysis, Some(i), partial, replace, &[]);
                if at_directive_position(analysis, line) && partial.is_empty() {
                    out.extend(directives(analysis, "", replace));
                }
                out
            } else {
                argument_completions(analysis, i, offset)
            }
        }
        None => {
            let trimmed = physical.trim_start();
            let replace = TextRange::new(offset - trimmed.len(), offset);
            if trimmed.starts_with('#') {
                if at_directive_position(analysis, line) {
                    return directives(analysis, trimmed, replace);
                }
                return Vec::new();
            }
            if trimmed.contains(char::is_whitespace) {
                return Vec::new();
            }
            let mut out = keywords(analysis, None, trimmed, replace, &[]);
            if trimmed.is_empty() && at_directive_position(analysis, line) {
                out.extend(directives(analysis, "", replace));
            }
            out
        }
    }
}

/// The instruction the cursor is in: the one containing it, or the one the
/// cursor follows on the same line after trailing whitespace (`COPY |`).
fn instruction_for(analysis: &Analysis, offset: usize, line_start: usize) -> Option<usize> {
    if let Some(i) = analysis.instruction_at(offset) {
        return Some(i);
    }
    let text: &str = &analysis.text;
    analysis.dockerfile.instructions.iter().rposition(|inst| {
        let end = inst.range.end as usize;
        inst.range.start as usize <= offset
            && end >= line_start
            && end <= offset
            && text[end..offset].chars().all(|c| c == ' ' || c == '\t')
    })
}

/// Whether line `line` (0-based) may still hold a parser directive: every line
/// above it is one.
fn at_directive_position(analysis: &Analysis, line: usize) -> bool {
    let df = &analysis.dockerfile;
    if df
        .instructions
        .first()
        .is_some_and(|i| analysis.line_index.line_of(i.range.start as usize) < line)
    {
        return false;
    }
    (0..line).all(|l| {
        df.directives
            .iter()
            .any(|d| analysis.line_index.line_of(d.range.start as usize) == l)
    })
}

fn directives(analysis: &Analysis, partial: &str, replace: TextRange) -> Vec<CompletionItem> {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let typed = norm(partial);
    docs::directives()
        .iter()
        .filter(|d| {
            !analysis
                .dockerfile
                .directives
                .iter()
                .any(|x| x.name == d.name && !x.range.contains_range(replace))
        })
        .filter(|d| norm(d.label).starts_with(&typed))
        .map(|d| {
            CompletionItem::new(d.label, CompletionKind::Directive, replace)
                .detail(d.syntax)
                .doc(d.markdown())
                .snippet(d.snippet)
        })
        .collect()
}

/// Whether the file writes its keywords in lower case (ignoring instruction `skip`).
fn lowercase_keywords(analysis: &Analysis, skip: Option<usize>) -> bool {
    let (mut lower, mut other) = (0, 0);
    for (i, inst) in analysis.dockerfile.instructions.iter().enumerate() {
        if Some(i) == skip || inst.keyword == Keyword::Unknown {
            continue;
        }
        if inst.keyword_text.chars().all(|c| c.is_ascii_lowercase()) {
            lower += 1;
        } else {
            other += 1;
        }
    }
    lower > other
}

fn cased(word: &str, lower: bool) -> String {
    if lower {
        word.to_ascii_lowercase()
    } else {
        word.to_string()
    }
}

fn keywords(
    analysis: &Analysis,
    skip: Option<usize>,
    partial: &str,
    replace: TextRange,
    exclude: &[Keyword],
) -> Vec<CompletionItem> {
    let lower = lowercase_keywords(analysis, skip);
    docs::instructions()
        .iter()
        .filter(|d| !exclude.contains(&d.keyword))
        .filter(|d| {
            d.keyword
                .as_str()
                .to_ascii_lowercase()
                .starts_with(&partial.to_ascii_lowercase())
        })
        .map(|d| {
            let kw = d.keyword.as_str();
            let mut snippet = d.snippet.to_string();
            if lower {
                snippet = format!("{}{}", kw.to_ascii_lowercase(), &snippet[kw.len()..])
                    .replace(" AS ", " as ")
                    .replace(" CMD ", " cmd ");
            }
            CompletionItem::new(cased(kw, lower), CompletionKind::Keyword, replace)
                .detail(d.title)
                .doc(d.markdown())
                .snippet(snippet)
        })
        .collect()
}

/// After the keyword: flags, flag values, HEALTHCHECK's CMD/NONE, FROM's AS, variables.
fn argument_completions(analysis: &Analysis, index: usize, offset: usize) -> Vec<CompletionItem> {
    let text: &str = &analysis.text;
    let inst = &analysis.dockerfile.instructions[index];
    let line = &inst.line;
    // The logical text between the keyword and the cursor, continuations removed.
    let (prefix, cooked) = match cooked_offset(line, offset) {
        Some(c) => (line.as_str()[..c].to_string(), Some(c)),
        None => {
            let next = line.segments.iter().find(|s| s.source as usize > offset);
            let c = next.map_or(line.len(), |s| s.cooked as usize);
            (format!("{} ", &line.as_str()[..c]), None)
        }
    };
    let partial_len = prefix.len() - prefix.trim_end_matches(|c: char| !c.is_whitespace()).len();
    let partial = &prefix[prefix.len() - partial_len..];
    let words: Vec<&str> = prefix[..prefix.len() - partial_len]
        .split_whitespace()
        .collect();
    let start = match cooked {
        Some(c) => line.source_offset(c - partial_len),
        None => offset,
    };
    let replace = TextRange::new(start.min(offset), offset);

    // `$VAR` / `${VAR`
    if let Some((name, r, braced)) = variable_context(partial, offset) {
        return variables(analysis, index, name, r, braced, &text[offset..]);
    }

    let (keyword, words) = if inst.keyword == Keyword::Onbuild {
        match words.split_first() {
            None => {
                return keywords(
                    analysis,
                    Some(index),
                    partial,
                    replace,
                    &[Keyword::Onbuild, Keyword::From, Keyword::Maintainer],
                );
            }
            Some((kw, rest)) => (Keyword::parse(kw), rest.to_vec()),
        }
    } else {
        (inst.keyword, words)
    };
    let only_flags = words.iter().all(|w| w.starts_with("--"));

    if let Some(flag) = partial.strip_prefix("--")
        && let Some((name, value)) = flag.split_once('=')
    {
        let value_replace = TextRange::new(offset - value.len(), offset);
        return match (keyword, name) {
            (Keyword::Run, "mount") => mount_completions(analysis, index, value, offset),
            (Keyword::Copy, "from") => stages(analysis, index, value_replace),
            (Keyword::Run, "network") => values(&["default", "none", "host"], value, value_replace),
            (Keyword::Run, "security") => values(&["sandbox", "insecure"], value, value_replace),
            _ => Vec::new(),
        };
    }
    if partial.starts_with('-') && only_flags {
        return flags(keyword, &words, partial, replace);
    }
    let lower = lowercase_keywords(analysis, None);
    match keyword {
        Keyword::Healthcheck if only_flags => ["CMD", "NONE"]
            .iter()
            .filter(|k| k.starts_with(&partial.to_ascii_uppercase()))
            .map(|k| {
                let item = CompletionItem::new(cased(k, lower), CompletionKind::Keyword, replace);
                if *k == "CMD" {
                    item.detail("run a command to check the container")
                        .snippet(format!("{} ${{1:command}}", cased(k, lower)))
                } else {
                    item.detail("turn off the health check inherited from the base image")
                }
            })
            .collect(),
        Keyword::From => {
            let args: Vec<&&str> = words.iter().filter(|w| !w.starts_with("--")).collect();
            if args.len() == 1 && "as".starts_with(&partial.to_ascii_lowercase()) {
                vec![
                    CompletionItem::new(cased("AS", lower), CompletionKind::Keyword, replace)
                        .detail("name this stage")
                        .snippet(format!("{} ${{1:name}}", cased("AS", lower))),
                ]
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    }
}

fn flags(
    keyword: Keyword,
    words: &[&str],
    partial: &str,
    replace: TextRange,
) -> Vec<CompletionItem> {
    let used: Vec<&str> = words
        .iter()
        .map(|w| w.trim_start_matches('-').split('=').next().unwrap_or(""))
        .collect();
    docs::flags_for(keyword)
        .iter()
        .filter(|f| f.repeatable || !used.contains(&f.name))
        .filter(|f| format!("--{}", f.name).starts_with(partial))
        .map(|f| {
            CompletionItem::new(format!("--{}", f.name), CompletionKind::Flag, replace)
                .detail(f.syntax)
                .doc(f.markdown())
                .snippet(f.snippet)
        })
        .collect()
}

fn values(list: &[&str], typed: &str, replace: TextRange) -> Vec<CompletionItem> {
    list.iter()
        .filter(|v| v.starts_with(typed))
        .map(|v| CompletionItem::new(*v, CompletionKind::Value, replace))
        .collect()
}

/// Inside `--mount=`: keys, or the values of `type=`, `from=`, `sharing=`.
fn mount_completions(
    analysis: &Analysis,
    index: usize,
    value: &str,
    offset: usize,
) -> Vec<CompletionItem> {
    let pieces = mount_pieces(value);
    let Some((current, earlier)) = pieces.split_last() else {
        return Vec::new();
    };
    if let Some(v) = current.value {
        let replace = TextRange::new(offset - v.len(), offset);
        return match current.key.to_ascii_lowercase().as_str() {
            "type" => docs::mount_types()
                .iter()
                .filter(|t| t.name.starts_with(v))
                .map(|t| {
                    CompletionItem::new(t.name, CompletionKind::Value, replace)
                        .detail("mount type")
                        .doc(t.markdown())
                })
                .collect(),
            "from" => stages(analysis, index, replace),
            "sharing" => values(&["shared", "private", "locked"], v, replace),
            _ => Vec::new(),
        };
    }
    let replace = TextRange::new(offset - current.key.len(), offset);
    let ty = mount_type(earlier);
    let has_type = earlier.iter().any(|p| p.key.eq_ignore_ascii_case("type"));
    let keys = docs::mount_type_doc(ty).map_or(&[][..], |t| t.keys);
    let mut names: Vec<&str> = Vec::new();
    if !has_type {
        names.push("type");
    }
    names.extend(keys.iter().copied());
    names
        .into_iter()
        .filter_map(docs::mount_key_doc)
        .filter(|k| !earlier.iter().any(|p| k.matches(p.key)))
        .filter(|k| k.name.starts_with(current.key))
        .map(|k| {
            let label = if k.syntax.contains("[=") {
                k.name.to_string()
            } else {
                format!("{}=", k.name)
            };
            CompletionItem::new(label, CompletionKind::Value, replace)
                .detail(k.syntax)
                .doc(k.markdown())
        })
        .collect()
}

/// Stages defined before instruction `index` (names, then indices).
fn stages(analysis: &Analysis, index: usize, replace: TextRange) -> Vec<CompletionItem> {
    let model = &analysis.model;
    let current = model.instructions[index].stage.unwrap_or(0);
    let typed = &analysis.text[replace.as_range()];
    let earlier: Vec<_> = model.stages.iter().filter(|s| s.index < current).collect();
    let mut out = Vec::new();
    for s in &earlier {
        if let Some(name) = &s.name {
            out.push(
                CompletionItem::new(name.clone(), CompletionKind::Stage, replace)
                    .detail(format!("stage {}: {}", s.index, s.image))
                    .doc(format!(
                        "Defined on line {}.",
                        line_of_instruction(analysis, s.from)
                    )),
            );
        }
    }
    for s in &earlier {
        let detail = match &s.name {
            Some(n) => format!("stage {} ({n}): {}", s.index, s.image),
            None => format!("stage {}: {}", s.index, s.image),
        };
        out.push(
            CompletionItem::new(s.index.to_string(), CompletionKind::Stage, replace)
                .detail(detail)
                .doc(format!(
                    "Defined on line {}.",
                    line_of_instruction(analysis, s.from)
                )),
        );
    }
    out.retain(|i| {
        i.label
            .to_ascii_lowercase()
            .starts_with(&typed.to_ascii_lowercase())
    });
    out
}

/// If `before` (text up to the cursor) ends in `$NAME` or `${NAME`: the partial
/// name, its range and whether it is braced.
fn variable_context(before: &str, offset: usize) -> Option<(&str, TextRange, bool)> {
    let name_len = before.len()
        - before
            .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_')
            .len();
    let rest = &before[..before.len() - name_len];
    let name = &before[before.len() - name_len..];
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let braced = rest.ends_with("${");
    if !braced && !rest.ends_with('$') {
        return None;
    }
    Some((name, TextRange::new(offset - name_len, offset), braced))
}

fn variables(
    analysis: &Analysis,
    index: usize,
    partial: &str,
    replace: TextRange,
    braced: bool,
    after: &str,
) -> Vec<CompletionItem> {
    let model = &analysis.model;
    let scope = model.instructions[index].scope;
    let close = braced && !after.starts_with('}');
    let matches = |n: &str| {
        n.to_ascii_lowercase()
            .starts_with(&partial.to_ascii_lowercase())
    };
    let item = |name: &str| {
        let it = CompletionItem::new(name, CompletionKind::Variable, replace);
        if close {
            it.insert(format!("{name}}}"))
        } else {
            it
        }
    };
    let mut out = Vec::new();
    for b in model.visible(scope) {
        if !matches(&b.name) {
            continue;
        }
        let kind = match b.kind {
            VarKind::Arg => "ARG",
            VarKind::Env => "ENV",
        };
        let detail = match &b.value {
            Some(v) => format!("{kind} = {v}"),
            None => format!("{kind} (set at build time)"),
        };
        let mut it = item(&b.name).detail(detail);
        if let Some(i) = b.instruction {
            it = it.doc(format!(
                "Declared on line {}.",
                line_of_instruction(analysis, i)
            ));
        }
        out.push(it);
    }
    for name in PREDEFINED_ARGS {
        if !matches(name) || out.iter().any(|i| i.label == *name) {
            continue;
        }
        if model.lookup(scope, name).is_none() && model.lookup_value(scope, name) == Lookup::Unknown
        {
            out.push(item(name).detail("ARG (predefined, set by the builder)"));
        }
    }
    out
}
