use std::collections::HashMap;

use dockside_semantic::{Lookup, Scope, ShellCode, ShellKind};
use dockside_shell::{PartKind, Script, SimpleCommand};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a `$VAR` or `${VAR…}` written outside double quotes in a
    /// command's arguments, in RUN and shell-form CMD/ENTRYPOINT/HEALTHCHECK
    /// (heredoc scripts included), when its value may contain spaces or glob
    /// characters.
    ///
    /// A variable is not reported when its value is known to be one plain
    /// word: an ARG or ENV whose value at that instruction has no whitespace
    /// and no `*`, `?` or `[`, or a variable the script itself only assigns
    /// such values, or BuildKit's platform ARGs (`$TARGETARCH` …) and `$HOME`,
    /// `$PATH`, `$PWD`. Nor are the command name, `[[ … ]]`, assignments,
    /// redirections, `${#VAR}`, special parameters such as `$?`, and the
    /// arguments of `eval`, `set` and package managers (`apk add $runDeps`,
    /// `apt-mark manual $savedAptMark`), nor variables named as lists
    /// (`…FLAGS`, `…OPTIONS`, `…OPTS`, `…ARGS`, `…DEPS`, `…PACKAGES`,
    /// `…PKGS`), where splitting is either absent or intended.
    ///
    /// The rule is opt-in: Dockerfiles pass variables unquoted all the time,
    /// and on a corpus of 610 real-world Dockerfiles it still reports in 25
    /// of them, nearly always where the value cannot contain a space (a loop
    /// variable over fixed names, a `mktemp -d` result, a version from the
    /// base image's ENV) but the Dockerfile alone cannot prove it. Turn it on
    /// where build arguments or script variables can hold spaces or globs.
    ///
    /// ## Why is this bad?
    /// The shell splits an unquoted expansion on whitespace and expands glob
    /// characters in it: `rm -rf $DIR` with `DIR="/opt/my app"` removes
    /// `/opt/my` and `app`, and `cp $SRC /dst` with `SRC=*.conf` copies
    /// whatever matches. An empty value makes the argument disappear, so
    /// `[ -n $VAR ]` is true.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG INSTALL_DIR
    /// RUN mkdir -p $INSTALL_DIR
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ARG INSTALL_DIR
    /// RUN mkdir -p "$INSTALL_DIR"
    /// ```
    ///
    /// ## Fix safety
    /// The fix wraps the expansion in double quotes. It is unsafe: a value
    /// that is meant to be split into several arguments (a list of packages,
    /// extra flags) becomes a single argument.
    pub struct UnquotedVariable {
        name: "unquoted-variable",
        code: "DF910",
        group: "shell",
        severity: Info,
        aliases: ["SC2086"],
        fix: Always,
        summary: "an unquoted variable in a command's arguments may be split or globbed",
        opt_in: true,
    }
}

impl Rule for UnquotedVariable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (_, _, info) in cx.instructions() {
            // zsh does not split unquoted expansions.
            if !matches!(&info.shell, ShellKind::Posix(s) if s != "zsh") {
                continue;
            }
            for code in &info.scripts {
                check_code(cx, info.scope, code);
            }
        }
    }
}

