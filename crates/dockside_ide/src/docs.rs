//! Reference text for every instruction, flag, `--mount` type and parser
//! directive, written for dockside (shown by hover and completion).
//!
//! Lookups: [`instruction_doc`], [`flags_for`], [`flag_doc`],
//! [`mount_types`], [`mount_type_doc`], [`mount_keys`], [`mount_key_doc`],
//! [`directives`], [`directive_doc`]. Each doc renders itself with `markdown()`.

use dockside_syntax::Keyword;

/// Reference for one instruction.
#[derive(Debug)]
pub struct InstructionDoc {
    pub keyword: Keyword,
    /// One line: what the instruction is for.
    pub title: &'static str,
    /// Syntax lines (`RUN [flags] <command>`).
    pub syntax: &'static [&'static str],
    /// Two to four sentences.
    pub description: &'static str,
    pub example: &'static str,
    /// Completion snippet (LSP snippet syntax) with the keyword upper-case.
    pub snippet: &'static str,
}

impl InstructionDoc {
    pub fn markdown(&self) -> String {
        let mut out = if self.keyword == Keyword::Unknown {
            format!("**{}**\n\n", self.title)
        } else {
            format!("**{}** — {}\n\n", self.keyword.as_str(), self.title)
        };
        if !self.syntax.is_empty() {
            out.push_str("```dockerfile\n");
            for s in self.syntax {
                out.push_str(s);
                out.push('\n');
            }
            out.push_str("```\n\n");
        }
        out.push_str(self.description);
        out.push('\n');
        let flags = flags_for(self.keyword);
        if !flags.is_empty() {
            let names: Vec<String> = flags.iter().map(|f| format!("`--{}`", f.name)).collect();
            out.push_str(&format!("\nFlags: {}\n", names.join(", ")));
        }
        if !self.example.is_empty() {
            out.push_str(&format!(
                "\nExample:\n```dockerfile\n{}\n```\n",
                self.example
            ));
        }
        out
    }
}

/// Reference for one `--flag` of an instruction.
#[derive(Debug)]
pub struct FlagDoc {
    /// Name without dashes (`from`).
    pub name: &'static str,
    /// Value syntax (`--from=<stage|image|context>`).
    pub syntax: &'static str,
    pub description: &'static str,
    /// Completion snippet (`--from=${1:stage}`).
    pub snippet: &'static str,
    /// The flag may be given more than once.
    pub repeatable: bool,
}

impl FlagDoc {
    pub fn markdown(&self) -> String {
        format!(
            "**`--{}`**\n\n`{}`\n\n{}\n",
            self.name, self.syntax, self.description
        )
    }
}

/// Reference for one `RUN --mount` type.
#[derive(Debug)]
pub struct MountTypeDoc {
    pub name: &'static str,
    pub description: &'static str,
    /// Keys this type accepts (canonical names, see [`mount_key_doc`]).
    pub keys: &'static [&'static str],
    pub example: &'static str,
}

impl MountTypeDoc {
    pub fn markdown(&self) -> String {
        let keys: Vec<String> = self.keys.iter().map(|k| format!("`{k}`")).collect();
        format!(
            "**Mount type `{}`**\n\n{}\n\nKeys: {}\n\nExample:\n```dockerfile\n{}\n```\n",
            self.name,
            self.description,
            keys.join(", "),
            self.example
        )
    }
}

/// Reference for one `key=value` option of `RUN --mount`.
#[derive(Debug)]
pub struct MountKeyDoc {
    /// Canonical name (`target`).
    pub name: &'static str,
    /// Other spellings (`dst`, `destination`).
    pub aliases: &'static [&'static str],
    /// Value syntax (`target=<path>`).
    pub syntax: &'static str,
    pub description: &'static str,
    /// Mount types that accept the key.
    pub types: &'static [&'static str],
}

