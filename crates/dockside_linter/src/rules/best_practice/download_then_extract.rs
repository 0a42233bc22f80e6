use dockside_semantic::ShellCode;
use dockside_shell::{Context, SimpleCommand, Word};
use dockside_syntax::Keyword;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{FileId, Finding};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a `RUN` that downloads an archive with `curl` or `wget` and
    /// unpacks it with `tar`, either through a pipe (`curl -fsSL <url> | tar -xz
    /// -C /opt`) or through a file it saves and then extracts, when that is all
    /// the RUN does: `ADD --unpack=true <url> <dir>/` does the same in one step.
    ///
    /// Only RUNs whose other commands are `mkdir`, `ln`, `echo`, `set`, checksum
    /// checks (`sha256sum -c`) and an `rm` of the downloaded archive are
    /// reported. Not reported: downloads that need request options `ADD` does
    /// not have (headers, credentials, cookies, a proxy, `--insecure`), URLs
    /// built from shell variables of the RUN itself, and extractions `ADD`
    /// cannot reproduce (`--strip-components`, `--exclude`, `--transform`,
    /// selected members, `--zstd` or another compression program). A RUN that
    /// also builds, moves or deletes what it unpacked is left alone: with `ADD`
    /// the unpacked files would stay in a layer of their own.
    ///
    /// ## Why is this bad?
    /// The RUN needs `curl` or `wget` and `tar` in the image only to fetch one
    /// archive. `ADD --unpack=true` fetches and unpacks it in the builder: the
    /// image needs neither tool, BuildKit caches the download by the remote
    /// file's checksum, and `--checksum=sha256:…` pins what is downloaded
    /// (`remote-add-unverified` asks for it). `ADD --unpack` needs a recent
    /// Dockerfile frontend: keep `# syntax=docker/dockerfile:1` at the top.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSL https://nodejs.org/dist/v20.15.0/node-v20.15.0-linux-x64.tar.xz \
    ///     | tar -xJ -C /opt
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// # syntax=docker/dockerfile:1
    /// ADD --unpack=true --checksum=sha256:… \
    ///     https://nodejs.org/dist/v20.15.0/node-v20.15.0-linux-x64.tar.xz /opt/
    /// ```
    pub struct DownloadThenExtract {
        name: "download-then-extract",
        code: "DF512",
        group: "best-practice",
        severity: Info,
        aliases: ["prefer-add-unpack"],
        fix: None,
        summary: "RUN downloads an archive only to unpack it: `ADD --unpack` does both",
    }
}

/// Commands that may accompany the download and the extraction.
const HARMLESS: &[&str] = &[
    "curl",
    "wget",
    "tar",
    "rm",
    "mkdir",
    "ln",
    "echo",
    "set",
    "true",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "md5sum",
];

const CURL_UNSUPPORTED: &[&str] = &[
    "H",
    "header",
    "u",
    "user",
    "b",
    "cookie",
    "c",
    "cookie-jar",
    "d",
    "data",
    "data-binary",
    "data-raw",
    "data-urlencode",
    "F",
    "form",
    "X",
    "request",
    "E",
    "cert",
    "key",
    "n",
    "netrc",
    "netrc-file",
    "oauth2-bearer",
    "x",
    "proxy",
    "k",
    "insecure",
    "K",
    "config",
    "T",
    "upload-file",
    "r",
    "range",
    "C",
    "continue-at",
];
/// curl options that take a value (so their value is not the URL).
const CURL_VALUES: &str = "AbcCdDeEFHKmoruTUwxXYyz";

const WGET_UNSUPPORTED: &[&str] = &[
    "header",
    "user",
    "password",
    "http-user",
    "http-password",
    "load-cookies",
    "post-data",
    "post-file",
    "body-data",
    "method",
    "no-check-certificate",
    "certificate",
    "private-key",
    "e",
    "execute",
    "i",
    "input-file",
    "c",
    "continue",
];
const WGET_VALUES: &str = "aeiDIoOPQTtUwXlA";

/// tar options `ADD --unpack` has no equivalent for.
const TAR_UNSUPPORTED: &[&str] = &[
    "strip-components",
    "exclude",
    "exclude-from",
    "X",
    "transform",
    "xform",
    "wildcards",
    "files-from",
    "T",
    "zstd",
    "use-compress-program",
    "I",
    "to-stdout",
    "O",
    "to-command",
    "one-top-level",
    "K",
    "starting-file",
    "N",
    "newer",
    "after-date",
    "lzip",
    "lzop",
];
const TAR_VALUES: &str = "bCfFgHIKLNTVX";

/// A download: where it goes and what it fetches.
struct Download<'a> {
    command: &'a SimpleCommand,
    url: String,
    /// The saved file's name (`None`: written to stdout).
    output: Option<String>,
}

/// An extraction: which archive and where to.
struct Extraction<'a> {
    command: &'a SimpleCommand,
    /// The archive (`None` or `-`: stdin).
    archive: Option<String>,
    directory: Option<String>,
}

