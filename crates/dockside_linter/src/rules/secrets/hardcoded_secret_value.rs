use dockside_syntax::{Keyword, TextRange};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};
use crate::search;

use super::credentials_in_run::credentials;
use super::secret_in_env::{known_token, mask};

declare_rule! {
    /// ## What it does
    /// Reports credentials of a well-known format written in the Dockerfile:
    /// in `RUN` commands (heredoc scripts included), files written with a
    /// `COPY`/`ADD` heredoc, `LABEL` values, `CMD`, `ENTRYPOINT`,
    /// `HEALTHCHECK`, `ADD` URLs and every other instruction. The formats are
    /// AWS access key ids (`AKIA…`, `ASIA…`), GitHub tokens (`ghp_`, `gho_`,
    /// `ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab (`glpat-`), Slack
    /// (`xoxb-`, `xoxp-`, …), Stripe (`sk_live_`, `rk_live_`), Google API
    /// keys (`AIza…`), npm (`npm_…`), JSON Web Tokens and PEM private keys
    /// (a `-----BEGIN … PRIVATE KEY-----` header followed by key data, so a
    /// `grep` for the header is not reported).
    ///
    /// Placeholders are not reported: values containing `EXAMPLE`, `xxxx`,
    /// `changeme`, `placeholder`, `dummy`, `fake`, `sample`, `your`,
    /// `redacted`, and values made of only a few distinct characters
    /// (`ghp_000…`). `ENV` and `ARG` values are checked by `secret-in-env`
    /// (by name and value); this rule checks them only when that rule is
    /// turned off. A credential that `credentials-in-run` already reports (a
    /// `--token` value, a password in a URL, …) is not reported twice. The
    /// message never repeats the secret.
    ///
    /// ## Why is this bad?
    /// A token written in the Dockerfile is in the repository, in every build
    /// log, and in the image: `docker history` shows each `RUN` command line,
    /// labels and heredoc files are part of the image. Anyone who can read
    /// any of them can use the token until it is revoked; rotate it, then
    /// pass it as a build secret.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN wget --header "Authorization: token ghp_R4nd0mT0kenV4lue0123456789abcdefABCD" \
    ///     https://api.github.com/repos/org/app/tarball -O app.tar.gz
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN --mount=type=secret,id=github_token \
    ///     wget --header "Authorization: token $(cat /run/secrets/github_token)" \
    ///     https://api.github.com/repos/org/app/tarball -O app.tar.gz
    /// ```
    pub struct HardcodedSecretValue {
        name: "hardcoded-secret-value",
        code: "DF308",
        group: "secrets",
        severity: Error,
        aliases: ["secrets-in-code", "DS-0031", "passwords_and_secrets", "CKV_DOCKER_1005"],
        fix: None,
        summary: "A token or private key of a well-known format is written in the Dockerfile",
    }
}

impl Rule for HardcodedSecretValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let env_checked = cx.config.is_enabled("secret-in-env", true, cx.path);
        let run_checked = cx.config.is_enabled("credentials-in-run", true, cx.path);
        for (_, inst, info) in cx.instructions() {
            if env_checked && matches!(inst.keyword, Keyword::Env | Keyword::Arg) {
                continue;
            }
            let start = inst.keyword_range.end as usize;
            let text = &cx.source[start..inst.range.end as usize];
            let found = find_secrets(text);
            if found.is_empty() {
                continue;
            }
            let reported: Vec<TextRange> = if run_checked {
                credentials(cx, inst, info)
                    .into_iter()
                    .map(|(r, _)| r)
                    .collect()
            } else {
                Vec::new()
            };
            for (range, what, masked) in found {
                let range = TextRange::new(start + range.start, start + range.end);
                if reported.iter().any(|r| r.contains_range(range)) {
                    continue;
                }
                let shown = masked.map(|m| format!(" (`{m}`)")).unwrap_or_default();
                cx.report(Finding::new(
                    range,
                    format!(
                        "this looks like {what}{shown} written in the Dockerfile, where the repository, build logs \
                         and image history keep it; revoke it and pass it as a build secret \
                         (`RUN --mount=type=secret`)"
                    ),
                ));
            }
        }
    }
}