impl MountKeyDoc {
    pub fn markdown(&self) -> String {
        let mut out = format!("**Mount key `{}`**", self.name);
        if !self.aliases.is_empty() {
            let a: Vec<String> = self.aliases.iter().map(|a| format!("`{a}`")).collect();
            out.push_str(&format!(" (also {})", a.join(", ")));
        }
        let types: Vec<String> = self.types.iter().map(|t| format!("`{t}`")).collect();
        out.push_str(&format!(
            "\n\n`{}`\n\n{}\n\nFor types: {}\n",
            self.syntax,
            self.description,
            types.join(", ")
        ));
        out
    }

    pub fn matches(&self, key: &str) -> bool {
        self.name.eq_ignore_ascii_case(key)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(key))
    }
}

/// Reference for one parser directive.
#[derive(Debug)]
pub struct DirectiveDoc {
    /// Lower-case name (`syntax`).
    pub name: &'static str,
    pub syntax: &'static str,
    pub description: &'static str,
    pub example: &'static str,
    /// Completion label (`# syntax=docker/dockerfile:1`).
    pub label: &'static str,
    /// Completion snippet.
    pub snippet: &'static str,
}

impl DirectiveDoc {
    pub fn markdown(&self) -> String {
        format!(
            "**Parser directive `{}`**\n\n`{}`\n\n{}\n\nExample:\n```dockerfile\n{}\n```\n",
            self.name, self.syntax, self.description, self.example
        )
    }
}

/// The reference of an instruction (`Keyword::Unknown` gives a short note).
pub fn instruction_doc(keyword: Keyword) -> &'static InstructionDoc {
    INSTRUCTIONS
        .iter()
        .find(|d| d.keyword == keyword)
        .unwrap_or(&UNKNOWN_INSTRUCTION)
}

/// All instruction docs, in `Keyword::ALL` order.
pub fn instructions() -> &'static [InstructionDoc] {
    &INSTRUCTIONS
}

/// The flags an instruction accepts.
pub fn flags_for(keyword: Keyword) -> &'static [FlagDoc] {
    match keyword {
        Keyword::From => FROM_FLAGS,
        Keyword::Run => RUN_FLAGS,
        Keyword::Copy => COPY_FLAGS,
        Keyword::Add => ADD_FLAGS,
        Keyword::Healthcheck => HEALTHCHECK_FLAGS,
        _ => &[],
    }
}

/// A flag of an instruction by name (with or without the leading dashes).
pub fn flag_doc(keyword: Keyword, name: &str) -> Option<&'static FlagDoc> {
    let name = name.trim_start_matches('-');
    flags_for(keyword)
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
}

pub fn mount_types() -> &'static [MountTypeDoc] {
    MOUNT_TYPES
}

pub fn mount_type_doc(name: &str) -> Option<&'static MountTypeDoc> {
    MOUNT_TYPES
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(name))
}

pub fn mount_keys() -> &'static [MountKeyDoc] {
    MOUNT_KEYS
}

/// A `--mount` key by its name or an alias (`dst` → `target`).
pub fn mount_key_doc(key: &str) -> Option<&'static MountKeyDoc> {
    MOUNT_KEYS.iter().find(|k| k.matches(key))
}

pub fn directives() -> &'static [DirectiveDoc] {
    DIRECTIVES
}

pub fn directive_doc(name: &str) -> Option<&'static DirectiveDoc> {
    DIRECTIVES
        .iter()
        .find(|d| d.name.eq_ignore_ascii_case(name))
}

static UNKNOWN_INSTRUCTION: InstructionDoc = InstructionDoc {
    keyword: Keyword::Unknown,
    title: "Unknown instruction",
    syntax: &[],
    description: "This word is not a Dockerfile instruction; the build fails on it.",
    example: "",
    snippet: "",
};