/// Variables that always hold one word: the environment of a RUN, and
/// BuildKit's platform ARGs.
const PLAIN_ENVIRONMENT: &[&str] = &[
    "HOME",
    "PWD",
    "OLDPWD",
    "PATH",
    "HOSTNAME",
    "UID",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// Commands whose arguments are package names: a variable there holds a
/// list meant to be split (`apk add $runDeps`, `apt-mark manual $savedAptMark`).
const PACKAGE_COMMANDS: &[&str] = &[
    "apt-get",
    "apt",
    "apt-mark",
    "aptitude",
    "dpkg",
    "apk",
    "yum",
    "dnf",
    "microdnf",
    "tdnf",
    "zypper",
    "pacman",
    "rpm",
    "pip",
    "pip3",
    "npm",
    "yarn",
    "pnpm",
    "gem",
    "pecl",
    "docker-php-ext-install",
    "docker-php-ext-enable",
    "docker-php-ext-configure",
];

fn check_code(cx: &Checker, scope: Scope, code: &ShellCode) {
    let assigned = script_assignments(&code.script);
    for cmd in &code.script.commands {
        if cmd.argv.first().is_some_and(|w| w.raw == "[[")
            || cmd
                .program()
                .is_some_and(|p| matches!(p, "eval" | "set") || PACKAGE_COMMANDS.contains(&p))
        {
            continue;
        }
        let program_at = cmd.argv.len() - cmd.unwrapped_argv().len();
        let declaration = is_declaration(cmd);
        for (i, word) in cmd.argv.iter().enumerate() {
            if i == 0 || i == program_at || (declaration && assignment_name(&word.raw).is_some()) {
                continue;
            }
            for part in word.parts() {
                if part.quoted || !matches!(part.kind, PartKind::Simple(_) | PartKind::Braced(_)) {
                    continue;
                }
                let Some(name) = part.kind.parameter() else {
                    continue;
                };
                if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    || PLAIN_ENVIRONMENT.contains(&name)
                    || names_a_list(name)
                {
                    continue;
                }
                let safe = match assigned.get(name) {
                    Some(values) => values.iter().all(|v| v.as_deref().is_some_and(plain)),
                    None => match cx.model.lookup_value(scope, name) {
                        Lookup::Value(v) => plain(&v),
                        Lookup::Unknown | Lookup::Undefined => false,
                    },
                };
                if safe {
                    continue;
                }
                let range = code.source_range(part.range.clone());
                let written = code.text.as_str().get(part.range.clone()).unwrap_or(name);
                cx.report(
                    Finding::new(
                        range,
                        format!(
                            "`{written}` is not quoted, so its value is split on whitespace and glob-expanded: write \"{written}\""
                        ),
                    )
                    .with_fix(Fix::unsafe_(
                        "Quote the expansion",
                        vec![
                            Edit::insert(range.start as usize, "\""),
                            Edit::insert(range.end as usize, "\""),
                        ],
                    )),
                );
            }
        }
    }
}

/// `EXTRA_FLAGS`, `build_opts`, `runDeps`: by convention a list meant to be split.
fn names_a_list(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    LIST_SUFFIXES.iter().any(|s| upper.ends_with(s))
}

const LIST_SUFFIXES: &[&str] = &[
    "FLAGS", "OPTIONS", "OPTS", "ARGS", "DEPS", "PACKAGES", "PKGS",
];

/// A value that stays one word unquoted: no whitespace, no glob characters.
fn plain(value: &str) -> bool {
    !value.contains(|c: char| c.is_whitespace() || matches!(c, '*' | '?' | '['))
}

/// `NAME` of a `NAME=value` / `NAME+=value` word.
fn assignment_name(raw: &str) -> Option<&str> {
    let (name, _) = raw.split_once('=')?;
    let name = name.strip_suffix('+').unwrap_or(name);
    (!name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then_some(name)
}

/// Every value the script assigns to each variable (`None` when not static),
/// from `NAME=value` and `export NAME=value`-style declarations.
fn script_assignments(script: &Script) -> HashMap<String, Vec<Option<String>>> {
    let mut out: HashMap<String, Vec<Option<String>>> = HashMap::new();
    for cmd in &script.commands {
        for a in &cmd.assignments {
            out.entry(a.name.clone())
                .or_default()
                .push(a.value.value.as_ref().map(ToString::to_string));
        }
        if is_declaration(cmd) {
            for word in cmd.args() {
                if let Some(name) = assignment_name(&word.raw) {
                    let value = word
                        .value
                        .as_deref()
                        .and_then(|v| v.split_once('='))
                        .map(|(_, v)| v.to_string());
                    out.entry(name.to_string()).or_default().push(value);
                }
            }
        }
        // `read NAME`, `for NAME in …` and the like leave the value unknown.
        if cmd.program() == Some("read") {
            for word in cmd.args().iter().filter(|w| !w.text().starts_with('-')) {
                out.entry(word.text().to_string()).or_default().push(None);
            }
        }
    }
    out
}

fn is_declaration(cmd: &SimpleCommand) -> bool {
    matches!(
        cmd.program(),
        Some("export" | "local" | "readonly" | "declare" | "typeset")
    )
}
