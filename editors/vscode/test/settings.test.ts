import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import {
  affectsServer,
  didChangeConfigurationParams,
  initializationOptions,
  needsRestart,
  SERVER_KEYS,
  serverSettings,
} from '../src/settings';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
const properties: Record<string, { default?: unknown; additionalProperties?: { enum?: string[] } }> =
  manifest.contributes.configuration.properties;

function reader(values: Record<string, unknown>): (key: string) => unknown {
  return (key) => values[key];
}

describe('settings passed to the server', () => {
  it('are empty overrides by default', () => {
    assert.deepEqual(serverSettings(reader({})), { select: [], ignore: [], severity: {} });
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(properties)) {
      defaults[key.replace(/^dockside\./, '')] = schema.default;
    }
    assert.deepEqual(serverSettings(reader(defaults)), { select: [], ignore: [], severity: {} });
  });

  it('leave out what only the client reads', () => {
    const settings = serverSettings(
      reader({ enable: false, path: '/opt/dockside', 'trace.server': 'verbose', select: ['DF101'] }),
    );
    assert.deepEqual(Object.keys(settings).sort(), ['ignore', 'select', 'severity']);
    assert.deepEqual(settings.select, ['DF101']);
  });

  it('trim, split on commas and deduplicate rule lists', () => {
    const settings = serverSettings(
      reader({ select: [' DF101 ', 'DL3059,merge-consecutive-runs', '', 'DF101'], ignore: 'DF201, DF103' }),
    );
    assert.deepEqual(settings.select, ['DF101', 'DL3059', 'merge-consecutive-runs']);
    assert.deepEqual(settings.ignore, ['DF201', 'DF103']);
  });

  it('pass entries of the wrong type on for the server to report', () => {
    const settings = serverSettings(reader({ select: ['DF101', 3], ignore: true, severity: ['DF101'] }));
    assert.deepEqual(settings.select, ['DF101', 3]);
    assert.equal(settings.ignore, true);
    assert.deepEqual(settings.severity, ['DF101']);
  });

  it('normalise severity levels', () => {
    const settings = serverSettings(reader({ severity: { ' DL3059 ': ' Info ', all: 'OFF', DF101: 2, '': 'error' } }));
    assert.deepEqual(settings.severity, { DL3059: 'info', all: 'off', DF101: 2 });
  });

  it('go under the `dockside` key in initializationOptions and didChangeConfiguration', () => {
    const values = reader({ select: ['DF101'], ignore: ['DF201'], severity: { DF103: 'error' } });
    const expected = { select: ['DF101'], ignore: ['DF201'], severity: { DF103: 'error' } };
    assert.deepEqual(initializationOptions(values), { dockside: expected });
    assert.deepEqual(didChangeConfigurationParams(values), { settings: { dockside: expected } });
  });
});

describe('configuration changes', () => {
  const only = (changed: string) => (section: string) => section === changed || changed.startsWith(`${section}.`);

  it('restart the server for enable and path', () => {
    assert.ok(needsRestart(only('dockside.enable')));
    assert.ok(needsRestart(only('dockside.path')));
    assert.ok(!needsRestart(only('dockside.select')));
    assert.ok(!needsRestart(only('dockside.trace.server')));
  });

  it('are sent to the server for select, ignore and severity', () => {
    for (const key of ['dockside.select', 'dockside.ignore', 'dockside.severity']) {
      assert.ok(affectsServer(only(key)), key);
    }
    assert.ok(!affectsServer(only('dockside.trace.server')));
    assert.ok(!affectsServer(only('editor.tabSize')));
  });
});

describe('package.json', () => {
  it('contributes exactly the client settings and the server settings', () => {
    const client = ['dockside.enable', 'dockside.path', 'dockside.trace.server'];
    const server = SERVER_KEYS.map((k) => `dockside.${k}`);
    assert.deepEqual(Object.keys(properties).sort(), [...client, ...server].sort());
  });

  it('offers the severity levels the server accepts', () => {
    assert.deepEqual(properties['dockside.severity'].additionalProperties?.enum, [
      'error',
      'warning',
      'info',
      'style',
      'off',
    ]);
  });

  it('keeps dockside.path out of untrusted workspaces', () => {
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['dockside.path']);
  });
});

// The server's side of the contract, when this extension is built inside the dockside repository.
const serverSource = path.join(__dirname, '..', '..', '..', '..', 'crates', 'dockside_lsp', 'src', 'settings.rs');

describe('the language server', { skip: !fs.existsSync(serverSource) && 'not inside the dockside repository' }, () => {
  it('reads the keys this extension sends', () => {
    const source = fs.readFileSync(serverSource, 'utf8');
    const keys = [...source.matchAll(/value\.get\("([A-Za-z.]+)"\)/g)].map((m) => m[1]);
    const read = keys.filter((k) => k !== 'settings' && k !== 'dockside');
    assert.deepEqual([...new Set(read)].sort(), [...SERVER_KEYS].sort());
    assert.match(source, /expected one of: error, warning, info, style, off/);
  });
});