static INSTRUCTIONS: [InstructionDoc; 18] = [
    InstructionDoc {
        keyword: Keyword::Add,
        title: "add local files, URLs or git repositories to the image",
        syntax: &[
            "ADD [flags] <src>... <dest>",
            "ADD [flags] [\"<src>\", ... \"<dest>\"]",
        ],
        description: "Works like COPY but also accepts remote sources: an HTTP(S) URL is downloaded and a git \
            URL is cloned. Local tar archives (gzip, bzip2, xz) are unpacked into the destination. Prefer COPY \
            for plain local files, so the unpacking rule never surprises anyone.",
        example: "ADD --checksum=sha256:<hash> https://example.com/tool.tar.gz /opt/",
        snippet: "ADD ${1:src} ${2:dest}",
    },
    InstructionDoc {
        keyword: Keyword::Arg,
        title: "declare a build argument",
        syntax: &["ARG <name>[=<default>] ..."],
        description: "Declares a variable that `docker build --build-arg` can set. ARGs before the first FROM are \
            global and usable only in FROM lines; a stage has to repeat `ARG <name>` to see a global value. \
            ARG values are not kept in the final image's environment, but they do show up in its history.",
        example: "ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim",
        snippet: "ARG ${1:name}=${2:value}",
    },
    InstructionDoc {
        keyword: Keyword::Cmd,
        title: "the default command of a container",
        syntax: &[
            "CMD [\"executable\", \"arg\", ...]",
            "CMD [\"arg\", ...]   (arguments for ENTRYPOINT)",
            "CMD <command>",
        ],
        description: "Sets what a container runs when no command is given to `docker run`. With an ENTRYPOINT, \
            the exec form supplies its default arguments instead. Only the last CMD of a stage counts; the \
            shell form runs under `/bin/sh -c` and does not receive signals directly.",
        example: "CMD [\"gunicorn\", \"app:app\", \"--bind\", \"0.0.0.0:8000\"]",
        snippet: "CMD [\"${1:executable}\"]",
    },
    InstructionDoc {
        keyword: Keyword::Copy,
        title: "copy files from the build context or another stage",
        syntax: &[
            "COPY [flags] <src>... <dest>",
            "COPY [flags] [\"<src>\", ... \"<dest>\"]",
        ],
        description: "Copies files and directories into the image. Sources are relative to the build context \
            (filtered by `.dockerignore`), or to another stage or image with `--from`. A relative destination \
            is resolved against WORKDIR; end it with `/` when it names a directory.",
        example: "COPY --from=build /app/dist /usr/share/nginx/html/",
        snippet: "COPY ${1:src} ${2:dest}",
    },
    InstructionDoc {
        keyword: Keyword::Entrypoint,
        title: "the executable a container starts with",
        syntax: &[
            "ENTRYPOINT [\"executable\", \"arg\", ...]",
            "ENTRYPOINT <command>",
        ],
        description: "Makes the container behave like an executable: arguments given to `docker run` (or CMD) \
            are appended to it in the exec form. The shell form wraps the command in `/bin/sh -c`, so CMD \
            arguments are ignored and the process does not get signals as PID 1.",
        example: "ENTRYPOINT [\"/usr/local/bin/entrypoint.sh\"]\nCMD [\"serve\"]",
        snippet: "ENTRYPOINT [\"${1:executable}\"]",
    },
    InstructionDoc {
        keyword: Keyword::Env,
        title: "set environment variables",
        syntax: &["ENV <key>=<value> ...", "ENV <key> <value>   (legacy form)"],
        description: "Sets variables for the following instructions of the stage and for containers started \
            from the image. Stages built on this one inherit them. Values can use `$VAR` of earlier ARGs and \
            ENVs; quote values that contain spaces.",
        example: "ENV PATH=\"/opt/venv/bin:$PATH\" PYTHONUNBUFFERED=1",
        snippet: "ENV ${1:key}=${2:value}",
    },
    InstructionDoc {
        keyword: Keyword::Expose,
        title: "document the ports the container listens on",
        syntax: &["EXPOSE <port>[/<protocol>] ..."],
        description: "Records which ports the application uses (TCP unless `/udp` is given). It publishes \
            nothing by itself: `docker run -p` or `-P` does that.",
        example: "EXPOSE 8080 53/udp",
        snippet: "EXPOSE ${1:port}",
    },
    InstructionDoc {
        keyword: Keyword::From,
        title: "start a build stage from a base image",
        syntax: &["FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]"],
        description: "Begins a new stage whose filesystem starts as the given image, an earlier stage's name, \
            or `scratch` (empty). Naming the stage with `AS` lets `COPY --from` and later FROM lines refer to \
            it. Global ARGs (declared before the first FROM) can be used in the image reference.",
        example: "FROM golang:1.22 AS build\nFROM gcr.io/distroless/static\nCOPY --from=build /out/app /app",
        snippet: "FROM ${1:image}:${2:tag} AS ${3:name}",
    },
    InstructionDoc {
        keyword: Keyword::Healthcheck,
        title: "how to test that a container still works",
        syntax: &["HEALTHCHECK [flags] CMD <command>", "HEALTHCHECK NONE"],
        description: "Runs the command periodically inside the container; exit code 0 means healthy and 1 \
            unhealthy. After `--retries` failures in a row the container is reported unhealthy. `NONE` turns \
            off a check inherited from the base image.",
        example: "HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8080/health || exit 1",
        snippet: "HEALTHCHECK --interval=${1:30s} CMD ${2:command}",
    },
    InstructionDoc {
        keyword: Keyword::Label,
        title: "add metadata to the image",
        syntax: &["LABEL <key>=<value> ..."],
        description: "Attaches key/value metadata, such as OCI annotations, to the image. Labels of the base \
            image are inherited and a later label with the same key replaces the earlier one.",
        example: "LABEL org.opencontainers.image.source=\"https://github.com/org/app\"",
        snippet: "LABEL ${1:key}=\"${2:value}\"",
    },
    InstructionDoc {
        keyword: Keyword::Maintainer,
        title: "the image author (deprecated)",
        syntax: &["MAINTAINER <name>"],
        description: "Sets the author field of the image. It is deprecated: use \
            `LABEL org.opencontainers.image.authors=...` instead.",
        example: "LABEL org.opencontainers.image.authors=\"team@example.com\"",
        snippet: "MAINTAINER ${1:name}",
    },
    InstructionDoc {
        keyword: Keyword::Onbuild,
        title: "an instruction to run in builds that use this image",
        syntax: &["ONBUILD <instruction>"],
        description: "Stores an instruction that is executed later, right after the FROM of any build that \
            uses this image as its base. ONBUILD cannot wrap FROM, MAINTAINER or another ONBUILD.",
        example: "ONBUILD COPY . /app/src",
        snippet: "ONBUILD ${1:instruction}",
    },
    InstructionDoc {
        keyword: Keyword::Run,
        title: "run a command in a new layer",
        syntax: &[
            "RUN [flags] <command>",
            "RUN [flags] [\"executable\", \"arg\", ...]",
        ],
        description: "Executes a command at build time and commits the result as a new image layer. The shell \
            form goes through the stage's SHELL (`/bin/sh -c` by default) and can use ARG and ENV values as \
            `$VAR`; the exec form runs the program directly without variable expansion. `--mount` gives the \
            command caches, secrets or files without keeping them in the layer.",
        example: "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt",
        snippet: "RUN ${1:command}",
    },
    InstructionDoc {
        keyword: Keyword::Shell,
        title: "change the shell used by shell-form instructions",
        syntax: &["SHELL [\"executable\", \"parameters\"]"],
        description: "Replaces the default `[\"/bin/sh\", \"-c\"]` for the shell forms of RUN, CMD and \
            ENTRYPOINT that follow in the stage. It must be written as a JSON array. Typical uses are bash \
            with `-o pipefail`, or PowerShell on Windows.",
        example: "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
        snippet: "SHELL [\"${1:/bin/bash}\", \"${2:-c}\"]",
    },
    InstructionDoc {
        keyword: Keyword::Stopsignal,
        title: "the signal that stops the container",
        syntax: &["STOPSIGNAL <signal>"],
        description: "Sets the system call signal sent to PID 1 by `docker stop`, as a name (`SIGQUIT`) or a \
            number. The default is SIGTERM.",
        example: "STOPSIGNAL SIGQUIT",
        snippet: "STOPSIGNAL ${1:SIGTERM}",
    },
    InstructionDoc {
        keyword: Keyword::User,
        title: "the user (and group) that runs what follows",
        syntax: &["USER <user>[:<group>]", "USER <uid>[:<gid>]"],
        description: "Sets the user for the following RUN instructions and for the container's process. \
            The user must exist in the image unless a numeric id is used. Switching to a non-root user \
            limits what a compromised process can do.",
        example: "RUN useradd --create-home app\nUSER app",
        snippet: "USER ${1:user}",
    },
    InstructionDoc {
        keyword: Keyword::Volume,
        title: "declare mount points for external data",
        syntax: &["VOLUME [\"<path>\", ...]", "VOLUME <path> ..."],
        description: "Marks directories whose content lives outside the container's writable layer; an \
            anonymous volume is created for each at run time. Changes made to these paths by later build \
            steps may be discarded.",
        example: "VOLUME [\"/var/lib/postgresql/data\"]",
        snippet: "VOLUME ${1:/data}",
    },
    InstructionDoc {
        keyword: Keyword::Workdir,
        title: "set the working directory",
        syntax: &["WORKDIR <path>"],
        description: "Sets the directory in which the following RUN, CMD, ENTRYPOINT, COPY and ADD work, \
            creating it if needed. A relative path is resolved against the previous WORKDIR; prefer absolute \
            paths over `RUN cd ...`.",
        example: "WORKDIR /app",
        snippet: "WORKDIR ${1:/app}",
    },
];

