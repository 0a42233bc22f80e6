use dockside_shell::{SimpleCommand, Word};
use dockside_syntax::{Body, Keyword, TextRange};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, FileId, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports `USER name:group` (or `uid:gid`) for a user that a `RUN` of the
    /// same stage, or of the stages it is built on, added to supplementary
    /// groups: `useradd -G`, `usermod -G`/`-aG`, `gpasswd -a`, and the two-name
    /// forms `adduser user group` and `addgroup user group`. Only groups other
    /// than the one `USER` names count; a numeric user is matched through the
    /// `-u` given when it was created.
    ///
    /// ## Why is this bad?
    /// With a group in `USER`, the container process gets exactly that group and
    /// no supplementary groups, whatever `/etc/group` says. The memberships the
    /// Dockerfile set up (`docker`, `audio`, `video`, a shared data group) have
    /// no effect, and the process fails with "permission denied" on the files
    /// and devices those groups were meant to open. With `USER name` alone, the
    /// primary group comes from `/etc/passwd` and the supplementary groups from
    /// `/etc/group`.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN useradd -m app && usermod -aG video app
    /// USER app:app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN useradd -m app && usermod -aG video app
    /// USER app
    /// ```
    ///
    /// ## Fix safety
    /// The fix removes the group from `USER`. It is unsafe: the process then runs
    /// with the user's primary group from `/etc/passwd`, which differs from the
    /// group that was written when that group is not the user's primary group
    /// (files the process creates get another group).
    pub struct UserGroupDropsSupplementary {
        name: "user-group-drops-supplementary",
        code: "DF718",
        group: "user",
        severity: Warning,
        aliases: ["user-explicit-group-drops-supplementary-groups"],
        fix: Always,
        summary: "`USER name:group` drops the supplementary groups the Dockerfile added the user to",
    }
}

/// A user added to supplementary groups by a RUN command.
struct Membership {
    user: String,
    groups: Vec<String>,
    /// Where the command is, in the Dockerfile.
    range: TextRange,
}

/// Facts about users that the RUNs before a `USER` establish.
#[derive(Default)]
struct Users {
    memberships: Vec<Membership>,
    /// (uid, name) of users created with an explicit uid.
    uids: Vec<(String, String)>,
}