impl Rule for DownloadThenExtract {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (index, inst, info) in cx.instructions() {
            if inst.keyword != Keyword::Run || !info.shell.is_posix() {
                continue;
            }
            for code in &info.scripts {
                check_script(cx, index, code);
            }
        }
    }
}

fn check_script(cx: &Checker, index: usize, code: &ShellCode) {
    let commands = &code.script.commands;
    if commands.is_empty()
        || code.script.has_errors()
        || commands.iter().any(|c| {
            !matches!(c.context, Context::TopLevel | Context::Group)
                || !c.program().is_some_and(|p| HARMLESS.contains(&p))
        })
    {
        return;
    }
    let mut downloads = Vec::new();
    let mut extractions = Vec::new();
    let mut removed = Vec::new();
    for c in commands {
        match c.program() {
            Some("curl") => downloads.push(curl(cx, index, c)),
            Some("wget") => downloads.push(wget(cx, index, c)),
            Some("tar") => extractions.push(tar(cx, index, c)),
            Some("rm") => removed.extend(c.args().iter().map(|w| w.value.clone())),
            _ => {}
        }
    }
    // Every download and every extraction must be understood, and paired.
    let (Some(downloads), Some(extractions)) = (
        downloads.into_iter().collect::<Option<Vec<_>>>(),
        extractions.into_iter().collect::<Option<Vec<_>>>(),
    ) else {
        return;
    };
    if downloads.len() != 1 || extractions.len() != 1 {
        return;
    }
    let (d, t) = (&downloads[0], &extractions[0]);
    let piped = match (&d.command.pipeline, &t.command.pipeline) {
        (Some(a), Some(b)) => a.id == b.id && b.index == a.index + 1 && b.is_last(),
        _ => false,
    };
    let connected = match (&d.output, t.archive.as_deref()) {
        (None, None | Some("-")) => piped,
        (Some(file), Some(archive)) => {
            !piped
                && d.command.range.end <= t.command.range.start
                && basename(file) == basename(archive)
        }
        _ => false,
    };
    if !connected || (d.command.pipeline.is_some() && !piped) {
        return;
    }
    // `rm` may only delete the downloaded archive (deleting what was unpacked means it was temporary).
    let archive = d.output.as_deref().map(basename);
    let removes_other = removed.iter().any(|r| match r.as_deref() {
        None => true,
        Some(v) => !v.starts_with('-') && Some(basename(v)) != archive,
    });
    if removes_other {
        return;
    }
    let directory = t.directory.as_deref().unwrap_or(".");
    let dest = if directory.ends_with('/') {
        directory.to_string()
    } else {
        format!("{directory}/")
    };
    let program = d.command.program().unwrap_or("curl");
    cx.report(
        Finding::new(
            code.source_range(d.command.range.clone()),
            format!(
                "`{program}` fetches an archive only for `tar` to unpack it: `ADD --unpack=true {} {dest}` \
                 does both without `{program}` and `tar` in the image",
                d.url
            ),
        )
        .with_related(
            FileId::MAIN,
            code.source_range(t.command.range.clone()),
            "unpacked here",
        ),
    );
}

/// The value of an argument: static, or made of build arguments and ENV values
/// `ADD` expands as well.
fn build_value(cx: &Checker, index: usize, w: &Word) -> Option<String> {
    if let Some(v) = &w.value {
        return Some(v.to_string());
    }
    let raw = dockside_syntax::words::unquote(&w.raw, cx.dockerfile.escape);
    cx.model.expand(index, &raw).complete.then_some(raw)
}

/// Splits arguments into options (`name`, value) and operands, with the
/// single-letter options in `values` and long options in `long_values` taking a value.
#[allow(clippy::type_complexity)]
fn options<'w>(
    args: &'w [Word],
    values: &str,
    long_values: &[&str],
) -> (
    Vec<(String, Option<&'w Word>, Option<String>)>,
    Vec<&'w Word>,
) {
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        i += 1;
        let Some(v) = w.value.as_deref() else {
            operands.push(w);
            continue;
        };
        if v == "--" {
            operands.extend(&args[i..]);
            break;
        }
        if let Some(long) = v.strip_prefix("--") {
            match long.split_once('=') {
                Some((name, value)) => opts.push((name.to_string(), None, Some(value.to_string()))),
                None if long_values.contains(&long) => {
                    let value = args.get(i);
                    i += 1;
                    opts.push((long.to_string(), value, None));
                }
                None => opts.push((long.to_string(), None, None)),
            }
        } else if let Some(short) = v.strip_prefix('-').filter(|s| !s.is_empty()) {
            for (k, c) in short.char_indices() {
                if values.contains(c) {
                    let rest = &short[k + c.len_utf8()..];
                    if rest.is_empty() {
                        let value = args.get(i);
                        i += 1;
                        opts.push((c.to_string(), value, None));
                    } else {
                        opts.push((c.to_string(), None, Some(rest.to_string())));
                    }
                    break;
                }
                opts.push((c.to_string(), None, None));
            }
        } else {
            operands.push(w);
        }
    }
    (opts, operands)
}