static FROM_FLAGS: &[FlagDoc] = &[FlagDoc {
    name: "platform",
    syntax: "--platform=<os>/<arch>[/<variant>]",
    description: "Chooses the platform variant of a multi-platform base image, e.g. `linux/amd64`. \
        `$BUILDPLATFORM` builds on the machine's own platform (useful for cross-compiling stages) and \
        `$TARGETPLATFORM` is the platform being built.",
    snippet: "--platform=${1:\\$BUILDPLATFORM}",
    repeatable: false,
}];

static RUN_FLAGS: &[FlagDoc] = &[
    FlagDoc {
        name: "mount",
        syntax: "--mount=type=<bind|cache|tmpfs|secret|ssh>[,<key>=<value>...]",
        description: "Attaches a filesystem to the command while it runs; nothing from the mount ends up in the \
            layer. Types: `bind` (files of the context or a stage, read-only by default), `cache` (a directory \
            kept between builds), `tmpfs`, `secret` and `ssh`. Without `type=` the mount is a bind mount. The \
            flag may be repeated.",
        snippet: "--mount=type=${1|cache,bind,tmpfs,secret,ssh|},target=${2:path}",
        repeatable: true,
    },
    FlagDoc {
        name: "network",
        syntax: "--network=<default|none|host>",
        description: "The network the command runs in: `default` (the build's normal network), `none` (no \
            network access at all) or `host` (the host's network; needs the `network.host` entitlement).",
        snippet: "--network=${1|default,none,host|}",
        repeatable: false,
    },
    FlagDoc {
        name: "security",
        syntax: "--security=<sandbox|insecure>",
        description: "`insecure` runs the command without the sandbox, like a privileged container; it needs \
            the `security.insecure` entitlement. `sandbox` is the default.",
        snippet: "--security=${1|sandbox,insecure|}",
        repeatable: false,
    },
];

