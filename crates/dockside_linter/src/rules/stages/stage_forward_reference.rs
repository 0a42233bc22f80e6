use std::collections::HashMap;

use crate::analysis::stages::{RefKind, Target, references};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{Rule, RuleMeta};
use dockside_semantic::Base;

declare_rule! {
    /// ## What it does
    /// Flags a `FROM`, `COPY --from=` or `RUN --mount=from=` that names a stage
    /// defined later in the file, and says so when the two stages then depend on
    /// each other in a cycle.
    ///
    /// ## Why is this bad?
    /// BuildKit only resolves stage names defined before the instruction. A later
    /// stage's name is taken as an image to pull, so the build fails ("pull access
    /// denied") or uses an unrelated image; a cycle can never be built.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// COPY --from=build /app/dist /usr/share/nginx/html
    /// FROM node:22 AS build
    /// RUN npm run build
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22 AS build
    /// RUN npm run build
    /// FROM nginx:1.27
    /// COPY --from=build /app/dist /usr/share/nginx/html
    /// ```
    pub struct StageForwardReference {
        name: "stage-forward-reference",
        code: "DF625",
        group: "stages",
        severity: Error,
        aliases: [],
        fix: None,
        summary: "A stage is used before it is defined (or stages depend on each other in a cycle)",
    }
}

impl Rule for StageForwardReference {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let refs = references(cx.dockerfile, cx.model);
        // Stage -> stages it uses, by name, wherever they are defined.
        let mut uses: Vec<Vec<usize>> = vec![Vec::new(); cx.model.stages.len()];
        let mut forward: Vec<(usize, usize, dockside_syntax::TextRange, String)> = Vec::new();
        // Stage indices by lowercased name, in order.
        let mut named: HashMap<String, Vec<usize>> = HashMap::new();
        for stage in &cx.model.stages {
            if let Some(name) = &stage.name {
                named
                    .entry(name.to_ascii_lowercase())
                    .or_default()
                    .push(stage.index);
            }
        }
        for stage in &cx.model.stages {
            match &stage.base {
                Base::Stage(p) => uses[stage.index].push(*p),
                _ if stage.image_complete => {
                    let later = named
                        .get(&stage.image.to_ascii_lowercase())
                        .and_then(|at| {
                            let after = at.partition_point(|&i| i <= stage.index);
                            at.get(after)
                        })
                        .map(|&i| &cx.model.stages[i]);
                    if let Some(t) = later {
                        uses[stage.index].push(t.index);
                        forward.push((
                            stage.index,
                            t.index,
                            stage.image_range,
                            stage.image.clone(),
                        ));
                    }
                }
                _ => {}
            }
        }
        for r in &refs {
            if r.kind == RefKind::From {
                continue;
            }
            let (Target::Stage(t), Some(s)) = (&r.target, r.stage) else {
                continue;
            };
            uses[s].push(*t);
            if *t > s {
                forward.push((s, *t, r.range, r.value.clone()));
            }
        }
        for (from, to, range, value) in forward {
            let cycle = reaches(&uses, to, from);
            let message = if cycle {
                format!(
                    "`{value}` is defined later and depends back on this stage: the stages form a cycle and can not be built"
                )
            } else {
                format!(
                    "stage `{value}` is defined later in the file, so here it is pulled as an image: move that stage above this one"
                )
            };
            let mut finding = Finding::new(range, message);
            if let Some(name_range) = cx.model.stages[to].name_range {
                finding = finding.with_related(FileId::MAIN, name_range, "stage defined here");
            }
            cx.report(finding);
        }
    }
}

/// Whether `target` is reachable from `start` along `uses`.
fn reaches(uses: &[Vec<usize>], start: usize, target: usize) -> bool {
    let mut seen = vec![false; uses.len()];
    let mut todo = vec![start];
    while let Some(s) = todo.pop() {
        if s == target {
            return true;
        }
        if s >= seen.len() || seen[s] {
            continue;
        }
        seen[s] = true;
        todo.extend(uses[s].iter().copied());
    }
    false
}
