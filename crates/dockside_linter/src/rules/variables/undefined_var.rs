use dockside_semantic::{Base, Lookup, PREDEFINED_ARGS, PROXY_ARGS};
use dockside_syntax::{Body, Instruction, Keyword, TextRange};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a `$NAME` / `${NAME}` in an instruction the builder expands
    /// itself (`FROM`, `ENV`, `ARG`, `LABEL`, `COPY`, `ADD`, `WORKDIR`, `USER`,
    /// `EXPOSE`, `VOLUME`, `STOPSIGNAL`, and the flags of `COPY`/`ADD`) when no
    /// `ARG` or `ENV` defines the name at that point:
    /// - a global `ARG` (declared before the first `FROM`) used inside a stage
    ///   without being declared again in that stage (`ARG NAME`);
    /// - a name declared only later, or only in another stage;
    /// - a name close to a visible one (`$APP_HOM` when `APP_HOME` is
    ///   declared), with a did-you-mean suggestion.
    ///
    /// Predefined build arguments (`TARGETPLATFORM`, `BUILDPLATFORM`, …) are
    /// known in `FROM` lines and after `ARG TARGETPLATFORM` in a stage; the
    /// proxy arguments (`HTTP_PROXY`, …) are always allowed. References with a
    /// default or alternative (`${NAME:-x}`, `${NAME:+x}`) are deliberate.
    /// Names the base image may set (the environment of an image from a
    /// registry cannot be known without pulling it) are only reported when
    /// the Dockerfile itself shows the mistake: the name is declared somewhere
    /// else in the file, or a visible name is one typo away. In a stage built
    /// `FROM scratch` every undefined name is reported. `RUN` and shell-form
    /// `CMD` are evaluated by the shell at build or run time and are not
    /// checked, except for the global-ARG case above, which is always a bug.
    ///
    /// ## Why is this bad?
    /// The builder silently replaces an undefined variable with the empty
    /// string: `COPY app $APP_HOM/` copies to `/`, `FROM` loses its tag, a
    /// `RUN` that uses a global `ARG` sees nothing because global ARGs are only
    /// visible to `FROM` lines.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG VERSION=1.2.3
    /// FROM alpine:3.20
    /// ENV APP_HOME=/srv/app
    /// WORKDIR $APP_HOM
    /// RUN echo "building $VERSION"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ARG VERSION=1.2.3
    /// FROM alpine:3.20
    /// ARG VERSION
    /// ENV APP_HOME=/srv/app
    /// WORKDIR $APP_HOME
    /// RUN echo "building $VERSION"
    /// ```
    ///
    /// ## Fix safety
    /// For a global `ARG` used in a stage, the fix declares it again right
    /// after the stage's `FROM` (`ARG NAME`, which takes the global default):
    /// safe. A did-you-mean replacement is unsafe: the name might really be set
    /// by the base image.
    pub struct UndefinedVar {
        name: "undefined-var",
        code: "DF701",
        group: "variables",
        severity: Warning,
        aliases: ["UndefinedVar"],
        fix: Sometimes,
        summary: "A variable is used where no ARG or ENV defines it",
    }
}

