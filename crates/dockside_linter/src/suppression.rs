//! Inline suppression: `# dockside ignore=rule[,rule] -- reason` above an
//! instruction (or above a line of a script), `# dockside global ignore=…`
//! anywhere, hadolint's `# hadolint ignore=DLxxxx` equivalents, and BuildKit's
//! `# check=skip=…;error=true` directive. Comments are not honoured when the
//! configuration sets `disable-inline-ignores` (hadolint's `disable-ignore-pragma`).
//! Comments that suppress nothing are reported (`unused-suppression`), and so are,
//! when asked for, comments without a reason (`suppression-without-reason`).

use foldhash::HashMap;
use std::path::Path;

use dockside_config::suppression::{SuppressionComment, Tool, parse_comment};
use dockside_config::{Config, did_you_mean};
use dockside_syntax::{Dockerfile, TextRange};

use crate::diagnostic::{Diagnostic, Edit, FileId, Fix, Severity, SourceFile, Tag};
use crate::lint::Suppressed;
use crate::registry::{all_rules, find_rule};
use crate::rule::RuleMeta;
use crate::rules::suppressions::suppression_without_reason::SuppressionWithoutReason;
use crate::rules::suppressions::unused_suppression::UnusedSuppression;
use crate::rules::syntax::invalid_suppression::InvalidSuppression;

pub(crate) struct Scope {
    pub(crate) file: FileId,
    /// `None` for a global suppression.
    pub(crate) range: Option<TextRange>,
    pub(crate) comment: SuppressionComment,
}

impl Scope {
    pub(crate) fn covers(&self, d: &Diagnostic) -> bool {
        if d.file != self.file || d.rule.name == InvalidSuppression::META.name {
            return false;
        }
        if let Some(r) = self.range
            && !(r.start <= d.range.start && d.range.start <= r.end)
        {
            return false;
        }
        self.comment.all
            || self
                .comment
                .rules
                .iter()
                .any(|(name, _)| d.rule.matches(name))
    }
}

/// Removes the diagnostics a comment suppresses and returns them.
pub(crate) fn apply(
    df: &Dockerfile,
    source: &str,
    files: &[SourceFile],
    diagnostics: &mut Vec<Diagnostic>,
    config: &Config,
    path: &Path,
) -> Vec<Suppressed> {
    let mut scopes = Vec::new();
    let mut problems = Vec::new();
    // For each scope from a comment of the Dockerfile: the comment's range.
    let mut comment_of: Vec<Option<TextRange>> = Vec::new();
    // Well-formed comments with no reason after `--`.
    let mut reasonless: Vec<(FileId, TextRange)> = Vec::new();
    let inline = !config.disable_inline_ignores;
    for comment in df.comments.iter().filter(|_| inline) {
        let text = &source[comment.range.as_range()];
        match parse_comment(text) {
            None => {}
            Some(Err(e)) => {
                let r = TextRange::new(
                    comment.range.start as usize + e.range.start,
                    comment.range.start as usize + e.range.end,
                );
                problems.push((FileId::MAIN, r, e.message));
            }
            Some(Ok(s)) => {
                check_rule_names(&s, comment.range, FileId::MAIN, &mut problems);
                if s.reason.is_none() {
                    reasonless.push((FileId::MAIN, trimmed_range(text, comment.range.start)));
                }
                let range = if s.global {
                    None
                } else {
                    // The instruction that follows the comment (blank lines and comments allowed in between).
                    let next = df
                        .instructions
                        .partition_point(|i| i.range.start < comment.range.end);
                    df.instructions.get(next).map(|i| i.range)
                };
                if s.global || range.is_some() {
                    scopes.push(Scope {
                        file: FileId::MAIN,
                        range,
                        comment: s,
                    });
                    comment_of.push(Some(comment.range));
                }
            }
        }
    }
    // Other files (scripts, supervisord.conf): a comment applies to the next line.
    for (i, file) in files.iter().enumerate().skip(1).filter(|_| inline) {
        if !diagnostics.iter().any(|d| d.file.0 as usize == i) {
            continue;
        }
        let id = FileId(i as u32);
        let mut offset = 0;
        for line in file.text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if trimmed.starts_with('#') || trimmed.starts_with(';') {
                let text = trimmed.trim_end();
                let normalized = text.replacen(';', "#", 1);
                if let Some(Ok(s)) = parse_comment(&normalized) {
                    if s.reason.is_none() {
                        let start = offset + line.len() - trimmed.len();
                        reasonless.push((id, TextRange::new(start, start + text.len())));
                    }
                    let next_start = offset + line.len();
                    let next_end = file.text[next_start..]
                        .find('\n')
                        .map_or(file.text.len(), |n| next_start + n);
                    let range = if s.global {
                        None
                    } else {
                        Some(TextRange::new(next_start, next_end))
                    };
                    scopes.push(Scope {
                        file: id,
                        range,
                        comment: s,
                    });
                    comment_of.push(None);
                }
            }
            offset += line.len();
        }
    }
    let check = check_directive(df);
    if let Some(scope) = check.skip {
        scopes.push(scope);
        comment_of.push(None);
    }
    if check.error {
        for d in diagnostics.iter_mut() {
            if d.severity == Severity::Warning && is_buildkit_check(d.rule) {
                d.severity = Severity::Error;
            }
        }
    }
    if config.is_enabled(SuppressionWithoutReason::META.name, false, path) {
        diagnostics.extend(
            reasonless
                .into_iter()
                .map(|(file, range)| without_reason(file, range)),
        );
    }
    if config.is_enabled(UnusedSuppression::META.name, true, path) {
        let unused = unused(&scopes, &comment_of, diagnostics, source, config, path);
        diagnostics.extend(unused);
    }
    let suppressed = take_suppressed(&scopes, diagnostics);
    if config.is_enabled(InvalidSuppression::META.name, true, path) {
        report_problems(problems, diagnostics);
    }
    suppressed
}

