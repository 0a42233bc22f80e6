use dockside_semantic::CopySource;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an `ADD` that downloads a file from a URL without
    /// `--checksum=sha256:…`, and an `ADD` of a git repository without a
    /// pinned ref: no `#ref` at all, or a branch name (`#main`, `#master`,
    /// `#develop`, `#HEAD`, or anything that does not look like a commit or a
    /// version tag). A full commit id (`#4f4b0f…`, 40 hex digits), a version
    /// tag (`#v1.2.3`) or `--checksum` on the git source pins it.
    ///
    /// ## Why is this bad?
    /// The builder stores whatever the server returns. Without a checksum a
    /// changed, truncated or tampered download goes unnoticed, and the build is
    /// not reproducible: two builds of the same Dockerfile can contain
    /// different files. A branch moves; the image changes with every push.
    ///
    /// ## Example
    /// ```dockerfile
    /// ADD https://example.com/tool-1.2.3.tar.gz /tmp/
    /// ADD https://github.com/example/repo.git /src
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \
    ///     https://example.com/tool-1.2.3.tar.gz /tmp/
    /// ADD https://github.com/example/repo.git#v1.2.3 /src
    /// ```
    pub struct RemoteAddUnverified {
        name: "remote-add-unverified",
        code: "DF305",
        group: "secrets",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "ADD of a URL without --checksum, or of a git repository without a pinned ref",
    }
}

impl Rule for RemoteAddUnverified {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for copy in &cx.model.copies {
            if copy.from != CopySource::Remote {
                continue;
            }
            let inst = &cx.dockerfile.instructions[copy.instruction];
            let has_checksum = inst
                .flag("checksum")
                .is_some_and(|f| f.value.as_deref().is_some_and(|v| !v.is_empty()));
            for (url, word) in &copy.sources {
                if is_git(url) {
                    if has_checksum {
                        continue;
                    }
                    let reference = git_ref(url);
                    let message = match reference {
                        None => "git source without a ref: the image gets whatever the default branch holds at build \
                                 time; pin a commit or tag with `#<commit>` or `#v1.2.3`"
                            .to_string(),
                        Some(r) if pinned(r) => continue,
                        Some(r) => format!(
                            "git source ref `{r}` looks like a branch, which moves with every push; pin a \
                             commit id or a version tag"
                        ),
                    };
                    cx.report(Finding::new(word.range, message));
                } else if !has_checksum {
                    cx.report(Finding::new(
                        word.range,
                        "remote file added without `--checksum`: a changed or tampered download goes unnoticed; add \
                         `--checksum=sha256:<digest>`",
                    ));
                }
            }
        }
    }
}

fn is_git(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let base = lower.split('#').next().unwrap_or(&lower);
    lower.starts_with("git@")
        || lower.starts_with("git://")
        || base.ends_with(".git")
        || base.ends_with(".git/")
}

/// The part after `#`, without a `:subdir`.
fn git_ref(url: &str) -> Option<&str> {
    let (_, fragment) = url.split_once('#')?;
    let r = fragment.split(':').next().unwrap_or(fragment);
    (!r.is_empty()).then_some(r)
}

fn pinned(r: &str) -> bool {
    let r = r.strip_prefix("refs/tags/").unwrap_or(r);
    if r.len() >= 7 && r.len() <= 64 && r.chars().all(|c| c.is_ascii_hexdigit()) {
        return true;
    }
    // Version tags: `v1.2.3`, `1.2`, `release-1.4.0`, `go1.22.1`.
    let first_digit = r.find(|c: char| c.is_ascii_digit());
    first_digit.is_some_and(|i| r[i..].contains('.') || r[i..].chars().all(|c| c.is_ascii_digit()))
        && !matches!(r, "main" | "master" | "develop" | "HEAD")
}
