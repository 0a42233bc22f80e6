//! A service's `volumes`: the short syntax `[source:]target[:mode]` (a named volume or a
//! host path: `./x`, `/x`, `~/x`, `C:\x`, `\\server\share`) and the long syntax
//! `{type, source, target, read_only, bind, volume, tmpfs}`.

use crate::project::Service;
use crate::yaml::{Node, Value};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountKind {
    /// A named volume (`source` set) or an anonymous one (`source` empty).
    Volume,
    /// A host path.
    Bind,
    Tmpfs,
    /// A Windows named pipe.
    Npipe,
    Cluster,
    /// An image's filesystem (`type: image`).
    Image,
    /// A type Compose does not know (kept as written).
    Other(String),
}

impl MountKind {
    fn from_type(text: &str) -> MountKind {
        match text {
            "volume" => MountKind::Volume,
            "bind" => MountKind::Bind,
            "tmpfs" => MountKind::Tmpfs,
            "npipe" => MountKind::Npipe,
            "cluster" => MountKind::Cluster,
            "image" => MountKind::Image,
            other => MountKind::Other(other.to_string()),
        }
    }
}

/// What a short-syntax entry says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeSpec {
    pub kind: MountKind,
    /// The volume name or host path; `None` for an anonymous volume (`- /data`).
    pub source: Option<String>,
    pub target: String,
    /// The options after the target (`ro`, `rw`, `z`, `nocopy`…).
    pub options: Vec<String>,
}

impl VolumeSpec {
    pub fn read_only(&self) -> bool {
        self.options.iter().any(|o| o == "ro")
    }
}

/// Whether a short-syntax source is a host path rather than a volume name: it starts with
/// `.`, `/` or `~`, or is a Windows path (`C:\`, `C:/`, `\\server`).
pub fn is_host_path(source: &str) -> bool {
    source.starts_with(['.', '/', '~', '\\']) || has_drive_letter(source)
}

fn has_drive_letter(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphabetic()
        && b[1] == b':'
        && (b.len() == 2 || matches!(b[2], b'\\' | b'/'))
}

/// Splits a short-syntax entry on `:`, keeping Windows drive letters (`C:\data`) whole.
fn split_short(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' {
            let part = &text[start..i];
            let drive = part.len() == 1
                && part.as_bytes()[0].is_ascii_alphabetic()
                && matches!(bytes.get(i + 1), Some(b'\\' | b'/'));
            if !drive {
                parts.push(part);
                start = i + 1;
            }
        }
        i += 1;
    }
    parts.push(&text[start..]);
    parts
}

