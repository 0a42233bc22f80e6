//! The semantic model of a Dockerfile: stages, variable scopes, working
//! directories, what each COPY/ADD brings in, and the shell code of each
//! instruction parsed into a command model.

use foldhash::HashMap;
use std::sync::Arc;

use dockside_shell::CompactString;

use dockside_shell::Script;
use dockside_syntax::{
    Body, CommandForm, Dockerfile, Healthcheck, Instruction, Keyword, MappedText, TextRange, Word,
};

use crate::expand::{self, Expansion, Lookup};
use crate::image::{ImageRef, parse_image_ref};

/// ARGs BuildKit defines for every build.
pub const PREDEFINED_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETSTAGE",
    "BUILDKIT_SYNTAX",
];

/// Proxy build args usable in RUN without being declared.
pub const PROXY_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

#[derive(Clone, Debug)]
pub struct Model {
    pub stages: Vec<Stage>,
    /// Per instruction of the Dockerfile (same index).
    pub instructions: Vec<InstructionInfo>,
    pub copies: Vec<CopyOp>,
    bindings: Vec<Binding>,
    /// Binding indices per name, ascending, for lookups that stay fast with
    /// thousands of ARG/ENV instructions.
    by_name: HashMap<CompactString, Vec<usize>>,
    /// The first stage of each name (lowercased).
    stage_names: HashMap<String, usize>,
    escape: char,
    /// The first instruction whose shell code was not analysed because the file's
    /// shell code passed the limit (see [`MAX_SHELL_SOURCE`]).
    pub shell_limit_reached_at: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct Stage {
    pub index: usize,
    pub name: Option<String>,
    pub name_range: Option<TextRange>,
    /// Instruction index of the FROM.
    pub from: usize,
    /// One past the last instruction of the stage.
    pub end: usize,
    pub base: Base,
    /// The image text after expanding ARGs.
    pub image: String,
    pub image_range: TextRange,
    /// Whether the image text is fully known (no build-time-only ARG in it).
    pub image_complete: bool,
    /// Effective ENTRYPOINT / CMD instruction indices (inherited from a parent stage).
    pub entrypoint: Option<usize>,
    pub cmd: Option<usize>,
}

impl Stage {
    pub fn instructions(&self) -> std::ops::Range<usize> {
        self.from..self.end
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    Scratch,
    Stage(usize),
    Image(ImageRef),
    /// The reference could not be parsed (invalid or unknown at lint time).
    Unresolved(String),
}

/// The shell that runs RUN and shell-form CMD/ENTRYPOINT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShellKind {
    /// POSIX-like shell: the executable's basename (`sh`, `bash`, `ash`, …).
    Posix(String),
    PowerShell,
    Cmd,
    Other(String),
}

impl ShellKind {
    pub fn is_posix(&self) -> bool {
        matches!(self, ShellKind::Posix(_))
    }
}

#[derive(Clone, Debug)]
pub struct InstructionInfo {
    pub stage: Option<usize>,
    /// Variable scope in effect when the instruction runs.
    pub scope: Scope,
    /// Absolute working directory, when known (shared by the instructions it applies to).
    pub workdir: Arc<str>,
    pub shell: ShellKind,
    /// Shell code run by this instruction (shell-form command, shell heredoc bodies).
    pub scripts: Vec<ShellCode>,
    /// The image layer this instruction creates, counting from 0 in its stage.
    pub layer: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct ShellCode {
    pub origin: ScriptOrigin,
    /// The shell source; `text.source_range` maps script ranges into the Dockerfile
    /// (shared with the instruction).
    pub text: Arc<MappedText>,
    pub script: Script,
}

impl ShellCode {
    pub fn source_range(&self, range: std::ops::Range<usize>) -> TextRange {
        self.text.source_range(range)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptOrigin {
    /// The instruction's own shell-form text.
    Line,
    /// The body of the instruction's n-th heredoc.
    Heredoc(usize),
}

/// Identifies a point in the chain of variable bindings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope {
    head: Option<usize>,
    /// Whether predefined ARGs are visible without declaration (the global scope of FROM lines).
    global: bool,
}

#[derive(Clone, Debug)]
pub struct Binding {
    /// Names and most values are short: kept inline, without an allocation each
    /// (a generated file can declare hundreds of thousands).
    pub name: CompactString,
    pub value: Option<CompactString>,
    pub kind: VarKind,
    /// Declaring instruction and the range of the name.
    pub instruction: Option<usize>,
    pub range: TextRange,
    prev: Option<usize>,
    /// First binding of the chain this binding belongs to: a chain is always a
    /// contiguous run of indices (`prev` is the index just before, or `None`).
    chain_start: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    Arg,
    Env,
}

#[derive(Clone, Debug)]
pub struct CopyOp {
    pub instruction: usize,
    pub stage: usize,
    pub from: CopySource,
    /// Sources after expansion (context-relative for `CopySource::Context`), with their words.
    pub sources: Vec<(String, Word)>,
    /// Absolute destination after expansion and WORKDIR resolution.
    pub dest: String,
    /// The destination names a directory (ends in `/`, or several sources).
    pub dest_is_dir: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopySource {
    Context,
    Stage(usize),
    /// `--from=<image>` or a named build context.
    Other(String),
    /// ADD of a URL or git repository.
    Remote,
    Heredoc,
}

/// A file of the image traced back to the build context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub copy: usize,
    /// Path relative to the build context.
    pub context_path: String,
}

impl Model {
    pub fn build(df: &Dockerfile) -> Model {
        Builder::new(df, &[], MAX_SHELL_SOURCE).run()
    }