impl Rule for UndefinedVar {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let declared = declared_names(cx);
        let first_from = cx
            .dockerfile
            .instructions
            .iter()
            .position(|i| i.keyword == Keyword::From)
            .unwrap_or(usize::MAX);
        let global_args: Vec<&str> = declared
            .iter()
            .filter(|d| d.instruction < first_from)
            .map(|d| d.name.as_str())
            .collect();
        // (stage, name) already reported for the global-ARG case.
        let mut reported_global: Vec<(usize, String)> = Vec::new();
        for (index, inst, info) in cx.instructions() {
            let words = expanded_words(inst);
            if words.is_empty() {
                if let Some(stage) = info.stage {
                    check_run_globals(cx, index, inst, stage, &global_args, &mut reported_global);
                }
                continue;
            }
            // Names set by this same ENV/ARG are left to `env-self-reference`.
            let own: Vec<&str> = match &inst.body {
                Body::Pairs(pairs) if matches!(inst.keyword, Keyword::Env | Keyword::Arg) => {
                    pairs.iter().map(|p| p.key.value.as_str()).collect()
                }
                _ => Vec::new(),
            };
            // Only `$` starts a reference.
            for (raw, range) in words.into_iter().filter(|(raw, _)| raw.contains('$')) {
                let expansion = cx.model.expand(index, raw);
                for r in &expansion.references {
                    if r.lookup != Lookup::Undefined
                        || r.has_default
                        || own.contains(&r.name.as_str())
                    {
                        continue;
                    }
                    let name = r.name.as_str();
                    if PROXY_ARGS.contains(&name)
                        || name.chars().next().is_some_and(|c| c.is_ascii_digit())
                    {
                        continue;
                    }
                    let at = if range.len() == raw.len() {
                        TextRange::new(
                            range.start as usize + r.range.start,
                            range.start as usize + r.range.end,
                        )
                    } else {
                        range
                    };
                    let Some(stage) = info.stage else {
                        // Global scope (FROM lines and global ARG defaults).
                        if PREDEFINED_ARGS.contains(&name) {
                            continue;
                        }
                        let suggestion = suggest(
                            name,
                            cx.model
                                .scope_chain(info.scope)
                                .take(MAX_SUGGESTION_CANDIDATES)
                                .map(|b| b.name.as_str())
                                .chain(PREDEFINED_ARGS.iter().copied()),
                        );
                        let later = declared.iter().any(|d| d.name == name);
                        report_plain(cx, at, name, suggestion, later, "before the first FROM");
                        continue;
                    };
                    if global_args.contains(&name) {
                        let key = (stage, name.to_string());
                        if !reported_global.contains(&key) {
                            reported_global.push(key);
                            cx.report(global_finding(cx, at, name, stage));
                        }
                        continue;
                    }
                    if PREDEFINED_ARGS.contains(&name) {
                        cx.report(Finding::new(
                            at,
                            format!(
                                "`{name}` is a predefined build argument but is not declared in this stage, so it is empty here; add `ARG {name}` to the stage first"
                            ),
                        ));
                        continue;
                    }
                    let suggestion = suggest(
                        name,
                        cx.model
                            .scope_chain(info.scope)
                            .take(MAX_SUGGESTION_CANDIDATES)
                            .map(|b| b.name.as_str()),
                    );
                    if arg_in_ancestor(cx, stage, index, name) {
                        continue;
                    }
                    let elsewhere = declared.iter().any(|d| d.name == name);
                    let known_env = base_is_scratch(cx, stage);
                    if suggestion.is_none() && !elsewhere && !known_env {
                        continue;
                    }
                    if !known_env && suggestion.is_none() && usual_base_env(name) {
                        continue;
                    }
                    report_plain(cx, at, name, suggestion, elsewhere, "at this point");
                }
            }
        }
    }
}

fn report_plain(
    cx: &Checker,
    at: TextRange,
    name: &str,
    suggestion: Option<&str>,
    elsewhere: bool,
    place: &str,
) {
    let mut message = format!("`{name}` is not defined {place} and expands to an empty string");
    if elsewhere {
        message.push_str(" (it is declared elsewhere in the file, but not in scope here)");
    }
    let mut finding;
    if let Some(s) = suggestion {
        message.push_str(&format!("; did you mean `{s}`?"));
        finding = Finding::new(at, message);
        let text = cx.text(at);
        if let Some(pos) = text.find(name) {
            let start = at.start as usize + pos;
            finding = finding.with_fix(Fix::unsafe_(
                format!("Use `{s}`"),
                vec![Edit::replace(
                    TextRange::new(start, start + name.len()),
                    s.to_string(),
                )],
            ));
        }
    } else {
        finding = Finding::new(at, message);
    }
    cx.report(finding);
}

