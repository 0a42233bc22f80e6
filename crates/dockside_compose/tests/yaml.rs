use std::time::{Duration, Instant};

use dockside_compose::yaml::{
    self, ALIAS_BUDGET, Loaded, MAX_DEPTH, Node, ScalarStyle, TrapKind, Value, YamlErrorKind,
};

fn load_ok(text: &str) -> Node {
    let loaded = yaml::load(text);
    assert!(loaded.errors.is_empty(), "{:#?}", loaded.errors);
    assert_eq!(loaded.documents.len(), 1);
    loaded.documents.into_iter().next().unwrap()
}

fn slice<'a>(text: &'a str, node: &Node) -> &'a str {
    &text[node.range.as_range()]
}

fn key<'a>(node: &'a Node, name: &str) -> &'a Node {
    node.as_mapping()
        .unwrap()
        .iter()
        .find(|(k, _)| k.scalar_text() == Some(name))
        .map(|(k, _)| k)
        .unwrap()
}

fn keys(node: &Node) -> Vec<&str> {
    node.as_mapping()
        .unwrap()
        .iter()
        .map(|(k, _)| k.scalar_text().unwrap())
        .collect()
}

#[test]
fn ranges_of_keys_and_values_ascii() {
    let text = "a: 1\nb: \"two\"\nc:\n  - x\n  - 'y'\nd: {k: v}\ne: [1, 2]\n";
    let doc = load_ok(text);
    assert_eq!(slice(text, key(&doc, "a")), "a");
    assert_eq!(slice(text, doc.get("a").unwrap()), "1");
    assert_eq!(doc.get("a").unwrap().value, Value::Int(1));
    assert_eq!(slice(text, doc.get("b").unwrap()), "\"two\"");
    assert_eq!(doc.get("b").unwrap().as_str(), Some("two"));
    let c = doc.get("c").unwrap();
    assert_eq!(slice(text, c), "- x\n  - 'y'");
    assert_eq!(slice(text, &c.as_sequence().unwrap()[1]), "'y'");
    assert_eq!(slice(text, doc.get("d").unwrap()), "{k: v}");
    assert_eq!(slice(text, doc.get("e").unwrap()), "[1, 2]");
    assert_eq!(slice(text, &doc), text.trim_end());
}

#[test]
fn ranges_are_bytes_with_non_ascii_text() {
    let text = "# ünïcödé 🎉\nnäme: \"värde 🐳\"\nlist:\n  - 日本語\n  - plain ✓\nafter: ok\n";
    let doc = load_ok(text);
    assert_eq!(slice(text, key(&doc, "näme")), "näme");
    assert_eq!(slice(text, doc.get("näme").unwrap()), "\"värde 🐳\"");
    let list = doc.get("list").unwrap().as_sequence().unwrap();
    assert_eq!(slice(text, &list[0]), "日本語");
    assert_eq!(slice(text, &list[1]), "plain ✓");
    assert_eq!(slice(text, doc.get("after").unwrap()), "ok");
    assert_eq!(slice(text, key(&doc, "after")), "after");
}

#[test]
fn ranges_with_bom_and_crlf() {
    let text = "\u{feff}a: é\r\nb:\r\n  c: d\r\n";
    let doc = load_ok(text);
    assert_eq!(slice(text, key(&doc, "a")), "a");
    assert_eq!(slice(text, doc.get("a").unwrap()), "é");
    assert_eq!(slice(text, doc.get("b").unwrap().get("c").unwrap()), "d");
}

#[test]
fn block_scalars_and_properties_are_outside_the_value_range() {
    let text = "a: |\n  line 1\n  line 2\n\nb: >-\n  folded\nc: &anc !tag value\nd: !reset null\n";
    let doc = load_ok(text);
    let a = doc.get("a").unwrap();
    assert_eq!(slice(text, a), "|\n  line 1\n  line 2");
    assert_eq!(a.as_str(), Some("line 1\nline 2\n"));
    assert_eq!(a.raw_scalar().unwrap().style, ScalarStyle::Literal);
    assert_eq!(slice(text, doc.get("b").unwrap()), ">-\n  folded");
    let c = doc.get("c").unwrap();
    assert_eq!(slice(text, c), "value");
    assert_eq!(c.tag.as_deref(), Some("!tag"));
    let d = doc.get("d").unwrap();
    assert_eq!(slice(text, d), "null");
    assert_eq!(d.tag.as_deref(), Some("!reset"));
    assert!(d.is_null());
}

