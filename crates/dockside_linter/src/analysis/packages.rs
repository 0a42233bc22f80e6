//! Package managers: which command installs, updates or cleans, and where caches live.
//!
//! [`classify`] turns one [`SimpleCommand`] into a [`PackageOp`]: the manager
//! (`apt-get`, `apk`, `pip`, `npm`, …), the operation ([`Op`]), the subcommand
//! word, the packages and requirement files named, and whether the command
//! itself avoids the manager's download cache (`apk --no-cache`,
//! `pip --no-cache-dir`, `PIP_NO_CACHE_DIR=1 pip …`).
//!
//! Cache knowledge: [`Manager::cache_dirs`] lists the directories a manager
//! fills, [`Manager::no_cache_env`] the environment variables that disable
//! its cache, and [`is_cache_cleanup`] tells whether a command removes the
//! cache that matters (`rm -rf /var/lib/apt/lists/*`, `yum clean all`,
//! `pip cache purge`, `npm cache clean --force`, …).
//!
//! Paths in [`Manager::cache_dirs`] starting with `~/` are relative to the home
//! directory of the build user (`/root` unless `USER` changed it); use
//! [`path_covers`] to compare a path with them (`$HOME`, `${HOME}`, `~` and
//! `/root` are treated alike).
//!
//! ```ignore
//! use crate::analysis::packages::{classify, is_cache_cleanup, Manager, Op};
//! for cmd in &code.script.commands {
//!     if let Some(op) = classify(cmd) {
//!         if op.manager == Manager::Apt && op.op == Op::Update { /* … */ }
//!     }
//! }
//! ```

use std::borrow::Cow;
use std::ops::Range;

use dockside_shell::{SimpleCommand, Word};

/// A package manager (or a build tool's dependency step).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Manager {
    /// `apt-get`, `apt`, `aptitude`.
    Apt,
    Apk,
    Yum,
    /// `dnf`, `tdnf`.
    Dnf,
    Microdnf,
    Zypper,
    /// `pip`, `pip3`, `pip3.11`, `python -m pip`, `venv/bin/pip`.
    Pip,
    /// `uv pip …`, `uv sync`, `uv add`, `uv tool install`.
    Uv,
    Poetry,
    Pipenv,
    Npm,
    Yarn,
    Pnpm,
    Bun,
    Gem,
    /// `bundle`, `bundler`.
    Bundler,
    Composer,
    /// `go mod download`, `go get`, `go install`.
    Go,
    /// `cargo fetch`, `cargo install`.
    Cargo,
    /// `conda`, `mamba`, `micromamba`.
    Conda,
    /// `mvn dependency:…`.
    Maven,
    /// `gradle`/`gradlew` `dependencies`, `--refresh-dependencies`.
    Gradle,
}

/// What a package-manager command does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// Installs packages (or a project's dependencies).
    Install,
    /// Refreshes the package index (`apt-get update`, `apk update`, `yum makecache`, `zypper refresh`).
    Update,
    /// Upgrades installed packages (`apt-get upgrade`, `yum update`, `npm update`).
    Upgrade,
    /// Cleans a cache (`apt-get clean`, `yum clean all`, `pip cache purge`).
    Clean,
    /// Removes packages.
    Remove,
    /// Anything else (`npm run build`, `apt-get source`, a dynamic subcommand).
    Other,
}

impl Manager {
    /// The command name used in messages (`apt-get`, `pip`, …).
    pub fn name(self) -> &'static str {
        match self {
            Manager::Apt => "apt-get",
            Manager::Apk => "apk",
            Manager::Yum => "yum",
            Manager::Dnf => "dnf",
            Manager::Microdnf => "microdnf",
            Manager::Zypper => "zypper",
            Manager::Pip => "pip",
            Manager::Uv => "uv",
            Manager::Poetry => "poetry",
            Manager::Pipenv => "pipenv",
            Manager::Npm => "npm",
            Manager::Yarn => "yarn",
            Manager::Pnpm => "pnpm",
            Manager::Bun => "bun",
            Manager::Gem => "gem",
            Manager::Bundler => "bundle",
            Manager::Composer => "composer",
            Manager::Go => "go",
            Manager::Cargo => "cargo",
            Manager::Conda => "conda",
            Manager::Maven => "mvn",
            Manager::Gradle => "gradle",
        }
    }

    /// An operating-system package manager (apt, apk, yum, dnf, microdnf, zypper).
    pub fn is_system(self) -> bool {
        matches!(
            self,
            Manager::Apt
                | Manager::Apk
                | Manager::Yum
                | Manager::Dnf
                | Manager::Microdnf
                | Manager::Zypper
        )
    }

    /// Directories the manager fills with downloads and indexes. `~/` means the
    /// build user's home (`/root` by default).
    pub fn cache_dirs(self) -> &'static [&'static str] {
        match self {
            Manager::Apt => &["/var/lib/apt/lists", "/var/cache/apt"],
            Manager::Apk => &["/var/cache/apk", "/etc/apk/cache"],
            Manager::Yum => &["/var/cache/yum", "/var/cache/dnf"],
            Manager::Dnf | Manager::Microdnf => {
                &["/var/cache/dnf", "/var/cache/yum", "/var/cache/tdnf"]
            }
            Manager::Zypper => &["/var/cache/zypp"],
            Manager::Pip => &["~/.cache/pip"],
            Manager::Uv => &["~/.cache/uv"],
            Manager::Poetry => &["~/.cache/pypoetry"],
            Manager::Pipenv => &["~/.cache/pipenv", "~/.cache/pip"],
            Manager::Npm => &["~/.npm"],
            Manager::Yarn => &[
                "/usr/local/share/.cache/yarn",
                "~/.cache/yarn",
                "~/.yarn/berry/cache",
            ],
            Manager::Pnpm => &["~/.local/share/pnpm/store", "~/.cache/pnpm"],
            Manager::Bun => &["~/.bun/install/cache"],
            Manager::Gem => &["~/.gem", "/usr/local/bundle/cache"],
            Manager::Bundler => &["/usr/local/bundle/cache", "~/.bundle/cache"],
            Manager::Composer => &["~/.composer/cache", "~/.cache/composer", "/tmp/cache"],
            Manager::Go => &["/go/pkg/mod", "~/go/pkg/mod", "~/.cache/go-build"],
            Manager::Cargo => &["/usr/local/cargo/registry", "~/.cargo/registry"],
            Manager::Conda => &["/opt/conda/pkgs", "~/.conda/pkgs"],
            Manager::Maven => &["~/.m2"],
            Manager::Gradle => &["~/.gradle"],
        }
    }

    /// Managers that leave a download or index cache in the layer that runs them.
    pub const CACHING: &'static [Manager] = &[
        Manager::Apt,
        Manager::Apk,
        Manager::Yum,
        Manager::Dnf,
        Manager::Microdnf,
        Manager::Zypper,
        Manager::Pip,
        Manager::Npm,
        Manager::Yarn,
        Manager::Conda,
    ];

    /// The cache directories a cleanup must remove for the layer to be clean.
    /// For apt only the package lists count: `apt-get clean` empties
    /// `/var/cache/apt/archives` but leaves `/var/lib/apt/lists`. For the other
    /// managers removing any of [`Manager::cache_dirs`] counts.
    pub fn essential_cache_dirs(self) -> &'static [&'static str] {
        match self {
            Manager::Apt => &["/var/lib/apt/lists"],
            m => m.cache_dirs(),
        }
    }

    /// Environment variables that disable the cache when set (`PIP_NO_CACHE_DIR`).
    pub fn no_cache_env(self) -> &'static [&'static str] {
        match self {
            Manager::Pip => &["PIP_NO_CACHE_DIR"],
            Manager::Uv => &["UV_NO_CACHE"],
            Manager::Poetry => &["POETRY_NO_CACHE"],
            Manager::Pipenv => &["PIPENV_NO_CACHE_DIR", "PIP_NO_CACHE_DIR"],
            Manager::Composer => &["COMPOSER_NO_CACHE"],
            _ => &[],
        }
    }

    /// Files an install without explicit packages reads from the working
    /// directory (`npm ci` reads `package.json` and `package-lock.json`).
    pub fn manifest_files(self) -> &'static [&'static str] {
        match self {
            Manager::Pip => &["requirements.txt"],
            Manager::Uv => &["pyproject.toml", "uv.lock"],
            Manager::Poetry => &["pyproject.toml", "poetry.lock"],
            Manager::Pipenv => &["Pipfile", "Pipfile.lock"],
            Manager::Npm => &["package.json", "package-lock.json", "npm-shrinkwrap.json"],
            Manager::Yarn => &["package.json", "yarn.lock"],
            Manager::Pnpm => &["package.json", "pnpm-lock.yaml"],
            Manager::Bun => &["package.json", "bun.lockb", "bun.lock"],
            Manager::Bundler => &["Gemfile", "Gemfile.lock"],
            Manager::Composer => &["composer.json", "composer.lock"],
            Manager::Go => &["go.mod", "go.sum"],
            Manager::Cargo => &["Cargo.toml", "Cargo.lock"],
            Manager::Conda => &["environment.yml"],
            Manager::Maven => &["pom.xml"],
            Manager::Gradle => &["build.gradle", "build.gradle.kts", "settings.gradle"],
            _ => &[],
        }
    }
}