fn global_finding(cx: &Checker, at: TextRange, name: &str, stage: usize) -> Finding {
    let from = &cx.dockerfile.instructions[cx.model.stages[stage].from];
    let line_end = from.range.end as usize;
    let message = format!(
        "global ARG `{name}` is only visible to FROM lines: it is empty in this stage unless declared again with `ARG {name}` after the FROM"
    );
    let mut finding = Finding::new(at, message);
    if cx.source[line_end..].starts_with('\n') || line_end == cx.source.len() {
        finding = finding.with_fix(Fix::safe(
            format!("Add `ARG {name}` after the stage's FROM"),
            vec![Edit::insert(line_end, format!("\nARG {name}"))],
        ));
    }
    finding
}

/// `$GLOBAL` in RUN (or shell-form CMD/ENTRYPOINT at build time) of a stage that did not redeclare it.
fn check_run_globals(
    cx: &Checker,
    index: usize,
    inst: &Instruction,
    stage: usize,
    global_args: &[&str],
    reported: &mut Vec<(usize, String)>,
) {
    if inst.keyword != Keyword::Run || global_args.is_empty() {
        return;
    }
    let info = &cx.model.instructions[index];
    for code in &info.scripts {
        let text = code.text.as_str();
        if !global_args.iter().any(|name| text.contains(name)) {
            continue;
        }
        for r in dockside_semantic::expand::references(text, '\\') {
            let name = r.name.as_str();
            if !global_args.contains(&name)
                || r.has_default
                || cx.model.lookup(info.scope, name).is_some()
                || arg_in_ancestor(cx, stage, index, name)
            {
                continue;
            }
            // Assigned or exported by the script itself, or set by the base image (a stage parent).
            if text.contains(&format!("{name}=")) || text.contains(&format!("read {name}")) {
                continue;
            }
            if !base_is_scratch(cx, stage) && usual_base_env(name) {
                continue;
            }
            let key = (stage, name.to_string());
            if reported.contains(&key) {
                continue;
            }
            reported.push(key);
            let at = code.source_range(r.range.clone());
            cx.report(global_finding(cx, at, name, stage));
        }
    }
}

/// Words the builder expands itself, with their ranges.
fn expanded_words(inst: &Instruction) -> Vec<(&str, TextRange)> {
    let mut out: Vec<(&str, TextRange)> = Vec::new();
    match (&inst.keyword, &inst.body) {
        (Keyword::Env | Keyword::Arg | Keyword::Label, Body::Pairs(pairs)) => {
            for p in pairs {
                if inst.keyword == Keyword::Label {
                    out.push((&p.key.value, p.key.range));
                }
                if let Some(v) = &p.value {
                    out.push((&v.value, v.range));
                }
            }
        }
        (Keyword::From, Body::From(f)) => {
            if let Some(w) = &f.image {
                out.push((&w.value, w.range));
            }
        }
        (Keyword::Copy | Keyword::Add, Body::Paths { paths, .. }) => {
            for w in paths {
                if !w.value.starts_with("<<") {
                    out.push((&w.value, w.range));
                }
            }
        }
        (
            Keyword::Workdir
            | Keyword::User
            | Keyword::Expose
            | Keyword::Volume
            | Keyword::Stopsignal,
            Body::Words(words),
        ) => {
            for w in words {
                out.push((&w.value, w.range));
            }
        }
        _ => return out,
    }
    for f in &inst.flags {
        if let (Some(v), Some(r)) = (&f.value, f.value_range) {
            out.push((v, r));
        }
    }
    out
}

pub(crate) struct Declared {
    pub name: dockside_shell::CompactString,
    pub instruction: usize,
}