/// The value of option `names` (last one wins): from `--name=value`/`-Xvalue`, or the next word.
fn value_of(
    cx: &Checker,
    index: usize,
    opts: &[(String, Option<&Word>, Option<String>)],
    names: &[&str],
) -> Option<Option<String>> {
    let (_, word, inline) = opts
        .iter()
        .rev()
        .find(|(n, _, _)| names.contains(&n.as_str()))?;
    Some(match (word, inline) {
        (_, Some(v)) => Some(v.clone()),
        (Some(w), None) => build_value(cx, index, w),
        (None, None) => None,
    })
}

fn single_url(cx: &Checker, index: usize, operands: &[&Word]) -> Option<String> {
    let [w] = operands else {
        return None;
    };
    let url = build_value(cx, index, w)?;
    (url.starts_with("https://") || url.starts_with("http://")).then_some(url)
}

fn curl<'a>(cx: &Checker, index: usize, c: &'a SimpleCommand) -> Option<Download<'a>> {
    let (opts, operands) = options(
        c.args(),
        CURL_VALUES,
        &[
            "output",
            "user-agent",
            "retry",
            "retry-delay",
            "retry-max-time",
            "max-time",
            "connect-timeout",
            "proto",
            "proto-redir",
            "header",
            "user",
            "cookie",
            "data",
            "form",
            "request",
            "cert",
            "key",
            "proxy",
            "config",
            "range",
            "continue-at",
            "netrc-file",
            "oauth2-bearer",
            "output-dir",
            "write-out",
            "limit-rate",
            "max-filesize",
            "cacert",
            "capath",
        ],
    );
    if opts
        .iter()
        .any(|(n, _, _)| CURL_UNSUPPORTED.contains(&n.as_str()))
    {
        return None;
    }
    let url = single_url(cx, index, &operands)?;
    let output = match value_of(cx, index, &opts, &["o", "output"]) {
        Some(file) => Some(file?).filter(|f| f != "-"),
        None if opts.iter().any(|(n, _, _)| n == "O" || n == "remote-name") => {
            Some(basename(url.split(['?', '#']).next().unwrap_or(&url)).to_string())
        }
        None => None,
    };
    Some(Download {
        command: c,
        url,
        output,
    })
}

fn wget<'a>(cx: &Checker, index: usize, c: &'a SimpleCommand) -> Option<Download<'a>> {
    let (opts, operands) = options(
        c.args(),
        WGET_VALUES,
        &[
            "output-document",
            "output-file",
            "append-output",
            "directory-prefix",
            "tries",
            "timeout",
            "wait",
            "progress",
            "user-agent",
            "header",
            "user",
            "password",
            "http-user",
            "http-password",
            "load-cookies",
            "post-data",
            "post-file",
            "body-data",
            "method",
            "certificate",
            "private-key",
            "execute",
            "input-file",
            "limit-rate",
            "ca-certificate",
        ],
    );
    if opts
        .iter()
        .any(|(n, _, _)| WGET_UNSUPPORTED.contains(&n.as_str()))
    {
        return None;
    }
    let url = single_url(cx, index, &operands)?;
    let output = match value_of(cx, index, &opts, &["O", "output-document"]) {
        Some(file) => Some(file?).filter(|f| f != "-"),
        None => Some(basename(url.split(['?', '#']).next().unwrap_or(&url)).to_string()),
    };
    Some(Download {
        command: c,
        url,
        output,
    })
}

fn tar<'a>(cx: &Checker, index: usize, c: &'a SimpleCommand) -> Option<Extraction<'a>> {
    let args = c.args();
    // Old-style bundled letters (`tar xzf file`): rewrite as `-xzf file`.
    let bundled: Vec<Word>;
    let args = match args.first().and_then(|w| w.value.as_deref()) {
        Some(v)
            if !v.starts_with('-')
                && !v.is_empty()
                && v.chars().all(|c| c.is_ascii_alphabetic()) =>
        {
            let mut first = args[0].clone();
            first.value = Some(format!("-{v}").into());
            bundled = std::iter::once(first)
                .chain(args[1..].iter().cloned())
                .collect();
            &bundled[..]
        }
        _ => args,
    };
    let (opts, operands) = options(
        args,
        TAR_VALUES,
        &[
            "file",
            "directory",
            "strip-components",
            "exclude",
            "exclude-from",
            "transform",
            "xform",
            "files-from",
            "use-compress-program",
            "owner",
            "group",
            "mode",
            "to-command",
            "starting-file",
            "newer",
            "after-date",
            "blocking-factor",
            "format",
        ],
    );
    let extracts = opts
        .iter()
        .any(|(n, _, _)| n == "x" || n == "extract" || n == "get");
    if !extracts
        || !operands.is_empty()
        || opts
            .iter()
            .any(|(n, _, _)| TAR_UNSUPPORTED.contains(&n.as_str()))
    {
        return None;
    }
    let archive = match value_of(cx, index, &opts, &["f", "file"]) {
        Some(file) => Some(file?),
        None => None,
    };
    let directory = match value_of(cx, index, &opts, &["C", "directory"]) {
        Some(dir) => Some(dir?),
        None => None,
    };
    Some(Extraction {
        command: c,
        archive,
        directory,
    })
}

fn basename(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}
