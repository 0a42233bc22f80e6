//! Stripping of wrapper commands (`exec`, `sudo`, `env`, …).

use crate::{Word, basename};

/// A command with its wrapper commands stripped.
#[derive(Clone, Debug)]
pub struct Unwrapped<'a> {
    /// Wrapper program basenames, outermost first (`["sudo", "env"]`).
    pub wrappers: Vec<&'a str>,
    /// The remaining argv: the wrapped program and its arguments.
    pub argv: &'a [Word],
}

/// How a wrapper's options are laid out.
struct Spec {
    /// Short options taking a value (`-u USER`).
    short_arg: &'static [char],
    /// Long options taking a value when given without `=` (`--user USER`).
    long_arg: &'static [&'static str],
    /// `NAME=value` words after the options are skipped (`env`, `sudo`).
    assignments: bool,
    /// Number of positional words after the options (`gosu USER`, `nice`'s none).
    positional: usize,
    /// Parse options at all (`gosu` has none).
    options: bool,
}

const fn spec(short_arg: &'static [char], long_arg: &'static [&'static str]) -> Spec {
    Spec {
        short_arg,
        long_arg,
        assignments: false,
        positional: 0,
        options: true,
    }
}

const EXEC: Spec = spec(&['a'], &[]);
const SUDO: Spec = Spec {
    assignments: true,
    ..spec(
        &['u', 'g', 'C', 'D', 'p', 'r', 't', 'U', 'T', 'R'],
        &[
            "user",
            "group",
            "close-from",
            "chdir",
            "prompt",
            "role",
            "type",
            "other-user",
            "command-timeout",
            "chroot",
            "host",
        ],
    )
};
const ENV: Spec = Spec {
    assignments: true,
    ..spec(&['u', 'C'], &["unset", "chdir"])
};
const NOHUP: Spec = spec(&[], &[]);
const TIME: Spec = spec(&['f', 'o'], &["format", "output"]);
const COMMAND: Spec = spec(&[], &[]);
const NICE: Spec = spec(&['n'], &["adjustment"]);
const STDBUF: Spec = spec(&['i', 'o', 'e'], &["input", "output", "error"]);
const USER_ARG: Spec = Spec {
    options: false,
    positional: 1,
    ..spec(&[], &[])
};
const TINI: Spec = spec(&['p', 'e'], &[]);
const DUMB_INIT: Spec = spec(&['r'], &["rewrite"]);

fn spec_for(name: &str) -> Option<&'static Spec> {
    Some(match name {
        "exec" => &EXEC,
        "sudo" => &SUDO,
        "env" => &ENV,
        "nohup" => &NOHUP,
        "time" => &TIME,
        "command" => &COMMAND,
        "nice" => &NICE,
        "stdbuf" => &STDBUF,
        "gosu" | "su-exec" => &USER_ARG,
        "tini" | "tini-static" => &TINI,
        "dumb-init" => &DUMB_INIT,
        _ => return None,
    })
}

/// Index of the wrapped command word for the wrapper at `argv[0]`, if any.
fn wrapped_start(name: &str, argv: &[Word]) -> Option<usize> {
    let spec = spec_for(name)?;
    let mut i = 1;
    if spec.options {
        while let Some(word) = argv.get(i) {
            let Some(v) = word.value.as_deref() else {
                break;
            };
            if v == "--" {
                i += 1;
                break;
            }
            if let Some(long) = v.strip_prefix("--") {
                if name == "env" && long.starts_with("split-string") {
                    return None;
                }
                i += if !long.contains('=') && spec.long_arg.contains(&long) {
                    2
                } else {
                    1
                };
                continue;
            }
            if name == "env" && v == "-" {
                i += 1;
                continue;
            }
            let Some(cluster) = v.strip_prefix('-').filter(|c| !c.is_empty()) else {
                break;
            };
            // `command -v x` / `-V` only looks the name up; `env -S` splits a string.
            if (name == "command" && cluster.contains(['v', 'V']))
                || (name == "env" && cluster.contains('S'))
            {
                return None;
            }
            i += 1;
            for (pos, c) in cluster.char_indices() {
                if spec.short_arg.contains(&c) {
                    if pos + c.len_utf8() == cluster.len() {
                        i += 1; // the value is the next word
                    }
                    break;
                }
            }
        }
    }
    if spec.assignments {
        while let Some(v) = argv.get(i).and_then(|w| w.value.as_deref()) {
            if is_assignment(v) {
                i += 1;
            } else {
                break;
            }
        }
    }
    i += spec.positional;
    (i < argv.len()).then_some(i)
}

/// `NAME=value` with a valid variable name.
fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

pub(crate) fn unwrap(argv: &[Word]) -> Unwrapped<'_> {
    let mut wrappers = Vec::new();
    let mut rest = argv;
    while let Some(name) = rest
        .first()
        .and_then(|w| w.value.as_deref())
        .and_then(basename)
    {
        match wrapped_start(name, rest) {
            Some(start) => {
                wrappers.push(name);
                rest = &rest[start..];
            }
            None => break,
        }
    }
    Unwrapped {
        wrappers,
        argv: rest,
    }
}
