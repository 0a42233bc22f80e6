import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

import { resolveServerBinary, type ResolveOptions, type Resolution } from '../src/binary';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockside-vscode-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

// Windows has no executable bit: the tests that rely on it run elsewhere.
const modes = { skip: process.platform === 'win32' && 'no executable bit on Windows' };

let counter = 0;
/** A fresh folder under the test root. */
function folder(name: string): string {
  const dir = path.join(root, `${counter++}-${name}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function file(dir: string, name: string, mode = 0o755): string {
  const full = path.join(dir, name);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, '#!/bin/sh\n');
  fs.chmodSync(full, mode);
  return full;
}

function resolve(options: Partial<ResolveOptions>): Resolution {
  return resolveServerBinary({
    configuredPath: undefined,
    extensionPath: folder('empty-extension'),
    workspaceFolders: [],
    platform: 'linux',
    env: { PATH: '' },
    ...options,
  });
}

function found(resolution: Resolution): { path: string; source: string } {
  assert.ok(resolution.ok, `expected a binary, got: ${resolution.ok ? '' : resolution.message}`);
  return { path: resolution.path, source: resolution.source };
}

function failure(resolution: Resolution): string {
  assert.ok(!resolution.ok, `expected no binary, got ${resolution.ok ? resolution.path : ''}`);
  return resolution.message;
}

describe('resolution order on Linux and macOS', () => {
  it('takes the dockside.path setting before the bundled binary and PATH', () => {
    const extension = folder('extension');
    file(extension, 'bin/dockside');
    const onPath = folder('path');
    file(onPath, 'dockside');
    const chosen = file(folder('custom'), 'my-dockside');
    const r = resolve({ configuredPath: chosen, extensionPath: extension, env: { PATH: onPath } });
    assert.deepEqual(found(r), { path: chosen, source: 'setting' });
  });

  it('takes the bundled binary before PATH when the setting is empty', () => {
    const extension = folder('extension');
    const bundled = file(extension, 'bin/dockside');
    const onPath = folder('path');
    file(onPath, 'dockside');
    for (const configuredPath of [undefined, '', '   ']) {
      const r = resolve({ configuredPath, extensionPath: extension, env: { PATH: onPath } });
      assert.deepEqual(found(r), { path: bundled, source: 'bundled' });
    }
  });

  it('skips a bundled file that is not executable', modes, () => {
    const extension = folder('extension');
    file(extension, 'bin/dockside', 0o644);
    const onPath = folder('path');
    const expected = file(onPath, 'dockside');
    const r = resolve({ extensionPath: extension, env: { PATH: onPath } });
    assert.deepEqual(found(r), { path: expected, source: 'path' });
  });

  it('searches PATH in order, skipping empty entries, folders and non-executables', modes, () => {
    const first = folder('first');
    file(first, 'dockside', 0o644);
    const second = folder('second');
    fs.mkdirSync(path.join(second, 'dockside'));
    const third = folder('third');
    const expected = file(third, 'dockside');
    const fourth = folder('fourth');
    file(fourth, 'dockside');
    const r = resolve({ env: { PATH: ['', first, second, folder('none'), third, fourth].join(':') } });
    assert.deepEqual(found(r), { path: expected, source: 'path' });
  });

  it('names the setting when nothing is found', () => {
    const message = failure(resolve({ env: { PATH: folder('none') } }));
    assert.match(message, /`dockside` binary was not found/);
    assert.match(message, /not on PATH/);
    assert.match(message, /`dockside\.path`/);
    assert.match(message, /cargo install/);
    assert.ok(!resolve({ env: {} }).ok, 'no PATH at all');
  });
});

describe('the dockside.path setting', () => {
  it('does not fall back when it points at a missing file, and says so', () => {
    const extension = folder('extension');
    file(extension, 'bin/dockside');
    const missing = path.join(folder('custom'), 'nope');
    const message = failure(resolve({ configuredPath: missing, extensionPath: extension }));
    assert.equal(message, `Dockside: \`dockside.path\` is "${missing}", which does not exist.`);
  });

  it('rejects a file that is not executable', modes, () => {
    const plain = file(folder('custom'), 'dockside', 0o644);
    const message = failure(resolve({ configuredPath: plain }));
    assert.equal(message, `Dockside: \`dockside.path\` is "${plain}", which is not an executable file.`);
  });

  it('resolves a relative path from the first workspace folder', () => {
    const workspace = folder('workspace');
    const expected = file(workspace, 'tools/dockside');
    const r = resolve({ configuredPath: './tools/dockside', workspaceFolders: [workspace, folder('other')] });
    assert.deepEqual(found(r), { path: expected, source: 'setting' });
    const message = failure(resolve({ configuredPath: 'tools/dockside' }));
    assert.match(message, /relative path "tools\/dockside", but no folder is open/);
  });

  it('expands ~, ${userHome} and ${workspaceFolder}', () => {
    const home = folder('home');
    const inHome = file(home, '.cargo/bin/dockside');
    assert.deepEqual(found(resolve({ configuredPath: '~/.cargo/bin/dockside', homeDir: home })), {
      path: inHome,
      source: 'setting',
    });
    assert.equal(found(resolve({ configuredPath: '${userHome}/.cargo/bin/dockside', homeDir: home })).path, inHome);
    const workspace = folder('workspace');
    const inWorkspace = file(workspace, 'target/release/dockside');
    const r = resolve({ configuredPath: '${workspaceFolder}/target/release/dockside', workspaceFolders: [workspace] });
    assert.equal(found(r).path, inWorkspace);
    const message = failure(resolve({ configuredPath: '${workspaceFolder}/dockside' }));
    assert.match(message, /`dockside\.path` uses \$\{workspaceFolder\}, but no folder is open/);
  });

  it('looks a bare command name up on PATH', () => {
    const onPath = folder('path');
    const expected = file(onPath, 'dockside-nightly');
    const r = resolve({ configuredPath: 'dockside-nightly', env: { PATH: onPath } });
    assert.deepEqual(found(r), { path: expected, source: 'setting' });
    const message = failure(resolve({ configuredPath: 'dockside-beta', env: { PATH: onPath } }));
    assert.match(message, /`dockside\.path` is "dockside-beta", but no executable of that name is on PATH/);
  });
});

describe('Windows', () => {
  it('bundles bin/dockside.exe', () => {
    const extension = folder('extension');
    file(extension, 'bin/dockside');
    const bundled = file(extension, 'bin/dockside.exe', 0o644);
    const r = resolve({ platform: 'win32', extensionPath: extension });
    assert.deepEqual(found(r), { path: bundled, source: 'bundled' });
  });

  it('reads Path case-insensitively, splits it on ; and tries PATHEXT', () => {
    const first = folder('first');
    file(first, 'dockside');
    const second = folder('second');
    const expected = file(second, 'dockside.cmd', 0o644);
    const env = { Path: `"${first}";${second}`, PATHEXT: '.EXE;.CMD' };
    const r = resolve({ platform: 'win32', env });
    assert.deepEqual(found(r), { path: expected, source: 'path' });
  });

  it('adds .exe to a configured path without an extension', () => {
    const dir = folder('custom');
    const expected = file(dir, 'dockside.exe', 0o644);
    const r = resolve({ platform: 'win32', configuredPath: path.join(dir, 'dockside') });
    assert.deepEqual(found(r), { path: expected, source: 'setting' });
  });
});
