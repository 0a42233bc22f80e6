use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dockside_context::{BuildContext, MAX_READ_BYTES, MAX_WALK_ENTRIES, Overlay, SensitiveKind};

fn write(root: &Path, rel: &str, content: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, content) in files {
        write(dir.path(), rel, content);
    }
    dir
}

fn ctx(dir: &tempfile::TempDir) -> BuildContext {
    BuildContext::new(
        dir.path().to_path_buf(),
        Some(&dir.path().join("Dockerfile")),
    )
}

#[test]
fn is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<BuildContext>();
}

#[test]
fn dockerignore_resolution() {
    let dir = tree(&[
        ("Dockerfile", "FROM x"),
        (".dockerignore", "root-rule"),
        ("docker/app.Dockerfile", "FROM x"),
        ("docker/app.Dockerfile.dockerignore", "specific-rule"),
    ]);
    let root = dir.path().to_path_buf();

    let plain = BuildContext::new(root.clone(), Some(&root.join("Dockerfile")));
    assert_eq!(
        plain.dockerignore_path(),
        Some(root.join(".dockerignore").as_path())
    );
    assert!(plain.is_excluded("root-rule"));

    let specific = BuildContext::new(root.clone(), Some(&root.join("docker/app.Dockerfile")));
    assert_eq!(
        specific.dockerignore_path(),
        Some(root.join("docker/app.Dockerfile.dockerignore").as_path())
    );
    assert!(specific.is_excluded("specific-rule"));
    assert!(!specific.is_excluded("root-rule"));

    // Dockerfile outside the root without a specific ignore file.
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "Dockerfile", "FROM x");
    let ctx = BuildContext::new(root.clone(), Some(&outside.path().join("Dockerfile")));
    assert!(ctx.is_excluded("root-rule"));

    let none = tempfile::tempdir().unwrap();
    let ctx = BuildContext::new(none.path().to_path_buf(), None);
    assert!(ctx.dockerignore().is_none());
    assert!(ctx.dockerignore_path().is_none());
    assert!(!ctx.is_excluded("anything"));
}

#[test]
fn overlay_takes_precedence() {
    let dir = tree(&[("app.conf", "disk"), (".dockerignore", "*.log")]);
    let root = dir.path().to_path_buf();
    let mut buffers = HashMap::new();
    buffers.insert(root.join("app.conf"), "buffer".to_owned());
    buffers.insert(root.join("new.txt"), "unsaved".to_owned());
    buffers.insert(root.join(".dockerignore"), "*.tmp".to_owned());
    let overlay: Arc<dyn Overlay> = Arc::new(buffers);
    let ctx = BuildContext::new(root, None).with_overlay(overlay);

    assert_eq!(ctx.read_text("app.conf").as_deref(), Some("buffer"));
    assert_eq!(ctx.read_text("./new.txt").as_deref(), Some("unsaved"));
    assert!(ctx.exists("new.txt"));
    assert!(ctx.is_excluded("x.tmp"));
    assert!(!ctx.is_excluded("x.log"));
}

#[test]
fn paths_are_normalised() {
    let dir = tree(&[("src/main.rs", "fn main() {}"), ("app/index.js", "x")]);
    let ctx = ctx(&dir);
    let cases: &[(&str, bool, bool)] = &[
        // (path, exists, is_dir)
        ("src/main.rs", true, false),
        ("./src/main.rs", true, false),
        ("/src/main.rs", true, false),
        ("src//./main.rs", true, false),
        ("src/../src/main.rs", true, false),
        ("src", true, true),
        ("src/", true, true),
        ("/app", true, true),
        (".", true, true),
        ("", true, true),
        ("missing", false, false),
        ("../outside", false, false),
        ("src/../../x", false, false),
    ];
    for &(path, exists, is_dir) in cases {
        assert_eq!(ctx.exists(path), exists, "exists({path:?})");
        assert_eq!(ctx.is_dir(path), is_dir, "is_dir({path:?})");
    }
    assert_eq!(
        ctx.read_text("/src/main.rs").as_deref(),
        Some("fn main() {}")
    );
    assert_eq!(ctx.read_text("../etc/passwd"), None);
    assert!(ctx.files_under("..").is_empty());
    assert!(ctx.glob("../*").is_empty());
    assert_eq!(ctx.abs_path("./src/../app"), dir.path().join("app"));
    assert_eq!(ctx.abs_path("."), dir.path().to_path_buf());
}

