//! What the container's main process is, shared by the `process` rules.
//!
//! [`resolve`] follows a stage's effective ENTRYPOINT/CMD through wrappers
//! (`tini`, `gosu`, `exec`, …), `sh -c "…"` strings, entrypoint scripts of the
//! build context that end in `exec "$@"`, and shell-form text, down to the
//! command that ends up running as the container's main process. It records
//! every shell layer it crossed on the way (for `entrypoint-without-exec`).
//! [`classify`] tells whether a command daemonizes, exits at once or only
//! keeps the container alive.

use std::ops::Range;
use std::sync::Arc;

use dockside_semantic::{ScriptOrigin, ShellCode, Stage};
use dockside_shell::{CompoundKind, Context, Script, SimpleCommand, StatementKind, Word};
use dockside_syntax::{Body, CommandForm, TextRange};

use crate::checker::Checker;
use crate::diagnostic::FileId;

pub const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"];

/// Directories searched for a program name without `/` (entrypoint scripts
/// are usually copied to one of them).
const PATH_DIRS: &[&str] = &[
    "/usr/local/bin",
    "/usr/local/sbin",
    "/usr/bin",
    "/usr/sbin",
    "/bin",
    "/sbin",
];

/// A command, with every range an offset into the file it is written in.
#[derive(Clone, Debug)]
pub struct Cmd {
    pub file: FileId,
    pub command: SimpleCommand,
    /// The Dockerfile CMD/ENTRYPOINT instruction it comes from.
    pub instruction: usize,
}

impl Cmd {
    pub fn range(&self) -> TextRange {
        TextRange::from(self.command.range.clone())
    }
}

/// How script offsets map to offsets in the file the script is written in.
#[derive(Clone, Debug)]
pub enum Mapping {
    /// The script is the file (a context script).
    Identity,
    /// The script is a contiguous, unescaped piece of the file starting here.
    Offset(usize),
    /// No exact mapping: everything maps to this range (a JSON string with escapes).
    Collapse(Range<usize>),
    /// The shell-form text of a Dockerfile instruction.
    Instruction(usize),
}

impl Mapping {
    pub fn map(&self, cx: &Checker, r: Range<usize>) -> Range<usize> {
        match self {
            Mapping::Identity => r,
            Mapping::Offset(base) => r.start + base..r.end + base,
            Mapping::Collapse(c) => c.clone(),
            Mapping::Instruction(i) => match line_code(cx, *i) {
                Some(code) => code.source_range(r).as_range(),
                None => r,
            },
        }
    }
}

/// The shell-form text of instruction `i`, parsed.
pub fn line_code<'a>(cx: &Checker<'a>, i: usize) -> Option<&'a ShellCode> {
    cx.model
        .instructions
        .get(i)?
        .scripts
        .iter()
        .find(|c| c.origin == ScriptOrigin::Line)
}

/// A shell that the main process runs through on its way.
#[derive(Clone, Debug)]
pub struct Layer {
    pub kind: LayerKind,
    pub file: FileId,
    pub script: Arc<Script>,
    pub text: Arc<str>,
    pub mapping: Mapping,
    /// The Dockerfile CMD/ENTRYPOINT that starts it.
    pub instruction: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayerKind {
    /// A shell script of the build context (context-relative path).
    ContextScript(String),
    /// A `sh -c "…"` command string (the shell's name).
    CommandString(String),
}

#[derive(Clone, Debug, Default)]
pub struct Resolution {
    pub layers: Vec<Layer>,
    /// The main process, when it could be determined.
    pub main: Option<Cmd>,
}

/// Stages that define an ENTRYPOINT or CMD themselves (not only inherited).
pub fn defining_stages<'a>(cx: &Checker<'a>) -> impl Iterator<Item = &'a Stage> + 'a {
    cx.model.stages.iter().filter(|s| {
        let own = |i: Option<usize>| i.is_some_and(|i| s.instructions().contains(&i));
        own(s.entrypoint) || own(s.cmd)
    })
}

pub fn shell_form(cx: &Checker, i: usize) -> bool {
    matches!(
        &cx.dockerfile.instructions[i].body,
        Body::Command(CommandForm::Shell(_))
    )
}

