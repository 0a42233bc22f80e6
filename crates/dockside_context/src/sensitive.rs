//! Detection of secret files that must not be baked into an image.

use std::sync::Arc;

use crate::context::BuildContext;

/// What kind of secret a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SensitiveKind {
    /// `.env`, `.env.production`, `prod.env`, `.envrc`.
    EnvFile,
    /// PEM/`.key` private key.
    PrivateKey,
    /// PKCS#12 / Java keystore (`.p12`, `.pfx`, `.jks`, `.keystore`).
    Keystore,
    /// `id_rsa`, `id_ed25519`, ... (not `.pub`).
    SshKey,
    /// `.npmrc` holding an auth token or password.
    NpmCredentials,
    /// `.pypirc` holding a password.
    PypiCredentials,
    /// `.git-credentials`.
    GitCredentials,
    /// `.netrc` / `_netrc`.
    Netrc,
    /// `.docker/config.json` with registry auth.
    DockerConfig,
    /// `.aws/credentials`.
    AwsCredentials,
    /// Cloud service-account key (`credentials.json`, `*service-account*.json`).
    ServiceAccountKey,
    /// `.htpasswd`.
    Htpasswd,
    /// `secrets.yml` / `secrets.yaml`.
    SecretsFile,
    /// `terraform.tfstate` (holds resource secrets in clear text).
    TerraformState,
}

impl SensitiveKind {
    /// Short human description, e.g. "environment file".
    pub fn description(&self) -> &'static str {
        match self {
            SensitiveKind::EnvFile => "environment file",
            SensitiveKind::PrivateKey => "private key",
            SensitiveKind::Keystore => "certificate keystore",
            SensitiveKind::SshKey => "SSH private key",
            SensitiveKind::NpmCredentials => "npm credentials",
            SensitiveKind::PypiCredentials => "PyPI credentials",
            SensitiveKind::GitCredentials => "Git credentials",
            SensitiveKind::Netrc => "netrc credentials",
            SensitiveKind::DockerConfig => "Docker registry credentials",
            SensitiveKind::AwsCredentials => "AWS credentials",
            SensitiveKind::ServiceAccountKey => "service account key",
            SensitiveKind::Htpasswd => "htpasswd password file",
            SensitiveKind::SecretsFile => "secrets file",
            SensitiveKind::TerraformState => "Terraform state",
        }
    }
}

/// Words marking an env file as a committed template rather than secrets.
const ENV_TEMPLATE_WORDS: &[&str] = &[
    "example", "sample", "template", "dist", "defaults", "default", "tmpl", "tpl", "schema",
];

const SSH_KEY_NAMES: &[&str] = &[
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    "id_ecdsa_sk",
    "id_ed25519_sk",
];

