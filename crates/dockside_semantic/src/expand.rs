//! Variable expansion and quote removal for instruction arguments, as
//! BuildKit's shell lexer does it (`$V`, `${V}`, `${V:-d}`, `${V-d}`,
//! `${V:+r}`, `${V+r}`, `${V:?e}`, `${V?e}`, `${V#p}`, `${V%p}`, `${V/p/r}`).

use std::ops::Range;

/// What a variable lookup knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    Value(String),
    /// Declared (e.g. `ARG V` without default, or a predefined ARG): its value is set at build time.
    Unknown,
    /// Not declared at this point: BuildKit expands it to the empty string.
    Undefined,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// Byte range of the whole reference (`${V:-d}`) in the expanded text's input.
    pub range: Range<usize>,
    pub has_default: bool,
    pub lookup: Lookup,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expansion {
    pub value: String,
    /// False when a referenced variable's value is only known at build time.
    pub complete: bool,
    pub references: Vec<VarRef>,
}

/// The longest expansion kept, in bytes; longer ones are incomplete.
pub const MAX_EXPANSION: usize = 1 << 20;

/// Expands `text` with quote removal (`"a $B"` → `a <value of B>`).
pub fn expand(text: &str, escape: char, lookup: &dyn Fn(&str) -> Lookup) -> Expansion {
    if !text.contains(['$', '\'', '"', escape]) {
        return Expansion {
            value: text.to_owned(),
            complete: true,
            references: Vec::new(),
        };
    }
    let mut ex = Expander {
        text,
        pos: 0,
        escape,
        lookup,
        complete: true,
        refs: Vec::new(),
    };
    let value = ex.word(None, true);
    Expansion {
        value,
        complete: ex.complete,
        references: ex.refs,
    }
}

/// Variable references in `text` without expanding (for navigation and undefined-variable checks).
pub fn references(text: &str, escape: char) -> Vec<VarRef> {
    if !text.contains('$') {
        return Vec::new();
    }
    expand(text, escape, &|_| Lookup::Undefined).references
}

struct Expander<'a> {
    text: &'a str,
    pos: usize,
    escape: char,
    lookup: &'a dyn Fn(&str) -> Lookup,
    complete: bool,
    refs: Vec<VarRef>,
}

