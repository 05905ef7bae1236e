// guardline for VS Code: finds and starts `guardline serve`, forwards the settings, and wires the AI shading,
// the status bar summary and the command presenter to the language client.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ResponseError,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { SELECTOR } from './common';
import { findServer, INSTALL_COMMAND } from './discovery';
import { CommandPresenter } from './presenter';
import { ConfigTree, explicitValues, settingsToConfig } from './settings';
import { AiShading } from './shading';
import { Summary } from './summary';
import { SummaryBar } from './summaryBar';

const DOCS_URL = 'https://github.com/guardline-dev/guardline/tree/main/docs';

let state: Extension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  state = new Extension(context);
  await state.start();
}

export async function deactivate(): Promise<void> {
  await state?.stopClient();
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The user's explicitly set `guardline.*` settings (not defaults), keyed without the prefix. */
function explicitSettings(context: vscode.ExtensionContext): Record<string, unknown> {
  const props = (context.extension.packageJSON?.contributes?.configuration?.properties ?? {}) as Record<string, unknown>;
  const cfg = vscode.workspace.getConfiguration('guardline');
  const names = Object.keys(props).map((full) => full.replace(/^guardline\./, ''));
  return explicitValues(names, (name) => cfg.inspect(name));
}

class Extension {
  private client: LanguageClient | undefined;
  private readonly log: vscode.OutputChannel;
  private readonly summary: SummaryBar;
  private readonly shading: AiShading;
  private readonly presenter: CommandPresenter;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('guardline');
    const clientRef = () => this.client;
    this.summary = new SummaryBar(clientRef, this.log);
    this.shading = new AiShading(context.extensionUri, clientRef, this.log);
    this.presenter = new CommandPresenter(clientRef, this.log);
    context.subscriptions.push(this.log, this.summary, this.shading, this.presenter);
  }

  async start(): Promise<void> {
    this.registerCommands();
    this.context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => this.onConfigChanged(e)));
    // Trust granted later: the workspace's own venv (and its guardline.server.path) may now be used.
    this.context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart()));
    await this.startClient();
  }

  // ---- server lifecycle -------------------------------------------------------------------------------

  private async startClient(): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const found = findServer({
      configuredPath: vscode.workspace.getConfiguration('guardline').get<string>('server.path', ''),
      workspaceFolders: folders,
      platform: process.platform,
      pathEnv: process.env.PATH ?? '',
      pathExt: process.env.PATHEXT,
      home: os.homedir(),
      trusted: vscode.workspace.isTrusted,
    }, isExecutable);
    if (!found.found) {
      this.log.appendLine(`${found.reason}\nTried:\n${found.tried.map((c) => `  ${c.path} (${c.source})`).join('\n')}`);
      this.summary.error('guardline server not found');
      void this.notifyMissing(found.reason);
      return;
    }
    const command = found.candidate.path;
    this.log.appendLine(`starting ${command} serve (from ${found.candidate.source})`);
    const serverOptions: ServerOptions = { command, args: ['serve'], transport: TransportKind.stdio,
      options: { cwd: folders[0] } };
    const client = new LanguageClient('guardline', 'guardline', serverOptions, this.clientOptions());
    this.client = client;
    client.onNotification('guardline/summaryChanged', (s: Summary) => this.summary.show(s));
    client.onDidChangeState((e) => {
      if (e.newState === State.Stopped) this.summary.error('guardline server stopped');
      // on start and after an automatic restart (crash): fetch the summary and the shading
      if (e.oldState === State.Starting && e.newState === State.Running && this.client === client) {
        void this.summary.serverStarted();
        this.shading.serverStarted();
      }
    });
    try {
      await client.start();
    } catch (e) {
      this.client = undefined;
      this.log.appendLine(`failed to start ${command}: ${String(e)}`);
      this.summary.error('guardline server failed to start');
      void this.notifyMissing(`guardline (${command}) failed to start: ${String(e)}`);
    }
  }

  private clientOptions(): LanguageClientOptions {
    return {
      documentSelector: SELECTOR,
      outputChannel: this.log,
      // failures are reported by this extension in context (e.g. report unavailable -> Problems), not as raw toasts
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: this.serverSettings(),
      middleware: {
        // every server command (code lens click, code action, our palette commands) is presented here
        executeCommand: async (cmd, args, next) => {
          let result: unknown;
          try {
            result = await next(cmd, args);
          } catch (e) {
            await this.presenter.failed(cmd, e);
            return undefined;
          }
          await this.presenter.present(cmd, result);
          return result;
        },
        workspace: {
          // the server asks for section `guardline`: answer in config-key shape, not VS Code's setting shape
          configuration: async (params, token, next) => {
            const base = await next(params, token);
            if (base instanceof ResponseError || !Array.isArray(base)) return base;
            return params.items.map((item, i) => (item.section === 'guardline' ? this.serverSettings() : base[i]));
          },
        },
      },
    };
  }

  async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try { await client.stop(2000); } catch (e) { this.log.appendLine(`stop: ${String(e)}`); }
    }
  }

  private async restart(): Promise<void> {
    await this.stopClient();
    this.shading.clear();
    await this.startClient();
  }

  private missingNotified = false;

  /** Once per window: the reason and the one install step that works (from the guardline repository). */
  private async notifyMissing(reason: string): Promise<void> {
    if (this.missingNotified) return;
    this.missingNotified = true;
    const open = 'Open setting';
    const copy = 'Copy install command';
    const choice = await vscode.window.showErrorMessage(
      `${reason} Install it from the guardline repository: ${INSTALL_COMMAND} (or pip install the wheel that make dist builds), then run "guardline: Restart Server"; or set guardline.server.path.`,
      open, copy);
    if (choice === open) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'guardline.server.path');
    } else if (choice === copy) {
      await vscode.env.clipboard.writeText(INSTALL_COMMAND);
    }
  }

  /** Settings forwarded to the server: config-key shape, only what the user set. */
  private serverSettings(): ConfigTree {
    return settingsToConfig(explicitSettings(this.context));
  }

  private async onConfigChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!e.affectsConfiguration('guardline')) return;
    if (e.affectsConfiguration('guardline.aiShading.enabled')) this.shading.settingChanged();
    if (e.affectsConfiguration('guardline.server.path')) {
      await this.restart();
      return;
    }
    if (this.client?.isRunning()) {
      await this.client.sendNotification(DidChangeConfigurationNotification.type,
        { settings: { guardline: this.serverSettings() } });
    }
  }

  // ---- commands ---------------------------------------------------------------------------------------

  private registerCommands(): void {
    const reg = (id: string, fn: (...args: unknown[]) => unknown) =>
      this.context.subscriptions.push(vscode.commands.registerCommand(id, fn));
    reg('guardline.restartServer', () => this.restart());
    reg('guardline.toggleAiShading', () => this.shading.toggle());
    reg('guardline.openDocs', () => vscode.env.openExternal(vscode.Uri.parse(DOCS_URL)));
    reg('guardline.explainFunction', () => this.runOnCursor('guardline.explain'));
    reg('guardline.showDuplicatesOfFunction', () => this.runOnCursor('guardline.showDuplicates'));
    reg('guardline.openQualityReport', () => this.runServerCommand('guardline.openReport', []));
    reg('guardline.showOutput', () => this.log.show(true));
  }

  private async runOnCursor(command: string): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('guardline: place the cursor inside a function first.');
      return;
    }
    await this.runServerCommand(command, [editor.document.uri.toString(), editor.selection.active.line]);
  }

  /** Runs a server command through the client; the executeCommand middleware presents the result. */
  private async runServerCommand(command: string, args: unknown[]): Promise<void> {
    if (!this.client || !this.client.isRunning()) {
      if (command === 'guardline.openReport') return this.presenter.problemsInstead('the server is not running');
      void vscode.window.showWarningMessage('guardline: the server is not running (see the guardline output).');
      return;
    }
    try {
      await vscode.commands.executeCommand(command, ...args);
    } catch (e) {
      // the server lacks the command (it is registered only when the server advertises it)
      await this.presenter.failed(command, e);
    }
  }
}
