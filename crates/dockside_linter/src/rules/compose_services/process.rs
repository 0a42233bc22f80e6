//! A service's `command` and `entrypoint` as the process the container runs, for the
//! rules that reason about PID 1 (`shell-wrapped-command` here, and the `process` rules'
//! Compose checks).
//!
//! Compose passes `command`/`entrypoint` to the container as an argv: a list as it is,
//! a string split into words like a shell would split them (quotes and backslashes),
//! with no shell involved. The image side comes from the Dockerfile the service builds
//! (its target stage, with the service's build args), so entrypoint scripts of the build
//! context can be followed; for a service that only names an image, nothing is known of
//! the image beyond its name.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use dockside_compose::Service;
use dockside_compose::yaml::{Node, ScalarStyle, Value};
use dockside_config::Config;
use dockside_context::BuildContext;
use dockside_semantic::{ImageRef, Model, Stage, parse_image_ref};
use dockside_shell::{CompactString, SimpleCommand, Word};
use dockside_syntax::{Body, CommandForm, Dockerfile, LineIndex, TextRange};

use crate::checker::Checker;
use crate::compose::ComposeChecker;
use crate::diagnostic::{FileId, SourceFile};
use crate::rules::process::main_process::{
    Cmd, Env, Resolution, Surroundings, make_command, resolve_from,
};

/// A `command:` or `entrypoint:` value as the words the container gets.
#[derive(Clone, Debug)]
pub(crate) struct CommandWords<'a> {
    /// The key (`command`), for findings about the whole entry.
    pub key: &'a Node,
    pub node: &'a Node,
    /// Ranges in the file `node` was written in; a word whose text cannot be mapped
    /// exactly (escapes, interpolation, folded lines) gets the whole value's range.
    pub words: Vec<Word>,
    /// Written as a YAML sequence (`["sh", "-c", "…"]`) rather than a string.
    pub list_form: bool,
}

/// The `command:` (or another key holding a command) of a service, as words.
pub(crate) fn command_words<'a>(
    cx: &ComposeChecker<'a>,
    service: &Service<'a>,
    key: &str,
) -> Option<CommandWords<'a>> {
    let (key_node, node) = service
        .node
        .as_mapping()?
        .iter()
        .find(|(k, _)| k.scalar_text() == Some(key))
        .map(|(k, v)| (k, v))?;
    match &node.value {
        Value::Sequence(items) => {
            let mut words = Vec::new();
            for item in items {
                let value = CompactString::from(item.scalar_text()?);
                words.push(Word {
                    range: item.range.as_range(),
                    raw: cx.project.written(item).into(),
                    lossy: value.clone(),
                    value: Some(value),
                    has_glob: false,
                });
            }
            Some(CommandWords {
                key: key_node,
                node,
                words,
                list_form: true,
            })
        }
        Value::String(text) => {
            let split = split_words(text)?;
            let written = cx.project.written(node);
            let base = exact_base(written, node, text);
            let words = split
                .into_iter()
                .map(|(value, range)| {
                    let (range, raw) = match base {
                        Some(base) => (
                            range.start + base..range.end + base,
                            CompactString::from(&text[range.clone()]),
                        ),
                        None => (node.range.as_range(), written.into()),
                    };
                    Word {
                        range,
                        raw,
                        lossy: value.as_str().into(),
                        value: Some(value.into()),
                        has_glob: false,
                    }
                })
                .collect();
            Some(CommandWords {
                key: key_node,
                node,
                words,
                list_form: false,
            })
        }
        _ => None,
    }
}

/// Where the value's text starts in the file, when the file holds it unchanged.
fn exact_base(written: &str, node: &Node, value: &str) -> Option<usize> {
    let start = node.range.start as usize;
    match node.style? {
        ScalarStyle::Plain => (written == value).then_some(start),
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            let inner = written.get(1..written.len().checked_sub(1)?)?;
            (inner == value).then_some(start + 1)
        }
        ScalarStyle::Literal | ScalarStyle::Folded => None,
    }
}

