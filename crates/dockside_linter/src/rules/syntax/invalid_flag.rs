use dockside_config::did_you_mean;
use dockside_syntax::{Flag, TextRange};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks the flags of `FROM`, `RUN`, `COPY` and `ADD` as BuildKit does
    /// (flags an instruction does not have at all are reported by `syntax-error`):
    /// - a flag given twice that may appear only once (`--from`, `--chown`,
    ///   `--platform`, …; `--mount` and `--exclude` may repeat);
    /// - a value BuildKit refuses: `--network` other than `default`, `none` or
    ///   `host`, `--security` other than `sandbox` or `insecure`, a `--chmod`
    ///   that is neither octal (`755`) nor symbolic (`u+x,go=r`), a boolean flag
    ///   (`--link`, `--parents`, `--keep-git-dir`, `--unpack`) with a value other
    ///   than `true` or `false`, a `--checksum` without an algorithm
    ///   (`sha256:…`);
    /// - in `RUN --mount`: an unknown `type`, an unknown key (`targte=`), or a
    ///   `sharing` other than `shared`, `private` or `locked`.
    ///
    /// Values that contain a variable are not judged. `HEALTHCHECK` options are
    /// checked by `invalid-healthcheck`.
    ///
    /// ## Why is this bad?
    /// BuildKit stops the build at the instruction ("unknown flag", "unexpected
    /// key"), usually after the earlier steps have run for minutes, and the
    /// typo is easy to miss in review.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY --chmod=rwxr-xr-x run.sh /usr/local/bin/
    /// RUN --mount=type=cache,targte=/root/.cache/pip pip install -r requirements.txt
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// COPY --chmod=755 run.sh /usr/local/bin/
    /// RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
    /// ```
    ///
    /// ## Fix safety
    /// For a misspelled `--mount` key close to a real one, the fix writes the
    /// real key. It is unsafe: the build stops failing and does what
    /// the corrected flag says, which should be checked.
    pub struct InvalidFlag {
        name: "invalid-flag",
        code: "DF010",
        group: "syntax",
        severity: Error,
        aliases: [],
        fix: Sometimes,
        summary: "Repeated flag, invalid flag value or unknown `--mount` key on FROM, RUN, COPY or ADD",
    }
}

const REPEATABLE: &[&str] = &["mount", "exclude", "device"];
const BOOLEAN: &[&str] = &["link", "parents", "keep-git-dir", "unpack"];

const MOUNT_TYPES: &[&str] = &["bind", "cache", "tmpfs", "secret", "ssh"];
const MOUNT_KEYS: &[&str] = &[
    "type",
    "id",
    "target",
    "dst",
    "destination",
    "source",
    "src",
    "from",
    "readonly",
    "ro",
    "readwrite",
    "rw",
    "required",
    "sharing",
    "mode",
    "uid",
    "gid",
    "size",
    "env",
];

impl Rule for InvalidFlag {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (_, inst, _) in cx.instructions() {
            let Some(known) = super::syntax_error::known_flags(inst.keyword) else {
                continue;
            };
            for (k, flag) in inst.flags.iter().enumerate() {
                // Reported by `syntax-error`.
                if !known.contains(&flag.name.as_str()) {
                    continue;
                }
                if !REPEATABLE.contains(&flag.name.as_str())
                    && inst.flags[..k].iter().any(|f| f.name == flag.name)
                {
                    cx.report(Finding::new(
                        flag.range,
                        format!(
                            "`--{}` is given more than once: BuildKit accepts it only once",
                            flag.name
                        ),
                    ));
                    continue;
                }
                check_value(cx, flag);
            }
        }
    }
}

