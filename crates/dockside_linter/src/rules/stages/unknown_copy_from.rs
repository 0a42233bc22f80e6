use crate::analysis::stages::{RefKind, Target, looks_like_image, references};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags `COPY --from=`, `ADD --from=` and `RUN --mount=from=` values that
    /// name no stage of the Dockerfile and do not look like an image reference
    /// (no tag, digest or registry), and stage numbers that do not exist. The
    /// closest stage name is suggested. `--from=nginx:1.27` and
    /// `--from=ghcr.io/org/tool` are images and are not flagged.
    ///
    /// ## Why is this bad?
    /// A word that is not a stage is pulled as an image from Docker Hub (or
    /// taken from a `--build-context` of that name). A misspelled stage name
    /// therefore fails late with "pull access denied", or worse, copies files out
    /// of an unrelated public image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS builder
    /// RUN go build -o /out/app .
    /// FROM gcr.io/distroless/static:nonroot
    /// COPY --from=build /out/app /app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS builder
    /// RUN go build -o /out/app .
    /// FROM gcr.io/distroless/static:nonroot
    /// COPY --from=builder /out/app /app
    /// ```
    ///
    /// ## Fix safety
    /// When a stage name is close to the value, the fix uses it. The value might
    /// really be a named build context given on the command line: unsafe.
    pub struct UnknownCopyFrom {
        name: "unknown-copy-from",
        code: "DF623",
        group: "stages",
        severity: Warning,
        aliases: ["DL3022"],
        fix: Sometimes,
        summary: "`--from` names no stage and is not an image reference",
    }
}

impl Rule for UnknownCopyFrom {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        // Each name once (generated files repeat them by the thousand), in order.
        let mut seen = std::collections::HashSet::new();
        let names: Vec<&str> = cx
            .model
            .stages
            .iter()
            .filter_map(|s| s.name.as_deref())
            .filter(|n| seen.insert(*n))
            .collect();
        let listed = list_names(&names);
        for r in references(cx.dockerfile, cx.model) {
            if r.kind == RefKind::From {
                continue;
            }
            match &r.target {
                Target::MissingIndex(n) => {
                    let count = cx.model.stages.len();
                    cx.report(
                        Finding::new(
                            r.range,
                            format!(
                                "there is no stage {n}: stages are numbered from 0 and this Dockerfile has {count}"
                            ),
                        )
                        .with_severity(crate::diagnostic::Severity::Error),
                    );
                }
                Target::External(value) if !looks_like_image(value) && !value.is_empty() => {
                    if value.eq_ignore_ascii_case("scratch")
                        || value.eq_ignore_ascii_case("context")
                    {
                        continue;
                    }
                    let suggestion = dockside_config::did_you_mean(value, names.iter().copied());
                    let mut message = format!(
                        "`{value}` is not a stage of this Dockerfile, so it is pulled as the image `{value}:latest` (or taken from a build context of that name)"
                    );
                    if let Some(s) = suggestion {
                        message.push_str(&format!(": did you mean `{s}`?"));
                    } else if names.is_empty() {
                        message.push_str(": name a stage with `FROM … AS name`");
                    } else {
                        message.push_str(&format!(": stages are {listed}"));
                    }
                    let mut finding = Finding::new(r.range, message);
                    if let Some(s) = suggestion
                        && cx.text(r.range) == value
                    {
                        finding = finding.with_fix(Fix::unsafe_(
                            format!("Use stage `{s}`"),
                            vec![Edit::replace(r.range, s)],
                        ));
                    }
                    cx.report(finding);
                }
                _ => {}
            }
        }
    }
}

/// The stage names for a message, at most [`LISTED`] of them.
fn list_names(names: &[&str]) -> String {
    const LISTED: usize = 10;
    let mut list: Vec<String> = names
        .iter()
        .take(LISTED)
        .map(|n| format!("`{n}`"))
        .collect();
    if names.len() > LISTED {
        list.push("…".to_string());
    }
    list.join(", ")
}
