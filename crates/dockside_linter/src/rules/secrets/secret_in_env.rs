use dockside_shell::CompactString;
use dockside_syntax::{Body, Keyword, Pair};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{OptionKind, OptionSpec, Rule, RuleMeta};
use crate::search;

declare_rule! {
    /// ## What it does
    /// Reports `ENV` and `ARG` instructions that carry a credential, judged by
    /// the variable's name or by its value.
    ///
    /// The name is split into words (on `_`, `-`, `.` and camelCase) and flagged
    /// when a word is `password`, `passwd`, `pword`, `pass`, `secret`, `token`,
    /// `apikey`, `auth`, `credential(s)`, `passphrase` (or a compound such as
    /// `accesstoken`, `secretkey`, `privatekey`, `clientsecret`), or `key` /
    /// `keys`. Names that also contain a word describing *where* or *what kind*
    /// the secret is rather than the secret itself are not flagged: `public`,
    /// `file`, `path`, `dir`, `url`, `host`, `port`, `version`, `name`, `type`,
    /// `size`, `length`, `ttl`, `timeout`, `enabled`, `mode`, `header`, … (so
    /// `POSTGRES_PASSWORD_FILE`, `JWT_PUBLIC_KEY`, `AUTH_URL` are fine). For
    /// `key` the words `id`, `gpg`, `pgp`, `gnupg`, `keyring`, `apt` are also
    /// allowed: `GPG_KEY` is a public fingerprint and `AWS_ACCESS_KEY_ID` only
    /// identifies a key (its value is still checked, see below).
    /// An `ENV` whose value is empty, a boolean (`true`, `no`, `0`, …) or a
    /// file path is not a credential either. An `ARG` is flagged by name even
    /// without a default: the value given with `--build-arg` ends up in the
    /// image history.
    ///
    /// Whatever the name, the value is checked for well-known credential
    /// formats: AWS access key ids (`AKIA…`), GitHub (`ghp_…`, `github_pat_…`),
    /// GitLab (`glpat-…`), Slack (`xoxb-…`), Stripe (`sk_live_…`) and Google
    /// API keys (`AIza…`), PEM private keys, JSON Web Tokens, URLs with a
    /// password (`postgres://user:pw@db/x`, but not `user:${PW}@…`), and long
    /// random-looking strings (32+ characters mixing upper case, lower case and
    /// digits with an entropy of at least 4 bits per character; names that
    /// mention `sha`, `checksum`, `hash`, `digest`, `integrity` are skipped).
    ///
    /// Name matches are reported on the name, value matches on the value; the
    /// message never repeats the secret.
    ///
    /// ## Why is this bad?
    /// `ENV` values are stored in the image configuration and `ARG` values in
    /// the image history (`docker history`, `docker inspect`): anyone who can
    /// pull the image can read them, and they stay in every image built on top.
    /// Build secrets (`RUN --mount=type=secret`) are available to one `RUN` and
    /// never stored; runtime secrets belong in the orchestrator's secret store
    /// or in environment variables set when the container starts.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-alpine
    /// ARG NPM_TOKEN
    /// ENV DATABASE_PASSWORD=hunter2
    /// RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-alpine
    /// RUN --mount=type=secret,id=npm_token \
    ///     NPM_TOKEN="$(cat /run/secrets/npm_token)" npm ci
    /// # DATABASE_PASSWORD is given at run time: docker run -e / secrets
    /// ```
    ///
    /// ## Options
    /// - `extra-secret-names`: more names to flag. Each entry is matched
    ///   case-insensitively; with `*` it is a glob over the whole name
    ///   (`*_SIGNATURE`, `MY_*`), without `*` it matches the whole name or any
    ///   of its words (`cookie` flags `SESSION_COOKIE`). No regular expressions.
    /// - `allowed-names`: names never reported (same matching), for example
    ///   `["DJANGO_SECRET_KEY_PLACEHOLDER", "*_TOKEN_ENDPOINT"]`.
    pub struct SecretInEnv {
        name: "secret-in-env",
        code: "DF301",
        group: "secrets",
        severity: Warning,
        aliases: ["DL3064", "SecretsUsedInArgOrEnv"],
        fix: None,
        summary: "An ENV or ARG holds a credential, readable by anyone who pulls the image",
        options: [
            OptionSpec {
                key: "extra-secret-names",
                kind: OptionKind::StringList,
                help: "More variable names to treat as secrets (case-insensitive words or `*` globs)",
            },
            OptionSpec {
                key: "allowed-names",
                kind: OptionKind::StringList,
                help: "Variable names never reported (case-insensitive words or `*` globs)",
            },
        ],
    }
}

