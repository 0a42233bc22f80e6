use std::ops::Range;

use dockside_semantic::{Base, InstructionInfo, ScriptOrigin, ShellCode, ShellKind};
use dockside_shell::{PartKind, Word};
use dockside_syntax::Instruction;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags bash features in shell code that `/bin/sh` runs: RUN and
    /// shell-form CMD/ENTRYPOINT/HEALTHCHECK under the default SHELL
    /// (`["/bin/sh", "-c"]`) or a `sh`/`dash` SHELL, and `RUN <<EOF` heredoc
    /// scripts without a bash shebang. The features: `[[ … ]]`, `source`,
    /// `==` in `[ … ]`/`test`, the `function` keyword, arrays `a=(…)`,
    /// `$'…'` strings, `&>`, `<<<` here-strings, `${v:0:1}` substrings,
    /// `${v/a/b}` replacements, `${v^^}`/`${v,,}` case changes and `${!v}`
    /// indirection.
    ///
    /// Images whose `/bin/sh` is bash (CentOS, Fedora, RHEL/UBI, Amazon
    /// Linux, Rocky, Alma, Oracle Linux, openSUSE, Arch, Photon) are not
    /// checked. On Alpine and BusyBox images, whose `sh` is BusyBox ash, only
    /// what ash lacks is reported (arrays, case changes, `${!v}`). The
    /// distribution is read from the image name, or else from the package
    /// manager the stage runs (`apk` for Alpine; `yum`, `dnf`, `microdnf`,
    /// `tdnf`, `zypper`, `pacman` for a bash `/bin/sh`).
    ///
    /// ## Why is this bad?
    /// On Debian and Ubuntu images `/bin/sh` is dash, which knows none of
    /// these: `[[` is "not found", `source` is "not found", `$'\n'` is the
    /// literal text `$\n`, `cmd &> log` runs `cmd` in the background and
    /// truncates `log`. Some of these make the step fail, others silently do
    /// something else and the build carries on.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN if [[ -f /etc/app.conf ]]; then source /etc/app.conf; fi
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12
    /// RUN if [ -f /etc/app.conf ]; then . /etc/app.conf; fi
    /// ```
    /// or run the steps with bash:
    /// ```dockerfile
    /// FROM debian:12
    /// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    /// RUN if [[ -f /etc/app.conf ]]; then source /etc/app.conf; fi
    /// ```
    pub struct BashismInSh {
        name: "bashism-in-sh",
        code: "DF909",
        group: "shell",
        severity: Warning,
        aliases: [
            "SC3010", "SC3046", "SC3014", "SC2112", "SC3030", "SC3003", "SC3020",
            "SC3011", "SC3057", "SC3060", "SC3059", "SC3053"
        ],
        fix: None,
        summary: "a bash feature in shell code run by POSIX `sh`",
    }
}

impl Rule for BashismInSh {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let families = stage_families(cx);
        for (_, inst, info) in cx.instructions() {
            if info.scripts.is_empty() {
                continue;
            }
            let family = info
                .stage
                .and_then(|s| families.get(s).copied())
                .unwrap_or(Family::Posix);
            if family == Family::Bash {
                continue;
            }
            for code in &info.scripts {
                let Some(shell) = code_shell(inst, info, code) else {
                    continue;
                };
                if shell != "sh" && shell != "dash" {
                    continue;
                }
                let busybox = shell == "sh" && family == Family::Busybox;
                for (range, feature) in bashisms(code) {
                    if busybox && feature.busybox_ok {
                        continue;
                    }
                    cx.report(Finding::new(
                        code.source_range(range),
                        format!(
                            "{} is not POSIX sh and `{shell}` runs this code: {}, or set SHELL [\"/bin/bash\", \"-c\"]",
                            feature.what, feature.instead
                        ),
                    ));
                }
            }
        }
    }
}

struct Feature {
    what: &'static str,
    instead: &'static str,
    /// BusyBox ash (Alpine's `sh`) accepts it.
    busybox_ok: bool,
}

