// Which `dockside` binary the extension runs: the `dockside.path` setting, else the
// binary bundled in the extension's `bin/` folder, else `dockside` on PATH.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type BinarySource = 'setting' | 'bundled' | 'path';

export type Resolution =
  | { ok: true; path: string; source: BinarySource }
  | { ok: false; message: string };

export interface ResolveOptions {
  /** The `dockside.path` setting as the user wrote it. */
  configuredPath: string | undefined;
  /** The folder the extension is installed in. */
  extensionPath: string;
  /** Folders of the open workspace, first one first. */
  workspaceFolders: readonly string[];
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  homeDir?: string;
}

export const SETTING = 'dockside.path';

export function binaryName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'dockside.exe' : 'dockside';
}

export function bundledBinaryPath(extensionPath: string, platform: NodeJS.Platform): string {
  return path.join(extensionPath, 'bin', binaryName(platform));
}

export function describeSource(source: BinarySource): string {
  switch (source) {
    case 'setting':
      return `from the \`${SETTING}\` setting`;
    case 'bundled':
      return 'bundled with the extension';
    case 'path':
      return 'found on PATH';
  }
}

export function resolveServerBinary(options: ResolveOptions): Resolution {
  const configured = options.configuredPath?.trim() ?? '';
  if (configured !== '') {
    return resolveConfigured(configured, options);
  }
  const bundled = bundledBinaryPath(options.extensionPath, options.platform);
  if (isExecutable(bundled, options.platform)) {
    return { ok: true, path: bundled, source: 'bundled' };
  }
  const onPath = searchPath('dockside', options.env, options.platform);
  if (onPath !== undefined) {
    return { ok: true, path: onPath, source: 'path' };
  }
  return {
    ok: false,
    message:
      'Dockside: the `dockside` binary was not found: this extension has no bundled binary for ' +
      `${options.platform}-${process.arch} and \`dockside\` is not on PATH. Install it ` +
      '(`cargo install --path crates/dockside` from a clone of the dockside repository) or set ' +
      `\`${SETTING}\` to its location.`,
  };
}

function resolveConfigured(configured: string, options: ResolveOptions): Resolution {
  const expanded = expandVariables(configured, options);
  if (!expanded.ok) {
    return expanded;
  }
  const value = expanded.value;
  const hasSeparator = value.includes('/') || (options.platform === 'win32' && value.includes('\\'));
  if (!hasSeparator) {
    const found = searchPath(value, options.env, options.platform);
    if (found !== undefined) {
      return { ok: true, path: found, source: 'setting' };
    }
    return {
      ok: false,
      message: `Dockside: \`${SETTING}\` is "${configured}", but no executable of that name is on PATH.`,
    };
  }
  let resolved = value;
  if (!path.isAbsolute(resolved)) {
    const base = options.workspaceFolders[0];
    if (base === undefined) {
      return {
        ok: false,
        message:
          `Dockside: \`${SETTING}\` is the relative path "${configured}", but no folder is open ` +
          'to resolve it from: use an absolute path.',
      };
    }
    resolved = path.resolve(base, resolved);
  }
  if (isExecutable(resolved, options.platform)) {
    return { ok: true, path: resolved, source: 'setting' };
  }
  if (options.platform === 'win32' && !/\.[^\\/.]+$/.test(resolved) && isExecutable(`${resolved}.exe`, options.platform)) {
    return { ok: true, path: `${resolved}.exe`, source: 'setting' };
  }
  const where = resolved === configured ? '' : ` (${resolved})`;
  const why = fs.existsSync(resolved) ? 'is not an executable file' : 'does not exist';
  return {
    ok: false,
    message: `Dockside: \`${SETTING}\` is "${configured}"${where}, which ${why}.`,
  };
}

function expandVariables(
  value: string,
  options: ResolveOptions,
): { ok: true; value: string } | { ok: false; message: string } {
  const home = options.homeDir ?? os.homedir();
  let out = value;
  if (out === '~' || out.startsWith('~/') || (options.platform === 'win32' && out.startsWith('~\\'))) {
    out = home + out.slice(1);
  }
  let missing: string | undefined;
  out = out.replace(/\$\{(workspaceFolder|userHome)\}/g, (_, name: string) => {
    if (name === 'userHome') {
      return home;
    }
    const folder = options.workspaceFolders[0];
    if (folder === undefined) {
      missing = name;
      return '';
    }
    return folder;
  });
  if (missing !== undefined) {
    return {
      ok: false,
      message: `Dockside: \`${SETTING}\` uses \${${missing}}, but no folder is open.`,
    };
  }
  return { ok: true, value: out };
}

/** The first executable called `name` in the PATH of `env`. */
export function searchPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const pathVar = envValue(env, 'PATH', platform);
  if (!pathVar) {
    return undefined;
  }
  const delimiter = platform === 'win32' ? ';' : ':';
  const candidates = [name];
  if (platform === 'win32' && !/\.[^\\/.]+$/.test(name)) {
    const exts = (envValue(env, 'PATHEXT', platform) ?? '.COM;.EXE;.BAT;.CMD')
      .split(';')
      .map((e) => e.trim())
      .filter((e) => e !== '');
    candidates.splice(0, 1, ...exts.map((e) => name + e.toLowerCase()));
  }
  for (const dir of pathVar.split(delimiter)) {
    // Quoted entries are legal in a Windows PATH.
    const folder = dir.trim().replace(/^"(.*)"$/, '$1');
    if (folder === '') {
      continue;
    }
    for (const candidate of candidates) {
      const full = path.join(folder, candidate);
      if (isExecutable(full, platform)) {
        return full;
      }
    }
  }
  return undefined;
}

function envValue(env: NodeJS.ProcessEnv, key: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') {
    return env[key];
  }
  // Windows environment names are case-insensitive (`Path` is common).
  const found = Object.keys(env).find((k) => k.toUpperCase() === key);
  return found === undefined ? undefined : env[found];
}

function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}
