use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports `useradd` with a UID of 65536 or more (`-u` / `--uid`) and
    /// without `-l` / `--no-log-init`.
    ///
    /// ## Why is this bad?
    /// `useradd` reserves an entry for the new UID in `/var/log/lastlog` and
    /// `/var/log/faillog`, which are indexed by UID: the files are sparse on
    /// disk but image layers store them in full. A UID of 100000 adds about
    /// 30 MB to the layer, a UID of a billion fills the disk during the build.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN useradd -u 100000 app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN useradd -l -u 100000 app
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `-l`, which only skips the lastlog and faillog entries:
    /// safe.
    pub struct UseraddHighUid {
        name: "useradd-high-uid",
        code: "DF713",
        group: "user",
        severity: Warning,
        aliases: ["DL3046"],
        fix: Always,
        summary: "useradd with a high UID and without -l bloats the image",
    }
}

impl Rule for UseraddHighUid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (_, _, info) in cx.instructions() {
            for code in &info.scripts {
                for cmd in &code.script.commands {
                    if cmd.program() != Some("useradd")
                        || cmd.has_flag(Some('l'), Some("no-log-init"))
                    {
                        continue;
                    }
                    let args = cmd.args();
                    let uid = args.iter().enumerate().find_map(|(i, w)| {
                        let v = w.value.as_deref()?;
                        if v == "-u" || v == "--uid" {
                            args.get(i + 1)?.value.as_ref().map(ToString::to_string)
                        } else if let Some(rest) = v.strip_prefix("--uid=") {
                            Some(rest.to_string())
                        } else {
                            v.strip_prefix("-u")
                                .filter(|r| !r.is_empty())
                                .map(str::to_string)
                        }
                    });
                    let Some(uid) = uid.and_then(|u| u.parse::<u64>().ok()) else {
                        continue;
                    };
                    if uid < 65536 {
                        continue;
                    }
                    let Some(program) = cmd.unwrapped_argv().first() else {
                        continue;
                    };
                    let range = code.source_range(program.range.clone());
                    let mut finding = Finding::new(
                        range,
                        format!(
                            "`useradd` with UID {uid} and without `-l` writes a huge sparse /var/log/lastlog into the \
                             layer; add `-l` (`--no-log-init`)"
                        ),
                    );
                    if range.len() == program.raw.len() {
                        finding = finding.with_fix(Fix::safe(
                            "Add `-l`",
                            vec![Edit::insert(range.end as usize, " -l")],
                        ));
                    }
                    cx.report(finding);
                }
            }
        }
    }
}
