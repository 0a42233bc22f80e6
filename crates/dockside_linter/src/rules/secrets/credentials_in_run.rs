use dockside_semantic::{InstructionInfo, VarKind};
use dockside_shell::{SimpleCommand, Word};
use dockside_syntax::{Instruction, TextRange};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};
use crate::search;

declare_rule! {
    /// ## What it does
    /// Reports credentials handed to commands in `RUN`:
    /// - a registry token written or configured with `_authToken`
    ///   (`npm config set //registry.npmjs.org/:_authToken …`,
    ///   `echo "//…/:_authToken=$NPM_TOKEN" > .npmrc`);
    /// - a URL with a user and password (`pip install --index-url
    ///   https://user:pass@pypi.example.com/simple`, `git clone
    ///   https://oauth2:$TOKEN@gitlab.example.com/…`);
    /// - `--password`, `--passwd`, `--token`, `--auth-token`, `--api-key` with
    ///   a value, `docker login -p …`, `mysql -p<password>`, `curl -u
    ///   user:password`;
    /// - a password piped into `chpasswd` (`echo "root:secret" | chpasswd`).
    ///
    /// A literal value is always reported. A value taken from a variable is
    /// reported when the variable is an `ARG` or `ENV` of the Dockerfile and the
    /// `RUN` has no `--mount=type=secret`: build-argument values are recorded
    /// in the image history. Values read from a secret mount
    /// (`$(cat /run/secrets/npm_token)`) or from a variable set inside the same
    /// `RUN` are fine. The message never repeats the credential.
    ///
    /// ## Why is this bad?
    /// A literal credential is in the Dockerfile, the build log and the image
    /// history (`docker history` shows every `RUN` command line); a credential
    /// from a build argument is recorded in the history too, and files such as
    /// `.npmrc` written with it stay in the layer. Build secrets are mounted
    /// for one `RUN` and never stored.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG NPM_TOKEN
    /// RUN npm config set //registry.npmjs.org/:_authToken "$NPM_TOKEN" && npm ci
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    ///     npm config set //registry.npmjs.org/:_authToken "$NPM_TOKEN" && npm ci && rm -f ~/.npmrc
    /// ```
    pub struct CredentialsInRun {
        name: "credentials-in-run",
        code: "DF306",
        group: "secrets",
        severity: Warning,
        aliases: ["require-secret-mounts", "CKV2_DOCKER_17"],
        fix: None,
        summary: "A credential is passed to a RUN command instead of a secret mount",
    }
}

impl Rule for CredentialsInRun {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (_, inst, info) in cx.instructions() {
            for (range, message) in credentials(cx, inst, info) {
                cx.report(Finding::new(range, message));
            }
        }
    }
}

/// The credentials an instruction's shell code passes to commands: the word
/// holding each one and the message.
pub(crate) fn credentials(
    cx: &Checker,
    inst: &Instruction,
    info: &InstructionInfo,
) -> Vec<(TextRange, String)> {
    let secret_mount = has_secret_mount(inst);
    let mut out = Vec::new();
    for code in &info.scripts {
        let text = code.text.as_str();
        let commands = &code.script.commands;
        for (i, cmd) in commands.iter().enumerate() {
            let found = credential(cmd).or_else(|| chpasswd_input(commands, i));
            let Some((word, what, value)) = found else {
                continue;
            };
            let judged = judge(cx, info, text, value, secret_mount);
            let Some(origin) = judged else { continue };
            out.push((
                code.source_range(word.range.clone()),
                format!("{what} {origin}; mount it with `RUN --mount=type=secret,id=…` so it is not stored"),
            ));
        }
    }
    out
}

fn has_secret_mount(inst: &Instruction) -> bool {
    inst.flags_named("mount").any(|f| {
        f.value
            .as_deref()
            .is_some_and(|v| v.split(',').any(|p| p.trim() == "type=secret"))
    })
}

/// How the credential gets into the build, when that is a problem.
fn judge(
    cx: &Checker,
    info: &InstructionInfo,
    text: &str,
    value: &str,
    secret_mount: bool,
) -> Option<String> {
    if value.contains("/run/secrets") || value.is_empty() {
        return None;
    }
    let vars = var_names(value);
    if vars.is_empty() {
        if value.contains("$(") || value.contains('`') || is_placeholder(value) {
            return None;
        }
        return Some("is written literally in the Dockerfile and kept in the image history".into());
    }
    if secret_mount {
        return None;
    }
    for name in vars {
        // Set inside the RUN itself (e.g. read from a file).
        if text.contains(&format!("{name}=")) {
            continue;
        }
        if let Some(b) = cx.model.lookup(info.scope, &name) {
            let kind = if b.kind == VarKind::Arg { "ARG" } else { "ENV" };
            return Some(format!(
                "comes from {kind} `{name}`, whose value is recorded in the image"
            ));
        }
    }
    None
}

