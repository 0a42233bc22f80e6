//! Dump the tree-sitter-bash tree of stdin (development aid).
use std::io::Read;

fn walk(node: tree_sitter::Node, src: &str, depth: usize, field: Option<&str>) {
    let text = &src[node.byte_range()];
    let text: String = text.chars().take(40).collect();
    println!(
        "{}{}{}{} {:?} {:?}",
        "  ".repeat(depth),
        field.map(|f| format!("{f}: ")).unwrap_or_default(),
        if node.is_named() { "" } else { "'" },
        node.kind(),
        node.byte_range(),
        text
    );
    let mut cursor = node.walk();
    if cursor.goto_first_child() {
        loop {
            walk(cursor.node(), src, depth + 1, cursor.field_name());
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }
}

fn main() {
    let mut src = String::new();
    let _ = std::io::stdin().read_to_string(&mut src);
    let mut parser = tree_sitter::Parser::new();
    let _ = parser.set_language(&tree_sitter_bash::LANGUAGE.into());
    if let Some(tree) = parser.parse(&src, None) {
        walk(tree.root_node(), &src, 0, None);
    }
}
