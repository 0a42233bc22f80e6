//! `dockside explain <rule>`: a rule's documentation page (Markdown).

use std::io::Write;

use dockside_linter::{Catalog, docs, find_rule};

/// Prints the page of `id` (name, code or alias), or returns the error message.
pub fn run(id: &str) -> Result<(), String> {
    let meta = match find_rule(id) {
        Some(meta) => meta,
        None => {
            return Err(match dockside_config::resolve_rule(id, &Catalog) {
                Err(message) => message,
                Ok(_) => format!("`{id}` is not a single rule"),
            });
        }
    };
    let mut out = std::io::stdout().lock();
    match out
        .write_all(docs::rule_page(meta).as_bytes())
        .and_then(|()| out.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write output: {e}"))
        }
        _ => Ok(()),
    }
}
