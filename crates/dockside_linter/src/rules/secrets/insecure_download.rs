use dockside_shell::{SimpleCommand, Word};
use dockside_syntax::TextRange;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports commands in `RUN` that turn off TLS certificate or package
    /// signature verification:
    /// - `curl -k` / `--insecure`, `wget --no-check-certificate`;
    /// - `git -c http.sslVerify=false`, `git config … http.sslVerify false`;
    /// - `apt-get --allow-unauthenticated`, `--allow-insecure-repositories`,
    ///   `--force-yes`, `-o Acquire::https::Verify-Peer=false`;
    /// - `yum` / `dnf` / `microdnf` / `tdnf` `--nogpgcheck` or
    ///   `--setopt=sslverify=false`, `zypper --no-gpg-checks`, `rpm
    ///   --nosignature` of a remote package;
    /// - `apk --allow-untrusted` when it installs from a repository;
    /// - `pip install --trusted-host`, `pip config set global.trusted-host`;
    /// - `npm` / `yarn` / `pnpm` `config set strict-ssl false` or
    ///   `--strict-ssl=false`.
    ///
    /// Installing local package files (`apk add --allow-untrusted
    /// /tmp/pkg.apk`, `dnf install --nogpgcheck ./local.rpm`), built in an
    /// earlier stage and never signed, is not reported.
    ///
    /// ## Why is this bad?
    /// The build downloads code that ends up in the image. Without
    /// verification anyone on the network path can substitute it; the build
    /// still succeeds and the image carries whatever was served. Behind a
    /// TLS-intercepting proxy, add the proxy's CA certificate to the trust
    /// store instead.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -skL https://example.com/tool.tar.gz | tar xz
    /// RUN pip install --trusted-host pypi.org -r requirements.txt
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN curl -sL https://example.com/tool.tar.gz | tar xz
    /// RUN pip install -r requirements.txt
    /// ```
    ///
    /// ## Fix safety
    /// The fix removes a standalone `--insecure`, `-k`,
    /// `--no-check-certificate`, `--allow-unauthenticated` or `--nogpgcheck`
    /// word. It is unsafe: the download fails if the server's certificate or
    /// the package signature really cannot be verified.
    pub struct InsecureDownload {
        name: "insecure-download",
        code: "DF303",
        group: "secrets",
        severity: Warning,
        aliases: [],
        fix: Sometimes,
        summary: "RUN turns off TLS or signature verification",
    }
}

impl Rule for InsecureDownload {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (_, _, info) in cx.instructions() {
            for code in &info.scripts {
                for cmd in &code.script.commands {
                    let Some((word, what)) = insecure(cmd) else {
                        continue;
                    };
                    let range = code.source_range(word.range.clone());
                    let mut finding = Finding::new(
                        range,
                        format!(
                            "{what}: downloads are not verified and can be replaced on the way; remove it and trust the needed CA or key instead"
                        ),
                    );
                    let v = word.value.as_deref().unwrap_or("");
                    if matches!(
                        v,
                        "-k" | "--insecure"
                            | "--no-check-certificate"
                            | "--allow-unauthenticated"
                            | "--nogpgcheck"
                    ) && range.len() == word.raw.len()
                    {
                        let start = range.start as usize;
                        let from = if cx.source[..start].ends_with(' ') {
                            start - 1
                        } else {
                            start
                        };
                        finding = finding.with_fix(Fix::unsafe_(
                            format!("Remove `{v}`"),
                            vec![Edit::delete(TextRange::new(from, range.end as usize))],
                        ));
                    }
                    cx.report(finding);
                }
            }
        }
    }
}

fn val(w: &Word) -> &str {
    w.value.as_deref().unwrap_or("")
}