impl Rule for SecretInEnv {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let extra = cx.option_list("extra-secret-names");
        let allowed = cx.option_list("allowed-names");
        // Name matches already reported: one finding per variable and stage is enough.
        let mut seen: Vec<(Keyword, Option<usize>, String)> = Vec::new();
        for (index, instruction, info) in cx.instructions() {
            let kind = match instruction.keyword {
                Keyword::Env => "ENV",
                Keyword::Arg => "ARG",
                _ => continue,
            };
            let Body::Pairs(pairs) = &instruction.body else {
                continue;
            };
            for pair in pairs {
                let name = pair.key.value.as_str();
                if allowed.iter().any(|p| name_matches(name, p)) {
                    continue;
                }
                let words = name_words(name);
                if let Some(finding) = value_finding(cx, kind, pair, &words) {
                    cx.report(finding);
                    continue;
                }
                let reason = secret_name_word(&words)
                    .map(str::to_string)
                    .or_else(|| extra.iter().find(|p| name_matches(name, p)).cloned());
                let Some(reason) = reason else { continue };
                if !value_may_be_secret(cx, index, instruction.keyword, pair) {
                    continue;
                }
                let key = (instruction.keyword, info.stage, name.to_string());
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                let message = if instruction.keyword == Keyword::Arg {
                    format!(
                        "ARG `{name}` looks like a credential (`{reason}`): build-argument values are kept in the image \
                         history; pass it with `RUN --mount=type=secret,id=…` instead"
                    )
                } else {
                    format!(
                        "ENV `{name}` looks like a credential (`{reason}`): its value is stored in the image for anyone \
                         who pulls it; use a build secret (`RUN --mount=type=secret`) or set it when the container starts"
                    )
                };
                cx.report(Finding::new(pair.key.range, message));
            }
        }
    }
}

/// Words that make a variable name a credential.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwords",
    "passwd",
    "pword",
    "pass",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "tokens",
    "apikey",
    "apitoken",
    "authtoken",
    "accesstoken",
    "accesskey",
    "secretkey",
    "privatekey",
    "clientsecret",
    "credential",
    "credentials",
    "creds",
    "auth",
];

/// Words saying the variable describes a secret (where it is, what kind) rather than holding it.
const ALLOW_WORDS: &[&str] = &[
    "public",
    "pub",
    "file",
    "files",
    "path",
    "paths",
    "dir",
    "directory",
    "url",
    "uri",
    "endpoint",
    "host",
    "hostname",
    "port",
    "version",
    "name",
    "names",
    "type",
    "size",
    "length",
    "len",
    "ttl",
    "expiry",
    "expiration",
    "expires",
    "timeout",
    "enabled",
    "enable",
    "disabled",
    "disable",
    "required",
    "require",
    "method",
    "mode",
    "provider",
    "header",
    "policy",
    "algorithm",
    "algo",
    "format",
    "location",
    "helper",
    "prefix",
    "suffix",
    "count",
    "min",
    "max",
    "no",
    "skip",
    "use",
    "without",
    "insecure",
    "fingerprint",
    "server",
    "backend",
    "strategy",
    "plugin",
    "store",
    "manager",
    "cache",
];

/// Extra words that clear `key`: identifiers and signing-key fingerprints.
const KEY_ALLOW_WORDS: &[&str] = &[
    "id",
    "ids",
    "gpg",
    "pgp",
    "gnupg",
    "keyring",
    "keyserver",
    "apt",
    "sort",
    "primary",
];

/// Splits a variable name into lower-case words: `_`, `-`, `.` and camelCase
/// boundaries. Words are short: they are kept inline, without an allocation each.
pub(crate) fn name_words(name: &str) -> Vec<CompactString> {
    let bytes = name.as_bytes();
    let mut words = Vec::new();
    let mut push = |from: usize, to: usize| {
        if from < to {
            let mut word = CompactString::from(&name[from..to]);
            word.make_ascii_lowercase();
            words.push(word);
        }
    };
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            push(start, i);
            start = i + 1;
            continue;
        }
        if c.is_ascii_uppercase() && i > start {
            let prev = bytes[i - 1];
            let next_lower = bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            if prev.is_ascii_lowercase() || (prev.is_ascii_uppercase() && next_lower) {
                push(start, i);
                start = i;
            }
        }
    }
    push(start, bytes.len());
    words
}

