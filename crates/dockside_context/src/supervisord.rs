//! A small, position-preserving parser for supervisord INI configuration,
//! following Python `configparser` as configured by supervisor (`=` or `:`
//! delimiters, `;`/`#` full-line and whitespace-preceded inline comments,
//! indented continuation lines, lower-cased keys).

use std::ops::Range;

use crate::context::BuildContext;

/// A parsed supervisord configuration file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SupervisorConfig {
    /// Sections in file order (duplicates are kept).
    pub sections: Vec<Section>,
}

/// A `[name]` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Section name without brackets, e.g. `program:nginx` or `supervisord`.
    pub name: String,
    /// Byte range of the `[name]` header.
    pub range: Range<usize>,
    /// `key = value` entries in file order.
    pub entries: Vec<Entry>,
}

/// A `key = value` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Lower-cased key.
    pub key: String,
    /// Value without comments; continuation lines are joined with `\n`.
    pub value: String,
    /// Byte range of the key as written.
    pub key_range: Range<usize>,
    /// Byte range of the value, spanning any continuation lines.
    pub value_range: Range<usize>,
    /// 1-based line of the key.
    pub line: usize,
}

impl Section {
    /// The last entry with `key` (case-insensitive).
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.key.eq_ignore_ascii_case(key))
    }
}

/// Parses supervisord configuration text. Never fails; lines that are not
/// understood (and entries before the first section) are skipped.
pub fn parse(text: &str) -> SupervisorConfig {
    let mut sections: Vec<Section> = Vec::new();
    // Whether the last entry may still receive continuation lines.
    let mut open_entry = false;
    let mut offset = 0;
    for (idx, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            open_entry = false;
            continue;
        }
        if trimmed.starts_with([';', '#']) {
            continue;
        }
        let content = &line[..inline_comment_start(line)];
        let lead = content.len() - content.trim_start().len();
        let body = content.trim();

        if lead > 0 && open_entry {
            if let Some(entry) = sections.last_mut().and_then(|s| s.entries.last_mut())
                && !body.is_empty()
            {
                if !entry.value.is_empty() {
                    entry.value.push('\n');
                } else {
                    entry.value_range.start = start + lead;
                }
                entry.value.push_str(body);
                entry.value_range.end = start + lead + body.len();
            }
            continue;
        }
        open_entry = false;

        if body.starts_with('[') {
            if let Some(close) = body.find(']') {
                let header_start = start + lead;
                sections.push(Section {
                    name: body[1..close].trim().to_owned(),
                    range: header_start..header_start + close + 1,
                    entries: Vec::new(),
                });
            }
            continue;
        }
        let Some(section) = sections.last_mut() else {
            continue;
        };
        let Some(delim) = body.find(['=', ':']) else {
            continue;
        };
        let key_part = body[..delim].trim_end();
        if key_part.is_empty() {
            continue;
        }
        let after = &body[delim + 1..];
        let value = after.trim_start();
        let key_start = start + lead;
        let value_start = key_start + delim + 1 + (after.len() - value.len());
        section.entries.push(Entry {
            key: key_part.to_ascii_lowercase(),
            value: value.to_owned(),
            key_range: key_start..key_start + key_part.len(),
            value_range: value_start..value_start + value.len(),
            line: idx + 1,
        });
        open_entry = true;
    }
    SupervisorConfig { sections }
}

/// Byte index where an inline comment (`;` or `#` preceded by whitespace)
/// starts, or the line length.
fn inline_comment_start(line: &str) -> usize {
    let bytes = line.as_bytes();
    (1..bytes.len())
        .find(|&i| matches!(bytes[i], b';' | b'#') && bytes[i - 1].is_ascii_whitespace())
        .unwrap_or(line.len())
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Some(true),
        "false" | "no" | "off" | "0" => Some(false),
        _ => None,
    }
}