/// One package-manager command, classified.
#[derive(Clone, Debug)]
pub struct PackageOp<'a> {
    pub manager: Manager,
    pub op: Op,
    pub command: &'a SimpleCommand,
    /// The program word (`apt-get`, `pip`, `python` of `python -m pip`).
    pub program: &'a Word,
    /// The subcommand word(s) that decided `op` (`install`; `cache`+`clean` gives the last one).
    /// `None` for an implicit subcommand (`yarn` alone installs).
    pub subcommand: Option<&'a Word>,
    /// Packages named on the command line (dynamic words included; option values excluded).
    pub packages: Vec<&'a Word>,
    /// Requirement files (`pip install -r requirements.txt`, `conda env create -f env.yml`).
    pub requirement_files: Vec<&'a Word>,
    /// The install reads the project's manifest in the working directory
    /// (`npm ci`, `yarn`, `bundle install`, `go mod download`, `pip install .`,
    /// `poetry install`): see [`Manager::manifest_files`].
    pub from_manifest: bool,
    /// The command itself avoids the download cache (`apk --no-cache`,
    /// `pip --no-cache-dir`, `PIP_NO_CACHE_DIR=1 pip …`, `uv --no-cache`).
    pub no_cache: bool,
    /// The command also refreshes the package index (`apk add --update`,
    /// `dnf --refresh install`, `zypper --refresh`, `apt-get update`).
    pub refreshes_index: bool,
    /// Global install (`npm install -g`, `yarn global add`, `pip install --user` is not global).
    pub global: bool,
}

impl PackageOp<'_> {
    /// From the program word to the subcommand word: the range to report
    /// (`apt-get install`, `pip install`, `python -m pip install`).
    pub fn head_range(&self) -> Range<usize> {
        let start = self.program.range.start;
        let end = self.subcommand.map_or(self.program.range.end, |w| {
            w.range.end.max(self.program.range.end)
        });
        start..end
    }
}

/// Classifies a command as a package-manager operation; `None` when it is not one.
/// `xargs apt-get install -y < packages.txt` counts as the command it runs.
pub fn classify(cmd: &SimpleCommand) -> Option<PackageOp<'_>> {
    classify_argv(cmd, cmd.unwrapped_argv())
}

fn classify_argv<'a>(cmd: &'a SimpleCommand, argv: &'a [Word]) -> Option<PackageOp<'a>> {
    let program = argv.first()?;
    let name = program.value.as_deref().map(base)?;
    if name == "xargs" {
        return classify_argv(cmd, xargs_command(&argv[1..]));
    }
    let mut args: &[Word] = &argv[1..];
    // `python -m pip`, `python3.11 -m pip`.
    if is_python(name) {
        let m = args.iter().position(|w| w.value.as_deref() == Some("-m"))?;
        if args.get(m + 1).and_then(|w| w.value.as_deref()) != Some("pip") {
            return None;
        }
        if args[..m]
            .iter()
            .any(|w| !w.value.as_deref().is_some_and(|v| v.starts_with('-')))
        {
            return None;
        }
        args = &args[m + 2..];
        return Some(finish(cmd, program, pip(args, Manager::Pip), argv));
    }
    let parsed = match name {
        "apt-get" | "apt" | "aptitude" => apt(args),
        "apk" => apk(args),
        "yum" => rpm(args, Manager::Yum),
        "dnf" | "tdnf" => rpm(args, Manager::Dnf),
        "microdnf" => rpm(args, Manager::Microdnf),
        "zypper" => zypper(args),
        n if is_pip(n) => pip(args, Manager::Pip),
        "uv" => uv(args),
        "poetry" => simple(
            args,
            Manager::Poetry,
            &[],
            &["install", "add"],
            &["update"],
            &["remove"],
            &[],
            true,
        ),
        "pipenv" => simple(
            args,
            Manager::Pipenv,
            &[],
            &["install", "sync"],
            &["update"],
            &["uninstall"],
            &[],
            true,
        ),
        "npm" => npm(args),
        "yarn" => yarn(args),
        "pnpm" => simple(
            args,
            Manager::Pnpm,
            &["filter", "C", "dir"],
            &["install", "i", "add"],
            &["update", "up"],
            &["remove", "rm", "uninstall"],
            &[],
            true,
        ),
        "bun" => simple(
            args,
            Manager::Bun,
            &["cwd"],
            &["install", "i", "add", "a"],
            &["update"],
            &["remove", "rm"],
            &[],
            true,
        ),
        "gem" => simple(
            args,
            Manager::Gem,
            &["v", "version", "i", "install-dir", "source", "n", "bindir"],
            &["install", "i"],
            &["update"],
            &["uninstall"],
            &[],
            false,
        ),
        "bundle" | "bundler" => simple(
            args,
            Manager::Bundler,
            &["gemfile", "path", "jobs", "j", "retry", "without", "with"],
            &["install"],
            &["update"],
            &[],
            &[],
            true,
        ),
        "composer" => composer(args),
        "go" => go(args),
        "cargo" => cargo(args),
        "conda" | "mamba" | "micromamba" => conda(args),
        "mvn" | "mvnw" => maven(args),
        "gradle" | "gradlew" => gradle(args),
        _ => return None,
    };
    Some(finish(cmd, program, parsed, argv))
}

/// Whether `cmd` removes the cache of `manager` that matters (see
/// [`Manager::essential_cache_dirs`]): the manager's own clean command
/// (`apk cache clean`, `yum clean all`, `pip cache purge`,
/// `npm cache clean --force`, `yarn cache clean`, `conda clean -a`, …) or an
/// `rm` of one of its cache directories (or a parent, or its contents with a
/// glob). `apt-get clean` does not count: the package lists stay.
pub fn is_cache_cleanup(cmd: &SimpleCommand, manager: Manager) -> bool {
    is_cache_cleanup_of(classify(cmd).as_ref(), rm_targets(cmd).as_deref(), manager)
}

/// [`is_cache_cleanup`] for a command already classified (`op`) and split
/// into `rm` operands (`rm`), when several managers are checked in turn.
pub fn is_cache_cleanup_of(op: Option<&PackageOp>, rm: Option<&[&Word]>, manager: Manager) -> bool {
    if let Some(op) = op {
        let same = op.manager == manager || related_cleaner(op.manager, manager);
        return same && op.op == Op::Clean && cleans_everything(op);
    }
    let Some(targets) = rm else {
        return false;
    };
    targets.iter().any(|t| {
        manager
            .essential_cache_dirs()
            .iter()
            .any(|dir| path_covers(t.text(), dir))
    })
}

