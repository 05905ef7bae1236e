import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverMarkdown, planShading, rangesAtLine, OriginRange } from '../src/origins';

const ai = (s: number, e: number, extra: Partial<OriginRange> = {}): OriginRange => ({ start_line: s, end_line: e, origin: 'ai', ...extra });

test('ranges exceeding a limit get the strong shading, others the faint one; clamped to the document', () => {
  const plan = planShading([ai(0, 3), ai(5, 40, { exceeds_limit: true }), { ...ai(1, 1), origin: 'human' }], 20);
  assert.deepEqual(plan.normal, [[0, 3]]);
  assert.deepEqual(plan.exceeds, [[5, 19]], 'end clamped to the last line (19)');
});

test('hover lists tool, model, evidence and the limit marker', () => {
  const md = hoverMarkdown(ai(4, 9, { tool: 'Claude Code', model: 'claude-sonnet', confidence: 0.9,
    evidence: ['Co-Authored-By: Claude', 'Generated with [Claude Code]'], exceeds_limit: true }));
  assert.match(md, /lines 5–10/, 'shown 1-based');
  assert.match(md, /- tool: Claude Code/);
  assert.match(md, /- model: claude-sonnet/);
  assert.match(md, /- confidence: 90%/);
  assert.match(md, /  - Co-Authored-By: Claude/);
  assert.match(md, /exceeds a limit for AI-written code/);
});

test('rangesAtLine is inclusive at both ends', () => {
  const rs = [ai(2, 4), ai(10, 12)];
  assert.equal(rangesAtLine(rs, 4).length, 1);
  assert.equal(rangesAtLine(rs, 5).length, 0);
  assert.equal(rangesAtLine(rs, 10).length, 1);
});

test('per-function pieces: only the exceeding function is strong, and the hover names it', () => {
  // the server cuts one AI region (lines 0-30) at the function over a limit (lines 10-20)
  const pieces = [ai(0, 9), ai(10, 20, { exceeds_limit: true, function: 'Billing.total' }), ai(21, 30)];
  const plan = planShading(pieces, 31);
  assert.deepEqual(plan.exceeds, [[10, 20]], 'only the exceeding function is shaded strongly');
  assert.deepEqual(plan.normal, [[0, 9], [21, 30]], 'the rest of the AI region keeps the faint shading');
  assert.match(hoverMarkdown(pieces[1]), /`Billing.total` exceeds a limit for AI-written code/);
  assert.doesNotMatch(hoverMarkdown(pieces[0]), /exceeds a limit/);
});
