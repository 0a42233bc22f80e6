use dockside_semantic::Lookup;
use dockside_syntax::{Body, Keyword, Separator, TextRange};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an `ENV` instruction whose value uses a variable set by the
    /// same `ENV` instruction (`ENV A=/opt B=$A/bin`) when that variable had
    /// no value before the instruction.
    ///
    /// A name that already had a value (`ENV PATH=/opt/bin:$PATH`, or a
    /// variable set by an earlier `ENV` or `ARG`) is not reported: using the
    /// previous value is the usual intent.
    ///
    /// ## Why is this bad?
    /// All values of one `ENV` instruction are expanded with the environment
    /// as it was *before* the instruction: `B` becomes `/bin`, not `/opt/bin`.
    /// The build succeeds and the mistake shows up at run time.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV APP_HOME=/srv/app APP_BIN=$APP_HOME/bin
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ENV APP_HOME=/srv/app
    /// ENV APP_BIN=$APP_HOME/bin
    /// ```
    ///
    /// ## Fix safety
    /// The fix splits the instruction before the first value that uses a name
    /// of the same instruction. It changes the value the variable gets (from
    /// the empty expansion to the intended one), so it is unsafe.
    pub struct EnvSelfReference {
        name: "env-self-reference",
        code: "DF702",
        group: "variables",
        severity: Error,
        aliases: ["DL3044"],
        fix: Sometimes,
        summary: "ENV uses a variable defined in the same ENV instruction",
    }
}

impl Rule for EnvSelfReference {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (index, inst, info) in cx.instructions() {
            let (Keyword::Env, Body::Pairs(pairs)) = (&inst.keyword, &inst.body) else {
                continue;
            };
            let mut fixed = false;
            for (k, pair) in pairs.iter().enumerate() {
                let Some(value) = &pair.value else { continue };
                let expansion = cx.model.expand(index, &value.value);
                for r in &expansion.references {
                    let defined_before = pairs[..k].iter().any(|p| p.key.value == r.name);
                    if !defined_before || r.lookup != Lookup::Undefined || info.stage.is_none() {
                        continue;
                    }
                    let at = if value.range.len() == value.value.len() {
                        TextRange::new(
                            value.range.start as usize + r.range.start,
                            value.range.start as usize + r.range.end,
                        )
                    } else {
                        value.range
                    };
                    let mut finding = Finding::new(
                        at,
                        format!(
                            "`{}` is set by this same ENV instruction, but values are expanded before it runs: \
                             `{}` gets the empty string; set `{}` in an earlier ENV",
                            r.name, pair.key.value, r.name
                        ),
                    );
                    let all_equals = pairs.iter().all(|p| p.separator == Separator::Equals);
                    if !fixed && all_equals {
                        fixed = true;
                        let gap = TextRange::new(
                            pairs[k - 1].range.end as usize,
                            pair.range.start as usize,
                        );
                        finding = finding.with_fix(Fix::unsafe_(
                            format!("Set `{}` in a separate ENV", pair.key.value),
                            vec![Edit::replace(gap, "\nENV ")],
                        ));
                    }
                    cx.report(finding);
                }
            }
        }
    }
}