/// Shared by COPY and ADD.
const EXCLUDE_FLAG: FlagDoc = FlagDoc {
    name: "exclude",
    syntax: "--exclude=<pattern>",
    description: "Leaves out files matching the pattern (same syntax as `.dockerignore`). May be \
        repeated.",
    snippet: "--exclude=${1:pattern}",
    repeatable: true,
};

static COPY_FLAGS: &[FlagDoc] = &[
    FlagDoc {
        name: "from",
        syntax: "--from=<stage name|stage index|image|named context>",
        description: "Copies from an earlier build stage, an image or a named build context instead of the \
            build context. Stage names are the `AS` names of earlier FROM lines; an index counts stages \
            from 0.",
        snippet: "--from=${1:stage}",
        repeatable: false,
    },
    FlagDoc {
        name: "chown",
        syntax: "--chown=<user>[:<group>]",
        description: "Sets the owner of the copied files (names or numeric ids). Without it files belong to \
            root (uid 0, gid 0). Names are looked up in the image's `/etc/passwd` and `/etc/group`.",
        snippet: "--chown=${1:user}:${2:group}",
        repeatable: false,
    },
    FlagDoc {
        name: "chmod",
        syntax: "--chmod=<octal mode|symbolic mode>",
        description: "Sets the permission bits of the copied files, e.g. `0755` or `u=rwx,go=rx`, without an \
            extra RUN chmod layer.",
        snippet: "--chmod=${1:0755}",
        repeatable: false,
    },
    FlagDoc {
        name: "link",
        syntax: "--link[=<true|false>]",
        description: "Puts the copied files in an independent layer that does not depend on the layers \
            below, so it can be reused when the base changes and rebased without rebuilding.",
        snippet: "--link",
        repeatable: false,
    },
    FlagDoc {
        name: "parents",
        syntax: "--parents[=<true|false>]",
        description: "Keeps the parent directories of each source below the destination (`a/b/c.txt` lands \
            in `<dest>/a/b/c.txt`). A `./` in the source path marks where the kept part starts.",
        snippet: "--parents",
        repeatable: false,
    },
    EXCLUDE_FLAG,
];

