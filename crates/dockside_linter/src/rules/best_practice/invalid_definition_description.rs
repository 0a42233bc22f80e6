use dockside_syntax::{Body, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks the comment right above a named stage (`FROM … AS name`) or an `ARG`: BuildKit
    /// takes it as that stage's or argument's description (`docker build --call=outline`,
    /// `--call=targets`), so it must start with the name: `# <name> <description>`.
    /// Comments separated from the instruction by a blank line, and suppression comments
    /// (`# dockside ignore=…`, `# hadolint ignore=…`), are not descriptions.
    ///
    /// ## Why is this bad?
    /// A comment meant for the reader of the Dockerfile ("install the toolchain") becomes the
    /// description people see when they list the build's targets and arguments, and a real
    /// description that does not name its definition is not recognised as one.
    ///
    /// ## Example
    /// ```dockerfile
    /// # compile the sources
    /// FROM golang:1.22 AS build
    ///
    /// # which release to build
    /// ARG VERSION=1.0.0
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// # build compiles the sources
    /// FROM golang:1.22 AS build
    ///
    /// # VERSION is the release to build
    /// ARG VERSION=1.0.0
    /// ```
    ///
    /// ## Fix safety
    /// The fix puts a blank line between the comment and the instruction, so the comment is no
    /// longer a description; it does not change the build. It is safe.
    pub struct InvalidDefinitionDescription {
        name: "invalid-definition-description",
        code: "DF513",
        group: "best_practice",
        severity: Info,
        aliases: ["InvalidDefinitionDescription"],
        fix: Always,
        summary: "The comment above a named stage or ARG does not start with its name",
        opt_in: true,
    }
}

impl Rule for InvalidDefinitionDescription {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (index, inst, info) in cx.instructions() {
            let names: Vec<&str> = match (inst.keyword, &inst.body) {
                (Keyword::Arg, Body::Pairs(pairs)) => {
                    pairs.iter().map(|p| p.key.value.as_str()).collect()
                }
                (Keyword::From, _) => info
                    .stage
                    .and_then(|s| cx.model.stages.get(s))
                    .filter(|s| s.from == index)
                    .and_then(|s| s.name.as_deref())
                    .into_iter()
                    .collect(),
                _ => continue,
            };
            if names.is_empty() {
                continue;
            }
            let description = description_lines(cx, inst.range.start);
            let Some(first) = description.first() else {
                continue;
            };
            let first_word = |text: &str| text.split_whitespace().next().map(str::to_string);
            let named = description
                .iter()
                .filter_map(|c| first_word(&c.text))
                .any(|word| names.iter().any(|n| n.eq_ignore_ascii_case(&word)));
            if named {
                continue;
            }
            let what = if inst.keyword == Keyword::Arg {
                "argument"
            } else {
                "stage"
            };
            let example = if names.len() == 1 { names[0] } else { "<name>" };
            let last = description.last().unwrap_or(first);
            let line_end = last.range.end as usize;
            let newline = if cx.source[line_end..].starts_with("\r\n") {
                "\r\n"
            } else {
                "\n"
            };
            cx.report(
                Finding::new(
                    first.range,
                    format!(
                        "this comment is the {what}'s description for BuildKit (`--call=outline`) but does not start with its name: write `# {example} <description>`, or put a blank line between it and the instruction"
                    ),
                )
                .with_fix(Fix::safe(
                    "Separate the comment from the instruction",
                    vec![Edit::insert(line_end, newline)],
                )),
            );
        }
    }
}

/// The comment lines directly above the line at `start` (no blank line between), in order,
/// without suppression comments.
fn description_lines<'c>(cx: &'c Checker, start: u32) -> Vec<&'c dockside_syntax::Comment> {
    let mut line = cx.line_number(start);
    let mut out = Vec::new();
    let comments = &cx.dockerfile.comments;
    let before = comments.partition_point(|c| c.range.end <= start);
    for comment in comments[..before]
        .iter()
        .rev()
        .filter(|c| !c.inside_instruction)
    {
        let comment_line = cx.line_number(comment.range.start);
        if comment_line + 1 != line {
            break;
        }
        line = comment_line;
        out.push(comment);
    }
    out.reverse();
    out.retain(|c| {
        let text = c.text.trim_start().to_ascii_lowercase();
        !(text.starts_with("dockside") || text.starts_with("hadolint"))
    });
    out
}