    /// Like [`Model::build`], with build arguments given from outside (`docker build
    /// --build-arg NAME=value`, a Compose service's `build.args`): a declared ARG takes the
    /// given value instead of its default. Arguments no ARG declares change nothing.
    pub fn build_with_args(df: &Dockerfile, build_args: &[(String, String)]) -> Model {
        Builder::new(df, build_args, MAX_SHELL_SOURCE).run()
    }

    /// Like [`Model::build_with_args`], analysing at most `max_shell_source` bytes
    /// of instructions holding shell code (see [`MAX_SHELL_SOURCE`]).
    pub fn build_limited(
        df: &Dockerfile,
        build_args: &[(String, String)],
        max_shell_source: usize,
    ) -> Model {
        Builder::new(df, build_args, max_shell_source).run()
    }

    pub fn lookup(&self, scope: Scope, name: &str) -> Option<&Binding> {
        let head = scope.head?;
        let start = self.bindings[head].chain_start;
        let indices = self.by_name.get(name)?;
        let at = indices.partition_point(|&i| i <= head).checked_sub(1)?;
        let i = indices[at];
        (i >= start).then(|| &self.bindings[i])
    }

    /// The bindings of a scope, innermost first, shadowed ones included: cheaper
    /// than [`Model::visible`] when duplicates do not matter.
    pub fn scope_chain(&self, scope: Scope) -> impl Iterator<Item = &Binding> {
        std::iter::successors(scope.head.map(|i| &self.bindings[i]), |b| {
            b.prev.map(|i| &self.bindings[i])
        })
    }

    /// All bindings visible in a scope, innermost first, shadowed ones removed.
    pub fn visible(&self, scope: Scope) -> Vec<&Binding> {
        let mut out: Vec<&Binding> = Vec::new();
        let mut seen: foldhash::HashSet<&str> = foldhash::HashSet::default();
        let mut cur = scope.head;
        while let Some(i) = cur {
            let b = &self.bindings[i];
            if seen.insert(b.name.as_str()) {
                out.push(b);
            }
            cur = b.prev;
        }
        out
    }

