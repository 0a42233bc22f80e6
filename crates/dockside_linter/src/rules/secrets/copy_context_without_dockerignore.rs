use dockside_context::normalize_rel;
use dockside_semantic::CopySource;
use dockside_syntax::Keyword;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

use super::secret_in_build_context::copied_secrets;

declare_rule! {
    /// ## What it does
    /// Reports a `COPY` or `ADD` of the whole build context (`COPY . .`,
    /// `COPY ./ /app/`, `ADD . /src`) when the context has no `.dockerignore`
    /// (nor a `<Dockerfile name>.dockerignore` next to the Dockerfile),
    /// whatever the context holds today. The build context is the folder of
    /// the Dockerfile, or the `build.context` of the Compose service that
    /// builds it.
    ///
    /// A copy that leaves files out with `--exclude` is not reported. When
    /// the context already holds secret files, `secret-in-build-context`
    /// reports the copy (naming the files) and this rule stays silent.
    ///
    /// ## Why is this bad?
    /// Without a `.dockerignore`, everything in the folder is sent to the
    /// builder and copied into the image: the `.git` folder (whose history may
    /// hold removed secrets and whose remotes may embed tokens), a developer's
    /// local `.env`, `node_modules`, build output, editor files. The image
    /// grows, secrets added later ship silently, and any change to any of
    /// those files invalidates the cache of this layer and of every layer
    /// after it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-alpine
    /// WORKDIR /app
    /// COPY . .
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// # .dockerignore
    /// .git
    /// .env*
    /// node_modules
    /// ```
    /// ```dockerfile
    /// FROM node:22-alpine
    /// WORKDIR /app
    /// COPY . .
    /// ```
    pub struct CopyContextWithoutDockerignore {
        name: "copy-context-without-dockerignore",
        code: "DF307",
        group: "secrets",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "COPY/ADD of the whole build context with no .dockerignore",
    }
}

impl Rule for CopyContextWithoutDockerignore {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        if cx.context.dockerignore().is_some() || !cx.context.is_dir(".") {
            return;
        }
        let secrets_reported = cx
            .config
            .is_enabled("secret-in-build-context", true, cx.path)
            && !copied_secrets(cx, "", None).is_empty();
        if secrets_reported {
            return;
        }
        let git = if cx.context.is_dir(".git") {
            " (this context has a `.git` folder)"
        } else {
            ""
        };
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
            if instruction.flags_named("exclude").next().is_some() {
                continue;
            }
            let Some((_, word)) = op
                .sources
                .iter()
                .find(|(src, _)| normalize_rel(src).is_some_and(|n| n.is_empty()))
            else {
                continue;
            };
            cx.report(Finding::new(
                word.range,
                format!(
                    "`{keyword} {}` copies the whole build context and there is no .dockerignore: whatever the \
                     folder holds, now or later (`.git`, a local `.env`, build output), goes into the image{git} and \
                     any change to it invalidates this layer; add a .dockerignore",
                    word.value
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Config, LintOptions, lint_dockerfile};

    /// A `.git` folder cannot be committed inside a fixture, so this context is made on disk.
    #[test]
    fn names_the_git_folder() {
        let dir = std::env::temp_dir().join(format!("dockside-ccwd-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        let path = dir.join("Dockerfile");
        let text = "FROM alpine:3.20\nCOPY . /src\n";
        std::fs::write(&path, text).unwrap();
        let result = lint_dockerfile(
            &path,
            text,
            &Config::default_for(dir.clone()),
            &LintOptions::default(),
        );
        let found: Vec<&str> = result
            .diagnostics
            .iter()
            .filter(|d| d.rule.name == "copy-context-without-dockerignore")
            .map(|d| d.message.as_str())
            .collect();
        let others: Vec<&str> = result
            .diagnostics
            .iter()
            .filter(|d| d.rule.name == "secret-in-build-context")
            .map(|d| d.rule.name)
            .collect();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            found,
            [
                "`COPY .` copies the whole build context and there is no .dockerignore: whatever the folder holds, \
                 now or later (`.git`, a local `.env`, build output), goes into the image (this context has a `.git` \
                 folder) and any change to it invalidates this layer; add a .dockerignore"
            ]
        );
        assert!(others.is_empty(), "{others:?}");
    }
}