/// The word that makes a name (its [`name_words`]) look like a credential, if any.
fn secret_name_word(words: &[CompactString]) -> Option<&'static str> {
    if words.iter().any(|w| ALLOW_WORDS.contains(&w.as_str())) {
        return None;
    }
    // The most specific word first (`SENTRY_AUTH_TOKEN` is a token).
    if let Some(w) = SECRET_WORDS.iter().find(|s| words.iter().any(|w| w == *s)) {
        // `PWD`-style single words are handled below; `pass` alone is too vague.
        if !(*w == "pass" && words.len() == 1) {
            return Some(w);
        }
    }
    // `MYSQL_PWD`, but not `PWD` (the working directory).
    if words.len() > 1 && words.iter().any(|w| w == "pwd") {
        return Some("pwd");
    }
    if words.iter().any(|w| w == "key" || w == "keys")
        && !words.iter().any(|w| KEY_ALLOW_WORDS.contains(&w.as_str()))
    {
        return Some("key");
    }
    None
}

/// Case-insensitive match of a name against a user pattern: a `*` glob over
/// the whole name, or (without `*`) the whole name or one of its words.
pub(crate) fn name_matches(name: &str, pattern: &str) -> bool {
    let name_l = name.to_ascii_lowercase();
    let pat = pattern.trim().to_ascii_lowercase();
    if pat.is_empty() {
        return false;
    }
    if pat.contains('*') {
        return glob_match(pat.as_bytes(), name_l.as_bytes());
    }
    name_l == pat || name_words(name).iter().any(|w| *w == pat)
}

fn glob_match(pat: &[u8], text: &[u8]) -> bool {
    // Iterative `*` matcher with backtracking to the last star.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pat.len() && pat[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pat.len() && pat[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pat[p..].iter().all(|&c| c == b'*')
}

/// Whether a name-matched variable may hold a secret, judging by its value:
/// empty, boolean and file-path values do not.
fn value_may_be_secret(cx: &Checker, index: usize, keyword: Keyword, pair: &Pair) -> bool {
    let Some(raw) = &pair.value else {
        // `ARG TOKEN`: the value comes with --build-arg and is kept in the history.
        return keyword == Keyword::Arg;
    };
    let expanded = cx.model.expand(index, &raw.value);
    if !expanded.complete {
        // `ENV TOKEN=$TOKEN` from a build argument: persisted into the image.
        return true;
    }
    let v = expanded.value.trim();
    if v.is_empty() {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "0" | "1" | "none" | "null" | "nil"
    ) {
        return false;
    }
    let is_path = (v.starts_with('/') || v.starts_with("./") || v.starts_with("~/"))
        && !v.contains(char::is_whitespace);
    !is_path
}

/// A finding for a value that has the shape of a known credential.
fn value_finding(
    cx: &Checker,
    kind: &str,
    pair: &Pair,
    name_words: &[CompactString],
) -> Option<Finding> {
    let raw = pair.value.as_ref()?;
    let value = dockside_syntax::words::unquote(&raw.value, cx.dockerfile.escape);
    let (what, shown) = detect_secret_value(&value, name_words)?;
    let name = &pair.key.value;
    let shown = match shown {
        Some(s) => format!(" (`{s}`)"),
        None => String::new(),
    };
    Some(Finding::new(
        raw.range,
        format!(
            "the value of {kind} `{name}` looks like {what}{shown}: it is stored in the image for anyone who pulls it; \
             remove it and pass it as a secret (`RUN --mount=type=secret`, or at run time)"
        ),
    ))
}

/// Masks a secret for messages: its first 4 characters and `…`.
pub(crate) fn mask(secret: &str) -> String {
    let head: String = secret.chars().take(4).collect();
    format!("{head}…")
}

/// Recognises credential formats in a value; returns a description and the masked token.
pub(crate) fn detect_secret_value(
    value: &str,
    name_words: &[CompactString],
) -> Option<(&'static str, Option<String>)> {
    if value.contains("-----BEGIN") && value.contains("PRIVATE KEY") {
        return Some(("a PEM private key", None));
    }
    // Cheap whole-value checks first: most values hold neither a format's start nor a URL.
    let formats = super::hardcoded_secret_value::may_hold_secret(value);
    let urls = search::find(value, "://").is_some();
    if formats || urls {
        let tokens = value.split(|c: char| {
            c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '(' | ')' | '[' | ']')
        });
        for token in tokens.filter(|t| !t.is_empty()) {
            if formats && let Some(what) = known_token(token) {
                return Some((what.0, Some(mask(&token[what.1..]))));
            }
            if urls && let Some(i) = url_password(token) {
                // Show the scheme and user, never a part of the password.
                return Some((
                    "a URL with an embedded password",
                    Some(format!("{}…", &token[..i])),
                ));
            }
        }
    }
    let hashy = [
        "sha",
        "sha1",
        "sha256",
        "sha384",
        "sha512",
        "md5",
        "checksum",
        "hash",
        "digest",
        "integrity",
        "sum",
        "gpg",
        "pgp",
        "fingerprint",
    ];
    if name_words
        .iter()
        .any(|w| hashy.contains(&w.as_str()) || w.starts_with("sha") || w.ends_with("sum"))
    {
        return None;
    }
    for token in
        value.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | ':' | '@'))
    {
        let token = token.trim_end_matches(['.', ')']);
        if high_entropy(token) {
            return Some(("a random secret", Some(mask(token))));
        }
    }
    None
}

