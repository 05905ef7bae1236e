// AI-origin ranges (guardline/origins) -> what the editor shades and the hover text. Pure, unit-tested.

export interface OriginRange {
  start_line: number;     // 0-based, inclusive
  end_line: number;       // 0-based, inclusive
  origin: string;         // "ai"
  tool?: string | null;
  model?: string | null;
  evidence?: string | string[] | null;
  confidence?: number | string | null;
  /** True only on the lines of a function that exceeds a limit (the server cuts AI ranges at such functions). */
  exceeds_limit?: boolean;
  /** The exceeding function's qualified name, on `exceeds_limit` pieces. */
  function?: string | null;
}

export interface OriginsResult {
  uri: string;
  version?: number | null;
  ranges: OriginRange[];
}

export interface ShadingPlan {
  /** [start, end] line pairs (0-based inclusive) shaded faintly. */
  normal: Array<[number, number]>;
  /** lines of AI-written functions that exceed a limit: stronger shading. */
  exceeds: Array<[number, number]>;
}

/** Splits AI ranges into faint and strong shading, clamping to the document's line count. */
export function planShading(ranges: readonly OriginRange[], lineCount: number): ShadingPlan {
  const plan: ShadingPlan = { normal: [], exceeds: [] };
  const last = Math.max(0, lineCount - 1);
  for (const r of ranges) {
    if (r.origin !== 'ai') continue;
    const start = Math.max(0, Math.min(r.start_line, last));
    const end = Math.max(start, Math.min(r.end_line, last));
    (r.exceeds_limit ? plan.exceeds : plan.normal).push([start, end]);
  }
  return plan;
}

export function rangesAtLine(ranges: readonly OriginRange[], line: number): OriginRange[] {
  return ranges.filter((r) => r.origin === 'ai' && r.start_line <= line && line <= r.end_line);
}

function evidenceList(e: OriginRange['evidence']): string[] {
  if (!e) return [];
  return (Array.isArray(e) ? e : [e]).map(String).filter(Boolean);
}

function confidenceText(c: OriginRange['confidence']): string | undefined {
  if (c === null || c === undefined || c === '') return undefined;
  if (typeof c === 'number') return c <= 1 ? `${Math.round(c * 100)}%` : String(c);
  return c;
}

/** Markdown shown when hovering an AI-attributed line. */
export function hoverMarkdown(r: OriginRange): string {
  const lines = [`**AI-generated code** (guardline), lines ${r.start_line + 1}–${r.end_line + 1}`, ''];
  if (r.tool) lines.push(`- tool: ${r.tool}`);
  if (r.model) lines.push(`- model: ${r.model}`);
  const conf = confidenceText(r.confidence);
  if (conf) lines.push(`- confidence: ${conf}`);
  const ev = evidenceList(r.evidence);
  if (ev.length === 1) lines.push(`- evidence: ${ev[0]}`);
  else if (ev.length > 1) lines.push('- evidence:', ...ev.map((x) => `  - ${x}`));
  if (r.exceeds_limit) {
    const which = r.function ? `\`${r.function}\`` : 'This function';
    lines.push('', `$(warning) ${which} exceeds a limit for AI-written code.`);
  }
  return lines.join('\n');
}