static ADD_FLAGS: &[FlagDoc] = &[
    FlagDoc {
        name: "chown",
        syntax: "--chown=<user>[:<group>]",
        description: "Sets the owner of the added files (names or numeric ids). Without it files belong to \
            root.",
        snippet: "--chown=${1:user}:${2:group}",
        repeatable: false,
    },
    FlagDoc {
        name: "chmod",
        syntax: "--chmod=<octal mode|symbolic mode>",
        description: "Sets the permission bits of the added files, e.g. `0644`.",
        snippet: "--chmod=${1:0644}",
        repeatable: false,
    },
    FlagDoc {
        name: "link",
        syntax: "--link[=<true|false>]",
        description: "Puts the added files in an independent layer that can be reused when the layers \
            below change.",
        snippet: "--link",
        repeatable: false,
    },
    FlagDoc {
        name: "checksum",
        syntax: "--checksum=<algorithm>:<hex>",
        description: "Verifies a downloaded URL (or, for git sources, the commit) against the given digest, \
            e.g. `sha256:…`; the build fails on a mismatch.",
        snippet: "--checksum=sha256:${1:hex}",
        repeatable: false,
    },
    FlagDoc {
        name: "keep-git-dir",
        syntax: "--keep-git-dir[=<true|false>]",
        description: "For a git source, keeps the `.git` directory in the destination (it is left out by \
            default).",
        snippet: "--keep-git-dir",
        repeatable: false,
    },
    FlagDoc {
        name: "unpack",
        syntax: "--unpack[=<true|false>]",
        description: "Controls whether an archive source is extracted. Local archives are unpacked by default \
            and remote ones are not; this flag overrides either.",
        snippet: "--unpack=${1|true,false|}",
        repeatable: false,
    },
    EXCLUDE_FLAG,
];

