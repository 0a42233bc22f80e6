//! Package managers: pinning, non-interactive installs, recommended packages.

use dockside_semantic::ShellCode;
use dockside_shell::SimpleCommand;
use dockside_syntax::Keyword;

use crate::analysis::packages::{Manager, Op, PackageOp, classify};
use crate::checker::Checker;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::Rule;

pub mod apk_version_unpinned;
pub mod apt_get_missing_yes;
pub mod apt_instead_of_apt_get;
pub mod apt_no_install_recommends;
pub mod apt_version_unpinned;
pub mod dnf_missing_yes;
pub mod dnf_version_unpinned;
pub mod gem_version_unpinned;
pub mod go_install_unpinned;
pub mod npm_version_unpinned;
pub mod pip_version_unpinned;
pub mod yum_missing_yes;
pub mod yum_version_unpinned;
pub mod zypper_missing_yes;
pub mod zypper_version_unpinned;

pub(crate) const RULES: &[&dyn Rule] = &[
    &apt_get_missing_yes::AptGetMissingYes,
    &yum_missing_yes::YumMissingYes,
    &dnf_missing_yes::DnfMissingYes,
    &zypper_missing_yes::ZypperMissingYes,
    &apt_no_install_recommends::AptNoInstallRecommends,
    &apt_instead_of_apt_get::AptInsteadOfAptGet,
    &apt_version_unpinned::AptVersionUnpinned,
    &apk_version_unpinned::ApkVersionUnpinned,
    &pip_version_unpinned::PipVersionUnpinned,
    &npm_version_unpinned::NpmVersionUnpinned,
    &gem_version_unpinned::GemVersionUnpinned,
    &go_install_unpinned::GoInstallUnpinned,
    &yum_version_unpinned::YumVersionUnpinned,
    &dnf_version_unpinned::DnfVersionUnpinned,
    &zypper_version_unpinned::ZypperVersionUnpinned,
];

/// One package-manager command of a RUN.
pub(crate) struct Site<'a> {
    pub index: usize,
    pub code: &'a ShellCode,
    pub cmd: &'a SimpleCommand,
    pub op: PackageOp<'a>,
}

/// Every package-manager command of every RUN, in order (computed once per file).
pub(crate) fn sites<'c, 'a>(cx: &'c Checker<'a>) -> &'c [Site<'a>] {
    cx.package_sites.get_or_init(|| classify_sites(cx))
}

fn classify_sites<'a>(cx: &Checker<'a>) -> Vec<Site<'a>> {
    crate::rules::shell::run_commands(cx)
        .iter()
        .filter_map(|rc| {
            Some(Site {
                index: rc.index,
                code: rc.code,
                cmd: rc.cmd,
                op: classify(rc.cmd)?,
            })
        })
        .collect()
}

/// Whether a RUN of the same stage (or a stage it builds on) before `index`
/// contains `needle` (case-insensitive): configuration written to a file, such
/// as `APT::Get::Assume-Yes "true"` or `assumeyes=1`.
pub(crate) fn configured_before(cx: &Checker, index: usize, needles: &[&str]) -> bool {
    let Some(stage) = cx.model.instructions.get(index).and_then(|i| i.stage) else {
        return false;
    };
    let mut memo = cx.configured_runs.borrow_mut();
    let first = match memo
        .iter()
        .position(|(n, _)| n.iter().map(String::as_str).eq(needles.iter().copied()))
    {
        Some(i) => &memo[i].1,
        None => {
            let first = first_configured_runs(cx, needles);
            memo.push((needles.iter().map(|n| n.to_string()).collect(), first));
            &memo[memo.len() - 1].1
        }
    };
    cx.model
        .stage_ancestry(stage)
        .iter()
        .any(|&s| first.get(s).is_some_and(|&i| i < index))
}

/// For each stage, the index of its first RUN whose text contains one of `needles`.
fn first_configured_runs(cx: &Checker, needles: &[&str]) -> Vec<usize> {
    let mut first = vec![usize::MAX; cx.model.stages.len()];
    for (index, inst, info) in cx.instructions() {
        let Some(stage) = info.stage else { continue };
        if inst.keyword == Keyword::Run
            && first.get(stage) == Some(&usize::MAX)
            && info.scripts.iter().any(|code| {
                let text = code.text.as_str().to_ascii_lowercase();
                needles.iter().any(|n| text.contains(n))
            })
        {
            first[stage] = index;
        }
    }
    first
}

