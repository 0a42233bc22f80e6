//! Expensive steps of a RUN for cache-ordering rules: package installs,
//! dependency installs from manifests, downloads and downloaded installers.
//!
//! Built on [`crate::analysis::packages`]; this module only adds what the
//! cache rules need on top: where the manifests an install reads are, whether
//! an install builds the project itself (`pip install .`), and which files a
//! RUN downloaded (so `bash installer.sh` after `wget …/installer.sh` is an
//! installer, not a script of the source tree).

use dockside_semantic::{ShellCode, resolve_path};
use dockside_shell::SimpleCommand;
use dockside_syntax::TextRange;

use crate::analysis::packages::{Manager, Op, classify};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// `apt-get install`, `apk add`, `yum install`, and their index updates / upgrades.
    SystemPackages,
    /// Named packages of a language manager: `pip install requests`, `npm install -g x`.
    Packages,
    /// An install that reads only the project's manifests: `npm ci`,
    /// `pip install -r requirements.txt`, `go mod download`, `bundle install`.
    ManifestInstall,
    /// An install that builds the project from its source: `pip install .`,
    /// `pip install -e .`, `go install ./...`, `cargo install --path .`.
    ProjectInstall,
    /// `curl`/`wget` of a URL, `git clone`.
    Download,
    /// Running a file downloaded earlier (`bash Miniconda3.sh -b`).
    Installer,
}

impl StepKind {
    /// Steps that are slow and do not depend on the project's source.
    pub fn is_expensive(self) -> bool {
        !matches!(self, StepKind::ProjectInstall)
    }
}

#[derive(Clone, Debug)]
pub struct Step {
    pub kind: StepKind,
    /// The command head in the Dockerfile (`apt-get install`, `wget`).
    pub range: TextRange,
    /// Short text for messages: `apt-get install`, `pip install`, `wget`.
    pub label: String,
    pub manager: Option<Manager>,
    /// Absolute paths of the manifests a [`StepKind::ManifestInstall`] reads.
    pub manifests: Vec<String>,
    /// Index of the command in `code.script.commands`.
    pub command: usize,
}

const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh"];

/// Files a RUN downloads: `wget URL` (the URL's last segment), `wget -O f`,
/// `curl -o f`, `curl -O URL`. Base names only.
fn downloaded_files(cmd: &SimpleCommand) -> Vec<String> {
    let mut out = Vec::new();
    let program = cmd.program().unwrap_or("");
    let args = cmd.args();
    let url_base = |args: &[dockside_shell::Word]| -> Option<String> {
        args.iter()
            .map(|w| w.text())
            .find(|t| is_url(t))
            .and_then(|u| {
                let path = u.split(['?', '#']).next().unwrap_or(u);
                let base = path.rsplit('/').next()?;
                (!base.is_empty()).then(|| base.to_string())
            })
    };
    let mut explicit = None;
    for (i, w) in args.iter().enumerate() {
        let t = w.text();
        let next = args.get(i + 1).map(|n| n.text().to_string());
        match program {
            "wget" => {
                if t == "-O" || t == "--output-document" {
                    explicit = next;
                } else if let Some(v) = t.strip_prefix("--output-document=") {
                    explicit = Some(v.to_string());
                } else if let Some(v) = t.strip_prefix("-O").filter(|v| !v.is_empty()) {
                    explicit = Some(v.to_string());
                }
            }
            "curl" => {
                if t == "-o" || t == "--output" {
                    explicit = next;
                } else if let Some(v) = t.strip_prefix("--output=") {
                    explicit = Some(v.to_string());
                }
            }
            _ => {}
        }
    }
    match program {
        "wget" => {
            if let Some(e) = explicit.filter(|e| e != "-") {
                out.push(base(&e).to_string());
            } else if let Some(b) = url_base(args) {
                out.push(b);
            }
        }
        "curl" => {
            if let Some(e) = explicit.filter(|e| e != "-") {
                out.push(base(&e).to_string());
            } else if cmd.has_flag(Some('O'), Some("remote-name"))
                && let Some(b) = url_base(args)
            {
                out.push(b);
            }
        }
        _ => {}
    }
    out
}

pub fn is_url(t: &str) -> bool {
    let l = t.to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://") || l.starts_with("ftp://")
}

fn base(p: &str) -> &str {
    p.trim_end_matches('/').rsplit('/').next().unwrap_or(p)
}