#[test]
fn files_under_respects_dockerignore() {
    let dir = tree(&[
        (
            ".dockerignore",
            "node_modules\n*.md\n!README.md\nbuild/\n!build/keep.txt\n",
        ),
        ("Dockerfile", "FROM x"),
        ("README.md", "r"),
        ("CHANGES.md", "c"),
        ("node_modules/a/index.js", "x"),
        ("src/lib.rs", "x"),
        ("src/.hidden", "x"),
        ("build/out.o", "x"),
        ("build/keep.txt", "x"),
    ]);
    let ctx = ctx(&dir);
    assert_eq!(
        *ctx.files_under(""),
        [
            ".dockerignore",
            "Dockerfile",
            "README.md",
            "build/keep.txt",
            "src/.hidden",
            "src/lib.rs"
        ]
    );
    assert_eq!(*ctx.files_under("./src"), ["src/.hidden", "src/lib.rs"]);
    assert!(ctx.files_under("node_modules").is_empty());
    assert_eq!(*ctx.files_under("README.md"), ["README.md"]);
    assert!(ctx.files_under("CHANGES.md").is_empty());
    assert!(ctx.files_under("missing").is_empty());
    assert_eq!(
        ctx.dockerignore()
            .unwrap()
            .matching_pattern("CHANGES.md")
            .unwrap()
            .line,
        2
    );
}

#[test]
fn glob_table() {
    let dir = tree(&[
        (".dockerignore", "secret.txt\n"),
        ("a.txt", "x"),
        ("b.txt", "x"),
        (".env", "x"),
        ("secret.txt", "x"),
        ("src/one/x", "x"),
        ("src/two/x", "x"),
        ("src/three/y", "x"),
        ("conf/a.conf", "x"),
        ("conf/b.conf", "x"),
        ("conf/c.ini", "x"),
        ("weird*name", "x"),
    ]);
    let ctx = ctx(&dir);
    let cases: &[(&str, &[&str])] = &[
        ("*.txt", &["a.txt", "b.txt"]),
        ("./*.txt", &["a.txt", "b.txt"]),
        ("/*.txt", &["a.txt", "b.txt"]),
        ("src/*/x", &["src/one/x", "src/two/x"]),
        ("src/*", &["src/one", "src/three", "src/two"]),
        ("conf/[ab].conf", &["conf/a.conf", "conf/b.conf"]),
        ("conf/*.{conf,ini}", &[]),
        ("conf/?.ini", &["conf/c.ini"]),
        (".e*", &[".env"]),
        ("a.txt", &["a.txt"]),
        ("missing.txt", &[]),
        ("secret.txt", &[]),
        ("secret*", &[]),
        ("weird\\*name", &["weird*name"]),
        ("conf/[", &[]),
        ("*/*/*/*", &[]),
        ("..", &[]),
    ];
    for &(pattern, want) in cases {
        assert_eq!(*ctx.glob(pattern), *want, "glob({pattern:?})");
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang() {
    use std::os::unix::fs::symlink;
    let dir = tree(&[("a/file.txt", "x"), ("b/.env", "SECRET=1")]);
    let outside = tree(&[("escaped.txt", "x")]);
    let root = dir.path();
    symlink(outside.path(), root.join("out")).unwrap();
    symlink("..", root.join("a/up")).unwrap();
    symlink(root, root.join("a/abs")).unwrap();
    symlink("self", root.join("self")).unwrap();
    symlink("b", root.join("blink")).unwrap();
    symlink("a/file.txt", root.join("filelink")).unwrap();
    symlink("missing", root.join("dangling")).unwrap();

    let ctx = ctx(&dir);
    let start = Instant::now();
    let files = ctx.files_under("");
    assert_eq!(
        *files,
        ["a/file.txt", "b/.env", "dangling", "filelink", "self"]
    );
    assert!(!ctx.is_dir("self"));
    assert!(ctx.glob("*/*/*/*/*/*").len() < MAX_WALK_ENTRIES);
    assert_eq!(*ctx.glob("a/up/a/up/a/file.txt"), ["a/up/a/up/a/file.txt"]);
    assert_eq!(ctx.read_text("self"), None);
    assert!(!ctx.is_dir("self"));
    assert_eq!(ctx.read_text("filelink").as_deref(), Some("x"));
    // A symlinked start directory inside the root is walked...
    assert_eq!(*ctx.files_under("blink"), ["blink/.env"]);
    // ...but one pointing outside the root is not.
    assert!(ctx.files_under("out").is_empty());
    assert!(ctx.glob("out/*").is_empty());
    assert!(ctx.files_under("out/").is_empty());
    assert!(ctx.files_under("a/abs/out").is_empty());
    assert_eq!(*ctx.files_under("a/up/b"), ["a/up/b/.env"]);
    let sensitive = ctx.sensitive_files_under("");
    assert_eq!(*sensitive, [("b/.env".to_owned(), SensitiveKind::EnvFile)]);
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[cfg(unix)]
#[test]
fn unreadable_and_special_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[
        ("locked.txt", "secret"),
        ("binary.bin", ""),
        ("ok.txt", "fine"),
    ]);
    let root = dir.path();
    fs::write(root.join("binary.bin"), [0xff, 0xfe, 0x00, 0x80]).unwrap();
    let locked = root.join("locked.txt");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let fifo = root.join("pipe");
    let have_fifo = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());

    let ctx = ctx(&dir);
    // Root can read anything; everyone else must get None. Either way no panic.
    let readable = fs::read(&locked).is_ok();
    assert_eq!(ctx.read_text("locked.txt").is_some(), readable);
    assert_eq!(ctx.read_text("binary.bin"), None);
    assert_eq!(ctx.read_text("ok.txt").as_deref(), Some("fine"));
    assert_eq!(ctx.read_text("."), None);
    if have_fifo {
        // Reading a FIFO would block forever; it must be refused up front.
        assert!(ctx.exists("pipe"));
        assert_eq!(ctx.read_text("pipe"), None);
        assert!(!ctx.files_under("").contains(&"pipe".to_owned()));
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn large_files_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let cap = MAX_READ_BYTES as usize;
    fs::write(dir.path().join("big.txt"), "a".repeat(cap + 1)).unwrap();
    fs::write(dir.path().join("edge.txt"), "a".repeat(cap)).unwrap();
    let mut big_key = "-----BEGIN PRIVATE KEY-----\n".to_owned();
    big_key.push_str(&"A".repeat(cap));
    fs::write(dir.path().join("big.pem"), big_key).unwrap();
    let ctx = ctx(&dir);
    assert_eq!(ctx.read_text("big.txt"), None);
    assert_eq!(ctx.read_text("edge.txt").map(|t| t.len()), Some(cap));
    // Too big to check the content: conservatively treated as a key.
    assert_eq!(
        *ctx.sensitive_files_under(""),
        [("big.pem".to_owned(), SensitiveKind::PrivateKey)]
    );

    let overlay: Arc<dyn Overlay> = Arc::new(HashMap::from([(
        dir.path().join("huge-buffer.txt"),
        "b".repeat(cap + 1),
    )]));
    let ctx = ctx.with_overlay(overlay);
    assert_eq!(ctx.read_text("huge-buffer.txt"), None);
}

#[test]
fn walks_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    // Depth: 40 nested directories with a file at every level.
    let mut rel = PathBuf::new();
    for i in 0..40 {
        rel.push(format!("d{i}"));
        write(dir.path(), &rel.join("f").to_string_lossy(), "x");
    }
    // Breadth: more entries than the walk budget.
    let wide = dir.path().join("wide");
    fs::create_dir(&wide).unwrap();
    for i in 0..MAX_WALK_ENTRIES + 100 {
        fs::write(wide.join(format!("{i:05}")), "").unwrap();
    }
    let ctx = ctx(&dir);
    let deep = ctx.files_under("d0");
    assert!(deep.len() >= 30 && deep.len() < 40, "{}", deep.len());
    let all = ctx.files_under("");
    assert!(all.len() <= MAX_WALK_ENTRIES, "{}", all.len());
    assert!(ctx.glob("wide/*").len() <= MAX_WALK_ENTRIES);
}