impl Expander<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Reads until `stop` (unquoted) or the end; `quotes` enables quote removal.
    fn word(&mut self, stop: Option<char>, quotes: bool) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                break;
            }
            if c == self.escape {
                self.bump();
                if let Some(n) = self.bump() {
                    out.push(n);
                }
                continue;
            }
            match c {
                '\'' if quotes => {
                    self.bump();
                    let rest = &self.text[self.pos..];
                    let end = rest.find('\'').unwrap_or(rest.len());
                    out.push_str(&rest[..end]);
                    self.pos += (end + 1).min(rest.len());
                }
                '"' if quotes => {
                    self.bump();
                    while let Some(c) = self.peek() {
                        if c == '"' {
                            self.bump();
                            break;
                        }
                        if c == self.escape {
                            self.bump();
                            match self.peek() {
                                Some(n) if n == '"' || n == '$' || n == self.escape => {
                                    self.bump();
                                    out.push(n);
                                }
                                _ => out.push(c),
                            }
                        } else if c == '$' {
                            let v = self.dollar();
                            self.append(&mut out, &v);
                        } else {
                            // Copy the run of ordinary quoted characters at once.
                            let rest = &self.text[self.pos..];
                            let escape = self.escape;
                            let run = rest
                                .find(|ch: char| ch == '"' || ch == '$' || ch == escape)
                                .unwrap_or(rest.len());
                            out.push_str(&rest[..run]);
                            self.pos += run;
                        }
                    }
                }
                '$' => {
                    let v = self.dollar();
                    self.append(&mut out, &v);
                }
                _ => {
                    // Copy the run of ordinary characters at once.
                    let rest = &self.text[self.pos..];
                    let special = |ch: char| {
                        Some(ch) == stop
                            || ch == self.escape
                            || ch == '$'
                            || (quotes && (ch == '\'' || ch == '"'))
                    };
                    let run = rest[c.len_utf8()..]
                        .find(special)
                        .map_or(rest.len(), |n| n + c.len_utf8());
                    out.push_str(&rest[..run]);
                    self.pos += run;
                }
            }
        }
        out
    }

    /// Appends a variable's value, unless the result would exceed [`MAX_EXPANSION`]:
    /// then the value is only known at build time (`ARG B=$A$A`, `ARG C=$B$B`, … doubles
    /// with every line).
    fn append(&mut self, out: &mut String, value: &str) {
        if out.len() + value.len() > MAX_EXPANSION {
            self.complete = false;
        } else {
            out.push_str(value);
        }
    }

    fn name(&mut self) -> String {
        let start = self.pos;
        let len = self.text.as_bytes()[start..]
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_')
            .count();
        self.pos += len;
        self.text[start..self.pos].to_string()
    }

    fn resolve(&mut self, name: &str, range: Range<usize>, has_default: bool) -> Lookup {
        let found = (self.lookup)(name);
        self.refs.push(VarRef {
            name: name.to_string(),
            range,
            has_default,
            lookup: found.clone(),
        });
        found
    }

    fn dollar(&mut self) -> String {
        let start = self.pos;
        self.bump(); // `$`
        match self.peek() {
            Some('{') => {
                self.bump();
                let name = self.name();
                if name.is_empty() {
                    // `${` followed by something odd: keep literally up to `}`.
                    let rest = self.word(Some('}'), false);
                    self.bump();
                    return format!("${{{rest}}}");
                }
                let op: String = match self.peek() {
                    Some(':') => {
                        self.bump();
                        match self.bump() {
                            Some(c @ ('-' | '+' | '?')) => format!(":{c}"),
                            _ => ":".into(),
                        }
                    }
                    Some(c @ ('-' | '+' | '?')) => {
                        self.bump();
                        c.to_string()
                    }
                    Some(c @ ('#' | '%')) => {
                        self.bump();
                        if self.peek() == Some(c) {
                            self.bump();
                            format!("{c}{c}")
                        } else {
                            c.to_string()
                        }
                    }
                    Some('/') => {
                        self.bump();
                        if self.peek() == Some('/') {
                            self.bump();
                            "//".into()
                        } else {
                            "/".into()
                        }
                    }
                    _ => String::new(),
                };
                let arg = if op.is_empty() {
                    String::new()
                } else {
                    self.word(Some('}'), true)
                };
                self.bump(); // `}`
                let range = start..self.pos;
                let has_default = matches!(op.as_str(), ":-" | "-" | ":?" | "?" | ":+" | "+");
                let found = self.resolve(&name, range, has_default);
                self.apply(&name, found, &op, arg)
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let name = self.name();
                let range = start..self.pos;
                match self.resolve(&name, range, false) {
                    Lookup::Value(v) => v,
                    Lookup::Unknown => {
                        self.complete = false;
                        format!("${{{name}}}")
                    }
                    Lookup::Undefined => String::new(),
                }
            }
            Some(c)
                if c.is_ascii_digit() || matches!(c, '@' | '*' | '#' | '?' | '$' | '!' | '-') =>
            {
                self.bump();
                self.complete = false;
                format!("${c}")
            }
            _ => "$".into(),
        }
    }

    fn apply(&mut self, name: &str, found: Lookup, op: &str, arg: String) -> String {
        let placeholder = format!("${{{name}}}");
        match (op, found) {
            ("", Lookup::Value(v)) => v,
            ("", Lookup::Undefined) => String::new(),
            (":-", Lookup::Value(v)) if !v.is_empty() => v,
            ("-", Lookup::Value(v)) => v,
            (":-" | "-", Lookup::Value(_) | Lookup::Undefined) => arg,
            (":+", Lookup::Value(v)) if !v.is_empty() => arg,
            ("+", Lookup::Value(_)) => arg,
            (":+" | "+", Lookup::Value(_) | Lookup::Undefined) => String::new(),
            (":?" | "?", Lookup::Value(v)) => v,
            (":?" | "?", Lookup::Undefined) => String::new(),
            ("#" | "##" | "%" | "%%" | "/" | "//", Lookup::Value(v)) => transform(&v, op, &arg),
            (_, Lookup::Undefined) => String::new(),
            (":-" | "-", Lookup::Unknown) => {
                self.complete = false;
                arg
            }
            (_, _) => {
                self.complete = false;
                placeholder
            }
        }
    }
}

