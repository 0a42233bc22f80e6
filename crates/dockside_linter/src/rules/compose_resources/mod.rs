//! What services use: ports, volumes, networks, secrets, configs and files, and
//! whether every reference is defined.

use std::path::Path;

use dockside_compose::yaml::{Node, ScalarStyle};
use dockside_compose::{FileRole, Project};
use dockside_syntax::TextRange;

use crate::rule::Rule;

pub mod data_volume_not_persistent;
pub mod docker_socket_mount;
pub mod host_port_conflict;
pub mod missing_build_file;
pub mod missing_env_file;
pub mod missing_secret_file;
pub mod unbound_port_interface;
pub mod undefined_reference;
pub mod undefined_service;
pub mod unquoted_port;

pub(crate) const RULES: &[&dyn Rule] = &[
    &unquoted_port::UnquotedPort,
    &host_port_conflict::HostPortConflict,
    &unbound_port_interface::UnboundPortInterface,
    &undefined_service::UndefinedService,
    &undefined_reference::UndefinedVolume,
    &undefined_reference::UndefinedNetwork,
    &undefined_reference::UndefinedSecret,
    &undefined_reference::UndefinedConfig,
    &missing_build_file::MissingBuildFile,
    &missing_env_file::MissingEnvFile,
    &missing_secret_file::MissingSecretFile,
    &data_volume_not_persistent::DataVolumeNotPersistent,
    &docker_socket_mount::DockerSocketMount,
];

/// `" (did you mean `x`?)"` for the closest candidate, or the empty string.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    let limit = name.chars().count().saturating_sub(1).clamp(1, 3);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (dockside_syntax::edit_distance(name, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map_or_else(String::new, |(_, c)| format!(" (did you mean `{c}`?)"))
}

/// The range of `part` (a byte range of the node's value) in the file, when the node is
/// written as its value (plain or quoted without escapes, not interpolated); otherwise the
/// whole node.
pub(crate) fn part_range(
    project: &Project,
    node: &Node,
    part: std::ops::Range<usize>,
) -> TextRange {
    let Some(value) = node.scalar_text() else {
        return node.range;
    };
    let written = project.written(node);
    let inner = match node.style {
        Some(ScalarStyle::Plain) => Some(written),
        Some(ScalarStyle::SingleQuoted) => unquote(written, '\''),
        Some(ScalarStyle::DoubleQuoted) => unquote(written, '"'),
        _ => None,
    };
    let Some(inner) = inner else {
        return node.range;
    };
    if inner != value || part.end > value.len() {
        return node.range;
    }
    let offset = node.range.start as usize + (written.len() - inner.len()) / 2;
    TextRange::new(offset + part.start, offset + part.end)
}

/// The text between the quotes of a quoted scalar as written.
pub(crate) fn unquote(written: &str, quote: char) -> Option<&str> {
    written.strip_prefix(quote)?.strip_suffix(quote)
}

/// The Compose files of the project (not env files), with their parsed root.
pub(crate) fn compose_roots(project: &Project) -> impl Iterator<Item = &Node> {
    project
        .files
        .iter()
        .filter(|f| f.role != FileRole::EnvFile)
        .filter_map(|f| f.root.as_ref())
}

/// A path for messages: relative to the folder holding the project directory when it is
/// inside it (`myapp/.env`), as is otherwise.
pub(crate) fn shown_path(project: &Project, path: &Path) -> String {
    let shown = project
        .directory
        .parent()
        .and_then(|parent| path.strip_prefix(parent).ok())
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(path);
    shown.display().to_string()
}

/// The names declared in a top-level section (`volumes`, `networks`…).
pub(crate) fn declared_names<'p>(project: &'p Project, section: &str) -> Vec<&'p str> {
    project
        .section(section)
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, _)| k.scalar_text())
        .collect()
}

#[cfg(test)]
pub(crate) mod test_support {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    use dockside_compose::{LoadOptions, load_project};
    use dockside_config::Config;

    use crate::{LintOptions, lint_compose};

    /// A fresh folder under the system's temporary folder, removed on drop.
    pub(crate) struct Scratch(pub PathBuf);

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    pub(crate) fn scratch(files: &[(&str, &str)]) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "dockside-compose-resources-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        for (path, text) in files {
            let path = dir.join(path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("create folder");
            }
            std::fs::write(path, text).expect("write file");
        }
        Scratch(dir)
    }

    /// Lints a project made of `files` (relative path, text; the first one is the Compose
    /// file) with `rule` selected and returns `line:col message` for its findings.
    pub(crate) fn findings(rule: &'static str, files: &[(&str, &str)]) -> Vec<String> {
        let dir = scratch(files);
        let compose_dir = files
            .first()
            .and_then(|(path, _)| Path::new(path).parent())
            .map_or_else(|| dir.0.clone(), |parent| dir.0.join(parent));
        let project = load_project(&LoadOptions {
            dir: compose_dir,
            ..Default::default()
        });
        let mut config = Config::default_for(dir.0.clone());
        config.extend_select.push(rule);
        let result = lint_compose(&project, &config, &LintOptions::default());
        result
            .diagnostics
            .iter()
            .filter(|d| d.rule.name == rule)
            .map(|d| {
                let p = result.file(d.file).position(d.range.start);
                format!("{}:{} {}", p.line + 1, p.char_col + 1, d.message)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::RULES;
    use super::test_support::findings;

    #[test]
    fn odd_input_does_not_panic() {
        let odd = [
            "services: [a, b]\n",
            "services:\n  a: null\n  b: 3\n  c:\n    ports: {a: 1}\n    volumes: \"x\"\n    networks: 4\n    secrets: [[x]]\n    env_file: [null, {path: [x]}, {required: false}]\n    depends_on: 7\n    links: [\":\", \"\"]\n    network_mode: \"service:\"\n    volumes_from: [\"service:\", \"container:\"]\n    build: {context: [x], dockerfile: {}}\n    image: \"\"\n",
            "services:\n  é:\n    image: \"pöstgres:ünicode\"\n    ports: [\"ä:b\", '[::1]:80:80', \"€€:€\", 99999, -1, \"1-0:80\", \"0-65535:1-65535\"]\n    volumes: [\"::\", \"C:\", \"a:b:c:d\", \":\", {type: volume}, {target: []}]\n    tmpfs: [null]\n    command: [server]\n    environment: [\"PGDATA\", {x: y}]\n",
            "services:\n  m:\n    image: minio/minio\n    command: server\n  r:\n    image: redis\n    command: [\"--save\"]\n  p:\n    image: postgres:99999999999999999999\n",
            "x: &a [*a]\n",
            "",
        ];
        for text in odd {
            for rule in RULES {
                let _ = findings(rule.meta().name, &[("compose.yaml", text)]);
            }
        }
    }
}
