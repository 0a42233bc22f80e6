use dockside_syntax::{Body, Keyword};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an `EXPOSE` port that names an IP address or a host port
    /// (`EXPOSE 8080:80`, `EXPOSE 127.0.0.1:80:80`).
    ///
    /// ## Why is this bad?
    /// `EXPOSE` only documents the ports the container listens on; which host
    /// port and address they are published on is decided when the container
    /// runs (`docker run -p 8080:80`, Compose `ports:`). The builder ignores
    /// the host part, so `EXPOSE 8080:80` publishes nothing on 8080, which is
    /// what the author expected.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 8080:80
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// EXPOSE 80
    /// ```
    ///
    /// ## Fix safety
    /// Keeping only the container port is safe: it is the only part the
    /// builder uses.
    pub struct ExposeHostMapping {
        name: "expose-host-mapping",
        code: "DF511",
        group: "best-practice",
        severity: Warning,
        aliases: ["ExposeInvalidFormat"],
        fix: Sometimes,
        summary: "EXPOSE with an IP address or host:container mapping",
    }
}

impl Rule for ExposeHostMapping {
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
                let value = dockside_syntax::words::unquote(&expanded.value, cx.dockerfile.escape);
                if !value.contains(':') {
                    continue;
                }
                let container = value.rsplit(':').next().unwrap_or_default();
                let mut finding = Finding::new(
                    word.range,
                    format!(
                        "EXPOSE `{value}` names a host address or port, which EXPOSE ignores; expose the container port (`{container}`) and publish it with `docker run -p` or Compose `ports:`"
                    ),
                );
                if !word.value.contains('$')
                    && word.value == value
                    && !container.is_empty()
                    && container.starts_with(|c: char| c.is_ascii_digit())
                {
                    finding = finding.with_fix(Fix::safe(
                        format!("Use `{container}`"),
                        vec![Edit::replace(word.range, container.to_string())],
                    ));
                }
                cx.report(finding);
            }
        }
    }
}