#[test]
fn scalar_resolution_and_raw_text() {
    let text = "i: 8080\nq: \"8080\"\no: 0755\noo: 0o755\nh: 0x1F\nf: 1.5\nt: true\nyes: yes\nn: ~\ne:\ns: !!str 12\np: 8080:80\n";
    let doc = load_ok(text);
    let v = |k: &str| doc.get(k).unwrap().value.clone();
    assert_eq!(v("i"), Value::Int(8080));
    assert_eq!(v("q"), Value::String("8080".into()));
    assert_eq!(v("o"), Value::Int(0o755));
    assert_eq!(v("oo"), Value::Int(0o755));
    assert_eq!(v("h"), Value::Int(31));
    assert_eq!(v("f"), Value::Float(1.5));
    assert_eq!(v("t"), Value::Bool(true));
    assert_eq!(v("yes"), Value::String("yes".into()));
    assert_eq!(v("n"), Value::Null);
    assert_eq!(v("e"), Value::Null);
    assert_eq!(v("s"), Value::String("12".into()));
    assert_eq!(v("p"), Value::String("8080:80".into()));

    let i = doc.get("i").unwrap();
    assert!(i.is_plain_scalar());
    assert_eq!(i.raw_scalar().unwrap().text, "8080");
    let q = doc.get("q").unwrap();
    assert!(!q.is_plain_scalar());
    assert_eq!(q.raw_scalar().unwrap().style, ScalarStyle::DoubleQuoted);
    assert_eq!(doc.get("o").unwrap().raw_scalar().unwrap().text, "0755");
    // Keys are found as written, whatever their type.
    assert!(load_ok("80: a\n").get("80").is_some());
}

#[test]
fn anchors_and_aliases() {
    let text = "base: &b\n  image: nginx\n  ports: [80]\nweb: *b\nlist:\n  - &s one\n  - *s\n";
    let doc = load_ok(text);
    let base = doc.get("base").unwrap();
    assert_eq!(base.anchor_of, None);
    assert_eq!(slice(text, base), "image: nginx\n  ports: [80]");
    let web = doc.get("web").unwrap();
    assert_eq!(web.value, base.value);
    assert_eq!(web.range, base.range, "a copy keeps where it was written");
    assert_eq!(
        slice(
            text,
            &Node {
                range: web.anchor_of.unwrap(),
                ..web.clone()
            }
        ),
        "*b"
    );
    assert_eq!(slice(text, web.get("image").unwrap()), "nginx");
    let list = doc.get("list").unwrap().as_sequence().unwrap();
    assert_eq!(list[1].as_str(), Some("one"));
    assert_eq!(&text[list[1].anchor_of.unwrap().as_range()], "*s");
    assert_eq!(slice(text, &list[1]), "one");
    // The sequence ends at the alias, where it is written.
    assert_eq!(slice(text, doc.get("list").unwrap()), "- &s one\n  - *s");
}

#[test]
fn unknown_alias_is_a_syntax_error() {
    let loaded = yaml::load("a: *nope\n");
    assert_eq!(loaded.errors.len(), 1);
    assert_eq!(loaded.errors[0].kind, YamlErrorKind::Syntax);
}

#[test]
fn merge_key_single_source() {
    let text = "base: &base\n  image: nginx\n  restart: always\nweb:\n  <<: *base\n  restart: \"no\"\n  ports: [80]\n";
    let doc = load_ok(text);
    let web = doc.get("web").unwrap();
    assert_eq!(keys(web), ["image", "restart", "ports"]);
    // Own keys win, even when written after `<<`.
    assert_eq!(web.get("restart").unwrap().as_str(), Some("no"));
    // Merged entries point where they were written.
    let image = web.get("image").unwrap();
    assert_eq!(slice(text, image), "nginx");
    assert!(image.range.start < 30);
    assert!(web.get("<<").is_none());
}