fn exec_elements<'a>(cx: &Checker<'a>, i: usize) -> Option<&'a [dockside_syntax::Word]> {
    match &cx.dockerfile.instructions[i].body {
        Body::Command(CommandForm::Exec(e)) => Some(&e.elements),
        _ => None,
    }
}

fn word(value: Option<String>, raw: &str, range: Range<usize>) -> Word {
    Word {
        range,
        raw: raw.into(),
        lossy: value.as_deref().unwrap_or(raw).into(),
        value: value.map(Into::into),
        has_glob: false,
    }
}

pub fn make_command(argv: Vec<Word>) -> SimpleCommand {
    SimpleCommand::from_argv(argv)
}

/// A script command with its ranges mapped into the file.
pub fn remap(cx: &Checker, c: &SimpleCommand, mapping: &Mapping) -> SimpleCommand {
    let mut c = c.clone();
    c.range = mapping.map(cx, c.range.clone());
    for w in &mut c.argv {
        w.range = mapping.map(cx, w.range.clone());
    }
    for a in &mut c.assignments {
        a.range = mapping.map(cx, a.range.clone());
        a.value.range = mapping.map(cx, a.value.range.clone());
    }
    for r in &mut c.redirects {
        r.range = mapping.map(cx, r.range.clone());
        if let Some(t) = &mut r.target {
            t.range = mapping.map(cx, t.range.clone());
        }
    }
    c
}

pub fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `"$@"` / `$@` / `"$*"`: the script's own arguments as a command.
fn is_positional_all(w: &Word) -> bool {
    matches!(
        w.raw.as_str(),
        "\"$@\"" | "$@" | "\"${@}\"" | "${@}" | "$*" | "\"$*\""
    )
}

struct Resolver<'c, 'a> {
    cx: &'c Checker<'a>,
    stage: &'a Stage,
    /// The shell-form CMD passed as `/bin/sh -c <text>` after an exec-form ENTRYPOINT.
    marker: Option<(Range<usize>, usize)>,
    out: Resolution,
}

/// Follows the stage's effective ENTRYPOINT/CMD down to the main process (once per
/// stage and file: several rules ask).
pub fn resolve<'a>(cx: &Checker<'a>, stage: &'a Stage) -> Resolution {
    if let Some(known) = cx.main_processes.borrow().get(&stage.index) {
        return known.clone();
    }
    let resolution = resolve_uncached(cx, stage);
    cx.main_processes
        .borrow_mut()
        .insert(stage.index, resolution.clone());
    resolution
}

fn resolve_uncached<'a>(cx: &Checker<'a>, stage: &'a Stage) -> Resolution {
    let mut r = Resolver {
        cx,
        stage,
        marker: None,
        out: Resolution::default(),
    };
    let start = r.start();
    r.walk(start);
    r.out
}

/// Follows a command that replaces the stage's own (a Compose `command`/`entrypoint`)
/// down to the main process, with the stage's files and build context.
pub fn resolve_from<'a>(cx: &Checker<'a>, stage: &'a Stage, start: Cmd) -> Resolution {
    let mut r = Resolver {
        cx,
        stage,
        marker: None,
        out: Resolution::default(),
    };
    r.walk(Some(start));
    r.out
}

