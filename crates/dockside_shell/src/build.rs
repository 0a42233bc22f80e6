//! Lowering of the tree-sitter-bash syntax tree into the command model.

use std::cell::RefCell;
use std::ops::Range;

use std::sync::OnceLock;

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use tree_sitter::{Language, Node, ParseOptions, ParseState, Parser, Tree};

use crate::words::{WordAcc, literal_word, unquote_delimiter};
use crate::{
    Assignment, CompoundKind, Context, FunctionDef, HeredocRedirect, PipelinePos, Redirect, Script,
    ScriptModel, SimpleCommand, Statement, StatementKind, Word,
};

/// Maximum syntactic nesting that is modelled; deeper constructs are skipped
/// (they are still parsed, and errors in them are still reported).
const MAX_DEPTH: u32 = 120;

/// Parse time budget: a fixed part plus a part per KiB of input (normal
/// parsing needs well under 1 ms per KiB).
const PARSE_BUDGET_BASE: Duration = Duration::from_millis(200);
const PARSE_BUDGET_PER_KIB: Duration = Duration::from_millis(2);

/// Node kinds the model distinguishes (resolved once from kind ids, which is
/// much cheaper than comparing `Node::kind()` strings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum K {
    Command,
    DeclarationCommand,
    UnsetCommand,
    TestCommand,
    VariableAssignment,
    VariableAssignments,
    List,
    Pipeline,
    RedirectedStatement,
    NegatedCommand,
    Subshell,
    CompoundStatement,
    IfStatement,
    WhileStatement,
    ForStatement,
    CStyleForStatement,
    CaseStatement,
    FunctionDefinition,
    DoGroup,
    ElseClause,
    ElifClause,
    CaseItem,
    Program,
    Comment,
    FileRedirect,
    HerestringRedirect,
    HeredocRedirect,
    HeredocStart,
    HeredocBody,
    HeredocEnd,
    FileDescriptor,
    Regex,
    TestOperator,
    RawString,
    AnsiCString,
    String,
    StringContent,
    TranslatedString,
    Expansion,
    Substitution,
    Expression,
    Error,
    OtherNamed,
    Amp,
    Then,
    If,
    Elif,
    Until,
    DoubleParen,
    HeredocOp,
    OtherAnon,
}

impl K {
    fn of_name(name: &str, named: bool) -> K {
        if !named {
            return match name {
                "&" => K::Amp,
                "then" => K::Then,
                "if" => K::If,
                "elif" => K::Elif,
                "until" => K::Until,
                "((" => K::DoubleParen,
                "<<" | "<<-" => K::HeredocOp,
                _ => K::OtherAnon,
            };
        }
        match name {
            "command" => K::Command,
            "declaration_command" => K::DeclarationCommand,
            "unset_command" => K::UnsetCommand,
            "test_command" => K::TestCommand,
            "variable_assignment" => K::VariableAssignment,
            "variable_assignments" => K::VariableAssignments,
            "list" => K::List,
            "pipeline" => K::Pipeline,
            "redirected_statement" => K::RedirectedStatement,
            "negated_command" => K::NegatedCommand,
            "subshell" => K::Subshell,
            "compound_statement" => K::CompoundStatement,
            "if_statement" => K::IfStatement,
            "while_statement" => K::WhileStatement,
            "for_statement" => K::ForStatement,
            "c_style_for_statement" => K::CStyleForStatement,
            "case_statement" => K::CaseStatement,
            "function_definition" => K::FunctionDefinition,
            "do_group" => K::DoGroup,
            "else_clause" => K::ElseClause,
            "elif_clause" => K::ElifClause,
            "case_item" => K::CaseItem,
            "program" => K::Program,
            "comment" => K::Comment,
            "file_redirect" => K::FileRedirect,
            "herestring_redirect" => K::HerestringRedirect,
            "heredoc_redirect" => K::HeredocRedirect,
            "heredoc_start" => K::HeredocStart,
            "heredoc_body" => K::HeredocBody,
            "heredoc_end" => K::HeredocEnd,
            "file_descriptor" => K::FileDescriptor,
            "regex" => K::Regex,
            "test_operator" => K::TestOperator,
            "raw_string" => K::RawString,
            "ansi_c_string" => K::AnsiCString,
            "string" => K::String,
            "string_content" => K::StringContent,
            "translated_string" => K::TranslatedString,
            "simple_expansion"
            | "expansion"
            | "arithmetic_expansion"
            | "brace_expression"
            | "array" => K::Expansion,
            "command_substitution" | "process_substitution" => K::Substitution,
            "unary_expression"
            | "binary_expression"
            | "parenthesized_expression"
            | "ternary_expression"
            | "postfix_expression" => K::Expression,
            "ERROR" => K::Error,
            _ => K::OtherNamed,
        }
    }

    fn is_command(self) -> bool {
        matches!(
            self,
            K::Command
                | K::DeclarationCommand
                | K::UnsetCommand
                | K::TestCommand
                | K::VariableAssignment
                | K::VariableAssignments
        )
    }

    fn is_statement(self) -> bool {
        self.is_command()
            || matches!(
                self,
                K::List
                    | K::Pipeline
                    | K::RedirectedStatement
                    | K::NegatedCommand
                    | K::Subshell
                    | K::CompoundStatement
                    | K::IfStatement
                    | K::WhileStatement
                    | K::ForStatement
                    | K::CStyleForStatement
                    | K::CaseStatement
                    | K::FunctionDefinition
                    | K::Error
                    | K::DoGroup
                    | K::ElseClause
                    | K::ElifClause
                    | K::CaseItem
            )
    }
}

