//! Lexical path helpers (no file-system access).

/// Go's `path.Clean` for `/`-separated paths: collapses repeated slashes,
/// removes `.` elements, resolves `..` lexically and drops trailing slashes.
/// An empty result becomes `"."`.
pub(crate) fn go_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".to_owned();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for comp in p.split('/') {
        match comp {
            "" | "." => {}
            ".." => match out.last() {
                Some(&last) if last != ".." => {
                    out.pop();
                }
                _ if rooted => {}
                _ => out.push(".."),
            },
            c => out.push(c),
        }
    }
    let joined = out.join("/");
    if rooted {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_owned()
    } else {
        joined
    }
}

/// Normalises a path relative to the build-context root.
///
/// Leading `/` and `./` are dropped (COPY sources are always relative to the
/// context), `.` and `..` are resolved lexically and backslashes are kept as
/// ordinary characters (as on Linux). The root itself is `""`.
/// Returns `None` when the path escapes the root (`../x`, `a/../../x`).
///
/// ```
/// use dockside_context::normalize_rel;
/// assert_eq!(normalize_rel("./src//a/../b/").as_deref(), Some("src/b"));
/// assert_eq!(normalize_rel("/app").as_deref(), Some("app"));
/// assert_eq!(normalize_rel("."), Some(String::new()));
/// assert_eq!(normalize_rel("../x"), None);
/// ```
pub fn normalize_rel(rel: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for comp in rel.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            c => out.push(c),
        }
    }
    Some(out.join("/"))
}

/// Joins two relative paths where `dir` may be the root (`""`).
pub(crate) fn join_rel(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_clean_table() {
        let cases = [
            ("", "."),
            (".", "."),
            ("a/b", "a/b"),
            ("a//b/", "a/b"),
            ("./a/./b/.", "a/b"),
            ("a/../b", "b"),
            ("a/..", "."),
            ("../a", "../a"),
            ("../../a/../b", "../../b"),
            ("/", "/"),
            ("/../a", "/a"),
            ("//a//", "/a"),
            ("a/b/../../..", ".."),
        ];
        for (input, want) in cases {
            assert_eq!(go_clean(input), want, "clean({input:?})");
        }
    }

    #[test]
    fn normalize_table() {
        let cases: [(&str, Option<&str>); 10] = [
            ("", Some("")),
            (".", Some("")),
            ("./", Some("")),
            ("/", Some("")),
            ("/app/x", Some("app/x")),
            ("a/./b//c/", Some("a/b/c")),
            ("a/b/../c", Some("a/c")),
            ("a/..", Some("")),
            ("..", None),
            ("a/../../b", None),
        ];
        for (input, want) in cases {
            assert_eq!(
                normalize_rel(input).as_deref(),
                want,
                "normalize({input:?})"
            );
        }
    }
}