impl Rule for UserGroupDropsSupplementary {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (index, inst, info) in cx.instructions() {
            let (Keyword::User, Body::Words(words)) = (&inst.keyword, &inst.body) else {
                continue;
            };
            let Some(word) = words.first() else {
                continue;
            };
            let expanded = cx.model.expand(index, &word.value);
            if !expanded.complete {
                continue;
            }
            let Some((user, group)) = expanded.value.split_once(':') else {
                continue;
            };
            let (user, group) = (user.trim(), group.trim());
            if user.is_empty() || group.is_empty() {
                continue;
            }
            let Some(stage) = info.stage else {
                continue;
            };
            let users = users_before(cx, stage, index);
            let name = if user.bytes().all(|b| b.is_ascii_digit()) {
                match users.uids.iter().find(|(uid, _)| uid == user) {
                    Some((_, name)) => name.as_str(),
                    None => continue,
                }
            } else {
                user
            };
            let mut dropped: Vec<&str> = Vec::new();
            let mut related: Vec<(TextRange, Vec<&str>)> = Vec::new();
            for m in users.memberships.iter().filter(|m| m.user == name) {
                let new: Vec<&str> = m
                    .groups
                    .iter()
                    .map(String::as_str)
                    .filter(|g| *g != group && !dropped.contains(g))
                    .collect();
                if !new.is_empty() {
                    dropped.extend(&new);
                    related.push((m.range, new));
                }
            }
            if dropped.is_empty() {
                continue;
            }
            let quoted = |groups: &[&str]| {
                groups
                    .iter()
                    .map(|g| format!("`{g}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let (noun, pronoun) = if dropped.len() == 1 {
                ("group", "it")
            } else {
                ("groups", "them")
            };
            let message = format!(
                "`USER {user}:{group}` runs with the group `{group}` only: `{name}` loses the supplementary {noun} \
                 {}; write `USER {user}` to keep {pronoun}",
                quoted(&dropped)
            );
            let fix = Fix::unsafe_(
                format!("Remove the group: `USER {user}`"),
                vec![Edit::replace(word.range, user.to_string())],
            );
            let mut finding = Finding::new(word.range, message).with_fix(fix);
            for (range, groups) in related {
                finding = finding.with_related(
                    FileId::MAIN,
                    range,
                    format!("`{name}` joins {} here", quoted(&groups)),
                );
            }
            cx.report(finding);
        }
    }
}

/// The users created and the group memberships set up by RUNs before instruction
/// `before`, in `stage` and the stages it is built on.
fn users_before(cx: &Checker, stage: usize, before: usize) -> Users {
    let mut users = Users::default();
    for s in cx.model.stage_ancestry(stage).into_iter().rev() {
        for i in cx.model.stages[s].instructions() {
            if i >= before || cx.dockerfile.instructions[i].keyword != Keyword::Run {
                continue;
            }
            for code in &cx.model.instructions[i].scripts {
                for cmd in &code.script.commands {
                    let range = code.source_range(cmd.range.clone());
                    read_command(cmd, range, &mut users);
                }
            }
        }
    }
    users
}

/// Options that take a value, per program (short letters and long names).
fn value_options(program: &str) -> (&'static str, &'static [&'static str]) {
    match program {
        "useradd" => (
            "bcdefgGkKpPRsuUZ",
            &[
                "base-dir",
                "comment",
                "home-dir",
                "expiredate",
                "inactive",
                "gid",
                "groups",
                "skel",
                "key",
                "password",
                "root",
                "prefix",
                "shell",
                "uid",
                "selinux-user",
                "selinux-range",
            ],
        ),
        "usermod" => (
            "cdefgGlLpPRsuUvVwWZ",
            &[
                "comment",
                "home",
                "expiredate",
                "inactive",
                "gid",
                "groups",
                "login",
                "password",
                "root",
                "prefix",
                "shell",
                "uid",
                "add-subuids",
                "del-subuids",
                "add-subgids",
                "del-subgids",
                "selinux-user",
                "selinux-range",
            ],
        ),
        "adduser" => (
            "ghsuGk",
            &[
                "home", "shell", "uid", "gid", "ingroup", "gecos", "comment", "conf", "firstuid",
                "lastuid", "firstgid", "lastgid", "key",
            ],
        ),
        "addgroup" => ("g", &["gid", "conf", "firstgid", "lastgid", "key"]),
        "gpasswd" => ("adMAr", &["add", "delete", "members", "administrators"]),
        _ => ("", &[]),
    }
}

/// A command's options (name without dashes, value) and positional arguments.
/// `None` when a word has no static value.
#[allow(clippy::type_complexity)]
fn parse_args<'a>(
    program: &str,
    args: &'a [Word],
) -> Option<(Vec<(String, Option<String>)>, Vec<&'a str>)> {
    let (short_values, long_values) = value_options(program);
    let mut options = Vec::new();
    let mut positional = Vec::new();
    let mut iter = args.iter();
    while let Some(w) = iter.next() {
        let v = w.value.as_deref()?;
        if let Some(long) = v.strip_prefix("--") {
            if long.is_empty() {
                positional.extend(
                    iter.map(|w| w.value.as_deref())
                        .collect::<Option<Vec<_>>>()?,
                );
                break;
            }
            match long.split_once('=') {
                Some((name, value)) => options.push((name.to_string(), Some(value.to_string()))),
                None if long_values.contains(&long) => {
                    let value = iter
                        .next()
                        .and_then(|w| w.value.as_ref().map(ToString::to_string))?;
                    options.push((long.to_string(), Some(value)));
                }
                None => options.push((long.to_string(), None)),
            }
        } else if let Some(short) = v.strip_prefix('-').filter(|s| !s.is_empty()) {
            for (k, c) in short.char_indices() {
                if short_values.contains(c) {
                    let rest = &short[k + c.len_utf8()..];
                    let value = if rest.is_empty() {
                        iter.next()
                            .and_then(|w| w.value.as_ref().map(ToString::to_string))?
                    } else {
                        rest.to_string()
                    };
                    options.push((c.to_string(), Some(value)));
                    break;
                }
                options.push((c.to_string(), None));
            }
        } else {
            positional.push(v);
        }
    }
    Some((options, positional))
}

fn option<'o>(options: &'o [(String, Option<String>)], names: &[&str]) -> Option<&'o str> {
    options
        .iter()
        .rev()
        .find(|(n, _)| names.contains(&n.as_str()))
        .and_then(|(_, v)| v.as_deref())
}

fn group_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_string)
        .collect()
}

fn read_command(cmd: &SimpleCommand, range: TextRange, users: &mut Users) {
    let Some(program) = cmd.program() else {
        return;
    };
    if !matches!(
        program,
        "useradd" | "usermod" | "adduser" | "addgroup" | "gpasswd"
    ) {
        return;
    }
    let Some((options, positional)) = parse_args(program, cmd.args()) else {
        return;
    };
    let mut add = |user: &str, groups: Vec<String>| {
        if !groups.is_empty() {
            users.memberships.push(Membership {
                user: user.to_string(),
                groups,
                range,
            });
        }
    };
    match (program, positional.as_slice()) {
        ("useradd" | "usermod", [.., name]) => {
            if let Some(groups) = option(&options, &["G", "groups"]) {
                add(name, group_list(groups));
            }
            if program == "useradd"
                && let Some(uid) = option(&options, &["u", "uid"])
            {
                users.uids.push((uid.to_string(), name.to_string()));
            }
        }
        // `adduser user group` / BusyBox `addgroup user group`: an existing user joins a group.
        ("adduser" | "addgroup", [user, group]) => add(user, vec![group.to_string()]),
        ("adduser", [name]) => {
            if let Some(uid) = option(&options, &["u", "uid"]) {
                users.uids.push((uid.to_string(), name.to_string()));
            }
        }
        ("gpasswd", [group]) => {
            if let Some(user) = option(&options, &["a", "add"]) {
                add(user, vec![group.to_string()]);
            }
        }
        _ => {}
    }
}
