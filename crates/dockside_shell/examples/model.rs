//! Print the command model of shell code read from stdin (development aid).
use std::io::Read;

fn main() {
    let mut src = String::new();
    let _ = std::io::stdin().read_to_string(&mut src);
    let script = dockside_shell::parse(&src);
    for (i, st) in script.statements.iter().enumerate() {
        println!(
            "stmt {i} {:?} bg={} cmds={:?} last={:?}",
            st.kind, st.background, st.commands, st.last_command
        );
    }
    for (i, c) in script.commands.iter().enumerate() {
        let argv: Vec<&str> = c.argv.iter().map(|w| w.text()).collect();
        println!(
            "cmd {i} {:?} prog={:?} wrappers={:?} argv={argv:?} assign={:?} redir={:?} ctx={:?} bg={} pipe={:?} guarded={} neg={}",
            c.range,
            c.program(),
            c.unwrapped().wrappers,
            c.assignments
                .iter()
                .map(|a| format!("{}={}", a.name, a.value.lossy))
                .collect::<Vec<_>>(),
            c.redirects
                .iter()
                .map(|r| format!(
                    "{:?}{}{}",
                    r.fd,
                    r.op,
                    r.target.as_ref().map_or("", |t| t.lossy.as_str())
                ))
                .collect::<Vec<_>>(),
            c.context,
            c.background,
            c.pipeline.map(|p| (p.id, p.index, p.len)),
            c.condition_guarded,
            c.negated,
        );
    }
    for h in &script.heredocs {
        println!(
            "heredoc {:?} delim={:?} body={:?} cmd={:?}",
            h.range, h.delimiter, h.body, h.command
        );
    }
    println!("errors {:?}", script.errors);
    println!(
        "final {:?}",
        script.final_command().map(|c| &src[c.range.clone()])
    );
}