#[test]
fn sensitive_files_under_skips_excluded() {
    let dir = tree(&[
        (".dockerignore", ".env\n**/*.pem\n!certs/server.pem\n"),
        (".env", "A=1"),
        (".env.example", "A="),
        (".env.production", "A=2"),
        ("certs/server.pem", "-----BEGIN PRIVATE KEY-----"),
        ("certs/other.pem", "-----BEGIN PRIVATE KEY-----"),
        ("certs/ca.crt", "-----BEGIN CERTIFICATE-----"),
        ("public/ca.pem", "-----BEGIN CERTIFICATE-----"),
        (".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}"),
        ("config/.npmrc", "save-exact=true"),
        ("deploy/id_rsa", "x"),
        ("deploy/id_rsa.pub", "x"),
        ("src/app.py", "print()"),
    ]);
    let ctx = ctx(&dir);
    let found = ctx.sensitive_files_under("");
    let expected: Vec<(String, SensitiveKind)> = [
        (".env.production", SensitiveKind::EnvFile),
        (".npmrc", SensitiveKind::NpmCredentials),
        ("certs/server.pem", SensitiveKind::PrivateKey),
        ("deploy/id_rsa", SensitiveKind::SshKey),
    ]
    .into_iter()
    .map(|(p, k)| (p.to_owned(), k))
    .collect();
    assert_eq!(*found, *expected);
    assert_eq!(
        *ctx.sensitive_files_under("deploy"),
        [("deploy/id_rsa".to_owned(), SensitiveKind::SshKey)]
    );
}

