use dockside_context::normalize_rel;
use dockside_semantic::{CopyOp, CopySource, InstructionInfo, ShellCode, resolve_path};
use dockside_shell::SimpleCommand;
use dockside_syntax::{Instruction, Keyword};

use crate::analysis::install_steps::{Step, StepKind, is_url, run_steps};
use crate::analysis::packages::{Op, classify};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a copy of the whole build context (`COPY . /app`, `ADD . .`,
    /// `COPY ./ ./`) or of a source folder (`COPY src/ /app/src`, for folders
    /// named `src`, `app`, `lib`, `cmd`, `pkg`, …) that comes before an
    /// expensive step of the same stage that does not need the copied files:
    ///
    /// - OS package installs (`apt-get install`, `apk add`, `dnf install`, and
    ///   their index updates);
    /// - package installs by name (`pip install requests`, `npm install -g x`);
    /// - dependency installs that only read manifests (`npm ci`, `yarn`,
    ///   `pip install -r requirements.txt`, `poetry install`, `uv sync`,
    ///   `bundle install`, `composer install`, `go mod download`,
    ///   `cargo fetch`, `mvn dependency:go-offline`, `gradle dependencies`);
    /// - downloads (`curl`, `wget`, `git clone`) and the installers they fetched
    ///   (`bash Miniconda3-latest-Linux-x86_64.sh -b`).
    ///
    /// A `RUN` that reads the copied tree is left alone: it names a path under
    /// the copy's destination (`cp /srv/project/nginx.conf …`), or runs in the
    /// tree a command that uses it (`make`, `python manage.py …`,
    /// `npm run build`, `./build.sh`, `pip install .`, `go build`). So is a
    /// dependency install whose manifest was copied on its own before the
    /// whole tree (`COPY requirements.txt .` … `COPY . .` …
    /// `RUN pip install -r requirements.txt`).
    ///
    /// ## Why is this bad?
    /// A `COPY` is invalidated by any change to the files it copies, and every
    /// instruction after it is rebuilt. With the whole source copied first,
    /// editing one line of code re-runs the package installs and downloads
    /// that follow, which are the slowest steps of most builds. Copying only
    /// the manifests, installing, then copying the rest keeps those steps
    /// cached until the dependencies themselves change.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// WORKDIR /app
    /// COPY . .
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// CMD ["python", "main.py"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// WORKDIR /app
    /// COPY requirements.txt .
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// COPY . .
    /// CMD ["python", "main.py"]
    /// ```
    pub struct CopyBeforeInstall {
        name: "copy-before-install",
        code: "DF201",
        group: "cache",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "The source is copied before installs that do not need it, so every edit re-runs them",
    }
}

/// Folder names that hold a project's source rather than configuration.
const SOURCE_DIRS: &[&str] = &[
    "src",
    "source",
    "sources",
    "app",
    "apps",
    "lib",
    "libs",
    "pkg",
    "cmd",
    "internal",
    "web",
    "frontend",
    "backend",
    "server",
    "client",
    "project",
    "code",
    "components",
    "api",
    "www",
];

/// Programs that read the files of the directory they run in.
const TREE_PROGRAMS: &[&str] = &[
    "make",
    "gmake",
    "cmake",
    "meson",
    "ninja",
    "configure",
    "autoreconf",
    "autogen.sh",
    "bazel",
    "scons",
    "npx",
    "node",
    "deno",
    "ruby",
    "rake",
    "rails",
    "php",
    "artisan",
    "perl",
    "java",
    "javac",
    "dotnet",
    "msbuild",
    "mix",
    "elixir",
    "rebar3",
    "sbt",
    "lein",
    "stack",
    "cabal",
    "ghc",
    "gcc",
    "g++",
    "cc",
    "clang",
    "rustc",
    "tsc",
    "webpack",
    "vite",
    "hugo",
    "jekyll",
    "mkdocs",
    "sphinx-build",
    "git",
    "tar",
    "unzip",
    "cp",
    "mv",
    "rsync",
    "install",
    "chmod",
    "chown",
    "sed",
    "cat",
    "source",
    ".",
    "find",
    "ls",
    "patch",
    "ant",
    "swift",
    "flutter",
    "dart",
    "pytest",
    "tox",
    "nox",
    "gunicorn",
    "uwsgi",
    "alembic",
    "flask",
    "django-admin",
    "celery",
    "manage.py",
];

fn is_source_copy(cx: &Checker, norm: &str, raw: &str) -> bool {
    if norm.is_empty() {
        return true;
    }
    let dir_like = raw.ends_with('/') || cx.context.is_dir(norm);
    let name = norm.rsplit('/').next().unwrap_or(norm);
    dir_like && SOURCE_DIRS.contains(&name.to_ascii_lowercase().as_str())
}

