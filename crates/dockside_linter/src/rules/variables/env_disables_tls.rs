use dockside_syntax::{Body, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports `ENV` and `ARG` instructions that turn off TLS certificate or
    /// checksum verification for every program run afterwards:
    ///
    /// | variable | disables verification when |
    /// |---|---|
    /// | `NODE_TLS_REJECT_UNAUTHORIZED` | `0` |
    /// | `PYTHONHTTPSVERIFY` | `0` |
    /// | `GIT_SSL_NO_VERIFY` | set to anything but empty, `0` or `false` |
    /// | `NPM_CONFIG_STRICT_SSL`, `npm_config_strict_ssl`, `YARN_STRICT_SSL` | `false` / `0` |
    /// | `PIP_TRUSTED_HOST` | set (pip skips certificate checks for those hosts) |
    /// | `CURL_CA_BUNDLE`, `REQUESTS_CA_BUNDLE` | empty (Python requests then skips verification) |
    /// | `GOINSECURE` | set (go fetches those modules over plain HTTP or unverified TLS) |
    /// | `GOSUMDB` | `off` (no checksum database verification) |
    /// | `GONOSUMCHECK`, `GONOSUMDB` | `GONOSUMCHECK=1`; `GONOSUMDB=*` |
    /// | `GOFLAGS` | contains `-insecure` |
    ///
    /// Values set from a build argument without a default (`ENV X=$X`) are not
    /// judged.
    ///
    /// ## Why is this bad?
    /// Without verification, anyone on the network path (a proxy, a
    /// compromised mirror, a hostile Wi-Fi) can serve modified packages during
    /// the build, and an `ENV` keeps verification off in every container
    /// started from the image, where the application's own HTTPS calls become
    /// interceptable too. Corporate proxies that re-sign TLS are better handled
    /// by adding their CA to the trust store (`COPY corp-ca.crt
    /// /usr/local/share/ca-certificates/` and `update-ca-certificates`, or
    /// `NODE_EXTRA_CA_CERTS`, `PIP_CERT`, `REQUESTS_CA_BUNDLE` pointing at it).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-alpine
    /// ENV NODE_TLS_REJECT_UNAUTHORIZED=0
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-alpine
    /// COPY corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt
    /// ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corp-ca.crt
    /// ```
    pub struct EnvDisablesTls {
        name: "env-disables-tls",
        code: "DF704",
        group: "variables",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "ENV or ARG turns off TLS or checksum verification",
    }
}

impl Rule for EnvDisablesTls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (index, inst, _) in cx.instructions() {
            let kind = match inst.keyword {
                Keyword::Env => "ENV",
                Keyword::Arg => "ARG",
                _ => continue,
            };
            let Body::Pairs(pairs) = &inst.body else {
                continue;
            };
            for pair in pairs {
                let Some(raw) = &pair.value else { continue };
                let expansion = cx.model.expand(index, &raw.value);
                if !expansion.complete {
                    continue;
                }
                let Some(what) = disables(&pair.key.value, expansion.value.trim()) else {
                    continue;
                };
                let scope = if kind == "ENV" {
                    "during the build and in every container started from the image"
                } else {
                    "for every RUN after it"
                };
                let advice = if what.contains("checksum") {
                    "keep it on and list private modules in `GOPRIVATE` instead"
                } else {
                    "trust the needed CA certificate instead of disabling verification"
                };
                cx.report(Finding::new(
                    pair.range,
                    format!("{kind} `{}` {what} {scope}; {advice}", pair.key.value),
                ));
            }
        }
    }
}

/// What setting `name` to `value` turns off, if anything.
fn disables(name: &str, value: &str) -> Option<&'static str> {
    let v = value.to_ascii_lowercase();
    let falsy = matches!(v.as_str(), "0" | "false" | "no" | "off");
    let tls = "turns off TLS certificate verification";
    match name {
        "NODE_TLS_REJECT_UNAUTHORIZED" | "PYTHONHTTPSVERIFY" if v == "0" => Some(tls),
        "GIT_SSL_NO_VERIFY" if !v.is_empty() && !matches!(v.as_str(), "0" | "false") => Some(tls),
        "NPM_CONFIG_STRICT_SSL" | "npm_config_strict_ssl" | "YARN_STRICT_SSL" if falsy => Some(tls),
        "PIP_TRUSTED_HOST" if !v.is_empty() => {
            Some("turns off TLS certificate verification for its hosts")
        }
        "CURL_CA_BUNDLE" | "REQUESTS_CA_BUNDLE" if v.is_empty() => Some(tls),
        "GOINSECURE" if !v.is_empty() => Some("lets go download modules without TLS verification"),
        "GOSUMDB" if v == "off" => Some("turns off Go module checksum verification"),
        "GONOSUMCHECK" if v == "1" => Some("turns off Go module checksum verification"),
        "GONOSUMDB" if v == "*" => Some("turns off Go module checksum verification"),
        "GOFLAGS" if v.split_whitespace().any(|f| f == "-insecure") => {
            Some("lets go download modules without TLS verification")
        }
        _ => None,
    }
}