/// The cache directories of `manager` (any of [`Manager::cache_dirs`]) that `cmd` removes.
pub fn removed_cache_dirs(cmd: &SimpleCommand, manager: Manager) -> Vec<&'static str> {
    let Some(targets) = rm_targets(cmd) else {
        return Vec::new();
    };
    manager
        .cache_dirs()
        .iter()
        .copied()
        .filter(|dir| targets.iter().any(|t| path_covers(t.text(), dir)))
        .collect()
}

/// The operands of an `rm` command (options removed); `None` when `cmd` is not `rm`.
pub fn rm_targets(cmd: &SimpleCommand) -> Option<Vec<&Word>> {
    if cmd.program() != Some("rm") {
        return None;
    }
    let mut out = Vec::new();
    let mut options = true;
    for w in cmd.args() {
        let t = w.text();
        if options && t == "--" {
            options = false;
            continue;
        }
        if options && t.starts_with('-') && t.len() > 1 {
            continue;
        }
        out.push(w);
    }
    Some(out)
}

/// Whether removing `target` (as written in `rm`, globs allowed) removes the
/// directory `dir` or all of its contents. `~`, `$HOME`, `${HOME}` and `/root`
/// are the same home directory; a `dir` starting with `~/` also matches any
/// `/home/<user>/` prefix. Trailing `/`, `/*`, `/.` and `/**` are ignored.
pub fn path_covers(target: &str, dir: &str) -> bool {
    RemovedPath::new(target).covers(dir)
}

/// An `rm` operand prepared once for [`RemovedPath::covers`] against many directories.
pub struct RemovedPath<'t> {
    text: Cow<'t, str>,
    /// `text[..len]` is the path without its trailing `/`, `/*`, `/.`, `/**`.
    len: usize,
    glob: bool,
}

impl<'t> RemovedPath<'t> {
    pub fn new(target: &'t str) -> Self {
        let text = normalize_home(target);
        let mut t = text.as_ref();
        loop {
            let before = t;
            for suffix in ["/*", "/.", "/**", "/"] {
                if let Some(s) = t.strip_suffix(suffix) {
                    t = s;
                }
            }
            if t == before {
                break;
            }
        }
        let len = t.len();
        let glob = t.contains(['*', '?', '[']);
        RemovedPath { text, len, glob }
    }

    /// See [`path_covers`].
    pub fn covers(&self, dir: &str) -> bool {
        let t = &self.text[..self.len];
        if t.is_empty() {
            // `rm -rf /` or `/*`.
            return true;
        }
        let dir = normalize_home(dir);
        let covers = |prefix: &str, rel: &str| {
            removes_joined(t, prefix, rel) || (self.glob && glob_prefix_match(t, prefix, rel))
        };
        match dir.strip_prefix("~/") {
            Some(rel) => {
                covers("/root/", rel)
                    || covers("~/", rel)
                    || t.strip_prefix("/home/")
                        .and_then(|r| r.split_once('/'))
                        .is_some_and(|(user, _)| covers(&format!("/home/{user}/"), rel))
            }
            None => covers("", &dir),
        }
    }
}

/// Whether `t` is the directory `prefix` + `rel` or one of its ancestors, without
/// building the joined path.
fn removes_joined(t: &str, prefix: &str, rel: &str) -> bool {
    let (d_len, t_len) = (prefix.len() + rel.len(), t.len());
    if t_len > d_len {
        return false;
    }
    let byte_at = |i: usize| {
        if i < prefix.len() {
            prefix.as_bytes()[i]
        } else {
            rel.as_bytes()[i - prefix.len()]
        }
    };
    let same_start = if t_len <= prefix.len() {
        prefix.as_bytes()[..t_len] == *t.as_bytes()
    } else {
        t.as_bytes()[..prefix.len()] == *prefix.as_bytes()
            && rel.as_bytes()[..t_len - prefix.len()] == t.as_bytes()[prefix.len()..]
    };
    same_start && (t_len == d_len || byte_at(t_len) == b'/')
}

/// `~`, `$HOME`, `${HOME}` → `~`; `/root` stays (matched by the candidates).
fn normalize_home(p: &str) -> Cow<'_, str> {
    for prefix in ["${HOME}", "$HOME", "/root"] {
        if let Some(rest) = p.strip_prefix(prefix)
            && (rest.is_empty() || rest.starts_with('/'))
        {
            return Cow::Owned(format!("~{rest}"));
        }
    }
    Cow::Borrowed(p)
}

/// A glob target like `/var/cache/apt/*` or `/var/lib/apt/lists*` that matches
/// the directory `prefix` + `rel` or one of its ancestors.
fn glob_prefix_match(pattern: &str, prefix: &str, rel: &str) -> bool {
    if !pattern.contains(['*', '?', '[']) {
        return false;
    }
    // Compare component by component: every pattern component must match the
    // directory's component (the pattern may stop early: it removes an ancestor).
    let mut pattern = home_components("", pattern);
    let mut dir = home_components(prefix, rel);
    loop {
        match (pattern.next(), dir.next()) {
            (None, _) => return true,
            (Some(_), None) => return false,
            (Some(p), Some(d)) if !glob_match(p, d) => return false,
            _ => {}
        }
    }
}

/// The `/`-separated components of `prefix` + `rel` (`prefix` empty or ending in
/// `/`), a leading `~/` read as `/root/`.
fn home_components<'p>(prefix: &'p str, rel: &'p str) -> impl Iterator<Item = &'p str> {
    let (home, prefix, rel): (&[&str], &str, &str) = match (prefix, rel.strip_prefix("~/")) {
        ("", Some(rest)) => (&["", "root"], "", rest),
        _ => match prefix.strip_prefix("~/") {
            Some(rest) => (&["", "root"], rest, rel),
            None => (&[], prefix, rel),
        },
    };
    home.iter()
        .copied()
        .chain(
            prefix
                .strip_suffix('/')
                .into_iter()
                .flat_map(|p| p.split('/')),
        )
        .chain(rel.split('/'))
}

