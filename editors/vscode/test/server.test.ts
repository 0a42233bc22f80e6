// The extension's side of the protocol against the real `dockside lsp`: the settings it
// sends as initializationOptions and on change, the documents its selector sends, and
// the fix-all code action its command runs. Needs a built dockside (DOCKSIDE_BINARY, or
// target/release or target/debug of the repository); skipped without one unless
// DOCKSIDE_REQUIRE_SERVER=1.

import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';

import {
  type CodeAction,
  type Command,
  createMessageConnection,
  type Diagnostic,
  type MessageConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
  StreamMessageReader,
  StreamMessageWriter,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';

import { didChangeConfigurationParams, initializationOptions } from '../src/settings';
import { documentSelector, isComposeFileName } from '../src/selector';

const repo = path.join(__dirname, '..', '..', '..', '..');

function findBinary(): string | undefined {
  const candidates = [
    process.env.DOCKSIDE_BINARY,
    path.join(repo, 'target', 'release', 'dockside'),
    path.join(repo, 'target', 'debug', 'dockside'),
  ];
  return candidates.find((c): c is string => c !== undefined && c !== '' && fs.existsSync(c));
}

const binary = findBinary();
if (binary === undefined && process.env.DOCKSIDE_REQUIRE_SERVER === '1') {
  throw new Error('DOCKSIDE_REQUIRE_SERVER=1 but no dockside binary: set DOCKSIDE_BINARY or build it');
}

const DOCKERFILE = 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\nCMD python app.py\n';
const COMPOSE = 'version: "3.8"\nservices:\n  web:\n    image: nginx\n';

function reader(values: Record<string, unknown>): (key: string) => unknown {
  return (key) => values[key];
}

/** Applies non-overlapping LSP edits (UTF-16 positions) to `text`. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (line: number, character: number) =>
    lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + character;
  const sorted = [...edits].sort(
    (a, b) => offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character),
  );
  let out = text;
  for (const edit of sorted) {
    const start = offset(edit.range.start.line, edit.range.start.character);
    const end = offset(edit.range.end.line, edit.range.end.character);
    out = out.slice(0, start) + edit.newText + out.slice(end);
  }
  return out;
}

describe('dockside lsp with what the extension sends', { skip: binary === undefined && 'no dockside binary' }, () => {
  let dir: string;
  let server: ChildProcess;
  let connection: MessageConnection;
  const diagnostics = new Map<string, Diagnostic[]>();
  const messages: ShowMessageParams[] = [];
  let waiters: (() => void)[] = [];
  let dockerfileUri: string;
  let composeUri: string;

  function notify(): void {
    const current = waiters;
    waiters = [];
    current.forEach((w) => w());
  }

  /** Waits until `check` holds, re-checking on each message from the server. */
  async function until(what: string, check: () => boolean, timeoutMs = 15000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = JSON.stringify(Object.fromEntries(diagnostics), null, 1);
        throw new Error(`timed out waiting for ${what}; diagnostics: ${seen}; messages: ${JSON.stringify(messages)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  const rules = (uri: string) =>
    (diagnostics.get(uri) ?? []).map((d) => String(d.code)).sort();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockside-vscode-lsp-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
    dockerfileUri = pathToFileURL(path.join(dir, 'Dockerfile')).href;
    composeUri = pathToFileURL(path.join(dir, 'compose.yaml')).href;
    server = spawn(binary as string, ['lsp'], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
    connection = createMessageConnection(
      new StreamMessageReader(server.stdout!),
      new StreamMessageWriter(server.stdin!),
    );
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      diagnostics.set(params.uri, params.diagnostics);
      notify();
    });
    connection.onNotification('window/showMessage', (params: ShowMessageParams) => {
      messages.push(params);
      notify();
    });
    connection.onNotification('window/logMessage', () => undefined);
    connection.listen();
    const settings = reader({
      enable: true,
      path: '/not/sent',
      ignore: ['DL3059'],
      severity: { 'apt-update-alone': 'error' },
    });
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      capabilities: { textDocument: { publishDiagnostics: {} } },
      initializationOptions: initializationOptions(settings),
    });
    await connection.sendNotification('initialized', {});
  });

  after(async () => {
    if (connection !== undefined) {
      await connection.sendRequest('shutdown').catch(() => undefined);
      await connection.sendNotification('exit').catch(() => undefined);
      connection.dispose();
    }
    server?.kill();
    if (dir !== undefined) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies the initial settings: an alias ignored, a severity raised', async () => {
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: dockerfileUri, languageId: 'dockerfile', version: 1, text: DOCKERFILE },
    });
    await until('Dockerfile diagnostics', () => diagnostics.has(dockerfileUri));
    assert.deepEqual(rules(dockerfileUri), ['apt-update-alone', 'shell-form-entrypoint']);
    const raised = diagnostics.get(dockerfileUri)!.find((d) => d.code === 'apt-update-alone');
    assert.equal(raised?.severity, 1, 'error');
    assert.deepEqual(messages, []);
  });

  it('takes new settings through workspace/didChangeConfiguration', async () => {
    await connection.sendNotification(
      'workspace/didChangeConfiguration',
      didChangeConfigurationParams(reader({ select: ['DF101'] })),
    );
    await until('only merge-consecutive-runs', () => rules(dockerfileUri).join() === 'merge-consecutive-runs');
  });

  it('reports a rule it does not know in a warning', async () => {
    await connection.sendNotification(
      'workspace/didChangeConfiguration',
      didChangeConfigurationParams(reader({ select: ['DF101'], ignore: ['no-such-rule'] })),
    );
    await until('a warning', () => messages.length > 0);
    assert.equal(messages[0].type, 2);
    assert.match(messages[0].message, /no-such-rule/);
  });

  it('answers the code action the Fix all command asks for', async () => {
    const lines = DOCKERFILE.split('\n');
    const actions = (await connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: dockerfileUri },
      range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.dockside'], triggerKind: 1 },
    })) as (CodeAction | Command)[] | null;
    assert.ok(actions !== null);
    assert.equal(actions.length, 1, JSON.stringify(actions));
    const action = actions[0] as CodeAction;
    assert.equal(action.kind, 'source.fixAll.dockside');
    const edits = action.edit?.changes?.[dockerfileUri] ??
      action.edit?.documentChanges?.flatMap((c) => ('edits' in c && c.textDocument.uri === dockerfileUri ? c.edits : []));
    assert.ok(edits !== undefined && edits.length > 0, JSON.stringify(action.edit));
    const fixed = applyEdits(DOCKERFILE, edits as TextEdit[]);
    assert.equal(fixed.match(/^RUN /gm)?.length, 1, fixed);
    assert.match(fixed, /apt-get update && \\\n\s+apt-get install -y --no-install-recommends curl/);
  });

  it('lints a YAML document the selector sends as a Compose file', async () => {
    assert.ok(isComposeFileName(composeUri));
    assert.ok(documentSelector().some((f) => f.language === 'yaml' && f.pattern !== undefined));
    await connection.sendNotification(
      'workspace/didChangeConfiguration',
      didChangeConfigurationParams(reader({})),
    );
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: composeUri, languageId: 'yaml', version: 1, text: COMPOSE },
    });
    await until('Compose diagnostics', () => rules(composeUri).length > 0);
    assert.deepEqual(rules(composeUri), ['image-tag', 'obsolete-version']);
  });
});
