// The status bar summary: `guardline/summary` + `guardline/summaryChanged`; when the server lacks them, the
// counts of guardline diagnostics in open files. Clicking opens the quality report.
import * as vscode from 'vscode';
import { ClientRef, isMethodNotFound } from './common';
import { formatSummary, Summary, summaryFromCounts } from './summary';

const SEVERITY_NAMES = ['error', 'warning', 'info', 'hint'] as const;

export class SummaryBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subs: vscode.Disposable[] = [];
  private serverHasSummary = true;

  constructor(private readonly client: ClientRef, private readonly log: vscode.OutputChannel) {
    this.item = vscode.window.createStatusBarItem('guardline.summary', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'guardline summary';
    this.item.text = '$(shield) guardline';
    this.item.tooltip = 'guardline: starting';
    this.item.command = 'guardline.openQualityReport';
    this.item.show();
    this.subs.push(vscode.languages.onDidChangeDiagnostics(() => {
      if (!this.serverHasSummary) this.fromDiagnostics();
    }));
  }

  /** A (re)started server: ask for the summary again. */
  async serverStarted(): Promise<void> {
    this.serverHasSummary = true;
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const client = this.client();
    if (!client) return;
    if (!this.serverHasSummary) return this.fromDiagnostics();
    try {
      this.show(await client.sendRequest<Summary>('guardline/summary', {}));
    } catch (e) {
      if (isMethodNotFound(e)) {
        this.serverHasSummary = false;
        this.log.appendLine('server has no guardline/summary: the status bar counts open files\' diagnostics');
      } else {
        this.log.appendLine(`guardline/summary failed: ${String(e)}`);
      }
      this.fromDiagnostics();
    }
  }

  show(s: Summary): void {
    const view = formatSummary(s);
    this.item.command = 'guardline.openQualityReport';
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.accessibilityInformation = { label: view.aria };
    // the theme's own error pair (background + foreground): VS Code's themes give it >= 4.5:1 contrast
    this.item.backgroundColor = view.level === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.color = view.level === 'error' ? new vscode.ThemeColor('statusBarItem.errorForeground') : undefined;
  }

  /** The server is missing or stopped: say so; clicking shows the guardline output. */
  error(text: string): void {
    this.item.text = '$(shield) guardline $(circle-slash)';
    this.item.tooltip = `${text}. Click for details.`;
    this.item.accessibilityInformation = { label: `guardline: ${text}. Click for details.` };
    this.item.command = 'guardline.showOutput';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    this.item.color = new vscode.ThemeColor('statusBarItem.errorForeground');
    this.item.show();
  }

  dispose(): void {
    for (const d of [...this.subs, this.item]) d.dispose();
  }

  private fromDiagnostics(): void {
    const counts: Summary['findings'] = { error: 0, warning: 0, info: 0, hint: 0 };
    let files = 0;
    for (const [, diags] of vscode.languages.getDiagnostics()) {
      const ours = diags.filter((d) => d.source === 'guardline');
      if (ours.length) files++;
      for (const d of ours) {
        const name = SEVERITY_NAMES[d.severity];
        counts[name] = (counts[name] ?? 0) + 1;
      }
    }
    this.show(summaryFromCounts(files, counts));
  }
}
