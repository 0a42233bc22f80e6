use dockside_semantic::CopySource;
use dockside_syntax::Keyword;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

use super::{is_root, user_before};

declare_rule! {
    /// ## What it does
    /// Reports a `COPY` or `ADD` without `--chown` after a non-root `USER`
    /// when a later `RUN` of the stage, still as that user, works in the
    /// destination directory (its `WORKDIR` is the destination or inside it).
    ///
    /// `COPY` ignores `USER`: the copied files and directories are owned by
    /// root. Read-only application files owned by root are fine (even
    /// preferable), which is why a `COPY` alone is not reported, and new files
    /// can still be created in a `WORKDIR` the user owns; the failure comes
    /// when the later step modifies what was copied: `npm install` rewriting
    /// `package-lock.json`, a build writing into a copied directory, `sed -i`
    /// on a copied file. Since which files a `RUN` modifies cannot be known,
    /// the rule is off by default.
    ///
    /// ## Why is this bad?
    /// The `RUN` fails with "permission denied" (`EACCES`), or the author
    /// works around it with `chmod -R 777` or a `chown -R` that duplicates
    /// every file in a new layer.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-alpine
    /// USER node
    /// WORKDIR /home/node/app
    /// COPY . .
    /// RUN npm ci
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-alpine
    /// USER node
    /// WORKDIR /home/node/app
    /// COPY --chown=node:node . .
    /// RUN npm ci
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `--chown=<user>` with the current `USER`. It changes the
    /// owner of the copied files, which the process can then modify: unsafe.
    pub struct CopyWithoutChown {
        name: "copy-without-chown",
        code: "DF716",
        group: "user",
        severity: Info,
        aliases: ["copy-after-user-without-chown"],
        fix: Sometimes,
        summary: "COPY after a non-root USER without --chown, then written to by that user",
        opt_in: true,
    }
}

impl Rule for CopyWithoutChown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let mut seen: Vec<usize> = Vec::new();
        for copy in &cx.model.copies {
            if matches!(copy.from, CopySource::Heredoc) || seen.contains(&copy.instruction) {
                continue;
            }
            let index = copy.instruction;
            let inst = &cx.dockerfile.instructions[index];
            if inst.flag("chown").is_some() {
                continue;
            }
            let Some((user_index, _, Some(user))) = user_before(cx, copy.stage, index) else {
                continue;
            };
            if is_root(&user) {
                continue;
            }
            let dest = copy.dest.trim_end_matches('/');
            let dest_dir = copy.dest_is_dir || *copy.dest == *cx.model.instructions[index].workdir;
            if !dest_dir || dest.is_empty() {
                continue;
            }
            let end = cx.model.stages[copy.stage].end;
            let writer = (index + 1..end).find(|&j| {
                let other = &cx.dockerfile.instructions[j];
                let wd = cx.model.instructions[j].workdir.trim_end_matches('/');
                other.keyword == Keyword::Run
                    && (wd == dest || wd.strip_prefix(dest).is_some_and(|r| r.starts_with('/')))
                    && user_before(cx, copy.stage, j).is_some_and(|(u, _, _)| u == user_index)
            });
            let Some(writer) = writer else { continue };
            seen.push(index);
            let line = cx.line_number(cx.dockerfile.instructions[writer].range.start);
            let mut finding = Finding::new(
                inst.keyword_range,
                format!(
                    "{} ignores `USER {user}`: the copied files in `{dest}` are owned by root, and the RUN on \
                     line {line} works there as `{user}`, who cannot modify them; add `--chown={user}` if it does",
                    inst.keyword.as_str()
                ),
            );
            if !user.contains('$') && !user.contains(char::is_whitespace) {
                let at = inst.keyword_range.end as usize;
                finding = finding.with_fix(Fix::unsafe_(
                    format!("Add `--chown={user}`"),
                    vec![Edit::insert(at, format!(" --chown={user}"))],
                ));
            }
            cx.report(finding);
        }
    }
}
