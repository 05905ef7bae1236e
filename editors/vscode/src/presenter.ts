// Presents the results of the server commands (docs/architecture.md, "Server commands"): explain -> markdown
// preview, showDuplicates -> peek view, openReport -> webview (or the Problems view when unavailable).
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { ClientRef } from './common';

const EXPLAIN_SCHEME = 'guardline-explain';

export class CommandPresenter implements vscode.Disposable {
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly provider: vscode.Disposable;

  constructor(private readonly client: ClientRef, private readonly log: vscode.OutputChannel) {
    this.provider = vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, {
      onDidChange: this.changed.event,
      provideTextDocumentContent: (uri) => this.docs.get(uri.toString()) ?? '',
    });
  }

  async present(command: string, result: unknown): Promise<void> {
    const r = (result ?? {}) as Record<string, unknown>;
    if (command === 'guardline.explain') await this.explain(r);
    else if (command === 'guardline.showDuplicates') await this.duplicates(r);
    else if (command === 'guardline.openReport') await this.report(r);
  }

  async failed(command: string, e: unknown): Promise<void> {
    const message = e instanceof Error ? e.message : String(e);
    this.log.appendLine(`${command} failed: ${message}`);
    if (command === 'guardline.openReport') return this.problemsInstead(message);
    void vscode.window.showWarningMessage(`guardline: ${message}`);
  }

  async problemsInstead(why: string): Promise<void> {
    this.log.appendLine(`report unavailable: ${why}`);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    void vscode.window.setStatusBarMessage(`guardline: report unavailable (${why}); showing Problems`, 5000);
  }

  dispose(): void {
    this.provider.dispose();
    this.changed.dispose();
  }

  private async explain(r: Record<string, unknown>): Promise<void> {
    const markdown = typeof r.markdown === 'string' ? r.markdown : '';
    if (!markdown) {
      void vscode.window.showInformationMessage('guardline: no function at this line.');
      return;
    }
    const name = typeof r.function === 'string' && r.function ? r.function : 'function';
    const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${name.replace(/[\\/]/g, '_')}.md` });
    this.docs.set(uri.toString(), markdown);
    this.changed.fire(uri);
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside, true);
    }
  }

  private async duplicates(r: Record<string, unknown>): Promise<void> {
    const raw = Array.isArray(r.locations) ? r.locations : [];
    const client = this.client();
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

  private async report(r: Record<string, unknown>): Promise<void> {
    const file = typeof r.path === 'string' ? r.path : '';
    if (!file || !fs.existsSync(file)) {
      const why = typeof r.reason === 'string' ? r.reason : typeof r.error === 'string' ? r.error : 'the report is unavailable';
      return this.problemsInstead(why);
    }
    // The page is self-contained (plotly.js inlined) and its own CSP forbids any load: scripts draw the charts
    // and follow the editor theme (body.vscode-dark / vscode-light classes set by VS Code).
    const panel = vscode.window.createWebviewPanel('guardline.report', 'guardline report', vscode.ViewColumn.Active,
      { enableScripts: true, localResourceRoots: [] });
    panel.webview.html = fs.readFileSync(file, 'utf8');
    this.log.appendLine(`report: ${file}`);
  }
}