/// `${V#p}`, `${V%p}` (shortest/longest affix removal with `*`/`?` globs) and `${V/p/r}`.
fn transform(value: &str, op: &str, arg: &str) -> String {
    match op {
        "#" | "##" => {
            let cuts: Vec<usize> = (0..=value.len())
                .filter(|&i| value.is_char_boundary(i) && glob(arg, &value[..i]))
                .collect();
            let cut = if op == "#" { cuts.first() } else { cuts.last() };
            cut.map_or(value.to_string(), |&i| value[i..].to_string())
        }
        "%" | "%%" => {
            let cuts: Vec<usize> = (0..=value.len())
                .filter(|&i| value.is_char_boundary(i) && glob(arg, &value[i..]))
                .collect();
            let cut = if op == "%" { cuts.last() } else { cuts.first() };
            cut.map_or(value.to_string(), |&i| value[..i].to_string())
        }
        _ => {
            let (pat, rep) = arg.split_once('/').unwrap_or((arg, ""));
            if pat.is_empty() {
                return value.to_string();
            }
            if op == "//" {
                value.replace(pat, rep)
            } else {
                value.replacen(pat, rep, 1)
            }
        }
    }
}

/// Shell glob match with `*` and `?`, iteratively (no backtracking blow-up).
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Lookup {
        match name {
            "A" => Lookup::Value("alpha".into()),
            "E" => Lookup::Value(String::new()),
            "U" => Lookup::Unknown,
            "V" => Lookup::Value("1.2.3".into()),
            _ => Lookup::Undefined,
        }
    }

    fn ex(text: &str) -> (String, bool) {
        let e = expand(text, '\\', &env);
        (e.value, e.complete)
    }

    #[test]
    fn expands_like_buildkit() {
        assert_eq!(ex("$A/x"), ("alpha/x".into(), true));
        assert_eq!(ex("${A}_y"), ("alpha_y".into(), true));
        assert_eq!(ex("${N:-def}"), ("def".into(), true));
        assert_eq!(ex("${E:-def}"), ("def".into(), true));
        assert_eq!(ex("${E-def}"), ("".into(), true));
        assert_eq!(ex("${A:+set}"), ("set".into(), true));
        assert_eq!(ex("${N:+set}"), ("".into(), true));
        assert_eq!(ex("python:${U}"), ("python:${U}".into(), false));
        assert_eq!(ex("${U:-3.12}"), ("3.12".into(), false));
        assert_eq!(ex("\"a b\" 'c $A' \\$A"), ("a b c $A $A".into(), true));
        assert_eq!(ex("${V%.*}"), ("1.2".into(), true));
        assert_eq!(ex("${V%%.*}"), ("1".into(), true));
        assert_eq!(ex("${V#*.}"), ("2.3".into(), true));
        assert_eq!(ex("${V/./-}"), ("1-2.3".into(), true));
        assert_eq!(ex("${V//./-}"), ("1-2-3".into(), true));
        assert_eq!(ex("${N:-${A}}"), ("alpha".into(), true));
    }

    #[test]
    fn doubling_variables_stop_at_the_limit() {
        let big = "x".repeat(MAX_EXPANSION / 2 + 1);
        let lookup = |name: &str| match name {
            "BIG" => Lookup::Value(big.clone()),
            _ => Lookup::Undefined,
        };
        let e = expand("${BIG}", '\\', &lookup);
        assert!(e.complete);
        assert_eq!(e.value.len(), MAX_EXPANSION / 2 + 1);
        let e = expand("${BIG}${BIG}", '\\', &lookup);
        assert!(!e.complete);
        assert!(e.value.len() <= MAX_EXPANSION);
    }

    #[test]
    fn records_references() {
        let refs = references("$A ${B:-x} ${C}", '\\');
        let names: Vec<_> = refs
            .iter()
            .map(|r| (r.name.as_str(), r.range.clone(), r.has_default))
            .collect();
        assert_eq!(
            names,
            [("A", 0..2, false), ("B", 3..10, true), ("C", 11..15, false)]
        );
    }
}