/// BuildKit's check names (the `# check=skip=…` directive and `error=true` apply to these).
const BUILDKIT_CHECKS: &[&str] = &[
    "ConsistentInstructionCasing",
    "CopyIgnoredFile",
    "DuplicateStageName",
    "ExposeInvalidFormat",
    "ExposeProtoCasing",
    "FromAsCasing",
    "FromPlatformFlagConstDisallowed",
    "InvalidBaseImagePlatform",
    "InvalidDefaultArgInFrom",
    "InvalidDefinitionDescription",
    "JSONArgsRecommended",
    "LegacyKeyValueFormat",
    "MaintainerDeprecated",
    "MultipleInstructionsDisallowed",
    "NoEmptyContinuation",
    "RedundantTargetPlatform",
    "ReservedStageName",
    "SecretsUsedInArgOrEnv",
    "StageNameCasing",
    "UndefinedArgInFrom",
    "UndefinedVar",
    "WorkdirRelativePath",
];

fn is_buildkit_check(rule: &RuleMeta) -> bool {
    rule.aliases
        .iter()
        .any(|a| BUILDKIT_CHECKS.iter().any(|c| c.eq_ignore_ascii_case(a)))
}

/// What BuildKit's `# check=skip=A,B;error=true` directive asks for.
struct CheckDirective {
    /// The skipped checks, as a global suppression.
    skip: Option<Scope>,
    /// `error=true`: check warnings fail the build.
    error: bool,
}

fn check_directive(df: &Dockerfile) -> CheckDirective {
    let mut out = CheckDirective {
        skip: None,
        error: false,
    };
    let Some(directive) = df.directives.iter().find(|d| d.name == "check") else {
        return out;
    };
    let mut rules = Vec::new();
    let mut all = false;
    for part in directive.value.split(';') {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "skip" => {
                for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    if name.eq_ignore_ascii_case("all") {
                        all = true;
                    } else {
                        rules.push((name.to_string(), 0..0));
                    }
                }
            }
            "error" => out.error = value.trim().eq_ignore_ascii_case("true"),
            _ => {}
        }
    }
    if all {
        // `skip=all` skips BuildKit's checks, not every dockside rule.
        rules = BUILDKIT_CHECKS
            .iter()
            .map(|c| ((*c).to_string(), 0..0))
            .collect();
    }
    if !rules.is_empty() {
        out.skip = Some(Scope {
            file: FileId::MAIN,
            range: None,
            comment: SuppressionComment {
                global: true,
                tool: Tool::Dockside,
                rules,
                reason: Some("skipped by the `# check=skip=` directive".into()),
                all: false,
            },
        });
    }
    out
}

