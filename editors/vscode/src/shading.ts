// AI-region shading: asks the server for `guardline/origins`, draws a gutter mark and a background on
// AI-attributed lines (stronger when the function exceeds a limit), and hovers the origin evidence.
import * as vscode from 'vscode';
import { ClientRef, isMethodNotFound, SELECTOR } from './common';
import { hoverMarkdown, OriginRange, OriginsResult, planShading, rangesAtLine } from './origins';

const DEBOUNCE_MS = 400;

export class AiShading implements vscode.Disposable {
  private readonly faint: vscode.TextEditorDecorationType;
  private readonly strong: vscode.TextEditorDecorationType;
  private readonly item: vscode.StatusBarItem;
  private readonly origins = new Map<string, OriginRange[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subs: vscode.Disposable[] = [];
  private serverHasOrigins = true;

  constructor(extensionUri: vscode.Uri, private readonly client: ClientRef, private readonly log: vscode.OutputChannel) {
    const icon = (name: string) => vscode.Uri.joinPath(extensionUri, 'images', name);
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
    this.item = vscode.window.createStatusBarItem('guardline.aiShading', vscode.StatusBarAlignment.Left, 49);
    this.item.name = 'guardline AI shading';
    this.item.command = 'guardline.toggleAiShading';
    this.updateItem();
    this.listen();
  }

  get enabled(): boolean {
    return vscode.workspace.getConfiguration('guardline').get<boolean>('aiShading.enabled', true);
  }

  /** A (re)started server: forget what `guardline/origins` support we assumed and fetch for visible editors. */
  serverStarted(): void {
    this.serverHasOrigins = true;
    for (const editor of vscode.window.visibleTextEditors) this.schedule(editor.document, 0);
  }

  clear(): void {
    this.origins.clear();
    this.applyAll();
  }

  async toggle(): Promise<void> {
    await vscode.workspace.getConfiguration('guardline')
      .update('aiShading.enabled', !this.enabled, vscode.ConfigurationTarget.Global);
    this.settingChanged();
  }

  settingChanged(): void {
    this.updateItem();
    this.applyAll();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of [...this.subs, this.faint, this.strong, this.item]) d.dispose();
  }

  private listen(): void {
    this.subs.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => this.origins.delete(d.uri.toString())),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const ed of editors) {
          if (this.origins.has(ed.document.uri.toString())) this.apply(ed);
          else this.schedule(ed.document, 0);
        }
      }),
      // exceeds_limit depends on the metrics: re-ask when the diagnostics of an open document change
      vscode.languages.onDidChangeDiagnostics((e) => {
        for (const uri of e.uris) {
          const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
          if (doc) this.schedule(doc, DEBOUNCE_MS);
        }
      }),
      vscode.languages.registerHoverProvider(SELECTOR, { provideHover: (doc, pos) => this.hover(doc, pos) }),
    );
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (doc.uri.scheme !== 'file' || !vscode.languages.match(SELECTOR, doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.fetch(doc);
    }, delay));
  }

  private async fetch(doc: vscode.TextDocument): Promise<void> {
    const client = this.client();
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
      if (ed.document.uri.toString() === doc.uri.toString()) this.apply(ed);
    }
  }

  private apply(editor: vscode.TextEditor): void {
    const ranges = this.enabled ? this.origins.get(editor.document.uri.toString()) ?? [] : [];
    const plan = planShading(ranges, editor.document.lineCount);
    const toRanges = (pairs: Array<[number, number]>) => pairs.map(([s, e]) => new vscode.Range(s, 0, e, 0));
    editor.setDecorations(this.faint, toRanges(plan.normal));
    editor.setDecorations(this.strong, toRanges(plan.exceeds));
  }

  private applyAll(): void {
    for (const ed of vscode.window.visibleTextEditors) this.apply(ed);
  }

  private updateItem(): void {
    const on = this.enabled;
    this.item.text = on ? '$(eye) AI' : '$(eye-closed) AI';
    this.item.tooltip = on
      ? 'guardline: AI-written lines are shaded. Click to turn shading off.'
      : 'guardline: AI shading is off. Click to turn it on.';
    this.item.show();
  }

  private hover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    if (!this.enabled) return undefined;
    const hits = rangesAtLine(this.origins.get(doc.uri.toString()) ?? [], pos.line);
    if (!hits.length) return undefined;
    const md = new vscode.MarkdownString(hits.map(hoverMarkdown).join('\n\n---\n\n'));
    md.supportThemeIcons = true;
    return new vscode.Hover(md);
  }
}
