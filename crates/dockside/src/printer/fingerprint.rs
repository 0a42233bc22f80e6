//! Stable identities for findings, so code hosts (GitHub code scanning, GitLab Code
//! Quality) recognise the same finding from one commit to the next.
//!
//! A fingerprint hashes the rule, the file's path and the text of the flagged lines
//! (each line trimmed, runs of whitespace collapsed), and adds the occurrence index
//! among the findings of the same rule on identical text in that file. It does not
//! use line numbers or the message (messages may quote line numbers), so adding or
//! removing lines above a finding keeps its fingerprint; editing the flagged lines
//! changes it.
//!
//! The findings suppression comments silenced take part, so silencing one finding
//! does not renumber its neighbours.

use std::collections::HashSet;

use dockside_linter::{Diagnostic, SourceFile};

use super::{FileReport, Report, line_span, repository_path};

/// A finding with its fingerprint, in output order.
pub(crate) struct Entry<'a> {
    pub report: &'a FileReport,
    pub diagnostic: &'a Diagnostic,
    /// `Some` for a finding a suppression comment silenced, with the comment's reason.
    pub suppressed: Option<Option<&'a str>>,
    pub fingerprint: Fingerprint,
}

impl<'a> Entry<'a> {
    pub fn file(&self) -> &'a SourceFile {
        self.report.result.file(self.diagnostic.file)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    /// Rule, path and normalized text of the flagged lines.
    pub hash: u64,
    /// Among the findings with the same hash, in order of position.
    pub occurrence: u32,
}

impl Fingerprint {
    /// `<hash>:<occurrence>`, the shape of SARIF line-hash fingerprints.
    pub fn with_occurrence(self) -> String {
        format!("{:016x}:{}", self.hash, self.occurrence)
    }

    /// One hexadecimal string that is distinct for every finding of a report.
    pub fn unique(self) -> String {
        let mut h = Fnv::new();
        h.write(&self.hash.to_le_bytes());
        h.write(&self.occurrence.to_le_bytes());
        format!("{:016x}{:016x}", self.hash, h.finish())
    }
}

/// Every finding of the report, reported or suppressed, with its fingerprint: files in
/// report order, findings by position. A finding that two reports share (a Compose file
/// of two projects) appears once.
pub(crate) fn entries<'a>(report: &Report<'a>) -> Vec<Entry<'a>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for file_report in report.files {
        let result = &file_report.result;
        let mut found: Vec<(&Diagnostic, Option<Option<&str>>)> = result
            .diagnostics
            .iter()
            .map(|d| (d, None))
            .chain(
                result
                    .suppressed
                    .iter()
                    .map(|s| (&s.diagnostic, Some(s.reason.as_deref()))),
            )
            .collect();
        found.sort_by_key(|(d, _)| (d.file, d.range.start, d.range.end, d.rule.code));
        for (diagnostic, suppressed) in found {
            let file = result.file(diagnostic.file);
            let path = repository_path(&file.path);
            let key = (
                path.clone(),
                diagnostic.range.start,
                diagnostic.range.end,
                diagnostic.rule.code,
                diagnostic.message.clone(),
            );
            if !seen.insert(key) {
                continue;
            }
            out.push(Entry {
                report: file_report,
                diagnostic,
                suppressed,
                fingerprint: Fingerprint {
                    hash: line_hash(diagnostic.rule.name, &path, file, diagnostic),
                    occurrence: 0,
                },
            });
        }
    }
    number_occurrences(&mut out);
    out
}

fn number_occurrences(entries: &mut [Entry]) {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_key(|&i| {
        let e = &entries[i];
        (
            e.fingerprint.hash,
            e.diagnostic.range.start,
            e.diagnostic.range.end,
            i,
        )
    });
    let mut previous = None;
    let mut occurrence = 0;
    for i in order {
        let hash = entries[i].fingerprint.hash;
        occurrence = if previous == Some(hash) {
            occurrence + 1
        } else {
            0
        };
        previous = Some(hash);
        entries[i].fingerprint.occurrence = occurrence;
    }
}

fn line_hash(rule: &str, path: &str, file: &SourceFile, d: &Diagnostic) -> u64 {
    let (first, last) = line_span(file, d.range);
    let mut h = Fnv::new();
    h.write(rule.as_bytes());
    h.write(&[0xff]);
    h.write(path.as_bytes());
    for line in file
        .text
        .lines()
        .skip(first as usize - 1)
        .take((last - first + 1) as usize)
    {
        h.write(&[0xff]);
        for (i, word) in line.split_whitespace().enumerate() {
            if i > 0 {
                h.write(b" ");
            }
            h.write(word.as_bytes());
        }
    }
    h.finish()
}

/// 64-bit FNV-1a: small, fast and the same on every platform and release, which
/// is what a fingerprint stored by a code host needs.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Fnv;

    #[test]
    fn fnv1a_known_values() {
        let hash = |s: &str| {
            let mut h = Fnv::new();
            h.write(s.as_bytes());
            h.finish()
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }
}