/// Splits a command string into words the way Compose does: blanks separate words,
/// `'…'` is literal, `"…"` allows `\"`, `\\`, `\$` and `` \` ``, a backslash outside quotes
/// escapes the next character. `None` for an unterminated quote (Compose rejects it).
pub(crate) fn split_words(text: &str) -> Option<Vec<(String, Range<usize>)>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut current: Option<(String, usize)> = None;
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            if let Some((word, start)) = current.take() {
                out.push((word, start..i));
            }
            continue;
        }
        let (word, _) = current.get_or_insert_with(|| (String::new(), i));
        match c {
            '\'' => loop {
                let (_, q) = chars.next()?;
                if q == '\'' {
                    break;
                }
                word.push(q);
            },
            '"' => loop {
                let (_, q) = chars.next()?;
                match q {
                    '"' => break,
                    '\\' => {
                        let (_, next) = chars.next()?;
                        if !matches!(next, '"' | '\\' | '$' | '`') {
                            word.push('\\');
                        }
                        word.push(next);
                    }
                    _ => word.push(q),
                }
            },
            '\\' => {
                if let Some((_, next)) = chars.next() {
                    word.push(next);
                }
            }
            _ => word.push(c),
        }
    }
    if let Some((word, start)) = current.take() {
        out.push((word, start..text.len()));
    }
    Some(out)
}

/// The image a service runs, as far as the Compose file and the Dockerfile tell.
pub(crate) struct Image<'c, 'a> {
    /// A checker over the service's Dockerfile (or over an empty `FROM scratch` stand-in
    /// when the service does not build one): the resolver follows scripts through it.
    pub checker: &'c Checker<'a>,
    pub stage: &'a Stage,
    /// The service builds this Dockerfile (false: the stand-in).
    pub built: bool,
    /// `image:` of a service that does not build.
    pub image: Option<ImageRef>,
}

impl Image<'_, '_> {
    /// The instruction whose working directory resolves relative paths.
    pub fn at(&self) -> usize {
        self.stage.end.saturating_sub(1)
    }

    pub fn surroundings(&self) -> Box<dyn Surroundings + '_> {
        if self.built {
            Box::new(Env {
                cx: self.checker,
                stage: self.stage,
            })
        } else {
            Box::new(UnknownImage {
                image: self.image.as_ref(),
            })
        }
    }

    /// The Dockerfile's exec-form ENTRYPOINT words of the stage, if any.
    pub fn entrypoint_words(&self) -> Option<Vec<Word>> {
        let e = self.stage.entrypoint.filter(|_| self.built)?;
        match &self.checker.dockerfile.instructions.get(e)?.body {
            Body::Command(CommandForm::Exec(x)) => Some(
                x.elements
                    .iter()
                    .map(|w| Word {
                        range: w.range.as_range(),
                        raw: self.checker.text(w.range).into(),
                        lossy: w.value.as_str().into(),
                        value: Some(w.value.as_str().into()),
                        has_glob: false,
                    })
                    .collect(),
            ),
            _ => None,
        }
    }
}

/// What an image we know only by name does: official images are known well enough for
/// nginx; everything else is assumed to be configured for containers.
struct UnknownImage<'i> {
    image: Option<&'i ImageRef>,
}

impl Surroundings for UnknownImage<'_> {
    fn nginx_daemon_off(&self, _conf: Option<&str>, _at: usize) -> bool {
        // The official image's nginx.conf keeps `daemon on` (its CMD adds `daemon off;`).
        !self.image.is_some_and(|i| {
            i.registry.is_none() && matches!(i.repository.as_str(), "nginx" | "library/nginx")
        })
    }

    fn supervisord_nodaemon(&self, _conf: Option<&str>, _at: usize) -> bool {
        true
    }

    fn php_fpm_daemonize(&self) -> bool {
        false
    }
}