/// `unused-suppression` findings: rule names of Dockerfile comments that cover no finding.
fn unused(
    scopes: &[Scope],
    comment_of: &[Option<TextRange>],
    diagnostics: &[Diagnostic],
    source: &str,
    config: &Config,
    path: &Path,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let index = ScopeIndex::new(scopes);
    let mut rules = TouchingRules::default();
    let in_scope_of = touching_rules(scopes, &index, diagnostics, &mut rules);
    for (s, (scope, comment)) in scopes.iter().zip(comment_of).enumerate() {
        let Some(comment) = *comment else { continue };
        let in_scope = in_scope_of(s);
        let c = &scope.comment;
        let used = |name: &str| in_scope.iter().any(|rule| rule.matches(name));
        // Names that can be judged: a rule dockside has, enabled for this file.
        let judged = |name: &str| {
            find_rule(name).is_some_and(|meta| {
                meta.name != UnusedSuppression::META.name
                    && meta.name != InvalidSuppression::META.name
                    && config.is_enabled(meta.name, !meta.opt_in, path)
            })
        };
        let unused_names: Vec<usize> = (0..c.rules.len())
            .filter(|&k| judged(&c.rules[k].0) && !used(&c.rules[k].0))
            .collect();
        let nothing_used = if c.all {
            in_scope.is_empty()
        } else {
            !c.rules.is_empty() && unused_names.len() == c.rules.len()
        };
        let start = comment.start as usize;
        if nothing_used {
            let text = source[comment.as_range()].trim_end();
            let range = TextRange::new(start, start + text.len());
            out.push(finding(
                range,
                "this suppression comment suppresses nothing; remove it".to_string(),
                Fix::safe(
                    "Remove the suppression comment",
                    vec![Edit::delete(line_of(source, comment))],
                ),
            ));
            continue;
        }
        if c.all || unused_names.is_empty() {
            continue;
        }
        let kept: Vec<&str> = c
            .rules
            .iter()
            .enumerate()
            .filter(|(i, _)| !unused_names.contains(i))
            .map(|(_, (n, _))| n.as_str())
            .collect();
        let names: Vec<String> = unused_names
            .iter()
            .map(|&k| format!("`{}`", c.rules[k].0))
            .collect();
        let first = c.rules.first().map_or(0, |(_, r)| r.start);
        let last = c.rules.last().map_or(0, |(_, r)| r.end);
        let list = TextRange::new(start + first, start + last);
        let (from, to) = (
            c.rules[unused_names[0]].1.start,
            c.rules[unused_names[unused_names.len() - 1]].1.end,
        );
        let (what, verb) = if names.len() == 1 {
            ("it", "suppresses")
        } else {
            ("them", "suppress")
        };
        out.push(finding(
            TextRange::new(start + from, start + to),
            format!(
                "{} {verb} nothing here; remove {what} from the comment",
                names.join(", ")
            ),
            Fix::safe(
                format!("Remove {} from the comment", names.join(", ")),
                vec![Edit::replace(list, kept.join(","))],
            ),
        ));
    }
    out
}

fn finding(range: TextRange, message: String, fix: Fix) -> Diagnostic {
    Diagnostic {
        rule: &UnusedSuppression::META,
        severity: UnusedSuppression::META.severity,
        message,
        file: FileId::MAIN,
        range,
        related: Vec::new(),
        fix: Some(fix),
        tags: vec![Tag::Unnecessary],
    }
}

