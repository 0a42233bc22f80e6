//! Labels and metadata: label key validity, duplicate keys and the label schema.

pub mod duplicate_label;
pub mod invalid_label_key;
pub mod invalid_label_value;
pub mod missing_label;
pub mod superfluous_label;
mod values;

use dockside_syntax::words::unquote;
use dockside_syntax::{Body, Keyword, TextRange};

use crate::checker::Checker;
use crate::rule::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[
    &invalid_label_key::InvalidLabelKey,
    &duplicate_label::DuplicateLabel,
    &missing_label::MissingLabel,
    &superfluous_label::SuperfluousLabel,
    &invalid_label_value::InvalidLabelValue,
];

/// One `key=value` of a LABEL instruction.
pub(crate) struct Label {
    /// Its stage (`None` before the first FROM).
    pub stage: Option<usize>,
    /// The key, unquoted and expanded.
    pub key: String,
    /// Whether the key is fully known (no build-time-only variable in it).
    pub key_complete: bool,
    pub key_range: TextRange,
    /// The value, unquoted and expanded; `None` when a build-time-only variable makes it
    /// unknown.
    pub value: Option<String>,
    /// The value's range (the key's when the value is missing).
    pub value_range: TextRange,
}

/// Every label of the Dockerfile, in order.
pub(crate) fn labels(cx: &Checker) -> Vec<Label> {
    let escape = cx.dockerfile.escape;
    let mut out = Vec::new();
    for (index, inst, info) in cx.instructions() {
        let (Keyword::Label, Body::Pairs(pairs)) = (inst.keyword, &inst.body) else {
            continue;
        };
        for pair in pairs {
            let key = cx.model.expand(index, &pair.key.value);
            let (value, value_range) = match &pair.value {
                Some(word) => {
                    let value = cx.model.expand(index, &word.value);
                    (
                        value.complete.then(|| unquote(&value.value, escape)),
                        word.range,
                    )
                }
                None => (Some(String::new()), pair.key.range),
            };
            out.push(Label {
                stage: info.stage,
                key: unquote(&key.value, escape),
                key_complete: key.complete,
                key_range: pair.key.range,
                value,
                value_range,
            });
        }
    }
    out
}
