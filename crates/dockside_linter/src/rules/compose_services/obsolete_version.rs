use dockside_compose::yaml::Node;
use dockside_syntax::TextRange;

use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Fix, Tag};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports the top-level `version:` key of a Compose file.
    ///
    /// ## Why is this bad?
    /// The Compose specification merged the old file formats: `version` is
    /// ignored by `docker compose` (which prints a warning on every command),
    /// and does not select features any more. Keeping it suggests to readers
    /// that the file is limited to an old format (`"3.7"` has no
    /// `depends_on.condition`, but `docker compose` supports it anyway).
    ///
    /// ## Example
    /// ```yaml
    /// version: "3.7"
    /// services:
    ///   web:
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## Fix safety
    /// The fix deletes the `version:` line (and the blank line after it); it is
    /// safe: `docker compose` ignores the key.
    pub struct ObsoleteVersion {
        name: "obsolete-version",
        code: "DC101",
        group: "compose-services",
        severity: Warning,
        aliases: ["no-version-field"],
        fix: Always,
        summary: "The top-level `version` key is obsolete",
        target: Compose,
    }
}

impl Rule for ObsoleteVersion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for file in &cx.project.files {
            let Some(root) = &file.root else { continue };
            let Some(entries) = root.as_mapping() else {
                continue;
            };
            let Some((key, value)) = entries
                .iter()
                .find(|(k, _)| k.scalar_text() == Some("version"))
            else {
                continue;
            };
            let range = TextRange::new(key.range.start as usize, value.range.end as usize);
            let mut finding = cx
                .finding_in(
                    key,
                    range,
                    format!(
                        "`version: {}` is obsolete: docker compose ignores it",
                        cx.project.written(value)
                    ),
                )
                .with_tag(Tag::Deprecated);
            if let Some(lines) = entry_lines(&file.text, key, value) {
                finding = finding.with_fix(Fix::safe(
                    "Remove the obsolete `version` key",
                    vec![Edit::delete(lines)],
                ));
            }
            cx.report(finding);
        }
    }
}

/// The whole lines of a top-level `key: value` entry, plus one blank line after it;
/// `None` when something else shares those lines (flow mapping, trailing content).
fn entry_lines(text: &str, key: &Node, value: &Node) -> Option<TextRange> {
    let start = key.range.start as usize;
    if start != text[..start].rfind('\n').map_or(0, |i| i + 1) {
        return None;
    }
    let end = value.range.end as usize;
    let rest = &text[end..];
    let line_end = rest.find('\n').map_or(text.len(), |i| end + i + 1);
    let tail = text[end..line_end].trim();
    if !(tail.is_empty() || tail.starts_with('#')) {
        return None;
    }
    let mut stop = line_end;
    let after = &text[line_end..];
    if let Some(next) = after.find('\n')
        && after[..next].trim().is_empty()
        && line_end > 0
    {
        stop = line_end + next + 1;
    }
    Some(TextRange::new(start, stop))
}
