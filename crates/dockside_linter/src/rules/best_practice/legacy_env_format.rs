use dockside_syntax::{Body, Keyword, Separator};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags the legacy whitespace form `ENV KEY value` and `LABEL key value`.
    ///
    /// ## Why is this bad?
    /// The legacy form sets one variable whose value is the whole rest of the line,
    /// spaces included, while `KEY=value` pairs follow shell word rules. Mixing
    /// the two is a common source of values with stray spaces or quotes, and
    /// Docker has deprecated the legacy form (BuildKit's `LegacyKeyValueFormat`).
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV FLASK_APP microblog.py
    /// ENV GREETING hello world
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ENV FLASK_APP=microblog.py
    /// ENV GREETING="hello world"
    /// ```
    ///
    /// ## Fix safety
    /// The fix is safe: a one-word value is joined with `=`; a value with spaces
    /// and no quotes or backslashes is wrapped in double quotes, which keeps the
    /// same value. Values with quotes or backslashes are left alone (no fix),
    /// because their meaning would need re-quoting by hand.
    pub struct LegacyEnvFormat {
        name: "legacy-env-format",
        code: "DF502",
        group: "best-practice",
        severity: Warning,
        aliases: ["LegacyKeyValueFormat"],
        fix: Sometimes,
        summary: "Legacy `ENV key value` / `LABEL key value` form",
    }
}

impl Rule for LegacyEnvFormat {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (_, inst, _) in cx.instructions() {
            let (Keyword::Env | Keyword::Label, Body::Pairs(pairs)) = (inst.keyword, &inst.body)
            else {
                continue;
            };
            for pair in pairs.iter().filter(|p| p.separator == Separator::Space) {
                let Some(value) = &pair.value else { continue };
                let kw = inst.keyword.as_str();
                let mut finding = Finding::new(
                    pair.range,
                    format!(
                        "`{kw} {} {}` uses the legacy form; write `{kw} {}=…`",
                        pair.key.value,
                        short(&value.value),
                        pair.key.value
                    ),
                );
                if let Some(fixed) = fixed_value(&value.value) {
                    let replacement = format!("{}={}", pair.key.value, fixed);
                    finding = finding.with_fix(Fix::safe(
                        "Use `KEY=value`",
                        vec![Edit::replace(pair.range, replacement)],
                    ));
                }
                cx.report(finding);
            }
        }
    }
}

fn fixed_value(raw: &str) -> Option<String> {
    if raw.contains(['"', '\'', '\\', '\n']) {
        return None;
    }
    if raw.contains(char::is_whitespace) {
        Some(format!("\"{raw}\""))
    } else {
        Some(raw.to_string())
    }
}

fn short(value: &str) -> String {
    let mut s: String = value.chars().take(30).collect();
    if s.len() < value.len() {
        s.push('…');
    }
    s
}
