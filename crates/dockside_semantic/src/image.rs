//! Image references: `[registry/]repository[:tag][@digest]`.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry host as written (`ghcr.io`, `localhost:5000`); `None` means Docker Hub.
    pub registry: Option<String>,
    /// Repository path as written (`python`, `library/python`, `org/app`).
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:…`.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Registry with Docker Hub's default filled in.
    pub fn registry_or_default(&self) -> &str {
        self.registry.as_deref().unwrap_or("docker.io")
    }

    /// Repository with Docker Hub's implicit `library/` for official images.
    pub fn full_repository(&self) -> String {
        if self.registry.is_none() && !self.repository.contains('/') {
            format!("library/{}", self.repository)
        } else {
            self.repository.clone()
        }
    }

    /// `FROM scratch`: the empty image.
    pub fn is_scratch(&self) -> bool {
        self.registry.is_none()
            && self.repository == "scratch"
            && self.tag.is_none()
            && self.digest.is_none()
    }

    /// The last path component: `python` for `docker.io/library/python`.
    pub fn short_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(r) = &self.registry {
            write!(f, "{r}/")?;
        }
        write!(f, "{}", self.repository)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// Parses an image reference following the distribution reference grammar.
pub fn parse_image_ref(text: &str) -> Result<ImageRef, String> {
    if text.is_empty() {
        return Err("empty image reference".into());
    }
    let (rest, digest) = match text.split_once('@') {
        Some((r, d)) => {
            let (algo, hex) = d
                .split_once(':')
                .ok_or_else(|| format!("invalid digest `{d}`: expected `algorithm:hex`"))?;
            if algo.is_empty() || hex.len() < 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!("invalid digest `{d}`"));
            }
            (r, Some(d.to_string()))
        }
        None => (text, None),
    };
    let (name, tag) = match rest.rfind(':') {
        Some(i) if !rest[i + 1..].contains('/') => (&rest[..i], Some(rest[i + 1..].to_string())),
        _ => (rest, None),
    };
    if let Some(t) = &tag {
        let valid = !t.is_empty()
            && t.len() <= 128
            && t.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !valid {
            return Err(format!("invalid tag `{t}`"));
        }
    }
    let (registry, repository) = match name.split_once('/') {
        Some((first, path))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            (Some(first.to_string()), path.to_string())
        }
        _ => (None, name.to_string()),
    };
    if repository.is_empty() {
        return Err("missing repository name".into());
    }
    for component in repository.split('/') {
        let valid = !component.is_empty()
            && component
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && component.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
            });
        if !valid {
            return Err(format!(
                "invalid repository name `{repository}`: use lowercase letters, digits and separators"
            ));
        }
    }
    Ok(ImageRef {
        registry,
        repository,
        tag,
        digest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_references() {
        let r = parse_image_ref("python:3.12-slim").unwrap();
        assert_eq!(
            (
                r.registry.as_deref(),
                r.repository.as_str(),
                r.tag.as_deref()
            ),
            (None, "python", Some("3.12-slim"))
        );
        assert_eq!(r.full_repository(), "library/python");
        let r = parse_image_ref("localhost:5000/org/app:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.repository, "org/app");
        assert_eq!(r.tag.as_deref(), Some("1"));
        assert!(r.digest.is_some());
        assert!(parse_image_ref("scratch").unwrap().is_scratch());
        assert!(parse_image_ref("Python:3").is_err());
        assert!(parse_image_ref("python:").is_err());
        assert_eq!(
            parse_image_ref("ghcr.io/a/b").unwrap().registry.as_deref(),
            Some("ghcr.io")
        );
    }
}
