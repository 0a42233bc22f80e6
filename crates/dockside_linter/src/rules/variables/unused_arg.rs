use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;

use dockside_semantic::{Base, MAX_ANCESTRY, PROXY_ARGS};
use dockside_syntax::{Body, Instruction, Keyword, TextRange};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an `ARG` nothing uses:
    /// - a global `ARG` (before the first `FROM`) that no `FROM` line (or
    ///   other global `ARG`) references and no stage declares again: global
    ///   ARGs are only visible to `FROM` lines;
    /// - an `ARG` in a stage that no later instruction of the stage
    ///   references, when the stage's later `RUN`s only run commands that do
    ///   not read the environment on their own (`apt-get`, `apk`, `mkdir`,
    ///   `cp`, `echo`, `chmod`, …). A `RUN` that runs a script, `make`, a
    ///   compiler or a package manager of a language may read any build
    ///   argument from its environment, so the ARG counts as used.
    ///
    /// Arguments the builder itself reads (`BUILDKIT_*`, `SOURCE_DATE_EPOCH`),
    /// the proxy arguments and arguments tools read by name
    /// (`DEBIAN_FRONTEND`, `PIP_*`, `NPM_CONFIG_*`, `GOFLAGS`, …) are never
    /// reported. That an `ARG` is declared again in a stage without a value to
    /// use the global default counts as a use of the global one.
    ///
    /// ## Why is this bad?
    /// An unused ARG is dead configuration: `--build-arg` values passed for it
    /// change nothing, which usually means a reference was forgotten (a global
    /// ARG used in a stage without `ARG NAME`) or left behind by a refactoring.
    /// A stage ARG also invalidates the cache of every `RUN` after it when its
    /// value changes, for nothing.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG NODE_VERSION=22
    /// FROM node:20-alpine
    /// ARG COMMIT_SHA
    /// RUN mkdir -p /app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ARG NODE_VERSION=22
    /// FROM node:${NODE_VERSION}-alpine
    /// ARG COMMIT_SHA
    /// LABEL org.opencontainers.image.revision=$COMMIT_SHA
    /// ```
    ///
    /// ## Fix safety
    /// The fix removes an `ARG` instruction that declares only the unused
    /// name. For a global ARG it is safe; in a stage it is unsafe, since a
    /// program run later might still read it from the environment.
    pub struct UnusedArg {
        name: "unused-arg",
        code: "DF703",
        group: "variables",
        severity: Warning,
        aliases: [],
        fix: Sometimes,
        summary: "An ARG is declared but never used",
    }
}

