//! Differential tests: whenever the hand-written fast path accepts an input,
//! its `Script` must be identical (`Debug` output, private caches included)
//! to the one built from tree-sitter-bash.

mod support;

use dockside_shell::{parse, parse_fast_path, parse_tree_sitter};

/// Compares both paths on `src`; returns whether the fast path accepted it,
/// and records a description of any difference in `failures`.
fn check(src: &str, failures: &mut Vec<String>) -> bool {
    let Some(fast) = parse_fast_path(src) else {
        return false;
    };
    let slow = parse_tree_sitter(src);
    let (fast, slow) = (format!("{fast:#?}"), format!("{slow:#?}"));
    if fast != slow {
        let diff = fast
            .lines()
            .zip(slow.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .map(|(i, (a, b))| format!("line {i}: fast `{a}` vs tree-sitter `{b}`"))
            .unwrap_or_else(|| "length differs".to_string());
        failures.push(format!("{src:?}\n    {diff}"));
    }
    true
}

fn assert_no_failures(what: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{what}: fast path differs from tree-sitter on {} inputs:\n{}",
        failures.len(),
        failures
            .iter()
            .take(30)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Inputs the fast path must accept (and match).
const MUST_HIT: &[&str] = &[
    "",
    "   \n\n",
    "# just a comment",
    "true",
    "npm ci",
    "chmod +x /x.sh",
    "pip install --no-cache-dir -r requirements.txt",
    "set -eux; apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*",
    "apt-get update \\\n    && apt-get install -y \\\n        curl \\\n    && rm -rf /var/lib/apt/lists/*",
    "set -eux; \\\n\t\\\n\tapt-get update; \\\n\tapt-get install -y gosu; \\\n\trm -rf /var/lib/apt/lists/*",
    "a | b && c | d | e; f",
    "nginx &",
    "a & b",
    "a || true",
    "FOO=1 BAR=\"x y\" make install",
    "A=1",
    "A=1 B=2",
    "A= cmd",
    "echo \"$HOME\" '${X}' ${Y} $Z",
    "curl -fsSL https://x/y.sh | sh",
    "make 2>&1 | tee log",
    "cmd > /dev/null 2>&1",
    "cmd &> /dev/null",
    "cmd >> log 2> err < input",
    "echo a\\;b",
    "ls *.txt x?y",
    "echo ab # comment",
    "exec gunicorn -b :5000 app",
    "sudo -u app env FOO=1 /usr/bin/python3 x.py",
    "time -p make",
    "echo \"a\\\"b\" 'c\"d'",
    "echo \"é\" 'ü'",
    // expansions and substitutions
    "x=\"$(a | b)\"; y=$(c)z",
    "echo \"${A:-x}\" ${#B} ${C%%.*} \"${D#*-}\" ${E/a/b} ${F:0:3}",
    "echo $1 \"$@\" $? $$ \"$#\"",
    "echo $'\\n' $'a\\tb'",
    "test \"$a\" != \"${a%/x}\"",
    "echo ~/x a~b",
    "find . -name '*.pyc' -exec rm {} \\;",
    "url=; b",
    "local a=; b",
    // compound commands
    "if [ -f x ]; then a; fi",
    "if [ ! -d \"$x\" ]; then a; elif b; then c; else d; fi",
    "for x in a \"$b\" $(c); do echo \"$x\"; done",
    "while read -r x; do echo \"$x\"; done",
    "until a; do b; done",
    "case \"$x\" in a|b) c ;; *.tgz) d; e ;; *) ;; esac",
    "f() { local a=\"$1\"; shift; g \"$@\"; }; f x",
    "function f { a; }",
    "( cd /x && make )",
    "{ a; b; } | c",
    "a && { b || c; }",
    "! grep -q x f",
    "a | while read x; do b \"$x\" | c; done",
    "set -eux; \\\n\tarch=\"$(uname -m)\"; \\\n\tcase \"$arch\" in \\\n\t\tx86_64) a='b' ;; \\\n\t\t*) echo >&2 \"no $arch\"; exit 1 ;; \\\n\tesac",
];

/// Hand-written tricky inputs: compared when the fast path accepts them.
const SNIPPETS: &[&str] = &[
    // words and quoting
    "echo a'b'\"c\"$D${E}f",
    "echo ''",
    "echo \"\"",
    "echo '' \"\" x",
    "echo \"$A$B\"",
    "echo \"${A}${B}c\"",
    "echo \"$A-b\" $A-b ${A}_b $A_b",
    "echo \"a\\$b\" \"a\\\\b\" \"a\\nb\" \"a\\`b\"",
    "echo \"a\\\nb\"",
    "echo \"multi\nline\"",
    "echo 'multi\nline'",
    "echo 'a\\b'",
    "echo a\\ b",
    "echo a\\\nb",
    "echo \\$HOME \\\"x\\\"",
    "echo \\#not-a-comment",
    "echo \\",
    "echo $",
    "echo \"$\"",
    "echo $1 $@ $? $$ $# $! $- $* $0",
    "echo \"$1\" \"$@\"",
    "echo ${A:-x} ${#A} ${A%.*} ${!A}",
    "echo $(date) `date` $((1+2))",
    "echo \"$(date)\" \"`date`\"",
    "echo $'a\\nb' $\"x\"",
    "echo {a,b} {1..3} x{y}",
    "echo [abc] a[1] ]",
    "echo ~ ~/x a~b",
    "echo !x",
    "echo a=b --x=y =z a==b",
    "echo %s ^x @y ,z +w .v :u",
    "echo *",
    "echo '*' \"*\" \\*",
    "echo a*b?c",
    "echo -- - --foo",
    "echo 12 3 007",
    "echo ü",
    "echo \"tab\there\"",
    "echo a\tb",
    "printf '%s\\n' \"$X\"",
    // reserved words and special commands
    "echo if then fi done in",
    "echo export local unset",
    "if true; then a; fi",
    "for x in a b; do echo $x; done",
    "while true; do sleep 1; done",
    "case $x in a) b;; esac",
    "function f { a; }",
    "f() { a; }",
    "export A=1 B",
    "export PATH=$PATH:/x",
    "local a=1",
    "unset A",
    "declare -x A=1",
    "readonly A",
    "[ -f x ] && y",
    "[[ -f x ]] && y",
    "test -f x && y",
    "! false",
    "time make",
    "coproc x",
    // assignments
    "A=1 B=2 cmd arg",
    "A=\"x y\" cmd",
    "A='x' cmd",
    "A=$B cmd",
    "A=${B} cmd",
    "A=a\"b\"c cmd",
    "A=b=c cmd",
    "A=",
    "A= B=",
    "A= B= cmd",
    "A=1 B=2",
    "A=1; B=2",
    "A+=1",
    "A[1]=x",
    "A=(a b)",
    "A=~/x",
    "A=#x",
    "A==x",
    "A=\\x",
    "_A1=1 cmd",
    "1A=1 cmd",
    "A=1 export B=2",
    "env A=1 B=2 cmd",
    "A=1 >f cmd",
    // redirections
    "cmd > f",
    "cmd >f",
    "cmd>f",
    "cmd 2>&1",
    "cmd 2> /dev/null",
    "cmd 2>/dev/null || true",
    "cmd >&2",
    "cmd 1>&2 2>&1",
    "cmd &>>log",
    "cmd > f arg",
    "cmd > f a b 2>&1 c",
    "cmd >> f",
    "cmd < in > out",
    "cmd 10>f",
    "cmd 100>f",
    "cmd 2&>f",
    "cmd >&-",
    "cmd 2>&-",
    "cmd >| f",
    "cmd <> f",
    "cmd <& 0",
    "cmd <<< x",
    "cmd <<EOF\nbody\nEOF",
    "cmd < <(x)",
    "cmd > >(x)",
    "> f",
    "> f cmd",
    "cmd >",
    "cmd > $F",
    "cmd > \"$F\"",
    "cmd > 'f g'",
    "cmd 2>&1 | tee x",
    "a | b > f && c",
    "a && b > f",
    "a > f &",
    "a 2>/dev/null; b",
    // lists, pipelines, separators
    "a;b",
    "a ;b",
    "a; b;",
    "a &&b||c",
    "a &&\nb",
    "a ||\n\n  b",
    "a |\n b",
    "a | \\\n b",
    "a \\\n | b",
    "a &\nb",
    "a & b &",
    "a & ;",
    "a ;;",
    "a; ;",
    ";",
    "&& a",
    "a &&",
    "a |",
    "a ||",
    "a |& b",
    "a |b|c|d",
    "a && b || c && d",
    "a | b && c | d | e; f &",
    "a\n\n\nb",
    "\n\na\n\n",
    "  a  ",
    "\\\n a",
    "a \\\n",
    "a \\\n\\\n b",
    "a\\\n&& b",
    // comments
    "a # c\nb",
    "a #c && b\nc",
    "# c\na",
    "a && # c\nb",
    "a | # c\nb",
    "a;# c\nb",
    "a&# c\nb",
    "a \\\n # c",
    "a \\\n # c \\\n b",
    "#!/bin/sh\nset -e\nexec \"$@\"",
    "a #",
    "a # c\r\n",
    // odd characters
    "a\rb",
    "a\r\nb",
    "echo \u{a0}x",
    "echo a\u{a0}b",
    "echo \u{1}",
    "a\u{b}b",
    "a\u{c}b",
    "echo x\u{7f}",
    // typical Dockerfile bodies
    "groupadd -r redis && useradd -r -g redis redis",
    "mkdir -p /usr/src/app && chown -R node:node /usr/src/app",
    "ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log",
    "set -ex \\\n\t&& buildDeps='gcc libc6-dev make' \\\n\t&& apt-get purge -y --auto-remove $buildDeps",
    "echo 'deb http://x stable main' > /etc/apt/sources.list.d/x.list",
    "pip install --upgrade pip setuptools wheel && pip install -r /tmp/requirements.txt",
    "go build -o /bin/app ./cmd/app",
    "cd /src && make -j\"$(nproc)\"",
    "npm install -g yarn@1.22 && yarn cache clean",
    "useradd -u 1000 -G wheel,users -m app",
    "echo \"app ALL=(ALL) NOPASSWD:ALL\" >> /etc/sudoers",
    "wget -O- https://x | tar -xz -C /opt",
    "curl -sSL \"https://x/${VERSION}/y-${VERSION}.tar.gz\" -o /tmp/y.tgz",
    "apk add --no-cache --virtual .build-deps gcc musl-dev",
    // substitutions: nesting, quotes, keywords and comments inside
    "echo \"$(a \"$(b 'c)' \"d\")\")\"",
    "echo $(a $(b $(c)))",
    "x=\"$(echo ')' \"(\" \\))\"",
    "x=$(a # c\n)",
    "x=$(\na\n)",
    "x=$(a; b &)",
    "x=$(a &)",
    "x=$(case y in y) z;; esac)",
    "x=$(if a; then b; fi)",
    "x=$( (a) )",
    "x=$((1 + 2))",
    "x=$()",
    "x=$(a",
    "echo \"$(a)\"b $(a)\"b\" $(a)$(b) x$(a)y",
    "echo ${A:-$(b)} \"${A:-\"x y\"}\" ${A:-$B} ${A:-${B}} ${A:-a b}",
    "echo ${A[@]} ${A[0]} ${#A[@]} ${!A} ${!A*} ${A[x]}",
    "echo ${A:?msg} ${A:=x} ${A:+x} ${A-x} ${A=x} ${A+x} ${A?x}",
    "echo ${A^^} ${A,,} ${A^} ${A,} ${A@Q} ${A/#x/y} ${A/%x/y}",
    "echo ${A%%[a-z]*} ${A//[^0-9]/} ${A%\"x\"} ${A#'x'}",
    "echo ${} ${ A} ${A ${1} ${12} ${@} ${#}",
    "echo $1x $10 $@x $$x $-x $_ $_x",
    "echo \"$1x\" \"$@x\"",
    "echo $'a\\'b' $'\\x41' $'é' $'a\nb'",
    "echo x$'a' $'a'x \"a\"$'b' $'a'\"b\"",
    "echo ~ ~root/x x~ \"~\" '~' $A~",
    "echo !x x! a!b ! !!",
    "echo {} {}x x{} { }",
    "find . -exec a {} + -o -exec b {} \\;",
    "echo x-$(a)-$B.tgz x-${A}-$B.tgz x-$1-y",
    // keywords as arguments and words
    "echo if then",
    "echo done",
    "echo x done",
    "echo do; done",
    "echo fi; then",
    "echo esac",
    "echo case in",
    "echo doneness ifx xif",
    "echo \"done\" 'fi'",
    "for done in a; do b; done",
    "for x in do; do b; done",
    "for x in a b; do done; done",
    "if then; then a; fi",
    "if a; then b; fi x",
    "if a; then b; fi; fi",
    "if a; then fi",
    "if; then a; fi",
    "if a then b; fi",
    "while a do b; done",
    "{a; }",
    "{ a }",
    "{ a; }x",
    "{ a; } > f",
    "( a ) > f",
    "if a; then b; fi > f",
    "if a; then b; fi 2>&1 | c",
    "(a)",
    "(a) b",
    "( a; b & )",
    "(a) | (b)",
    "((a))",
    "! (a)",
    "! { a; }",
    "! a | b",
    "a | ! b",
    "! a && b",
    "! a > f",
    "!a",
    "! ! a",
    "! A=1",
    "! [ -f x ]",
    // `case` shapes
    "case x in a) b;; esac",
    "case x in a) b; ;; esac",
    "case x in (a) b;; esac",
    "case x in a | b ) c;; esac",
    "case x in 'a)' | \"b|c\") d;; esac",
    "case x in *) a;; esac",
    "case x in a) b;& c) d;; esac",
    "case x in a) b;;& c) d;; esac",
    "case x in a) b esac",
    "case x in a) b; esac",
    "case x in a) ;; b) ;; esac",
    "case x in esac",
    "case x in\n  a)\n    b\n    ;;\n  c) d ;;\nesac",
    "case $(a) in $b) c;; [ab]) d;; a\\)) e;; esac",
    "case x in a) case y in b) c;; esac;; esac",
    "case x in # c\n a) b;; # d\nesac",
    "case x in a) b;; esac; case y in c) d;; esac",
    "case x in a) b;; esac | c",
    "case esac in esac) esac;; esac",
    // test commands
    "[ -f x ]",
    "[ -f x ] && [ \"$a\" = \"b\" ] || [ $c -eq 1 ]",
    "[ ! -d x ]",
    "[ a = b -a c != d ]",
    "[ \"$x\" = *.t ]",
    "[ x == y ]",
    "[ x =~ y ]",
    "[ x \\< y ]",
    "[ ( a ) ]",
    "[ ]",
    "[ x ] y",
    "[ x ]; [ y ]",
    "[ x]",
    "[x ]",
    "[ x ] 2>/dev/null",
    "[ -z \"$(a | b)\" ]",
    "[[ -f x ]]",
    "[ x \\\n ]",
    "test -n \"$x\" -o ! -f y",
    "[ - ]\nx",
    "[ -- ]\nx",
    "[ a -eq -1 ]\nx",
    "[ a -b ]\nx",
    "[ a = -b ]\nx",
    "[ -n -x ]\nx",
    "[ -z \"$a\" -o -n b ]\nx",
    "[ ! ]\nx",
    "[ = ]\nx",
    "[ a = ]\nx",
    "[ -f ]\nx",
    "[ a b ]\nx",
    "echo \\\\\n\\\nx",
    "echo \\\\\\\n\\\nx",
    "  \t\"a $X b\"  ${X}y \\\\\n\\\nE=a'b' \"a $X b\"  ",
    "case x in\n'x') a $(case x in\n*) b\t2>&1;;\nesac)x; ;; esac",
    "a; # c)  \\\n   \\\n  b",
    "a # c \\\nb",
    "[ a=b ]",
    "[ --x=y ]",
    "[ local ]",
    "[ export x ]",
    // found by the fuzzers
    "exec'a b'$1\tx",
    "env $X-y$1 x",
    "local x=|A=1",
    "local x= y",
    "local x=\nb",
    "a $(b)\" \\\n  $(c)\"",
    "a \"\\\n$(c)\" \"x \\\n $(c)\" \" $(c)\" \"x\n $c\"",
    "[  \\\n  {} exec${#A} true  ]",
    "[ a${Y} = \\\n  ]",
    // tree-sitter-bash joins a pipeline of three stages ending a line with a
    // later redirected command
    "t|e|a\nb >d",
    "t|e|a\nb\nc 2>&1",
    "x && t|e|a # c\nb &>d",
    "{ t|e|a\nb >d\n}",
    "t|e|a;\nb >d",
    "t|e\nb >d",
    // redirections of compound commands
    "{ a; b; } > f",
    "{ a; } >> f 2>&1",
    "{ a; } > \"$(b)\" && c",
    "{ a; } > f | b",
    "a | { b; } > f",
    "while read x; do a; done < list",
    "if a; then b; fi 2> /dev/null",
    "( a ) > f",
    "(a)>f",
    "for x in a; do b; done > \"$F\" 2>&1 &",
    "case x in a) b;; esac > f",
    "{ a; } > f x",
    "{ a; } 2>&1 >",
    "{ a; } <<EOF\nx\nEOF",
    "{ a; } &> f",
    "{ a; } > f; { b; } < g",
    "f() { a; } > f",
    // odd words
    "a || :; b",
    ": ${A:=x}",
    "test a = b",
    "test a == b",
    "test a =~ b",
    "echo = =x x=",
    "echo ${A:+\"x y\"} \"${A:-\"$B\"}\" ${A:-\"$(b)\"} ${A:-'x'} ${A:-\"a\\\"b\"}",
    // functions
    "f() { a; }",
    "f () { a; }",
    "f(){ a; }",
    "f() {\n a\n}",
    "f() ( a )",
    "f() { a; } > f",
    "f() { a; } && b",
    "a | f() { b; }",
    "function f() { a; }",
    "function f { a; }; f",
    "function { a; }",
    "function if { a; }",
    "f-g() { a; }",
    "f.g() { a; }",
    "f() { g() { a; }; g; }",
    "f() { a; }; f; f() { b; }",
    "x() { a; }; y() { b & }",
    // loops
    "for x in a b c; do a; b; done",
    "for x in\n a\n b\n; do c; done",
    "for x in a b \\\n c \\\n ; do d; done",
    "for x; do a; done",
    "for x do a; done",
    "for ((i=0;i<3;i++)); do a; done",
    "for x in $(a); do b; done",
    "for x in \"${A[@]}\"; do b; done",
    "select x in a; do b; done",
    "while true; do a; done &",
    "while a; b; do c; done",
    "while a & do b; done",
    "while a; do b & done",
    "while a; do b; done | c",
    "until a || b; do c; done",
    "for x in a; do for y in b; do c; done; done",
    // if shapes
    "if a; then b; fi",
    "if a && b; then c; fi",
    "if ! a; then b; fi",
    "if a | b; then c; fi",
    "if a; then b; else c; fi",
    "if a; then b; elif c; then d; elif e; then f; fi",
    "if a; then b; elif c; then d; else e; fi",
    "if a\nthen\n b\nelse\n c\nfi",
    "if a; then b & fi",
    "if a; then b; c & fi",
    "if a; then :; fi && b",
    "if a; then if b; then c; fi; fi",
    "if [ -f x ]; then a; fi; b",
    "if a; then b; else fi",
    "if a; then b; else c; fi x",
    "x=$(if a; then b; else c; fi)",
    // groups and subshells
    "{ a; }",
    "{ a; } &",
    "{ a & }",
    "{ a; b; } && c",
    "{\n a\n b\n}",
    "( a )",
    "(a; b) && c",
    "(a && b) || c",
    "(\n a\n)",
    "( (a) )",
    "(a) &",
    "(a)x",
    "{ a; } | { b; }",
    "{ a; }; { b; }",
    "{ { a; }; }",
    // continuations and comments inside constructs
    "if a; then \\\n b; \\\n fi",
    "for x in a; do \\\n b; \\\n done",
    "case x in \\\n a) \\\n b \\\n ;; \\\n esac",
    "f() { \\\n a; \\\n }",
    "( \\\n a \\\n )",
    "x=\"$( \\\n a \\\n | b \\\n)\"",
    "if a; then # c\n b # d\nfi # e",
    "for x in a # c\ndo b; done",
    "while a # c\ndo b # d\ndone",
    "{ # c\n a; }",
    "( # c\n a )",
    "f() { # c\n a\n}",
    // words tree-sitter-bash splits into adjacent pieces (the tree-sitter path joins them)
    "tar xzf debuild-$target/nginx-$NGINX_VERSION/x.tgz -C /tmp",
    "tar xzvf nydus-static-$NYDUS_VERSION-$TARGETARCH.tgz",
    "echo \"x\"\\. 'q'$1 $A$1 $A\\.* > \"$F\"\\.log",
];

#[test]
fn must_hit_inputs_take_the_fast_path() {
    let mut failures = Vec::new();
    for src in MUST_HIT {
        assert!(check(src, &mut failures), "fast path rejected {src:?}");
    }
    assert_no_failures("must-hit inputs", &failures);
}

#[test]
fn snippets_match_tree_sitter() {
    let mut failures = Vec::new();
    let mut hits = 0;
    for src in SNIPPETS {
        hits += usize::from(check(src, &mut failures));
        // `parse` (with its cache) agrees with the uncached tree-sitter path.
        let full = format!("{:?}", parse(src));
        let slow = format!("{:?}", parse_tree_sitter(src));
        if full != slow {
            failures.push(format!("parse() differs: {src:?}"));
        }
    }
    println!("snippets: {hits}/{} take the fast path", SNIPPETS.len());
    assert_no_failures("snippets", &failures);
}

#[test]
fn corpus_bodies_match_tree_sitter() {
    let dir = support::corpus_dir();
    let Some(bodies) = support::corpus_bodies(&dir) else {
        eprintln!("skipping: no corpus at {}", dir.display());
        return;
    };
    let mut unique: Vec<&String> = bodies.iter().collect();
    unique.sort();
    unique.dedup();
    let mut failures = Vec::new();
    let (mut hits, mut joined_hits, mut lines) = (0, 0, 0);
    let mut line_hits = 0;
    for body in &unique {
        hits += usize::from(check(body, &mut failures));
        // The same body with its line continuations joined, and each line
        // on its own: more shapes from real-world shell.
        joined_hits += usize::from(check(&body.replace("\\\n", ""), &mut failures));
        for line in body.lines() {
            lines += 1;
            line_hits += usize::from(check(line, &mut failures));
        }
    }
    let all_hits = bodies
        .iter()
        .filter(|b| parse_fast_path(b).is_some())
        .count();
    println!(
        "corpus: {all_hits}/{} bodies ({:.1} %) take the fast path; unique: {hits}/{}; joined: {joined_hits}; lines: {line_hits}/{lines}",
        bodies.len(),
        100.0 * all_hits as f64 / bodies.len().max(1) as f64,
        unique.len(),
    );
    assert_no_failures("corpus", &failures);
}

/// xorshift64*: a small deterministic PRNG.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Tokens of the subset.
const FUZZ_WORDS: &[&str] = &[
    "a",
    "apt-get",
    "install",
    "-y",
    "--no-cache",
    "/var/lib/apt/lists/*",
    "x?",
    "*",
    "'sq'",
    "'a b'",
    "''",
    "\"dq\"",
    "\"a $X b\"",
    "\"${Y}\"",
    "\"\"",
    "$X",
    "${Y}",
    "$X_1",
    "\\;",
    "a\\$b",
    "\\\\",
    "A=1",
    "B=",
    "C=\"x y\"",
    "D=$X",
    "E=a'b'",
    "a=b",
    "x#y",
    "2",
    "10",
    "-",
    "--",
    ".",
    ":",
    "%",
    "^",
    "@",
    ",",
    "+",
    "time",
    "exec",
    "sudo",
    "env",
    "true",
    "\"\\\"\"",
    "\"\\\\\"",
    "\"a\\nb\"",
    "'it''s'",
    "\"é\"",
    "'ü'",
    "\"$X$Y\"",
    "${X}y",
    "$X-y",
    "x.y/z",
    "\"a\nb\"",
    "'a\nb'",
    "--mount=type=cache,target=/x",
    "-x=y",
    "--a-b=c",
    "_=x",
    "x-$A-$B.tgz",
    "$A/$B",
    "\"$A\"-$B",
    "'q'$A.",
    "\\.x",
    "x\\.",
    "$A\\.",
    "\"x\"\\.",
    "$(a)",
    "\"$(a b)\"",
    "$(a | b)",
    "\"$(a \"$B\")\"",
    "${A:-x}",
    "\"${A%%.*}\"",
    "${#A}",
    "${A//x/y}",
    "${A:-$B}",
    "$1",
    "\"$@\"",
    "$?",
    "$'\\n'",
    "~/x",
    "{}",
    "!=",
    "x!",
    "=",
];

/// Tokens at or beyond the edge of the subset.
const FUZZ_EDGE: &[&str] = &[
    "a\\ b",
    "=x",
    "#c",
    "ü",
    "$'x'",
    "\"$\"",
    "$",
    "$1",
    "$(x)",
    "`x`",
    "{a,b}",
    "[",
    "]",
    "!",
    "~",
    "if",
    "then",
    "done",
    "in",
    "=",
    "==",
    "a==b",
    "\\",
    "(",
    ")",
    "{",
    "}",
    "export",
    "local",
    "unset",
    "declare",
    "x%",
    "x@y",
    "\"${A:-x}\"",
    "\r",
    "\u{a0}",
];

/// Command words: names, declarations and assignments.
const FUZZ_HEADS: &[&str] = &[
    "a",
    "apt-get",
    "export",
    "local",
    "unset",
    "readonly",
    "declare",
    "A=1",
    "B=",
    "_=x",
    "--mount=type=cache,target=/x",
    "--network=host",
    "--a-b=c",
    "-a=b",
    "\"$CMD\"",
    "$CMD",
    "./x.sh",
    "/usr/bin/env",
    "'quoted'",
    "x#y",
    "x%",
    "1A=2",
    "A=\"$B\"",
    "A=$B.t",
    "A=1 B=2",
    "--m=x C=1",
    "local\"x\"",
    "if\"x\"",
    "exec\"x\"",
    "A=1 --m=y",
    "x=$(a)",
    "x=\"$(a | b)\"",
    "x=",
    "local x=",
    "local x=\"$1\"",
    "[ -f x ]",
    "test \"$a\" !=",
    "$(a)",
];

const FUZZ_OPS: &[&str] = &[
    "&&",
    "||",
    ";",
    "|",
    "&",
    "\n",
    " \\\n  ",
    ">",
    ">>",
    "<",
    "2>&1",
    "2>",
    "&>",
    "&>>",
    ">&2",
    "1>",
    ">&",
    "<&",
    ">|",
    "<<",
    "<<<",
    ";;",
    "|&",
    "#",
    "# c\n",
    "\\\n",
    "$(",
    ")",
    "(",
    "{ ",
    "; }",
    "if ",
    "; then ",
    "; fi",
    "for x in ",
    "; do ",
    "; done",
    "case x in ",
    "a) ",
    ";; esac",
    "! ",
    "[ ",
    " ]",
    "f() { ",
];

const FUZZ_GLUE: &[&str] = &["", " ", " ", " ", "  ", "\t", " \\\n  ", "\n"];

/// A random statement: simple commands inside random compound commands,
/// substitutions and lists, `depth` levels deep at most.
fn gen_statement(rng: &mut Rng, depth: usize, out: &mut String) {
    fn sep(rng: &mut Rng) -> &'static str {
        rng.pick(&[
            "; ", ";", "\n", " \\\n\t", "; \\\n\t", " # c\n", "\n\n", " & ",
        ])
    }
    fn list(rng: &mut Rng, depth: usize, out: &mut String) {
        for s in 0..1 + rng.below(3) {
            if s > 0 {
                out.push_str(sep(rng));
            }
            gen_statement(rng, depth.saturating_sub(1), out);
        }
    }
    let choice = if depth == 0 { 0 } else { rng.below(14) };
    match choice {
        0..=3 => {
            if rng.below(8) == 0 {
                out.push_str("! ");
            }
            out.push_str(rng.pick(FUZZ_HEADS));
            for _ in 0..rng.below(4) {
                out.push_str(rng.pick(&[" ", " ", "\t", " \\\n  "]));
                match rng.below(10) {
                    0 if depth > 0 => {
                        out.push_str(rng.pick(&["$(", "\"$(", "x=$("]));
                        gen_statement(rng, depth - 1, out);
                        out.push_str(rng.pick(&[")", ")", ")\"", ")x"]));
                    }
                    1 => out.push_str(rng.pick(FUZZ_EDGE)),
                    2 => out.push_str(rng.pick(&[">f", "2>&1", "> \"$F\"", "&>/dev/null"])),
                    _ => out.push_str(rng.pick(FUZZ_WORDS)),
                }
            }
        }
        4 => {
            out.push_str("if ");
            list(rng, depth, out);
            out.push_str(rng.pick(&["; then ", "\nthen\n", "; then \\\n"]));
            list(rng, depth, out);
            match rng.below(3) {
                0 => {
                    out.push_str("; elif ");
                    list(rng, depth, out);
                    out.push_str("; then ");
                    list(rng, depth, out);
                }
                1 => {
                    out.push_str(rng.pick(&["; else ", "\nelse\n"]));
                    list(rng, depth, out);
                }
                _ => {}
            }
            out.push_str(rng.pick(&["; fi", "\nfi", ";fi", " fi"]));
        }
        5 => {
            out.push_str(rng.pick(&["for x in a $B \"$(c)\"", "for x in ", "for x"]));
            out.push_str(rng.pick(&["; do ", "\ndo\n", " do "]));
            list(rng, depth, out);
            out.push_str(rng.pick(&["; done", "\ndone", " done"]));
        }
        6 => {
            out.push_str(rng.pick(&["while ", "until "]));
            list(rng, depth, out);
            out.push_str("; do ");
            list(rng, depth, out);
            out.push_str(rng.pick(&["; done", "\ndone"]));
        }
        7 => {
            out.push_str(rng.pick(&["case \"$x\" in ", "case x in\n", "case $(a) in "]));
            for _ in 0..rng.below(3) {
                out.push_str(rng.pick(&["a) ", "a|b) ", "*) ", "'x') ", "(c) ", "*.t | \"q\")"]));
                if rng.below(4) > 0 {
                    list(rng, depth, out);
                }
                out.push_str(rng.pick(&[" ;; ", ";;\n", "; ;; ", "\n;;\n", ";& "]));
            }
            out.push_str(rng.pick(&["esac", " esac"]));
        }
        8 => {
            out.push_str(rng.pick(&["{ ", "{\n", "{"]));
            list(rng, depth, out);
            out.push_str(rng.pick(&["; }", "\n}", " }"]));
        }
        9 => {
            out.push_str(rng.pick(&["( ", "(", "(\n"]));
            list(rng, depth, out);
            out.push_str(rng.pick(&[" )", ")", "\n)"]));
        }
        10 => {
            out.push_str(rng.pick(&["f() { ", "f () {\n", "function f { ", "function f() { "]));
            list(rng, depth, out);
            out.push_str(rng.pick(&["; }", "\n}"]));
        }
        11 => {
            out.push_str(rng.pick(&["[ ", "[ ! ", "test "]));
            out.push_str(rng.pick(&["-f x", "\"$a\" = b", "-n \"$(a)\"", "$a != ${b%.*}", "x"]));
            out.push_str(rng.pick(&[" ]", "]", " ] "]));
        }
        _ => {
            gen_statement(rng, depth.saturating_sub(1), out);
            out.push_str(rng.pick(&[" && ", " || ", " | ", " |\n", " && \\\n\t"]));
            gen_statement(rng, depth.saturating_sub(1), out);
        }
    }
}

#[test]
fn compound_fuzz_matches_tree_sitter() {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let mut rng = Rng(env("DOCKSIDE_FUZZ_SEED").unwrap_or(0x2545_f491_4f6c_dd1d) | 1);
    let cases = env("DOCKSIDE_FUZZ_CASES").map_or(6000, |n| n as usize);
    let mut failures = Vec::new();
    let mut hits = 0;
    for _ in 0..cases {
        let mut src = String::new();
        gen_statement(&mut rng, 3, &mut src);
        hits += usize::from(check(&src, &mut failures));
    }
    println!("compound fuzz: {hits}/{cases} inputs take the fast path");
    assert!(
        hits > cases / 10,
        "compound inputs rarely reach the fast path"
    );
    assert_no_failures("compound fuzz", &failures);
}

#[test]
fn fuzz_matches_tree_sitter() {
    // `DOCKSIDE_FUZZ_CASES` / `DOCKSIDE_FUZZ_SEED` run longer or other campaigns.
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let mut rng = Rng(env("DOCKSIDE_FUZZ_SEED").unwrap_or(0x9e37_79b9_7f4a_7c15) | 1);
    let mut failures = Vec::new();
    let cases = env("DOCKSIDE_FUZZ_CASES").map_or(6000, |n| n as usize);
    // Token soup.
    let mut hits = 0;
    for _ in 0..cases {
        let tokens = 1 + rng.below(12);
        let mut src = String::new();
        for _ in 0..tokens {
            match rng.below(12) {
                0..=5 => src.push_str(rng.pick(FUZZ_WORDS)),
                6 => src.push_str(rng.pick(FUZZ_EDGE)),
                7..=8 => src.push_str(rng.pick(FUZZ_OPS)),
                _ => {}
            }
            src.push_str(rng.pick(FUZZ_GLUE));
        }
        hits += usize::from(check(&src, &mut failures));
    }
    // Command-shaped inputs: commands joined by operators.
    let mut shaped_hits = 0;
    for _ in 0..cases {
        let mut src = String::new();
        for c in 0..1 + rng.below(4) {
            if c > 0 {
                src.push_str(rng.pick(&[
                    " && ",
                    " || ",
                    "; ",
                    " | ",
                    " & ",
                    "\n",
                    " \\\n && ",
                    "&&",
                    "|",
                ]));
            }
            src.push_str(rng.pick(FUZZ_HEADS));
            for _ in 0..rng.below(5) {
                src.push_str(rng.pick(&[" ", " ", "\t", " \\\n  ", " \\\n\t\\\n\t"]));
                src.push_str(rng.pick(FUZZ_WORDS));
                match rng.below(24) {
                    0..=2 => src.push_str(rng.pick(FUZZ_WORDS)),
                    3 => src.push_str(rng.pick(FUZZ_EDGE)),
                    4..=5 => {
                        src.push(' ');
                        src.push_str(rng.pick(&[
                            ">f",
                            "2>&1",
                            "> f",
                            ">>log",
                            "<in",
                            "&>/dev/null",
                            "2>/dev/null",
                            ">&2",
                            "> \"$F\"",
                        ]));
                    }
                    _ => {}
                }
            }
        }
        if rng.below(6) == 0 {
            src.push_str(rng.pick(&[" &", ";", "\n", " # c", " \\\n", "\n\n", " ;"]));
        }
        shaped_hits += usize::from(check(&src, &mut failures));
    }
    println!(
        "fuzz: {hits}/{cases} token-soup and {shaped_hits}/{cases} command-shaped inputs take the fast path"
    );
    assert!(
        shaped_hits > cases / 10,
        "fuzz inputs rarely reach the fast path"
    );
    assert_no_failures("fuzz", &failures);
}
