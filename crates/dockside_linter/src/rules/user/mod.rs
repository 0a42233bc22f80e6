//! Users and permissions: root, sudo, useradd, world-writable files.

use dockside_semantic::Base;
use dockside_syntax::{Body, Keyword, TextRange};

use crate::checker::Checker;
use crate::rule::Rule;

pub mod copy_without_chown;
pub mod named_user_without_passwd;
pub mod non_numeric_user;
pub mod root_user;
pub mod sudo_in_run;
pub mod user_group_drops_supplementary;
pub mod user_not_switched;
pub mod useradd_high_uid;
pub mod world_writable;

pub(crate) const RULES: &[&dyn Rule] = &[
    &root_user::RootUser,
    &sudo_in_run::SudoInRun,
    &useradd_high_uid::UseraddHighUid,
    &non_numeric_user::NonNumericUser,
    &world_writable::WorldWritable,
    &user_not_switched::UserNotSwitched,
    &copy_without_chown::CopyWithoutChown,
    &user_group_drops_supplementary::UserGroupDropsSupplementary,
    &named_user_without_passwd::NamedUserWithoutPasswd,
];

/// The `USER` in effect before instruction `before` of `stage` (searching the
/// stages it is built on): its instruction, its range and its expanded value
/// (`None` when a variable in it is unknown).
pub(crate) fn user_before(
    cx: &Checker,
    stage: usize,
    before: usize,
) -> Option<(usize, TextRange, Option<String>)> {
    for s in cx.model.stage_ancestry(stage) {
        let st = &cx.model.stages[s];
        for i in st.instructions().rev() {
            if i >= before {
                continue;
            }
            let inst = &cx.dockerfile.instructions[i];
            if let (Keyword::User, Body::Words(words)) = (&inst.keyword, &inst.body)
                && let Some(w) = words.first()
            {
                let e = cx.model.expand(i, &w.value);
                return Some((i, w.range, e.complete.then_some(e.value)));
            }
        }
        if !matches!(st.base, Base::Stage(_)) {
            break;
        }
    }
    None
}

/// `root`, `0`, `root:root`, `0:0`…: the user part names root.
pub(crate) fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name == "0"
}