impl Rule for UnusedArg {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let insts = &cx.dockerfile.instructions;
        let refs = References::new(cx);
        let stage_mentions = OnceCell::new();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); cx.model.stages.len()];
        for s in &cx.model.stages {
            if let Base::Stage(parent) = s.base {
                children[parent].push(s.index);
            }
        }
        let first_from = insts
            .iter()
            .position(|i| i.keyword == Keyword::From)
            .unwrap_or(insts.len());
        for (index, inst, info) in cx.instructions() {
            let (Keyword::Arg, Body::Pairs(pairs)) = (&inst.keyword, &inst.body) else {
                continue;
            };
            for pair in pairs {
                let name = pair.key.value.as_str();
                if builder_or_tool_arg(name) {
                    continue;
                }
                if index < first_from {
                    let used = match refs.last_use(name) {
                        Some(last) => last > index,
                        None => insts[index + 1..].iter().any(|other| match other.keyword {
                            Keyword::From => mentions(cx.text(other.range), name),
                            Keyword::Arg => match &other.body {
                                Body::Pairs(ps) => ps.iter().any(|p| {
                                    p.key.value == name
                                        || p.value
                                            .as_ref()
                                            .is_some_and(|v| mentions(&v.value, name))
                                }),
                                _ => false,
                            },
                            _ => false,
                        }),
                    };
                    if !used {
                        let message = format!(
                            "global ARG `{name}` is never used: no FROM line references it and no stage declares it \
                             with `ARG {name}`"
                        );
                        cx.report(with_removal(
                            cx,
                            inst,
                            pairs.len(),
                            pair.key.range,
                            message,
                            true,
                        ));
                    }
                    continue;
                }
                let Some(stage) = info.stage else { continue };
                // The rest of this stage, then the stages built on it (they inherit its ARGs).
                let later: Vec<Range<usize>> =
                    std::iter::once(index + 1..cx.model.stages[stage].end)
                        .chain(
                            descendants(&children, stage)
                                .map(|s| cx.model.stages[s].from + 1..cx.model.stages[s].end),
                        )
                        .collect();
                // The next instructions settle most ARGs; the index, the rest.
                let mut used = false;
                let mut opaque_run = false;
                let mut settled = true;
                for (n, j) in later.iter().flat_map(Range::clone).enumerate() {
                    if n == DIRECT_LOOKS {
                        settled = false;
                        break;
                    }
                    if mentions(&instruction_text(cx, &insts[j]), name) {
                        used = true;
                        break;
                    }
                    opaque_run |= is_opaque(cx, j, &insts[j]);
                }
                if !settled {
                    let index = stage_mentions.get_or_init(|| StageMentions::new(cx));
                    used = later.iter().any(|range| {
                        index.mentioned_within(name, range).unwrap_or_else(|| {
                            range
                                .clone()
                                .any(|j| mentions(&instruction_text(cx, &insts[j]), name))
                        })
                    });
                    opaque_run = later.iter().any(|range| index.opaque_within(range));
                }
                if used || opaque_run {
                    continue;
                }
                let in_from = match refs.last_from(name) {
                    Some(last) => last > index,
                    None => cx
                        .model
                        .stages
                        .iter()
                        .filter(|s| s.from > index)
                        .any(|s| mentions(cx.text(insts[s.from].range), name)),
                };
                let message = if in_from {
                    format!(
                        "ARG `{name}` belongs to this stage and is never used in it; the FROM line that uses \
                         `${name}` only sees global ARGs (declared before the first FROM)"
                    )
                } else {
                    format!(
                        "ARG `{name}` is never used in this stage: reference it (`${name}`) or remove it"
                    )
                };
                if in_from {
                    cx.report(Finding::new(pair.key.range, message));
                    continue;
                }
                cx.report(with_removal(
                    cx,
                    inst,
                    pairs.len(),
                    pair.key.range,
                    message,
                    false,
                ));
            }
        }
    }
}

/// The stages built on `stage`, directly or not, within [`MAX_ANCESTRY`] generations
/// (as far as [`dockside_semantic::Model::stage_ancestry`] looks back).
/// Instructions after a stage ARG looked at one by one before the index is used.
const DIRECT_LOOKS: usize = 64;

fn descendants<'c>(children: &'c [Vec<usize>], stage: usize) -> impl Iterator<Item = usize> + 'c {
    let mut level = children[stage].clone();
    let mut generation = 1;
    std::iter::from_fn(move || {
        if level.is_empty() || generation >= MAX_ANCESTRY {
            return None;
        }
        let next = level
            .iter()
            .flat_map(|&s| children[s].iter().copied())
            .collect();
        generation += 1;
        Some(std::mem::replace(&mut level, next))
    })
    .flatten()
}

fn with_removal(
    cx: &Checker,
    inst: &Instruction,
    pairs: usize,
    at: TextRange,
    message: String,
    safe: bool,
) -> Finding {
    let finding = Finding::new(at, message);
    if pairs != 1 {
        return finding;
    }
    let start = inst.range.start as usize;
    let mut end = inst.range.end as usize;
    let line_start = cx.source[..start].rfind('\n').map_or(0, |p| p + 1);
    if !cx.source[line_start..start].trim().is_empty() {
        return finding;
    }
    if cx.source[end..].starts_with("\r\n") {
        end += 2;
    } else if cx.source[end..].starts_with('\n') {
        end += 1;
    }
    let edit = vec![Edit::delete(TextRange::new(line_start, end))];
    let title = "Remove the unused ARG".to_string();
    finding.with_fix(if safe {
        Fix::safe(title, edit)
    } else {
        Fix::unsafe_(title, edit)
    })
}

/// The instruction's text with its heredoc bodies.
fn instruction_text(cx: &Checker, inst: &Instruction) -> String {
    let mut text = cx.text(inst.range).to_string();
    for h in &inst.heredocs {
        text.push('\n');
        text.push_str(&h.body);
    }
    text
}