/// Kind table and field ids of the bash grammar.
struct Grammar {
    kinds: Vec<K>,
    body: u16,
    name: u16,
    value: u16,
    argument: u16,
    redirect: u16,
    descriptor: u16,
    destination: u16,
    condition: u16,
    right: u16,
}

fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        let language: Language = tree_sitter_bash::LANGUAGE.into();
        let kinds = (0..language.node_kind_count())
            .map(|id| {
                let id = u16::try_from(id).unwrap_or(u16::MAX);
                language.node_kind_for_id(id).map_or(K::OtherNamed, |name| {
                    K::of_name(name, language.node_kind_is_named(id))
                })
            })
            .collect();
        let field = |name: &str| language.field_id_for_name(name).map_or(0, |f| f.get());
        Grammar {
            kinds,
            body: field("body"),
            name: field("name"),
            value: field("value"),
            argument: field("argument"),
            redirect: field("redirect"),
            descriptor: field("descriptor"),
            destination: field("destination"),
            condition: field("condition"),
            right: field("right"),
        }
    })
}

fn kind(node: Node) -> K {
    if node.is_error() {
        return K::Error;
    }
    let fallback = if node.is_named() {
        K::OtherNamed
    } else {
        K::OtherAnon
    };
    grammar()
        .kinds
        .get(usize::from(node.kind_id()))
        .copied()
        .unwrap_or(fallback)
}

fn field(node: Node, id: u16) -> Option<Node> {
    if id == 0 {
        return None;
    }
    node.child_by_field_id(id)
}

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

fn new_parser() -> Option<Parser> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_bash::LANGUAGE.into())
        .ok()?;
    Some(parser)
}

/// Parses with the thread's cached parser.
fn parse_tree(source: &str) -> Option<Tree> {
    PARSER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut slot) => {
            if slot.is_none() {
                *slot = new_parser();
            }
            let parser = slot.as_mut()?;
            let tree = parse_with_budget(parser, source);
            if tree.is_none() {
                parser.reset();
            }
            tree
        }
        Err(_) => parse_with_budget(&mut new_parser()?, source),
    })
}

/// Parses, giving up (returning `None`) when error recovery on pathological
/// input takes far longer than a normal parse of that size would.
fn parse_with_budget(parser: &mut Parser, source: &str) -> Option<Tree> {
    let bytes = source.as_bytes();
    let budget = PARSE_BUDGET_BASE + PARSE_BUDGET_PER_KIB * (bytes.len() / 1024 + 1) as u32;
    let start = Instant::now();
    let mut progress = |_: &ParseState| {
        if start.elapsed() > budget {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let options = ParseOptions::new().progress_callback(&mut progress);
    parser.parse_with_options(
        &mut |i, _| bytes.get(i..).unwrap_or_default(),
        None,
        Some(options),
    )
}

pub(crate) fn parse_uncached(source: &str) -> Script {
    let Some(tree) = parse_tree(source) else {
        let errors = if source.is_empty() {
            Vec::new()
        } else {
            std::iter::once(0..source.len()).collect()
        };
        return Script::new(ScriptModel {
            errors,
            ..ScriptModel::default()
        });
    };
    let root = tree.root_node();
    let mut builder = Builder::new(source);
    builder.collect_errors(root);
    let env = Env {
        context: Context::TopLevel,
        guarded: false,
        background: false,
        pipeline: None,
        negated: false,
        statement: None,
        depth: 0,
    };
    builder.top_level(root, env);
    builder.finish()
}

/// Attributes inherited by the commands inside a construct.
#[derive(Clone, Copy)]
struct Env {
    context: Context,
    guarded: bool,
    background: bool,
    pipeline: Option<PipelinePos>,
    negated: bool,
    statement: Option<usize>,
    depth: u32,
}

impl Env {
    fn deeper(self) -> Option<Env> {
        (self.depth < MAX_DEPTH).then_some(Env {
            depth: self.depth + 1,
            ..self
        })
    }

    fn within(self, context: Context) -> Env {
        Env {
            context,
            negated: false,
            ..self
        }
    }

    fn substitution(self) -> Env {
        Env {
            context: Context::Substitution,
            pipeline: None,
            negated: false,
            ..self
        }
    }

    fn background_if(self, background: bool) -> Env {
        Env {
            background: self.background || background,
            ..self
        }
    }
}

/// One pipeline stage after normalisation: a node plus redirections that
/// tree-sitter attached to an enclosing `redirected_statement`.
struct Stage<'t> {
    node: Option<Node<'t>>,
    redirects: Vec<Node<'t>>,
}

impl<'t> Stage<'t> {
    fn of(node: Node<'t>) -> Self {
        Stage {
            node: Some(node),
            redirects: Vec::new(),
        }
    }
}

/// A normalised and-or list: items separated by `&&`/`||`, each a pipeline.
#[derive(Default)]
struct Flat<'t> {
    items: Vec<Vec<Stage<'t>>>,
    background: bool,
}

impl<'t> Flat<'t> {
    /// Appends `sub`; with `pipe` its first item continues the last pipeline.
    fn merge(&mut self, sub: Flat<'t>, pipe: bool) {
        self.background |= sub.background;
        let mut items = sub.items.into_iter();
        if pipe
            && let Some(last) = self.items.last_mut()
            && let Some(first) = items.next()
        {
            last.extend(first);
        }
        self.items.extend(items);
    }
}