/// The words ARG/ENV variables in the command's arguments expand to
/// (`apt-get install $APT_OPTS curl` with `ARG APT_OPTS="-y --no-install-recommends"`).
pub(crate) fn expanded_tokens(cx: &Checker, index: usize, cmd: &SimpleCommand) -> Vec<String> {
    cmd.args()
        .iter()
        .filter(|w| w.value.is_none())
        .filter_map(|w| crate::rules::layers::word_value(cx, index, w))
        .flat_map(|v| v.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// Whether one of `tokens` is the option: `-y`, a cluster with it (`-qy`), `--yes`.
pub(crate) fn token_has_flag(tokens: &[String], short: Option<char>, long: Option<&str>) -> bool {
    tokens.iter().any(|t| {
        if let Some(rest) = t.strip_prefix("--") {
            long.is_some_and(|l| rest == l || rest.starts_with(&format!("{l}=")))
        } else if let Some(rest) = t.strip_prefix('-') {
            short.is_some_and(|c| {
                rest.chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .any(|x| x == c)
            })
        } else {
            false
        }
    })
}

/// Whether the command reads its standard input from a pipe (`yes | apt-get install …`).
pub(crate) fn stdin_piped(cmd: &SimpleCommand) -> bool {
    cmd.pipeline.is_some_and(|p| p.index > 0)
}

/// Shared check of the `*-missing-yes` rules: an install, upgrade or removal by
/// `manager` that may stop at a confirmation prompt.
pub(crate) fn check_missing_yes(
    cx: &Checker,
    manager: Manager,
    assumes_yes: fn(&PackageOp) -> bool,
    config_needles: &[&str],
    yes_flags: &[(Option<char>, Option<&str>)],
) {
    for site in sites(cx) {
        let op = &site.op;
        if op.manager != manager
            || !matches!(op.op, Op::Install | Op::Upgrade | Op::Remove)
            || op.subcommand.is_none()
            || stdin_piped(site.cmd)
            || assumes_yes(op)
            || configured_before(cx, site.index, config_needles)
        {
            continue;
        }
        let tokens = expanded_tokens(cx, site.index, site.cmd);
        if yes_flags
            .iter()
            .any(|&(short, long)| token_has_flag(&tokens, short, long))
        {
            continue;
        }
        let range = site.code.source_range(op.head_range());
        let head = cx.text(range);
        let (flag, at) = if manager == Manager::Zypper {
            (
                "--non-interactive",
                site.code.source_range(op.program.range.clone()).end,
            )
        } else {
            ("-y", range.end)
        };
        let message = if manager == Manager::Zypper {
            format!(
                "`{head}` without `--non-interactive` (`-n`) aborts at the confirmation prompt a build cannot answer: use `zypper --non-interactive {}`",
                op.subcommand.map_or("", |w| w.text())
            )
        } else {
            format!(
                "`{head}` without `-y` aborts at the confirmation prompt a build cannot answer: add `-y`"
            )
        };
        cx.report(Finding::new(range, message).with_fix(Fix::safe(
            format!("Add `{flag}`"),
            vec![Edit::insert(at as usize, format!(" {flag}"))],
        )));
    }
}

/// How one manager's pinning rule reads a command.
pub(crate) struct Pinning {
    /// The managers the rule covers.
    pub managers: &'static [Manager],
    /// Subcommands (static values) whose packages are checked.
    pub subcommands: &'static [&'static str],
    /// Whether a package argument (expanded value, or the text as written when
    /// it holds a shell variable) names a pinned version.
    pub pinned: fn(&str) -> bool,
    /// Whether the whole command pins its packages (`gem install x -v 1.2`,
    /// `pip install -c constraints.txt x`).
    pub command_pins: fn(&PackageOp) -> bool,
    /// Packages not worth pinning in this command (`pip install -U pip`).
    pub exempt: fn(&PackageOp, &str) -> bool,
    /// The syntax shown in the message: `apt-get install <pkg>=<version>`.
    pub hint: &'static str,
}

/// Shared check of the `*-version-unpinned` rules: one finding per package
/// named without a version. Words whose value depends on an unknown variable
/// are not judged.
pub(crate) fn check_pinning(cx: &Checker, pinning: &Pinning) {
    for site in sites(cx) {
        let op = &site.op;
        if !pinning.managers.contains(&op.manager)
            || op.op != Op::Install
            || !op
                .subcommand
                .and_then(|w| w.value.as_deref())
                .is_some_and(|s| pinning.subcommands.contains(&s))
            || (pinning.command_pins)(op)
        {
            continue;
        }
        for word in &op.packages {
            let substituted =
                word.value.is_none() && (word.raw.contains("$(") || word.raw.contains('`'));
            let value = if substituted {
                None
            } else {
                crate::rules::layers::word_value(cx, site.index, word)
            };
            let pinned = match &value {
                Some(value) => {
                    value.starts_with('-') || (pinning.pinned)(value) || (pinning.exempt)(op, value)
                }
                // Depends on a variable whose value is unknown here: not judged.
                None => true,
            };
            if pinned {
                continue;
            }
            let range = site.code.source_range(word.range.clone());
            let written = cx.text(range);
            let shown = match value.as_deref() {
                Some(v) if v != written => format!("`{written}` (`{v}`)"),
                _ => format!("`{written}`"),
            };
            let what = if value.as_deref().is_some_and(|v| v.ends_with("@latest")) {
                "follows the moving `latest` tag"
            } else {
                "is installed without a version"
            };
            cx.report(Finding::new(
                range,
                format!(
                    "{shown} {what}, so every build can get a different one: pin it ({})",
                    pinning.hint
                ),
            ));
        }
    }
}

/// Local files, URLs and paths name an exact artifact.
pub(crate) fn is_artifact(value: &str, extensions: &[&str]) -> bool {
    value.contains("://")
        || value.starts_with('/')
        || value.starts_with("./")
        || value.starts_with("../")
        || value == "."
        || extensions.iter().any(|e| value.ends_with(e))
}

/// `name-1.2.3`, `name-1.2.3-4.el9`, `.rpm` files, URLs, module streams (`nodejs:18`), groups (`@x`).
pub(crate) fn rpm_pinned(v: &str) -> bool {
    super::packages::is_artifact(v, &[".rpm"])
        || v.starts_with('@')
        || v.contains(':')
        || v.char_indices()
            .any(|(i, c)| c == '-' && v[i + 1..].starts_with(|d: char| d.is_ascii_digit()))
}

/// `dnf group install …`, `yum groups install …`: groups have no version.
pub(crate) fn rpm_group(op: &PackageOp) -> bool {
    op.command
        .args()
        .iter()
        .any(|w| matches!(w.text(), "group" | "groups" | "groupinstall"))
}
