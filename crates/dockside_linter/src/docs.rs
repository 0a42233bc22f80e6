//! User documentation generated from the rules (the `rules/` folder).

use crate::registry::all_rules;
use crate::rule::{Fixability, RuleMeta};

/// The Markdown page of one rule.
pub fn rule_page(meta: &RuleMeta) -> String {
    let aliases = if meta.aliases.is_empty() {
        "—".to_string()
    } else {
        meta.aliases
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let fix = match meta.fix {
        Fixability::None => "no",
        Fixability::Sometimes => "sometimes",
        Fixability::Always => "yes",
    };
    let mut out = format!(
        "# {name} ({code})\n\n{summary}\n\n| | |\n|---|---|\n| Code | `{code}` |\n| Default severity | {severity}{opt_in} |\n| Group | {group} |\n| Aliases | {aliases} |\n| Fixable | {fix} |\n\n",
        name = meta.name,
        code = meta.code,
        summary = meta.summary,
        severity = meta.severity,
        opt_in = if meta.opt_in { " (opt-in)" } else { "" },
        group = meta.group,
    );
    out.push_str(&meta.doc_markdown());
    if !meta.options.is_empty() {
        out.push_str("\n## Options\n\n| Key | Type | Meaning |\n|---|---|---|\n");
        for o in meta.options {
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                o.key,
                o.kind.describe(),
                o.help
            ));
        }
        out.push_str(&format!(
            "\nSet them in `.dockside.toml` under `[rules.{}]`.\n",
            meta.name
        ));
    }
    out
}

/// `rules/README.md`: the index of all rules.
pub fn index_page() -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the rule sources by `cargo test -p dockside_linter --test docs` \
         (set `DOCKSIDE_UPDATE_DOCS=1` to rewrite). Select or ignore rules by name, code or alias.\n\n\
         | Code | Name | Severity | Fix | Aliases | Summary |\n|---|---|---|---|---|---|\n",
    );
    for rule in all_rules() {
        let m = rule.meta();
        let fix = match m.fix {
            Fixability::None => "",
            Fixability::Sometimes => "some",
            Fixability::Always => "yes",
        };
        out.push_str(&format!(
            "| {code} | [{name}]({name}.md) | {sev} | {fix} | {aliases} | {summary} |\n",
            code = m.code,
            name = m.name,
            sev = m.severity,
            aliases = m.aliases.join(", "),
            summary = m.summary,
        ));
    }
    out
}
