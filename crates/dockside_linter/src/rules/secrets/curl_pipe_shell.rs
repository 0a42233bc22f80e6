use dockside_shell::{SimpleCommand, Word};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a remote script run straight from the network in `RUN`:
    /// `curl … | sh`, `wget -O- … | bash`, `curl … | python3 -`, and the
    /// substitution forms `sh -c "$(curl …)"` and `bash <(curl …)`. The
    /// interpreters recognised are `sh`, `bash`, `ash`, `dash`, `zsh`, `ksh`,
    /// `python`, `perl`, `ruby`, `node` and `php`, also behind `sudo` or `env`.
    ///
    /// ## Why is this bad?
    /// Whatever the server returns is executed as root in the build, with no
    /// way to pin or verify it: a compromised or changed install script, or a
    /// truncated download (the shell runs the part it got), silently changes
    /// the image. Builds are not reproducible either, since the script can
    /// change between two builds of the same Dockerfile.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSL https://get.example.com/install.sh | sh
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ADD --checksum=sha256:4f4b0f… https://get.example.com/v1.2.3/install.sh /tmp/install.sh
    /// RUN sh /tmp/install.sh
    /// ```
    pub struct CurlPipeShell {
        name: "curl-pipe-shell",
        code: "DF304",
        group: "secrets",
        severity: Warning,
        aliases: [],
        fix: None,
        summary: "A downloaded script is piped straight into a shell or interpreter",
    }
}

impl Rule for CurlPipeShell {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (_, _, info) in cx.instructions() {
            for code in &info.scripts {
                let commands = &code.script.commands;
                for (i, cmd) in commands.iter().enumerate() {
                    let Some(interp) = interpreter(cmd) else {
                        continue;
                    };
                    // `curl … | sh`: a downloader earlier in the same pipeline.
                    let piped = cmd.pipeline.filter(|p| p.index > 0).and_then(|p| {
                        commands[..i].iter().rev().find(|c| {
                            c.pipeline
                                .is_some_and(|q| q.id == p.id && q.index < p.index)
                                && downloads_to_stdout(c)
                        })
                    });
                    if let Some(dl) = piped {
                        let start = dl.range.start;
                        let range = code.source_range(start..cmd.range.end.max(start));
                        cx.report(Finding::new(
                            range,
                            format!(
                                "the output of `{}` is run by `{interp}` without any integrity check; download the \
                                 script to a file, verify its checksum (or use `ADD --checksum`), then run it",
                                dl.program().unwrap_or("curl")
                            ),
                        ));
                        continue;
                    }
                    // `sh -c "$(curl …)"`, `bash <(curl …)`.
                    if let Some(w) = cmd.args().iter().find(|w| substitutes_download(w)) {
                        let range =
                            code.source_range(cmd.range.start..w.range.end.max(cmd.range.start));
                        cx.report(Finding::new(
                            range,
                            format!(
                                "a downloaded script is run by `{interp}` without any integrity check; download it to a \
                                 file, verify its checksum (or use `ADD --checksum`), then run it"
                            ),
                        ));
                    }
                }
            }
        }
    }
}

const INTERPRETERS: &[&str] = &[
    "sh", "bash", "ash", "dash", "zsh", "ksh", "python", "python2", "python3", "perl", "ruby",
    "node", "php",
];

fn interpreter(cmd: &SimpleCommand) -> Option<&str> {
    let p = cmd.program()?;
    let base = p.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    (INTERPRETERS.contains(&p) || INTERPRETERS.contains(&base)).then_some(p)
}

/// `curl URL` without `-o`/`-O`, `wget -O - URL`.
fn downloads_to_stdout(cmd: &SimpleCommand) -> bool {
    let args = cmd.args();
    let has_url = args
        .iter()
        .any(|w| w.lossy.contains("://") || w.lossy.contains("http"));
    match cmd.program() {
        Some("curl") => {
            has_url
                && !args.iter().any(|w| {
                    let v = w.lossy.as_str();
                    v == "-o"
                        || v == "-O"
                        || v.starts_with("--output")
                        || v == "--remote-name"
                        || (v.starts_with('-') && !v.starts_with("--") && v.contains(['o', 'O']))
                })
        }
        Some("wget") => {
            let args_text: Vec<&str> = args.iter().map(|w| w.lossy.as_str()).collect();
            has_url
                && args_text.iter().enumerate().any(|(i, v)| {
                    (v.starts_with('-') && !v.starts_with("--") && v.ends_with("O-"))
                        || *v == "--output-document=-"
                        || ((*v == "-O"
                            || v.ends_with('O') && v.starts_with('-') && !v.starts_with("--")
                            || *v == "--output-document")
                            && args_text.get(i + 1) == Some(&"-"))
                })
        }
        _ => false,
    }
}

fn substitutes_download(w: &Word) -> bool {
    let raw = w.raw.as_str();
    [
        "$(curl ", "$(wget ", "<(curl ", "<(wget ", "`curl ", "`wget ",
    ]
    .iter()
    .any(|p| raw.contains(p))
}
