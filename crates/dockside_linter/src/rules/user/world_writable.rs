use dockside_shell::SimpleCommand;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports `chmod` in `RUN` that makes files or directories writable by
    /// every user: numeric modes whose last digit grants write (`777`, `666`,
    /// `-R 0777`, `772`) and symbolic modes giving others write (`a+rwx`,
    /// `o+w`, `ugo+w`, `a=rwx`). Modes with the sticky bit (`1777`, `+t`, the
    /// usual mode of a shared `/tmp`-like directory) are not reported, nor
    /// are scratch directories (`/tmp/…`, `/var/tmp/…`, `"$tempDir"`).
    ///
    /// ## Why is this bad?
    /// World-writable files let any process in the container, whatever user it
    /// runs as, replace code or configuration that another (often more
    /// privileged) process then executes. It usually works around a
    /// permission problem that `--chown` on `COPY`, a `chown` of the one
    /// directory the application writes, or running as the owning user solves
    /// properly.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN chmod -R 777 /app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// COPY --chown=app:app . /app
    /// RUN chown app:app /app/data && chmod 750 /app/data
    /// ```
    pub struct WorldWritable {
        name: "world-writable",
        code: "DF717",
        group: "user",
        severity: Warning,
        aliases: ["world-writable-state-path-workaround"],
        fix: None,
        summary: "chmod makes files writable by every user",
    }
}

impl Rule for WorldWritable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for (_, _, info) in cx.instructions() {
            for code in &info.scripts {
                for cmd in &code.script.commands {
                    let Some(word) = world_writable_mode(cmd) else {
                        continue;
                    };
                    cx.report(Finding::new(
                        code.source_range(word.range.clone()),
                        format!(
                            "`chmod {}` makes the files writable by every user of the container; give ownership to the \
                             user that needs to write (`chown`, `COPY --chown`) and use a mode such as 755 or 750",
                            word.value.as_deref().unwrap_or("")
                        ),
                    ));
                }
            }
        }
    }
}

fn world_writable_mode(cmd: &SimpleCommand) -> Option<&dockside_shell::Word> {
    if cmd.program() != Some("chmod") {
        return None;
    }
    let mode = cmd.args().iter().find(|w| {
        w.value.as_deref().is_some_and(|v| {
            !v.starts_with("--") && !matches!(v, "-R" | "-v" | "-f" | "-c" | "-Rf" | "-fR")
        })
    })?;
    let v = mode.value.as_deref()?;
    let writable = if v.chars().all(|c| c.is_ascii_digit()) && (3..=4).contains(&v.len()) {
        let sticky = v.len() == 4 && matches!(v.as_bytes()[0], b'1' | b'3' | b'5' | b'7');
        let other = v.as_bytes()[v.len() - 1] - b'0';
        !sticky && other & 2 != 0
    } else {
        v.split(',').any(|clause| {
            let op = clause.find(['+', '=']);
            op.is_some_and(|i| {
                let (who, perms) = clause.split_at(i);
                (who.contains('a') || who.contains('o'))
                    && perms[1..].contains('w')
                    && !perms.contains('t')
            })
        }) && !v.contains('t')
    };
    // Scratch directories (`chmod 777 "$tempDir"`, `/tmp/build`), removed again or shared on purpose.
    let targets: Vec<&str> = cmd
        .args()
        .iter()
        .filter(|w| !std::ptr::eq(*w, mode) && !w.lossy.starts_with('-'))
        .map(|w| w.lossy.as_str())
        .collect();
    let temporary = !targets.is_empty()
        && targets.iter().all(|t| {
            let l = t.to_ascii_lowercase();
            l.starts_with("/tmp")
                || l.starts_with("/var/tmp")
                || l.contains("tmpdir")
                || l.contains("tempdir")
        });
    (writable && !temporary).then_some(mode)
}