#[test]
fn merge_key_list_earlier_sources_win() {
    let text = "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n";
    let doc = load_ok(text);
    let c = doc.get("c").unwrap();
    assert_eq!(keys(c), ["x", "y", "z"]);
    assert_eq!(c.get("x").unwrap().value, Value::Int(1));
    assert_eq!(c.get("y").unwrap().value, Value::Int(1));
    assert_eq!(c.get("z").unwrap().value, Value::Int(3));
    assert_eq!(slice(text, c.get("y").unwrap()), "1");
    assert_eq!(
        c.get("y").unwrap().range.start,
        16,
        "the value of y in a, line 1"
    );
}

#[test]
fn merge_key_with_non_mapping_is_an_error() {
    let loaded = yaml::load("a: &s hello\nb:\n  <<: *s\n  c: 1\n");
    assert_eq!(loaded.errors.len(), 1, "{:#?}", loaded.errors);
    assert_eq!(loaded.errors[0].kind, YamlErrorKind::MergeKey);
    assert_eq!(loaded.errors[0].range, (21..23).into(), "at the alias");
}

#[test]
fn duplicate_key_at_the_second_occurrence() {
    let text = "services:\n  web:\n    image: a\n    ports: []\n    image: b\n";
    let loaded = yaml::load(text);
    assert_eq!(loaded.errors.len(), 1);
    let e = &loaded.errors[0];
    assert_eq!(e.kind, YamlErrorKind::DuplicateKey);
    assert_eq!(&text[e.range.as_range()], "image");
    assert_eq!(e.range.start as usize, text.rfind("image").unwrap());
    assert!(e.message.contains("line 3"), "{}", e.message);
    // The tree is still there.
    assert!(loaded.documents[0].get("services").is_some());
    // `80` and `"80"` are different keys; `1` and `0x1` are the same.
    assert!(yaml::load("80: a\n\"80\": b\n").errors.is_empty());
    assert_eq!(yaml::load("1: a\n0x1: b\n").errors.len(), 1);
}

fn lol_bomb() -> String {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    text
}

#[test]
fn alias_bomb_stops_at_the_budget() {
    let text = lol_bomb();
    let started = Instant::now();
    let loaded = yaml::load(&text);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let budget: Vec<_> = loaded
        .errors
        .iter()
        .filter(|e| e.kind == YamlErrorKind::AliasBudget)
        .collect();
    assert_eq!(budget.len(), 1, "{:#?}", loaded.errors);
    let at = &text[budget[0].range.as_range()];
    assert!(at.starts_with('*'), "located at an alias: {at}");
    assert!(budget[0].message.contains(&ALIAS_BUDGET.to_string()));
}

fn assert_too_deep(text: &str) -> Loaded {
    let loaded = yaml::load(text);
    let deep: Vec<_> = loaded
        .errors
        .iter()
        .filter(|e| e.kind == YamlErrorKind::TooDeep)
        .collect();
    assert_eq!(deep.len(), 1, "{:#?}", loaded.errors);
    assert!(deep[0].range.start > 0);
    loaded
}

#[test]
fn deep_flow_nesting_is_a_located_error() {
    let text = "[".repeat(20_000);
    assert_too_deep(&text);
    let text = format!("a: {}", "{b: ".repeat(20_000));
    assert_too_deep(&text);
}

#[test]
fn deep_block_nesting_is_a_located_error() {
    let text = format!("{}x\n", "- ".repeat(20_000));
    let loaded = assert_too_deep(&text);
    let e = loaded
        .errors
        .iter()
        .find(|e| e.kind == YamlErrorKind::TooDeep)
        .unwrap();
    assert_eq!(e.range.start as usize, 2 * MAX_DEPTH);
    // Just under the limit is fine.
    let ok = format!("{}x\n", "- ".repeat(MAX_DEPTH));
    assert!(yaml::load(&ok).errors.is_empty());
}

