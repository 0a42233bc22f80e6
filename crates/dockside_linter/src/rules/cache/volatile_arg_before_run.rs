use dockside_syntax::{Body, Keyword};

use crate::analysis::install_steps::{Step, StepKind, run_steps};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{OptionKind, OptionSpec, Rule, RuleMeta};
use crate::rules::secrets::secret_in_env::{name_matches, name_words};

declare_rule! {
    /// ## What it does
    /// Reports an `ARG` whose value changes on every build (a date, a commit,
    /// a build number, a cache buster, the version being built) declared in a
    /// stage before an expensive `RUN` that does not use it: an OS package
    /// install, a dependency install, a download or a downloaded installer.
    ///
    /// Names are recognised by their words: `DATE`, `TIME` (with `BUILD`),
    /// `TIMESTAMP`, `SHA`, `COMMIT`, `REVISION`, `REF` (with `GIT`/`VCS`/`SOURCE`),
    /// `CACHEBUST`, `BUILD_NUMBER`, `BUILD_ID`, and `VERSION` alone or as
    /// `APP_`/`BUILD_`/`IMAGE_`/`RELEASE_`/`PROJECT_VERSION` (a pinned
    /// `NODE_VERSION` is a dependency, not the build's own version).
    ///
    /// A `RUN` that mentions the variable (`$GIT_SHA`, `${BUILD_DATE}`) uses it
    /// and is fine; so is an `ARG` in the global scope (before the first
    /// `FROM`) that the stage does not redeclare. Compile steps are not counted
    /// as expensive: build tools often read such variables from the
    /// environment without naming them in the `RUN`.
    ///
    /// ## Why is this bad?
    /// Every `RUN` after an `ARG` gets the variable in its environment, and
    /// its value is part of the `RUN`'s cache key, whether the command uses it
    /// or not. A build argument that changes on every build therefore
    /// invalidates every `RUN` that follows it: the package installs and
    /// downloads run again on every build instead of coming from the cache.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ARG GIT_COMMIT
    /// RUN apt-get update && apt-get install -y --no-install-recommends libpq5
    /// COPY requirements.txt .
    /// RUN pip install -r requirements.txt
    /// LABEL org.opencontainers.image.revision=$GIT_COMMIT
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends libpq5
    /// COPY requirements.txt .
    /// RUN pip install -r requirements.txt
    /// ARG GIT_COMMIT
    /// LABEL org.opencontainers.image.revision=$GIT_COMMIT
    /// ```
    ///
    /// ## Options
    /// - `volatile-names`: more variable names that change on every build.
    ///   Case-insensitive; an entry with `*` is a glob over the whole name
    ///   (`CI_*`), without `*` it matches the whole name or one of its words.
    pub struct VolatileArgBeforeRun {
        name: "volatile-arg-before-run",
        code: "DF203",
        group: "cache",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "An ARG that changes every build is declared before expensive RUNs that do not use it",
        options: [OptionSpec {
            key: "volatile-names",
            kind: OptionKind::StringList,
            help: "More ARG names whose value changes on every build (case-insensitive words or `*` globs)",
        }],
    }
}

/// Whether an ARG name denotes a value that changes on every build.
fn is_volatile_name(name: &str) -> bool {
    let words = name_words(name);
    let has = |w: &str| words.iter().any(|x| x == w);
    let always = [
        "date",
        "datetime",
        "timestamp",
        "cachebust",
        "cachebuster",
        "buildnumber",
        "buildid",
        "builddate",
        "buildtime",
        "gitsha",
        "githash",
        "gitcommit",
        "vcsref",
    ];
    if words.iter().any(|w| always.contains(&w.as_str())) {
        return true;
    }
    // The build's own commit (`GIT_SHA`, `COMMIT`, `SOURCE_COMMIT`), not a pinned
    // dependency's (`ROOTLESSKIT_COMMIT`).
    let own = [
        "git", "vcs", "source", "scm", "build", "app", "image", "ci", "github", "gitlab", "short",
        "head", "release", "project", "repo", "current", "commit", "sha", "revision", "ref",
        "hash",
    ];
    if words
        .iter()
        .any(|w| matches!(w.as_str(), "sha" | "commit" | "revision" | "rev"))
        && words
            .iter()
            .all(|w| own.contains(&w.as_str()) || w == "rev")
    {
        return true;
    }
    if has("cache") && has("bust") {
        return true;
    }
    if has("build") && (has("time") || has("number") || has("id") || has("num") || has("tag")) {
        return true;
    }
    if (has("git") || has("vcs") || has("source") || has("scm"))
        && (has("ref") || has("hash") || has("rev") || has("describe"))
    {
        return true;
    }
    if has("ci") && (has("pipeline") || has("job")) {
        return true;
    }
    // The build's own version, not a dependency's (`NODE_VERSION`).
    if has("version") {
        return words.len() == 1
            || (words.len() == 2
                && [
                    "app",
                    "build",
                    "image",
                    "release",
                    "project",
                    "application",
                    "service",
                    "git",
                ]
                .contains(&words[0].as_str()));
    }
    false
}

