use dockside_semantic::PROXY_ARGS;
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
                    let used = insts[index + 1..].iter().any(|other| match other.keyword {
                        Keyword::From => mentions(cx.text(other.range), name),
                        Keyword::Arg => match &other.body {
                            Body::Pairs(ps) => ps.iter().any(|p| {
                                p.key.value == name
                                    || p.value.as_ref().is_some_and(|v| mentions(&v.value, name))
                            }),
                            _ => false,
                        },
                        _ => false,
                    });
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
                let mut used = false;
                let mut opaque_run = false;
                let mut in_from = false;
                for (j, other) in insts.iter().enumerate().skip(index + 1) {
                    // Stages built on this one inherit its ARGs.
                    let Some(other_stage) = cx.model.instructions[j].stage else {
                        continue;
                    };
                    if other.keyword == Keyword::From {
                        in_from |= mentions(cx.text(other.range), name);
                        continue;
                    }
                    if !cx.model.stage_ancestry(other_stage).contains(&stage) {
                        continue;
                    }
                    if mentions(&instruction_text(cx, other), name) {
                        used = true;
                        break;
                    }
                    if (other.keyword == Keyword::Run && !env_agnostic_run(cx, j))
                        || other.keyword == Keyword::Onbuild
                    {
                        opaque_run = true;
                    }
                }
                if used || opaque_run {
                    continue;
                }
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

/// `$NAME` or `${NAME…}` in `text`.
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
