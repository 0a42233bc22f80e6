//! Writing fixed files safely.
//!
//! [`write_fixed`] never writes when nothing changed, refuses when the file on
//! disk is no longer what was linted (another program edited it meanwhile),
//! writes to a temporary file in the same folder and renames it over the
//! original (atomic on the same file system), keeping the original's permissions.
//! A symbolic link is resolved first, so the link stays a link.

use std::borrow::Cow;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// What [`write_fixed`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum WriteOutcome {
    Unchanged,
    Written,
}

/// Replaces the content of `path` with `fixed`, provided it still is `original`.
pub fn write_fixed(path: &Path, original: &[u8], fixed: &[u8]) -> io::Result<WriteOutcome> {
    if fixed == original {
        return Ok(WriteOutcome::Unchanged);
    }
    let target = fs::canonicalize(path)?;
    let current = fs::read(&target)?;
    if current != original {
        return Err(io::Error::other(
            "the file changed on disk since it was read; not writing fixes",
        ));
    }
    let permissions = fs::metadata(&target)?.permissions();
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".dockside-fix-")
        .tempfile_in(dir)?;
    temp.write_all(fixed)?;
    temp.as_file().sync_all()?;
    fs::set_permissions(temp.path(), permissions)?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(WriteOutcome::Written)
}

/// Keeps CRLF line endings: when every line of `original` ends with `\r\n`,
/// the bare `\n`s that fixes inserted into `fixed` become `\r\n` too.
pub fn preserve_line_endings<'a>(original: &str, fixed: &'a str) -> Cow<'a, str> {
    let crlf = original.matches("\r\n").count();
    if crlf == 0 || crlf != original.matches('\n').count() || !has_bare_lf(fixed) {
        return Cow::Borrowed(fixed);
    }
    let mut out = String::with_capacity(fixed.len() + 16);
    let mut prev = '\0';
    for c in fixed.chars() {
        if c == '\n' && prev != '\r' {
            out.push('\r');
        }
        out.push(c);
        prev = c;
    }
    Cow::Owned(out)
}

fn has_bare_lf(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\n' && (i == 0 || bytes[i - 1] != b'\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        fs::write(&path, "old\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        }
        assert_eq!(
            write_fixed(&path, b"old\n", b"new\n").unwrap(),
            WriteOutcome::Written
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("Dockerfile")]);
    }

    #[test]
    fn refuses_when_the_file_changed_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        fs::write(&path, "edited by someone else\n").unwrap();
        let err = write_fixed(&path, b"old\n", b"new\n").unwrap_err();
        assert!(err.to_string().contains("changed on disk"), "{err}");
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "edited by someone else\n"
        );
    }

    #[test]
    fn never_writes_unchanged_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        fs::write(&path, "same\n").unwrap();
        let before = fs::metadata(&path).unwrap().modified().unwrap();
        assert_eq!(
            write_fixed(&path, b"same\n", b"same\n").unwrap(),
            WriteOutcome::Unchanged
        );
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), before);
        // Not even a missing file is touched.
        let missing = dir.path().join("missing");
        assert_eq!(
            write_fixed(&missing, b"x", b"x").unwrap(),
            WriteOutcome::Unchanged
        );
        assert!(!missing.exists());
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.Dockerfile");
        let link = dir.path().join("Dockerfile");
        fs::write(&real, "old\n").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_fixed(&link, b"old\n", b"new\n").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new\n");
    }

    #[test]
    fn crlf_is_preserved() {
        assert_eq!(
            preserve_line_endings("a\r\nb\r\n", "a\r\nx\ny\r\n"),
            "a\r\nx\r\ny\r\n"
        );
        assert_eq!(preserve_line_endings("a\nb\n", "a\nx\n"), "a\nx\n");
        // Mixed endings are left alone.
        assert_eq!(preserve_line_endings("a\r\nb\n", "a\r\nx\n"), "a\r\nx\n");
    }
}
