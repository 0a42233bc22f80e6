use dockside_shell::{SimpleCommand, Word};
use dockside_syntax::Keyword;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

use super::{is_root, user_before};

declare_rule! {
    /// ## What it does
    /// Reports a user created with `useradd` or `adduser` in the final image
    /// when the image still runs as root: no `USER` follows, or the last one
    /// is `root`.
    ///
    /// Not reported: system accounts (`useradd -r`, `adduser -S`/`--system`),
    /// which daemons such as nginx or postgres switch to on their own; images
    /// whose `ENTRYPOINT` or `CMD` mentions the user or drops privileges
    /// (`gosu`, `su-exec`, `su`, `runuser`, `setpriv`, `chpst`,
    /// `s6-setuidgid`) or runs an entrypoint script, which usually does;
    /// base images without their own `CMD` or `ENTRYPOINT` (the images built
    /// on them choose the user) and development-environment stages
    /// (`dev-envs`, `devcontainer`), which an IDE attaches to as that user.
    ///
    /// ## Why is this bad?
    /// Creating a user suggests the process should not run as root, but
    /// without `USER` it still does: the account is dead weight and the
    /// container keeps full privileges.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN useradd -m app
    /// CMD ["/usr/local/bin/app"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN useradd -m app
    /// USER app
    /// CMD ["/usr/local/bin/app"]
    /// ```
    pub struct UserNotSwitched {
        name: "user-not-switched",
        code: "DF715",
        group: "user",
        severity: Warning,
        aliases: ["user-created-but-never-used"],
        fix: None,
        summary: "A user is created but the image never switches to it",
    }
}

impl Rule for UserNotSwitched {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let Some(last) = cx.model.final_stage() else {
            return;
        };
        match user_before(cx, last.index, last.end) {
            None => {}
            Some((_, _, Some(u))) if is_root(&u) => {}
            _ => return,
        }
        // Without its own CMD or ENTRYPOINT this is a base image: the images built on it choose the user.
        if last.entrypoint.is_none() && last.cmd.is_none() {
            return;
        }
        // Development-environment stages: the IDE attaches as the created user.
        if last
            .name
            .as_deref()
            .is_some_and(|n| n.contains("dev-env") || n.contains("devcontainer"))
        {
            return;
        }
        // ENTRYPOINT / CMD that may drop privileges.
        let runtime: String = [last.entrypoint, last.cmd]
            .iter()
            .flatten()
            .map(|&i| cx.text(cx.dockerfile.instructions[i].range))
            .collect::<Vec<_>>()
            .join("\n");
        let drops = [
            "gosu",
            "su-exec",
            "su ",
            "\"su\"",
            "runuser",
            "setpriv",
            "chpst",
            "s6-setuidgid",
            "setuser",
            ".sh",
            "entrypoint",
            "supervisord",
            "--user",
            "-u ",
        ]
        .iter()
        .any(|p| runtime.contains(p));
        if drops {
            return;
        }
        for s in cx.model.stage_ancestry(last.index) {
            for i in cx.model.stages[s].instructions() {
                if cx.dockerfile.instructions[i].keyword != Keyword::Run {
                    continue;
                }
                for code in &cx.model.instructions[i].scripts {
                    for cmd in &code.script.commands {
                        let Some((word, name)) = created_user(cmd) else {
                            continue;
                        };
                        if mentions_user(&runtime, name) {
                            continue;
                        }
                        cx.report(Finding::new(
                            code.source_range(word.range.clone()),
                            format!(
                                "user `{name}` is created but the final image never switches to it, so containers \
                                 run as root; add `USER {name}` after the steps that need root"
                            ),
                        ));
                    }
                }
            }
        }
    }
}

/// The user name a `useradd` / `adduser` creates (not system accounts).
fn created_user(cmd: &SimpleCommand) -> Option<(&Word, &str)> {
    let program = cmd.program()?;
    let (sys_short, system, value_opts): (char, &[&str], &[&str]) = match program {
        "useradd" => (
            'r',
            &["-r", "--system"],
            &[
                "-u",
                "--uid",
                "-g",
                "--gid",
                "-G",
                "--groups",
                "-d",
                "--home-dir",
                "-s",
                "--shell",
                "-c",
                "--comment",
                "-e",
                "--expiredate",
                "-f",
                "--inactive",
                "-k",
                "--skel",
                "-K",
                "--key",
                "-p",
                "--password",
                "-b",
                "--base-dir",
                "-Z",
                "--selinux-user",
                "-R",
                "--root",
                "-P",
                "--prefix",
            ],
        ),
        "adduser" => (
            'S',
            &["-S", "--system"],
            &[
                "-u",
                "--uid",
                "-g",
                "--gecos",
                "-G",
                "--ingroup",
                "--gid",
                "-h",
                "--home",
                "-s",
                "--shell",
                "-k",
                "--firstuid",
                "--lastuid",
                "--conf",
                "--add_extra_groups",
                "--comment",
            ],
        ),
        _ => return None,
    };
    let args = cmd.args();
    let mut positional: Vec<&Word> = Vec::new();
    let mut skip = false;
    for w in args {
        if skip {
            skip = false;
            continue;
        }
        let v = w.value.as_deref()?;
        let short = v
            .strip_prefix('-')
            .filter(|r| !r.starts_with('-') && r.chars().all(|c| c.is_ascii_alphabetic()));
        if system.contains(&v) || short.is_some_and(|r| r.contains(sys_short)) {
            return None;
        }
        if v.starts_with('-') {
            skip = value_opts.contains(&v);
            continue;
        }
        positional.push(w);
    }
    // `adduser user group` adds an existing user to a group.
    if positional.len() != 1 {
        return None;
    }
    let w = positional[0];
    Some((w, w.value.as_deref()?))
}

/// `name` as a word of `text` (not part of a longer name or of a path).
fn mentions_user(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/');
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(|c| ident(c) && c != '/')
    })
}