/// Credentials in `text`: their byte range, a description and the masked value.
fn find_secrets(text: &str) -> Vec<(std::ops::Range<usize>, &'static str, Option<String>)> {
    let mut out = Vec::new();
    if !may_hold_secret(text) {
        return out;
    }
    let separators = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '\\');
    let mut offset = 0;
    for token in text.split(separators) {
        let token_start = offset;
        offset += token.len()
            + text[offset + token.len()..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
        if token.is_empty() {
            continue;
        }
        let found = known_token(token).or_else(|| npm_token(token).map(|s| ("an npm token", s)));
        let Some((what, at)) = found else {
            continue;
        };
        let value = token_extent(&token[at..], what);
        if is_placeholder(value, what) {
            continue;
        }
        let begin = token_start + at;
        out.push((begin..begin + value.len(), what, Some(mask(value))));
    }
    out.extend(
        private_keys(text)
            .into_iter()
            .map(|r| (r, "a PEM private key", None)),
    );
    out
}

/// Whether `text` holds the start of any format `find_secrets` knows: one
/// cheap pass that spares splitting the many instructions that hold none.
///
/// Only every third byte pair is looked up: whatever its offset, a four-byte
/// start shows its first, second or third byte pair at one of them.
pub(crate) fn may_hold_secret(text: &str) -> bool {
    let b = text.as_bytes();
    let Some(last_start) = b.len().checked_sub(4) else {
        return false;
    };
    let mut j = 2;
    while j + 1 < b.len() {
        let pair = usize::from(b[j]) << 8 | usize::from(b[j + 1]);
        if SECRET_PAIRS[pair >> 6] & (1 << (pair & 63)) != 0
            && [j - 2, j - 1, j]
                .into_iter()
                .any(|i| i <= last_start && secret_start(&b[i..i + 4]))
        {
            return true;
        }
        j += 3;
    }
    false
}

/// The formats' first four bytes.
fn secret_start(w: &[u8]) -> bool {
    matches!(
        w,
        [b'A', b'K' | b'S', b'I', b'A']
            | [b'A', b'I', b'z', b'a']
            | [b'g', b'h', b'p' | b'o' | b'u' | b's' | b'r', b'_']
            | [b'_', b'p', b'a', b't']
            | [b'g', b'l', b'p', b'a']
            | [b'x', b'o', b'x', _]
            | [b's' | b'r', b'k', b'_', b'l']
            | [b'e', b'y', b'J', _]
            | [b'n', b'p', b'm', b'_']
            | [b'-', b'-', b'-', b'-']
    )
}

/// A bit per byte pair that is the first, second or third pair of bytes of one
/// of [`secret_start`]'s formats (`?` stands for any byte).
static SECRET_PAIRS: [u64; 1024] = {
    const PAIRS: [&[u8; 2]; 38] = [
        // First two bytes.
        b"AK", b"AS", b"AI", b"gh", b"_p", b"gl", b"xo", b"sk", b"rk", b"ey", b"np", b"--",
        // Second and third bytes.
        b"KI", b"SI", b"Iz", b"hp", b"ho", b"hu", b"hs", b"hr", b"pa", b"lp", b"ox", b"k_", b"yJ",
        b"pm", // Third and fourth bytes.
        b"IA", b"za", b"p_", b"o_", b"u_", b"s_", b"r_", b"at", b"x?", b"_l", b"J?", b"m_",
    ];
    let mut table = [0u64; 1024];
    let mut i = 0;
    while i < PAIRS.len() {
        let [first, second] = *PAIRS[i];
        let mut other = 0;
        while other < 256 {
            if second == b'?' || other == second as usize {
                let pair = (first as usize) << 8 | other;
                table[pair >> 6] |= 1 << (pair & 63);
            }
            other += 1;
        }
        i += 1;
    }
    table
};

/// `npm_` and 36 letters or digits, at the start of a word.
fn npm_token(token: &str) -> Option<usize> {
    let b = token.as_bytes();
    let mut from = 0;
    std::iter::from_fn(|| {
        let i = from + search::find(&token[from..], "npm_")?;
        from = i + 1;
        Some(i)
    })
    .find(|&i| {
        let before_ok = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        let body = b[i + 4..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        before_ok && body == 36
    })
}

/// The token that starts `rest`: its alphabet for JWTs, letters, digits, `_` and `-` otherwise.
fn token_extent<'a>(rest: &'a str, what: &str) -> &'a str {
    let jwt = what.contains("JSON Web Token");
    let len = rest
        .bytes()
        .take_while(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || (jwt && c == b'.'))
        .count();
    let len = if what.contains("AWS") {
        len.min(20)
    } else {
        len
    };
    &rest[..len]
}