/// Parses the short syntax: `/data` (anonymous volume), `db:/var/lib/db`, `./conf:/etc/x:ro`,
/// `C:\data:/data`.
pub fn parse_volume_spec(text: &str) -> Result<VolumeSpec, String> {
    let parts = split_short(text);
    let (source, target, options) = match parts.as_slice() {
        [target] => (None, *target, ""),
        [source, target] => (Some(*source), *target, ""),
        [source, target, options] => (Some(*source), *target, *options),
        _ => return Err(format!("too many `:` in the volume `{text}`")),
    };
    if target.is_empty() {
        return Err(format!("the volume `{text}` has no target path"));
    }
    let source = source.filter(|s| !s.is_empty());
    if source.is_none() && options.is_empty() && parts.len() == 2 {
        return Err(format!("the volume `{text}` has an empty source"));
    }
    let kind = match source {
        Some(s) if is_host_path(s) => MountKind::Bind,
        _ => MountKind::Volume,
    };
    Ok(VolumeSpec {
        kind,
        source: source.map(str::to_string),
        target: target.to_string(),
        options: options
            .split(',')
            .filter(|o| !o.is_empty())
            .map(str::to_string)
            .collect(),
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MountSyntax {
    Short,
    Long,
}

/// One `volumes` entry of a service.
#[derive(Clone, Debug)]
pub struct Mount<'a> {
    /// The list item.
    pub node: &'a Node,
    pub syntax: MountSyntax,
    pub kind: MountKind,
    /// The volume name or host path as Compose reads it; `None` for anonymous volumes and tmpfs.
    pub source: Option<String>,
    /// Where the source is written: the `source:` value, or the entry itself.
    pub source_node: Option<&'a Node>,
    /// The path in the container.
    pub target: String,
    /// Where the target is written: the `target:` value, or the entry itself.
    pub target_node: &'a Node,
    pub read_only: bool,
}

/// Reads one `volumes` entry. `Err` for entries Compose would reject and for values that
/// still hold an unresolved `${VAR}`.
pub fn mount(node: &Node) -> Result<Mount<'_>, String> {
    match &node.value {
        Value::String(text) => {
            if text.contains('$') {
                return Err(format!("`{text}` is not interpolated"));
            }
            let spec = parse_volume_spec(text)?;
            Ok(Mount {
                node,
                syntax: MountSyntax::Short,
                read_only: spec.read_only(),
                kind: spec.kind,
                source_node: spec.source.as_ref().map(|_| node),
                source: spec.source,
                target: spec.target,
                target_node: node,
            })
        }
        Value::Mapping(_) => long_mount(node),
        _ => Err("a volume must be a string or a mapping".into()),
    }
}

fn long_mount(node: &Node) -> Result<Mount<'_>, String> {
    let text_of = |key: &str| -> Result<Option<(&str, &Node)>, String> {
        match node.get(key) {
            None => Ok(None),
            Some(v) if v.is_null() => Ok(None),
            Some(v) => {
                let text = v
                    .scalar_text()
                    .ok_or_else(|| format!("`{key}` must be a string"))?;
                if text.contains('$') {
                    return Err(format!("`{text}` is not interpolated"));
                }
                Ok(Some((text, v)))
            }
        }
    };
    let kind = match text_of("type")? {
        Some((t, _)) => MountKind::from_type(t),
        None => return Err("a long-syntax volume needs `type`".into()),
    };
    let (target, target_node) = text_of("target")?
        .filter(|(t, _)| !t.is_empty())
        .ok_or("a long-syntax volume needs `target`")?;
    let source = text_of("source")?.filter(|(s, _)| !s.is_empty());
    let read_only = node
        .get("read_only")
        .is_some_and(|v| matches!(v.value, Value::Bool(true)) || v.scalar_text() == Some("true"));
    Ok(Mount {
        node,
        syntax: MountSyntax::Long,
        kind,
        source: source.map(|(s, _)| s.to_string()),
        source_node: source.map(|(_, n)| n),
        target: target.to_string(),
        target_node,
        read_only,
    })
}

impl Mount<'_> {
    /// The named volume this mount uses (a `volume` mount with a source).
    pub fn volume_name(&self) -> Option<&str> {
        match self.kind {
            MountKind::Volume => self.source.as_deref(),
            _ => None,
        }
    }
}

/// The `volumes` entries of a service that can be read (see [`mount`]).
pub fn mounts<'a>(service: &Service<'a>) -> Vec<Mount<'a>> {
    service
        .get("volumes")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(|item| mount(item).ok())
        .collect()
}

