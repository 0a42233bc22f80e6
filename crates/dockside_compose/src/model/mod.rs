//! Typed views of the merged model that rules share: how a service is built, its ports,
//! its volumes. Each view keeps the nodes it was read from, for positions.

use std::path::{Path, PathBuf};

use crate::project::{Project, Service};
use crate::yaml::{Node, Value};

/// How a service is built (`build:` as a string or a mapping), paths resolved.
#[derive(Clone, Debug)]
pub struct Build<'a> {
    /// The `build:` value.
    pub node: &'a Node,
    /// The context folder, absolute or relative to the working directory of the run.
    pub context: PathBuf,
    /// The node the context was written in (`build: .` or `context: .`); `None` when defaulted.
    pub context_node: Option<&'a Node>,
    /// A remote context (Git URL, `https://…`): nothing to check on disk.
    pub remote: bool,
    /// The Dockerfile path (context-relative `dockerfile:` resolved, default `Dockerfile`).
    pub dockerfile: PathBuf,
    pub dockerfile_node: Option<&'a Node>,
    /// `dockerfile_inline:`: the Dockerfile is in the Compose file.
    pub inline: Option<&'a Node>,
    pub target: Option<&'a Node>,
    /// `args:` entries: name, value (`None` for `- NAME` without value), and the entry node.
    pub args: Vec<BuildArg<'a>>,
}

#[derive(Clone, Debug)]
pub struct BuildArg<'a> {
    pub name: String,
    pub value: Option<String>,
    /// The key node (mapping form) or the list item (list form).
    pub node: &'a Node,
}

/// Whether a build context is remote (Git or HTTP URL).
pub fn is_remote_context(context: &str) -> bool {
    context.starts_with("http://")
        || context.starts_with("https://")
        || context.starts_with("git@")
        || context.starts_with("git://")
        || context.starts_with("ssh://")
        || context.starts_with("github.com/")
}

/// How `service` is built, or `None` without `build:`.
pub fn build<'a>(project: &Project, service: &Service<'a>) -> Option<Build<'a>> {
    let node = service.get("build")?;
    let base = project.base_dir_of(node);
    let (context_node, mapping) = match &node.value {
        Value::String(_) => (Some(node), None),
        Value::Mapping(_) => (node.get("context"), Some(node)),
        _ => (None, None),
    };
    let context_text = context_node.and_then(Node::scalar_text).unwrap_or(".");
    let remote = is_remote_context(context_text);
    let context = if remote {
        PathBuf::from(context_text)
    } else {
        resolve(&base, context_text)
    };
    let dockerfile_node = mapping.and_then(|m| m.get("dockerfile"));
    let dockerfile = match dockerfile_node.and_then(Node::scalar_text) {
        Some(d) => resolve(&context, d),
        None => resolve(&context, "Dockerfile"),
    };
    let mut args = Vec::new();
    if let Some(list) = mapping.and_then(|m| m.get("args")) {
        match &list.value {
            Value::Mapping(entries) => {
                for (k, v) in entries {
                    if let Some(name) = k.scalar_text() {
                        args.push(BuildArg {
                            name: name.to_string(),
                            value: if v.is_null() {
                                None
                            } else {
                                v.scalar_text().map(str::to_string)
                            },
                            node: k,
                        });
                    }
                }
            }
            Value::Sequence(items) => {
                for item in items {
                    if let Some(text) = item.scalar_text() {
                        let (name, value) = match text.split_once('=') {
                            Some((n, v)) => (n, Some(v.to_string())),
                            None => (text, None),
                        };
                        args.push(BuildArg {
                            name: name.to_string(),
                            value,
                            node: item,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    Some(Build {
        node,
        context,
        context_node,
        remote,
        dockerfile,
        dockerfile_node,
        inline: mapping.and_then(|m| m.get("dockerfile_inline")),
        target: mapping.and_then(|m| m.get("target")),
        args,
    })
}

/// A Dockerfile a service builds, with the build context and build args it gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DockerfileBuild {
    pub service: String,
    pub dockerfile: PathBuf,
    pub context: PathBuf,
    /// `build.args` with a value (`- NAME` without one takes the environment's: unknown here).
    pub args: Vec<(String, String)>,
}

/// The local Dockerfiles the services of `project` build, in service order (remote contexts
/// and `dockerfile_inline` left out).
pub fn dockerfile_builds(project: &Project) -> Vec<DockerfileBuild> {
    project
        .services()
        .filter_map(|service| {
            let b = build(project, &service)?;
            (!b.remote && b.inline.is_none()).then(|| DockerfileBuild {
                service: service.name.to_string(),
                dockerfile: b.dockerfile.clone(),
                context: b.context.clone(),
                args: b
                    .args
                    .iter()
                    .filter_map(|a| Some((a.name.clone(), a.value.clone()?)))
                    .collect(),
            })
        })
        .collect()
}

/// `path` resolved against `base` (absolute paths and `~` kept as written), without `.`
/// components: `.` + `./api/Dockerfile` is `api/Dockerfile`, as a user would write it.
pub fn resolve(base: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() || path.starts_with('~') {
        return p.to_path_buf();
    }
    let joined: PathBuf = base
        .join(p)
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if joined.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        joined
    }
}

pub mod ports;
pub mod volumes;