/// Runs `f` with the service's image: its Dockerfile when it builds one that can be read,
/// a stand-in otherwise. `None` when the service builds a Dockerfile that cannot be read
/// (or a remote or inline one): nothing is known then, not even that the image has no
/// ENTRYPOINT.
pub(crate) fn with_image<R>(
    cx: &ComposeChecker,
    service: &Service,
    f: impl FnOnce(&Image) -> R,
) -> Option<R> {
    let (path, text, dockerfile, model, context) = match cx.build(service) {
        Some(build) => {
            if build.remote || build.inline.is_some() {
                return None;
            }
            let built = cx.dockerfile(&build.dockerfile)?;
            let args: Vec<(String, String)> = build
                .args
                .iter()
                .filter_map(|a| Some((a.name.clone(), a.value.clone()?)))
                .collect();
            let model = crate::build_model(&built.dockerfile, &args, cx.config);
            let mut context = BuildContext::new(build.context.clone(), Some(&build.dockerfile));
            if let Some(overlay) = &cx.options.overlay {
                context = context.with_overlay(overlay.clone());
            }
            let target = build.target.and_then(Node::scalar_text).map(str::to_string);
            let stage = match &target {
                Some(t) => model.stage_by_name(t).map(|s| s.index)?,
                None => model.final_stage()?.index,
            };
            let parts = (
                built.path.clone(),
                built.text.clone(),
                built.dockerfile.clone(),
                model,
                context,
            );
            return Some(run(cx, parts, Some(stage), None, f));
        }
        None => {
            let text: Arc<str> = Arc::from("FROM scratch\n");
            let dockerfile = dockside_syntax::parse(&text);
            let model = crate::build_model(&dockerfile, &[], cx.config);
            let context = BuildContext::new(cx.project.directory.clone(), None);
            (
                cx.project.directory.join("(image)"),
                text,
                dockerfile,
                model,
                context,
            )
        }
    };
    let image = service
        .get("image")
        .and_then(Node::as_str)
        .and_then(|i| parse_image_ref(i).ok());
    Some(run(
        cx,
        (path, text, dockerfile, model, context),
        None,
        image,
        f,
    ))
}

type Parts = (PathBuf, Arc<str>, Dockerfile, Model, BuildContext);

fn run<R>(
    cx: &ComposeChecker,
    (path, text, dockerfile, model, context): Parts,
    stage: Option<usize>,
    image: Option<ImageRef>,
    f: impl FnOnce(&Image) -> R,
) -> R {
    let line_index = LineIndex::new(&text);
    let config: &Config = cx.config;
    let main = SourceFile::new(path.clone(), text.clone());
    let checker = Checker::new(
        &path,
        &text,
        &line_index,
        &dockerfile,
        &model,
        &context,
        config,
        main,
    );
    let built = stage.is_some();
    let stage = &model.stages[stage.unwrap_or(0)];
    let image = Image {
        checker: &checker,
        stage,
        built,
        image,
    };
    f(&image)
}

/// The file `id` of the image checker, as a file of the Compose lint.
pub(crate) fn outer_file(cx: &ComposeChecker, image: &Image, id: FileId) -> FileId {
    let files = image.checker.files.borrow();
    match files.get(id.0 as usize) {
        Some(f) => cx.add_file(f.path.clone(), f.text.clone()),
        None => FileId::MAIN,
    }
}

/// The process a service starts with its `command`/`entrypoint` override, followed
/// through wrappers, `sh -c` strings and entrypoint scripts of the build context.
pub(crate) struct Started<'a> {
    /// The Compose entry that decides the process (`entrypoint` when set, else `command`).
    pub by: CommandWords<'a>,
    pub resolution: Resolution,
}