impl<'a> Resolver<'_, 'a> {
    fn start(&mut self) -> Option<Cmd> {
        let cx = self.cx;
        let (ep, cmd) = (self.stage.entrypoint, self.stage.cmd);
        if let Some(e) = ep {
            if shell_form(cx, e) {
                return self.shell_form_final(e);
            }
            let mut argv: Vec<Word> = exec_elements(cx, e)?
                .iter()
                .map(|w| exec_word(cx, w))
                .collect();
            if let Some(c) = cmd {
                match exec_elements(cx, c) {
                    Some(elems) => argv.extend(elems.iter().map(|w| exec_word(cx, w))),
                    None => {
                        let range = cx.dockerfile.instructions[c].args_range().as_range();
                        let text = line_code(cx, c)
                            .map(|code| code.text.as_str().to_string())
                            .unwrap_or_default();
                        self.marker = Some((range.clone(), c));
                        argv.push(word(
                            Some("/bin/sh".into()),
                            "/bin/sh",
                            range.start..range.start,
                        ));
                        argv.push(word(Some("-c".into()), "-c", range.start..range.start));
                        argv.push(word(None, &text, range));
                    }
                }
            }
            if argv.is_empty() {
                return None;
            }
            return Some(Cmd {
                file: FileId::MAIN,
                command: make_command(argv),
                instruction: e,
            });
        }
        let c = cmd?;
        if shell_form(cx, c) {
            return self.shell_form_final(c);
        }
        let argv: Vec<Word> = exec_elements(cx, c)?
            .iter()
            .map(|w| exec_word(cx, w))
            .collect();
        if argv.is_empty() {
            return None;
        }
        Some(Cmd {
            file: FileId::MAIN,
            command: make_command(argv),
            instruction: c,
        })
    }

    /// The final command of a shell-form CMD/ENTRYPOINT.
    fn shell_form_final(&self, i: usize) -> Option<Cmd> {
        let code = line_code(self.cx, i)?;
        let last = code.script.final_command()?;
        Some(Cmd {
            file: FileId::MAIN,
            command: remap(self.cx, last, &Mapping::Instruction(i)),
            instruction: i,
        })
    }

    /// The instruction (ENTRYPOINT or CMD) whose text contains `offset`.
    fn instruction_at(&self, file: FileId, offset: usize, default: usize) -> usize {
        if file != FileId::MAIN {
            return default;
        }
        [self.stage.cmd, self.stage.entrypoint]
            .into_iter()
            .flatten()
            .find(|&i| cx_range(self.cx, i).contains(offset))
            .unwrap_or(default)
    }

    fn walk(&mut self, start: Option<Cmd>) {
        let mut cur = start;
        for _ in 0..12 {
            let Some(c) = cur.take() else { return };
            let unwrapped = c.command.unwrapped();
            let argv = unwrapped.argv;
            let Some(first) = argv.first() else { return };
            let Some(name) = first.value.as_deref() else {
                self.out.main = Some(c);
                return;
            };
            let prog = basename(name);
            if SHELLS.contains(&prog) {
                let mut k = 1;
                let mut dash_c = false;
                while let Some(v) = argv.get(k).and_then(|w| w.value.as_deref()) {
                    if v == "-o" || v == "+o" {
                        k += 2;
                    } else if v == "--" {
                        k += 1;
                        break;
                    } else if (v.starts_with('-') || v.starts_with('+'))
                        && v.len() > 1
                        && !v.starts_with("--")
                    {
                        dash_c |= v.starts_with('-') && v.contains('c');
                        k += 1;
                    } else if v.starts_with("--") {
                        k += 1;
                    } else {
                        break;
                    }
                }
                let Some(arg) = argv.get(k) else { return };
                if dash_c {
                    if let Some((range, ci)) = self.marker.clone()
                        && arg.value.is_none()
                        && arg.range == range
                        && c.file == FileId::MAIN
                    {
                        cur = self.shell_form_final(ci);
                        continue;
                    }
                    let Some(text) = arg.value.clone() else {
                        return;
                    };
                    let mapping = string_mapping(self.cx, &c, arg, &text);
                    let script = Arc::new(dockside_shell::parse(&text));
                    self.out.layers.push(Layer {
                        kind: LayerKind::CommandString(prog.to_string()),
                        file: c.file,
                        script: script.clone(),
                        text: Arc::from(text.as_str()),
                        mapping: mapping.clone(),
                        instruction: c.instruction,
                    });
                    let rest = argv.get(k + 2..).unwrap_or(&[]);
                    cur = self.script_final(&c, &script, &mapping, c.file, rest);
                    continue;
                }
                match self.context_script(&c, arg, true) {
                    Some((file, script, text, rel)) => {
                        self.push_script_layer(&c, file, &script, text, rel);
                        let rest = argv.get(k + 1..).unwrap_or(&[]);
                        cur = self.script_final(&c, &script, &Mapping::Identity, file, rest);
                        continue;
                    }
                    None => return,
                }
            }
            if let Some((file, script, text, rel)) = self.context_script(&c, first, false) {
                self.push_script_layer(&c, file, &script, text, rel);
                cur = self.script_final(&c, &script, &Mapping::Identity, file, &argv[1..]);
                continue;
            }
            if prog.contains("entrypoint") {
                // A wrapper script we cannot read: assume it ends in `exec "$@"`.
                let rest = &argv[1..];
                match rest.first().and_then(|w| w.value.as_deref()) {
                    Some(v) if !v.starts_with('-') => {
                        let instruction =
                            self.instruction_at(c.file, rest[0].range.start, c.instruction);
                        cur = Some(Cmd {
                            file: c.file,
                            command: make_command(rest.to_vec()),
                            instruction,
                        });
                        continue;
                    }
                    _ => return,
                }
            }
            self.out.main = Some(c);
            return;
        }
    }

    fn push_script_layer(
        &mut self,
        c: &Cmd,
        file: FileId,
        script: &Arc<Script>,
        text: Arc<str>,
        rel: String,
    ) {
        self.out.layers.push(Layer {
            kind: LayerKind::ContextScript(rel),
            file,
            script: script.clone(),
            text,
            mapping: Mapping::Identity,
            instruction: c.instruction,
        });
    }

    /// The command a script ends with; `exec "$@"` continues with `args`.
    fn script_final(
        &self,
        outer: &Cmd,
        script: &Script,
        mapping: &Mapping,
        file: FileId,
        args: &[Word],
    ) -> Option<Cmd> {
        let last = script.final_command()?;
        let u = last.unwrapped();
        // `_main "$@"` calling a function of the script that ends in `exec "$@"`.
        let via_function = || {
            u.argv.iter().skip(1).any(is_positional_all)
                && script.commands.iter().any(|c| {
                    c.context == Context::Function
                        && c.is_exec()
                        && c.unwrapped_argv().first().is_some_and(is_positional_all)
                })
        };
        if u.argv.first().is_some_and(is_positional_all) || via_function() {
            if args.is_empty() {
                return None;
            }
            let instruction =
                self.instruction_at(outer.file, args[0].range.start, outer.instruction);
            return Some(Cmd {
                file: outer.file,
                command: make_command(args.to_vec()),
                instruction,
            });
        }
        Some(Cmd {
            file,
            command: remap(self.cx, last, mapping),
            instruction: outer.instruction,
        })
    }

    /// The build-context shell script `w` names, if the image got it from the context.
    fn context_script(
        &self,
        c: &Cmd,
        w: &Word,
        via_shell: bool,
    ) -> Option<(FileId, Arc<Script>, Arc<str>, String)> {
        let v = w.value.as_deref()?;
        if v.is_empty() || v.starts_with('-') {
            return None;
        }
        let candidates: Vec<String> = if v.contains('/') || via_shell {
            vec![self.cx.model.absolute_path(c.instruction, v)]
        } else {
            PATH_DIRS.iter().map(|d| format!("{d}/{v}")).collect()
        };
        for abs in candidates {
            let Some(found) =
                self.cx
                    .model
                    .locate_in_context(self.stage.index, &abs, self.stage.end)
            else {
                continue;
            };
            let Some(cs) = self.cx.context_script(&found.context_path) else {
                continue;
            };
            let is_shell = match dockside_shell::shebang_interpreter(&cs.text) {
                Some(interp) => SHELLS.contains(&interp.as_str()),
                None => via_shell || found.context_path.ends_with(".sh"),
            };
            if !is_shell {
                return None;
            }
            return Some((
                cs.file,
                cs.script.clone(),
                cs.text.clone(),
                found.context_path,
            ));
        }
        None
    }
}