/// Minimal glob: `*`, `?` and `[…]` (treated as one any-character). Linear
/// backtracking to the last `*`: a pattern of many stars cannot blow up.
fn glob_match(pattern: &str, text: &str) -> bool {
    let p = pattern.as_bytes();
    let (mut pi, mut ti) = (0, 0);
    // After a mismatch: retry just past the last `*`, with it eating one more character.
    let mut star: Option<(usize, usize)> = None;
    let char_len = |at: usize| text[at..].chars().next().map_or(1, char::len_utf8);
    while ti < text.len() {
        let advanced = match p.get(pi) {
            Some(b'*') => {
                star = Some((pi + 1, ti));
                pi += 1;
                continue;
            }
            Some(b'?') => Some(pi + 1),
            Some(b'[') => match p[pi..].iter().position(|&b| b == b']') {
                Some(end) => Some(pi + end + 1),
                None => (text.as_bytes()[ti] == b'[').then_some(pi + 1),
            },
            Some(_) => {
                let c = pattern[pi..].chars().next().map_or(0, char::len_utf8);
                text[ti..]
                    .starts_with(&pattern[pi..pi + c])
                    .then_some(pi + c)
            }
            None => None,
        };
        match (advanced, star) {
            (Some(next), _) => {
                pi = next;
                ti += char_len(ti);
            }
            (None, Some((after_star, from))) => {
                let from = from + char_len(from);
                star = Some((after_star, from));
                pi = after_star;
                ti = from;
            }
            (None, None) => return false,
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

// ---------------------------------------------------------------------------
// Per-manager parsing.

struct Parsed<'a> {
    manager: Manager,
    op: Op,
    subcommand: Option<&'a Word>,
    packages: Vec<&'a Word>,
    requirement_files: Vec<&'a Word>,
    from_manifest: bool,
    no_cache: bool,
    refreshes_index: bool,
    global: bool,
}

impl<'a> Parsed<'a> {
    fn new(manager: Manager, op: Op, subcommand: Option<&'a Word>) -> Self {
        Parsed {
            manager,
            op,
            subcommand,
            packages: Vec::new(),
            requirement_files: Vec::new(),
            from_manifest: false,
            no_cache: false,
            refreshes_index: false,
            global: false,
        }
    }
}

/// The command line `xargs` runs: what follows its options.
fn xargs_command(args: &[Word]) -> &[Word] {
    const WITH_VALUE: &[&str] = &[
        "-a",
        "-d",
        "-E",
        "-e",
        "-I",
        "-i",
        "-L",
        "-l",
        "-n",
        "-P",
        "-s",
        "--arg-file",
        "--delimiter",
        "--max-args",
        "--max-procs",
        "--max-lines",
        "--max-chars",
        "--replace",
        "--eof",
    ];
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let t = w.text();
        if t == "--" {
            return &args[i + 1..];
        }
        if !t.starts_with('-') {
            return &args[i..];
        }
        i += if WITH_VALUE.contains(&t) { 2 } else { 1 };
    }
    &[]
}

fn finish<'a>(
    cmd: &'a SimpleCommand,
    program: &'a Word,
    p: Parsed<'a>,
    argv: &'a [Word],
) -> PackageOp<'a> {
    let mut no_cache = p.no_cache;
    // `PIP_NO_CACHE_DIR=1 pip …` or `env PIP_NO_CACHE_DIR=1 pip …`.
    let env_words = cmd
        .argv
        .iter()
        .take_while(|w| !std::ptr::eq(*w, &argv[0]))
        .map(|w| w.text());
    let assigned = cmd
        .assignments
        .iter()
        .map(|a| (a.name.as_str(), a.value.text()))
        .chain(env_words.filter_map(|w| w.split_once('=')));
    for (name, value) in assigned {
        if p.manager.no_cache_env().contains(&name) && env_value_true(value) {
            no_cache = true;
        }
    }
    PackageOp {
        manager: p.manager,
        op: p.op,
        command: cmd,
        program,
        subcommand: p.subcommand,
        packages: p.packages,
        requirement_files: p.requirement_files,
        from_manifest: p.from_manifest,
        no_cache,
        refreshes_index: p.refreshes_index || p.op == Op::Update,
        global: p.global,
    }
}

/// Whether an environment value turns a boolean setting on (`1`, `true`, `yes`, `on`, anything not false-like).
pub fn env_value_true(value: &str) -> bool {
    !matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "" | "0" | "false" | "no" | "off"
    )
}

fn base(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn is_python(name: &str) -> bool {
    name == "python"
        || name
            .strip_prefix("python")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn is_pip(name: &str) -> bool {
    name == "pip"
        || name
            .strip_prefix("pip")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Splits `args` into positional words (with their indices), skipping options
/// and the separate values of options listed in `value_opts` (single letters
/// are short options, longer names long options).
fn positionals<'a>(args: &'a [Word], value_opts: &[&str]) -> Vec<(usize, &'a Word)> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut options = true;
    while i < args.len() {
        let w = &args[i];
        let t = w.text();
        if options && t == "--" {
            options = false;
            i += 1;
            continue;
        }
        if options && t.starts_with("--") {
            let name = &t[2..];
            if !name.contains('=') && value_opts.contains(&name) {
                i += 1;
            }
        } else if options && t.starts_with('-') && t.len() > 1 {
            // Short cluster: a value option as its last letter takes the next word.
            let letters = &t[1..];
            if let Some(pos) = letters
                .char_indices()
                .find(|(_, c)| value_opts.iter().any(|o| o.len() == 1 && o.starts_with(*c)))
                && pos.0 + 1 == letters.len()
            {
                i += 1;
            }
        } else {
            out.push((i, w));
        }
        i += 1;
    }
    out
}

fn has(args: &[Word], short: Option<char>, long: Option<&str>) -> bool {
    let long = long.map(|l| l.trim_start_matches('-'));
    for w in args {
        let Some(v) = w.value.as_deref() else {
            continue;
        };
        if v == "--" {
            break;
        }
        if let Some(rest) = v.strip_prefix("--") {
            if let Some(l) = long
                && let Some(after) = rest.strip_prefix(l)
                && (after.is_empty() || after.starts_with('='))
            {
                return true;
            }
        } else if let Some(rest) = v.strip_prefix('-')
            && let Some(c) = short
            && rest
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .any(|x| x == c)
        {
            return true;
        }
    }
    false
}

fn sub_is(w: Option<&(usize, &Word)>, names: &[&str]) -> bool {
    w.and_then(|(_, w)| w.value.as_deref())
        .is_some_and(|v| names.contains(&v))
}

fn apt(args: &[Word]) -> Parsed<'_> {
    let pos = positionals(
        args,
        &[
            "o",
            "c",
            "t",
            "a",
            "option",
            "config-file",
            "target-release",
            "host-architecture",
        ],
    );
    let Some(&(_, sub)) = pos.first() else {
        return Parsed::new(Manager::Apt, Op::Other, None);
    };
    let op = match sub.value.as_deref() {
        Some("install" | "reinstall" | "build-dep") => Op::Install,
        Some("update") => Op::Update,
        Some("upgrade" | "dist-upgrade" | "full-upgrade" | "safe-upgrade") => Op::Upgrade,
        Some("clean" | "autoclean" | "distclean" | "dist-clean") => Op::Clean,
        Some("remove" | "purge" | "autoremove" | "autopurge") => Op::Remove,
        _ => Op::Other,
    };
    let mut p = Parsed::new(Manager::Apt, op, Some(sub));
    if matches!(op, Op::Install | Op::Remove | Op::Upgrade) {
        p.packages = pos[1..].iter().map(|(_, w)| *w).collect();
    }
    p
}

fn apk(args: &[Word]) -> Parsed<'_> {
    let pos = positionals(
        args,
        &[
            "X",
            "repository",
            "t",
            "virtual",
            "p",
            "root",
            "arch",
            "keys-dir",
            "repositories-file",
            "cache-dir",
            "cache-max-age",
            "wait",
        ],
    );
    let Some(&(_, sub)) = pos.first() else {
        return Parsed::new(Manager::Apk, Op::Other, None);
    };
    let (op, rest_from) = match sub.value.as_deref() {
        Some("add") => (Op::Install, 1),
        Some("del") => (Op::Remove, 1),
        Some("update") => (Op::Update, 1),
        Some("upgrade") => (Op::Upgrade, 1),
        Some("cache") if sub_is(pos.get(1), &["clean", "purge"]) => (Op::Clean, 2),
        _ => (Op::Other, 1),
    };
    let sub = if rest_from == 2 { pos[1].1 } else { sub };
    let mut p = Parsed::new(Manager::Apk, op, Some(sub));
    if matches!(op, Op::Install | Op::Remove | Op::Upgrade) {
        p.packages = pos[rest_from..].iter().map(|(_, w)| *w).collect();
    }
    // `--no-network` installs from what is already there: nothing is fetched or cached.
    p.no_cache = has(args, None, Some("no-cache")) || has(args, None, Some("no-network"));
    p.refreshes_index =
        has(args, Some('U'), Some("update-cache")) || has(args, None, Some("update"));
    p
}

