//! Substring search for the short, fixed needles rules look for.
//!
//! `str::find(&str)` builds a two-way searcher on every call, which costs
//! more than the search itself when the haystack is a single shell word and
//! the call runs for every word of every file. These scan for the needle's
//! first byte and compare from there.

/// Byte offset of the first occurrence of `needle` in `hay`.
pub(crate) fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, tail)) = n.split_first() else {
        return Some(0);
    };
    let last_start = h.len().checked_sub(n.len())?;
    let mut at = 0;
    while at <= last_start {
        let p = h[at..=last_start].iter().position(|&c| c == first)?;
        at += p;
        if &h[at + 1..at + n.len()] == tail {
            return Some(at);
        }
        at += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_like_str_find() {
        let cases = [
            ("", "a"),
            ("a", ""),
            ("abc", "abc"),
            ("abc", "abcd"),
            ("xx://y", "://"),
            ("a:/b://c", "://"),
            ("npm_npm_x", "npm_"),
            ("ééé_authToken=1", "_authToken"),
            ("aaaab", "aab"),
            ("tail", "il"),
            ("tail", "l"),
        ];
        for (hay, needle) in cases {
            assert_eq!(find(hay, needle), hay.find(needle), "{hay:?} {needle:?}");
        }
    }
}