/// Decides whether the file at `rel_path` (relative, `/`-separated) is a
/// secret. `read` supplies its text and is called at most once, only when the
/// name alone is not conclusive (`.pem`, `.key`, `.npmrc`, ...). For `.pem`
/// and `.key`, unreadable content counts as a key.
pub fn classify(rel_path: &str, read: impl FnOnce() -> Option<String>) -> Option<SensitiveKind> {
    let rel_path = rel_path.trim_end_matches('/');
    let (parent, name) = match rel_path.rsplit_once('/') {
        Some((p, n)) => (p, n),
        None => ("", rel_path),
    };
    let parent_name = parent.rsplit('/').next().unwrap_or("");
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);

    if is_env_file(&lower) {
        return Some(SensitiveKind::EnvFile);
    }
    if SSH_KEY_NAMES.iter().any(|k| {
        lower.strip_prefix(k).is_some_and(|rest| {
            rest.is_empty() || (rest.starts_with(['_', '-', '.']) && !rest.ends_with(".pub"))
        })
    }) && !lower.ends_with(".pub")
    {
        return Some(SensitiveKind::SshKey);
    }
    let kind = match (lower.as_str(), ext) {
        (_, "pem" | "key") => {
            return match read() {
                Some(text) if !text.contains("PRIVATE KEY") => None,
                _ => Some(SensitiveKind::PrivateKey),
            };
        }
        (_, "p12" | "pfx" | "jks" | "keystore") => SensitiveKind::Keystore,
        (".npmrc", _) => {
            if !contains_any(read(), &["_authToken", "_auth", "_password"]) {
                return None;
            }
            SensitiveKind::NpmCredentials
        }
        (".pypirc", _) => {
            if !contains_any(read(), &["password"]) {
                return None;
            }
            SensitiveKind::PypiCredentials
        }
        (".git-credentials", _) => SensitiveKind::GitCredentials,
        (".netrc" | "_netrc", _) => SensitiveKind::Netrc,
        ("config.json", _) if parent_name == ".docker" => {
            if !contains_any(read(), &["\"auth\"", "\"identitytoken\""]) {
                return None;
            }
            SensitiveKind::DockerConfig
        }
        ("credentials", _) if parent_name == ".aws" => SensitiveKind::AwsCredentials,
        (n, "json")
            if n == "credentials.json"
                || n.contains("service-account")
                || n.contains("service_account") =>
        {
            if !contains_any(read(), &["\"private_key\""]) {
                return None;
            }
            SensitiveKind::ServiceAccountKey
        }
        (".htpasswd", _) => SensitiveKind::Htpasswd,
        ("secrets.yml" | "secrets.yaml", _) => SensitiveKind::SecretsFile,
        (n, _) if n.ends_with(".tfstate") || n.ends_with(".tfstate.backup") => {
            SensitiveKind::TerraformState
        }
        _ => return None,
    };
    Some(kind)
}

fn contains_any(text: Option<String>, needles: &[&str]) -> bool {
    text.is_some_and(|t| needles.iter().any(|n| t.contains(n)))
}

/// `.env`, `.env.<x>`, `<x>.env`, `.envrc` — minus templates such as
/// `.env.example` or `sample.env`.
fn is_env_file(lower: &str) -> bool {
    if lower == ".env" || lower == ".envrc" {
        return true;
    }
    let parts: Vec<&str> = if let Some(rest) = lower.strip_prefix(".env.") {
        rest.split('.').collect()
    } else if let Some(stem) = lower.strip_suffix(".env") {
        if stem.is_empty() {
            return false;
        }
        stem.split('.').collect()
    } else {
        return false;
    };
    !parts.iter().any(|p| ENV_TEMPLATE_WORDS.contains(p))
}