/// Follows the service's override, when it decides the main process: `entrypoint:`, or
/// `command:` when the image's ENTRYPOINT passes its arguments on (none, `tini`, a script
/// ending in `exec "$@"`). `None` without an override or when the image's ENTRYPOINT
/// takes the command as plain arguments.
pub(crate) fn started<'a>(
    cx: &ComposeChecker<'a>,
    service: &Service<'a>,
    image: &Image,
) -> Option<Started<'a>> {
    let entrypoint = command_words(cx, service, "entrypoint");
    let command = command_words(cx, service, "command");
    let by = match entrypoint {
        Some(e) if !e.words.is_empty() => e,
        Some(_) => return None,
        None => {
            let command = command?;
            if image.stage.entrypoint.is_some() && !entrypoint_passes_on(image) {
                return None;
            }
            command
        }
    };
    let file = image.checker.add_file(
        cx.project.path_of(by.node).to_path_buf(),
        cx.project
            .files
            .get(by.node.file as usize)
            .map_or_else(|| Arc::from(""), |f| f.text.clone()),
    );
    let start = Cmd {
        file,
        command: make_command(by.words.clone()),
        instruction: image.at(),
    };
    let resolution = resolve_from(image.checker, image.stage, start);
    Some(Started { by, resolution })
}

/// The image's exec-form ENTRYPOINT ends by running its arguments.
fn entrypoint_passes_on(image: &Image) -> bool {
    let Some(mut words) = image.entrypoint_words() else {
        return false;
    };
    let sentinel = "\u{0}compose-command";
    words.push(Word {
        range: 0..0,
        raw: sentinel.into(),
        lossy: sentinel.into(),
        value: Some(sentinel.into()),
        has_glob: false,
    });
    let start = Cmd {
        file: FileId::MAIN,
        command: make_command(words),
        instruction: image.stage.entrypoint.unwrap_or(0),
    };
    let resolution = resolve_from(image.checker, image.stage, start);
    resolution.main.is_some_and(|m| {
        m.command
            .unwrapped()
            .argv
            .first()
            .and_then(|w| w.value.as_deref())
            == Some(sentinel)
    })
}

/// Where the static text `value` of `word` starts in its file, when the file holds it
/// unchanged (plain, or quoted without escapes).
pub(crate) fn word_base(word: &Word, value: &str) -> Option<usize> {
    let raw = word.raw.as_str();
    let quoted = raw.len() >= 2
        && [('"', '"'), ('\'', '\'')]
            .iter()
            .any(|&(a, b)| raw.starts_with(a) && raw.ends_with(b))
        && &raw[1..raw.len() - 1] == value;
    if quoted {
        Some(word.range.start + 1)
    } else if raw == value {
        Some(word.range.start)
    } else {
        None
    }
}

/// A command's range over its words (the program and its arguments).
pub(crate) fn words_range(c: &SimpleCommand) -> TextRange {
    match c.unwrapped().argv {
        [first, .., last] => TextRange::new(first.range.start, last.range.end),
        [only] => TextRange::from(only.range.clone()),
        [] => TextRange::from(c.range.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::split_words;

    fn words(text: &str) -> Vec<String> {
        split_words(text)
            .unwrap()
            .into_iter()
            .map(|(w, _)| w)
            .collect()
    }

    #[test]
    fn splits_like_compose() {
        assert_eq!(
            words(r#"sh -c "python manage.py runserver 0:9000""#),
            ["sh", "-c", "python manage.py runserver 0:9000"]
        );
        assert_eq!(words("a 'b c' d\\ e"), ["a", "b c", "d e"]);
        assert_eq!(words(r#"echo "a \"q\" \n""#), ["echo", "a \"q\" \\n"]);
        assert_eq!(words("  x\ty  "), ["x", "y"]);
        assert!(split_words("sh -c 'open").is_none());
    }

    #[test]
    fn ranges_cover_the_written_word() {
        let text = r#"sh -c "a b""#;
        let split = split_words(text).unwrap();
        assert_eq!(&text[split[2].1.clone()], "\"a b\"");
    }
}