fn children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.children(&mut cursor).collect()
}

/// Named children that are not comments.
fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| kind(*c) != K::Comment)
        .collect()
}

/// Children paired with their field ids (0 for none).
fn fielded_children<'t>(node: Node<'t>) -> Vec<(u16, Node<'t>)> {
    let mut out = Vec::new();
    let mut cursor = node.walk();
    if cursor.goto_first_child() {
        loop {
            out.push((cursor.field_id().map_or(0, |f| f.get()), cursor.node()));
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }
    out
}

/// Whether the statement at `children[i]` is terminated by `&`.
fn terminated_by_amp(children: &[Node], i: usize) -> bool {
    children
        .get(i + 1..)
        .unwrap_or(&[])
        .iter()
        .find(|c| kind(**c) != K::Comment)
        .is_some_and(|c| kind(*c) == K::Amp)
}

fn is_arithmetic_group(node: Node) -> bool {
    node.child(0).is_some_and(|c| kind(c) == K::DoubleParen)
}

fn union(a: &mut Option<Range<usize>>, b: &Range<usize>) {
    *a = Some(match a.take() {
        Some(r) => r.start.min(b.start)..r.end.max(b.end),
        None => b.clone(),
    });
}

struct Builder<'s> {
    src: &'s str,
    commands: Vec<SimpleCommand>,
    statements: Vec<Statement>,
    heredocs: Vec<HeredocRedirect>,
    errors: Vec<Range<usize>>,
    functions: Vec<FunctionDef>,
    next_pipeline: usize,
}

impl<'s> Builder<'s> {
    fn new(src: &'s str) -> Self {
        Builder {
            src,
            commands: Vec::new(),
            statements: Vec::new(),
            heredocs: Vec::new(),
            errors: Vec::new(),
            functions: Vec::new(),
            next_pipeline: 0,
        }
    }

