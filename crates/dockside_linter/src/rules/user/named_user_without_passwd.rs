use dockside_semantic::{Base, CopySource};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

use super::user_before;

declare_rule! {
    /// ## What it does
    /// Reports a `USER` that names a user or group (`USER app`,
    /// `USER 1000:app`) in a stage built `FROM scratch` (directly or through
    /// other stages) when nothing puts `/etc/passwd` (for a user name) or
    /// `/etc/group` (for a group name) into the image: no `COPY`/`ADD` to that
    /// path, to `/etc/` or to `/` (a `COPY --from=build /etc/passwd /etc/passwd`,
    /// a root filesystem added to `/`, a heredoc written to `/etc/passwd` all
    /// count). Only the `USER` in effect at the end of each stage is checked.
    /// Images other than `scratch` are not reported: distroless and other
    /// minimal images ship an `/etc/passwd` (`nonroot` exists in
    /// `gcr.io/distroless/*:nonroot`).
    ///
    /// ## Why is this bad?
    /// The runtime resolves a user name through the image's `/etc/passwd`
    /// (and a group name through `/etc/group`). A `scratch` image has neither,
    /// so the container does not start: `unable to find user app: no matching
    /// entries in passwd file`. The build succeeds, so the error shows up only
    /// when the image is run.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN CGO_ENABLED=0 go build -o /app . && useradd -u 10001 app
    ///
    /// FROM scratch
    /// COPY --from=build /app /app
    /// USER app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN CGO_ENABLED=0 go build -o /app .
    ///
    /// FROM scratch
    /// COPY --from=build /app /app
    /// USER 10001:10001
    /// ```
    /// or copy the account files: `COPY --from=build /etc/passwd /etc/group /etc/`.
    pub struct NamedUserWithoutPasswd {
        name: "named-user-without-passwd",
        code: "DF719",
        group: "user",
        severity: Error,
        aliases: ["named-identity-in-passwdless-stage"],
        fix: None,
        summary: "A named USER in a scratch stage without /etc/passwd: the container cannot start",
    }
}

impl Rule for NamedUserWithoutPasswd {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let mut reported: Vec<usize> = Vec::new();
        for stage in &cx.model.stages {
            let ancestry = cx.model.stage_ancestry(stage.index);
            let root = ancestry.last().map(|&s| &cx.model.stages[s].base);
            if root != Some(&Base::Scratch) {
                continue;
            }
            let Some((index, range, Some(user))) = user_before(cx, stage.index, stage.end) else {
                continue;
            };
            if reported.contains(&index) {
                continue;
            }
            let (name, group) = match user.split_once(':') {
                Some((u, g)) => (u, Some(g)),
                None => (user.as_str(), None),
            };
            let named = |s: &str| !s.is_empty() && !s.chars().all(|c| c.is_ascii_digit());
            let missing = if named(name) && !brings(cx, &ancestry, stage.end, "passwd") {
                Some(("user", name, "/etc/passwd"))
            } else if group.is_some_and(named) && !brings(cx, &ancestry, stage.end, "group") {
                Some(("group", group.unwrap_or_default(), "/etc/group"))
            } else {
                None
            };
            let Some((what, who, file)) = missing else {
                continue;
            };
            reported.push(index);
            cx.report(Finding::new(
                range,
                format!(
                    "{what} `{who}` cannot be resolved: this stage is built from `scratch` and nothing copies \
                     `{file}`, so the container fails to start; use a numeric id (`USER 10001:10001`) or copy `{file}`"
                ),
            ));
        }
    }
}

/// Whether a COPY/ADD of the stages in `ancestry` (before `end`) may put
/// `/etc/<file>` into the image.
fn brings(cx: &Checker, ancestry: &[usize], end: usize, file: &str) -> bool {
    let target = format!("/etc/{file}");
    cx.model.copies.iter().any(|op| {
        if !ancestry.contains(&op.stage) || op.instruction >= end {
            return false;
        }
        let dest = op.dest.trim_end_matches('/');
        if dest == target {
            return true;
        }
        if !(dest.is_empty() || dest == "/etc") {
            return false;
        }
        // Into `/` or `/etc`: a folder, an archive, a heredoc, or anything unknown
        // may hold the file; only sources that are clearly other files do not.
        if op.from == CopySource::Heredoc {
            return dest == "/etc";
        }
        op.sources
            .iter()
            .any(|(src, _)| may_hold(src, file, dest.is_empty()))
    })
}

fn may_hold(src: &str, file: &str, into_root: bool) -> bool {
    let src = src.trim_end_matches('/');
    let base = src.rsplit('/').next().unwrap_or(src);
    if base == file || src.is_empty() || src == "." || base.contains(['*', '?', '[', '$']) {
        return true;
    }
    // `COPY rootfs/ /`, `ADD rootfs.tar.gz /`, `COPY --from=build /etc /etc`.
    into_root || base == "etc" || !base.contains('.')
}