#[test]
fn traps_are_found_on_plain_scalars() {
    let text = "services:\n  ssh:\n    ports:\n      - 22:22\n      - \"22:23\"\n      - 8080:80\n      - 3000:30\n    restart: no\n    privileged: 'yes'\n    x: On\n    mode: 0755\n    mode2: 0o644\n    f: 1:30.5\n";
    let doc = load_ok(text);
    let traps = yaml::traps(&doc);
    let found: Vec<(TrapKind, &str)> = traps
        .iter()
        .map(|t| (t.kind, &text[t.range.as_range()]))
        .collect();
    assert_eq!(
        found,
        [
            (TrapKind::Sexagesimal, "22:22"),
            (TrapKind::Sexagesimal, "3000:30"),
            (TrapKind::Boolean, "no"),
            (TrapKind::Boolean, "On"),
            (TrapKind::Octal, "0755"),
            (TrapKind::Octal, "0o644"),
            (TrapKind::Sexagesimal, "1:30.5"),
        ]
    );
    assert!(traps[0].message.contains("1342"), "{}", traps[0].message);
    assert!(traps[1].message.contains("180030"), "{}", traps[1].message);
    assert!(traps[4].message.contains("493"), "{}", traps[4].message);
}

#[test]
fn traps_through_aliases_are_reported_once() {
    let text = "a: &p [22:22]\nb: *p\nc: *p\n";
    let traps = yaml::traps(&load_ok(text));
    assert_eq!(traps.len(), 1);
}

#[test]
fn reset_and_override_tags_are_kept() {
    let text = "services:\n  web:\n    ports: !reset []\n    environment: !override\n      A: 1\n    command: !reset null\n";
    let doc = load_ok(text);
    let web = doc.get("services").unwrap().get("web").unwrap();
    let ports = web.get("ports").unwrap();
    assert_eq!(ports.tag.as_deref(), Some("!reset"));
    assert_eq!(slice(text, ports), "[]");
    let env = web.get("environment").unwrap();
    assert_eq!(env.tag.as_deref(), Some("!override"));
    assert_eq!(slice(text, env), "A: 1");
    assert_eq!(web.get("command").unwrap().tag.as_deref(), Some("!reset"));
}

const COMPOSE: &str = r#"version: "3.8"

x-common: &common
  restart: unless-stopped
  logging:
    driver: json-file

services:
  web:
    <<: *common
    image: nginx:latest
    ports:
      - "8080:80"
      - 443:443
    depends_on:
      - db
    environment:
      DATABASE_URL: postgres://user:pass@db/app   # credentials in a URL
      DEBUG: "false"
  db:
    <<: *common
    image: postgres
    restart: always
    volumes:
      - db-data:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 10s

volumes:
  db-data: {}
"#;

#[test]
fn a_real_compose_file() {
    let doc = load_ok(COMPOSE);
    assert_eq!(keys(&doc), ["version", "x-common", "services", "volumes"]);
    let services = doc.get("services").unwrap();
    assert_eq!(keys(services), ["web", "db"]);
    let web = services.get("web").unwrap();
    assert_eq!(
        keys(web),
        [
            "restart",
            "logging",
            "image",
            "ports",
            "depends_on",
            "environment"
        ]
    );
    assert_eq!(web.get("restart").unwrap().as_str(), Some("unless-stopped"));
    assert_eq!(
        web.get("logging").unwrap().get("driver").unwrap().as_str(),
        Some("json-file")
    );
    let ports = web.get("ports").unwrap().as_sequence().unwrap();
    assert_eq!(
        ports[0].raw_scalar().unwrap().style,
        ScalarStyle::DoubleQuoted
    );
    assert!(ports[1].is_plain_scalar());
    assert_eq!(slice(COMPOSE, &ports[1]), "443:443");
    let url = web.get("environment").unwrap().get("DATABASE_URL").unwrap();
    assert_eq!(slice(COMPOSE, url), "postgres://user:pass@db/app");
    let db = services.get("db").unwrap();
    assert_eq!(db.get("restart").unwrap().as_str(), Some("always"));
    let test = db
        .get("healthcheck")
        .unwrap()
        .get("test")
        .unwrap()
        .as_sequence()
        .unwrap();
    assert_eq!(test[1].as_str(), Some("pg_isready -U postgres"));
    assert_eq!(
        doc.get("volumes")
            .unwrap()
            .get("db-data")
            .unwrap()
            .as_mapping(),
        Some(&[][..])
    );
    assert!(yaml::traps(&doc).is_empty(), "{:#?}", yaml::traps(&doc));
}