fn cx_range(cx: &Checker, i: usize) -> TextRange {
    cx.dockerfile.instructions[i].range
}

fn exec_word(cx: &Checker, w: &dockside_syntax::Word) -> Word {
    word(
        Some(w.value.to_string()),
        cx.text(w.range),
        w.range.as_range(),
    )
}

/// How offsets in the string argument `arg` (static value `text`) map to its file.
fn string_mapping(cx: &Checker, c: &Cmd, arg: &Word, text: &str) -> Mapping {
    let raw = if c.file == FileId::MAIN {
        cx.source.get(arg.range.clone())
    } else {
        Some(arg.raw.as_str())
    };
    let raw = raw.unwrap_or("");
    let quoted = [('"', '"'), ('\'', '\'')].iter().any(|&(a, b)| {
        raw.len() >= 2 && raw.starts_with(a) && raw.ends_with(b) && &raw[1..raw.len() - 1] == text
    });
    if quoted {
        Mapping::Offset(arg.range.start + 1)
    } else if raw == text {
        Mapping::Offset(arg.range.start)
    } else {
        Mapping::Collapse(arg.range.clone())
    }
}

/// The commands a script's main process can end with: the final command, or
/// the last command of each branch when the script ends in an `if`/`case`.
pub fn final_commands<'s>(script: &'s Script, text: &str) -> Vec<&'s SimpleCommand> {
    let Some(last) = script.statements.last() else {
        return Vec::new();
    };
    if matches!(
        last.kind,
        StatementKind::Compound(CompoundKind::If | CompoundKind::Case)
    ) {
        let cmds: Vec<&SimpleCommand> = script
            .statement_commands(last)
            .filter(|c| c.context != Context::Substitution)
            .collect();
        let mut out = Vec::new();
        for (j, c) in cmds.iter().enumerate() {
            let gap_end = cmds.get(j + 1).map_or(last.range.end, |n| n.range.start);
            if c.range.end > gap_end || gap_end > text.len() {
                continue;
            }
            let gap = &text[c.range.end..gap_end];
            let ends_branch = gap.contains(";;")
                || gap
                    .split(|ch: char| {
                        ch.is_whitespace() || matches!(ch, ';' | '&' | '|' | '(' | ')')
                    })
                    .any(|t| matches!(t, "else" | "elif" | "fi" | "esac"));
            if ends_branch {
                out.push(*c);
            }
        }
        if !out.is_empty() {
            return out;
        }
    }
    script.final_command().into_iter().collect()
}

