// Status bar text for the workspace summary (guardline/summary). Pure, unit-tested.

export interface Summary {
  files: number;
  functions: number;
  findings: { error?: number; warning?: number; info?: number; hint?: number };
  ai_lines?: number;
  analysed_lines?: number;
  ai_share?: number;
  indexing?: boolean;
  /** Server: the workspace scan has not covered every file yet; the figures are over `files` of `files_total`. */
  partial?: boolean;
  files_total?: number;
  /** Built by the extension from open files' diagnostics because the server has no guardline/summary. */
  fromDiagnostics?: boolean;
}

export interface SummaryView {
  text: string;
  tooltip: string;
  /** What a screen reader says (the text's icons are counts by name here). */
  aria: string;
  /** 'error' = the error background (errors in the code under review: in review mode unchanged code's
   * findings are hints, so only changed code counts); undefined = the theme's neutral colours. Warnings
   * never colour the bar: it stays readable and calm in everyday use. */
  level?: 'error';
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatPercent(share: number): string {
  const pct = Math.max(0, Math.min(1, share)) * 100;
  if (pct > 0 && pct < 1) return '<1%';
  return `${Math.round(pct)}%`;
}

/** e.g. "$(error) 2 $(warning) 5 · AI 34%"; counts of zero are left out; hints are only in the tooltip. */
export function formatSummary(s: Summary | undefined): SummaryView {
  if (!s) return { text: '$(shield) guardline', tooltip: 'guardline: waiting for the server', aria: 'guardline: waiting for the server' };
  const error = s.findings.error ?? 0;
  const warning = s.findings.warning ?? 0;
  const info = s.findings.info ?? 0;
  const hint = s.findings.hint ?? 0;
  const parts: string[] = [];
  if (s.indexing) parts.push('$(sync~spin)');
  if (error) parts.push(`$(error) ${error}`);
  if (warning) parts.push(`$(warning) ${warning}`);
  if (info) parts.push(`$(info) ${info}`);
  if (!error && !warning && !info) parts.push('$(check) no findings');
  const hasShare = typeof s.ai_share === 'number' && (s.analysed_lines ?? 1) > 0;
  const partial = s.partial && !s.fromDiagnostics;
  const share = hasShare ? ` · AI ${formatPercent(s.ai_share as number)}${partial ? ' (partial)' : ''}` : '';
  const text = `$(shield) guardline ${parts.join(' ')}${share}`;
  const lines = [
    s.fromDiagnostics
      ? `guardline: findings in ${plural(s.files, 'open file')} (the server provides no workspace summary)`
      : `guardline${s.indexing ? ' (indexing…)' : ''}: ${plural(s.files, 'file')}${scannedOf(s)}, ${plural(s.functions, 'function')}`,
    `Findings: ${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info, ${plural(hint, 'hint')}`,
  ];
  if (hasShare) {
    const detail = typeof s.ai_lines === 'number' && typeof s.analysed_lines === 'number'
      ? ` (${s.ai_lines} of ${s.analysed_lines} analysed lines)` : '';
    lines.push(`AI-attributed: ${formatPercent(s.ai_share as number)}${detail}`);
    if (partial) lines.push('Partial: the workspace scan has not resolved every file yet');
  }
  lines.push('Click to open the quality report');
  const aria = `guardline: ${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info, ${plural(hint, 'hint')}`
    + `${hasShare ? `; AI ${formatPercent(s.ai_share as number)}` : ''}${partial ? ' (partial)' : ''}${s.indexing ? '; indexing' : ''}`;
  return { text, tooltip: lines.join('\n'), aria, level: error ? 'error' : undefined };
}

/** Fallback summary from diagnostics counts per severity name (used when the server lacks guardline/summary). */
export function summaryFromCounts(files: number, counts: Summary['findings']): Summary {
  return { files, functions: 0, findings: { ...counts }, fromDiagnostics: true };
}

/** " of 120" while the workspace scan has resolved only some of the files. */
function scannedOf(s: Summary): string {
  return s.partial && typeof s.files_total === 'number' && s.files_total > s.files ? ` of ${s.files_total}` : '';
}
