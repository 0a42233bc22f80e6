use dockside_compose::interpolate;
use dockside_compose::yaml::{Node, ScalarStyle, Value};
use dockside_syntax::TextRange;

use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};
use crate::rules::secrets::secret_in_env::{detect_secret_value, name_words};

declare_rule! {
    /// ## What it does
    /// Reports credentials written in a service's `environment:` (mapping and
    /// list forms):
    ///
    /// - a variable whose name says it holds a credential — a word of the name
    ///   (split on `_`, `-`, `.` and camelCase) is `password`, `passwd`,
    ///   `secret`, `token`, `apikey`, `credential(s)`, `auth`, `passphrase`,
    ///   or the name pairs `key` with `api`, `private`, `access`, `secret`,
    ///   `encryption`, `signing` or `master` (`DB_PASSWORD`, `SECRET_KEY`,
    ///   `MYSQL_PWD`) — set to a literal value;
    /// - any variable whose value holds a URL with a password
    ///   (`postgres://user:pass@db/app`, `redis://:pass@cache`) or a well-known
    ///   token format (GitHub, GitLab, Slack, Stripe, AWS, PEM private keys…).
    ///
    /// Not reported: values taken from the environment (`${DB_PASSWORD}`,
    /// `- DB_PASSWORD` without a value), empty values and booleans, `*_FILE`
    /// variables (the official images read the secret from that file), and
    /// names that describe the credential rather than hold it (`AUTH_URL`,
    /// `TOKEN_TTL`, `PASSWORD_MIN_LENGTH`, `AWS_ACCESS_KEY_ID`…). Placeholders
    /// such as `changeme` are reported too: they end up being the real
    /// password of many deployments.
    ///
    /// ## Why is this bad?
    /// The Compose file is committed: everyone with access to the repository
    /// (and its history, forever) gets the credential, and the same value runs
    /// in every environment. `docker inspect` shows it to anyone who can reach
    /// the Docker socket.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:2.3
    ///     environment:
    ///       DB_PASSWORD: hunter2
    ///       DATABASE_URL: postgres://app:hunter2@db/app
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:2.3
    ///     environment:
    ///       DB_PASSWORD: ${DB_PASSWORD}   # from an uncommitted .env
    ///       DB_PASSWORD_FILE: /run/secrets/db_password
    ///     secrets:
    ///       - db_password
    /// secrets:
    ///   db_password:
    ///     file: ./db_password.txt
    /// ```
    pub struct SecretInEnvironment {
        name: "secret-in-environment",
        code: "DC104",
        group: "compose-services",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "Credential written in a service's `environment`",
        target: Compose,
    }
}

const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "credential",
    "credentials",
    "auth",
    "privatekey",
    "secretkey",
    "accesstoken",
    "clientsecret",
];

/// Words that go with `key` in a credential's name (`API_KEY`, `SECRET_KEY`).
const KEY_PARTNERS: &[&str] = &[
    "api",
    "private",
    "access",
    "secret",
    "encryption",
    "signing",
    "master",
];

/// Words saying the variable describes a credential (where, how, what kind) rather than
/// holding it.
const DESCRIBING_WORDS: &[&str] = &[
    "file",
    "path",
    "dir",
    "url",
    "uri",
    "endpoint",
    "host",
    "port",
    "user",
    "username",
    "name",
    "type",
    "length",
    "len",
    "min",
    "max",
    "ttl",
    "timeout",
    "expiry",
    "expires",
    "expiration",
    "lifetime",
    "enabled",
    "enable",
    "disabled",
    "disable",
    "required",
    "mode",
    "method",
    "header",
    "id",
    "provider",
    "backend",
    "plugin",
    "algorithm",
    "policy",
    "public",
    "issuer",
    "audience",
    "realm",
    "scope",
    "scopes",
    "prefix",
    "suffix",
    "version",
    "hash",
    "hashed",
    "rounds",
    "cost",
    "reset",
    "strength",
    "complexity",
    "validation",
    "login",
    "location",
    "store",
    "server",
    "service",
    "source",
    "format",
    "level",
    "size",
];

/// The word that makes `name` look like a credential, if any.
fn credential_word(name: &str) -> Option<String> {
    let words = name_words(name);
    if words.iter().any(|w| DESCRIBING_WORDS.contains(&w.as_str())) {
        return None;
    }
    if let Some(w) = words.iter().find(|w| SECRET_WORDS.contains(&w.as_str())) {
        return Some(w.to_string());
    }
    // `MYSQL_PWD`, but not `PWD` (the working directory).
    if words.len() > 1 && words.iter().any(|w| w == "pwd") {
        return Some("pwd".into());
    }
    let key = words.iter().any(|w| w == "key" || w == "keys");
    if key && words.iter().any(|w| KEY_PARTNERS.contains(&w.as_str())) {
        return Some("key".into());
    }
    None
}