/// Names of the functions a script defines.
pub fn function_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let l = line.trim_start();
        let l = l
            .strip_prefix("function ")
            .map(str::trim_start)
            .unwrap_or(l);
        let name: String = l
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.'))
            .collect();
        if name.is_empty() {
            continue;
        }
        let rest = l[name.len()..].trim_start();
        if rest.starts_with("()")
            || (line.trim_start().starts_with("function ")
                && (rest.is_empty() || rest.starts_with('{')))
        {
            out.push(name);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Daemons, keep-alives and commands that exit.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueKind {
    /// Forks into the background (or starts a service) and returns.
    Daemon,
    /// Run with `&`.
    Background,
    /// Exits at once by design (`pkill`).
    Exits,
    /// Does nothing but keep the container running.
    KeepAlive,
}

#[derive(Clone, Debug)]
pub struct Issue {
    pub kind: IssueKind,
    /// What happens, e.g. "`nginx` forks into the background (`daemon on` by default)".
    pub what: String,
    /// What to do instead.
    pub hint: String,
}

/// What the image's configuration files say about daemons: the build context for a
/// Dockerfile ([`Env`]), or what is known about a Compose service's image.
pub trait Surroundings {
    /// nginx is configured with `daemon off;` (`conf`: the `-c` path; `at`: the instruction
    /// whose working directory resolves it).
    fn nginx_daemon_off(&self, conf: Option<&str>, at: usize) -> bool;
    /// supervisord is configured with `nodaemon=true`.
    fn supervisord_nodaemon(&self, conf: Option<&str>, at: usize) -> bool;
    /// A php-fpm configuration says `daemonize = yes`.
    fn php_fpm_daemonize(&self) -> bool;
}

/// Where to look for configuration that keeps a daemon in the foreground.
pub struct Env<'c, 'a> {
    pub cx: &'c Checker<'a>,
    pub stage: &'a Stage,
}

/// A configuration file of the image, as far as the build context tells.
enum Conf {
    Text(String),
    /// COPY'd from the context, but not readable here (the context is incomplete).
    Unknown,
    /// Not COPY'd from the context.
    Absent,
}

impl Env<'_, '_> {
    fn conf(&self, image_path: &str) -> Conf {
        match self
            .cx
            .model
            .locate_in_context(self.stage.index, image_path, self.stage.end)
        {
            Some(found) => self
                .cx
                .context
                .read_text(&found.context_path)
                .map_or(Conf::Unknown, Conf::Text),
            None => Conf::Absent,
        }
    }

    /// Some COPY from the context into a path containing `needle` names files
    /// this context does not have: their content is unknown.
    fn unreadable_copies(&self, needle: &str) -> bool {
        let ancestry = self.cx.model.stage_ancestry(self.stage.index);
        let copies = ancestry.iter().flat_map(|&s| self.cx.model.copies_of(s));
        copies.map(|(_, c)| c).any(|c| {
            c.from == dockside_semantic::CopySource::Context
                && c.dest.contains(needle)
                && c.sources.iter().any(|(src, _)| {
                    if src.contains(['*', '?', '[']) {
                        self.cx.context.glob(src).is_empty()
                    } else {
                        !self.cx.context.exists(src.trim_start_matches("./"))
                    }
                })
        })
    }

    fn abs(&self, at: usize, path: &str) -> String {
        self.cx.model.absolute_path(at, path)
    }
}

impl Surroundings for Env<'_, '_> {
    fn nginx_daemon_off(&self, conf: Option<&str>, at: usize) -> bool {
        if self
            .cx
            .source_fact("daemon off", || mentions(self.cx.source, "daemon off"))
            || self.unreadable_copies("nginx")
        {
            return true;
        }
        let path = conf.map_or_else(|| "/etc/nginx/nginx.conf".to_string(), |p| self.abs(at, p));
        match self.conf(&path) {
            Conf::Text(t) => t.lines().any(|l| {
                let l = l.trim_start();
                !l.starts_with('#') && mentions(l, "daemon off")
            }),
            Conf::Unknown => true,
            Conf::Absent => false,
        }
    }

    fn supervisord_nodaemon(&self, conf: Option<&str>, at: usize) -> bool {
        if self
            .cx
            .source_fact("nodaemon", || self.cx.source.contains("nodaemon"))
            || self.unreadable_copies("supervisor")
        {
            return true;
        }
        let nodaemon = |t: &str| dockside_context::supervisord::parse(t).nodaemon() == Some(true);
        let paths = match conf {
            Some(p) => vec![self.abs(at, p)],
            None => vec![
                "/etc/supervisor/supervisord.conf".to_string(),
                "/etc/supervisord.conf".to_string(),
            ],
        };
        for p in paths {
            match self.conf(&p) {
                Conf::Text(t) if nodaemon(&t) => return true,
                Conf::Unknown => return true,
                _ => {}
            }
        }
        self.cx
            .context
            .find_supervisord_configs()
            .iter()
            .any(|rel| self.cx.context.read_text(rel).is_some_and(|t| nodaemon(&t)))
    }

    fn php_fpm_daemonize(&self) -> bool {
        let yes = |t: &str| {
            t.lines().any(|l| {
                let l = l.trim();
                !l.starts_with(';')
                    && !l.starts_with('#')
                    && l.split_once('=')
                        .is_some_and(|(k, v)| k.trim() == "daemonize" && v.trim() == "yes")
            })
        };
        if self
            .cx
            .source_fact("php-fpm daemonize = yes", || yes(self.cx.source))
        {
            return true;
        }
        self.cx
            .context
            .files_under("")
            .iter()
            .filter(|p| p.contains("fpm") && p.ends_with(".conf"))
            .any(|p| self.cx.context.read_text(p).is_some_and(|t| yes(&t)))
    }
}

/// `needle` occurs with any run of whitespace between its words.
fn mentions(text: &str, needle: &str) -> bool {
    let squashed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    squashed.contains(needle)
}

fn is_php_fpm(prog: &str) -> Option<bool> {
    // Returns Some(versioned) for php-fpm binaries.
    if prog == "php-fpm" {
        return Some(false);
    }
    let versioned = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.');
    if let Some(v) = prog.strip_prefix("php-fpm")
        && versioned(v)
    {
        return Some(true);
    }
    if let Some(v) = prog
        .strip_prefix("php")
        .and_then(|r| r.strip_suffix("-fpm"))
        && versioned(v)
    {
        return Some(true);
    }
    None
}

/// Whether `c` (ranges in any file) daemonizes, exits at once or only keeps
/// the container alive. `at` is the instruction used to resolve relative paths.
pub fn classify(
    c: &SimpleCommand,
    env: &dyn Surroundings,
    at: usize,
    supervised: bool,
) -> Option<Issue> {
    let u = c.unwrapped();
    let argv = u.argv;
    let name = argv.first()?.value.as_deref()?;
    let prog = basename(name);
    let args: Vec<&str> = argv[1..].iter().map(|w| w.text()).collect();
    let has = |f: &str| args.contains(&f);
    let value_after = |f: &str| {
        args.iter()
            .position(|a| *a == f)
            .and_then(|i| args.get(i + 1).copied())
    };
    let issue = |kind, what: String, hint: &str| {
        Some(Issue {
            kind,
            what,
            hint: hint.to_string(),
        })
    };

    if c.background && !supervised {
        return issue(
            IssueKind::Background,
            format!(
                "`{prog} … &` runs in the background, so the shell exits right after starting it"
            ),
            "run the server in the foreground, without `&`",
        );
    }
    let starts = |a: Option<&&str>| {
        a.is_some_and(|a| matches!(*a, "start" | "restart" | "reload" | "force-reload"))
    };
    if prog == "service" && args.len() >= 2 && starts(args.get(1)) {
        return issue(
            IssueKind::Daemon,
            format!(
                "`service {} {}` starts {} in the background and returns",
                args[0], args[1], args[0]
            ),
            "run the daemon itself in the foreground",
        );
    }
    if (name.starts_with("/etc/init.d/") || name.starts_with("/etc/rc.d/init.d/"))
        && starts(args.first())
    {
        return issue(
            IssueKind::Daemon,
            format!(
                "`{name} {}` starts the service in the background and returns",
                args[0]
            ),
            "run the daemon itself in the foreground",
        );
    }
    if prog == "rc-service" && args.len() >= 2 && starts(args.get(1)) {
        return issue(
            IssueKind::Daemon,
            format!(
                "`rc-service {} {}` starts {} in the background and returns",
                args[0], args[1], args[0]
            ),
            "run the daemon itself in the foreground",
        );
    }
    if prog == "systemctl" && starts(args.iter().find(|a| !a.starts_with('-'))) {
        return issue(
            IssueKind::Daemon,
            "`systemctl` needs systemd as PID 1, which a container does not run, and returns at once".to_string(),
            "run the service's program itself in the foreground",
        );
    }
    if prog == "sshd" {
        let fg = c.has_flag(Some('D'), None)
            || c.has_flag(Some('d'), None)
            || c.has_flag(Some('t'), None)
            || c.has_flag(Some('T'), None);
        return (!fg).then(|| Issue {
            kind: IssueKind::Daemon,
            what: "`sshd` without `-D` detaches into the background".into(),
            hint: "add `-D`".into(),
        });
    }
    if prog == "nginx" || prog == "openresty" {
        if args.iter().any(|a| mentions(a, "daemon off"))
            || ["-t", "-T", "-v", "-V", "-h", "-?", "-s"]
                .iter()
                .any(|f| has(f))
            || env.nginx_daemon_off(value_after("-c"), at)
        {
            return None;
        }
        return issue(
            IssueKind::Daemon,
            format!("`{prog}` forks into the background (`daemon on` is its default)"),
            "run `nginx -g 'daemon off;'` (or set `daemon off;` in nginx.conf)",
        );
    }
    if prog == "apachectl" || prog == "apache2ctl" {
        if args.iter().any(|a| a.contains("FOREGROUND")) {
            return None;
        }
        let start = args.is_empty()
            || args
                .iter()
                .any(|a| matches!(*a, "start" | "restart" | "graceful"));
        return start.then(|| Issue {
            kind: IssueKind::Daemon,
            what: format!(
                "`{}` starts Apache in the background and returns",
                [prog]
                    .into_iter()
                    .chain(args.iter().copied())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            hint: format!("run `{prog} -D FOREGROUND`"),
        });
    }
    if prog == "httpd" || prog == "apache2" || prog == "httpd2" {
        let busybox_fg = value_after("-f")
            .is_none_or(|v| !v.contains('/') && !v.ends_with(".conf"))
            && has("-f");
        if args.iter().any(|a| a.contains("FOREGROUND"))
            || has("-X")
            || busybox_fg
            || ["-v", "-V", "-t", "-S", "-M", "-l", "-L", "-h", "-?"]
                .iter()
                .any(|f| has(f))
        {
            return None;
        }
        return issue(
            IssueKind::Daemon,
            format!("`{prog}` detaches into the background without `-DFOREGROUND`"),
            "add `-DFOREGROUND`",
        );
    }
    if prog == "redis-server" && value_after("--daemonize") == Some("yes") {
        return issue(
            IssueKind::Daemon,
            "`redis-server --daemonize yes` forks into the background".into(),
            "drop `--daemonize yes`",
        );
    }
    if prog == "supervisord" {
        if c.has_flag(Some('n'), Some("nodaemon"))
            || has("-h")
            || has("--help")
            || has("-v")
            || has("--version")
        {
            return None;
        }
        let conf = value_after("-c").or_else(|| value_after("--configuration"));
        if env.supervisord_nodaemon(conf, at) {
            return None;
        }
        return issue(
            IssueKind::Daemon,
            "`supervisord` daemonizes unless given `-n` or `nodaemon=true` in its configuration"
                .into(),
            "run `supervisord -n`",
        );
    }
    if let Some(versioned) = is_php_fpm(prog) {
        if c.has_flag(Some('D'), Some("daemonize")) {
            return issue(
                IssueKind::Daemon,
                format!("`{prog} -D` daemonizes"),
                "use `-F` (`--nodaemonize`) instead",
            );
        }
        if c.has_flag(Some('F'), Some("nodaemonize"))
            || c.has_flag(Some('t'), Some("test"))
            || has("-v")
            || has("-i")
            || has("-m")
        {
            return None;
        }
        if env.php_fpm_daemonize() {
            return issue(
                IssueKind::Daemon,
                format!("`{prog}` daemonizes: the php-fpm configuration sets `daemonize = yes`"),
                "add `-F` (`--nodaemonize`)",
            );
        }
        if versioned {
            return issue(
                IssueKind::Daemon,
                format!(
                    "`{prog}` daemonizes with the distribution's default configuration (`daemonize = yes`)"
                ),
                "add `-F` (`--nodaemonize`)",
            );
        }
        return None;
    }
    if supervised {
        return None;
    }
    if matches!(prog, "pkill" | "kill" | "killall") {
        return issue(
            IssueKind::Exits,
            format!("`{prog}` exits as soon as it has sent its signal"),
            "make the long-running server the last command",
        );
    }
    if prog == "tail" && (c.has_flag(Some('f'), Some("follow")) || c.has_flag(Some('F'), None)) {
        return issue(
            IssueKind::KeepAlive,
            format!("`tail -f {}`", args.last().copied().unwrap_or("")),
            "",
        );
    }
    if prog == "sleep" {
        let long = c.context == Context::Loop
            || args.iter().any(|a| {
                a.starts_with("inf")
                    || a.trim_end_matches(['s', 'm', 'h', 'd'])
                        .parse::<f64>()
                        .is_ok_and(|n| n >= 3600.0 || a.ends_with(['h', 'd']))
            });
        if long {
            let what = if c.context == Context::Loop {
                "a `sleep` loop".to_string()
            } else {
                format!("`sleep {}`", args.join(" "))
            };
            return issue(IssueKind::KeepAlive, what, "");
        }
    }
    None
}

/// Reports, for each stage that defines the container's process, the findings `judge` makes
/// about its main process: once each, in the file that starts the process, pointing back to
/// the instruction that runs it when that is another file.
pub(crate) fn report_main_process_findings(
    cx: &Checker,
    skip_stage: impl Fn(&Stage) -> bool,
    judge: impl Fn(&Cmd) -> Vec<crate::diagnostic::Finding>,
) {
    let mut seen: foldhash::HashSet<(FileId, TextRange)> = Default::default();
    for stage in defining_stages(cx) {
        if skip_stage(stage) {
            continue;
        }
        let Some(main) = resolve(cx, stage).main else {
            continue;
        };
        for mut f in judge(&main) {
            if seen.contains(&(main.file, f.range)) {
                continue;
            }
            seen.insert((main.file, f.range));
            f = f.in_file(main.file);
            if main.file != FileId::MAIN {
                let instruction = &cx.dockerfile.instructions[main.instruction];
                f = f.with_related(
                    FileId::MAIN,
                    instruction.args_range(),
                    format!("the {} that runs it", instruction.keyword.as_str()),
                );
            }
            cx.report(f);
        }
    }
}