/// Whether a package word names a local project or archive rather than a registry package.
fn is_local_package(text: &str) -> bool {
    if is_url(text) || text.starts_with("git+") {
        return false;
    }
    text == "."
        || text == ".."
        || text.starts_with("./")
        || text.starts_with("../")
        || text.starts_with('/')
        || text.ends_with(".whl")
        || text.ends_with(".tar.gz")
        || text.ends_with(".zip")
}

/// The expensive steps of one piece of shell code run in `workdir`.
/// `downloaded` collects the base names of files downloaded so far in the
/// stage (updated with this code's downloads).
pub fn run_steps(code: &ShellCode, workdir: &str, downloaded: &mut Vec<String>) -> Vec<Step> {
    let mut out = Vec::new();
    let mut cwd = workdir.to_string();
    for (ci, cmd) in code.script.commands.iter().enumerate() {
        let Some(program) = cmd.program() else {
            continue;
        };
        if program == "cd" {
            if let Some(dir) = cmd.args().first().and_then(|w| w.value.as_deref())
                && !dir.starts_with('-')
            {
                cwd = resolve_path(&cwd, dir);
            }
            continue;
        }
        let head = |end: usize| code.source_range(cmd.range.start..end);
        if let Some(op) = classify(cmd) {
            let range = code.source_range(op.head_range());
            let label = code.text.as_str()[op.head_range()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let kind = if op.manager.is_system() {
                if !matches!(op.op, Op::Install | Op::Update | Op::Upgrade) {
                    continue;
                }
                StepKind::SystemPackages
            } else {
                if op.op != Op::Install {
                    continue;
                }
                let local = op.packages.iter().any(|w| is_local_package(w.text()))
                    || (op.manager == Manager::Cargo && cmd.has_flag(None, Some("path")));
                if local {
                    StepKind::ProjectInstall
                } else if op.from_manifest {
                    StepKind::ManifestInstall
                } else {
                    StepKind::Packages
                }
            };
            let manifests = if kind == StepKind::ManifestInstall {
                if op.requirement_files.is_empty() {
                    op.manager
                        .manifest_files()
                        .iter()
                        .map(|m| resolve_path(&cwd, m))
                        .collect()
                } else {
                    op.requirement_files
                        .iter()
                        .map(|w| {
                            let t = w.text();
                            // `-rrequirements.txt` / `--requirement=x`.
                            let t = t
                                .strip_prefix("--requirement=")
                                .or_else(|| t.strip_prefix("-r"))
                                .unwrap_or(t);
                            resolve_path(&cwd, t)
                        })
                        .collect()
                }
            } else {
                Vec::new()
            };
            out.push(Step {
                kind,
                range,
                label,
                manager: Some(op.manager),
                manifests,
                command: ci,
            });
            continue;
        }
        let args = cmd.args();
        let is_download = match program {
            "curl" | "wget" => args
                .iter()
                .any(|w| is_url(w.text()) || w.text().starts_with("$")),
            "git" => args.first().and_then(|w| w.value.as_deref()) == Some("clone"),
            _ => false,
        };
        if is_download {
            let end = if program == "git" {
                args[0].range.end
            } else {
                cmd.argv[0].range.end.max(cmd.unwrapped_argv()[0].range.end)
            };
            downloaded.extend(downloaded_files(cmd));
            out.push(Step {
                kind: StepKind::Download,
                range: head(end),
                label: program_label(cmd, program),
                manager: None,
                manifests: Vec::new(),
                command: ci,
            });
            continue;
        }
        // A downloaded installer: `bash Anaconda3.sh -b`, `./installer.run`, `python get-pip.py`.
        let target =
            if SHELLS.contains(&program) || program.starts_with("python") || program == "perl" {
                args.iter().map(|w| w.text()).find(|t| !t.starts_with('-'))
            } else {
                cmd.unwrapped()
                    .argv
                    .first()
                    .map(|w| w.text())
                    .filter(|t| t.contains('/'))
            };
        if let Some(t) = target
            && downloaded.iter().any(|d| d == base(t))
        {
            let end = cmd.unwrapped_argv()[0].range.end;
            out.push(Step {
                kind: StepKind::Installer,
                range: head(end),
                label: program.to_string(),
                manager: None,
                manifests: Vec::new(),
                command: ci,
            });
        }
    }
    out
}

fn program_label(cmd: &SimpleCommand, program: &str) -> String {
    if program == "git" {
        "git clone".to_string()
    } else {
        cmd.program().unwrap_or(program).to_string()
    }
}