/// Where ARG names are referenced (FROM lines, ARG instructions, any instruction
/// of a stage), so that asking about each ARG does not rescan the file.
struct References<'a> {
    /// The last FROM instruction that [`mentions`] a name.
    from: HashMap<&'a str, usize>,
    /// The last FROM or ARG instruction that mentions a name or declares it.
    any: HashMap<&'a str, usize>,
}

/// Which instructions mention which names, for the ARGs that the instructions
/// after them do not settle quickly (built once, when the first such ARG comes).
struct StageMentions<'a> {
    /// Per name, the instructions (ascending) whose text mentions `$name`.
    mentioned_in: HashMap<&'a str, Vec<usize>>,
    /// `opaque_before[j]`: how many of the first `j` instructions are RUNs (or
    /// ONBUILDs) that may read any variable.
    opaque_before: Vec<usize>,
}

impl<'a> References<'a> {
    fn new(cx: &Checker<'a>) -> Self {
        let mut refs = References {
            from: HashMap::new(),
            any: HashMap::new(),
        };
        for (i, inst) in cx.dockerfile.instructions.iter().enumerate() {
            match (&inst.keyword, &inst.body) {
                (Keyword::From, _) => {
                    for name in dollar_names(cx.text(inst.range)) {
                        refs.from.insert(name, i);
                        refs.any.insert(name, i);
                    }
                }
                (Keyword::Arg, Body::Pairs(pairs)) => {
                    for p in pairs {
                        refs.any.insert(&p.key.value, i);
                        for name in p.value.iter().flat_map(|v| dollar_names(&v.value)) {
                            refs.any.insert(name, i);
                        }
                    }
                }
                _ => {}
            }
        }
        refs
    }

    /// The last FROM that mentions `name`; `Some(0)` when none does. `None` when the
    /// index cannot answer (a name that is not an identifier).
    fn last_from(&self, name: &str) -> Option<usize> {
        is_identifier(name).then(|| self.from.get(name).copied().unwrap_or(0))
    }

    /// The last FROM or ARG that mentions or declares `name` (see [`Self::last_from`]).
    fn last_use(&self, name: &str) -> Option<usize> {
        is_identifier(name).then(|| self.any.get(name).copied().unwrap_or(0))
    }
}

impl<'a> StageMentions<'a> {
    fn new(cx: &Checker<'a>) -> Self {
        let insts = &cx.dockerfile.instructions;
        let mut index = StageMentions {
            mentioned_in: HashMap::new(),
            opaque_before: Vec::with_capacity(insts.len() + 1),
        };
        index.opaque_before.push(0);
        for (i, inst) in insts.iter().enumerate() {
            let texts = std::iter::once(cx.text(inst.range))
                .chain(inst.heredocs.iter().map(|h| h.body.as_str()));
            for name in texts.flat_map(dollar_names) {
                let at = index.mentioned_in.entry(name).or_default();
                if at.last() != Some(&i) {
                    at.push(i);
                }
            }
            let opaque = is_opaque(cx, i, inst);
            index
                .opaque_before
                .push(index.opaque_before[i] + usize::from(opaque));
        }
        index
    }

    /// Whether an instruction in `range` mentions `$name`; `None` when the index
    /// cannot answer (a name that is not an identifier).
    fn mentioned_within(&self, name: &str, range: &Range<usize>) -> Option<bool> {
        if !is_identifier(name) {
            return None;
        }
        let Some(at) = self.mentioned_in.get(name) else {
            return Some(false);
        };
        let first = at.partition_point(|&i| i < range.start);
        Some(at.get(first).is_some_and(|&i| i < range.end))
    }

    /// Whether `range` holds a RUN or ONBUILD that may read any variable.
    fn opaque_within(&self, range: &Range<usize>) -> bool {
        range.start < range.end && self.opaque_before[range.end] > self.opaque_before[range.start]
    }
}

/// A RUN or ONBUILD that may read any variable.
fn is_opaque(cx: &Checker, index: usize, inst: &Instruction) -> bool {
    (inst.keyword == Keyword::Run && !env_agnostic_run(cx, index))
        || inst.keyword == Keyword::Onbuild
}

