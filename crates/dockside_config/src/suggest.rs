/// Levenshtein edit distance between two strings (by `char`).
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The most distinct candidates [`did_you_mean`] compares.
const MAX_CANDIDATES: usize = 10_000;

/// The candidate closest to `input` (ASCII case-insensitive, `_` treated as
/// `-`), if it is within a small edit distance (≤ 3, and less than the
/// input's length so short inputs don't match everything).
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let norm = |s: &str| s.to_ascii_lowercase().replace('_', "-");
    let input_n = norm(input);
    let input_len = input_n.chars().count();
    let limit = 3.min(input_len.saturating_sub(1)).max(1);
    // Generated files repeat names by the thousand: each distinct name is compared
    // once, and names whose length alone rules them out not at all.
    let mut seen = std::collections::HashSet::new();
    candidates
        .into_iter()
        .filter(|c| c.chars().count().abs_diff(input_len) <= limit && seen.insert(*c))
        .take(MAX_CANDIDATES)
        .map(|c| (levenshtein(&input_n, &norm(c)), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// `"; did you mean `x`?"` or the empty string.
pub(crate) fn hint<'a, I>(input: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    match did_you_mean(input, candidates) {
        Some(s) => format!("; did you mean `{s}`?"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        for (a, b, d) in [
            ("", "", 0),
            ("abc", "", 3),
            ("kitten", "sitting", 3),
            ("select", "selct", 1),
            ("ignore", "ingore", 2),
        ] {
            assert_eq!(levenshtein(a, b), d, "{a} vs {b}");
        }
    }

    #[test]
    fn suggestions() {
        let c = ["select", "extend-select", "ignore"];
        assert_eq!(did_you_mean("selct", c), Some("select"));
        assert_eq!(did_you_mean("extend_select", c), Some("extend-select"));
        assert_eq!(did_you_mean("IGNORE", c), Some("ignore"));
        assert_eq!(did_you_mean("x", c), None);
        assert_eq!(did_you_mean("completely-different", c), None);
    }
}