    pub fn lookup_value(&self, scope: Scope, name: &str) -> Lookup {
        match self.lookup(scope, name) {
            Some(b) => b
                .value
                .as_ref()
                .map_or(Lookup::Unknown, |v| Lookup::Value(v.to_string())),
            None if scope.global && PREDEFINED_ARGS.contains(&name) => Lookup::Unknown,
            None => Lookup::Undefined,
        }
    }

    /// Expands `$VAR`s and removes quotes in `raw` with the scope of instruction `index`.
    pub fn expand(&self, index: usize, raw: &str) -> Expansion {
        let scope = self.instructions[index].scope;
        expand::expand(raw, self.escape, &|name| self.lookup_value(scope, name))
    }

    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        self.instructions
            .get(instruction)?
            .stage
            .map(|s| &self.stages[s])
    }

    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The first stage named `name` (case-insensitively, as BuildKit compares them).
    pub fn stage_by_name(&self, name: &str) -> Option<&Stage> {
        let index = self.stage_names.get(&name.to_ascii_lowercase())?;
        self.stages.get(*index)
    }

    /// Stages this stage builds on (itself first, then its base stages), at most
    /// [`MAX_ANCESTRY`] of them.
    pub fn stage_ancestry(&self, stage: usize) -> Vec<usize> {
        let mut out = vec![stage];
        let mut cur = stage;
        // A base stage comes before the stage: no cycles.
        while let Base::Stage(parent) = self.stages[cur].base
            && out.len() < MAX_ANCESTRY
        {
            out.push(parent);
            cur = parent;
        }
        out
    }

    /// Finds which COPY/ADD from the build context put `image_path` into the
    /// image of `stage` before instruction `before` (searching base stages too).
    pub fn locate_in_context(
        &self,
        stage: usize,
        image_path: &str,
        before: usize,
    ) -> Option<Located> {
        let path = normalize_abs(image_path);
        for s in self.stage_ancestry(stage) {
            for (ci, c) in self.copies_of(s).rev() {
                if c.instruction >= before || c.from != CopySource::Context {
                    continue;
                }
                for (src, _) in c.sources.iter().rev() {
                    if let Some(found) = trace(src, &c.dest, c.dest_is_dir, &path) {
                        return Some(Located {
                            copy: ci,
                            context_path: found,
                        });
                    }
                }
            }
        }
        None
    }

    /// The COPY/ADD operations of `stage` with their index in `copies` (recorded in
    /// instruction order, so a stage's are contiguous).
    pub fn copies_of(&self, stage: usize) -> impl DoubleEndedIterator<Item = (usize, &CopyOp)> {
        let start = self.copies.partition_point(|c| c.stage < stage);
        let end = self.copies.partition_point(|c| c.stage <= stage);
        self.copies[start..end]
            .iter()
            .enumerate()
            .map(move |(k, c)| (start + k, c))
    }