fn rpm(args: &[Word], manager: Manager) -> Parsed<'_> {
    let pos = positionals(
        args,
        &[
            "c",
            "x",
            "d",
            "e",
            "R",
            "config",
            "exclude",
            "enablerepo",
            "disablerepo",
            "setopt",
            "installroot",
            "releasever",
            "repo",
            "repoid",
            "forcearch",
            "nodocs-x",
        ],
    );
    let Some(&(_, sub)) = pos.first() else {
        return Parsed::new(manager, Op::Other, None);
    };
    let (op, rest_from) = match sub.value.as_deref() {
        Some("install" | "groupinstall" | "localinstall" | "reinstall" | "builddep" | "in") => {
            (Op::Install, 1)
        }
        Some("group" | "groups" | "module") if sub_is(pos.get(1), &["install"]) => (Op::Install, 2),
        Some(
            "update" | "upgrade" | "update-minimal" | "upgrade-minimal" | "distro-sync"
            | "distrosync",
        ) => (Op::Upgrade, 1),
        Some("makecache" | "check-update" | "check-upgrade") => (Op::Update, 1),
        Some("clean") => (Op::Clean, 1),
        Some("remove" | "erase" | "autoremove" | "groupremove") => (Op::Remove, 1),
        _ => (Op::Other, 1),
    };
    let sub_word = if rest_from == 2 { pos[1].1 } else { sub };
    let mut p = Parsed::new(manager, op, Some(sub_word));
    let rest: Vec<&Word> = pos[rest_from..].iter().map(|(_, w)| *w).collect();
    if op == Op::Clean {
        // `yum clean all` / `dnf clean packages metadata`: keep the targets as "packages".
        p.packages = rest;
    } else if matches!(op, Op::Install | Op::Remove | Op::Upgrade) {
        p.packages = rest;
    }
    p.refreshes_index = has(args, None, Some("refresh"));
    p
}

fn zypper(args: &[Word]) -> Parsed<'_> {
    let pos = positionals(
        args,
        &[
            "R",
            "root",
            "c",
            "config",
            "D",
            "reposd-dir",
            "C",
            "cache-dir",
            "t",
            "type",
            "r",
            "repo",
            "from",
        ],
    );
    let Some(&(_, sub)) = pos.first() else {
        return Parsed::new(Manager::Zypper, Op::Other, None);
    };
    let op = match sub.value.as_deref() {
        Some("install" | "in" | "source-install" | "si") => Op::Install,
        Some("refresh" | "ref") => Op::Update,
        Some("update" | "up" | "dist-upgrade" | "dup" | "patch") => Op::Upgrade,
        Some("clean" | "cc") => Op::Clean,
        Some("remove" | "rm") => Op::Remove,
        _ => Op::Other,
    };
    let mut p = Parsed::new(Manager::Zypper, op, Some(sub));
    if matches!(op, Op::Install | Op::Remove | Op::Upgrade) {
        p.packages = pos[1..].iter().map(|(_, w)| *w).collect();
    }
    p.refreshes_index = has(args, None, Some("refresh"));
    p
}

const PIP_VALUE_OPTS: &[&str] = &[
    "r",
    "requirement",
    "c",
    "constraint",
    "e",
    "editable",
    "i",
    "index-url",
    "extra-index-url",
    "f",
    "find-links",
    "t",
    "target",
    "prefix",
    "root",
    "trusted-host",
    "src",
    "upgrade-strategy",
    "platform",
    "python-version",
    "implementation",
    "abi",
    "only-binary",
    "no-binary",
    "global-option",
    "C",
    "config-settings",
    "progress-bar",
    "log",
    "cache-dir",
    "timeout",
    "retries",
    "proxy",
    "cert",
    "client-cert",
    "exists-action",
    "python",
    "report",
    "root-user-action",
    "keyring-provider",
];

fn pip<'a>(args: &'a [Word], manager: Manager) -> Parsed<'a> {
    let pos = positionals(args, PIP_VALUE_OPTS);
    let Some(&(sub_index, sub)) = pos.first() else {
        return Parsed::new(manager, Op::Other, None);
    };
    let (op, rest_from) = match sub.value.as_deref() {
        Some("install") => (Op::Install, 1),
        Some("uninstall") => (Op::Remove, 1),
        Some("download" | "wheel") => (Op::Other, 1),
        Some("cache") if sub_is(pos.get(1), &["purge", "remove"]) => (Op::Clean, 2),
        _ => (Op::Other, 1),
    };
    let sub_word = if rest_from == 2 { pos[1].1 } else { sub };
    let mut p = Parsed::new(manager, op, Some(sub_word));
    let after = &args[sub_index + 1..];
    if op == Op::Install {
        p.packages = pos[rest_from..].iter().map(|(_, w)| *w).collect();
        p.requirement_files = option_values(after, 'r', "requirement");
        let editable = option_values(after, 'e', "editable");
        p.from_manifest = !p.requirement_files.is_empty()
            || p.packages
                .iter()
                .chain(&editable)
                .any(|w| matches!(w.text(), "." | "./") || w.text().starts_with("./"));
        p.packages.extend(editable);
    } else if op == Op::Remove {
        p.packages = pos[rest_from..].iter().map(|(_, w)| *w).collect();
    }
    p.no_cache = has(args, None, Some("no-cache-dir"));
    p.global = false;
    p
}

/// Values of `-x value`, `-xvalue`, `--long value`, `--long=value`.
fn option_values<'a>(args: &'a [Word], short: char, long: &str) -> Vec<&'a Word> {
    let mut out = Vec::new();
    let mut i = 0;
    let short_flag = format!("-{short}");
    let long_flag = format!("--{long}");
    while i < args.len() {
        let t = args[i].text();
        if t == "--" {
            break;
        }
        if t == short_flag || t == long_flag {
            if let Some(w) = args.get(i + 1) {
                out.push(w);
            }
            i += 2;
            continue;
        }
        if t.starts_with(&format!("{long_flag}="))
            || (t.starts_with(&short_flag) && !t.starts_with("--") && t.len() > 2)
        {
            out.push(&args[i]);
        }
        i += 1;
    }
    out
}

fn uv(args: &[Word]) -> Parsed<'_> {
    let pos = positionals(
        args,
        &[
            "directory",
            "project",
            "python",
            "p",
            "cache-dir",
            "index-url",
            "extra-index-url",
            "i",
            "f",
        ],
    );
    let first = pos.first().and_then(|(_, w)| w.value.as_deref());
    let mut p = match first {
        Some("pip") => {
            let (i, _) = pos[0];
            let mut inner = pip(&args[i + 1..], Manager::Uv);
            if inner.op == Op::Other && sub_is(pos.get(1), &["sync"]) {
                inner.op = Op::Install;
                inner.from_manifest = true;
            }
            inner
        }
        Some("sync") => {
            let mut p = Parsed::new(Manager::Uv, Op::Install, Some(pos[0].1));
            p.from_manifest = true;
            p
        }
        Some("add") => {
            let mut p = Parsed::new(Manager::Uv, Op::Install, Some(pos[0].1));
            p.packages = pos[1..].iter().map(|(_, w)| *w).collect();
            p
        }
        Some("tool") if sub_is(pos.get(1), &["install"]) => {
            let mut p = Parsed::new(Manager::Uv, Op::Install, Some(pos[1].1));
            p.packages = pos[2..].iter().map(|(_, w)| *w).collect();
            p.global = true;
            p
        }
        Some("remove") => Parsed::new(Manager::Uv, Op::Remove, Some(pos[0].1)),
        Some("cache") if sub_is(pos.get(1), &["clean", "prune"]) => {
            Parsed::new(Manager::Uv, Op::Clean, Some(pos[1].1))
        }
        _ => Parsed::new(Manager::Uv, Op::Other, pos.first().map(|(_, w)| *w)),
    };
    p.no_cache |= has(args, Some('n'), Some("no-cache"));
    p
}

