//! What a container's main process is as a server: development servers, and the
//! address it listens on. Shared by `dev-server`, `invalid-bind-address` and
//! `loopback-bind-address`.

use std::ops::Range;

use dockside_shell::Word;

use super::main_process::basename;

/// A command seen through its interpreter: `python manage.py runserver` is the
/// program `manage.py` with `runserver`; `python -m flask run` is `flask run`.
pub struct Invocation<'w> {
    pub program: String,
    pub args: &'w [Word],
}

fn value(w: &Word) -> Option<&str> {
    w.value.as_deref()
}

fn is_python(prog: &str) -> bool {
    prog == "python"
        || prog
            .strip_prefix("python")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Sees through `python [-u …] script|-m module`, `php artisan`, `bundle exec`,
/// `npx`, `node_modules/.bin/x`.
pub fn invocation(argv: &[Word]) -> Option<Invocation<'_>> {
    let first = argv.first()?;
    let prog = basename(value(first)?);
    if is_python(prog) {
        let mut k = 1;
        while let Some(v) = argv.get(k).and_then(value) {
            match v {
                "-m" => {
                    let module = argv.get(k + 1)?;
                    return Some(Invocation {
                        program: value(module)?.to_string(),
                        args: argv.get(k + 2..).unwrap_or(&[]),
                    });
                }
                "-W" | "-X" | "-c" => {
                    if v == "-c" {
                        return None;
                    }
                    k += 2;
                }
                _ if v.starts_with('-') => k += 1,
                _ => {
                    return Some(Invocation {
                        program: basename(v).to_string(),
                        args: argv.get(k + 1..).unwrap_or(&[]),
                    });
                }
            }
        }
        return None;
    }
    if matches!(prog, "npx" | "pnpx" | "bunx")
        || (prog == "bundle" && argv.get(1).and_then(value) == Some("exec"))
    {
        let skip = if prog == "bundle" { 2 } else { 1 };
        let mut k = skip;
        while argv
            .get(k)
            .and_then(value)
            .is_some_and(|v| v.starts_with('-'))
        {
            k += 1;
        }
        let w = argv.get(k)?;
        return Some(Invocation {
            program: basename(value(w)?).to_string(),
            args: argv.get(k + 1..).unwrap_or(&[]),
        });
    }
    Some(Invocation {
        program: prog.to_string(),
        args: &argv[1..],
    })
}

/// A development server found as the main process.
pub struct DevServer {
    /// What it is, e.g. "`manage.py runserver` is Django's development server".
    pub what: String,
    /// What to run instead.
    pub hint: &'static str,
}

/// The first argument that is not an option.
fn subcommand(args: &[Word]) -> Option<&str> {
    args.iter().filter_map(value).find(|v| !v.starts_with('-'))
}

fn has(args: &[Word], flag: &str) -> bool {
    args.iter()
        .filter_map(value)
        .any(|v| v == flag || v.strip_prefix(flag).is_some_and(|r| r.starts_with('=')))
}

/// Script names that by convention start a development server.
const DEV_SCRIPTS: &[&str] = &["dev", "develop", "start:dev", "serve:dev", "dev:server"];