fn under(path: &str, dir: &str) -> bool {
    dir != "/" && (path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/')))
}

/// Whether a command reads the copied tree at `dest` when run in `cwd`.
fn command_reads_tree(
    cmd: &SimpleCommand,
    cwd: &str,
    dest: &str,
    downloaded: &[String],
    manifest_words: &[std::ops::Range<usize>],
) -> bool {
    // A path under the destination, other than an install's manifest.
    let mentions_dest = cmd
        .argv
        .iter()
        .chain(cmd.redirects.iter().filter_map(|r| r.target.as_ref()))
        .any(|w| {
            if manifest_words.contains(&w.range) {
                return false;
            }
            let t = w.text();
            let t = t
                .split_once('=')
                .map_or(t, |(k, v)| if k.starts_with('-') { v } else { t });
            t.starts_with('/') && under(&resolve_path("/", t), dest)
        });
    if mentions_dest {
        return true;
    }
    if !(under(cwd, dest) || dest == "/") {
        return false;
    }
    let Some(program) = cmd.program() else {
        return false;
    };
    if let Some(op) = classify(cmd) {
        // Installs are judged by the step analysis; other subcommands (`npm run build`,
        // `poetry build`, `composer dump-autoload`, `go build`) use the project.
        return !matches!(
            op.op,
            Op::Install | Op::Update | Op::Upgrade | Op::Clean | Op::Remove
        );
    }
    let args = cmd.args();
    let first = args.first().and_then(|w| w.value.as_deref()).unwrap_or("");
    match program {
        "go" => {
            return matches!(
                first,
                "build" | "test" | "generate" | "vet" | "run" | "install"
            );
        }
        "cargo" => return matches!(first, "build" | "test" | "run" | "check" | "doc"),
        "npm" | "yarn" | "pnpm" | "bun" | "poetry" | "uv" | "pipenv" | "bundle" | "composer"
        | "mvn" | "mvnw" | "gradle" | "gradlew" => return true,
        _ => {}
    }
    let argv0 = cmd.unwrapped_argv().first().map(|w| w.text()).unwrap_or("");
    let relative_exec = (argv0.starts_with("./")
        || (argv0.contains('/') && !argv0.starts_with('/')))
        && !downloaded.iter().any(|d| argv0.ends_with(d.as_str()));
    if relative_exec {
        return true;
    }
    let is_interpreter =
        ["sh", "bash", "dash", "ash", "zsh"].contains(&program) || program.starts_with("python");
    if is_interpreter {
        // `python manage.py`, `bash scripts/setup.sh`, but not `python -c …` or a downloaded installer.
        let script = args.iter().map(|w| w.text()).find(|t| !t.starts_with('-'));
        if args.first().is_some_and(|w| w.text() == "-c") {
            return false;
        }
        if args.first().is_some_and(|w| w.text() == "-m") {
            let module = args.get(1).map(|w| w.text()).unwrap_or("");
            return !matches!(module, "venv" | "virtualenv" | "pip" | "ensurepip");
        }
        return script.is_some_and(|s| {
            !s.starts_with('/') && !is_url(s) && !downloaded.iter().any(|d| s.ends_with(d.as_str()))
        });
    }
    if TREE_PROGRAMS.contains(&program) {
        // `cp`, `tar`, `chmod`: only with a relative operand (not a downloaded file).
        if matches!(
            program,
            "cp" | "mv"
                | "rsync"
                | "install"
                | "chmod"
                | "chown"
                | "sed"
                | "cat"
                | "tar"
                | "unzip"
                | "find"
                | "ls"
                | "patch"
        ) {
            return args.iter().any(|w| {
                let t = w.text();
                !t.starts_with('-')
                    && !t.starts_with('/')
                    && !t.starts_with('$')
                    && !t.contains("://")
                    && !downloaded.iter().any(|d| t.ends_with(d.as_str()))
                    && (t.contains('/') || t.contains('.') || t == "*")
            });
        }
        return true;
    }
    false
}

/// Whether a RUN reads the tree copied to `dest`.
fn run_reads_tree(info: &InstructionInfo, dest: &str, downloaded: &[String]) -> bool {
    info.scripts
        .iter()
        .any(|code| code_reads_tree(code, &info.workdir, dest, downloaded))
}

fn code_reads_tree(code: &ShellCode, workdir: &str, dest: &str, downloaded: &[String]) -> bool {
    let mut cwd = workdir.to_string();
    // Manifest words of installs are reads of manifests, not of the tree.
    let mut manifest_words = Vec::new();
    for cmd in &code.script.commands {
        if let Some(op) = classify(cmd) {
            manifest_words.extend(op.requirement_files.iter().map(|w| w.range.clone()));
        }
    }
    for cmd in &code.script.commands {
        if cmd.program() == Some("cd") {
            if let Some(dir) = cmd.args().first().and_then(|w| w.value.as_deref()) {
                cwd = resolve_path(&cwd, dir);
                if under(&cwd, dest) {
                    continue;
                }
            }
            continue;
        }
        if command_reads_tree(cmd, &cwd, dest, downloaded, &manifest_words) {
            return true;
        }
    }
    false
}

impl Rule for CopyBeforeInstall {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let instructions: Vec<(usize, &Instruction, &InstructionInfo)> =
            cx.instructions().collect();
        for op in &cx.model.copies {
            if op.from != CopySource::Context {
                continue;
            }
            let Some((src, word)) = op
                .sources
                .iter()
                .find(|(s, w)| normalize_rel(s).is_some_and(|n| is_source_copy(cx, &n, &w.value)))
            else {
                continue;
            };
            let Some(found) = first_independent_step(cx, &instructions, op) else {
                continue;
            };
            let (later, step) = found;
            let keyword = cx.dockerfile.instructions[op.instruction].keyword.as_str();
            let line = cx.line_number(cx.dockerfile.instructions[later].range.start);
            let in_stage = match cx.model.instructions[later].stage {
                Some(s) if s != op.stage => match &cx.model.stages[s].name {
                    Some(n) => format!(" in stage `{n}`, built on this one,"),
                    None => " in a stage built on this one,".to_string(),
                },
                _ => String::new(),
            };
            let advice = match step.kind {
                StepKind::ManifestInstall => {
                    let names: Vec<String> = step
                        .manifests
                        .iter()
                        .map(|m| m.rsplit('/').next().unwrap_or(m).to_string())
                        .take(2)
                        .collect();
                    format!(
                        "copy only the dependency manifests (`{}`) first, install, then copy the rest",
                        names.join("`, `")
                    )
                }
                StepKind::Download | StepKind::Installer => {
                    "download and install before copying the source".to_string()
                }
                _ => "install the packages before copying the source".to_string(),
            };
            let _ = src;
            cx.report(
                Finding::new(
                    word.range,
                    format!(
                        "`{keyword} {}` comes before `{}` (line {line}),{in_stage} which does not need the copied files: every \
                         source change re-runs it; {advice}",
                        word.value, step.label
                    ),
                )
                .with_related(FileId::MAIN, step.range, "re-runs whenever any copied file changes"),
            );
        }
    }
}