    /// Resolves a path used at instruction `index` against its WORKDIR.
    pub fn absolute_path(&self, index: usize, path: &str) -> String {
        resolve_path(&self.instructions[index].workdir, path)
    }
}

/// If copying `src` to `dest` could have produced `path`, the context path it came from.
fn trace(src: &str, dest: &str, dest_is_dir: bool, path: &str) -> Option<String> {
    let src_clean = src.trim_start_matches("./").trim_end_matches('/');
    let whole_context = src_clean.is_empty() || src_clean == ".";
    let base = src_clean.rsplit('/').next().unwrap_or(src_clean);
    let dest = dest.trim_end_matches('/');
    // File copied onto a file path.
    if !dest_is_dir && !whole_context && path == dest {
        return Some(src_clean.to_string());
    }
    let rel = if dest.is_empty() {
        path.strip_prefix('/')?
    } else {
        path.strip_prefix(dest)?.strip_prefix('/')?
    };
    if whole_context {
        return Some(rel.to_string());
    }
    // File copied into a directory keeps its base name.
    if rel == base {
        return Some(src_clean.to_string());
    }
    // Directory copied: its contents land in dest.
    if !src_clean.contains(['*', '?', '[']) {
        return Some(format!("{src_clean}/{rel}"));
    }
    None
}

/// The most bytes of ARG and ENV values the model keeps; later values are
/// known only at build time. `ENV PATH=$PATH:/opt/bin` repeated 100,000 times
/// would otherwise keep gigabytes (each value is longer than the last).
pub const MAX_STORED_VALUES: usize = 16 << 20;

/// The most bytes of instructions with shell code (`RUN`, shell-form `CMD` and
/// `ENTRYPOINT`, their heredocs) whose scripts the model analyses per file; later
/// ones are kept as text only. A script's model takes about twenty times its
/// text: 200,000 lines of `RUN apt-get … && curl … | sh` would otherwise take
/// gigabytes. Real Dockerfiles hold a few kilobytes of shell code.
pub const MAX_SHELL_SOURCE: usize = 4 << 20;

/// How many stages [`Model::stage_ancestry`] follows: far more than real
/// Dockerfiles chain, few enough that rules asking it for every stage of a
/// generated 100,000-stage file stay linear.
pub const MAX_ANCESTRY: usize = 64;

/// Linux's limit on a path's length, in bytes.
const PATH_MAX: usize = 4096;

pub fn resolve_path(workdir: &str, path: &str) -> String {
    if path.starts_with('/') {
        normalize_abs(path)
    } else {
        normalize_components(
            workdir.split('/').chain(path.split('/')),
            workdir.len() + path.len(),
        )
    }
}

fn normalize_abs(path: &str) -> String {
    normalize_components(path.split('/'), path.len())
}

/// `/` followed by the components without `.`, empty ones and those a `..` cancels.
fn normalize_components<'p>(components: impl Iterator<Item = &'p str>, len: usize) -> String {
    let mut out = String::with_capacity(len + 1);
    for p in components {
        match p {
            "" | "." => {}
            ".." => {
                let parent = out.rfind('/').unwrap_or(0);
                out.truncate(parent);
            }
            p => {
                out.push('/');
                out.push_str(p);
            }
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

struct Builder<'a> {
    df: &'a Dockerfile,
    build_args: &'a [(String, String)],
    model: Model,
    global_head: Option<usize>,
    /// The variable scope at the end of each finished stage.
    stage_heads: Vec<Option<usize>>,
    /// Bytes of variable values stored so far (see [`MAX_STORED_VALUES`]).
    stored_values: usize,
    /// Bytes of instructions whose shell code was analysed, and the most allowed.
    shell_source: usize,
    max_shell_source: usize,
}

impl<'a> Builder<'a> {
    fn new(
        df: &'a Dockerfile,
        build_args: &'a [(String, String)],
        max_shell_source: usize,
    ) -> Self {
        Builder {
            df,
            build_args,
            model: Model {
                stages: Vec::new(),
                instructions: Vec::with_capacity(df.instructions.len()),
                copies: Vec::new(),
                bindings: Vec::new(),
                by_name: HashMap::default(),
                stage_names: HashMap::default(),
                escape: df.escape,
                shell_limit_reached_at: None,
            },
            global_head: None,
            stage_heads: Vec::new(),
            stored_values: 0,
            shell_source: 0,
            max_shell_source,
        }
    }

    /// Whether the shell code of `inst` (the instruction at `index`) is analysed:
    /// until the instructions analysed pass `max_shell_source` bytes.
    fn within_shell_limit(&mut self, index: usize, inst: &Instruction) -> bool {
        let runs_shell_code = matches!(
            inst.keyword,
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
        );
        if self.model.shell_limit_reached_at.is_some() {
            return false;
        }
        if !runs_shell_code {
            return true;
        }
        self.shell_source += (inst.range.end - inst.range.start) as usize;
        if self.shell_source <= self.max_shell_source {
            return true;
        }
        self.model.shell_limit_reached_at = Some(index);
        false
    }

    fn bind(
        &mut self,
        head: Option<usize>,
        name: &str,
        value: Option<String>,
        kind: VarKind,
        inst: usize,
        range: TextRange,
    ) -> usize {
        let value = value.filter(|v| {
            self.stored_values += v.len();
            self.stored_values <= MAX_STORED_VALUES
        });
        self.push_binding(Binding {
            name: CompactString::from(name),
            value: value.map(CompactString::from),
            kind,
            instruction: Some(inst),
            range,
            prev: head,
            chain_start: 0,
        })
    }

    /// Appends a binding after `binding.prev`, which must be the last binding
    /// (chains are contiguous runs of indices).
    fn push_binding(&mut self, mut binding: Binding) -> usize {
        let index = self.model.bindings.len();
        debug_assert!(
            binding.prev.is_none_or(|p| p + 1 == index),
            "binding chains must be contiguous"
        );
        binding.chain_start = binding
            .prev
            .map_or(index, |p| self.model.bindings[p].chain_start);
        match self.model.by_name.get_mut(binding.name.as_str()) {
            Some(indices) => indices.push(index),
            None => {
                self.model.by_name.insert(binding.name.clone(), vec![index]);
            }
        }
        self.model.bindings.push(binding);
        index
    }

    fn run(mut self) -> Model {
        let df = self.df;
        let mut head: Option<usize> = None;
        let mut stage: Option<usize> = None;
        let mut workdir: Arc<str> = Arc::from("/");
        let mut shell = ShellKind::Posix("sh".into());
        let mut layer = 0usize;
        // `# hadolint shell=pwsh`: the shell RUN is analysed with, from that comment on.
        let mut pragmas = shell_pragmas(df).into_iter().peekable();
        let mut pragma_shell: Option<ShellKind> = None;

        for (i, inst) in df.instructions.iter().enumerate() {
            let in_global = stage.is_none();
            while let Some((_, kind)) = pragmas.next_if(|(at, _)| *at < inst.range.start) {
                shell = kind.clone();
                pragma_shell = Some(kind);
            }
            if inst.keyword == Keyword::From {
                if let Some(s) = stage {
                    self.model.stages[s].end = i;
                    self.stage_heads.push(head);
                }
                let s = self.start_stage(i, inst);
                stage = Some(s);
                // A stage inherits ENV, WORKDIR and SHELL from a parent stage.
                head = None;
                workdir = Arc::from("/");
                shell = pragma_shell
                    .clone()
                    .unwrap_or_else(|| default_shell(&self.model.stages[s].base));
                if let Base::Stage(p) = self.model.stages[s].base {
                    head = self.inherit_env(p);
                    if let Some(last) = self.model.stages[p].end.checked_sub(1)
                        && let Some(info) = self.model.instructions.get(last)
                    {
                        workdir = info.workdir.clone();
                        shell = info.shell.clone();
                    }
                }
                layer = 0;
            }
            // FROM lines see the global ARGs; so does everything before the first FROM.
            let scope = if in_global || inst.keyword == Keyword::From {
                Scope {
                    head: self.global_head,
                    global: true,
                }
            } else {
                Scope {
                    head,
                    global: false,
                }
            };
            let scripts = if shell.is_posix() && self.within_shell_limit(i, inst) {
                shell_scripts(inst)
            } else {
                Vec::new()
            };
            let creates_layer = inst.keyword.creates_layer() && stage.is_some();
            self.model.instructions.push(InstructionInfo {
                stage,
                scope,
                workdir: workdir.clone(),
                shell: shell.clone(),
                scripts,
                layer: creates_layer.then_some(layer),
            });
            if creates_layer {
                layer += 1;
            }

            match (&inst.keyword, &inst.body) {
                (Keyword::Arg, Body::Pairs(pairs)) => {
                    for p in pairs {
                        let given = self
                            .build_args
                            .iter()
                            .rev()
                            .find(|(name, _)| *name == p.key.value)
                            .map(|(_, value)| value.clone());
                        let value = match &p.value {
                            _ if given.is_some() => given,
                            Some(v) => {
                                let e = self.model.expand(i, &v.value);
                                e.complete.then_some(e.value)
                            }
                            // `ARG NAME` in a stage takes the global default.
                            None if !in_global => self.global_default(&p.key.value),
                            None => None,
                        };
                        if in_global {
                            self.global_head = Some(self.bind(
                                self.global_head,
                                &p.key.value,
                                value,
                                VarKind::Arg,
                                i,
                                p.key.range,
                            ));
                        } else {
                            head = Some(self.bind(
                                head,
                                &p.key.value,
                                value,
                                VarKind::Arg,
                                i,
                                p.key.range,
                            ));
                        }
                    }
                }
                (Keyword::Env, Body::Pairs(pairs)) if !in_global => {
                    let mut new_head = head;
                    for p in pairs {
                        let value = p.value.as_ref().and_then(|v| {
                            let e = self.model.expand(i, &v.value);
                            e.complete.then_some(e.value)
                        });
                        new_head = Some(self.bind(
                            new_head,
                            &p.key.value,
                            value,
                            VarKind::Env,
                            i,
                            p.key.range,
                        ));
                    }
                    head = new_head;
                }
                (Keyword::Workdir, Body::Words(words)) if !words.is_empty() => {
                    let e = self.model.expand(i, &words[0].value);
                    let resolved = resolve_path(&workdir, &e.value);
                    // Longer than Linux's PATH_MAX the build fails anyway; keeping the
                    // last usable folder bounds a chain of relative WORKDIRs.
                    if resolved.len() <= PATH_MAX && *resolved != *workdir {
                        workdir = resolved.into();
                    }
                }
                (Keyword::Shell, Body::Shell(words)) if !words.is_empty() => {
                    shell = classify_shell(&words[0].value);
                }
                (Keyword::Copy | Keyword::Add, Body::Paths { paths, .. }) => {
                    if let Some(s) = stage {
                        self.record_copy(i, s, inst, paths);
                    }
                }
                (Keyword::Entrypoint, _) => {
                    if let Some(s) = stage {
                        self.model.stages[s].entrypoint = Some(i);
                        // Setting ENTRYPOINT resets a CMD inherited from the base.
                        if self.model.stages[s]
                            .cmd
                            .is_some_and(|c| c < self.model.stages[s].from)
                        {
                            self.model.stages[s].cmd = None;
                        }
                    }
                }
                (Keyword::Cmd, _) => {
                    if let Some(s) = stage {
                        self.model.stages[s].cmd = Some(i);
                    }
                }
                _ => {}
            }
        }
        if let Some(s) = stage {
            self.model.stages[s].end = df.instructions.len();
        }
        self.model
    }

    fn global_default(&self, name: &str) -> Option<String> {
        let mut cur = self.global_head;
        while let Some(i) = cur {
            let b = &self.model.bindings[i];
            if b.name == name {
                return b.value.as_ref().map(CompactString::to_string);
            }
            cur = b.prev;
        }
        None
    }

    fn inherit_env(&mut self, parent: usize) -> Option<usize> {
        let scope = Scope {
            head: self.stage_heads.get(parent).copied().flatten(),
            global: false,
        };
        let envs: Vec<Binding> = self
            .model
            .visible(scope)
            .into_iter()
            .filter(|b| b.kind == VarKind::Env)
            .cloned()
            .collect();
        let mut head = None;
        for b in envs.into_iter().rev() {
            head = Some(self.push_binding(Binding { prev: head, ..b }));
        }
        head
    }

    fn start_stage(&mut self, i: usize, inst: &Instruction) -> usize {
        let index = self.model.stages.len();
        let (raw_image, image_range, name, name_range) = match &inst.body {
            Body::From(f) => (
                f.image
                    .as_ref()
                    .map(|w| w.value.to_string())
                    .unwrap_or_default(),
                f.image.as_ref().map_or(inst.keyword_range, |w| w.range),
                f.name.as_ref().map(|w| w.value.clone()),
                f.name.as_ref().map(|w| w.range),
            ),
            _ => (String::new(), inst.keyword_range, None, None),
        };
        let scope = Scope {
            head: self.global_head,
            global: true,
        };
        let e = expand::expand(&raw_image, self.df.escape, &|n| {
            self.model.lookup_value(scope, n)
        });
        let base = if let Some(parent) = self.model.stage_by_name(&e.value) {
            Base::Stage(parent.index)
        } else if e.value.eq_ignore_ascii_case("scratch") {
            Base::Scratch
        } else if !e.complete {
            Base::Unresolved(e.value.clone())
        } else {
            match parse_image_ref(&e.value) {
                Ok(r) => Base::Image(r),
                Err(_) => Base::Unresolved(e.value.clone()),
            }
        };
        let inherited = match base {
            Base::Stage(p) => (self.model.stages[p].entrypoint, self.model.stages[p].cmd),
            _ => (None, None),
        };
        self.model.stages.push(Stage {
            index,
            name: name.map(String::from),
            name_range,
            from: i,
            end: i + 1,
            base,
            image: e.value,
            image_range,
            image_complete: e.complete,
            entrypoint: inherited.0,
            cmd: inherited.1,
        });
        if let Some(name) = &self.model.stages[index].name {
            self.model
                .stage_names
                .entry(name.to_ascii_lowercase())
                .or_insert(index);
        }
        index
    }

    fn record_copy(&mut self, i: usize, stage: usize, inst: &Instruction, paths: &[Word]) {
        let Some((dest_word, sources)) = paths.split_last() else {
            return;
        };
        let from = match inst.flag("from").and_then(|f| f.value.as_deref()) {
            Some(f) => {
                let v = self.model.expand(i, f).value;
                match self.model.stage_by_name(&v).filter(|s| s.index < stage) {
                    Some(s) => CopySource::Stage(s.index),
                    None => match v.parse::<usize>() {
                        Ok(n) if n < stage => CopySource::Stage(n),
                        _ => CopySource::Other(v),
                    },
                }
            }
            None => CopySource::Context,
        };
        let dest_raw = self.model.expand(i, &dest_word.value).value;
        let workdir = self.model.instructions[i].workdir.clone();
        let dest = resolve_path(&workdir, &dest_raw);
        let dest_is_dir = dest_raw.ends_with('/')
            || sources.len() > 1
            || dest_raw == "."
            || dest_raw.ends_with("/.");
        let heredoc_names: Vec<&str> = inst.heredocs.iter().map(|h| h.name.as_str()).collect();
        let mut context_sources = Vec::new();
        let mut kinds = Vec::new();
        for w in sources {
            let v = self.model.expand(i, &w.value).value;
            let is_heredoc = v.starts_with("<<") && heredoc_names.iter().any(|n| v.ends_with(n));
            let is_remote = inst.keyword == Keyword::Add && is_remote_source(&v);
            let kind = if is_heredoc {
                CopySource::Heredoc
            } else if is_remote {
                CopySource::Remote
            } else {
                from.clone()
            };
            kinds.push(kind);
            context_sources.push((v, w.clone()));
        }
        // Group sources by origin so every CopyOp has one origin.
        let mut groups: Vec<(CopySource, Vec<(String, Word)>)> = Vec::new();
        for (kind, src) in kinds.into_iter().zip(context_sources) {
            match groups.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, v)) => v.push(src),
                None => groups.push((kind, vec![src])),
            }
        }
        for (kind, sources) in groups {
            self.model.copies.push(CopyOp {
                instruction: i,
                stage,
                from: kind,
                sources,
                dest: dest.clone(),
                dest_is_dir,
            });
        }
    }
}