const DOUBLE_BRACKET: Feature = Feature {
    what: "`[[ … ]]`",
    instead: "use `[ … ]`",
    busybox_ok: true,
};
const SOURCE: Feature = Feature {
    what: "`source`",
    instead: "use `.`",
    busybox_ok: true,
};
const DOUBLE_EQUALS: Feature = Feature {
    what: "`==` in a test",
    instead: "use `=`",
    busybox_ok: true,
};
const FUNCTION: Feature = Feature {
    what: "the `function` keyword",
    instead: "write `name() { … }`",
    busybox_ok: true,
};
const ARRAY: Feature = Feature {
    what: "an array",
    instead: "use a space-separated string or `set --`",
    busybox_ok: false,
};
const ANSI_C: Feature = Feature {
    what: "a `$'…'` string",
    instead: "use `printf`",
    busybox_ok: true,
};
const AMP_REDIRECT: Feature = Feature {
    what: "`&>`",
    instead: "use `>file 2>&1`",
    busybox_ok: true,
};
const HERE_STRING: Feature = Feature {
    what: "a `<<<` here-string",
    instead: "use `printf '%s\\n' … |` or a heredoc",
    busybox_ok: true,
};
const SUBSTRING: Feature = Feature {
    what: "a `${var:offset:length}` substring",
    instead: "use `cut` or `${var#prefix}`/`${var%suffix}`",
    busybox_ok: true,
};
const REPLACE: Feature = Feature {
    what: "a `${var/pattern/text}` replacement",
    instead: "use `sed`",
    busybox_ok: true,
};
const CASE_CHANGE: Feature = Feature {
    what: "a `${var^^}`/`${var,,}` case change",
    instead: "use `tr`",
    busybox_ok: false,
};
const INDIRECT: Feature = Feature {
    what: "`${!var}` indirection",
    instead: "use `eval`",
    busybox_ok: false,
};

/// What `/bin/sh` is in the stage's base image, as far as its name tells.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    /// `/bin/sh` is bash.
    Bash,
    /// BusyBox ash.
    Busybox,
    /// dash, or not known: judge by POSIX.
    Posix,
}

/// Distribution names (in an image's repository or tag, digits stripped)
/// whose `/bin/sh` is bash.
const BASH_SH: &[&str] = &[
    "centos",
    "fedora",
    "rhel",
    "ubi",
    "amazonlinux",
    "amzn",
    "rockylinux",
    "rocky",
    "almalinux",
    "oraclelinux",
    "oracle",
    "opensuse",
    "sles",
    "archlinux",
    "photon",
];

/// Package managers that give the distribution away when the image name
/// does not: Alpine's, and those of distributions whose `/bin/sh` is bash.
const BUSYBOX_PACKAGERS: &[&str] = &["apk"];
const BASH_PACKAGERS: &[&str] = &["yum", "dnf", "microdnf", "tdnf", "zypper", "pacman"];

/// The family of every stage, from its image name and those of the stages it
/// builds on, else from the first package manager its RUNs (then theirs) use.
fn stage_families(cx: &Checker) -> Vec<Family> {
    struct Facts {
        bash_name: bool,
        busybox_name: bool,
        packager: Option<Family>,
    }
    let mut facts: Vec<Facts> = Vec::with_capacity(cx.model.stages.len());
    for (s, stage) in cx.model.stages.iter().enumerate() {
        let mut own = Facts {
            bash_name: false,
            busybox_name: false,
            packager: first_packager(cx, s),
        };
        let image = stage.image.to_ascii_lowercase();
        for token in image.split(['/', ':', '-', '_', '.', '@']) {
            let name = token.trim_end_matches(|c: char| c.is_ascii_digit());
            own.bash_name |= BASH_SH.contains(&name);
            own.busybox_name |= name == "alpine" || name == "busybox";
        }
        // A stage can only build on an earlier one, whose facts are known.
        if let Base::Stage(parent) = stage.base
            && parent < s
        {
            let inherited = &facts[parent];
            own.bash_name |= inherited.bash_name;
            own.busybox_name |= inherited.busybox_name;
            own.packager = own.packager.or(inherited.packager);
        }
        facts.push(own);
    }
    facts
        .iter()
        .map(|f| {
            if f.bash_name {
                Family::Bash
            } else if f.busybox_name {
                Family::Busybox
            } else {
                f.packager.unwrap_or(Family::Posix)
            }
        })
        .collect()
}

/// The family the first package manager run in the stage's own RUNs gives away.
fn first_packager(cx: &Checker, stage: usize) -> Option<Family> {
    for i in cx.model.stages[stage].instructions() {
        let scripts = cx
            .model
            .instructions
            .get(i)
            .map_or(&[][..], |info| &info.scripts[..]);
        for cmd in scripts.iter().flat_map(|code| &code.script.commands) {
            match cmd.program() {
                Some(p) if BASH_PACKAGERS.contains(&p) => return Some(Family::Bash),
                Some(p) if BUSYBOX_PACKAGERS.contains(&p) => return Some(Family::Busybox),
                _ => {}
            }
        }
    }
    None
}

