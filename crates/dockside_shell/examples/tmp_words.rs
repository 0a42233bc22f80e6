fn main() {
    let pieces = [
        "x",
        "-",
        ".",
        "/",
        ":",
        "_",
        "$A",
        "${A}",
        "'q'",
        "\"d\"",
        "\"$A\"",
        "\"a$A.b\"",
        "*",
        "\\.",
        "=",
        "%",
        "@",
        "+",
        ",",
    ];
    let mut words: Vec<String> = vec![String::new()];
    let mut all = Vec::new();
    for _ in 0..4 {
        let mut next = Vec::new();
        for w in &words {
            for p in pieces {
                let n = format!("{w}{p}");
                all.push(n.clone());
                next.push(n);
            }
        }
        words = next;
    }
    let (mut bad, mut hit) = (0, 0);
    for w in &all {
        for src in [
            format!("c {w}"),
            format!("c {w} y"),
            format!("{w} y"),
            format!("V={w} c"),
        ] {
            if let Some(f) = dockside_shell::parse_fast_path(&src) {
                hit += 1;
                let s = dockside_shell::parse_tree_sitter(&src);
                if format!("{f:?}") != format!("{s:?}") {
                    bad += 1;
                    if std::env::args().nth(1).is_some() {
                        println!("{src}");
                    }
                }
            }
        }
    }
    eprintln!("{} words, {hit} hits, {bad} bad", all.len());
}
