use dockside_semantic::{Lookup, PREDEFINED_ARGS, VarKind};
use dockside_syntax::{Body, Keyword, TextRange};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a variable used in `FROM` (image or `--platform`) that no global
    /// `ARG` before the first `FROM` declares and that is not one of the
    /// predefined platform and proxy ARGs. `${VAR:-default}` is not flagged.
    ///
    /// ## Why is this bad?
    /// `FROM` only sees `ARG`s declared before the first `FROM`. An `ARG` inside
    /// a stage, an `ENV`, or a typo expands to the empty string: `FROM
    /// python:${PYTHON_VERSION}-slim` becomes `python:-slim` and the build fails,
    /// or silently picks another image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:${PYTHON_VERSION}-slim
    /// ARG PYTHON_VERSION=3.12
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ARG PYTHON_VERSION=3.12
    /// FROM python:${PYTHON_VERSION}-slim
    /// ```
    pub struct UndefinedArgInFrom {
        name: "undefined-arg-in-from",
        code: "DF606",
        group: "base-image",
        severity: Warning,
        aliases: ["UndefinedArgInFrom"],
        fix: None,
        summary: "FROM uses a variable no global ARG declares",
    }
}

impl Rule for UndefinedArgInFrom {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for stage in &cx.model.stages {
            let i = stage.from;
            let inst = &cx.dockerfile.instructions[i];
            let Body::From(from) = &inst.body else {
                continue;
            };
            let mut words: Vec<(&str, TextRange)> = Vec::new();
            if let Some(image) = &from.image {
                words.push((&image.value, image.range));
            }
            if let Some(flag) = inst.flag("platform")
                && let (Some(v), Some(r)) = (&flag.value, flag.value_range)
            {
                words.push((v, r));
            }
            let scope = cx.model.instructions[i].scope;
            let declared: Vec<String> = cx
                .model
                .visible(scope)
                .into_iter()
                .filter(|b| b.kind == VarKind::Arg)
                .map(|b| b.name.to_string())
                .collect();
            for (raw, range) in words {
                let e = cx.model.expand(i, raw);
                for r in e.references {
                    if r.lookup != Lookup::Undefined || r.has_default {
                        continue;
                    }
                    let source_is_raw = cx.text(range) == raw;
                    let at = if source_is_raw && r.range.end <= raw.len() {
                        TextRange::new(
                            range.start as usize + r.range.start,
                            range.start as usize + r.range.end,
                        )
                    } else {
                        range
                    };
                    let candidates = declared
                        .iter()
                        .map(String::as_str)
                        .chain(PREDEFINED_ARGS.iter().copied());
                    let in_stage =
                        cx.dockerfile
                            .instructions
                            .iter()
                            .find_map(|inst| match &inst.body {
                                Body::Pairs(pairs)
                                    if inst.keyword == Keyword::Arg
                                        && pairs.iter().any(|p| p.key.value == r.name) =>
                                {
                                    Some(cx.line_number(inst.range.start))
                                }
                                _ => None,
                            });
                    let hint = if let Some(line) = in_stage {
                        format!(
                            " (the ARG on line {line} is inside a stage: declare it before the first FROM)"
                        )
                    } else {
                        match dockside_config::did_you_mean(&r.name, candidates) {
                            Some(s) if s != r.name => format!(" (did you mean `{s}`?)"),
                            _ => String::new(),
                        }
                    };
                    cx.report(Finding::new(
                        at,
                        format!(
                            "`{}` is not declared by an ARG before the first FROM, so it expands to an empty string here{hint}",
                            r.name
                        ),
                    ));
                }
            }
        }
    }
}