/// Whether the container path `path` is `dir` or below it (paths compared by component,
/// trailing slashes ignored).
pub fn path_is_within(path: &str, dir: &str) -> bool {
    let components = |p: &str| -> Vec<String> {
        p.split(['/', '\\'])
            .filter(|c| !c.is_empty() && *c != ".")
            .map(str::to_string)
            .collect()
    };
    let (path, dir) = (components(path), components(dir));
    path.len() >= dir.len() && path[..dir.len()] == dir[..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    fn spec(text: &str) -> VolumeSpec {
        parse_volume_spec(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn short_syntax_kinds() {
        let s = spec("/var/lib/data");
        assert_eq!((s.kind, s.source), (MountKind::Volume, None));
        assert_eq!(s.target, "/var/lib/data");

        let s = spec("db-data:/var/lib/postgresql/data");
        assert_eq!(s.kind, MountKind::Volume);
        assert_eq!(s.source.as_deref(), Some("db-data"));

        for bind in [
            "./conf:/etc/nginx",
            ".:/app",
            "/srv:/srv",
            "~/x:/x",
            "../up:/up",
        ] {
            assert_eq!(spec(bind).kind, MountKind::Bind, "{bind}");
        }

        let s = spec("./conf:/etc/nginx:ro,z");
        assert_eq!(s.options, ["ro", "z"]);
        assert!(s.read_only());
    }

    #[test]
    fn windows_paths() {
        let s = spec(r"C:\data:/data");
        assert_eq!(s.kind, MountKind::Bind);
        assert_eq!(s.source.as_deref(), Some(r"C:\data"));
        assert_eq!(s.target, "/data");

        let s = spec("c:/data:C:/app:ro");
        assert_eq!(s.source.as_deref(), Some("c:/data"));
        assert_eq!(s.target, "C:/app");
        assert!(s.read_only());

        let s = spec(r"\\server\share:/mnt");
        assert_eq!(s.kind, MountKind::Bind);

        let s = spec(r"C:\data");
        assert_eq!((s.source, s.target.as_str()), (None, r"C:\data"));
    }

    #[test]
    fn invalid_short_syntax() {
        for bad in ["", "a:b:c:d", "db:", ":/data"] {
            assert!(parse_volume_spec(bad).is_err(), "{bad}");
        }
    }

    fn entries(text: &str) -> Vec<Node> {
        let doc = yaml::load(text).documents.remove(0);
        doc.get("volumes").unwrap().as_sequence().unwrap().to_vec()
    }

    #[test]
    fn long_syntax() {
        let items = entries(
            "volumes:\n  - type: volume\n    source: db\n    target: /data\n    read_only: true\n  - type: bind\n    source: ./x\n    target: /x\n  - type: tmpfs\n    target: /tmp\n  - type: volume\n    target: /anon\n",
        );
        let m: Vec<Mount> = items.iter().map(|n| mount(n).unwrap()).collect();
        assert_eq!(m[0].volume_name(), Some("db"));
        assert!(m[0].read_only);
        assert_eq!(m[0].source_node.and_then(Node::scalar_text), Some("db"));
        assert_eq!(m[0].target_node.scalar_text(), Some("/data"));
        assert_eq!(m[1].kind, MountKind::Bind);
        assert_eq!(m[1].volume_name(), None);
        assert_eq!(
            (m[2].kind.clone(), m[2].source.clone()),
            (MountKind::Tmpfs, None)
        );
        assert_eq!(m[3].volume_name(), None);
    }

    #[test]
    fn short_entry_keeps_its_node() {
        let items = entries("volumes:\n  - \"data:/data:ro\"\n");
        let m = mount(&items[0]).unwrap();
        assert_eq!(m.syntax, MountSyntax::Short);
        assert_eq!(m.volume_name(), Some("data"));
        assert!(m.read_only);
        assert_eq!(m.source_node.map(|n| n.range), Some(items[0].range));
    }

    #[test]
    fn unusable_entries_are_errors() {
        for text in [
            "volumes:\n  - \"${DATA}:/data\"\n",
            "volumes:\n  - source: x\n    target: /x\n",
            "volumes:\n  - type: bind\n    source: ./x\n",
            "volumes:\n  - 42\n",
        ] {
            let items = entries(text);
            assert!(mount(&items[0]).is_err(), "{text}");
        }
    }

    #[test]
    fn containment() {
        assert!(path_is_within(
            "/var/lib/postgresql/data",
            "/var/lib/postgresql"
        ));
        assert!(path_is_within(
            "/var/lib/postgresql/data/",
            "/var/lib/postgresql/data"
        ));
        assert!(path_is_within("/data", "/"));
        assert!(!path_is_within("/var/lib/postgres", "/var/lib/postgresql"));
        assert!(!path_is_within("/var/lib", "/var/lib/mysql"));
    }
}