fn is_b(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

/// Finds a known token format in `token`; returns its description and start offset.
pub(crate) fn known_token(token: &str) -> Option<(&'static str, usize)> {
    let b = token.as_bytes();
    let run = |from: usize, ok: fn(u8) -> bool| {
        b[from.min(b.len())..]
            .iter()
            .take_while(|&&c| ok(c))
            .count()
    };
    for start in 0..b.len() {
        // Every format starts with one of these (ASCII, so a char boundary).
        if !matches!(b[start], b'A' | b'g' | b'x' | b's' | b'r' | b'e')
            || (start > 0 && is_b(b[start - 1]))
        {
            continue;
        }
        let rest = &token[start..];
        // AWS access key id: AKIA/ASIA + 16 upper-case letters or digits.
        if (rest.starts_with("AKIA") || rest.starts_with("ASIA"))
            && run(start + 4, |c| c.is_ascii_uppercase() || c.is_ascii_digit()) == 16
            && !b.get(start + 20).is_some_and(|c| c.is_ascii_alphanumeric())
        {
            return Some(("an AWS access key id", start));
        }
        for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
            if rest.starts_with(prefix) && run(start + 4, |c| c.is_ascii_alphanumeric()) >= 36 {
                return Some(("a GitHub token", start));
            }
        }
        if rest.starts_with("github_pat_")
            && run(start + 11, |c| c.is_ascii_alphanumeric() || c == b'_') >= 22
        {
            return Some(("a GitHub token", start));
        }
        if rest.starts_with("glpat-")
            && run(start + 6, |c| {
                c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
            }) >= 20
        {
            return Some(("a GitLab token", start));
        }
        if rest.len() > 5
            && rest.starts_with("xox")
            && matches!(rest.as_bytes()[3], b'a' | b'b' | b'p' | b'r' | b's')
            && rest.as_bytes()[4] == b'-'
            && run(start + 5, |c| c.is_ascii_alphanumeric() || c == b'-') >= 10
        {
            return Some(("a Slack token", start));
        }
        if (rest.starts_with("sk_live_") || rest.starts_with("rk_live_"))
            && run(start + 8, |c| c.is_ascii_alphanumeric()) >= 16
        {
            return Some(("a Stripe secret key", start));
        }
        if rest.starts_with("AIza")
            && run(start + 4, |c| {
                c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
            }) >= 35
        {
            return Some(("a Google API key", start));
        }
        if rest.starts_with("eyJ") {
            let jwt: &str = &rest[..run(start, |c| {
                c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.'
            })];
            let parts: Vec<&str> = jwt.split('.').collect();
            if parts.len() == 3
                && parts[1].starts_with("eyJ")
                && parts[0].len() >= 10
                && parts[1].len() >= 10
                && parts[2].len() >= 10
            {
                return Some(("a JSON Web Token", start));
            }
        }
    }
    None
}