/// Whether `text` mentions `$NAME` or `${NAME…}`.
pub(crate) fn mentions_var(text: &str, name: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(pos) = text[i..].find('$') {
        let at = i + pos + 1;
        let rest = &text[at..];
        let rest = rest.strip_prefix('{').unwrap_or(rest);
        if let Some(after) = rest.strip_prefix(name)
            && !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        {
            return true;
        }
        i = at;
        if i >= bytes.len() {
            break;
        }
    }
    false
}

impl Rule for VolatileArgBeforeRun {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let extra = cx.option_list("volatile-names");
        let instructions: Vec<_> = cx.instructions().collect();
        for &(index, instruction, info) in &instructions {
            if instruction.keyword != Keyword::Arg {
                continue;
            }
            let Some(stage) = info.stage else { continue };
            let Body::Pairs(pairs) = &instruction.body else {
                continue;
            };
            let end = cx.model.stages[stage].end;
            for pair in pairs {
                let name = pair.key.value.as_str();
                if !(is_volatile_name(name) || extra.iter().any(|p| name_matches(name, p))) {
                    continue;
                }
                let mut downloaded = Vec::new();
                let mut first: Option<(usize, Step)> = None;
                for &(later, later_inst, later_info) in &instructions[index + 1..end] {
                    if later_inst.keyword != Keyword::Run {
                        continue;
                    }
                    let mut steps = Vec::new();
                    for code in &later_info.scripts {
                        steps.extend(run_steps(code, &later_info.workdir, &mut downloaded));
                    }
                    if first.is_some() {
                        continue;
                    }
                    if mentions_var(cx.text(later_inst.range), name) {
                        continue;
                    }
                    if let Some(step) = steps
                        .into_iter()
                        .find(|s| s.kind.is_expensive() && s.kind != StepKind::ProjectInstall)
                    {
                        first = Some((later, step));
                    }
                }
                let Some((later, step)) = first else { continue };
                let what = match step.kind {
                    StepKind::SystemPackages | StepKind::Packages | StepKind::ManifestInstall => {
                        "install"
                    }
                    StepKind::Download => "download",
                    _ => "step",
                };
                cx.report(
                    Finding::new(
                        pair.key.range,
                        format!(
                            "ARG `{name}` changes on every build and is declared before `{}` (line {}), which does not \
                             use it: its value is part of the cache key of every later RUN, so the {what} re-runs on \
                             every build; declare the ARG after the expensive steps, right before it is used",
                            step.label,
                            cx.line_number(cx.dockerfile.instructions[later].range.start)
                        ),
                    )
                    .with_related(FileId::MAIN, step.range, format!("re-runs whenever `{name}` changes")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for n in [
            "BUILD_DATE",
            "GIT_SHA",
            "GIT_COMMIT",
            "VCS_REF",
            "SOURCE_COMMIT",
            "REVISION",
            "VERSION",
            "APP_VERSION",
            "CACHEBUST",
            "CACHE_BUST",
            "TIMESTAMP",
            "BUILD_NUMBER",
            "BUILD_ID",
            "BUILD_TIME",
            "COMMIT_SHA",
            "buildDate",
        ] {
            assert!(is_volatile_name(n), "{n}");
        }
        for n in [
            "ROOTLESSKIT_COMMIT",
            "GOLANG_COMMIT",
            "NODE_VERSION",
            "PYTHON_VERSION",
            "TARGETARCH",
            "USER_ID",
            "PYTHON_SHA256",
            "DEBIAN_FRONTEND",
            "UPDATE_CHANNEL",
        ] {
            assert!(!is_volatile_name(n), "{n}");
        }
    }

    #[test]
    fn mentions() {
        assert!(mentions_var("echo $GIT_SHA", "GIT_SHA"));
        assert!(mentions_var("echo ${GIT_SHA:-x}", "GIT_SHA"));
        assert!(!mentions_var("echo $GIT_SHA_SHORT", "GIT_SHA"));
        assert!(!mentions_var("echo GIT_SHA", "GIT_SHA"));
    }
}
