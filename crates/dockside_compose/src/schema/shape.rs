//! The vocabulary the specification is written in: what a value may look like.

/// Scalar types a value may have (a set of bits).
pub(crate) type Types = u8;
pub(crate) const STRING: Types = 1;
pub(crate) const NUMBER: Types = 2;
/// A number with no fractional part (`3` or `3.0`, as JSON Schema counts it).
pub(crate) const INTEGER: Types = 4;
pub(crate) const BOOLEAN: Types = 8;
pub(crate) const NULL: Types = 16;

/// What a value may look like.
#[derive(Clone, Copy)]
pub(crate) enum Shape {
    /// Anything (extensions, free-form options).
    Any,
    Scalar(Scalar),
    List(&'static List),
    Map(&'static Map),
    /// Alternatives the value's kind tells apart (the spec's `oneOf`s never overlap).
    OneOf(&'static OneOf),
}

/// A scalar: its types, and what else the specification or `docker compose` require of it.
#[derive(Clone, Copy)]
pub(crate) struct Scalar {
    pub types: Types,
    /// For strings: the only values allowed (the schema's `enum`).
    pub values: &'static [&'static str],
    /// For numbers: the smallest and largest values allowed.
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// For strings: a rule the schema states loosely (a `pattern` not anchored) or not at
    /// all, which `docker compose` or the engine enforce.
    pub format: Format,
}

/// Checks on string values beyond their type. [`Format::checked_by_schema`] tells the ones
/// the JSON schema also makes (loosely) from those only `docker compose` or the engine make.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Format {
    None,
    /// Go duration: `1m30s`, `500ms`, `2h`.
    Duration,
    /// Byte size: `512m`, `1gb`, `1024`.
    ByteSize,
    /// Short port syntax: `[ip:][host[-range]:]container[-range][/protocol]`.
    Port,
    /// `expose` entry: `port[-range][/protocol]`.
    Expose,
    /// `no`, `always`, `on-failure[:max]`, `unless-stopped`.
    Restart,
    /// The schema's unanchored pattern; the full value must be one of the policies.
    PullPolicy,
    /// The schema's unanchored pattern; the engine requires the whole name to match it.
    ContainerName,
    /// `tcp`, `udp`, `sctp`.
    Protocol,
    /// Values `docker compose` recognises, listed on the shape.
    OneOf(&'static [&'static str]),
}

impl Format {
    /// Whether the JSON schema itself checks this (loosely: an unanchored pattern).
    pub(crate) fn schema_pattern(self) -> bool {
        matches!(self, Format::PullPolicy | Format::ContainerName)
    }
}

#[derive(Clone, Copy)]
pub(crate) struct List {
    pub item: Shape,
    /// No two entries may be equal (`uniqueItems`).
    pub unique: bool,
}

/// A key pattern of the specification (`patternProperties`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum KeyPattern {
    /// `^[a-zA-Z0-9._-]+$`: names of services, volumes, networks…
    Name,
    /// `^x-`: extensions.
    Extension,
    /// `^.+$` and `.+`: any non-empty key.
    NonEmpty,
    /// `^[a-z]+$`: `ulimits` names.
    Lowercase,
}

impl KeyPattern {
    pub(crate) fn matches(self, key: &str) -> bool {
        match self {
            KeyPattern::Name => {
                !key.is_empty()
                    && key
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            }
            KeyPattern::Extension => key.starts_with("x-"),
            // `.` matches any character but a line break; one is enough.
            KeyPattern::NonEmpty => key.chars().any(|c| c != '\n' && c != '\r'),
            KeyPattern::Lowercase => !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase()),
        }
    }

    /// What a key matching the pattern looks like, for messages.
    pub(crate) fn rule(self) -> &'static str {
        match self {
            KeyPattern::Name => "only letters, digits, `.`, `_` and `-`",
            KeyPattern::Extension => "a name starting with `x-`",
            KeyPattern::NonEmpty => "a non-empty name",
            KeyPattern::Lowercase => "lowercase letters only",
        }
    }
}