/// A value that cannot be a credential.
fn harmless_value(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "0" | "1" | "none" | "null" | "nil"
        )
        || ((v.starts_with('/') || v.starts_with("./")) && !v.contains(char::is_whitespace))
}

/// One `environment` entry: the name, where it is written, and the value as written
/// (quotes removed; `None` when it comes from the environment).
struct Entry<'a> {
    name: String,
    name_range: TextRange,
    value: Option<String>,
    value_range: TextRange,
    node: &'a Node,
}

fn unquoted_written<'t>(written: &'t str, node: &Node) -> &'t str {
    match node.style {
        Some(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) if written.len() >= 2 => {
            written.get(1..written.len() - 1).unwrap_or(written)
        }
        _ => written,
    }
}

fn entries<'a>(cx: &ComposeChecker, environment: &'a Node) -> Vec<Entry<'a>> {
    let mut out = Vec::new();
    match &environment.value {
        Value::Mapping(pairs) => {
            for (key, value) in pairs {
                let Some(name) = key.scalar_text() else {
                    continue;
                };
                let written = match &value.value {
                    Value::Null => None,
                    Value::Sequence(_) | Value::Mapping(_) => continue,
                    _ => Some(unquoted_written(cx.project.written(value), value).to_string()),
                };
                out.push(Entry {
                    name: name.to_string(),
                    name_range: key.range,
                    value: written,
                    value_range: value.range,
                    node: key,
                });
            }
        }
        Value::Sequence(items) => {
            for item in items {
                if item.scalar_text().is_none() {
                    continue;
                }
                let written = cx.project.written(item);
                let inner = unquoted_written(written, item);
                let offset = item.range.start as usize + (written.len() - inner.len()) / 2;
                let exact = !matches!(item.style, Some(ScalarStyle::Literal | ScalarStyle::Folded))
                    && !inner.contains('\\');
                let (name, value) = match inner.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (inner, None),
                };
                let (name_range, value_range) = if exact {
                    let name_end = offset + name.len();
                    (
                        TextRange::new(offset, name_end),
                        TextRange::new(
                            (name_end + 1).min(offset + inner.len()),
                            offset + inner.len(),
                        ),
                    )
                } else {
                    (item.range, item.range)
                };
                out.push(Entry {
                    name: name.trim().to_string(),
                    name_range,
                    value,
                    value_range,
                    node: item,
                });
            }
        }
        _ => {}
    }
    out
}

impl Rule for SecretInEnvironment {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        let advice = "move it to `secrets:` (with a `*_FILE` variable where the image supports one) or to `${VAR}` set from an uncommitted `.env`";
        for service in cx.services() {
            let Some(environment) = service.get("environment") else {
                continue;
            };
            for entry in entries(cx, environment) {
                let Some(value) = entry.value.as_deref() else {
                    continue;
                };
                let words = name_words(&entry.name);
                if let Some((what, shown)) = detect_secret_value(value, &words) {
                    let shown = shown.map(|s| format!(" (`{s}`)")).unwrap_or_default();
                    cx.report(cx.finding_in(
                        entry.node,
                        entry.value_range,
                        format!(
                            "`{}` of service `{}` holds {what}{shown} written in the Compose file; {advice}",
                            entry.name, service.name
                        ),
                    ));
                    continue;
                }
                if words.last().is_some_and(|w| w == "file") {
                    continue;
                }
                let from_environment = !interpolate::references(value).is_empty();
                if from_environment || harmless_value(value) {
                    continue;
                }
                let Some(word) = credential_word(&entry.name) else {
                    continue;
                };
                cx.report(cx.finding_in(
                    entry.node,
                    entry.name_range,
                    format!(
                        "`{}` of service `{}` looks like a credential (`{word}`) and its value is written in the Compose file, where everyone with the repository can read it; {advice}",
                        entry.name, service.name
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::credential_word;

    #[test]
    fn credential_names() {
        for yes in [
            "DB_PASSWORD",
            "POSTGRES_PASSWORD",
            "SECRET_KEY",
            "DJANGO_SECRET_KEY",
            "API_KEY",
            "apiKey",
            "GITHUB_TOKEN",
            "MYSQL_PWD",
            "AWS_SECRET_ACCESS_KEY",
            "REDIS_AUTH",
            "SMTP_CREDENTIALS",
        ] {
            assert!(credential_word(yes).is_some(), "{yes}");
        }
        for no in [
            "PWD",
            "POSTGRES_PASSWORD_FILE",
            "AUTH_URL",
            "TOKEN_TTL",
            "PASSWORD_MIN_LENGTH",
            "AWS_ACCESS_KEY_ID",
            "CACHE_KEY_PREFIX",
            "POSTGRES_USER",
            "SECRET_NAME",
        ] {
            assert!(credential_word(no).is_none(), "{no}");
        }
    }
}