/// Documentation values and dummies rather than a credential.
fn is_placeholder(value: &str, what: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let words = [
        "example",
        "xxxx",
        "placeholder",
        "changeme",
        "dummy",
        "fake",
        "sample",
        "your",
        "redacted",
    ];
    if words.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // Skip the format's prefix (`ghp_`, `AKIA`…) and count what is left.
    let body = if what.contains("JSON Web Token") {
        value.rsplit('.').next().unwrap_or(value)
    } else {
        value.get(4..).unwrap_or("")
    };
    let mut distinct: Vec<u8> = body.bytes().collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() < 8
}

/// `-----BEGIN … PRIVATE KEY-----` headers followed by key data: the header's range.
fn private_keys(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = search::find(&text[from..], "-----BEGIN ") {
        let start = from + p;
        let label_start = start + "-----BEGIN ".len();
        from = label_start;
        let line_end = text[label_start..]
            .find(['\n', '\r'])
            .map_or(text.len(), |e| label_start + e);
        let Some(close) = text[label_start..line_end].find("-----") else {
            continue;
        };
        let label = &text[label_start..label_start + close];
        if !label.ends_with("PRIVATE KEY") {
            continue;
        }
        let end = label_start + close + "-----".len();
        // Key data follows: past line breaks (real or written as `\n`), quotes and
        // continuation backslashes, a long run of base64.
        let mut data = &text[end..];
        loop {
            let t = data.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\''));
            match t.strip_prefix("\\n").or_else(|| t.strip_prefix('\\')) {
                Some(rest) => data = rest,
                None => {
                    data = t;
                    break;
                }
            }
        }
        let base64 = data
            .bytes()
            .take_while(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
            .count();
        if base64 >= 40 {
            out.push(start..end);
            from = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pair-skipping scan finds a format's start at any offset, as looking at
    /// every offset does.
    #[test]
    fn prefilter_sees_every_offset() {
        let starts = [
            "AKIA", "ASIA", "AIza", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "_pat", "glpa", "xoxb",
            "sk_l", "rk_l", "eyJh", "npm_", "----",
        ];
        for start in starts {
            for before in 0..9 {
                for after in 0..4 {
                    let text = format!("{}{start}{}", "a".repeat(before), "b".repeat(after));
                    assert!(may_hold_secret(&text), "{text}");
                    let cut = &text[..text.len() - after - 1];
                    let every_offset = cut.len().checked_sub(4).is_some_and(|last| {
                        (0..=last).any(|i| secret_start(&cut.as_bytes()[i..i + 4]))
                    });
                    assert_eq!(may_hold_secret(cut), every_offset, "{cut}");
                }
            }
        }
        assert!(!may_hold_secret(
            "apt-get install -y --no-install-recommends curl"
        ));
    }

    fn kinds(text: &str) -> Vec<(&str, &'static str)> {
        find_secrets(text)
            .into_iter()
            .map(|(r, what, _)| (&text[r], what))
            .collect()
    }

    #[test]
    fn formats() {
        assert_eq!(
            kinds("curl -H 'Authorization: token ghp_R4nd0mT0kenV4lue0123456789abcdefABCD' x"),
            [("ghp_R4nd0mT0kenV4lue0123456789abcdefABCD", "a GitHub token")]
        );
        assert_eq!(
            kinds("aws configure set aws_access_key_id AKIA2E0A8F3B244C9986"),
            [("AKIA2E0A8F3B244C9986", "an AWS access key id")]
        );
        assert_eq!(
            kinds(
                "echo //registry.npmjs.org/:_authToken=npm_Q9w8E7r6T5y4U3i2O1p0AsDfGhJkLzXcVbN1 > .npmrc"
            ),
            [("npm_Q9w8E7r6T5y4U3i2O1p0AsDfGhJkLzXcVbN1", "an npm token")]
        );
        assert_eq!(
            kinds(
                "printf '-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\\n'"
            ),
            [("-----BEGIN RSA PRIVATE KEY-----", "a PEM private key")]
        );
    }

    #[test]
    fn not_secrets() {
        for text in [
            "aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE",
            "git clone https://ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@github.com/org/app",
            "echo ghp_000000000000000000000000000000000000",
            "echo ${GITHUB_TOKEN} ghp_${TOKEN}",
            "grep -q -- '-----BEGIN OPENSSH PRIVATE KEY-----' ~/.ssh/id_ed25519",
            "openssl genrsa -out key.pem 2048 && grep 'BEGIN RSA PRIVATE KEY' key.pem",
            "echo '-----BEGIN PUBLIC KEY-----\\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw'",
            "npm install left-pad npm_config_cache=/tmp/npm",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }
}
