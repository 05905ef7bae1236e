// guardline for VS Code: starts `guardline serve`, forwards settings, shades AI-written code, shows the
// workspace summary and presents the server commands (explain, duplicates, report).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
import { findServer, INSTALL_COMMAND } from './discovery';
import { OriginRange, OriginsResult, planShading, rangesAtLine, hoverMarkdown } from './origins';
import { ConfigTree, explicitValues, settingsToConfig } from './settings';
import { formatSummary, Summary, summaryFromCounts } from './summary';

export const LANGUAGES = ['python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'go',
  'java', 'rust', 'c', 'cpp', 'csharp', 'ruby', 'php'] as const;
const SELECTOR = LANGUAGES.map((language) => ({ scheme: 'file', language }));
const DOCS_URL = 'https://github.com/guardline-dev/guardline/tree/main/docs';
const EXPLAIN_SCHEME = 'guardline-explain';
const ORIGINS_DEBOUNCE_MS = 400;

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
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isMethodNotFound(e: unknown): boolean {
  return e instanceof ResponseError && e.code === -32601;
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
  private readonly summaryItem: vscode.StatusBarItem;
  private readonly shadingItem: vscode.StatusBarItem;
  private readonly faint: vscode.TextEditorDecorationType;
  private readonly strong: vscode.TextEditorDecorationType;
  private readonly origins = new Map<string, OriginRange[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly explainDocs = new Map<string, string>();
  private readonly explainChanged = new vscode.EventEmitter<vscode.Uri>();
  private serverHasOrigins = true;
  private serverHasSummary = true;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('guardline');
    this.summaryItem = vscode.window.createStatusBarItem('guardline.summary', vscode.StatusBarAlignment.Left, 50);
    this.summaryItem.name = 'guardline summary';
    this.summaryItem.command = 'guardline.openQualityReport';
    this.shadingItem = vscode.window.createStatusBarItem('guardline.aiShading', vscode.StatusBarAlignment.Left, 49);
    this.shadingItem.name = 'guardline AI shading';
    this.shadingItem.command = 'guardline.toggleAiShading';
    const icon = (name: string) => vscode.Uri.joinPath(context.extensionUri, 'images', name);
    this.faint = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: 'rgba(140, 90, 230, 0.07)',
      gutterIconPath: icon('ai-gutter.svg'),
      gutterIconSize: 'contain',
      overviewRulerColor: 'rgba(140, 90, 230, 0.5)',
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
    this.strong = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: 'rgba(220, 70, 160, 0.16)',
      gutterIconPath: icon('ai-gutter-exceeds.svg'),
      gutterIconSize: 'contain',
      overviewRulerColor: 'rgba(220, 70, 160, 0.9)',
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
    context.subscriptions.push(this.log, this.summaryItem, this.shadingItem, this.faint, this.strong, this.explainChanged);
  }

  private get shadingEnabled(): boolean {
    return vscode.workspace.getConfiguration('guardline').get<boolean>('aiShading.enabled', true);
  }

  async start(): Promise<void> {
    this.registerCommands();
    this.registerListeners();
    this.updateShadingItem();
    this.summaryItem.text = '$(shield) guardline';
    this.summaryItem.tooltip = 'guardline: starting';
    this.summaryItem.show();
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
    }, isExecutable);
    if (!found.found) {
      this.log.appendLine(`${found.reason}\nTried:\n${found.tried.map((c) => `  ${c.path} (${c.source})`).join('\n')}`);
      this.setSummaryError('guardline server not found');
      void this.notifyMissing(found.reason);
      return;
    }
    const command = found.candidate.path;
    this.log.appendLine(`starting ${command} serve (from ${found.candidate.source})`);
    const serverOptions: ServerOptions = { command, args: ['serve'], transport: TransportKind.stdio,
      options: { cwd: folders[0] } };
    const clientOptions: LanguageClientOptions = {
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
            await this.commandFailed(cmd, e);
            return undefined;
          }
          await this.presentCommandResult(cmd, result);
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
    const client = new LanguageClient('guardline', 'guardline', serverOptions, clientOptions);
    this.client = client;
    this.serverHasOrigins = true;
    this.serverHasSummary = true;
    client.onNotification('guardline/summaryChanged', (s: Summary) => this.showSummary(s));
    client.onDidChangeState((e) => {
      if (e.newState === State.Stopped) this.setSummaryError('guardline server stopped');
      // on start and after an automatic restart (crash): fetch the summary and the shading
      if (e.oldState === State.Starting && e.newState === State.Running && this.client === client) {
        void this.refreshSummary();
        for (const editor of vscode.window.visibleTextEditors) this.scheduleOrigins(editor.document, 0);
      }
    });
    try {
      await client.start();
    } catch (e) {
      this.client = undefined;
      this.log.appendLine(`failed to start ${command}: ${String(e)}`);
      this.setSummaryError('guardline server failed to start');
      void this.notifyMissing(`guardline (${command}) failed to start: ${String(e)}`);
      return;
    }
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
    this.origins.clear();
    this.applyShadingAll();
    await this.startClient();
  }

  private async notifyMissing(reason: string): Promise<void> {
    const open = 'Open setting';
    const copy = `Copy "${INSTALL_COMMAND}"`;
    const choice = await vscode.window.showErrorMessage(
      `${reason} Install it with: ${INSTALL_COMMAND}`, open, copy);
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

  // ---- commands ---------------------------------------------------------------------------------------

  private registerCommands(): void {
    const reg = (id: string, fn: (...args: unknown[]) => unknown) =>
      this.context.subscriptions.push(vscode.commands.registerCommand(id, fn));
    reg('guardline.restartServer', () => this.restart());
    reg('guardline.toggleAiShading', () => this.toggleShading());
    reg('guardline.openDocs', () => vscode.env.openExternal(vscode.Uri.parse(DOCS_URL)));
    reg('guardline.explainFunction', () => this.runOnCursor('guardline.explain'));
    reg('guardline.showDuplicatesOfFunction', () => this.runOnCursor('guardline.showDuplicates'));
    reg('guardline.openQualityReport', () => this.runServerCommand('guardline.openReport', []));
    reg('guardline.showOutput', () => this.log.show(true));
    this.context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, {
      onDidChange: this.explainChanged.event,
      provideTextDocumentContent: (uri) => this.explainDocs.get(uri.toString()) ?? '',
    }));
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
      if (command === 'guardline.openReport') return this.fallbackToProblems('the server is not running');
      void vscode.window.showWarningMessage('guardline: the server is not running (see the guardline output).');
      return;
    }
    try {
      await vscode.commands.executeCommand(command, ...args);
    } catch (e) {
      // the server failed or lacks the command (it is registered only when the server advertises it)
      await this.commandFailed(command, e);
    }
  }

  private async commandFailed(command: string, e: unknown): Promise<void> {
    const message = e instanceof Error ? e.message : String(e);
    this.log.appendLine(`${command} failed: ${message}`);
    if (command === 'guardline.openReport') return this.fallbackToProblems(message);
    void vscode.window.showWarningMessage(`guardline: ${message}`);
  }

  private async presentCommandResult(command: string, result: unknown): Promise<void> {
    const r = (result ?? {}) as Record<string, unknown>;
    if (command === 'guardline.explain') await this.showExplain(r);
    else if (command === 'guardline.showDuplicates') await this.showDuplicates(r);
    else if (command === 'guardline.openReport') await this.openReport(r);
  }

  private async showExplain(r: Record<string, unknown>): Promise<void> {
    const markdown = typeof r.markdown === 'string' ? r.markdown : '';
    if (!markdown) {
      void vscode.window.showInformationMessage('guardline: no function at this line.');
      return;
    }
    const name = typeof r.function === 'string' && r.function ? r.function : 'function';
    const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${name.replace(/[\\/]/g, '_')}.md` });
    this.explainDocs.set(uri.toString(), markdown);
    this.explainChanged.fire(uri);
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside, true);
    }
  }

  private async showDuplicates(r: Record<string, unknown>): Promise<void> {
    const raw = Array.isArray(r.locations) ? r.locations : [];
    const client = this.client;
    const editor = vscode.window.activeTextEditor;
    this.log.appendLine(`guardline.showDuplicates: ${raw.length} location(s)`);
    if (!raw.length || !client || !editor) {
      void vscode.window.showInformationMessage('guardline: no duplicates of this function were found.');
      return;
    }
    const locations = await Promise.all(raw.map((l) => client.protocol2CodeConverter.asLocation(l)));
    await vscode.commands.executeCommand('editor.action.peekLocations', editor.document.uri,
      editor.selection.active, locations, 'peek');
  }

  private async openReport(r: Record<string, unknown>): Promise<void> {
    const file = typeof r.path === 'string' ? r.path : '';
    if (!file || !fs.existsSync(file)) {
      const why = typeof r.reason === 'string' ? r.reason : typeof r.error === 'string' ? r.error : 'the report is unavailable';
      return this.fallbackToProblems(why);
    }
    const panel = vscode.window.createWebviewPanel('guardline.report', 'guardline report', vscode.ViewColumn.Active,
      { enableScripts: false, localResourceRoots: [vscode.Uri.file(path.dirname(file))] });
    panel.webview.html = fs.readFileSync(file, 'utf8');
    this.log.appendLine(`report: ${file}`);
  }

  private async fallbackToProblems(why: string): Promise<void> {
    this.log.appendLine(`report unavailable: ${why}`);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    void vscode.window.setStatusBarMessage(`guardline: report unavailable (${why}); showing Problems`, 5000);
  }

  // ---- summary ----------------------------------------------------------------------------------------

  private async refreshSummary(): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (!this.serverHasSummary) return this.summaryFromDiagnostics();
    try {
      this.showSummary(await client.sendRequest<Summary>('guardline/summary', {}));
    } catch (e) {
      if (isMethodNotFound(e)) {
        this.serverHasSummary = false;
        this.log.appendLine('server has no guardline/summary: the status bar counts open files\' diagnostics');
      } else {
        this.log.appendLine(`guardline/summary failed: ${String(e)}`);
      }
      this.summaryFromDiagnostics();
    }
  }

  private summaryFromDiagnostics(): void {
    const names = ['error', 'warning', 'info', 'hint'] as const;
    const counts: Summary['findings'] = { error: 0, warning: 0, info: 0, hint: 0 };
    let files = 0;
    for (const [, diags] of vscode.languages.getDiagnostics()) {
      const ours = diags.filter((d) => d.source === 'guardline');
      if (ours.length) files++;
      for (const d of ours) counts[names[d.severity]] = (counts[names[d.severity]] ?? 0) + 1;
    }
    this.showSummary(summaryFromCounts(files, counts));
  }

  private showSummary(s: Summary): void {
    const view = formatSummary(s);
    this.summaryItem.command = 'guardline.openQualityReport';
    this.summaryItem.text = view.text;
    this.summaryItem.tooltip = view.tooltip;
    this.summaryItem.backgroundColor = view.level === 'error'
      ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : view.level === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  private setSummaryError(text: string): void {
    this.summaryItem.text = '$(shield) guardline $(circle-slash)';
    this.summaryItem.tooltip = `${text}. Click for details.`;
    this.summaryItem.command = 'guardline.showOutput';
    this.summaryItem.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    this.summaryItem.show();
  }

  // ---- AI shading -------------------------------------------------------------------------------------

  private registerListeners(): void {
    const subs = this.context.subscriptions;
    subs.push(vscode.workspace.onDidOpenTextDocument((d) => this.scheduleOrigins(d, 0)));
    subs.push(vscode.workspace.onDidChangeTextDocument((e) => this.scheduleOrigins(e.document, ORIGINS_DEBOUNCE_MS)));
    subs.push(vscode.workspace.onDidCloseTextDocument((d) => this.origins.delete(d.uri.toString())));
    subs.push(vscode.window.onDidChangeVisibleTextEditors((eds) => {
      for (const ed of eds) {
        if (this.origins.has(ed.document.uri.toString())) this.applyShading(ed);
        else this.scheduleOrigins(ed.document, 0);
      }
    }));
    subs.push(vscode.languages.onDidChangeDiagnostics((e) => {
      for (const uri of e.uris) {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (doc) this.scheduleOrigins(doc, ORIGINS_DEBOUNCE_MS);
      }
      if (!this.serverHasSummary) this.summaryFromDiagnostics();
    }));
    subs.push(vscode.workspace.onDidChangeConfiguration((e) => this.onConfigChanged(e)));
    subs.push(vscode.languages.registerHoverProvider(SELECTOR, {
      provideHover: (doc, pos) => this.originHover(doc, pos),
    }));
  }

  private async onConfigChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!e.affectsConfiguration('guardline')) return;
    if (e.affectsConfiguration('guardline.aiShading.enabled')) {
      this.updateShadingItem();
      this.applyShadingAll();
    }
    if (e.affectsConfiguration('guardline.server.path')) {
      await this.restart();
      return;
    }
    if (this.client?.isRunning()) {
      await this.client.sendNotification(DidChangeConfigurationNotification.type,
        { settings: { guardline: this.serverSettings() } });
    }
  }

  private scheduleOrigins(doc: vscode.TextDocument, delay: number): void {
    if (doc.uri.scheme !== 'file' || !vscode.languages.match(SELECTOR, doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.fetchOrigins(doc);
    }, delay));
  }

  private async fetchOrigins(doc: vscode.TextDocument): Promise<void> {
    const client = this.client;
    if (!client || !client.isRunning() || !this.serverHasOrigins) return;
    try {
      const res = await client.sendRequest<OriginsResult | null>('guardline/origins',
        { textDocument: { uri: client.code2ProtocolConverter.asUri(doc.uri) } });
      this.origins.set(doc.uri.toString(), res?.ranges ?? []);
    } catch (e) {
      if (isMethodNotFound(e)) {
        this.serverHasOrigins = false;
        this.log.appendLine('server has no guardline/origins: AI shading is unavailable');
      } else {
        this.log.appendLine(`guardline/origins failed for ${doc.uri.fsPath}: ${String(e)}`);
      }
      return;
    }
    for (const ed of vscode.window.visibleTextEditors) {
      if (ed.document.uri.toString() === doc.uri.toString()) this.applyShading(ed);
    }
  }

  private applyShading(editor: vscode.TextEditor): void {
    const ranges = this.shadingEnabled ? this.origins.get(editor.document.uri.toString()) ?? [] : [];
    const plan = planShading(ranges, editor.document.lineCount);
    const toRanges = (pairs: Array<[number, number]>) =>
      pairs.map(([s, e]) => new vscode.Range(s, 0, e, 0));
    editor.setDecorations(this.faint, toRanges(plan.normal));
    editor.setDecorations(this.strong, toRanges(plan.exceeds));
  }

  private applyShadingAll(): void {
    for (const ed of vscode.window.visibleTextEditors) this.applyShading(ed);
  }

  private async toggleShading(): Promise<void> {
    const cfg = vscode.workspace.getConfiguration('guardline');
    await cfg.update('aiShading.enabled', !this.shadingEnabled, vscode.ConfigurationTarget.Global);
    this.updateShadingItem();
    this.applyShadingAll();
  }

  private updateShadingItem(): void {
    const on = this.shadingEnabled;
    this.shadingItem.text = on ? '$(eye) AI' : '$(eye-closed) AI';
    this.shadingItem.tooltip = on
      ? 'guardline: AI-written lines are shaded. Click to turn shading off.'
      : 'guardline: AI shading is off. Click to turn it on.';
    this.shadingItem.show();
  }

  private originHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    if (!this.shadingEnabled) return undefined;
    const hits = rangesAtLine(this.origins.get(doc.uri.toString()) ?? [], pos.line);
    if (!hits.length) return undefined;
    const md = new vscode.MarkdownString(hits.map(hoverMarkdown).join('\n\n---\n\n'));
    md.supportThemeIcons = true;
    return new vscode.Hover(md);
  }
}
