use dockside_compose::model::Build;
use dockside_compose::yaml::Node;
use dockside_semantic::{Model, PREDEFINED_ARGS, PROXY_ARGS};
use dockside_syntax::{Body, Keyword};

use crate::compose::ComposeChecker;
use crate::declare_rule;
use crate::diagnostic::FileId;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a service's `build.args` entry that no `ARG` of the Dockerfile
    /// declares (in the global scope before the first `FROM`, or in any
    /// stage). BuildKit's predefined arguments (`TARGETPLATFORM`, `BUILDKIT_*`
    /// …) and the proxy variables (`HTTP_PROXY`, …) need no declaration. The
    /// closest declared name is suggested. Nothing is reported when the
    /// Dockerfile cannot be read.
    ///
    /// ## Why is this bad?
    /// A build argument only reaches the build through an `ARG` instruction.
    /// An undeclared one is silently ignored (BuildKit prints a warning nobody
    /// reads): the build uses the `ARG`'s default or nothing at all, typically
    /// because of a typo or an `ARG` that was renamed.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     build:
    ///       context: .
    ///       args:
    ///         PYTHON_VERISON: "3.12"
    /// ```
    /// with a Dockerfile declaring `ARG PYTHON_VERSION=3.11`.
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     build:
    ///       context: .
    ///       args:
    ///         PYTHON_VERSION: "3.12"
    /// ```
    pub struct UndeclaredBuildArg {
        name: "undeclared-build-arg",
        code: "DC112",
        group: "compose-services",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "`build.args` entry that no ARG of the Dockerfile declares",
        target: Compose,
    }
}

/// The Dockerfile a service builds, parsed: from the build context or `dockerfile_inline`.
pub(crate) struct BuiltDockerfile {
    pub model: Model,
    pub dockerfile: dockside_syntax::Dockerfile,
    /// The file diagnostics can point into (`None` for an inline Dockerfile).
    pub file: Option<FileId>,
    /// How to name it in messages.
    pub shown: String,
}

pub(crate) fn built_dockerfile(cx: &ComposeChecker, build: &Build) -> Option<BuiltDockerfile> {
    if let Some(inline) = build.inline {
        let text = inline.as_str()?;
        let dockerfile = dockside_syntax::parse(text);
        return Some(BuiltDockerfile {
            model: crate::build_model(&dockerfile, &[], cx.config),
            dockerfile,
            file: None,
            shown: "the inline Dockerfile".into(),
        });
    }
    if build.remote {
        return None;
    }
    let built = cx.dockerfile(&build.dockerfile)?;
    let shown = build
        .dockerfile
        .strip_prefix(&cx.project.directory)
        .unwrap_or(&build.dockerfile)
        .display()
        .to_string();
    Some(BuiltDockerfile {
        model: built.model.clone(),
        dockerfile: built.dockerfile.clone(),
        file: Some(built.file),
        shown: format!("`{shown}`"),
    })
}

/// Names of every ARG the Dockerfile declares.
fn declared_args(df: &BuiltDockerfile) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for inst in &df.dockerfile.instructions {
        if inst.keyword != Keyword::Arg {
            continue;
        }
        if let Body::Pairs(pairs) = &inst.body {
            for p in pairs {
                if !out.iter().any(|o| o.as_str() == p.key.value.as_str()) {
                    out.push(p.key.value.to_string());
                }
            }
        }
    }
    out
}

fn predefined(name: &str) -> bool {
    PREDEFINED_ARGS.contains(&name)
        || PROXY_ARGS.contains(&name)
        || name.starts_with("BUILDKIT_")
        || name == "SOURCE_DATE_EPOCH"
}

impl Rule for UndeclaredBuildArg {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_compose(&self, cx: &ComposeChecker) {
        for service in cx.services() {
            let Some(build) = cx.build(&service) else {
                continue;
            };
            if build.args.is_empty() {
                continue;
            }
            let Some(df) = built_dockerfile(cx, &build) else {
                continue;
            };
            let declared = declared_args(&df);
            for arg in &build.args {
                if predefined(&arg.name) || declared.contains(&arg.name) {
                    continue;
                }
                let hint =
                    dockside_config::did_you_mean(&arg.name, declared.iter().map(String::as_str))
                        .map(|n| format!("; did you mean `{n}`?"))
                        .unwrap_or_default();
                let range = name_range(cx, arg.node, &arg.name);
                cx.report(cx.finding_in(
                    arg.node,
                    range,
                    format!(
                        "build argument `{}` is not declared by any ARG of {}, so the build ignores it{hint}",
                        arg.name, df.shown
                    ),
                ));
            }
        }
    }
}

/// The name part of a `- NAME=value` item when it can be located, else the node.
fn name_range(cx: &ComposeChecker, node: &Node, name: &str) -> dockside_syntax::TextRange {
    let written = cx.project.written(node);
    let skip = usize::from(written.starts_with(['"', '\'']));
    if written.get(skip..skip + name.len()) == Some(name) {
        let start = node.range.start as usize + skip;
        dockside_syntax::TextRange::new(start, start + name.len())
    } else {
        node.range
    }
}