pub fn is_remote_source(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("git@")
        || lower.starts_with("git://")
}

/// `# hadolint shell=<name>` comments, in order: where each is and the shell it names.
fn shell_pragmas(df: &Dockerfile) -> Vec<(u32, ShellKind)> {
    df.comments
        .iter()
        .filter_map(|c| {
            let rest = c.text.trim().strip_prefix("hadolint")?;
            let rest = rest.strip_prefix(char::is_whitespace)?.trim_start();
            let value = rest.strip_prefix("shell")?.trim_start().strip_prefix('=')?;
            let name = value.split_whitespace().next()?;
            Some((c.range.start, classify_shell(name)))
        })
        .collect()
}

fn default_shell(base: &Base) -> ShellKind {
    match base {
        Base::Image(r)
            if r.repository.contains("windows")
                || r.repository.contains("nanoserver")
                || r.repository.contains("servercore") =>
        {
            ShellKind::Cmd
        }
        _ => ShellKind::Posix("sh".into()),
    }
}

pub fn classify_shell(executable: &str) -> ShellKind {
    let base = executable
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(executable)
        .to_ascii_lowercase();
    let base = base.strip_suffix(".exe").unwrap_or(&base).to_string();
    match base.as_str() {
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "busybox" => {
            ShellKind::Posix(base)
        }
        "pwsh" | "powershell" => ShellKind::PowerShell,
        "cmd" => ShellKind::Cmd,
        _ => ShellKind::Other(base),
    }
}

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];