static HEALTHCHECK_FLAGS: &[FlagDoc] = &[
    FlagDoc {
        name: "interval",
        syntax: "--interval=<duration>",
        description: "Time between two checks, e.g. `30s` or `1m30s`. Default `30s`.",
        snippet: "--interval=${1:30s}",
        repeatable: false,
    },
    FlagDoc {
        name: "timeout",
        syntax: "--timeout=<duration>",
        description: "A check that takes longer than this counts as failed. Default `30s`.",
        snippet: "--timeout=${1:5s}",
        repeatable: false,
    },
    FlagDoc {
        name: "start-period",
        syntax: "--start-period=<duration>",
        description: "Grace period after the container starts during which failures do not count toward \
            `--retries`. Default `0s`.",
        snippet: "--start-period=${1:10s}",
        repeatable: false,
    },
    FlagDoc {
        name: "start-interval",
        syntax: "--start-interval=<duration>",
        description: "Time between checks during the start period. Default `5s`.",
        snippet: "--start-interval=${1:5s}",
        repeatable: false,
    },
    FlagDoc {
        name: "retries",
        syntax: "--retries=<n>",
        description: "How many failures in a row mark the container unhealthy. Default `3`.",
        snippet: "--retries=${1:3}",
        repeatable: false,
    },
];

static MOUNT_TYPES: &[MountTypeDoc] = &[
    MountTypeDoc {
        name: "bind",
        description: "Makes files of the build context, a stage or an image visible to the command (read-only \
            unless `rw` is set; writes are thrown away). The default type.",
        keys: &["target", "source", "from", "rw"],
        example: "RUN --mount=type=bind,source=requirements.txt,target=/tmp/req.txt pip install -r /tmp/req.txt",
    },
    MountTypeDoc {
        name: "cache",
        description: "A directory that survives between builds, for package manager and compiler caches. Its \
            content never becomes part of the layer.",
        keys: &[
            "id", "target", "ro", "sharing", "from", "source", "mode", "uid", "gid",
        ],
        example: "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt",
    },
    MountTypeDoc {
        name: "tmpfs",
        description: "An empty in-memory filesystem for the duration of the command.",
        keys: &["target", "size"],
        example: "RUN --mount=type=tmpfs,target=/tmp,size=64m make test",
    },
    MountTypeDoc {
        name: "secret",
        description: "Exposes a secret given with `docker build --secret` as a file (default \
            `/run/secrets/<id>`) or an environment variable, without storing it in the image.",
        keys: &["id", "target", "env", "required", "mode", "uid", "gid"],
        example: "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci",
    },
    MountTypeDoc {
        name: "ssh",
        description: "Forwards an SSH agent socket given with `docker build --ssh` so the command can use the \
            keys (e.g. for `git clone` of private repositories) without copying them.",
        keys: &["id", "target", "required", "mode", "uid", "gid"],
        example: "RUN --mount=type=ssh git clone git@github.com:org/private.git",
    },
];