#[test]
fn several_documents() {
    let loaded = yaml::load("---\na: 1\n---\nb: 2\n...\n");
    assert!(loaded.errors.is_empty());
    assert_eq!(loaded.documents.len(), 2);
    assert!(yaml::load("").documents.is_empty());
    assert!(yaml::load("# only a comment\n").documents.is_empty());
}

#[test]
fn syntax_errors_are_located_and_keep_a_partial_tree() {
    let text = "services:\n  web:\n    image: \"unterminated\n  db: {\n";
    let loaded = yaml::load(text);
    assert_eq!(loaded.errors.len(), 1, "{:#?}", loaded.errors);
    assert_eq!(loaded.errors[0].kind, YamlErrorKind::Syntax);
    assert_eq!(loaded.documents.len(), 1);

    let text = "a: 1\n\tb: 2\n";
    let loaded = yaml::load(text);
    assert_eq!(loaded.errors[0].kind, YamlErrorKind::Syntax);
    let text = "a: 1\n  b: 2\n";
    let loaded = yaml::load(text);
    let e = &loaded.errors[0];
    assert_eq!(e.kind, YamlErrorKind::Syntax);
    assert_eq!(LineCol::of(text, e.range.start as usize).0, 1);
    let text = "é: ö\n  b: 2\n";
    let e = &yaml::load(text).errors[0];
    assert!(text.is_char_boundary(e.range.start as usize));
    assert!(text.is_char_boundary(e.range.end as usize));
}

struct LineCol;
impl LineCol {
    fn of(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let line = before.matches('\n').count();
        (line, offset - before.rfind('\n').map_or(0, |i| i + 1))
    }
}

/// xorshift: deterministic pseudo-random bytes.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn check_invariants(text: &str, loaded: &Loaded) {
    fn walk(text: &str, node: &Node) {
        assert!(node.range.end as usize <= text.len());
        assert!(text.is_char_boundary(node.range.start as usize));
        assert!(text.is_char_boundary(node.range.end as usize));
        match &node.value {
            Value::Sequence(items) => items.iter().for_each(|n| walk(text, n)),
            Value::Mapping(entries) => entries.iter().for_each(|(k, v)| {
                walk(text, k);
                walk(text, v);
            }),
            _ => {}
        }
    }
    for doc in &loaded.documents {
        walk(text, doc);
        let _ = yaml::traps(doc);
    }
    for e in &loaded.errors {
        assert!(e.range.end as usize <= text.len());
        assert!(text.is_char_boundary(e.range.start as usize));
    }
}

#[test]
fn random_input_never_panics() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let alphabet: &[&str] = &[
        "a",
        "b",
        ":",
        " ",
        "  ",
        "\n",
        "\t",
        "-",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "\"",
        "'",
        "&a",
        "*a",
        "!",
        "!reset",
        "|",
        ">",
        "#",
        "?",
        "<<",
        "---",
        "...",
        "%YAML 1.2",
        "é",
        "🐳",
        "\r\n",
        "\\",
        "0755",
        "22:22",
        "yes",
        "\u{feff}",
        "\0",
    ];
    for round in 0..3000 {
        let len = (rng.next() % 200) as usize;
        let text = if round % 3 == 0 {
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            (0..len)
                .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
                .collect()
        };
        let loaded = yaml::load(&text);
        check_invariants(&text, &loaded);
    }
    // Every prefix of a real file, and some of an alias bomb (each costs a full budget).
    for (text, step) in [(COMPOSE, 1), (&lol_bomb(), 11)] {
        for cut in (0..text.len())
            .step_by(step)
            .filter(|&i| text.is_char_boundary(i))
        {
            let loaded = yaml::load(&text[..cut]);
            check_invariants(&text[..cut], &loaded);
        }
    }
}

#[test]
fn large_input_loads_quickly() {
    let mut text = String::from("services:\n");
    for i in 0..5000 {
        text.push_str(&format!(
            "  s{i}:\n    image: nginx:1.{i}\n    ports: [\"{i}:80\"]\n"
        ));
    }
    let started = Instant::now();
    let doc = load_ok(&text);
    assert_eq!(
        doc.get("services").unwrap().as_mapping().unwrap().len(),
        5000
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}
