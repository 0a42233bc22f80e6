#!/usr/bin/env bash
# CI for the VS Code extension: install, build, unit tests (with the protocol tests
# against target/release/dockside, built if missing), a universal package and a
# linux-x64 package with that binary, each .vsix inspected.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$here"

step() { printf '\n== %s\n' "$*"; }
fail() {
    echo "error: $*" >&2
    exit 1
}

node --version
npm --version

step "npm ci"
npm ci --no-audit --no-fund

step "npm run build"
npm run build

binary="$repo/target/release/dockside"
if [ ! -x "$binary" ]; then
    step "cargo build --release -p dockside"
    (cd "$repo" && cargo build --release --locked -p dockside)
fi

step "npm test (with $binary)"
DOCKSIDE_BINARY="$binary" DOCKSIDE_REQUIRE_SERVER=1 npm test

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The entries of a .vsix (a zip), one per line.
entries() {
    unzip -Z1 "$1"
}

# Checks what every package must and must not hold.
inspect() {
    local vsix=$1 list
    list="$(entries "$vsix")"
    echo "$list" | sed 's/^/  /'
    for required in extension/dist/extension.js extension/package.json extension.vsixmanifest; do
        grep -qxF "$required" <<<"$list" || fail "$vsix lacks $required"
    done
    # vsce renames these (readme.md, changelog.md, LICENSE.txt).
    for document in readme.md changelog.md license.txt; do
        grep -qixF "extension/$document" <<<"$list" || fail "$vsix lacks extension/$document"
    done
    if grep -E '(^|/)(node_modules|src|test|out|scripts)/' <<<"$list"; then
        fail "$vsix holds the files above, which do not belong in a package"
    fi
    if grep -E '\.(ts|map|vsix)$|(^|/)(tsconfig[^/]*\.json|package-lock\.json|ci\.sh|\.vscodeignore|\.gitignore)$' <<<"$list"; then
        fail "$vsix holds the files above, which do not belong in a package"
    fi
    # The manifest inside is ours, at our version.
    unzip -p "$vsix" extension/package.json >"$work/package.json"
    node -e '
        const [inner, outer] = process.argv.slice(1).map((f) => require(f));
        for (const key of ["name", "publisher", "version", "main"]) {
            if (inner[key] !== outer[key]) {
                console.error(`package.json ${key}: ${inner[key]} in the package, ${outer[key]} here`);
                process.exit(1);
            }
        }' "$work/package.json" "$here/package.json"
    echo "  size: $(wc -c <"$vsix") bytes ($vsix)"
}

step "universal package"
npx --no-install vsce package --no-dependencies --out "$work/dockside.vsix"
inspect "$work/dockside.vsix"
if entries "$work/dockside.vsix" | grep -q '^extension/bin/'; then
    fail "the universal package holds a binary"
fi
# The bundle needs nothing but VS Code's API and Node's own modules at run time.
unzip -p "$work/dockside.vsix" extension/dist/extension.js >"$work/extension.js"
node -e '
    const Module = require("module");
    const { builtinModules } = Module;
    const load = Module._load;
    const missing = [];
    Module._load = function (request, parent, isMain) {
        if (request === "vscode") {
            return new Proxy({}, { get: () => function () {} });
        }
        const bare = request.replace(/^node:/, "");
        if (!builtinModules.includes(bare) && !request.startsWith(".") && !request.startsWith("/")) {
            missing.push(request);
        }
        return load.apply(this, arguments);
    };
    const extension = require(process.argv[1]);
    if (missing.length) {
        console.error(`the bundle requires packages it does not contain: ${missing.join(", ")}`);
        process.exit(1);
    }
    for (const name of ["activate", "deactivate"]) {
        if (typeof extension[name] !== "function") {
            console.error(`dist/extension.js does not export ${name}`);
            process.exit(1);
        }
    }
    console.log("  dist/extension.js loads with only vscode and Node built-ins");' "$work/extension.js"

step "linux-x64 package with target/release/dockside"
scripts/package-platform.sh linux-x64 "$binary" "$work/dockside-linux-x64.vsix"
inspect "$work/dockside-linux-x64.vsix"
entries "$work/dockside-linux-x64.vsix" | grep -qxF extension/bin/dockside ||
    fail "the linux-x64 package lacks extension/bin/dockside"
[ ! -e "$here/bin" ] || fail "package-platform.sh left bin/ behind"
# The binary arrives intact and executable, and runs as the extension will run it.
mkdir "$work/installed"
(cd "$work/installed" && unzip -q "$work/dockside-linux-x64.vsix")
installed="$work/installed/extension/bin/dockside"
cmp -s "$installed" "$binary" || fail "bin/dockside differs from $binary"
mode="$(unzip -Z "$work/dockside-linux-x64.vsix" extension/bin/dockside | awk '{print $1}')"
[[ "$mode" == -rwx* ]] || fail "bin/dockside is stored as $mode, not executable"
request='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{},"processId":null}}'
response="$(printf 'Content-Length: %d\r\n\r\n%s' "${#request}" "$request" |
    timeout 20 "$installed" lsp 2>/dev/null | head -c 4096 || true)"
grep -q '"source.fixAll.dockside"' <<<"$response" ||
    fail "the packaged binary did not answer initialize with its capabilities: $response"
echo "  the packaged dockside answers initialize"

step "package-platform.sh refuses a binary of another platform"
if scripts/package-platform.sh win32-x64 "$binary" "$work/wrong.vsix" 2>"$work/err"; then
    fail "a Linux binary was packaged for win32-x64"
fi
grep -q 'is not a win32-x64 executable' "$work/err" || fail "unexpected message: $(cat "$work/err")"
[ ! -e "$work/wrong.vsix" ] || fail "a package was written anyway"

echo
echo "vscode extension: all checks passed"
