import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

import { describeSource, resolveServerBinary, SETTING } from './binary';
import { skipsFeature } from './features';
import { didChangeConfigurationParams, initializationOptions, needsRestart, affectsServer, serverSettings } from './settings';
import { documentSelector } from './selector';

const CLIENT_ID = 'dockside';
const CLIENT_NAME = 'Dockside';
const FIX_ALL_KIND = 'source.fixAll.dockside';

/**
 * The server pushes its diagnostics (also into files it was not asked about, such as
 * an entrypoint script) and answers pulls too; VS Code would show both, so this
 * client only takes the pushed ones.
 */
class DocksideLanguageClient extends LanguageClient {
  override registerFeature(feature: Parameters<LanguageClient['registerFeature']>[0]): void {
    if (!skipsFeature(feature)) {
      super.registerFeature(feature);
    }
  }
}

class Server implements vscode.Disposable {
  private client: LanguageClient | undefined;
  /** Whether the server was asked to start: it is not before a Dockerfile or Compose file opens. */
  private wanted = false;
  /** The start, stop or restart under way; the next one waits for it. */
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
  ) {}

  start(): Promise<void> {
    this.wanted = true;
    return this.enqueue(() => this.doStart());
  }

  /** Restarts a server that was asked to start; leaves one that was not alone. */
  restartIfWanted(): Promise<void> {
    return this.wanted ? this.restart() : Promise.resolve();
  }

  restart(): Promise<void> {
    this.wanted = true;
    return this.enqueue(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  /** The running client, once any start under way has finished. */
  async running(): Promise<LanguageClient | undefined> {
    await this.pending;
    return this.client?.isRunning() ? this.client : undefined;
  }

  async sendSettings(): Promise<void> {
    const client = await this.running();
    if (client === undefined) {
      return;
    }
    const params = didChangeConfigurationParams(reader());
    await client.sendNotification(DidChangeConfigurationNotification.type, params);
  }

  dispose(): void {
    void this.stop();
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.pending.then(step, step);
    this.pending = next.catch(() => undefined);
    return next;
  }

  private async doStart(): Promise<void> {
    if (this.client !== undefined) {
      return;
    }
    const config = vscode.workspace.getConfiguration('dockside');
    if (!config.get<boolean>('enable', true)) {
      this.output.appendLine('`dockside.enable` is off: the language server is not started.');
      return;
    }
    const resolution = resolveServerBinary({
      configuredPath: config.get<string>('path'),
      extensionPath: this.context.extensionPath,
      workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
      platform: process.platform,
      env: process.env,
    });
    if (!resolution.ok) {
      this.output.appendLine(resolution.message);
      void showBinaryError(resolution.message);
      return;
    }
    this.output.appendLine(`Starting ${resolution.path} lsp (${describeSource(resolution.source)}).`);
    const serverOptions: ServerOptions = {
      command: resolution.path,
      args: ['lsp'],
      transport: TransportKind.stdio,
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: documentSelector(),
      diagnosticCollectionName: CLIENT_ID,
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: initializationOptions(reader()),
      middleware: {
        workspace: {
          // The server asks for the `dockside` section: answer with the settings it reads.
          configuration: async (params, token, next) => {
            const values = await next(params, token);
            if (!Array.isArray(values)) {
              return values;
            }
            return params.items.map((item, i) =>
              item.section === 'dockside' ? serverSettings(reader(item.scopeUri)) : values[i],
            );
          },
        },
      },
    };
    const client = new DocksideLanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    try {
      await client.start();
      this.client = client;
    } catch (error) {
      const message = `Dockside: the language server (${resolution.path}) failed to start: ${errorText(error)}`;
      this.output.appendLine(message);
      void vscode.window.showErrorMessage(message, 'Show Output').then((choice) => {
        if (choice !== undefined) {
          this.output.show(true);
        }
      });
      await client.dispose().catch(() => undefined);
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) {
      return;
    }
    try {
      if (client.needsStop()) {
        await client.stop(2000);
      }
    } catch (error) {
      this.output.appendLine(`Stopping the language server: ${errorText(error)}`);
    }
  }
}

function reader(scopeUri?: string): (key: string) => unknown {
  const scope = scopeUri === undefined ? undefined : vscode.Uri.parse(scopeUri);
  const config = vscode.workspace.getConfiguration('dockside', scope);
  return (key) => config.get(key);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function showBinaryError(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Open Settings');
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', SETTING);
  }
}

async function fixAll(server: Server): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    void vscode.window.showInformationMessage('Dockside: open a Dockerfile or Compose file to fix.');
    return;
  }
  const document = editor.document;
  const name = vscode.workspace.asRelativePath(document.uri);
  if (vscode.languages.match(documentSelector(), document) === 0) {
    void vscode.window.showInformationMessage(`Dockside: ${name} is not a Dockerfile or Compose file.`);
    return;
  }
  if ((await server.running()) === undefined) {
    void vscode.window.showWarningMessage(
      'Dockside: the language server is not running (see `dockside.enable`, `dockside.path` and the Dockside output).',
    );
    return;
  }
  const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
  const actions =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[] | undefined>(
      'vscode.executeCodeActionProvider',
      document.uri,
      whole,
      FIX_ALL_KIND,
    )) ?? [];
  const action = actions.find(
    (a): a is vscode.CodeAction => typeof a.command !== 'string' && (a as vscode.CodeAction).kind?.value === FIX_ALL_KIND,
  );
  if (action === undefined) {
    void vscode.window.showInformationMessage(`Dockside: no auto-fixable problems in ${name}.`);
    return;
  }
  if (action.edit !== undefined && !(await vscode.workspace.applyEdit(action.edit))) {
    void vscode.window.showErrorMessage(`Dockside: the fixes could not be applied to ${name} (was it changed meanwhile?).`);
    return;
  }
  if (action.command !== undefined) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
}

let server: Server | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(CLIENT_NAME);
  const current = new Server(context, output);
  server = current;
  context.subscriptions.push(
    output,
    current,
    vscode.commands.registerCommand('dockside.fixAll', () => fixAll(current)),
    vscode.commands.registerCommand('dockside.restartServer', () => current.restart()),
    vscode.commands.registerCommand('dockside.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      const affects = (section: string) => event.affectsConfiguration(section);
      if (needsRestart(affects)) {
        void current.restartIfWanted();
      } else if (affectsServer(affects)) {
        void current.sendSettings();
      }
    }),
    // A trusted workspace may now set `dockside.path`.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      const path = vscode.workspace.getConfiguration('dockside').inspect<string>('path');
      if (path?.workspaceValue !== undefined || path?.workspaceFolderValue !== undefined) {
        void current.restartIfWanted();
      }
    }),
  );
  // Activation also comes with any YAML file: start the server with the first document it serves.
  const serves = (document: vscode.TextDocument) => vscode.languages.match(documentSelector(), document) > 0;
  if (vscode.workspace.textDocuments.some(serves)) {
    await current.start();
    return;
  }
  const opened = vscode.workspace.onDidOpenTextDocument((document) => {
    if (serves(document)) {
      opened.dispose();
      void current.start();
    }
  });
  context.subscriptions.push(opened);
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
