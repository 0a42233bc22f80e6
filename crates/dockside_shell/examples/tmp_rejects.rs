#[path = "../tests/support/mod.rs"]
mod support;
fn main() {
    let bodies = support::corpus_bodies(&support::corpus_dir()).unwrap();
    for b in &bodies {
        if dockside_shell::parse_fast_path(b).is_none() {
            println!("{}\n\u{1e}", b);
        }
    }
}
