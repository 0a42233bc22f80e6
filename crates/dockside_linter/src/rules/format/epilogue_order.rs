use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{Rule, RuleMeta};
use dockside_syntax::ast::Keyword;

declare_rule! {
    /// ## What it does
    /// Checks that the instructions that only describe how the container runs
    /// close each stage: `EXPOSE`, `STOPSIGNAL` and `HEALTHCHECK` in any order,
    /// then `ENTRYPOINT`, then `CMD`. It flags such an instruction followed in
    /// its stage by a build instruction (`RUN`, `COPY`, `WORKDIR`, `USER`, …),
    /// and an `ENTRYPOINT` or `CMD` followed by an instruction that should come
    /// before it. `LABEL` and `MAINTAINER` may
    /// stand anywhere. `ENV` and `USER` are not part of the epilogue: later `RUN`s
    /// often need them.
    ///
    /// ## Why is this bad?
    /// Readers look for the runtime configuration at the end of a stage. Placed
    /// earlier, it is easy to miss, and a later `RUN` or `COPY` that needs the
    /// same value (a port, a path) drifts away from it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-alpine
    /// CMD ["node", "server.js"]
    /// EXPOSE 3000
    /// COPY . /app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-alpine
    /// COPY . /app
    /// EXPOSE 3000
    /// CMD ["node", "server.js"]
    /// ```
    pub struct EpilogueOrder {
        name: "epilogue-order",
        code: "DF076",
        group: "format",
        severity: Style,
        aliases: [],
        fix: None,
        summary: "Runtime settings (EXPOSE, STOPSIGNAL, HEALTHCHECK, ENTRYPOINT, CMD) not at the end of the stage",
        opt_in: true,
    }
}

/// Position in the epilogue, `None` for build instructions.
fn rank(keyword: Keyword) -> Option<u8> {
    match keyword {
        Keyword::Expose | Keyword::Stopsignal | Keyword::Healthcheck => Some(0),
        Keyword::Entrypoint => Some(1),
        Keyword::Cmd => Some(2),
        _ => None,
    }
}

fn neutral(keyword: Keyword) -> bool {
    matches!(
        keyword,
        Keyword::Label | Keyword::Maintainer | Keyword::Onbuild | Keyword::From | Keyword::Unknown
    )
}

impl Rule for EpilogueOrder {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let instructions: Vec<_> = cx.instructions().collect();
        for (pos, &(_, instruction, info)) in instructions.iter().enumerate() {
            let Some(my_rank) = rank(instruction.keyword) else {
                continue;
            };
            let Some(stage) = info.stage else { continue };
            let later = instructions[pos + 1..]
                .iter()
                .take_while(|(_, _, i)| i.stage == Some(stage));
            let mut build = None;
            let mut before = None;
            for &(_, next, _) in later {
                if neutral(next.keyword) {
                    continue;
                }
                match rank(next.keyword) {
                    None => {
                        build = Some(next);
                        break;
                    }
                    Some(r) if r < my_rank && before.is_none() => before = Some(next),
                    Some(_) => {}
                }
            }
            let keyword = instruction.keyword.as_str();
            let finding = if let Some(next) = build {
                Finding::new(
                    instruction.keyword_range,
                    format!(
                        "`{keyword}` before `{}` in the same stage: move it to the end of the stage",
                        next.keyword.as_str()
                    ),
                )
                .with_related(FileId::MAIN, next.keyword_range, "build instruction after it")
            } else if let Some(next) = before {
                Finding::new(
                    instruction.keyword_range,
                    format!(
                        "`{keyword}` before `{}`: end the stage with ENTRYPOINT, then CMD",
                        next.keyword.as_str()
                    ),
                )
                .with_related(
                    FileId::MAIN,
                    next.keyword_range,
                    "should come first",
                )
            } else {
                continue;
            };
            cx.report(finding);
        }
    }
}