#[allow(clippy::too_many_arguments)]
fn simple<'a>(
    args: &'a [Word],
    manager: Manager,
    value_opts: &[&str],
    install: &[&str],
    upgrade: &[&str],
    remove: &[&str],
    clean: &[&str],
    manifest_when_empty: bool,
) -> Parsed<'a> {
    let pos = positionals(args, value_opts);
    let Some(&(_, sub)) = pos.first() else {
        return Parsed::new(manager, Op::Other, None);
    };
    let v = sub.value.as_deref().unwrap_or("");
    let mut rest_from = 1;
    let op = if install.contains(&v) {
        Op::Install
    } else if upgrade.contains(&v) {
        Op::Upgrade
    } else if remove.contains(&v) {
        Op::Remove
    } else if clean.contains(&v) {
        Op::Clean
    } else {
        match (manager, v) {
            (Manager::Poetry, "cache") if sub_is(pos.get(1), &["clear"]) => {
                rest_from = 2;
                Op::Clean
            }
            (Manager::Pnpm, "store") if sub_is(pos.get(1), &["prune"]) => {
                rest_from = 2;
                Op::Clean
            }
            (Manager::Bun, "pm") if sub_is(pos.get(1), &["cache"]) => {
                rest_from = 2;
                if sub_is(pos.get(2), &["rm"]) {
                    Op::Clean
                } else {
                    Op::Other
                }
            }
            _ => Op::Other,
        }
    };
    let sub = pos[rest_from - 1].1;
    let mut p = Parsed::new(manager, op, Some(sub));
    if matches!(op, Op::Install | Op::Remove | Op::Upgrade) {
        p.packages = pos[rest_from..].iter().map(|(_, w)| *w).collect();
        if op == Op::Install && manifest_when_empty && p.packages.is_empty() {
            p.from_manifest = true;
        }
    }
    p.no_cache =
        matches!(manager, Manager::Poetry | Manager::Bun) && has(args, None, Some("no-cache"));
    p.global = has(args, Some('g'), Some("global"));
    p
}

fn npm(args: &[Word]) -> Parsed<'_> {
    let pos = positionals(
        args,
        &[
            "prefix",
            "C",
            "registry",
            "cache",
            "omit",
            "include",
            "only",
            "w",
            "workspace",
            "loglevel",
            "userconfig",
            "tag",
        ],
    );
    let Some(&(_, sub)) = pos.first() else {
        return Parsed::new(Manager::Npm, Op::Other, None);
    };
    let (op, rest_from) = match sub.value.as_deref() {
        Some(
            "install" | "i" | "in" | "ins" | "inst" | "insta" | "instal" | "isnt" | "isnta"
            | "isntal" | "isntall" | "add" | "ci" | "clean-install" | "install-clean" | "ic",
        ) => (Op::Install, 1),
        Some("update" | "up" | "upgrade" | "udpate") => (Op::Upgrade, 1),
        Some("uninstall" | "unlink" | "remove" | "rm" | "r" | "un") => (Op::Remove, 1),
        Some("cache") if sub_is(pos.get(1), &["clean", "clear", "rm"]) => (Op::Clean, 2),
        _ => (Op::Other, 1),
    };
    let sub_word = pos[rest_from - 1].1;
    let mut p = Parsed::new(Manager::Npm, op, Some(sub_word));
    if matches!(op, Op::Install | Op::Remove | Op::Upgrade) {
        p.packages = pos[rest_from..].iter().map(|(_, w)| *w).collect();
        p.from_manifest = op == Op::Install && p.packages.is_empty();
    }
    p.global = has(args, Some('g'), Some("global"));
    p
}

fn yarn(args: &[Word]) -> Parsed<'_> {
    let pos = positionals(
        args,
        &[
            "cwd",
            "cache-folder",
            "modules-folder",
            "network-timeout",
            "mutex",
            "registry",
            "global-folder",
        ],
    );
    let Some(&(_, sub)) = pos.first() else {
        if args
            .iter()
            .any(|w| matches!(w.text(), "--version" | "-v" | "--help" | "-h"))
        {
            return Parsed::new(Manager::Yarn, Op::Other, None);
        }
        // `yarn` / `yarn --frozen-lockfile` installs.
        let mut p = Parsed::new(Manager::Yarn, Op::Install, None);
        p.from_manifest = true;
        return p;
    };
    let mut global = false;
    let (op, rest_from) = match sub.value.as_deref() {
        Some("install") => (Op::Install, 1),
        Some("add") => (Op::Install, 1),
        Some("global") if sub_is(pos.get(1), &["add"]) => {
            global = true;
            (Op::Install, 2)
        }
        Some("workspaces") if sub_is(pos.get(1), &["focus"]) => (Op::Install, 2),
        Some("upgrade" | "up") => (Op::Upgrade, 1),
        Some("remove") => (Op::Remove, 1),
        Some("cache") if sub_is(pos.get(1), &["clean"]) => (Op::Clean, 2),
        _ => (Op::Other, 1),
    };
    let sub_word = pos[rest_from - 1].1;
    let mut p = Parsed::new(Manager::Yarn, op, Some(sub_word));
    if matches!(op, Op::Install | Op::Remove | Op::Upgrade) {
        p.packages = pos[rest_from..].iter().map(|(_, w)| *w).collect();
        p.from_manifest = op == Op::Install && p.packages.is_empty();
    }
    p.global = global;
    p
}

fn composer(args: &[Word]) -> Parsed<'_> {
    let pos = positionals(args, &["d", "working-dir"]);
    let Some(&(_, sub)) = pos.first() else {
        return Parsed::new(Manager::Composer, Op::Other, None);
    };
    let (op, rest_from, global) = match (
        sub.value.as_deref(),
        pos.get(1).and_then(|(_, w)| w.value.as_deref()),
    ) {
        (Some("global"), Some("require")) => (Op::Install, 2, true),
        (Some("install" | "i" | "require" | "req"), _) => (Op::Install, 1, false),
        (Some("update" | "u" | "upgrade"), _) => (Op::Upgrade, 1, false),
        (Some("remove" | "rm"), _) => (Op::Remove, 1, false),
        (Some("clear-cache" | "clearcache" | "cc"), _) => (Op::Clean, 1, false),
        _ => (Op::Other, 1, false),
    };
    let mut p = Parsed::new(Manager::Composer, op, Some(pos[rest_from - 1].1));
    if matches!(op, Op::Install | Op::Remove | Op::Upgrade) {
        p.packages = pos[rest_from..].iter().map(|(_, w)| *w).collect();
        p.from_manifest = op == Op::Install && p.packages.is_empty();
    }
    p.no_cache = has(args, None, Some("no-cache"));
    p.global = global;
    p
}

fn go(args: &[Word]) -> Parsed<'_> {
    let pos = positionals(
        args,
        &["C", "o", "p", "tags", "ldflags", "gcflags", "modfile"],
    );
    let Some(&(_, sub)) = pos.first() else {
        return Parsed::new(Manager::Go, Op::Other, None);
    };
    let (op, rest_from) = match sub.value.as_deref() {
        Some("mod") if sub_is(pos.get(1), &["download"]) => (Op::Install, 2),
        Some("get" | "install") => (Op::Install, 1),
        Some("clean") if has(args, None, Some("modcache")) => (Op::Clean, 1),
        _ => (Op::Other, 1),
    };
    let mut p = Parsed::new(Manager::Go, op, Some(pos[rest_from - 1].1));
    if op == Op::Install {
        p.packages = pos[rest_from..].iter().map(|(_, w)| *w).collect();
        p.from_manifest = p.packages.is_empty();
    }
    p
}

fn cargo(args: &[Word]) -> Parsed<'_> {
    let pos = positionals(
        args,
        &[
            "root",
            "version",
            "git",
            "branch",
            "tag",
            "rev",
            "path",
            "j",
            "jobs",
            "target",
            "features",
            "F",
            "manifest-path",
            "Z",
        ],
    );
    let Some(&(_, sub)) = pos.first() else {
        return Parsed::new(Manager::Cargo, Op::Other, None);
    };
    let op = match sub.value.as_deref() {
        Some("fetch" | "install") => Op::Install,
        Some("uninstall") => Op::Remove,
        Some("update") => Op::Upgrade,
        _ => Op::Other,
    };
    let mut p = Parsed::new(Manager::Cargo, op, Some(sub));
    if op == Op::Install {
        p.packages = pos[1..].iter().map(|(_, w)| *w).collect();
        p.from_manifest = p.packages.is_empty() && sub.value.as_deref() == Some("fetch");
        p.global = sub.value.as_deref() == Some("install");
    }
    p
}

