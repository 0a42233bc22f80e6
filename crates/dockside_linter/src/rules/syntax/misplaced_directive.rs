use dockside_syntax::TextRange;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

const DIRECTIVES: [&str; 3] = ["syntax", "escape", "check"];

declare_rule! {
    /// ## What it does
    /// Flags comments that look like parser directives (`# syntax=`, `# escape=`,
    /// `# check=`) but are ignored: written after an instruction, a blank line or
    /// an ordinary comment, or with a misspelled name (`# sytnax=`) at the top.
    ///
    /// ## Why is this bad?
    /// BuildKit reads parser directives only at the very top of the file and
    /// stops at the first line that is not a directive. Anything later is a plain
    /// comment, silently: the `syntax` frontend is not used, the escape character
    /// stays `\`, the build checks are not configured. Duplicate or invalid
    /// `# escape=` directives are reported by `syntax-error`.
    ///
    /// ## Example
    /// ```dockerfile
    /// # Build the API image
    /// # syntax=docker/dockerfile:1
    /// FROM python:3.12-slim
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// # syntax=docker/dockerfile:1
    /// # Build the API image
    /// FROM python:3.12-slim
    /// ```
    ///
    /// ## Fix safety
    /// A misspelled directive name on the first line after the directives is
    /// corrected. The directive then takes effect (a different frontend or
    /// escape character), which changes the build: unsafe.
    pub struct MisplacedDirective {
        name: "misplaced-directive",
        code: "DF009",
        group: "syntax",
        severity: Warning,
        aliases: [],
        fix: Sometimes,
        summary: "A parser directive that BuildKit ignores: misplaced or misspelled",
    }
}

/// `# name = value` inside a comment: the name's range and text.
fn directive_like(source: &str, range: TextRange) -> Option<(TextRange, &str)> {
    let text = &source[range.as_range()];
    let rest = text.strip_prefix('#')?;
    let after_ws = rest.trim_start_matches([' ', '\t']);
    let name_off = 1 + rest.len() - after_ws.len();
    let name_len = after_ws
        .char_indices()
        .take_while(|&(i, c)| {
            if i == 0 {
                c.is_ascii_alphabetic()
            } else {
                c.is_ascii_alphanumeric()
            }
        })
        .count();
    if name_len == 0 {
        return None;
    }
    let name = &text[name_off..name_off + name_len];
    let value = text[name_off + name_len..]
        .trim_start_matches([' ', '\t'])
        .strip_prefix('=')?
        .trim();
    if value.is_empty() {
        return None;
    }
    let start = range.start as usize + name_off;
    Some((TextRange::new(start, start + name_len), name))
}

impl Rule for MisplacedDirective {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        // Where BuildKit looked for the next directive.
        let directives_end = cx
            .dockerfile
            .directives
            .iter()
            .map(|d| d.range.end as usize)
            .max()
            .map_or(0, |end| {
                cx.source[end..]
                    .find('\n')
                    .map_or(cx.source.len(), |n| end + n + 1)
            });
        let first_instruction = cx
            .dockerfile
            .instructions
            .first()
            .map_or(cx.source.len(), |i| i.range.start as usize);
        for comment in &cx.dockerfile.comments {
            let Some((name_range, name)) = directive_like(cx.source, comment.range) else {
                continue;
            };
            let lower = name.to_ascii_lowercase();
            if DIRECTIVES.contains(&lower.as_str()) {
                cx.report(Finding::new(
                    comment.range,
                    format!(
                        "`# {lower}=` is ignored here: parser directives must be the first lines of the file, before any comment, blank line or instruction"
                    ),
                ));
                continue;
            }
            // Typos only in the leading comments, where a directive is plausible.
            if (comment.range.start as usize) > first_instruction || lower.len() < 4 {
                continue;
            }
            let Some(&intended) = DIRECTIVES.iter().find(|d| {
                let dist = dockside_syntax::edit_distance(&lower, d);
                dist > 0 && dist <= 2
            }) else {
                continue;
            };
            let mut finding = Finding::new(
                name_range,
                format!(
                    "`# {name}=` is not a parser directive and is ignored: did you mean `# {intended}=`?"
                ),
            );
            if comment.range.start as usize == directives_end {
                finding = finding.with_fix(Fix::unsafe_(
                    format!("Write `{intended}`"),
                    vec![Edit::replace(name_range, intended)],
                ));
            }
            cx.report(finding);
        }
    }
}