/// The first expensive step after the copy (same stage) in a RUN that does not read the copied tree.
fn first_independent_step(
    cx: &Checker,
    instructions: &[(usize, &Instruction, &InstructionInfo)],
    op: &CopyOp,
) -> Option<(usize, Step)> {
    // The rest of the stage. Stages built on it (`FROM builder AS dev`) inherit the
    // copied layer too, but the fix there is a different base stage: not reported.
    let end = cx.model.stages[op.stage].end;
    let indices: Vec<usize> = (op.instruction + 1..end).collect();
    let mut downloaded = Vec::new();
    let mut current_stage = op.stage;
    for later in indices {
        let (_, inst, info) = instructions[later];
        if info.stage != Some(current_stage) {
            // Downloads of another stage are not files of this one.
            current_stage = info.stage.unwrap_or(current_stage);
            downloaded.clear();
        }
        if inst.keyword != Keyword::Run {
            continue;
        }
        let before = downloaded.clone();
        let mut steps = Vec::new();
        for code in &info.scripts {
            steps.extend(run_steps(code, &info.workdir, &mut downloaded));
        }
        if steps.iter().all(|s| !s.kind.is_expensive()) {
            continue;
        }
        if run_reads_tree(info, &op.dest, &before) {
            continue;
        }
        let candidate = steps.into_iter().find(|s| {
            if !s.kind.is_expensive() {
                return false;
            }
            if s.kind == StepKind::ManifestInstall {
                // The manifest was copied on its own before the whole tree: ordered already.
                let copied_before = s.manifests.iter().any(|m| {
                    cx.model
                        .locate_in_context(current_stage, m, op.instruction)
                        .is_some_and(|l| cx.model.copies[l.copy].instruction != op.instruction)
                });
                return !copied_before;
            }
            true
        });
        if let Some(step) = candidate {
            return Some((later, step));
        }
    }
    None
}