/// Every ARG and ENV name of the file, with where it is declared.
pub(crate) fn declared_names(cx: &Checker) -> Vec<Declared> {
    let mut out = Vec::new();
    for (i, inst, _) in cx.instructions() {
        if let (Keyword::Arg | Keyword::Env, Body::Pairs(pairs)) = (&inst.keyword, &inst.body) {
            for p in pairs {
                out.push(Declared {
                    name: p.key.value.clone(),
                    instruction: i,
                });
            }
        }
    }
    out
}

/// An ARG declared in a stage this one is built on (BuildKit passes stage ARGs on to child stages).
fn arg_in_ancestor(cx: &Checker, stage: usize, before: usize, name: &str) -> bool {
    cx.model.stage_ancestry(stage).iter().skip(1).any(|&s| {
        let st = &cx.model.stages[s];
        st.instructions().filter(|&i| i < before).any(|i| {
            let inst = &cx.dockerfile.instructions[i];
            matches!((&inst.keyword, &inst.body), (Keyword::Arg, Body::Pairs(ps)) if ps.iter().any(|p| p.key.value == name))
        })
    })
}

/// The stage's environment is fully known: it (or the stage it builds on) starts from scratch.
fn base_is_scratch(cx: &Checker, stage: usize) -> bool {
    let ancestry = cx.model.stage_ancestry(stage);
    ancestry
        .last()
        .is_some_and(|&s| cx.model.stages[s].base == Base::Scratch)
}

/// Names base images commonly set in their environment.
pub(crate) fn usual_base_env(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "PATH",
        "HOME",
        "HOSTNAME",
        "USER",
        "SHELL",
        "TERM",
        "LANG",
        "LANGUAGE",
        "LC_ALL",
        "TZ",
        "PWD",
        "GOPATH",
        "GOROOT",
        "GOTOOLCHAIN",
        "CARGO_HOME",
        "RUSTUP_HOME",
        "GEM_HOME",
        "BUNDLE_PATH",
        "BUNDLE_APP_CONFIG",
        "BUNDLE_SILENCE_ROOT_WARNING",
        "PHPIZE_DEPS",
        "GPG_KEYS",
        "GPG_KEY",
        "NB_USER",
        "NB_UID",
        "NB_GID",
        "CONDA_DIR",
        "APP_ROOT",
        "STI_SCRIPTS_PATH",
        "STI_SCRIPTS_URL",
        "HTTPD_PREFIX",
        "CATALINA_BASE",
        "NODE_ENV",
        "PYTHONPATH",
        "LD_LIBRARY_PATH",
        "DEBIAN_FRONTEND",
        "JAVA_OPTS",
        "MAVEN_CONFIG",
        "JBOSS_HOME",
        "NVM_DIR",
        "VIRTUAL_ENV",
        "WORKDIR",
        "APP_DIR",
        "NGINX_VERSION",
        "UID",
        "GID",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_CACHE_HOME",
    ];
    if NAMES.contains(&name) {
        return true;
    }
    [
        "_VERSION", "_HOME", "_DIR", "_ROOT", "_PATH", "_SHA256", "_SHA512", "_SHA", "_URL",
        "_PREFIX", "_USER", "_UID", "_GID", "_GROUP", "_OPTS", "_CONF", "_CONFIG", "_DEPS",
    ]
    .iter()
    .any(|s| name.ends_with(s))
}

/// The visible name closest to `name` (one or two edits, not case-only equal names excluded).
/// Declarations looked at for a did-you-mean (innermost first): bounds the work on
/// generated files with thousands of variables.
const MAX_SUGGESTION_CANDIDATES: usize = 256;

pub(crate) fn suggest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = if name.len() <= 4 { 1 } else { 2 };
    let lower = name.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        // The distance is at least the difference in length.
        if c.is_ascii() && name.is_ascii() && c.len().abs_diff(name.len()) > limit {
            continue;
        }
        let d = if c.eq_ignore_ascii_case(name) {
            0
        } else {
            dockside_syntax::edit_distance(&c.to_ascii_lowercase(), &lower)
        };
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}
