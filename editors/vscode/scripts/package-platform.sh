#!/usr/bin/env bash
# Builds a platform-specific .vsix with a dockside binary in bin/.
#
#   scripts/package-platform.sh <target> <dockside-binary> [output.vsix]
#
# <target> is a VS Code platform: linux-x64, linux-arm64, linux-armhf, alpine-x64,
# alpine-arm64, darwin-x64, darwin-arm64, win32-x64, win32-arm64. The binary must be
# built for it (for example `cargo build --release -p dockside --target
# aarch64-apple-darwin` for darwin-arm64). bin/ belongs to this script: it is
# emptied before and removed after, so a later universal package has no binary.
set -euo pipefail

usage() {
    echo "usage: $0 <target> <dockside-binary> [output.vsix]" >&2
    exit 2
}
[ $# -ge 2 ] && [ $# -le 3 ] || usage
target=$1
binary=$2
here="$(cd "$(dirname "$0")/.." && pwd)"

case "$target" in
    win32-x64 | win32-arm64) exe=dockside.exe magic=pe ;;
    darwin-x64 | darwin-arm64) exe=dockside magic=macho ;;
    linux-x64 | linux-arm64 | linux-armhf | alpine-x64 | alpine-arm64) exe=dockside magic=elf ;;
    *)
        echo "error: unknown target '$target'; expected one of: linux-x64 linux-arm64 linux-armhf alpine-x64 alpine-arm64 darwin-x64 darwin-arm64 win32-x64 win32-arm64" >&2
        exit 2
        ;;
esac
if [ ! -f "$binary" ]; then
    echo "error: no dockside binary at '$binary'" >&2
    exit 2
fi

# A binary for another operating system would be shipped without complaint and fail
# on the user's machine: check its format.
head=$(od -An -tx1 -N4 "$binary" | tr -d ' \n')
case "$magic:$head" in
    elf:7f454c46) ;;
    pe:4d5a*) ;;
    macho:cffaedfe | macho:cefaedfe | macho:cafebabe) ;;
    *)
        echo "error: '$binary' is not a $target executable (it starts with bytes $head)" >&2
        exit 2
        ;;
esac

version=$(node -p "require('$here/package.json').version")
output=${3:-dockside-$target-$version.vsix}
case "$output" in
    /*) ;;
    *) output="$PWD/$output" ;;
esac

cd "$here"
trap 'rm -rf "$here/bin"' EXIT
rm -rf bin
mkdir bin
cp "$binary" "bin/$exe"
chmod 755 "bin/$exe"
npx --no-install vsce package --no-dependencies --target "$target" --out "$output"