fn is_identifier(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// The names [`mentions`] finds in `text`: the identifier after each `$` or `${`.
fn dollar_names(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('$').filter_map(move |(at, _)| {
        let rest = &text[at + 1..];
        let rest = rest.strip_prefix('{').unwrap_or(rest);
        let len = rest
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
            .count();
        (len > 0).then(|| &rest[..len])
    })
}

pub(crate) fn mentions(text: &str, name: &str) -> bool {
    let mut from = 0;
    while let Some(pos) = text[from..].find('$') {
        let at = from + pos + 1;
        from = at;
        let rest = &text[at..];
        let rest = rest.strip_prefix('{').unwrap_or(rest);
        if let Some(after) = rest.strip_prefix(name) {
            let next = after.as_bytes().first();
            if !next.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
                return true;
            }
        }
    }
    false
}

/// Arguments read by the builder or by tools through their name.
fn builder_or_tool_arg(name: &str) -> bool {
    if PROXY_ARGS.contains(&name) {
        return true;
    }
    const NAMES: &[&str] = &[
        "SOURCE_DATE_EPOCH",
        "DEBIAN_FRONTEND",
        "DEBCONF_NOWARNINGS",
        "APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE",
        "GOFLAGS",
        "GOPROXY",
        "GOPRIVATE",
        "GONOSUMDB",
        "GOOS",
        "GOARCH",
        "GOARM",
        "CGO_ENABLED",
        "NODE_ENV",
        "NODE_OPTIONS",
        "MAVEN_OPTS",
        "GRADLE_OPTS",
        "JAVA_TOOL_OPTIONS",
        "CFLAGS",
        "CXXFLAGS",
        "LDFLAGS",
        "CC",
        "CXX",
        "MAKEFLAGS",
        "RUSTFLAGS",
        "TZ",
        "LANG",
        "LC_ALL",
        "HOME",
        "PATH",
        "UV_COMPILE_BYTECODE",
        "UV_LINK_MODE",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONUNBUFFERED",
        "TERM",
    ];
    let prefixes = [
        "BUILDKIT_",
        "PIP_",
        "NPM_CONFIG_",
        "npm_config_",
        "YARN_",
        "POETRY_",
        "UV_",
        "CARGO_",
        "COMPOSER_",
        "BUNDLE_",
        "CONDA_",
        "MAMBA_",
        "HF_",
        "DOCKER_",
    ];
    NAMES.contains(&name) || prefixes.iter().any(|p| name.starts_with(p))
}

/// Every command of the RUN is one that does not read build arguments from its environment.
fn env_agnostic_run(cx: &Checker, index: usize) -> bool {
    const AGNOSTIC: &[&str] = &[
        "apt-get",
        "apt",
        "apk",
        "yum",
        "dnf",
        "microdnf",
        "zypper",
        "rm",
        "mkdir",
        "cp",
        "mv",
        "ln",
        "chmod",
        "chown",
        "chgrp",
        "touch",
        "echo",
        "printf",
        "cat",
        "ls",
        "cd",
        "true",
        "false",
        "set",
        "useradd",
        "adduser",
        "groupadd",
        "addgroup",
        "usermod",
        "tar",
        "unzip",
        "gzip",
        "gunzip",
        "sed",
        "grep",
        "find",
        "xargs",
        "test",
        "[",
        "curl",
        "wget",
        "update-ca-certificates",
        "ldconfig",
        "sleep",
        "tee",
        "install",
        "dpkg",
        "rpm",
        "update-alternatives",
        "locale-gen",
        "localedef",
        "ln",
        "id",
        "whoami",
        "sort",
        "head",
        "tail",
        "wc",
        "tr",
        "cut",
        "awk",
        "sha256sum",
        "md5sum",
        "gpg",
        "rmdir",
        "which",
        "command",
        "exit",
    ];
    let info = &cx.model.instructions[index];
    if info.scripts.is_empty() {
        // Exec form, or a shell we do not parse: anything may read the environment.
        return false;
    }
    info.scripts.iter().all(|code| {
        code.script
            .commands
            .iter()
            .all(|c| c.program().is_none_or(|p| AGNOSTIC.contains(&p)))
    })
}