fn conda(args: &[Word]) -> Parsed<'_> {
    let pos = positionals(
        args,
        &[
            "n",
            "name",
            "p",
            "prefix",
            "c",
            "channel",
            "f",
            "file",
            "r",
            "root-prefix",
        ],
    );
    let Some(&(_, sub)) = pos.first() else {
        return Parsed::new(Manager::Conda, Op::Other, None);
    };
    let (op, rest_from) = match sub.value.as_deref() {
        Some("install" | "create") => (Op::Install, 1),
        Some("env") if sub_is(pos.get(1), &["create", "update"]) => (Op::Install, 2),
        Some("update" | "upgrade") => (Op::Upgrade, 1),
        Some("remove" | "uninstall") => (Op::Remove, 1),
        Some("clean") => (Op::Clean, 1),
        _ => (Op::Other, 1),
    };
    let mut p = Parsed::new(Manager::Conda, op, Some(pos[rest_from - 1].1));
    if matches!(op, Op::Install | Op::Remove | Op::Upgrade) {
        p.packages = pos[rest_from..].iter().map(|(_, w)| *w).collect();
        p.requirement_files = option_values(args, 'f', "file");
        p.from_manifest = !p.requirement_files.is_empty();
    }
    p
}

fn maven(args: &[Word]) -> Parsed<'_> {
    let pos = positionals(
        args,
        &[
            "f",
            "file",
            "s",
            "settings",
            "P",
            "activate-profiles",
            "pl",
            "projects",
            "T",
            "threads",
            "D",
        ],
    );
    let dep = pos
        .iter()
        .find(|(_, w)| w.text().starts_with("dependency:") || w.text().contains(":go-offline"));
    match dep {
        Some(&(_, w)) => {
            let mut p = Parsed::new(Manager::Maven, Op::Install, Some(w));
            p.from_manifest = true;
            p
        }
        None => Parsed::new(Manager::Maven, Op::Other, pos.first().map(|(_, w)| *w)),
    }
}

fn gradle(args: &[Word]) -> Parsed<'_> {
    let pos = positionals(
        args,
        &[
            "p",
            "project-dir",
            "b",
            "build-file",
            "c",
            "settings-file",
            "g",
            "gradle-user-home",
            "x",
            "exclude-task",
        ],
    );
    let dep = pos.iter().find(|(_, w)| {
        matches!(
            w.text(),
            "dependencies" | "downloadDependencies" | "resolveDependencies"
        )
    });
    let refresh = args.iter().find(|w| w.text() == "--refresh-dependencies");
    match dep.map(|(_, w)| *w).or(refresh) {
        Some(w) => {
            let mut p = Parsed::new(Manager::Gradle, Op::Install, Some(w));
            p.from_manifest = true;
            p
        }
        None => Parsed::new(Manager::Gradle, Op::Other, pos.first().map(|(_, w)| *w)),
    }
}

/// Managers whose clean command also empties `target`'s cache (dnf cleans yum's directory).
fn related_cleaner(cleaner: Manager, target: Manager) -> bool {
    matches!(
        (cleaner, target),
        (
            Manager::Yum | Manager::Dnf | Manager::Microdnf,
            Manager::Yum | Manager::Dnf | Manager::Microdnf
        )
    )
}

