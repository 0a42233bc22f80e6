//! Whether the fast path takes shell code read from stdin, where it stops if
//! not, and whether it agrees with tree-sitter (development aid).
use std::io::Read;

fn main() {
    let mut src = String::new();
    let _ = std::io::stdin().read_to_string(&mut src);
    match dockside_shell::fast_path_rejection(&src) {
        Some(at) => {
            let end = (at + 40).min(src.len());
            println!("fallback at {at}: {:?}", src.get(at..end).unwrap_or(""));
        }
        None => {
            let fast = format!("{:#?}", dockside_shell::parse_fast_path(&src));
            let slow = format!("{:#?}", Some(dockside_shell::parse_tree_sitter(&src)));
            if fast == slow {
                println!("fast path: same model");
            } else {
                println!("fast path: DIFFERENT model\n--- fast\n{fast}\n--- tree-sitter\n{slow}");
            }
        }
    }
}