/// A `suppression-without-reason` finding on the comment at `range`.
pub(crate) fn without_reason(file: FileId, range: TextRange) -> Diagnostic {
    Diagnostic {
        rule: &SuppressionWithoutReason::META,
        severity: SuppressionWithoutReason::META.severity,
        message: "this suppression comment gives no reason; add one at its end after `--`"
            .to_string(),
        file,
        range,
        related: Vec::new(),
        fix: None,
        tags: Vec::new(),
    }
}

/// The range of `text` (a comment starting at `start`) without trailing blanks.
fn trimmed_range(text: &str, start: u32) -> TextRange {
    let start = start as usize;
    TextRange::new(start, start + text.trim_end().len())
}

/// The whole line of `range` (leading indentation and the line break included).
fn line_of(source: &str, range: TextRange) -> TextRange {
    let start = source[..range.start as usize]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let start = if source[start..range.start as usize].trim().is_empty() {
        start
    } else {
        range.start as usize
    };
    let end = source[range.end as usize..]
        .find('\n')
        .map_or(source.len(), |i| range.end as usize + i + 1);
    TextRange::new(start, end)
}

/// For each scope, the rules of the diagnostics (whatever their rule) that touch its
/// file and range, each rule once; global scopes of a file share one list. Looser than
/// [`Scope::covers`]: a finding that spans several instructions makes a comment on any
/// of them "used", so `unused-suppression` never asks to remove a comment another tool
/// (hadolint) reports on that line.
fn touching_rules<'s>(
    scopes: &[Scope],
    index: &ScopeIndex,
    diagnostics: &[Diagnostic],
    out: &'s mut TouchingRules,
) -> impl Fn(usize) -> &'s [&'static RuleMeta] {
    out.ranged = vec![Vec::new(); scopes.len()];
    let mut found = Vec::new();
    for d in diagnostics {
        if d.rule.name == InvalidSuppression::META.name {
            continue;
        }
        let in_file = out.by_file.entry(d.file).or_default();
        if !in_file.iter().any(|r| std::ptr::eq(*r, d.rule)) {
            in_file.push(d.rule);
        }
        index.ranged_touching(d.file, d.range, &mut found);
        for &s in &found {
            if !out.ranged[s].iter().any(|r| std::ptr::eq(*r, d.rule)) {
                out.ranged[s].push(d.rule);
            }
        }
    }
    let out: &'s TouchingRules = out;
    move |s: usize| match scopes[s].range {
        Some(_) => &out.ranged[s],
        None => out.by_file.get(&scopes[s].file).map_or(&[], Vec::as_slice),
    }
}

#[derive(Default)]
struct TouchingRules {
    ranged: Vec<Vec<&'static RuleMeta>>,
    by_file: HashMap<FileId, Vec<&'static RuleMeta>>,
}

/// The scopes of each file, so that finding those that apply to a finding does not
/// scan them all (a generated Dockerfile can hold a comment above each of 100,000 lines).
struct ScopeIndex {
    files: HashMap<FileId, FileScopes>,
}

#[derive(Default)]
struct FileScopes {
    /// The first global scope for every rule.
    global_all: Option<usize>,
    /// The first global scope naming a rule, by the name as written (lowercased).
    global_names: HashMap<String, usize>,
    /// Scopes with a range, sorted by its start.
    ranged: Vec<usize>,
    /// The range start of each of `ranged`.
    starts: Vec<u32>,
    /// The largest range end among `ranged[..=i]`.
    max_end: Vec<u32>,
}