/// The shell (basename) that runs `code`: the instruction's SHELL, or for a
/// heredoc script its shebang or the shell named before it (`RUN bash <<EOF`).
fn code_shell(inst: &Instruction, info: &InstructionInfo, code: &ShellCode) -> Option<String> {
    let ShellKind::Posix(shell) = &info.shell else {
        return None;
    };
    let ScriptOrigin::Heredoc(n) = code.origin else {
        return Some(shell.clone());
    };
    if let Some(doc) = inst.heredocs.get(n)
        && let Some(interpreter) = dockside_shell::shebang_interpreter(&doc.body)
    {
        return Some(interpreter);
    }
    let line_program = info
        .scripts
        .iter()
        .find(|c| c.origin == ScriptOrigin::Line)
        .and_then(|c| c.script.commands.first())
        .and_then(|c| c.program());
    Some(line_program.unwrap_or(shell).to_string())
}

/// Every bash feature in the code, in source order.
fn bashisms(code: &ShellCode) -> Vec<(Range<usize>, &'static Feature)> {
    let mut out = Vec::new();
    let script = &code.script;
    // Only `${…}` and `$'…'` parts of words can be bashisms: most scripts have none.
    let text = code.text.as_str().as_bytes();
    let dollar_parts =
        memchr::memchr_iter(b'$', text).any(|i| matches!(text.get(i + 1), Some(b'{' | b'\'')));
    for cmd in &script.commands {
        if let Some(first) = cmd.argv.first() {
            match first.value.as_deref() {
                Some("[[") => out.push((first.range.clone(), &DOUBLE_BRACKET)),
                Some("source") => out.push((first.range.clone(), &SOURCE)),
                Some("[" | "test") => {
                    if let Some(eq) = cmd.argv[1..].iter().find(|w| w.raw == "==") {
                        out.push((eq.range.clone(), &DOUBLE_EQUALS));
                    }
                }
                _ => {}
            }
        }
        for assignment in &cmd.assignments {
            if assignment.value.raw.starts_with('(') {
                out.push((assignment.range.clone(), &ARRAY));
            }
        }
        let words = cmd
            .argv
            .iter()
            .chain(cmd.assignments.iter().map(|a| &a.value))
            .chain(
                cmd.redirects
                    .iter()
                    .filter(|r| !r.op.starts_with("<<") || r.op == "<<<")
                    .filter_map(|r| r.target.as_ref()),
            );
        for word in words.filter(|_| dollar_parts) {
            word_bashisms(word, &mut out);
        }
        for redirect in &cmd.redirects {
            match redirect.op.as_str() {
                "&>" | "&>>" => out.push((redirect.range.clone(), &AMP_REDIRECT)),
                "<<<" => out.push((redirect.range.clone(), &HERE_STRING)),
                _ => {}
            }
        }
    }
    for function in &script.functions {
        if let Some(keyword) = &function.keyword {
            out.push((keyword.clone(), &FUNCTION));
        }
    }
    out.sort_by_key(|(range, _)| (range.start, range.end));
    out.dedup_by_key(|(range, _)| range.start);
    out
}

fn word_bashisms(word: &Word, out: &mut Vec<(Range<usize>, &'static Feature)>) {
    // Only `${…}` and `$'…'` parts can be bashisms.
    let raw = word.raw.as_bytes();
    if !raw
        .windows(2)
        .any(|w| w[0] == b'$' && matches!(w[1], b'{' | b'\''))
    {
        return;
    }
    for part in word.parts() {
        let feature = match &part.kind {
            PartKind::AnsiC => &ANSI_C,
            PartKind::Braced(inner) if inner.len() > 1 && inner.starts_with('!') => &INDIRECT,
            kind @ PartKind::Braced(_) => match kind.modifier().and_then(|m| m.chars().next()) {
                Some(':') => {
                    let after = kind.modifier().unwrap_or("")[1..].chars().next();
                    if after.is_some_and(|c| "-=?+".contains(c)) {
                        continue;
                    }
                    &SUBSTRING
                }
                Some('/') => &REPLACE,
                Some('^' | ',') => &CASE_CHANGE,
                _ => continue,
            },
            _ => continue,
        };
        out.push((part.range.clone(), feature));
    }
}