fn is_placeholder(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    l.starts_with('<') || l.starts_with('{') || l.chars().all(|c| c == '*' || c == 'x')
}

/// `$NAME` / `${NAME}` names in a word.
fn var_names(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = v;
    while let Some(p) = rest.find('$') {
        rest = &rest[p + 1..];
        let r = rest.strip_prefix('{').unwrap_or(rest);
        let n: String = r
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !n.is_empty() {
            out.push(n);
        }
    }
    out
}

fn text(w: &Word) -> &str {
    w.value.as_deref().unwrap_or(&w.lossy)
}

/// The word holding a credential, a description and the credential text.
fn credential(cmd: &SimpleCommand) -> Option<(&Word, &'static str, &str)> {
    let args = cmd.args();
    let program = cmd.program().unwrap_or("");
    for (i, w) in args.iter().enumerate() {
        let t = text(w);
        // Every form below has a `-` first, a `_` or a `:`: most words have none.
        let b = t.as_bytes();
        let flag = b.first() == Some(&b'-');
        // (Most words are a few bytes: a plain loop beats memchr's setup.)
        if !flag && !b.iter().any(|&c| c == b'_' || c == b':') {
            continue;
        }
        // `…:_authToken=VALUE` or `…:_authToken VALUE`.
        if let Some(p) = search::find(t, "_authToken") {
            let after = &t[p + "_authToken".len()..];
            let value = match after.strip_prefix('=') {
                Some(v) => v,
                None if after.is_empty() => args.get(i + 1).map(text).unwrap_or(""),
                None => continue,
            };
            return Some((w, "a registry auth token", value));
        }
        if let Some(pw) = url_password(t) {
            return Some((w, "a password in a URL", pw));
        }
        if !flag {
            continue;
        }
        for flag in [
            "--password",
            "--passwd",
            "--token",
            "--auth-token",
            "--api-key",
        ] {
            if let Some(v) = t.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
                return Some((w, "a credential flag value", v));
            }
            if t == flag
                && let Some(next) = args.get(i + 1)
            {
                return Some((next, "a credential flag value", text(next)));
            }
        }
        match program {
            "docker" | "podman" | "buildah" | "helm" | "skopeo" if t == "-p" => {
                if let Some(next) = args.get(i + 1) {
                    return Some((next, "a registry password", text(next)));
                }
            }
            "mysql" | "mariadb" | "mysqladmin" | "mysqldump"
                if t.len() > 2 && t.starts_with("-p") =>
            {
                return Some((w, "a database password", &t[2..]));
            }
            "curl" if t == "-u" || t == "--user" => {
                if let Some(next) = args.get(i + 1)
                    && let Some((_, pw)) = text(next).split_once(':')
                {
                    return Some((next, "a password for `curl -u`", pw));
                }
            }
            _ => {}
        }
    }
    None
}

/// The password of `scheme://user:password@host`.
fn url_password(t: &str) -> Option<&str> {
    let start = search::find(t, "://")? + 3;
    let rest = &t[start..];
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    let at = authority.rfind('@')?;
    let (_, pw) = authority[..at].split_once(':')?;
    Some(pw)
}

/// `echo "user:password" | chpasswd`: the password given to chpasswd.
fn chpasswd_input(commands: &[SimpleCommand], i: usize) -> Option<(&Word, &'static str, &str)> {
    let cmd = &commands[i];
    if cmd.program() != Some("chpasswd") || cmd.has_flag(Some('e'), Some("encrypted")) {
        return None;
    }
    let p = cmd.pipeline?;
    commands[..i]
        .iter()
        .filter(|c| {
            c.pipeline.is_some_and(|q| q.id == p.id)
                && matches!(c.program(), Some("echo" | "printf"))
        })
        .flat_map(|c| c.args())
        .find_map(|w| {
            let (_, pw) = text(w).split_once(':')?;
            let pw = pw.trim_end_matches("\\n");
            (!pw.is_empty()).then_some((w, "a password piped into `chpasswd`", pw))
        })
}