impl ScopeIndex {
    fn new(scopes: &[Scope]) -> ScopeIndex {
        let mut files: HashMap<FileId, FileScopes> = HashMap::default();
        for (i, scope) in scopes.iter().enumerate() {
            let file = files.entry(scope.file).or_default();
            match scope.range {
                None if scope.comment.all => {
                    file.global_all.get_or_insert(i);
                }
                None => {
                    for (name, _) in &scope.comment.rules {
                        file.global_names
                            .entry(name.to_ascii_lowercase())
                            .or_insert(i);
                    }
                }
                Some(_) => file.ranged.push(i),
            }
        }
        for file in files.values_mut() {
            let start = |i: &usize| scopes[*i].range.map_or(0, |r| r.start);
            file.ranged.sort_by_key(start);
            file.starts = file.ranged.iter().map(start).collect();
            let mut max = 0;
            file.max_end = file
                .ranged
                .iter()
                .map(|&i| {
                    max = max.max(scopes[i].range.map_or(0, |r| r.end));
                    max
                })
                .collect();
        }
        ScopeIndex { files }
    }

    /// Sets `out` to the scopes of `file` with a range that overlaps `range` (ends
    /// included), in increasing order.
    fn ranged_touching(&self, file: FileId, range: TextRange, out: &mut Vec<usize>) {
        out.clear();
        let Some(f) = self.files.get(&file) else {
            return;
        };
        // Scopes starting at or before the range's end; walking back, stop once no
        // earlier scope reaches the range's start.
        let mut i = f.starts.partition_point(|&start| start <= range.end);
        while i > 0 && f.max_end[i - 1] >= range.start {
            i -= 1;
            out.push(f.ranged[i]);
        }
        out.sort_unstable();
    }

    /// The first global scope of `file` that names `rule` (or every rule).
    fn first_global(&self, file: FileId, rule: &RuleMeta) -> Option<usize> {
        let f = self.files.get(&file)?;
        let named = [rule.name, rule.code]
            .into_iter()
            .chain(rule.aliases.iter().copied())
            .filter_map(|id| f.global_names.get(&id.to_ascii_lowercase()).copied());
        named.chain(f.global_all).min()
    }
}

/// Moves the diagnostics a scope covers out of `diagnostics`, with the reason of the
/// first scope that covers each.
pub(crate) fn take_suppressed(
    scopes: &[Scope],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Suppressed> {
    let index = ScopeIndex::new(scopes);
    let mut found = Vec::new();
    let mut suppressed = Vec::new();
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics.drain(..) {
        let at = TextRange::empty(d.range.start as usize);
        index.ranged_touching(d.file, at, &mut found);
        let ranged = found.iter().copied().find(|&s| scopes[s].covers(&d));
        let global = index
            .first_global(d.file, d.rule)
            .filter(|&s| scopes[s].covers(&d));
        let first = match (ranged, global) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match first.map(|s| &scopes[s]) {
            Some(scope) => suppressed.push(Suppressed {
                diagnostic: d,
                reason: scope.comment.reason.clone(),
            }),
            None => kept.push(d),
        }
    }
    *diagnostics = kept;
    suppressed
}

/// Reports malformed suppression comments (`invalid-suppression`).
pub(crate) fn report_problems(
    problems: Vec<(FileId, TextRange, String)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    diagnostics.extend(
        problems
            .into_iter()
            .map(|(file, range, message)| Diagnostic {
                rule: &InvalidSuppression::META,
                severity: InvalidSuppression::META.severity,
                message,
                file,
                range,
                related: Vec::new(),
                fix: None,
                tags: Vec::new(),
            }),
    );
}

pub(crate) fn check_rule_names(
    s: &SuppressionComment,
    comment: TextRange,
    file: FileId,
    problems: &mut Vec<(FileId, TextRange, String)>,
) {
    for (name, r) in &s.rules {
        if find_rule(name).is_some() {
            continue;
        }
        // hadolint codes that dockside does not implement are not an error: the comment may serve hadolint too.
        if matches!(s.tool, Tool::Hadolint) {
            continue;
        }
        let names: Vec<&str> = all_rules().iter().map(|r| r.meta().name).collect();
        let mut message = format!("unknown rule `{name}` in suppression comment");
        if let Some(s) = did_you_mean(name, names.iter().copied()) {
            message.push_str(&format!(" (did you mean `{s}`?)"));
        }
        let range = TextRange::new(
            comment.start as usize + r.start,
            comment.start as usize + r.end,
        );
        problems.push((file, range, message));
    }
}
