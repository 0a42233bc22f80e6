//! What `depends_on` says, and what a dependency's image tells about health and ports.

use dockside_compose::Service;
use dockside_compose::yaml::{Node, Value};
use dockside_semantic::{Base, ImageRef, parse_image_ref};
use dockside_syntax::{Body, Healthcheck, Keyword, TextRange};

use crate::compose::ComposeChecker;
use crate::diagnostic::FileId;

/// One `depends_on` entry.
pub(crate) struct Dependency<'a> {
    pub name: &'a str,
    /// The list item or the mapping key.
    pub node: &'a Node,
    /// `condition:` of the mapping form.
    pub condition: Option<&'a Node>,
}

pub(crate) fn dependencies<'a>(service: &Service<'a>) -> Vec<Dependency<'a>> {
    let Some(node) = service.get("depends_on") else {
        return Vec::new();
    };
    match &node.value {
        Value::Sequence(items) => items
            .iter()
            .filter_map(|item| {
                Some(Dependency {
                    name: item.scalar_text()?,
                    node: item,
                    condition: None,
                })
            })
            .collect(),
        Value::Mapping(entries) => entries
            .iter()
            .filter_map(|(key, value)| {
                Some(Dependency {
                    name: key.scalar_text()?,
                    node: key,
                    condition: value.get("condition"),
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether an image is a Docker Official Image (`postgres`, `library/redis`): those never
/// define a HEALTHCHECK.
pub(crate) fn is_official(image: &ImageRef) -> bool {
    let hub = image.registry.as_deref().is_none_or(|r| r == "docker.io");
    hub && (!image.repository.contains('/') || image.repository.starts_with("library/"))
}

/// The `image:` of a service, parsed.
pub(crate) fn service_image(service: &Service) -> Option<ImageRef> {
    parse_image_ref(service.get("image")?.as_str()?.trim()).ok()
}

/// What a service's image does about health checks.
pub(crate) enum ImageHealth {
    /// The Dockerfile defines one (file and range of the HEALTHCHECK).
    Defined,
    /// `HEALTHCHECK NONE` in the Dockerfile.
    Disabled(FileId, TextRange),
    /// Nothing defines one.
    Missing(String),
    /// It depends on an image we cannot see.
    Unknown(String),
}

/// The HEALTHCHECK (or EXPOSE) situation of the image a service builds or names.
pub(crate) fn image_health(cx: &ComposeChecker, service: &Service) -> ImageHealth {
    let Some(build) = cx.build(service) else {
        return match service_image(service) {
            Some(image) if is_official(&image) => ImageHealth::Missing(format!(
                "the official image `{image}` defines no HEALTHCHECK"
            )),
            Some(image) => ImageHealth::Unknown(format!("`{image}`")),
            None => ImageHealth::Unknown("its image".into()),
        };
    };
    if build.remote || build.inline.is_some() {
        return ImageHealth::Unknown("the image it builds".into());
    }
    let Some(built) = cx.dockerfile(&build.dockerfile) else {
        return ImageHealth::Unknown("the image it builds".into());
    };
    let model = &built.model;
    let stage = match build.target.and_then(Node::scalar_text) {
        Some(t) => model.stage_by_name(t),
        None => model.final_stage(),
    };
    let Some(stage) = stage else {
        return ImageHealth::Unknown("the image it builds".into());
    };
    for s in model.stage_ancestry(stage.index) {
        let range = model.stages[s].instructions();
        let found = built.dockerfile.instructions[range.clone()]
            .iter()
            .rev()
            .find(|i| i.keyword == Keyword::Healthcheck);
        if let Some(inst) = found {
            return match &inst.body {
                Body::Healthcheck(Healthcheck::None { .. }) => {
                    ImageHealth::Disabled(built.file, inst.range)
                }
                _ => ImageHealth::Defined,
            };
        }
    }
    let root = stage_root(model, stage.index);
    match &model.stages[root].base {
        Base::Image(image) if is_official(image) => ImageHealth::Missing(format!(
            "its Dockerfile has no HEALTHCHECK and its base image `{image}` defines none"
        )),
        Base::Image(image) => ImageHealth::Unknown(format!(
            "its Dockerfile's base image `{image}` (the Dockerfile has no HEALTHCHECK)"
        )),
        Base::Scratch => ImageHealth::Missing("its Dockerfile has no HEALTHCHECK".into()),
        _ => ImageHealth::Unknown("its Dockerfile's base image".into()),
    }
}

fn stage_root(model: &dockside_semantic::Model, stage: usize) -> usize {
    model.stage_ancestry(stage).last().copied().unwrap_or(stage)
}

/// The Dockerfile of the service EXPOSEs a port (in its target stage or a parent stage).
pub(crate) fn dockerfile_exposes(cx: &ComposeChecker, service: &Service) -> bool {
    let Some(build) = cx.build(service) else {
        return false;
    };
    if build.remote || build.inline.is_some() {
        return false;
    }
    let Some(built) = cx.dockerfile(&build.dockerfile) else {
        return false;
    };
    let model = &built.model;
    let stage = match build.target.and_then(Node::scalar_text) {
        Some(t) => model.stage_by_name(t),
        None => model.final_stage(),
    };
    let Some(stage) = stage else { return false };
    model.stage_ancestry(stage.index).into_iter().any(|s| {
        built.dockerfile.instructions[model.stages[s].instructions()]
            .iter()
            .any(|i| i.keyword == Keyword::Expose)
    })
}

/// The Compose healthcheck of a service: `Some(true)` defined, `Some(false)` disabled
/// (`disable: true` or `test: ["NONE"]`), `None` absent.
pub(crate) fn compose_healthcheck(service: &Service) -> Option<(bool, &'static str)> {
    let hc = service.get("healthcheck")?;
    if hc
        .get("disable")
        .is_some_and(|d| matches!(d.value, Value::Bool(true)))
    {
        return Some((false, "`disable: true`"));
    }
    let test_none = match hc.get("test").map(|t| &t.value) {
        Some(Value::Sequence(items)) => items.first().and_then(Node::as_str) == Some("NONE"),
        Some(Value::String(s)) => s.trim() == "NONE",
        _ => false,
    };
    if test_none {
        return Some((false, "`test: [\"NONE\"]`"));
    }
    Some((true, ""))
}