/// The shell code an instruction runs: the shell-form text, and heredoc bodies
/// that are shell scripts (`RUN <<EOF`, `RUN bash <<EOF`, or a shell shebang).
fn shell_scripts(inst: &Instruction) -> Vec<ShellCode> {
    let command = match (&inst.keyword, &inst.body) {
        (
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint,
            Body::Command(CommandForm::Shell(s)),
        ) => Some(s),
        (
            Keyword::Healthcheck,
            Body::Healthcheck(Healthcheck::Cmd {
                command: CommandForm::Shell(s),
                ..
            }),
        ) => Some(s),
        _ => None,
    };
    let mut out = Vec::new();
    let Some(shell_form) = command else {
        return out;
    };
    if shell_form.text.is_empty() {
        return out;
    }
    let only_heredocs = !inst.heredocs.is_empty()
        && shell_form.text.as_str().split_whitespace().all(|w| {
            w.trim_start_matches(|c: char| c.is_ascii_digit())
                .starts_with("<<")
        });
    // A line of heredoc markers alone runs nothing itself: its bodies are the scripts.
    let line_script = (!only_heredocs).then(|| dockside_shell::parse(shell_form.text.as_str()));
    let line_program = line_script
        .as_ref()
        .and_then(|s| s.commands.first())
        .and_then(|c| c.program().map(str::to_string));
    for (n, doc) in inst.heredocs.iter().enumerate() {
        let shebang = dockside_shell::shebang_interpreter(&doc.body);
        let is_shell = match &shebang {
            Some(interp) => SHELLS.contains(&interp.as_str()),
            None => only_heredocs || line_program.as_deref().is_some_and(|p| SHELLS.contains(&p)),
        };
        if is_shell && inst.keyword == Keyword::Run {
            let text = Arc::new(doc.body_map.clone());
            let script = dockside_shell::parse(text.as_str());
            out.push(ShellCode {
                origin: ScriptOrigin::Heredoc(n),
                text,
                script,
            });
        }
    }
    if let Some(script) = line_script {
        out.insert(
            0,
            ShellCode {
                origin: ScriptOrigin::Line,
                text: Arc::clone(&shell_form.text),
                script,
            },
        );
    }
    out.shrink_to_fit();
    out
}