fn check_value(cx: &Checker, flag: &Flag) {
    let Some(value) = flag.value.as_deref() else {
        if !BOOLEAN.contains(&flag.name.as_str()) {
            cx.report(Finding::new(
                flag.range,
                format!("`--{}` needs a value (`--{}=…`)", flag.name, flag.name),
            ));
        }
        return;
    };
    if value.contains('$') {
        return;
    }
    let range = flag.value_range.unwrap_or(flag.range);
    let unquoted = value.trim_matches(|c| c == '"' || c == '\'');
    let problem = match flag.name.as_str() {
        "network" if !matches!(unquoted, "default" | "none" | "host") => Some(format!(
            "`--network={unquoted}` is not valid: use `default`, `none` or `host`"
        )),
        "security" if !matches!(unquoted, "sandbox" | "insecure") => Some(format!(
            "`--security={unquoted}` is not valid: use `sandbox` or `insecure`"
        )),
        "chmod" if !valid_chmod(unquoted) => Some(format!(
            "`--chmod={unquoted}` is neither an octal mode (`755`) nor a symbolic one (`u+x,go=r`)"
        )),
        "checksum" if !unquoted.contains(':') => Some(format!(
            "`--checksum={unquoted}` needs an algorithm: `--checksum=sha256:<hex digest>`"
        )),
        name if BOOLEAN.contains(&name) && !matches!(unquoted, "true" | "false") => Some(format!(
            "`--{name}={unquoted}` is not a boolean: use `true` or `false`"
        )),
        "mount" => {
            check_mount(cx, value, range);
            None
        }
        _ => None,
    };
    if let Some(message) = problem {
        cx.report(Finding::new(range, message));
    }
}

fn valid_chmod(mode: &str) -> bool {
    if !mode.is_empty() && mode.len() <= 4 && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return true;
    }
    // Symbolic: `[ugoa]*[+-=][rwxXst]*` clauses, comma-separated.
    !mode.is_empty()
        && mode.split(',').all(|clause| {
            let ops = clause.trim_start_matches(['u', 'g', 'o', 'a']);
            ops.starts_with(['+', '-', '='])
                && ops
                    .chars()
                    .all(|c| matches!(c, '+' | '-' | '=' | 'r' | 'w' | 'x' | 'X' | 's' | 't'))
        })
}

fn check_mount(cx: &Checker, value: &str, range: TextRange) {
    if value.contains(['"', '\'']) {
        return;
    }
    let mut offset = range.start as usize;
    for field in value.split(',') {
        let field_range = TextRange::new(offset, offset + field.len());
        offset += field.len() + 1;
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (field.trim(), None),
        };
        let key_lower = key.to_ascii_lowercase();
        if key.is_empty() {
            continue;
        }
        if !MOUNT_KEYS.contains(&key_lower.as_str()) {
            let key_range = TextRange::new(
                field_range.start as usize,
                field_range.start as usize + key.len(),
            );
            let mut message =
                format!("`{key}` is not a `--mount` key: BuildKit stops with \"unexpected key\"");
            let finding = match did_you_mean(&key_lower, MOUNT_KEYS.iter().copied()) {
                Some(s) => {
                    message.push_str(&format!("; did you mean `{s}`?"));
                    Finding::new(key_range, message).with_fix(Fix::unsafe_(
                        format!("Use `{s}`"),
                        vec![Edit::replace(key_range, s)],
                    ))
                }
                None => Finding::new(key_range, message),
            };
            cx.report(finding);
            continue;
        }
        let Some(val) = val else { continue };
        let val_lower = val.to_ascii_lowercase();
        let problem = match key_lower.as_str() {
            "type" if !MOUNT_TYPES.contains(&val_lower.as_str()) => Some(format!(
                "`type={val}` is not a mount type: use `bind`, `cache`, `tmpfs`, `secret` or `ssh`"
            )),
            "sharing" if !matches!(val_lower.as_str(), "shared" | "private" | "locked") => Some(
                format!("`sharing={val}` is not valid: use `shared`, `private` or `locked`"),
            ),
            _ => None,
        };
        if let Some(message) = problem {
            cx.report(Finding::new(field_range, message));
        }
    }
}