impl SupervisorConfig {
    /// Sections named `name` (exact match), in file order.
    pub fn sections_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Section> + 'a {
        self.sections.iter().filter(move |s| s.name == name)
    }

    /// The `nodaemon` setting of `[supervisord]` (last occurrence wins);
    /// `None` when absent or not a boolean.
    pub fn nodaemon(&self) -> Option<bool> {
        self.nodaemon_entry().and_then(|e| parse_bool(&e.value))
    }

    /// The `nodaemon` entry of `[supervisord]`, for diagnostics.
    pub fn nodaemon_entry(&self) -> Option<&Entry> {
        self.sections_named("supervisord")
            .filter_map(|s| s.get("nodaemon"))
            .last()
    }

    /// `(program name, command entry)` for each `[program:x]` with a command.
    pub fn programs(&self) -> impl Iterator<Item = (&str, &Entry)> + '_ {
        self.sections.iter().filter_map(|s| {
            let name = s.name.strip_prefix("program:")?.trim();
            Some((name, s.get("command")?))
        })
    }

    /// The whitespace-separated file globs of `[include] files=`.
    pub fn includes(&self) -> Vec<String> {
        self.sections_named("include")
            .filter_map(|s| s.get("files"))
            .flat_map(|e| e.value.split_whitespace().map(str::to_owned))
            .collect()
    }

    /// Whether the file has a `[supervisord]` or `[program:…]` section.
    pub fn is_supervisor_config(&self) -> bool {
        self.sections
            .iter()
            .any(|s| s.name == "supervisord" || s.name.starts_with("program:"))
    }
}

/// Directory names whose `*.conf`/`*.ini` files are candidate configs.
const SUPERVISOR_DIRS: &[&str] = &["supervisor", "supervisord", "conf.d", "supervisord.d"];

fn is_candidate_name(rel: &str) -> bool {
    let mut comps: Vec<&str> = rel.split('/').collect();
    let Some(name) = comps.pop() else {
        return false;
    };
    if name == "supervisord.conf" || name == "supervisor.conf" {
        return true;
    }
    (name.ends_with(".conf") || name.ends_with(".ini"))
        && comps.iter().any(|d| SUPERVISOR_DIRS.contains(d))
}

