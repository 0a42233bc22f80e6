use dockside_syntax::{Body, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix, Severity};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks each port of `EXPOSE`: a port must be a number from 1 to 65535
    /// (or a range `8000-8010`), and the protocol, when given, `tcp`, `udp` or
    /// `sctp`. A protocol in upper case (`80/TCP`) is reported as a warning,
    /// like BuildKit's `ExposeProtoCasing`.
    ///
    /// Ports written with a build argument without a default are not judged.
    /// `ip:host:container` mappings are reported by `expose-host-mapping`.
    ///
    /// ## Why is this bad?
    /// The builder refuses a port above 65535, a word that is not a port and an
    /// unknown protocol, so the image does not build. Port 0 means "any free
    /// port" to a program, which no client can be told in advance. Upper-case
    /// protocols work only because the builder lowers them, and they show up
    /// as a separate key in tools that read the image configuration.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 80/TCP 443/http 70000
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// EXPOSE 80/tcp 443/tcp 7000
    /// ```
    ///
    /// ## Fix safety
    /// Lower-casing the protocol is safe: the builder does the same.
    pub struct InvalidExpose {
        name: "invalid-expose",
        code: "DF510",
        group: "best-practice",
        severity: Error,
        aliases: ["DL3011", "ExposeProtoCasing"],
        fix: Sometimes,
        summary: "EXPOSE port out of range, not a port, or with an invalid or upper-case protocol",
    }
}

/// A port number: `Ok(n)` for digits, `Err(())` otherwise.
fn port(s: &str) -> Result<u64, ()> {
    if s.is_empty() || s.len() > 12 || !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(());
    }
    s.parse().map_err(|_| ())
}

impl Rule for InvalidExpose {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (i, inst, _) in cx.instructions() {
            let (Keyword::Expose, Body::Words(words)) = (inst.keyword, &inst.body) else {
                continue;
            };
            for word in words {
                let expanded = cx.model.expand(i, &word.value);
                if !expanded.complete {
                    continue;
                }
                let literal = !word.value.contains('$');
                let value = dockside_syntax::words::unquote(&expanded.value, cx.dockerfile.escape);
                for spec in value.split_whitespace() {
                    // Host mappings belong to `expose-host-mapping`.
                    if spec.contains(':') {
                        continue;
                    }
                    let (ports, proto) = match spec.split_once('/') {
                        Some((p, proto)) => (p, Some(proto)),
                        None => (spec, None),
                    };
                    let (lo, hi) = match ports.split_once('-') {
                        Some((a, b)) => (a, Some(b)),
                        None => (ports, None),
                    };
                    let bounds = [Some(lo), hi]
                        .into_iter()
                        .flatten()
                        .map(port)
                        .collect::<Vec<_>>();
                    if bounds.iter().any(Result::is_err) {
                        cx.report(Finding::new(
                            word.range,
                            format!("`{spec}` is not a port number, so the build fails; write `EXPOSE <port>[/tcp|udp|sctp]`"),
                        ));
                        continue;
                    }
                    let numbers: Vec<u64> = bounds.into_iter().flatten().collect();
                    if numbers.iter().any(|&n| n > 65535) {
                        cx.report(Finding::new(
                            word.range,
                            format!("`{ports}` is out of range (ports run from 1 to 65535), so the build fails"),
                        ));
                        continue;
                    }
                    if numbers.contains(&0) {
                        cx.report(
                            Finding::new(
                                word.range,
                                "port 0 is not a port a service can be reached on; expose the port the application listens on",
                            )
                            .with_severity(Severity::Warning),
                        );
                        continue;
                    }
                    if let [a, b] = numbers[..]
                        && a > b
                    {
                        cx.report(Finding::new(
                            word.range,
                            format!("the range `{ports}` ends before it starts, so the build fails; write `{b}-{a}`"),
                        ));
                        continue;
                    }
                    let Some(proto) = proto else { continue };
                    let lower = proto.to_ascii_lowercase();
                    if !matches!(lower.as_str(), "tcp" | "udp" | "sctp") {
                        cx.report(Finding::new(
                            word.range,
                            format!("`{proto}` is not a protocol EXPOSE knows (tcp, udp or sctp), so the build fails"),
                        ));
                        continue;
                    }
                    if lower != proto {
                        let mut finding = Finding::new(
                            word.range,
                            format!("write the protocol in lower case: `{ports}/{lower}`"),
                        )
                        .with_severity(Severity::Warning);
                        if literal && word.value == spec {
                            finding = finding.with_fix(Fix::safe(
                                format!("Use `{ports}/{lower}`"),
                                vec![Edit::replace(word.range, format!("{ports}/{lower}"))],
                            ));
                        }
                        cx.report(finding);
                    }
                }
            }
        }
    }
}
