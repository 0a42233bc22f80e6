use dockside_context::{DockerIgnore, SensitiveKind, classify, normalize_rel};
use dockside_semantic::{CopyOp, CopySource};
use dockside_syntax::Keyword;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports `COPY` and `ADD` from the build context that put secret files
    /// into the image:
    ///
    /// - a copy of the whole context (`COPY . /app`) or of a folder
    ///   (`COPY config/ /etc/app/`) that contains secret files not excluded by
    ///   `.dockerignore`: environment files (`.env`, `.env.production`, but not
    ///   `.env.example`), private keys, SSH keys, keystores, `.npmrc` / `.pypirc`
    ///   with credentials, `.netrc`, `.git-credentials`, `.aws/credentials`,
    ///   Docker registry auth, cloud service-account keys, `.htpasswd`,
    ///   `secrets.yml`, Terraform state. The finding names up to three files;
    /// - a copy of such a file by name (`COPY .env /app/.env`,
    ///   `COPY id_rsa /root/.ssh/`). When the file is not in the context the
    ///   name alone decides (`.env`, `id_rsa`, `*.pem`, `*.key`, …).
    ///
    /// A copy of the whole context with no `.dockerignore` at all (which also
    /// ships `.git`) is reported by `copy-context-without-dockerignore`.
    ///
    /// Files left out with `COPY --exclude=…` are not reported. `COPY --from=…`
    /// and remote `ADD` do not read the build context and are skipped.
    ///
    /// ## Why is this bad?
    /// Every file copied into a layer stays in the image, even when a later
    /// `RUN rm` deletes it: anyone who can pull the image can extract the
    /// layer and read the credentials. It is easy to miss because the copy
    /// does not name the file: a developer's local `.env` silently ships.
    ///
    /// ## Example
    /// ```dockerfile
    /// # the context holds .env with SECRET_KEY=…
    /// FROM python:3.12-slim
    /// COPY . /app
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// # .dockerignore
    /// .env
    /// .git
    /// ```
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY . /app
    /// # secrets are given when the container starts (docker run --env-file .env)
    /// ```
    pub struct SecretInBuildContext {
        name: "secret-in-build-context",
        code: "DF302",
        group: "secrets",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "COPY/ADD puts secret files from the build context into the image",
    }
}

impl Rule for SecretInBuildContext {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for op in &cx.model.copies {
            if op.from != CopySource::Context {
                continue;
            }
            let instruction = &cx.dockerfile.instructions[op.instruction];
            let keyword = match instruction.keyword {
                Keyword::Copy => "COPY",
                Keyword::Add => "ADD",
                _ => continue,
            };
            let excludes = copy_excludes(cx, op);
            for (src, word) in &op.sources {
                let Some(norm) = normalize_rel(src) else {
                    continue;
                };
                let shown = word.value.as_str();
                let has_glob = norm.contains(['*', '?', '[']);
                let roots: Vec<String> = if has_glob {
                    cx.context.glob(&norm).to_vec()
                } else {
                    vec![norm.clone()]
                };
                let mut found: Vec<(String, SensitiveKind)> = Vec::new();
                let mut missing_by_name = None;
                for root in &roots {
                    if cx.context.exists(root) {
                        for (path, kind) in copied_secrets(cx, root, excludes.as_ref()) {
                            if !found.iter().any(|(p, _)| *p == path) {
                                found.push((path, kind));
                            }
                        }
                    } else if !has_glob && !root.is_empty() && !cx.context.is_excluded(root) {
                        // Not in the context (yet): the name alone decides.
                        missing_by_name = classify(root, || None).filter(|k| {
                            *k != SensitiveKind::PrivateKey || !looks_public_key_name(root)
                        });
                    }
                }
                let git_unignored = norm.is_empty()
                    && cx.context.dockerignore().is_none()
                    && cx.context.is_dir(".git");
                let direct_file = roots.len() == 1 && !has_glob && !cx.context.is_dir(&roots[0]);

                if let Some(kind) = missing_by_name {
                    cx.report(Finding::new(
                        word.range,
                        format!(
                            "`{keyword} {shown}` puts a secret file ({}) into the image, where anyone who pulls it can \
                             read it; mount it only where needed (`RUN --mount=type=secret`) or provide it at run time",
                            kind.description()
                        ),
                    ));
                    continue;
                }
                if found.is_empty() {
                    continue;
                }
                let message = if direct_file && found.len() == 1 {
                    format!(
                        "`{keyword} {shown}` puts a secret file ({}) into the image, where anyone who pulls it can \
                         read it; mount it only where needed (`RUN --mount=type=secret`) or provide it at run time",
                        found[0].1.description()
                    )
                } else {
                    let listed: Vec<String> = found
                        .iter()
                        .take(3)
                        .map(|(p, k)| format!("`{p}` ({})", k.description()))
                        .collect();
                    let more = match found.len() {
                        n if n > 3 => format!(" and {} more", n - 3),
                        _ => String::new(),
                    };
                    let files = if found.len() == 1 {
                        "a secret file"
                    } else {
                        "secret files"
                    };
                    let them = if found.len() == 1 { "it" } else { "them" };
                    let ignore_note = if cx.context.dockerignore().is_none() {
                        let git = if git_unignored { " (and `.git`)" } else { "" };
                        format!("create a .dockerignore that excludes {them}{git}")
                    } else {
                        format!("add {them} to .dockerignore")
                    };
                    format!(
                        "`{keyword} {shown}` copies {files} from the build context into the image: {}{more}; {ignore_note}",
                        listed.join(", ")
                    )
                };
                cx.report(Finding::new(word.range, message));
            }
        }
    }
}

/// The `--exclude` patterns of a COPY/ADD, expanded, as an ignore list.
pub(crate) fn copy_excludes(cx: &Checker, op: &CopyOp) -> Option<DockerIgnore> {
    let excludes: Vec<String> = cx.dockerfile.instructions[op.instruction]
        .flags_named("exclude")
        .filter_map(|f| f.value.as_deref())
        .map(|v| cx.model.expand(op.instruction, v).value)
        .collect();
    (!excludes.is_empty()).then(|| DockerIgnore::parse(&excludes.join("\n")))
}

/// Secret files under the context folder `root` that a copy of it takes
/// (neither in `.dockerignore` nor in the copy's `--exclude`).
pub(crate) fn copied_secrets(
    cx: &Checker,
    root: &str,
    excludes: Option<&DockerIgnore>,
) -> Vec<(String, SensitiveKind)> {
    cx.context
        .sensitive_files_under(root)
        .iter()
        .filter(|(path, _)| {
            !excludes.is_some_and(|ex| {
                ex.is_excluded(path)
                    || path
                        .strip_prefix(root)
                        .map(|p| p.trim_start_matches('/'))
                        .is_some_and(|p| !p.is_empty() && ex.is_excluded(p))
            })
        })
        .cloned()
        .collect()
}

/// Without the content, `.pem` / `.key` names that say "public" (certificates,
/// GPG keys, DH parameters) are not private keys: `yarn-pubkey.gpg.key`,
/// `ffdhe4096.pem`, `ca-chain.pem`.
fn looks_public_key_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let fragments = [
        "pub",
        "gpg",
        "pgp",
        "cert",
        "crt",
        "chain",
        "dhparam",
        "ffdhe",
        "trust",
        "bundle",
        "keyring",
        "fingerprint",
    ];
    let words = ["ca", "dh", "root", "asc", "signing"];
    fragments.iter().any(|f| name.contains(f))
        || name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| words.contains(&w))
}