/// The word that disables verification, and a description.
fn insecure(cmd: &SimpleCommand) -> Option<(&Word, String)> {
    let program = cmd.program()?;
    let args = cmd.args();
    let find = |pred: &dyn Fn(&str) -> bool| {
        args.iter()
            .take_while(|w| val(w) != "--")
            .find(|w| pred(val(w)))
    };
    match program {
        "curl" | "wget" if loopback_only(args) => None,
        "curl" => {
            let i = cmd.flag_index(Some('k'), Some("insecure"))?;
            Some((
                &args[i],
                "`curl` with `--insecure` skips certificate verification".into(),
            ))
        }
        "wget" => find(&|v| v == "--no-check-certificate").map(|w| {
            (
                w,
                "`wget --no-check-certificate` skips certificate verification".into(),
            )
        }),
        "git" => {
            let w = args.iter().enumerate().find(|(i, w)| {
                let v = val(w).to_ascii_lowercase();
                v.starts_with("http.sslverify=") && is_false(&v["http.sslverify=".len()..])
                    || (v == "http.sslverify"
                        && args
                            .get(i + 1)
                            .is_some_and(|n| is_false(&val(n).to_ascii_lowercase())))
            })?;
            Some((
                w.1,
                "git with `http.sslVerify` off skips certificate verification".into(),
            ))
        }
        "apt-get" | "apt" | "aptitude" => {
            let w = find(&|v| {
                matches!(
                    v,
                    "--allow-unauthenticated" | "--allow-insecure-repositories" | "--force-yes"
                ) || v.to_ascii_lowercase().contains("verify-peer=false")
                    || v.to_ascii_lowercase()
                        .contains("allowinsecurerepositories=true")
            })?;
            Some((
                w,
                format!(
                    "`{program} {}` installs packages without verifying them",
                    val(w)
                ),
            ))
        }
        "yum" | "dnf" | "microdnf" | "tdnf" | "zypper" => {
            let w = find(&|v| {
                let l = v.to_ascii_lowercase();
                matches!(l.as_str(), "--nogpgcheck" | "--no-gpg-checks")
                    || l.starts_with("--setopt=sslverify=")
                        && is_false(l.trim_start_matches("--setopt=sslverify="))
                    || l.starts_with("--setopt=gpgcheck=")
                        && is_false(l.trim_start_matches("--setopt=gpgcheck="))
            })?;
            if local_packages_only(args, ".rpm") {
                return None;
            }
            Some((
                w,
                format!(
                    "`{program} {}` installs packages without verifying them",
                    val(w)
                ),
            ))
        }
        "rpm" => {
            let w = find(&|v| matches!(v, "--nosignature" | "--nodigest"))?;
            if !args.iter().any(|a| val(a).contains("://")) {
                return None;
            }
            Some((
                w,
                format!(
                    "`rpm {}` installs a downloaded package without verifying it",
                    val(w)
                ),
            ))
        }
        "apk" => {
            let w = find(&|v| v == "--allow-untrusted")?;
            if local_packages_only(args, ".apk") {
                return None;
            }
            Some((
                w,
                "`apk --allow-untrusted` installs packages without verifying signatures".into(),
            ))
        }
        "pip" | "pip3" | "uv" | "python" | "python3" => {
            if let Some(w) = find(&|v| v == "--trusted-host" || v.starts_with("--trusted-host=")) {
                return Some((
                    w,
                    "`pip --trusted-host` skips certificate verification for that host".into(),
                ));
            }
            let w =
                find(&|v| v == "--allow-insecure-host" || v.starts_with("--allow-insecure-host="))?;
            Some((
                w,
                "`uv --allow-insecure-host` skips certificate verification for that host".into(),
            ))
        }
        "npm" | "yarn" | "pnpm" => {
            if let Some(w) = find(&|v| {
                let l = v.to_ascii_lowercase();
                l.starts_with("--strict-ssl=") && is_false(&l["--strict-ssl=".len()..])
            }) {
                return Some((
                    w,
                    format!("`{program} --strict-ssl=false` skips certificate verification"),
                ));
            }
            let i = args.iter().position(|w| {
                matches!(
                    val(w).to_ascii_lowercase().as_str(),
                    "strict-ssl" | "strict-ssl=false"
                )
            })?;
            let set = args[..i].iter().any(|w| val(w) == "set");
            let value_false = val(&args[i]).contains('=')
                || args
                    .get(i + 1)
                    .is_some_and(|n| is_false(&val(n).to_ascii_lowercase()));
            (set && value_false).then(|| {
                (
                    &args[i],
                    format!(
                        "`{program} config set strict-ssl false` skips certificate verification"
                    ),
                )
            })
        }
        _ => None,
    }
}

fn is_false(v: &str) -> bool {
    matches!(v.trim_matches(['"', '\'']), "false" | "0" | "no" | "off")
}

/// Every package argument is a local file (`/tmp/x.apk`, `./y.rpm`).
fn local_packages_only(args: &[Word], ext: &str) -> bool {
    let pkgs: Vec<&str> = args
        .iter()
        .map(|w| w.value.as_deref().unwrap_or(&w.lossy))
        .filter(|v| {
            !v.starts_with('-')
                && !matches!(
                    *v,
                    "add" | "install" | "localinstall" | "reinstall" | "upgrade" | "update" | "in"
                )
        })
        .collect();
    !pkgs.is_empty()
        && pkgs.iter().all(|p| {
            (p.starts_with('/') || p.starts_with("./") || p.starts_with('*') || p.contains('*'))
                && !p.contains("://")
                && (p.ends_with(ext) || p.ends_with('*'))
        })
}

/// Every URL argument points at the container itself (a health check against its own certificate).
fn loopback_only(args: &[Word]) -> bool {
    let hosts: Vec<&str> = args
        .iter()
        .filter_map(|w| {
            let t = w.value.as_deref().unwrap_or(&w.lossy);
            let rest = &t[t.find("://")? + 3..];
            let authority = rest.split('/').next().unwrap_or(rest);
            let host = authority.rsplit('@').next().unwrap_or(authority);
            Some(host.split(':').next().unwrap_or(host))
        })
        .collect();
    !hosts.is_empty()
        && hosts.iter().all(|h| {
            matches!(*h, "localhost" | "127.0.0.1" | "[" | "0.0.0.0") || h.starts_with("127.")
        })
}