#[test]
fn finds_supervisord_configs() {
    let dir = tree(&[
        (".dockerignore", "ignored/\n"),
        ("supervisord.conf", "[supervisord]\nnodaemon=true\n"),
        (
            "docker/supervisor/app.conf",
            "[program:app]\ncommand=/app\n",
        ),
        ("etc/conf.d/web.conf", "[program:web]\ncommand=nginx\n"),
        ("nginx/conf.d/default.conf", "server { listen 80; }\n"),
        ("other/supervisor.conf", "; empty\n"),
        ("other/random.conf", "[program:x]\ncommand=y\n"),
        ("ignored/supervisord.conf", "[supervisord]\n"),
    ]);
    let ctx = ctx(&dir);
    assert_eq!(
        ctx.find_supervisord_configs(),
        [
            "docker/supervisor/app.conf",
            "etc/conf.d/web.conf",
            "supervisord.conf"
        ]
    );
    let text = ctx.read_text("supervisord.conf").unwrap();
    assert_eq!(
        dockside_context::supervisord::parse(&text).nodaemon(),
        Some(true)
    );
}

#[test]
fn listings_are_cached() {
    let dir = tree(&[("a.txt", "x")]);
    let ctx = ctx(&dir);
    assert_eq!(*ctx.glob("*.txt"), ["a.txt"]);
    write(dir.path(), "b.txt", "x");
    // The listing is cached; the new file is not seen until a new context.
    assert_eq!(*ctx.glob("*.txt"), ["a.txt"]);
    assert_eq!(*super_ctx(&dir).glob("*.txt"), ["a.txt", "b.txt"]);
}

fn super_ctx(dir: &tempfile::TempDir) -> BuildContext {
    BuildContext::new(dir.path().to_path_buf(), None)
}

#[test]
fn pool_shares_a_context_per_root_and_ignore_file() {
    let dir = tree(&[
        ("Dockerfile", "FROM x"),
        ("api.Dockerfile", "FROM x"),
        ("dev.Dockerfile", "FROM x"),
        ("dev.Dockerfile.dockerignore", "secrets.env"),
        (".dockerignore", "*.md"),
        ("secrets.env", "TOKEN=1"),
        ("README.md", "x"),
    ]);
    let pool = dockside_context::ContextPool::default();
    let root = dir.path().to_path_buf();
    let main = pool.get(root.clone(), Some(&root.join("Dockerfile")));
    let api = pool.get(root.clone(), Some(&root.join("api.Dockerfile")));
    let dev = pool.get(root.clone(), Some(&root.join("dev.Dockerfile")));
    assert!(Arc::ptr_eq(&main, &api));
    assert!(!Arc::ptr_eq(&main, &dev));
    // Each keeps the answers of its own ignore file.
    assert!(main.is_excluded("README.md") && !main.is_excluded("secrets.env"));
    assert!(dev.is_excluded("secrets.env") && !dev.is_excluded("README.md"));
    assert_eq!(
        *main.sensitive_files_under(""),
        [("secrets.env".to_owned(), SensitiveKind::EnvFile)]
    );
    assert!(dev.sensitive_files_under("").is_empty());
}

/// The pool finds ignore files from its folder listings as a `stat` would: next to a
/// Dockerfile outside the root, and not when `.dockerignore` is a folder.
#[test]
fn pool_finds_ignore_files_like_the_disk_says() {
    let dir = tree(&[
        ("docker/app.Dockerfile", "FROM x"),
        ("docker/app.Dockerfile.dockerignore", "*.md"),
        ("docker/web.Dockerfile", "FROM x"),
        ("other/Dockerfile", "FROM x"),
        ("other/.dockerignore/keep", ""),
        ("README.md", "x"),
    ]);
    let pool = dockside_context::ContextPool::default();
    let root = dir.path().to_path_buf();
    let app = pool.get(root.clone(), Some(&root.join("docker/app.Dockerfile")));
    let web = pool.get(root.clone(), Some(&root.join("docker/web.Dockerfile")));
    assert!(app.is_excluded("README.md"));
    assert_eq!(
        app.dockerignore_path(),
        Some(root.join("docker/app.Dockerfile.dockerignore").as_path())
    );
    assert!(web.dockerignore_path().is_none() && !web.is_excluded("README.md"));
    let other = root.join("other");
    let other_ctx = pool.get(other.clone(), Some(&other.join("Dockerfile")));
    assert!(other_ctx.dockerignore_path().is_none());
}