static MOUNT_KEYS: &[MountKeyDoc] = &[
    MountKeyDoc {
        name: "type",
        aliases: &[],
        syntax: "type=<bind|cache|tmpfs|secret|ssh>",
        description: "The kind of mount; `bind` when left out.",
        types: &["bind", "cache", "tmpfs", "secret", "ssh"],
    },
    MountKeyDoc {
        name: "target",
        aliases: &["dst", "destination"],
        syntax: "target=<path>",
        description: "Where the mount appears inside the build container. Required for bind, cache and tmpfs; \
            secret and ssh have a default location.",
        types: &["bind", "cache", "tmpfs", "secret", "ssh"],
    },
    MountKeyDoc {
        name: "source",
        aliases: &["src"],
        syntax: "source=<path>",
        description: "Path inside `from` (the build context when `from` is not set) to mount. Defaults to the \
            root of `from`.",
        types: &["bind", "cache"],
    },
    MountKeyDoc {
        name: "from",
        aliases: &[],
        syntax: "from=<stage|image|named context>",
        description: "Where the mounted files come from: a stage name, an image or a named context. For a \
            bind mount the default is the build context; for a cache it seeds an empty cache.",
        types: &["bind", "cache"],
    },
    MountKeyDoc {
        name: "ro",
        aliases: &["readonly"],
        syntax: "ro[=<true|false>]",
        description: "Mounts read-only.",
        types: &["cache"],
    },
    MountKeyDoc {
        name: "rw",
        aliases: &["readwrite"],
        syntax: "rw[=<true|false>]",
        description: "Lets the command write to a bind mount; the writes are discarded afterwards.",
        types: &["bind"],
    },
    MountKeyDoc {
        name: "id",
        aliases: &[],
        syntax: "id=<name>",
        description: "Identifies the cache (defaults to the target path), or the secret / SSH agent to use \
            (defaults to the file name of the target for secrets, `default` for ssh).",
        types: &["cache", "secret", "ssh"],
    },
    MountKeyDoc {
        name: "sharing",
        aliases: &[],
        syntax: "sharing=<shared|private|locked>",
        description: "How concurrent builds use the same cache: `shared` (everyone at once, the default), \
            `private` (a new cache when it is busy) or `locked` (wait until it is free).",
        types: &["cache"],
    },
    MountKeyDoc {
        name: "mode",
        aliases: &[],
        syntax: "mode=<octal>",
        description: "Permission bits of the mount point or secret file (`0755` for caches, `0600` for \
            secrets and sockets by default).",
        types: &["cache", "secret", "ssh"],
    },
    MountKeyDoc {
        name: "uid",
        aliases: &[],
        syntax: "uid=<number>",
        description: "Numeric owner of the mounted directory, file or socket. Default `0`.",
        types: &["cache", "secret", "ssh"],
    },
    MountKeyDoc {
        name: "gid",
        aliases: &[],
        syntax: "gid=<number>",
        description: "Numeric group of the mounted directory, file or socket. Default `0`.",
        types: &["cache", "secret", "ssh"],
    },
    MountKeyDoc {
        name: "required",
        aliases: &[],
        syntax: "required[=<true|false>]",
        description: "Fails the build when the secret or SSH agent was not provided (otherwise the mount is \
            silently skipped).",
        types: &["secret", "ssh"],
    },
    MountKeyDoc {
        name: "size",
        aliases: &[],
        syntax: "size=<bytes>",
        description: "Upper limit on the size of the tmpfs, e.g. `64m`.",
        types: &["tmpfs"],
    },
    MountKeyDoc {
        name: "env",
        aliases: &[],
        syntax: "env=<VARIABLE>",
        description: "Exposes the secret as this environment variable of the command instead of (or as well \
            as) a file.",
        types: &["secret"],
    },
];

static DIRECTIVES: &[DirectiveDoc] = &[
    DirectiveDoc {
        name: "syntax",
        syntax: "# syntax=<frontend image>",
        description: "Chooses the Dockerfile frontend BuildKit uses to read this file, e.g. \
            `docker/dockerfile:1` for the latest stable 1.x syntax. Pinning it makes newer features such as \
            heredocs and `--mount` available regardless of the builder's built-in version. It must be on \
            the first lines, before any comment or instruction.",
        example: "# syntax=docker/dockerfile:1",
        label: "# syntax=docker/dockerfile:1",
        snippet: "# syntax=${1:docker/dockerfile:1}",
    },
    DirectiveDoc {
        name: "escape",
        syntax: "# escape=<\\ or `>",
        description: "Sets the character that escapes characters and continues lines. The default is `\\`; \
            Windows Dockerfiles often use a backtick so paths like `C:\\dir` need no doubling.",
        example: "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir C:\\ `\n    /s",
        label: "# escape=`",
        snippet: "# escape=${1:`}",
    },
    DirectiveDoc {
        name: "check",
        syntax: "# check=skip=<checks|all>[;error=<true|false>]",
        description: "Configures BuildKit's build checks: `skip=` takes a comma-separated list of check names \
            (or `all`) to turn off, and `error=true` makes failing checks fail the build.",
        example: "# check=skip=JSONArgsRecommended;error=true",
        label: "# check=skip=",
        snippet: "# check=skip=${1:checks}",
    },
];