    fn slice(&self, range: Range<usize>) -> &'s str {
        self.src.get(range).unwrap_or("")
    }

    fn text(&self, node: Node) -> &'s str {
        self.slice(node.byte_range())
    }

    /// An ERROR node that only holds the `&` terminator tree-sitter-bash
    /// fails to attach after a heredoc (`cat <<EOF > f &`).
    fn is_heredoc_amp(&self, node: Node) -> bool {
        node.is_error()
            && self.text(node).trim() == "&"
            && node.parent().is_some_and(|p| kind(p) == K::HeredocRedirect)
    }

    fn collect_errors(&mut self, root: Node) {
        if !root.has_error() {
            return;
        }
        let mut cursor = root.walk();
        loop {
            let node = cursor.node();
            let mut descend = node.has_error();
            if node.is_error() {
                if !self.is_heredoc_amp(node) {
                    self.errors.push(node.byte_range());
                }
                descend = false;
            } else if node.is_missing() {
                self.errors.push(node.byte_range());
                descend = false;
            }
            if descend && cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
            }
        }
    }

    fn finish(mut self) -> Script {
        if !self
            .commands
            .is_sorted_by_key(|c| (c.range.start, std::cmp::Reverse(c.range.end)))
        {
            let mut order: Vec<usize> = (0..self.commands.len()).collect();
            order.sort_by_key(|&i| {
                let r = &self.commands[i].range;
                (r.start, std::cmp::Reverse(r.end))
            });
            let mut new_index = vec![0; order.len()];
            for (new, &old) in order.iter().enumerate() {
                new_index[old] = new;
            }
            let mut slots: Vec<Option<SimpleCommand>> = self.commands.drain(..).map(Some).collect();
            self.commands = order.iter().filter_map(|&old| slots[old].take()).collect();
            for statement in &mut self.statements {
                for i in &mut statement.commands {
                    *i = new_index[*i];
                }
                statement.commands.sort_unstable();
                if let Some(last) = &mut statement.last_command {
                    *last = new_index[*last];
                }
            }
            for heredoc in &mut self.heredocs {
                if let Some(c) = &mut heredoc.command {
                    *c = new_index[*c];
                }
            }
        }
        Script::new(ScriptModel {
            commands: self.commands,
            statements: self.statements,
            errors: self.errors,
            heredocs: self.heredocs,
            functions: self.functions,
        })
    }

    // ----- statements -------------------------------------------------------

    fn top_level(&mut self, node: Node, env: Env) {
        let kids = children(node);
        for (i, child) in kids.iter().enumerate() {
            let k = kind(*child);
            if !child.is_named() || k == K::Comment {
                continue;
            }
            if k == K::Error {
                if let Some(env) = env.deeper() {
                    self.top_level(*child, env);
                }
                continue;
            }
            if !k.is_statement() {
                self.scan(*child, env);
                continue;
            }
            self.top_statement(*child, terminated_by_amp(&kids, i), env);
        }
    }

    fn top_statement(&mut self, node: Node, background: bool, env: Env) {
        let flat = matches!(kind(node), K::List | K::Pipeline | K::RedirectedStatement)
            .then(|| self.flatten(node));
        let statement_kind = match &flat {
            Some(flat) => self.classify_flat(flat, node),
            None => self.classify(node),
        };
        let background = background || flat.as_ref().is_some_and(|f| f.background);
        let index = self.statements.len();
        self.statements.push(Statement {
            range: node.byte_range(),
            background,
            commands: Vec::new(),
            kind: statement_kind,
            last_command: None,
        });
        let env = Env {
            statement: Some(index),
            ..env.background_if(background)
        };
        let start = self.commands.len();
        let last = match flat {
            Some(flat) => self.visit_flat(flat, env),
            None => self.visit(node, env),
        };
        let end = self.commands.len();
        if let Some(statement) = self.statements.get_mut(index) {
            statement.commands = (start..end).collect();
            statement.last_command = last;
        }
    }

    fn classify_flat(&self, flat: &Flat, node: Node) -> StatementKind {
        match flat.items.as_slice() {
            [] => StatementKind::Simple,
            [single] => match single.as_slice() {
                [stage] => match stage.node {
                    Some(n) if n != node => self.classify(n),
                    _ => StatementKind::Simple,
                },
                _ => StatementKind::Pipeline,
            },
            _ => StatementKind::AndOr,
        }
    }

    fn classify(&self, node: Node) -> StatementKind {
        let k = kind(node);
        if k.is_command() {
            return StatementKind::Simple;
        }
        let compound = match k {
            K::List | K::Pipeline | K::RedirectedStatement => {
                let flat = self.flatten(node);
                return self.classify_flat(&flat, node);
            }
            K::NegatedCommand => {
                return named_children(node)
                    .first()
                    .map_or(StatementKind::Simple, |n| self.classify(*n));
            }
            K::FunctionDefinition => return StatementKind::FunctionDef,
            K::Subshell => CompoundKind::Subshell,
            K::CompoundStatement if is_arithmetic_group(node) => CompoundKind::Arithmetic,
            K::CompoundStatement => CompoundKind::Group,
            K::IfStatement => CompoundKind::If,
            K::CaseStatement => CompoundKind::Case,
            K::WhileStatement if node.child(0).is_some_and(|c| kind(c) == K::Until) => {
                CompoundKind::Until
            }
            K::WhileStatement => CompoundKind::While,
            K::ForStatement | K::CStyleForStatement => CompoundKind::For,
            _ => CompoundKind::Other,
        };
        StatementKind::Compound(compound)
    }

    /// Visits a statement; returns the index of its final command.
    fn visit(&mut self, node: Node, env: Env) -> Option<usize> {
        let env = env.deeper()?;
        let k = kind(node);
        if k.is_command() {
            return self.emit(Some(node), &[], env);
        }
        match k {
            K::List | K::Pipeline | K::RedirectedStatement => {
                let flat = self.flatten(node);
                let env = env.background_if(flat.background);
                self.visit_flat(flat, env)
            }
            K::NegatedCommand => {
                let inner = *named_children(node).first()?;
                self.visit(
                    inner,
                    Env {
                        negated: true,
                        guarded: true,
                        ..env
                    },
                )
            }
            K::Subshell => self.body(node, env.within(Context::Subshell)),
            K::CompoundStatement if is_arithmetic_group(node) => {
                self.scan_children(node, env.within(Context::Other));
                None
            }
            K::CompoundStatement => self.body(node, env.within(Context::Group)),
            K::IfStatement => self.visit_if(node, env.within(Context::Conditional)),
            K::CaseStatement => {
                let env = env.within(Context::Conditional);
                let mut last = None;
                for child in named_children(node) {
                    if kind(child) == K::CaseItem {
                        last = self.body(child, env);
                    } else {
                        self.scan(child, env);
                    }
                }
                last
            }
            K::WhileStatement | K::ForStatement | K::CStyleForStatement => {
                let g = grammar();
                let env = env.within(Context::Loop);
                let mut last = None;
                for (field, child) in fielded_children(node) {
                    let ck = kind(child);
                    if !child.is_named() || ck == K::Comment {
                        continue;
                    }
                    if field == g.body && field != 0 {
                        last = self.body(child, env);
                    } else if field == g.condition && field != 0 && ck.is_statement() {
                        self.visit(
                            child,
                            Env {
                                guarded: true,
                                ..env
                            },
                        );
                    } else {
                        self.scan(child, env);
                    }
                }
                last
            }
            K::FunctionDefinition => {
                let g = grammar();
                let keyword = children(node)
                    .first()
                    .filter(|c| !c.is_named() && c.kind() == "function")
                    .map(|c| c.byte_range());
                let name = field(node, g.name).map_or("", |n| self.text(n));
                self.functions.push(FunctionDef {
                    range: node.byte_range(),
                    name: name.to_string(),
                    keyword,
                });
                let env = env.within(Context::Function);
                for (field, child) in fielded_children(node) {
                    if field == 0 {
                        continue;
                    }
                    if field == g.body {
                        if matches!(kind(child), K::CompoundStatement | K::Subshell)
                            && !is_arithmetic_group(child)
                        {
                            self.body(child, env);
                        } else {
                            self.visit(child, env);
                        }
                    } else if field == g.redirect {
                        self.orphan_redirect(child, env);
                    }
                }
                None
            }
            K::Comment => None,
            K::Error | K::DoGroup | K::ElseClause | K::ElifClause | K::CaseItem | K::Program => {
                self.body(node, env)
            }
            _ => {
                self.scan(node, env);
                None
            }
        }
    }

    /// Visits a list of statements (children of `node`), honouring `&`.
    fn body(&mut self, node: Node, env: Env) -> Option<usize> {
        let kids = children(node);
        let mut last = None;
        for (i, child) in kids.iter().enumerate() {
            let k = kind(*child);
            if !child.is_named() || k == K::Comment {
                continue;
            }
            if !k.is_statement() {
                self.scan(*child, env);
                continue;
            }
            let env = env.background_if(terminated_by_amp(&kids, i));
            last = self.visit(*child, env);
        }
        last
    }

    fn visit_if(&mut self, node: Node, env: Env) -> Option<usize> {
        let kids = children(node);
        let mut in_condition = true;
        let mut last = None;
        for (i, child) in kids.iter().enumerate() {
            let k = kind(*child);
            if !child.is_named() {
                match k {
                    K::Then => in_condition = false,
                    K::If | K::Elif => in_condition = true,
                    _ => {}
                }
                continue;
            }
            match k {
                K::Comment => {}
                K::ElifClause => last = self.visit_if(*child, env),
                K::ElseClause => last = self.body(*child, env),
                _ if !k.is_statement() => self.scan(*child, env),
                _ if in_condition => {
                    self.visit(
                        *child,
                        Env {
                            guarded: true,
                            ..env
                        },
                    );
                }
                _ => {
                    let env = env.background_if(terminated_by_amp(&kids, i));
                    last = self.visit(*child, env);
                }
            }
        }
        last
    }

    fn visit_flat(&mut self, flat: Flat, env: Env) -> Option<usize> {
        let count = flat.items.len();
        let mut last = None;
        for (k, item) in flat.items.into_iter().enumerate() {
            let guarded = env.guarded || k + 1 < count;
            let len = item.len();
            let id = (len >= 2).then(|| {
                self.next_pipeline += 1;
                self.next_pipeline - 1
            });
            for (index, stage) in item.into_iter().enumerate() {
                let pipeline = id.map(|id| PipelinePos { id, index, len });
                let env = Env {
                    guarded,
                    pipeline: pipeline.or(env.pipeline),
                    ..env
                };
                last = self.stage(stage, env);
            }
        }
        last
    }

    fn stage(&mut self, stage: Stage, env: Env) -> Option<usize> {
        let Some(node) = stage.node else {
            return self.emit(None, &stage.redirects, env);
        };
        if stage.redirects.is_empty() {
            return self.visit(node, env);
        }
        let k = kind(node);
        if k.is_command() {
            return self.emit(Some(node), &stage.redirects, env.deeper()?);
        }
        if k == K::NegatedCommand
            && let Some(inner) = named_children(node).first()
            && kind(*inner).is_command()
        {
            let env = Env {
                negated: true,
                guarded: true,
                ..env.deeper()?
            };
            return self.emit(Some(*inner), &stage.redirects, env);
        }
        let last = self.visit(node, env);
        for redirect in stage.redirects {
            self.orphan_redirect(redirect, env);
        }
        last
    }

    // ----- normalisation of lists / pipelines / redirections ---------------

    fn flatten<'t>(&self, node: Node<'t>) -> Flat<'t> {
        let mut flat = Flat::default();
        self.flatten_into(node, &mut flat, 0);
        flat.items.retain(|item| !item.is_empty());
        if flat.items.is_empty() {
            flat.items.push(vec![Stage::of(node)]);
        }
        flat
    }

    /// Appends the and-or items of `node` to `flat`, starting a new item.
    fn flatten_into<'t>(&self, node: Node<'t>, flat: &mut Flat<'t>, depth: u32) {
        if depth > MAX_DEPTH {
            flat.items.push(vec![Stage::of(node)]);
            return;
        }
        match kind(node) {
            K::List => {
                // Lists are left-recursive; walk the spine iteratively.
                let mut rights = Vec::new();
                let mut current = Some(node);
                while let Some(list) = current.filter(|n| kind(*n) == K::List) {
                    let named = named_children(list);
                    current = named.first().copied();
                    rights.push(named.get(1..).unwrap_or(&[]).to_vec());
                }
                if let Some(first) = current {
                    self.flatten_into(first, flat, depth + 1);
                }
                for group in rights.iter().rev() {
                    for right in group {
                        self.flatten_into(*right, flat, depth + 1);
                    }
                }
            }
            K::Pipeline => {
                let mut sub = Flat::default();
                self.pipeline_into(&named_children(node), &mut sub, depth + 1);
                flat.merge(sub, false);
            }
            K::RedirectedStatement => self.redirected_into(node, flat, depth + 1),
            _ => flat.items.push(vec![Stage::of(node)]),
        }
    }

    fn pipeline_into<'t>(&self, stages: &[Node<'t>], flat: &mut Flat<'t>, depth: u32) {
        for (i, stage) in stages.iter().enumerate() {
            let mut sub = Flat::default();
            self.flatten_into(*stage, &mut sub, depth + 1);
            flat.merge(sub, i > 0);
        }
    }

    fn redirected_into<'t>(&self, node: Node<'t>, flat: &mut Flat<'t>, depth: u32) {
        let g = grammar();
        let body = field(node, g.body);
        let before = flat.items.len();
        match body {
            Some(body) => self.flatten_into(body, flat, depth + 1),
            None => flat.items.push(vec![Stage {
                node: None,
                redirects: Vec::new(),
            }]),
        }
        if flat.items.len() == before || flat.items.last().is_some_and(Vec::is_empty) {
            flat.items.push(vec![Stage {
                node: None,
                redirects: Vec::new(),
            }]);
        }
        let target_item = flat.items.len() - 1;
        let target_stage = flat.items[target_item].len() - 1;
        for redirect in named_children(node) {
            if Some(redirect) == body {
                continue;
            }
            if let Some(stage) = flat
                .items
                .get_mut(target_item)
                .and_then(|item| item.get_mut(target_stage))
            {
                stage.redirects.push(redirect);
            }
            if kind(redirect) != K::HeredocRedirect {
                continue;
            }
            // tree-sitter-bash puts whatever follows `<<EOF` on the same line
            // (`| sh`, `&& foo`, `&`) inside the heredoc redirect.
            for (field_id, child) in fielded_children(redirect) {
                if field_id == g.right && field_id != 0 {
                    let mut sub = Flat::default();
                    self.flatten_into(child, &mut sub, depth + 1);
                    flat.merge(sub, false);
                } else if kind(child) == K::Pipeline {
                    let mut sub = Flat::default();
                    self.pipeline_into(&named_children(child), &mut sub, depth + 1);
                    flat.merge(sub, true);
                } else if self.is_heredoc_amp(child) {
                    flat.background = true;
                }
            }
        }
    }

    // ----- simple commands --------------------------------------------------

    /// Emits a simple command for `node` (a command-like node, or `None` for a
    /// redirection-only command) with extra `redirects`.
    fn emit(&mut self, node: Option<Node>, redirects: &[Node], env: Env) -> Option<usize> {
        let g = grammar();
        let index = self.commands.len();
        self.commands.push(SimpleCommand {
            range: 0..0,
            argv: Vec::new(),
            assignments: Vec::new(),
            redirects: Vec::new(),
            background: env.background,
            pipeline: env.pipeline,
            context: env.context,
            statement: env.statement,
            negated: env.negated,
            condition_guarded: env.guarded,
            unwrapped: crate::UnwrapCache::default(),
        });
        let mut argv = Vec::new();
        let mut assignments = Vec::new();
        let mut redirs = Vec::new();
        let mut continuations = Vec::new();
        if let Some(node) = node {
            match kind(node) {
                K::Command => {
                    // Arguments with nothing between them are one shell word, but
                    // tree-sitter-bash splits some (`x-$A-$B.tgz`, `"a"\.`): the
                    // pieces are gathered and read as one word.
                    let mut pieces: Vec<Node> = Vec::new();
                    for (field_id, child) in fielded_children(node) {
                        let ck = kind(child);
                        let is_word =
                            field_id != 0 && (field_id == g.name || field_id == g.argument);
                        if !(is_word
                            && pieces
                                .last()
                                .is_some_and(|last| last.end_byte() == child.start_byte()))
                        {
                            self.joined_word(&mut pieces, &mut argv, env);
                        }
                        if is_word {
                            pieces.push(child);
                        } else if field_id != 0 && field_id == g.redirect {
                            if ck == K::HeredocRedirect {
                                continuations.extend(heredoc_continuations(child));
                            }
                            self.redirect(child, Some(index), env, &mut redirs, &mut argv);
                        } else if ck == K::VariableAssignment {
                            assignments.push(self.assignment(child, env));
                        } else if !child.is_named() || ck == K::Comment {
                        } else if ck.is_statement() {
                            continuations.push(child);
                        } else {
                            self.scan(child, env);
                        }
                    }
                    self.joined_word(&mut pieces, &mut argv, env);
                }
                K::DeclarationCommand | K::UnsetCommand => {
                    for child in children(node) {
                        if kind(child) == K::Comment {
                            continue;
                        }
                        if child.is_named() {
                            argv.push(self.word(child, env));
                        } else if !child.is_missing() {
                            argv.push(literal_word(child.byte_range(), self.text(child)));
                        }
                    }
                }
                K::TestCommand => self.test_words(node, &mut argv, env),
                K::VariableAssignment => assignments.push(self.assignment(node, env)),
                K::VariableAssignments => {
                    for child in named_children(node) {
                        if kind(child) == K::VariableAssignment {
                            assignments.push(self.assignment(child, env));
                        } else {
                            self.scan(child, env);
                        }
                    }
                }
                _ => argv.push(self.word(node, env)),
            }
        }
        for redirect in redirects {
            self.redirect(*redirect, Some(index), env, &mut redirs, &mut argv);
        }
        let mut range = node.map(|n| n.byte_range());
        for r in redirs.iter().map(|r| &r.range) {
            union(&mut range, r);
        }
        for r in argv.iter().map(|w| &w.range) {
            union(&mut range, r);
        }
        if let Some(command) = self.commands.get_mut(index) {
            command.range = range.unwrap_or(0..0);
            command.argv = argv;
            command.assignments = assignments;
            command.redirects = redirs;
            command.unwrapped = crate::UnwrapCache::of(&command.argv);
        }
        for continuation in continuations {
            self.visit(continuation, env);
        }
        Some(index)
    }

    fn assignment(&mut self, node: Node, env: Env) -> Assignment {
        let g = grammar();
        let name = field(node, g.name)
            .map(|n| self.text(n).to_string())
            .unwrap_or_default();
        let value = match field(node, g.value) {
            Some(value) => self.word(value, env),
            None => literal_word(node.end_byte()..node.end_byte(), ""),
        };
        Assignment {
            name,
            value,
            range: node.byte_range(),
        }
    }

    /// Flattens a `[ … ]` / `[[ … ]]` command into words.
    fn test_words(&mut self, node: Node, argv: &mut Vec<Word>, env: Env) {
        let Some(env) = env.deeper() else {
            return;
        };
        for child in children(node) {
            if !child.is_named() {
                if !child.is_missing() && !child.byte_range().is_empty() {
                    argv.push(literal_word(child.byte_range(), self.text(child)));
                }
                continue;
            }
            match kind(child) {
                K::Comment => {}
                K::Expression => self.test_words(child, argv, env),
                K::TestOperator => argv.push(literal_word(child.byte_range(), self.text(child))),
                _ => argv.push(self.word(child, env)),
            }
        }
    }

    // ----- redirections -----------------------------------------------------

    /// A redirection attached to a compound command or function definition:
    /// recorded heredocs and substitutions only.
    fn orphan_redirect(&mut self, node: Node, env: Env) {
        let (mut redirs, mut argv) = (Vec::new(), Vec::new());
        self.redirect(node, None, env, &mut redirs, &mut argv);
    }

    fn descriptor(&self, node: Node) -> Option<u32> {
        field(node, grammar().descriptor).and_then(|d| self.text(d).parse().ok())
    }

    fn redirect(
        &mut self,
        node: Node,
        command: Option<usize>,
        env: Env,
        redirs: &mut Vec<Redirect>,
        argv: &mut Vec<Word>,
    ) {
        let Some(env) = env.deeper() else {
            return;
        };
        match kind(node) {
            K::FileRedirect => {
                let g = grammar();
                let mut op = String::new();
                let mut destinations = Vec::new();
                for (field_id, child) in fielded_children(node) {
                    if field_id != 0 && field_id == g.destination {
                        destinations.push(child);
                    } else if !child.is_named() && op.is_empty() && !child.is_missing() {
                        op = child.kind().to_string();
                    }
                }
                let mut range = node.byte_range();
                let mut target = None;
                if let Some(stripped) = op.strip_suffix('-').filter(|s| s.ends_with('&')) {
                    let end = node.end_byte();
                    target = Some(literal_word(end.saturating_sub(1)..end, "-"));
                    op = stripped.to_string();
                }
                let mut words = adjacent_runs(&destinations);
                if target.is_none()
                    && let Some(first) = words.next()
                {
                    range.end = first.last().map_or(range.end, |n| n.end_byte());
                    target = Some(self.joined(first, env));
                }
                let fd = self.descriptor(node);
                redirs.push(Redirect {
                    range,
                    fd,
                    op,
                    target,
                });
                // `echo > f a`: words after the target are arguments.
                for extra in words {
                    argv.push(self.joined(extra, env));
                }
            }
            K::HerestringRedirect => {
                let target = named_children(node)
                    .into_iter()
                    .find(|c| kind(*c) != K::FileDescriptor)
                    .map(|c| self.word(c, env));
                let fd = self.descriptor(node);
                redirs.push(Redirect {
                    range: node.byte_range(),
                    fd,
                    op: "<<<".to_string(),
                    target,
                });
            }
            K::HeredocRedirect => self.heredoc(node, command, env, redirs, argv),
            _ => self.scan(node, env),
        }
    }

    /// Start of the line containing `pos` when only blanks precede `pos` on it.
    fn line_start_if_blank(&self, pos: usize) -> usize {
        let before = self.slice(0..pos);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        if before
            .get(line_start..)
            .is_some_and(|s| s.chars().all(|c| c == '\t' || c == ' '))
        {
            line_start
        } else {
            pos
        }
    }

    fn heredoc(
        &mut self,
        node: Node,
        command: Option<usize>,
        env: Env,
        redirs: &mut Vec<Redirect>,
        argv: &mut Vec<Word>,
    ) {
        let g = grammar();
        let mut op = String::new();
        let mut start = None;
        let mut body = None;
        let mut end = None;
        let mut nested = Vec::new();
        for (field_id, child) in fielded_children(node) {
            if field_id != 0 && field_id == g.argument {
                argv.push(self.word(child, env));
                continue;
            }
            if field_id != 0 && field_id == g.redirect {
                nested.push(child);
                continue;
            }
            match kind(child) {
                K::HeredocStart => start = Some(child),
                K::HeredocBody => body = Some(child),
                K::HeredocEnd => end = Some(child),
                K::HeredocOp => op = child.kind().to_string(),
                _ => {}
            }
        }
        let header_end = start.map_or(node.start_byte() + op.len(), |s| s.end_byte());
        let header = node.start_byte()..header_end.min(node.end_byte()).max(node.start_byte());
        let raw_delimiter = start.map_or("", |s| self.text(s));
        let (delimiter, quoted) = unquote_delimiter(raw_delimiter);
        let strip_tabs = op == "<<-";

        let body_start = match (body, end) {
            (Some(b), _) => self.line_start_if_blank(b.start_byte()),
            (None, Some(e)) => self.line_start_if_blank(e.start_byte()),
            (None, None) => header.end,
        };
        let body_end = match (end, body) {
            (Some(e), _) => self.line_start_if_blank(e.start_byte()),
            (None, Some(b)) => b.end_byte(),
            (None, None) => body_start,
        }
        .max(body_start);
        let body_range = body_start..body_end;
        let raw_body = self.slice(body_range.clone());
        let body_text = if strip_tabs {
            raw_body
                .split_inclusive('\n')
                .map(|line| line.trim_start_matches('\t'))
                .collect()
        } else {
            raw_body.to_string()
        };
        let full_end = end
            .map_or(body_end, |e| e.end_byte())
            .max(body_end)
            .max(header.end);
        self.heredocs.push(HeredocRedirect {
            range: header.start..full_end,
            delimiter: delimiter.clone(),
            body: body_text,
            body_range,
            command,
            quoted,
            strip_tabs,
        });
        let target = start.map(|s| Word {
            range: s.byte_range(),
            raw: raw_delimiter.into(),
            value: Some(delimiter.as_str().into()),
            lossy: delimiter.into(),
            has_glob: false,
        });
        redirs.push(Redirect {
            range: header,
            fd: self.descriptor(node),
            op,
            target,
        });
        for child in nested {
            self.redirect(child, command, env, redirs, argv);
        }
        if !quoted && let Some(body) = body {
            self.scan_children(body, env);
        }
    }

    // ----- words ------------------------------------------------------------

    /// Pushes the word made of `pieces` (when any) to `argv` and empties `pieces`.
    fn joined_word(&mut self, pieces: &mut Vec<Node>, argv: &mut Vec<Word>, env: Env) {
        if !pieces.is_empty() {
            argv.push(self.joined(pieces, env));
            pieces.clear();
        }
    }

    /// One word made of adjacent nodes (usually one: tree-sitter-bash splits
    /// some words, `x-$A-$B.tgz` or `"a"\.`, into pieces with nothing between).
    fn joined(&mut self, pieces: &[Node], env: Env) -> Word {
        let [first, .., last] = pieces else {
            return match pieces.first() {
                Some(one) => self.word(*one, env),
                None => literal_word(0..0, ""),
            };
        };
        let range = first.start_byte()..last.end_byte();
        if let Some(word) = crate::fast::word_at(self.src, range.clone()) {
            for piece in pieces {
                self.scan(*piece, env);
            }
            return word;
        }
        let mut acc = WordAcc::new();
        for piece in pieces {
            self.eval(*piece, &mut acc, env);
        }
        acc.finish(range.clone(), self.slice(range))
    }

    fn word(&mut self, node: Node, env: Env) -> Word {
        let mut acc = WordAcc::new();
        self.eval(node, &mut acc, env);
        acc.finish(node.byte_range(), self.text(node))
    }

    fn eval(&mut self, node: Node, acc: &mut WordAcc, env: Env) {
        let text = self.text(node);
        let Some(env) = env.deeper() else {
            acc.push_expansion(text);
            return;
        };
        match kind(node) {
            K::Regex | K::TestOperator => acc.push_str(text),
            K::RawString => {
                let inner = text.strip_prefix('\'').unwrap_or(text);
                let inner = inner.strip_suffix('\'').unwrap_or(inner);
                acc.push_str(inner);
            }
            K::AnsiCString => {
                let inner = text.strip_prefix("$'").unwrap_or(text);
                let inner = inner.strip_suffix('\'').unwrap_or(inner);
                acc.push_ansi_c(inner);
            }
            K::String => self.eval_string(node, acc, env),
            K::TranslatedString => match named_children(node).first() {
                Some(string) => self.eval(*string, acc, env),
                None => acc.push_str(text.strip_prefix('$').unwrap_or(text)),
            },
            K::Expansion => {
                acc.push_expansion(text);
                self.scan_children(node, env);
            }
            K::Substitution => {
                acc.push_expansion(text);
                self.body(node, env.substitution());
            }
            _ if node.named_child_count() == 0 => acc.push_unquoted(text),
            _ => {
                let mut pos = node.start_byte();
                for child in named_children(node) {
                    if child.start_byte() > pos {
                        acc.push_unquoted(self.slice(pos..child.start_byte()));
                    }
                    self.eval(child, acc, env);
                    pos = pos.max(child.end_byte());
                }
                if pos < node.end_byte() {
                    acc.push_unquoted(self.slice(pos..node.end_byte()));
                }
            }
        }
    }

    fn eval_string(&mut self, node: Node, acc: &mut WordAcc, env: Env) {
        let text = self.text(node);
        let mut start = node.start_byte();
        let mut end = node.end_byte();
        if text.starts_with('"') {
            start += 1;
        }
        if text.len() >= 2 && text.ends_with('"') {
            end -= 1;
        }
        let mut pos = start;
        if node.named_child_count() > 0 {
            for child in named_children(node) {
                if kind(child) == K::StringContent {
                    continue;
                }
                let child_start = child.start_byte().min(end);
                if child_start > pos {
                    acc.push_double_quoted(self.slice(pos..child_start));
                }
                self.eval(child, acc, env);
                pos = pos.max(child.end_byte());
            }
        }
        if pos < end {
            acc.push_double_quoted(self.slice(pos..end));
        }
    }

    /// Visits the commands of substitutions (and any statements) below `node`.
    fn scan(&mut self, node: Node, env: Env) {
        match kind(node) {
            K::Substitution => {
                if let Some(env) = env.deeper() {
                    self.body(node, env.substitution());
                }
            }
            k if k.is_statement() => {
                self.visit(node, env);
            }
            _ => self.scan_children(node, env),
        }
    }

    fn scan_children(&mut self, node: Node, env: Env) {
        if node.named_child_count() == 0 {
            return;
        }
        let Some(env) = env.deeper() else {
            return;
        };
        for child in named_children(node) {
            self.scan(child, env);
        }
    }
}

/// Statements tree-sitter-bash nests inside a heredoc redirect (`| sh`, `&& x`).
/// `nodes` in runs with nothing between neighbours (the pieces of one word).
fn adjacent_runs<'n, 't>(nodes: &'n [Node<'t>]) -> impl Iterator<Item = &'n [Node<'t>]> {
    nodes.chunk_by(|a, b| a.end_byte() == b.start_byte())
}

fn heredoc_continuations(node: Node) -> Vec<Node> {
    let right = grammar().right;
    let mut out = Vec::new();
    for (field_id, child) in fielded_children(node) {
        if field_id != 0 && field_id == right {
            out.push(child);
        } else if kind(child) == K::Pipeline {
            out.extend(named_children(child));
        }
    }
    out
}
