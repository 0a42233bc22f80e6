use dockside_syntax::Instruction;

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags commands in a `RUN` that make no sense during an image build:
    /// `ssh`, `vim`/`vi`/`nano`, `shutdown`/`reboot`/`halt`/`poweroff`,
    /// `service`, `ps`, `top`, `free`, `kill`, `mount` and `ifconfig`.
    ///
    /// Not reported: `vim` run as a script (`vim +PlugInstall +qall`,
    /// `vim -es -c …`), `ssh` in a RUN with `--mount=type=ssh`, and `kill` in a
    /// RUN that starts a background process, nor `service` followed by other
    /// commands (starting a database, seeding it and stopping it again in one
    /// RUN is a real pattern).
    ///
    /// ## Why is this bad?
    /// A RUN executes once, without a terminal, in a throw-away container whose
    /// only output is its file system: editors and monitors wait for input that
    /// never comes or print to a log nobody reads, services started with
    /// `service` are gone when the step ends, and `mount`, `shutdown` or `kill`
    /// act on a container that is about to disappear. Such commands are
    /// leftovers of an interactive session and usually hide a mistake (a
    /// service expected to run must be the container's `CMD`).
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN service nginx start
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// CMD ["nginx", "-g", "daemon off;"]
    /// ```
    pub struct PointlessCommand {
        name: "pointless-command",
        code: "DF903",
        group: "shell",
        severity: Info,
        aliases: ["DL3001"],
        fix: None,
        summary: "A command that makes no sense in a RUN (`service`, `vim`, `ps`, `shutdown`, …)",
    }
}

impl Rule for PointlessCommand {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Checker) {
        for rc in super::run_commands(cx) {
            let cmd = rc.cmd;
            let Some(program) = cmd.program() else {
                continue;
            };
            let inst = &cx.dockerfile.instructions[rc.index];
            let why = match program {
                "vim" | "vi" | "nvim" | "nano" | "emacs" if !scripted_editor(cmd) => {
                    "an interactive editor has no terminal to run in during a build"
                }
                "top" | "htop" => "a build has no terminal to show `top` on",
                "ps" | "free" => "its output describes a throw-away build container",
                "service"
                    if rc
                        .code
                        .script
                        .final_command()
                        .is_some_and(|f| std::ptr::eq(f, cmd))
                        && cmd
                            .args()
                            .iter()
                            .any(|w| matches!(w.text(), "start" | "restart" | "reload")) =>
                {
                    "a service started in a RUN stops when the step ends: start it from CMD/ENTRYPOINT"
                }
                "shutdown" | "reboot" | "halt" | "poweroff" => {
                    "there is no system to shut down in a build container"
                }
                "mount" => "mounts made in a RUN are gone when the step ends: use `RUN --mount`",
                "ifconfig" => {
                    "the build container's network interfaces are not the running container's"
                }
                "ssh" if !ssh_mount(cx, rc.index, inst) => {
                    "a build has no terminal for an interactive `ssh`: use `RUN --mount=type=ssh` for remote access"
                }
                "kill" | "killall" | "pkill" if !starts_background(rc.code) => {
                    "no process of the build outlives the RUN that started it"
                }
                _ => continue,
            };
            let Some(word) = cmd.unwrapped_argv().first() else {
                continue;
            };
            let range = rc.code.source_range(word.range.clone());
            cx.report(Finding::new(
                range,
                format!("`{program}` makes no sense in a RUN: {why}"),
            ));
        }
    }
}

fn scripted_editor(cmd: &dockside_shell::SimpleCommand) -> bool {
    cmd.args().iter().any(|w| {
        let t = w.text();
        t.starts_with('+')
            || matches!(
                t,
                "-c" | "-e"
                    | "-E"
                    | "-s"
                    | "-es"
                    | "-Es"
                    | "-S"
                    | "--headless"
                    | "--cmd"
                    | "--batch"
            )
    })
}

fn ssh_mount(cx: &Checker, index: usize, inst: &Instruction) -> bool {
    inst.flags_named("mount").any(|f| {
        f.value
            .as_deref()
            .is_some_and(|v| cx.model.expand(index, v).value.contains("type=ssh"))
    })
}

fn starts_background(code: &dockside_semantic::ShellCode) -> bool {
    code.script.commands.iter().any(|c| c.background)
        || code.text.as_str().contains("$!")
        || code.text.as_str().contains("pidof")
        || code.text.as_str().contains(".pid")
}
