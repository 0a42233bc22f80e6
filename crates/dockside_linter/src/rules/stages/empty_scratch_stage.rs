use dockside_semantic::{Base, CopySource};
use dockside_syntax::{Body, CommandForm, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports uses of a stage built `FROM scratch` whose filesystem is still
    /// empty, because no `COPY` or `ADD` of that stage (or of the stages it is
    /// built on) put anything in it yet:
    /// - a `RUN` in shell form (or with a heredoc) in such a stage: BuildKit
    ///   starts `/bin/sh`, which does not exist;
    /// - `COPY --from=<stage>` or `RUN --mount=from=<stage>` naming such a stage:
    ///   there is nothing to copy or mount.
    ///
    /// A stage that copied anything at all is assumed to have what it needs
    /// (a static shell, a root filesystem archive), and exec-form `RUN ["…"]`
    /// is left alone. Not reported either: `COPY --from=<stage> / …` (copying
    /// the root of an empty stage copies nothing and succeeds) and stages
    /// reached through a `FROM` with a variable (`FROM tool-${VARIANT}`), where
    /// an empty stage is often the deliberate "nothing" variant.
    ///
    /// ## Why is this bad?
    /// The build fails at that instruction ("/bin/sh: no such file or
    /// directory", "not found"), often after the stages before it ran for
    /// minutes. Usually the `FROM` should name a real base image, or the
    /// instruction belongs in another stage.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM scratch
    /// RUN mkdir /data
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM busybox:1.36 AS prepare
    /// RUN mkdir /data
    ///
    /// FROM scratch
    /// COPY --from=prepare /data /data
    /// ```
    pub struct EmptyScratchStage {
        name: "empty-scratch-stage",
        code: "DF628",
        group: "stages",
        severity: Error,
        aliases: ["shell-run-in-scratch", "copy-from-empty-scratch-stage"],
        fix: None,
        summary: "RUN in, or COPY --from, a `FROM scratch` stage that has no files yet",
    }
}

impl Rule for EmptyScratchStage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (index, inst, info) in cx.instructions() {
            let Some(stage) = info.stage else { continue };
            if inst.keyword == Keyword::Run
                && (matches!(inst.body, Body::Command(CommandForm::Shell(_)))
                    || !inst.heredocs.is_empty())
                && empty_before(cx, stage, index)
            {
                cx.report(
                    Finding::new(
                        inst.keyword_range,
                        "this RUN needs `/bin/sh`, but the stage is built `FROM scratch` and nothing was copied into it yet; \
                         run it in a stage with a real base image",
                    )
                    .with_related(FileId::MAIN, from_range(cx, stage), "the empty stage starts here"),
                );
            }
            // `RUN --mount=from=<stage>`.
            if inst.keyword == Keyword::Run {
                for flag in inst.flags_named("mount") {
                    let Some(value) = flag.value.as_deref() else {
                        continue;
                    };
                    let Some(from) = value
                        .split(',')
                        .find_map(|kv| kv.trim().strip_prefix("from="))
                    else {
                        continue;
                    };
                    if let Some(source) = stage_named(cx, from, index)
                        && empty_before(cx, source, cx.model.stages[source].end)
                    {
                        cx.report(
                            Finding::new(
                                flag.range,
                                format!("stage `{from}` is built `FROM scratch` with no files: there is nothing to mount"),
                            )
                            .with_related(FileId::MAIN, from_range(cx, source), "the empty stage starts here"),
                        );
                    }
                }
            }
        }
        for copy in &cx.model.copies {
            let CopySource::Stage(source) = copy.from else {
                continue;
            };
            // Copying the root of an empty stage copies nothing, and succeeds.
            if !empty_before(cx, source, cx.model.stages[source].end)
                || copy
                    .sources
                    .iter()
                    .all(|(src, _)| src.trim_end_matches('/').is_empty())
            {
                continue;
            }
            let inst = &cx.dockerfile.instructions[copy.instruction];
            let range = inst.flag("from").map_or(inst.keyword_range, |f| f.range);
            cx.report(
                Finding::new(
                    range,
                    "the stage this copies from is built `FROM scratch` with no files: there is nothing to copy",
                )
                .with_related(FileId::MAIN, from_range(cx, source), "the empty stage starts here"),
            );
        }
    }
}

/// The stage is built (through its parent stages) on `scratch`, and no COPY or ADD of
/// those stages before instruction `before` added files.
fn empty_before(cx: &Checker, stage: usize, before: usize) -> bool {
    let chain = cx.model.stage_ancestry(stage);
    let root = *chain.last().unwrap_or(&stage);
    if !matches!(cx.model.stages[root].base, Base::Scratch) {
        return false;
    }
    // `FROM variant-${ARG}`: another build argument picks another stage.
    if chain
        .iter()
        .any(|&s| cx.text(cx.model.stages[s].image_range).contains('$'))
    {
        return false;
    }
    !chain.iter().any(|&s| {
        cx.model.stages[s].instructions().any(|i| {
            i < before
                && matches!(
                    cx.dockerfile.instructions[i].keyword,
                    Keyword::Copy | Keyword::Add
                )
        })
    })
}

/// The stage a `from=` value names (a stage name or index defined before `index`).
fn stage_named(cx: &Checker, name: &str, index: usize) -> Option<usize> {
    cx.model
        .stages
        .iter()
        .filter(|s| s.from < index)
        .find(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
                || s.index.to_string() == name
        })
        .map(|s| s.index)
}

/// The `FROM scratch` the stage is built on (through its parent stages).
fn from_range(cx: &Checker, stage: usize) -> dockside_syntax::TextRange {
    let root = *cx.model.stage_ancestry(stage).last().unwrap_or(&stage);
    cx.dockerfile.instructions[cx.model.stages[root].from].keyword_range
}