pub fn dev_server(inv: &Invocation) -> Option<DevServer> {
    let p = inv.program.as_str();
    let args = inv.args;
    let sub = subcommand(args);
    let dev = |what: String, hint: &'static str| Some(DevServer { what, hint });
    const WSGI: &str = "run a production server (gunicorn, uWSGI) instead";
    const ASGI: &str = "drop `--reload` (it watches files and restarts the server; mount-and-reload belongs in a development Compose override)";
    const NODE: &str = "build the application and run its production server (`npm start`, `next start`, `node dist/server.js`)";
    match p {
        "manage.py" | "django-admin" | "django" if has(args, "runserver") => dev(
            format!("`{p} runserver` is Django's development server, which its documentation says not to use in production (one process, not security-audited)"),
            "run a WSGI/ASGI server such as gunicorn or uvicorn",
        ),
        "flask" if has(args, "run") => dev(
            "`flask run` is Flask's development server, not meant for production".into(),
            WSGI,
        ),
        "uvicorn" | "gunicorn" | "hypercorn" if has(args, "--reload") => dev(
            format!("`{p} --reload` restarts the server whenever a file changes: a development mode that watches the whole directory"),
            ASGI,
        ),
        "fastapi" if sub == Some("dev") => dev(
            "`fastapi dev` runs with auto-reload, for development".into(),
            "use `fastapi run`",
        ),
        "http.server" => dev(
            "`python -m http.server` is a test server that Python's documentation says not to use in production".into(),
            "serve the files with a web server such as nginx",
        ),
        "npm" | "yarn" | "pnpm" | "bun" => {
            let via_run = matches!(sub, Some("run" | "run-script"));
            let script = match sub {
                Some("run" | "run-script") => args
                    .iter()
                    .filter_map(value)
                    .filter(|v| !v.starts_with('-'))
                    .nth(1),
                other if p != "npm" => other,
                _ => None,
            }?;
            DEV_SCRIPTS.contains(&script).then(|| DevServer {
                what: format!("`{p}{} {script}` starts the project's development server (file watching, unoptimized build)", if via_run { " run" } else { "" }),
                hint: NODE,
            })
        }
        "nodemon" | "ts-node-dev" | "webpack-dev-server" => dev(
            format!("`{p}` restarts or rebuilds on every file change: a development tool"),
            NODE,
        ),
        "next" | "nuxt" | "nuxi" | "remix" | "astro" if sub == Some("dev") => dev(
            format!("`{p} dev` is the development server"),
            NODE,
        ),
        "vite" if matches!(sub, None | Some("dev" | "serve")) => dev(
            "`vite` without `build`/`preview` is Vite's development server".into(),
            "run `vite build` and serve the output with a web server",
        ),
        "ng" | "vue-cli-service" | "webpack" if sub == Some("serve") => dev(
            format!("`{p} serve` is the development server"),
            "build the application and serve the output with a web server",
        ),
        "react-scripts" if sub == Some("start") => dev(
            "`react-scripts start` is Create React App's development server".into(),
            "run `react-scripts build` and serve the output with a web server",
        ),
        "tsx" if sub == Some("watch") => dev(
            "`tsx watch` restarts on every file change: a development tool".into(),
            NODE,
        ),
        "node" if has(args, "--watch") => dev(
            "`node --watch` restarts on every file change: a development mode".into(),
            NODE,
        ),
        "artisan" if sub == Some("serve") => dev(
            "`php artisan serve` runs PHP's built-in development server".into(),
            "run php-fpm behind a web server, or FrankenPHP/Octane",
        ),
        "php" if has(args, "-S") => dev(
            "`php -S` is PHP's built-in web server, which its documentation says not to use on a public network".into(),
            "run php-fpm behind a web server",
        ),
        "rails"
            if matches!(sub, Some("server" | "s"))
                && (args.windows(2).any(|w| {
                    matches!(value(&w[0]), Some("-e" | "--environment"))
                        && value(&w[1]) == Some("development")
                }) || has(args, "--environment=development")) =>
        {
            dev(
                "`rails server` in the development environment reloads code and shows full error pages".into(),
                "run it with `RAILS_ENV=production`",
            )
        }
        _ => None,
    }
}

/// An address a server is told to listen on.
pub struct Bind<'w> {
    /// The host part as written (`0.0.0`, `localhost`, `[::1]`), when there is one.
    pub host: Option<String>,
    pub port: Option<String>,
    pub word: &'w Word,
    /// Offsets of the host inside the word's value (for pointing at it).
    pub host_at: Option<Range<usize>>,
}

/// Splits `host:port`, `[v6]:port`, `port` or `host`.
fn split_addr(spec: &str) -> (Option<&str>, Option<&str>) {
    if let Some(rest) = spec.strip_prefix('[') {
        return match rest.split_once(']') {
            Some((h, p)) => (Some(&spec[..h.len() + 2]), p.strip_prefix(':')),
            None => (Some(spec), None),
        };
    }
    match spec.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => (Some(h), Some(p)),
        Some(_) => (Some(spec), None),
        None if spec.chars().all(|c| c.is_ascii_digit()) => (None, Some(spec)),
        None => (Some(spec), None),
    }
}