/// In `scheme://user:password@host…`, the offset of a literal password.
fn url_password(token: &str) -> Option<usize> {
    let scheme_end = search::find(token, "://")?;
    let scheme = &token[..scheme_end];
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    let auth_start = scheme_end + 3;
    let rest = &token[auth_start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let at = authority.rfind('@')?;
    let userinfo = &authority[..at];
    let colon = userinfo.find(':')?;
    let password = &userinfo[colon + 1..];
    if password.is_empty()
        || password.contains('$')
        || password.chars().all(|c| c == '*' || c == 'x' || c == 'X')
    {
        return None;
    }
    Some(auth_start + colon + 1)
}

/// Long random-looking strings: 32+ characters of a base64/base64url alphabet
/// mixing upper case, lower case and digits, entropy ≥ 4 bits per character.
fn high_entropy(token: &str) -> bool {
    if token.len() < 32 || token.contains("://") {
        return false;
    }
    if !token
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'_' | b'-' | b'.'))
    {
        return false;
    }
    let lower = token.to_ascii_lowercase();
    if ["sha1", "sha256", "sha384", "sha512", "md5"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return false;
    }
    // Paths and dotted names (`/usr/lib/...`, `org.example.Thing`) have few distinct characters per segment.
    if token.matches('/').count() > 2 || token.matches('.').count() > 2 {
        return false;
    }
    // Command-line options and `key=value` lists are prose, not keys.
    if token.starts_with('-') || token.trim_end_matches('=').contains('=') {
        return false;
    }
    // A random key has a long run of letters and digits mixing all three classes;
    // identifiers (`driver-java-options`, `logLevel`) are made of short words.
    let longest = token
        .split(|c: char| !c.is_ascii_alphanumeric())
        .max_by_key(|r| r.len())
        .unwrap_or("");
    let has_upper = longest.bytes().any(|c| c.is_ascii_uppercase());
    let has_lower = longest.bytes().any(|c| c.is_ascii_lowercase());
    let has_digit = longest.bytes().any(|c| c.is_ascii_digit());
    if longest.len() < 20 || !(has_upper && has_lower && has_digit) {
        return false;
    }
    shannon_entropy(token) >= 4.0
}

fn shannon_entropy(s: &str) -> f64 {
    let mut counts = [0usize; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(
            name_words("AWS_SECRET_ACCESS_KEY"),
            ["aws", "secret", "access", "key"]
        );
        assert_eq!(name_words("dbPassword"), ["db", "password"]);
        assert_eq!(name_words("APIKey"), ["api", "key"]);
        assert_eq!(name_words("my-api.token"), ["my", "api", "token"]);
        assert_eq!(name_words("ünïcode_KEY"), ["n", "code", "key"]);
        assert_eq!(name_words("é"), Vec::<CompactString>::new());
    }

    #[test]
    fn names() {
        for n in [
            "DB_PASSWORD",
            "NPM_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET_KEY",
            "apiKey",
            "MYSQL_PWD",
            "BASIC_AUTH",
            "GITHUB_ACCESSTOKEN",
            "SSH_PRIVATE_KEY",
            "DB_PASS",
        ] {
            assert!(secret_name_word(&name_words(n)).is_some(), "{n}");
        }
        for n in [
            "POSTGRES_PASSWORD_FILE",
            "GPG_KEY",
            "AWS_ACCESS_KEY_ID",
            "JWT_PUBLIC_KEY",
            "PWD",
            "PASS",
            "TOKENIZERS_PARALLELISM",
            "AUTH_URL",
            "KEYSERVER",
            "PASSENGER_VERSION",
            "APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE",
            "MONKEY",
        ] {
            assert!(secret_name_word(&name_words(n)).is_none(), "{n}");
        }
    }

    #[test]
    fn patterns() {
        assert!(name_matches("MY_SIGNATURE", "*_signature"));
        assert!(name_matches("SESSION_COOKIE", "cookie"));
        assert!(!name_matches("COOKIES_ENABLED", "cookie"));
        assert!(name_matches("a_b_c", "a*c"));
        assert!(!name_matches("a_b_d", "a*c"));
    }

    #[test]
    fn values() {
        let none: Vec<CompactString> = Vec::new();
        let hit = |v: &str| detect_secret_value(v, &none).map(|x| x.0);
        assert_eq!(hit("AKIAIOSFODNN7EXAMPLE"), Some("an AWS access key id"));
        assert_eq!(
            hit("ghp_0123456789abcdefghijABCDEFGHIJ012345"),
            Some("a GitHub token")
        );
        assert_eq!(
            hit("postgres://app:s3cr3t@db:5432/app"),
            Some("a URL with an embedded password")
        );
        assert_eq!(hit("postgres://app:${DB_PASSWORD}@db:5432/app"), None);
        assert_eq!(hit("https://example.com/a/b"), None);
        assert_eq!(
            hit("aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF"),
            Some("a random secret")
        );
        assert_eq!(hit("A035C8C19219BA821ECEA86B64E628F8D684696D"), None);
        assert_eq!(hit("/usr/local/lib/python3.12/site-packages"), None);
        assert_eq!(
            hit("--driver-java-options=-Xms1024M --driver-java-options=-Dlog4j.logLevel=info"),
            None
        );
        assert_eq!(
            hit(
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
            ),
            Some("a JSON Web Token")
        );
        let sha = vec![CompactString::from("file"), CompactString::from("sha256")];
        assert!(detect_secret_value("aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF", &sha).is_none());
    }
}