/// Keys matching a pattern, and what their values look like.
#[derive(Clone, Copy)]
pub(crate) struct Pattern {
    pub key: KeyPattern,
    pub shape: Shape,
    /// What such a key names: "service name", "option".
    pub label: &'static str,
    pub doc: &'static str,
}

/// A mapping: its known keys, its key patterns, and whether other keys are allowed.
#[derive(Clone, Copy)]
pub(crate) struct Map {
    /// What its keys are called in messages: "service property", "top-level key".
    pub what: &'static str,
    /// `null` is accepted too (`type: [object, null]`).
    pub nullable: bool,
    pub props: &'static [Prop],
    pub patterns: &'static [Pattern],
    /// Keys that are neither properties nor match a pattern are errors
    /// (`additionalProperties: false`).
    pub closed: bool,
    pub required: &'static [&'static str],
}

/// A known key of a mapping.
#[derive(Clone, Copy)]
pub(crate) struct Prop {
    pub name: &'static str,
    pub shape: Shape,
    pub doc: &'static str,
    pub deprecated: bool,
}

#[derive(Clone, Copy)]
pub(crate) struct OneOf {
    pub alternatives: &'static [Shape],
    /// The value's kind for editors: "string or list".
    pub kind: &'static str,
    /// What is expected, for the message when no alternative fits: "a string like `"8080:80"`
    /// or a mapping with `target`".
    pub expected: &'static str,
}

// Builders, so the tables read like the specification.

pub(crate) const fn scalar(types: Types) -> Shape {
    Shape::Scalar(Scalar {
        types,
        values: &[],
        min: None,
        max: None,
        format: Format::None,
    })
}

pub(crate) const fn formatted(types: Types, format: Format) -> Shape {
    Shape::Scalar(Scalar {
        types,
        values: &[],
        min: None,
        max: None,
        format,
    })
}

pub(crate) const fn one_of_values(values: &'static [&'static str]) -> Shape {
    Shape::Scalar(Scalar {
        types: STRING,
        values,
        min: None,
        max: None,
        format: Format::None,
    })
}

pub(crate) const fn bounded(types: Types, min: i64, max: Option<i64>) -> Shape {
    Shape::Scalar(Scalar {
        types,
        values: &[],
        min: Some(min),
        max,
        format: Format::None,
    })
}

pub(crate) const fn prop(name: &'static str, shape: Shape, doc: &'static str) -> Prop {
    Prop {
        name,
        shape,
        doc,
        deprecated: false,
    }
}

pub(crate) const fn deprecated(name: &'static str, shape: Shape, doc: &'static str) -> Prop {
    Prop {
        name,
        shape,
        doc,
        deprecated: true,
    }
}

/// `^x-` keys: extensions, which Compose ignores.
pub(crate) const EXTENSIONS: &[Pattern] = &[Pattern {
    key: KeyPattern::Extension,
    shape: Shape::Any,
    label: "extension",
    doc: "An extension: ignored by Compose, free for tools and YAML anchors.",
}];

/// A closed mapping that accepts `x-` extensions, the most common kind in the spec.
pub(crate) const fn closed(what: &'static str, props: &'static [Prop]) -> Map {
    Map {
        what,
        nullable: false,
        props,
        patterns: EXTENSIONS,
        closed: true,
        required: &[],
    }
}

/// A closed mapping without `x-` extensions.
pub(crate) const fn strict(what: &'static str, props: &'static [Prop]) -> Map {
    Map {
        what,
        nullable: false,
        props,
        patterns: &[],
        closed: true,
        required: &[],
    }
}

impl Map {
    pub(crate) const fn require(mut self, keys: &'static [&'static str]) -> Map {
        self.required = keys;
        self
    }

    pub(crate) const fn or_null(mut self) -> Map {
        self.nullable = true;
        self
    }

    pub(crate) fn prop(&self, name: &str) -> Option<&'static Prop> {
        self.props.iter().find(|p| p.name == name)
    }
}
