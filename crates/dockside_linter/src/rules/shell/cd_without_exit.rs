use dockside_shell::StatementKind;
use dockside_syntax::Keyword;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a `cd` that is a statement of its own (`cd /src; make`, or a line
    /// of a heredoc script) followed by more commands, when nothing stops the
    /// script if it fails: no `&&`, no `|| exit`, no `set -e` before it, no
    /// `-e` in the SHELL.
    ///
    /// ## Why is this bad?
    /// If the directory does not exist, `cd` fails, the shell carries on in
    /// the previous directory and the next commands run in the wrong place:
    /// `make` builds nothing, `rm -rf *` deletes the wrong files. The step may
    /// still succeed.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN cd /src; make install
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// WORKDIR /src
    /// RUN make install
    /// ```
    ///
    /// ## Fix safety
    /// The fix appends `|| exit` to the `cd`. It is unsafe: the step now fails
    /// where it used to carry on.
    pub struct CdWithoutExit {
        name: "cd-without-exit",
        code: "DF908",
        group: "shell",
        severity: Warning,
        aliases: ["SC2164"],
        fix: Always,
        summary: "`cd` whose failure is ignored before more commands",
    }
}

impl Rule for CdWithoutExit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        let shells = super::shell_words(cx);
        for (index, inst, info) in cx.instructions() {
            if inst.keyword != Keyword::Run || !info.shell.is_posix() {
                continue;
            }
            if shells
                .get(index)
                .and_then(Option::as_ref)
                .is_some_and(|w| super::shell_sets_errexit(w))
            {
                continue;
            }
            for code in &info.scripts {
                let script = &code.script;
                let mut errexit = false;
                for (n, stmt) in script.statements.iter().enumerate() {
                    let mut commands = script.statement_commands(stmt);
                    let Some(cmd) = commands.next() else { continue };
                    if super::is_set_errexit(cmd) {
                        errexit = true;
                    }
                    if errexit
                        || stmt.kind != StatementKind::Simple
                        || stmt.background
                        || cmd.program() != Some("cd")
                        || n + 1 == script.statements.len()
                    {
                        continue;
                    }
                    let range = code.source_range(cmd.range.clone());
                    cx.report(
                        Finding::new(
                            range,
                            "if this `cd` fails the next commands run in the wrong directory: use `cd … || exit`, `&&`, or WORKDIR",
                        )
                        .with_fix(Fix::unsafe_(
                            "Append `|| exit`",
                            vec![Edit::insert(range.end as usize, " || exit")],
                        )),
                    );
                }
            }
        }
    }
}