/// Whether a clean operation empties the download cache (`yum clean metadata` does not).
fn cleans_everything(op: &PackageOp) -> bool {
    match op.manager {
        // The lists stay: only `apt-get dist-clean` removes them.
        Manager::Apt => op
            .subcommand
            .is_some_and(|w| matches!(w.text(), "distclean" | "dist-clean")),
        Manager::Yum | Manager::Dnf | Manager::Microdnf => {
            op.packages.is_empty()
                || op
                    .packages
                    .iter()
                    .any(|w| matches!(w.text(), "all" | "packages" | "dbcache" | "metadata"))
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(src: &str) -> dockside_shell::Script {
        dockside_shell::parse(src)
    }

    fn op_of(src: &str) -> Option<(Manager, Op, Vec<String>, bool)> {
        let s = first(src);
        let cmd = s.commands.first()?;
        let op = classify(cmd)?;
        Some((
            op.manager,
            op.op,
            op.packages.iter().map(|w| w.text().to_string()).collect(),
            op.no_cache,
        ))
    }

    #[test]
    fn looks_inside_xargs() {
        assert_eq!(
            op_of("xargs -rt apt-get install -y --no-install-recommends").map(|o| (o.0, o.1)),
            Some((Manager::Apt, Op::Install))
        );
        assert_eq!(op_of("xargs -n 1 -P 4 echo").map(|o| o.1), None);
    }

    #[test]
    fn classifies_system_managers() {
        assert_eq!(
            op_of("apt-get -y install --no-install-recommends curl ca-certificates"),
            Some((
                Manager::Apt,
                Op::Install,
                vec!["curl".into(), "ca-certificates".into()],
                false
            ))
        );
        assert_eq!(
            op_of("apt-get -o Acquire::Retries=3 update").map(|o| o.1),
            Some(Op::Update)
        );
        assert_eq!(
            op_of("sudo apt -q dist-upgrade").map(|o| o.1),
            Some(Op::Upgrade)
        );
        assert_eq!(op_of("apt-get clean").map(|o| o.1), Some(Op::Clean));
        assert_eq!(
            op_of("apt-get purge -y --auto-remove gcc").map(|o| (o.1, o.2)),
            Some((Op::Remove, vec!["gcc".into()]))
        );
        assert_eq!(
            op_of("apk add --no-cache --virtual .build-deps gcc musl-dev"),
            Some((
                Manager::Apk,
                Op::Install,
                vec!["gcc".into(), "musl-dev".into()],
                true
            ))
        );
        assert_eq!(op_of("apk cache clean").map(|o| o.1), Some(Op::Clean));
        assert_eq!(
            op_of("yum install -y --setopt=tsflags=nodocs httpd").map(|o| (o.0, o.1, o.2)),
            Some((Manager::Yum, Op::Install, vec!["httpd".into()]))
        );
        assert_eq!(
            op_of("dnf --enablerepo crb -y install git").map(|o| o.2),
            Some(vec!["git".into()])
        );
        assert_eq!(op_of("yum -y update").map(|o| o.1), Some(Op::Upgrade));
        assert_eq!(
            op_of("microdnf clean all").map(|o| (o.0, o.1)),
            Some((Manager::Microdnf, Op::Clean))
        );
        assert_eq!(
            op_of("zypper -n in -y curl").map(|o| (o.0, o.1, o.2)),
            Some((Manager::Zypper, Op::Install, vec!["curl".into()]))
        );
        assert_eq!(
            op_of("zypper --non-interactive refresh").map(|o| o.1),
            Some(Op::Update)
        );
        assert!(op_of("apt-cache policy").is_none());
        assert!(op_of("echo apt-get install").is_none());
    }

    #[test]
    fn classifies_language_managers() {
        assert_eq!(
            op_of("pip install --no-cache-dir -r requirements.txt flask"),
            Some((Manager::Pip, Op::Install, vec!["flask".into()], true))
        );
        assert_eq!(
            op_of("python3 -m pip install -U pip").map(|o| (o.0, o.1, o.2)),
            Some((Manager::Pip, Op::Install, vec!["pip".into()]))
        );
        assert_eq!(
            op_of("venv/bin/pip install gunicorn").map(|o| o.0),
            Some(Manager::Pip)
        );
        assert_eq!(op_of("pip3.11 install x").map(|o| o.0), Some(Manager::Pip));
        assert_eq!(
            op_of("PIP_NO_CACHE_DIR=1 pip install x").map(|o| o.3),
            Some(true)
        );
        assert_eq!(
            op_of("env PIP_NO_CACHE_DIR=on pip install x").map(|o| o.3),
            Some(true)
        );
        assert_eq!(op_of("pip cache purge").map(|o| o.1), Some(Op::Clean));
        assert!(op_of("python -m venv venv").is_none());
        assert!(op_of("python manage.py migrate").is_none());
        assert_eq!(
            op_of("uv pip install --system requests").map(|o| (o.0, o.1)),
            Some((Manager::Uv, Op::Install))
        );
        assert_eq!(
            op_of("npm ci --omit dev").map(|o| (o.0, o.1, o.2)),
            Some((Manager::Npm, Op::Install, vec![]))
        );
        assert_eq!(
            op_of("npm install -g yarn@1").map(|o| o.2),
            Some(vec!["yarn@1".into()])
        );
        assert_eq!(op_of("npm run build").map(|o| o.1), Some(Op::Other));
        assert_eq!(
            op_of("npm cache clean --force").map(|o| o.1),
            Some(Op::Clean)
        );
        assert_eq!(
            op_of("yarn --frozen-lockfile").map(|o| (o.0, o.1)),
            Some((Manager::Yarn, Op::Install))
        );
        assert_eq!(op_of("yarn build").map(|o| o.1), Some(Op::Other));
        assert_eq!(op_of("yarn --version").map(|o| o.1), Some(Op::Other));
        assert_eq!(
            op_of("apk add --no-network --virtual .rundeps $deps").map(|o| o.3),
            Some(true)
        );
        assert_eq!(
            op_of("yarn global add serve").map(|o| (o.1, o.2)),
            Some((Op::Install, vec!["serve".into()]))
        );
        assert_eq!(op_of("yarn cache clean").map(|o| o.1), Some(Op::Clean));
        assert_eq!(
            op_of("go mod download").map(|o| (o.0, o.1)),
            Some((Manager::Go, Op::Install))
        );
        assert_eq!(op_of("go build -o /app .").map(|o| o.1), Some(Op::Other));
        assert_eq!(op_of("cargo fetch").map(|o| o.1), Some(Op::Install));
        assert_eq!(
            op_of("conda clean -afy").map(|o| (o.0, o.1)),
            Some((Manager::Conda, Op::Clean))
        );
        assert_eq!(
            op_of("mvn -B dependency:go-offline").map(|o| (o.0, o.1)),
            Some((Manager::Maven, Op::Install))
        );
        assert_eq!(op_of("./gradlew build").map(|o| o.1), Some(Op::Other));
        assert_eq!(
            op_of("bundle install --jobs 4").map(|o| (o.0, o.1, o.2)),
            Some((Manager::Bundler, Op::Install, vec![]))
        );
        assert_eq!(
            op_of("composer install --no-dev").map(|o| (o.0, o.1)),
            Some((Manager::Composer, Op::Install))
        );
    }

    #[test]
    fn requirement_files_and_manifest() {
        let s = first("pip install -r requirements.txt --requirement=dev.txt");
        let op = classify(&s.commands[0]).unwrap();
        assert_eq!(
            op.requirement_files
                .iter()
                .map(|w| w.text())
                .collect::<Vec<_>>(),
            vec!["requirements.txt", "--requirement=dev.txt"]
        );
        assert!(op.from_manifest);
        assert!(op.packages.is_empty());
        let s = first("pip install -e .");
        assert!(classify(&s.commands[0]).unwrap().from_manifest);
        let s = first("npm ci");
        assert!(classify(&s.commands[0]).unwrap().from_manifest);
        let s = first("apk add --update curl");
        assert!(classify(&s.commands[0]).unwrap().refreshes_index);
    }

    #[test]
    fn head_range_covers_program_and_subcommand() {
        let src = "sudo python -m pip install x";
        let s = first(src);
        let op = classify(&s.commands[0]).unwrap();
        assert_eq!(&src[op.head_range()], "python -m pip install");
    }

    fn cleans(src: &str, m: Manager) -> bool {
        let s = first(src);
        is_cache_cleanup(&s.commands[0], m)
    }

    #[test]
    fn cache_cleanup() {
        assert!(cleans("rm -rf /var/lib/apt/lists/*", Manager::Apt));
        assert!(cleans("rm -rf /var/lib/apt/lists", Manager::Apt));
        assert!(cleans("rm -rf /var/lib/apt", Manager::Apt));
        assert!(cleans(
            "rm -fr /tmp/* /var/lib/apt/lists/* /var/tmp/*",
            Manager::Apt
        ));
        assert!(!cleans("apt-get clean", Manager::Apt));
        assert!(!cleans("rm -rf /var/cache/apt/archives/*", Manager::Apt));
        assert!(cleans("yum clean all", Manager::Yum));
        assert!(cleans("dnf clean all", Manager::Yum));
        assert!(cleans("rm -rf /var/cache/yum", Manager::Yum));
        assert!(cleans("rm -rf /var/cache/apk/*", Manager::Apk));
        assert!(cleans("pip cache purge", Manager::Pip));
        assert!(cleans("rm -rf ~/.cache/pip", Manager::Pip));
        assert!(cleans("rm -rf /root/.cache", Manager::Pip));
        assert!(cleans("rm -rf $HOME/.cache/pip", Manager::Pip));
        assert!(cleans("rm -rf /home/app/.cache/pip", Manager::Pip));
        assert!(!cleans("rm -rf /root/.cache/pip", Manager::Npm));
        assert!(cleans("npm cache clean --force", Manager::Npm));
        assert!(cleans("rm -rf /root/.npm", Manager::Npm));
        assert!(cleans("yarn cache clean", Manager::Yarn));
        assert!(cleans(
            "rm -rf /usr/local/share/.cache/yarn/*",
            Manager::Yarn
        ));
        assert!(cleans("zypper clean -a", Manager::Zypper));
        assert!(cleans("rm -rf /var/lib/apt/list*", Manager::Apt));
        assert!(!cleans("rm -rf /var/lib/apt/lists/partial", Manager::Apt));
    }

    #[test]
    fn path_cover_cases() {
        assert!(path_covers("/var/cache/apt/*", "/var/cache/apt"));
        assert!(path_covers("/var/cache/*", "/var/cache/apt"));
        assert!(path_covers("${HOME}/.npm", "~/.npm"));
        assert!(!path_covers("/var/cache/apt/archives", "/var/cache/apt"));
        assert!(!path_covers("/var/cache/ap", "/var/cache/apt"));
        assert!(path_covers("/root/.cache", "~/.cache/pip"));
        assert!(path_covers("~", "~/.cache/pip"));
        assert!(path_covers("/home/app/.cache/pip/", "~/.cache/pip"));
        assert!(!path_covers("/home/app/.cache/pipx", "~/.cache/pip"));
        assert!(path_covers("/root/.cache/p*", "~/.cache/pip"));
        assert!(!path_covers("/root/.cache/x*", "~/.cache/pip"));
        assert!(path_covers("/", "/var/cache/apt"));
        assert!(!path_covers("/var/cache/apt/archives", "~/.cache"));
        assert!(path_covers("/var/cache/a?t", "/var/cache/apt"));
        assert!(path_covers("/var/cache/[ab]pt/", "/var/cache/apt"));
        assert!(path_covers("/var/*/*/lists", "/var/lib/apt/lists"));
        assert!(!path_covers("/var/*/*/lists/x*", "/var/lib/apt/lists"));
        assert!(path_covers("~/.c*e/pip", "~/.cache/pip"));
    }

    #[test]
    fn glob_cases() {
        for (pattern, text, matches) in [
            ("*", "", true),
            ("*", "lists", true),
            ("l*s", "lists", true),
            ("l*t", "lists", false),
            ("*s*s", "lists", true),
            ("?ists", "lists", true),
            ("??", "l", false),
            ("[lx]ists", "lists", true),
            ("[ists", "lists", false),
            ("[ists", "[ists", true),
            ("é*", "épi", true),
            ("?pi", "épi", true),
            ("a**b", "ab", true),
        ] {
            assert_eq!(glob_match(pattern, text), matches, "{pattern} ~ {text}");
        }
    }

    #[test]
    fn many_stars_stay_linear() {
        let pattern = format!("{}b", "*a".repeat(5_000));
        assert!(!glob_match(&pattern, &"a".repeat(5_000)));
        assert!(!path_covers(&format!("/{pattern}"), "/var/cache/apt"));
    }
}