impl BuildContext {
    /// Relative paths of supervisord configuration files in the context (not
    /// excluded): `supervisord.conf`, `supervisor.conf`, or `*.conf`/`*.ini`
    /// below a `supervisor`, `supervisord`, `supervisord.d` or `conf.d`
    /// directory, whose text has a `[program:…]` or `[supervisord]` section.
    pub fn find_supervisord_configs(&self) -> Vec<String> {
        self.files_under("")
            .iter()
            .filter(|rel| is_candidate_name(rel))
            .filter(|rel| {
                self.read_text(rel)
                    .is_some_and(|text| parse(&text).is_supervisor_config())
            })
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
; supervisor config
[supervisord]
nodaemon=true ; stay in foreground
logfile = /dev/null

[program:nginx]
command = /usr/sbin/nginx -g 'daemon off;'
autorestart=true

# another
[program:worker]
command=python worker.py
  --queue=default
  --verbose ; trailing comment
directory:/app

[program:nocmd]
autostart=false

[include]
files = conf.d/*.conf   /etc/extra.ini
";

    #[test]
    fn parses_sections_and_entries() {
        let cfg = parse(SAMPLE);
        let names: Vec<&str> = cfg.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "supervisord",
                "program:nginx",
                "program:worker",
                "program:nocmd",
                "include"
            ]
        );
        let sup = &cfg.sections[0];
        assert_eq!(&SAMPLE[sup.range.clone()], "[supervisord]");
        let nd = &sup.entries[0];
        assert_eq!(
            (nd.key.as_str(), nd.value.as_str(), nd.line),
            ("nodaemon", "true", 3)
        );
        assert_eq!(&SAMPLE[nd.key_range.clone()], "nodaemon");
        assert_eq!(&SAMPLE[nd.value_range.clone()], "true");
        assert_eq!(sup.entries[1].value, "/dev/null");
        assert_eq!(&SAMPLE[sup.entries[1].value_range.clone()], "/dev/null");
    }

    #[test]
    fn continuation_and_delimiters() {
        let cfg = parse(SAMPLE);
        let worker = &cfg.sections[2];
        let cmd = worker.get("command").unwrap();
        assert_eq!(cmd.value, "python worker.py\n--queue=default\n--verbose");
        assert_eq!(
            &SAMPLE[cmd.value_range.clone()],
            "python worker.py\n  --queue=default\n  --verbose"
        );
        assert_eq!(worker.get("directory").unwrap().value, "/app");
    }

    #[test]
    fn inline_semicolon_inside_value_kept() {
        let cfg = parse(SAMPLE);
        let (name, cmd) = cfg.programs().next().unwrap();
        assert_eq!(name, "nginx");
        assert_eq!(cmd.value, "/usr/sbin/nginx -g 'daemon off;'");
    }

    #[test]
    fn helpers() {
        let cfg = parse(SAMPLE);
        assert_eq!(cfg.nodaemon(), Some(true));
        let progs: Vec<&str> = cfg.programs().map(|(n, _)| n).collect();
        assert_eq!(progs, ["nginx", "worker"]);
        assert_eq!(cfg.includes(), ["conf.d/*.conf", "/etc/extra.ini"]);
        assert!(cfg.is_supervisor_config());
    }

    #[test]
    fn nodaemon_values() {
        let cases = [
            ("true", Some(true)),
            ("Yes", Some(true)),
            ("on", Some(true)),
            ("1", Some(true)),
            ("false", Some(false)),
            ("NO", Some(false)),
            ("off", Some(false)),
            ("0", Some(false)),
            ("maybe", None),
        ];
        for (value, want) in cases {
            let cfg = parse(&format!("[supervisord]\nnodaemon = {value}\n"));
            assert_eq!(cfg.nodaemon(), want, "nodaemon={value}");
        }
        assert_eq!(parse("[program:x]\nnodaemon=true\n").nodaemon(), None);
        assert_eq!(
            parse("[supervisord]\nnodaemon=true\n[supervisord]\nnodaemon=false\n").nodaemon(),
            Some(false)
        );
    }

    #[test]
    fn edge_cases() {
        let cases: &[(&str, usize)] = &[
            ("", 0),
            ("key=value\n", 0),      // entry before any section is dropped
            ("[a\nk=v\n", 0),        // unterminated header ignored
            ("[ a ]\r\nk=v\r\n", 1), // CRLF, trimmed name
            ("[a]\nnot an entry\n=novalue\n", 1),
        ];
        for &(text, n) in cases {
            let cfg = parse(text);
            assert_eq!(cfg.sections.len(), n, "{text:?}");
        }
        let cfg = parse("[ a ]\r\nK = v\r\n");
        assert_eq!(cfg.sections[0].name, "a");
        assert_eq!(cfg.sections[0].entries[0].key, "k");
        assert_eq!(cfg.sections[0].entries[0].value, "v");
        let cfg = parse("[a]\nnot an entry\n=novalue\n");
        assert!(cfg.sections[0].entries.is_empty());
        // Continuation after an empty first line.
        let text = "[program:x]\ncommand=\n    run --it\n";
        let cmd = parse(text).programs().next().unwrap().1.clone();
        assert_eq!(cmd.value, "run --it");
        assert_eq!(&text[cmd.value_range], "run --it");
        // A blank line ends the value.
        let cfg = parse("[a]\nk=v\n\n  orphan\n");
        assert_eq!(cfg.sections[0].entries[0].value, "v");
    }

    #[test]
    fn candidate_names() {
        let cases = [
            ("supervisord.conf", true),
            ("docker/supervisor.conf", true),
            ("etc/supervisor/conf.d/app.conf", true),
            ("supervisord.d/app.ini", true),
            ("nginx/conf.d/default.conf", true), // rejected later by content
            ("nginx.conf", false),
            ("supervisor/readme.md", false),
        ];
        for (path, want) in cases {
            assert_eq!(is_candidate_name(path), want, "{path}");
        }
    }
}