impl BuildContext {
    /// Secret files under `rel_dir` that would be sent to the builder
    /// (excluded files are skipped), sorted by path.
    pub fn sensitive_files_under(&self, rel_dir: &str) -> Arc<[(String, SensitiveKind)]> {
        crate::context::memoized(&self.sensitive, rel_dir, || {
            self.files_under(rel_dir)
                .iter()
                .filter_map(|path| {
                    let kind = classify(path, || self.read_text(path))?;
                    Some((path.clone(), kind))
                })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SensitiveKind::*;

    const RSA_KEY: &str =
        "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n";
    const CERT: &str = "-----BEGIN CERTIFICATE-----\nMIID...\n-----END CERTIFICATE-----\n";

    #[test]
    fn table() {
        // (path, content, expected)
        let cases: &[(&str, Option<&str>, Option<SensitiveKind>)] = &[
            (".env", None, Some(EnvFile)),
            ("app/.env", None, Some(EnvFile)),
            (".env.production", None, Some(EnvFile)),
            (".env.local", None, Some(EnvFile)),
            ("prod.env", None, Some(EnvFile)),
            (".envrc", None, Some(EnvFile)),
            (".env.example", None, None),
            (".env.sample", None, None),
            (".env.template", None, None),
            (".env.dist", None, None),
            (".env.defaults", None, None),
            (".env.production.example", None, None),
            ("example.env", None, None),
            (".environment", None, None),
            ("env.go", None, None),
            ("server.pem", Some(RSA_KEY), Some(PrivateKey)),
            ("certs/ca.pem", Some(CERT), None),
            (
                "tls.key",
                Some("-----BEGIN EC PRIVATE KEY-----"),
                Some(PrivateKey),
            ),
            ("tls.key", None, Some(PrivateKey)),
            (
                "enc.pem",
                Some("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
                Some(PrivateKey),
            ),
            ("store.p12", None, Some(Keystore)),
            ("app.PFX", None, Some(Keystore)),
            ("release.jks", None, Some(Keystore)),
            ("debug.keystore", None, Some(Keystore)),
            ("id_rsa", None, Some(SshKey)),
            (".ssh/id_ed25519", None, Some(SshKey)),
            ("id_ecdsa", None, Some(SshKey)),
            ("id_dsa", None, Some(SshKey)),
            ("id_rsa_deploy", None, Some(SshKey)),
            ("id_rsa.pub", None, None),
            ("id_ed25519.pub", None, None),
            ("id_rsa_deploy.pub", None, None),
            ("id_rsazzz", None, None),
            (
                ".npmrc",
                Some("//registry.npmjs.org/:_authToken=abc"),
                Some(NpmCredentials),
            ),
            (".npmrc", Some("_auth=Zm9v"), Some(NpmCredentials)),
            (".npmrc", Some("//r/:_password=x"), Some(NpmCredentials)),
            (".npmrc", Some("registry=https://r.example/"), None),
            (".npmrc", None, None),
            (
                ".pypirc",
                Some("[pypi]\nusername = a\npassword = b\n"),
                Some(PypiCredentials),
            ),
            (".pypirc", Some("[pypi]\nusername = a\n"), None),
            (".git-credentials", None, Some(GitCredentials)),
            (".netrc", None, Some(Netrc)),
            (
                ".docker/config.json",
                Some(r#"{"auths":{"r":{"auth":"eA=="}}}"#),
                Some(DockerConfig),
            ),
            (
                ".docker/config.json",
                Some(r#"{"auths":{},"credsStore":"desktop"}"#),
                None,
            ),
            ("config.json", Some(r#"{"auth":"x"}"#), None),
            (".aws/credentials", None, Some(AwsCredentials)),
            ("credentials", None, None),
            (
                "credentials.json",
                Some(r#"{"private_key": "-----BEGIN"}"#),
                Some(ServiceAccountKey),
            ),
            (
                "gcp-service-account.json",
                Some(r#"{"private_key":"x"}"#),
                Some(ServiceAccountKey),
            ),
            (
                "my_service_account_key.json",
                Some(r#"{"private_key":"x"}"#),
                Some(ServiceAccountKey),
            ),
            ("credentials.json", Some(r#"{"installed":{}}"#), None),
            (".htpasswd", None, Some(Htpasswd)),
            ("config/secrets.yml", None, Some(SecretsFile)),
            ("secrets.yaml", None, Some(SecretsFile)),
            ("terraform.tfstate", None, Some(TerraformState)),
            ("infra/terraform.tfstate.backup", None, Some(TerraformState)),
            ("main.tf", None, None),
            ("README.md", None, None),
            ("src/key.rs", None, None),
        ];
        for &(path, content, want) in cases {
            let got = classify(path, || content.map(str::to_owned));
            assert_eq!(got, want, "classify({path:?})");
        }
    }

    #[test]
    fn reader_not_called_when_name_decides() {
        let mut called = false;
        assert_eq!(
            classify("README.md", || {
                called = true;
                None
            }),
            None
        );
        assert_eq!(
            classify(".env", || {
                called = true;
                None
            }),
            Some(EnvFile)
        );
        assert!(!called);
    }

    #[test]
    fn descriptions() {
        assert_eq!(EnvFile.description(), "environment file");
        assert_eq!(PrivateKey.description(), "private key");
    }
}