/// The addresses the server is told to bind: `runserver ADDR:PORT`, `--bind`/`-b`,
/// `--host`/`-h`/`-H`, `php -S`. `has_option` says whether any address option was given.
pub fn binds<'w>(inv: &Invocation<'w>) -> (Vec<Bind<'w>>, bool) {
    let args = inv.args;
    let p = inv.program.as_str();
    let mut out = Vec::new();
    let mut given = false;
    let push =
        |out: &mut Vec<Bind<'w>>, word: &'w Word, spec: &str, offset: usize, host_only: bool| {
            if spec.contains('/') || spec.starts_with("unix:") || spec.starts_with("fd:") {
                return;
            }
            let (host, port) = if host_only {
                (Some(spec), None)
            } else {
                split_addr(spec)
            };
            let host_at = host.map(|h| offset..offset + h.len());
            out.push(Bind {
                host: host.map(str::to_string),
                port: port.map(str::to_string),
                word,
                host_at,
            });
        };
    if matches!(p, "manage.py" | "django-admin" | "django") {
        let mut positional = args
            .iter()
            .filter(|w| value(w).is_some_and(|v| !v.starts_with('-')));
        if positional.next().and_then(value) == Some("runserver") {
            if let Some(w) = positional.next() {
                given = true;
                if let Some(v) = value(w) {
                    push(&mut out, w, v, 0, false);
                }
            }
        } else {
            return (out, true);
        }
        return (out, given);
    }
    // (option, value is host only)
    let options: &[(&str, bool)] = match p {
        "gunicorn" => &[("-b", false), ("--bind", false)],
        "uvicorn" | "fastapi" => &[("--host", true)],
        "hypercorn" => &[("-b", false), ("--bind", false)],
        "flask" => &[("-h", true), ("--host", true)],
        "http.server" => &[("-b", true), ("--bind", true)],
        "php" => &[("-S", false)],
        "rails" => &[("-b", true), ("--binding", true)],
        "next" | "nuxt" | "nuxi" => &[("-H", true), ("--hostname", true)],
        "vite" => &[("--host", true)],
        _ => return (out, true),
    };
    let mut k = 0;
    while k < args.len() {
        let Some(v) = value(&args[k]) else {
            k += 1;
            continue;
        };
        for &(opt, host_only) in options {
            if v == opt {
                given = true;
                if let Some(w) = args.get(k + 1)
                    && let Some(val) = value(w)
                    && !val.starts_with('-')
                {
                    push(&mut out, w, val, 0, host_only);
                }
            } else if let Some(val) = v.strip_prefix(opt).and_then(|r| r.strip_prefix('='))
                && opt.starts_with("--")
            {
                given = true;
                push(&mut out, &args[k], val, opt.len() + 1, host_only);
            } else if opt.len() == 2
                && !opt.starts_with("--")
                && v.len() > 2
                && v.starts_with(opt)
                && p != "flask"
            {
                given = true;
                push(&mut out, &args[k], &v[2..], 2, host_only);
            }
        }
        k += 1;
    }
    (out, given)
}

/// The host is written like an IPv4 address (digits and dots) but is not a valid one:
/// `0.0.0`, `10.0.0.256`, `1.2.3.4.5`. A lone `0` is accepted (Django documents it as
/// `0.0.0.0`, and the C library reads it so for every server).
pub fn malformed_ipv4(host: &str) -> bool {
    if host.is_empty()
        || !host.chars().all(|c| c.is_ascii_digit() || c == '.')
        || !host.contains('.')
    {
        return false;
    }
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() != 4
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 3 || p.parse::<u32>().map_or(true, |n| n > 255))
}

/// The host only accepts connections from inside the container.
pub fn loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h == "::1"
        || (h.starts_with("127.") && !malformed_ipv4(h))
}

/// The range of `bind`'s host inside its file: exact when the word is written
/// plainly (or quoted without escapes), the whole word otherwise.
pub fn host_range(bind: &Bind) -> (Range<usize>, bool) {
    let w = bind.word;
    let Some(at) = bind.host_at.clone() else {
        return (w.range.clone(), false);
    };
    match w
        .value
        .as_deref()
        .and_then(|v| crate::rules::compose_services::process::word_base(w, v))
    {
        Some(base) if w.range.len() >= at.end => (base + at.start..base + at.end, true),
        _ => (w.range.clone(), false),
    }
}

/// Where a server listens when it is given no address, for servers whose
/// default is the loopback interface: (what is running, the default address,
/// environment variables or files that can change it).
pub fn loopback_default(inv: &Invocation, given: bool) -> Option<LoopbackDefault> {
    if given {
        return None;
    }
    let args = inv.args;
    let d = |what, default, vars, hint| {
        Some(LoopbackDefault {
            what,
            default,
            vars,
            hint,
        })
    };
    match inv.program.as_str() {
        "manage.py" | "django-admin" | "django" if has(args, "runserver") => d(
            "`runserver`",
            "127.0.0.1:8000",
            &[],
            "add the address `0.0.0.0:8000` after `runserver`",
        ),
        "flask" if has(args, "run") => d(
            "`flask run`",
            "127.0.0.1:5000",
            &["FLASK_RUN_HOST"],
            "add `--host 0.0.0.0`",
        ),
        "uvicorn" if !has(args, "--uds") && !has(args, "--fd") => d(
            "`uvicorn`",
            "127.0.0.1:8000",
            &["UVICORN_HOST"],
            "add `--host 0.0.0.0`",
        ),
        "gunicorn"
            if !has(args, "--config")
                && !args.iter().filter_map(value).any(|v| v.starts_with("-c")) =>
        {
            d(
                "`gunicorn`",
                "127.0.0.1:8000",
                &["GUNICORN_CMD_ARGS", "PORT"],
                "add `--bind 0.0.0.0:8000`",
            )
        }
        "hypercorn"
            if !has(args, "--config")
                && !args.iter().filter_map(value).any(|v| v.starts_with("-c")) =>
        {
            d(
                "`hypercorn`",
                "127.0.0.1:8000",
                &[],
                "add `--bind 0.0.0.0:8000`",
            )
        }
        _ => None,
    }
}

/// A server whose default address is the loopback.
pub struct LoopbackDefault {
    pub what: &'static str,
    pub default: &'static str,
    /// Environment variables that change the default.
    pub vars: &'static [&'static str],
    pub hint: &'static str,
}
