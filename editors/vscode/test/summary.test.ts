import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPercent, formatSummary, summaryFromCounts } from '../src/summary';

test('findings by severity and the AI share of analysed lines', () => {
  const v = formatSummary({ files: 12, functions: 80, findings: { error: 2, warning: 5, info: 0, hint: 3 },
    ai_lines: 340, analysed_lines: 1000, ai_share: 0.34, indexing: false });
  assert.equal(v.text, '$(shield) guardline $(error) 2 $(warning) 5 · AI 34%');
  assert.equal(v.level, 'error');
  assert.match(v.tooltip, /12 files, 80 functions/);
  assert.match(v.tooltip, /2 errors, 5 warnings, 0 info, 3 hints/);
  assert.match(v.tooltip, /AI-attributed: 34% \(340 of 1000 analysed lines\)/);
  // the e2e reads the counts from it (tests/test_vscode_e2e.py): every severity by name, hints too
  assert.equal(v.aria, 'guardline: 2 errors, 5 warnings, 0 info, 3 hints; AI 34%');
});

test('no findings says so; hints alone do not count as findings in the text', () => {
  const v = formatSummary({ files: 1, functions: 1, findings: { error: 0, warning: 0, info: 0, hint: 1 }, ai_share: 0, analysed_lines: 10 });
  assert.equal(v.text, '$(shield) guardline $(check) no findings · AI 0%');
  assert.equal(v.level, undefined);
});

test('indexing shows a spinner; singular words', () => {
  const v = formatSummary({ files: 1, functions: 1, findings: { warning: 1 }, indexing: true });
  assert.equal(v.text, '$(shield) guardline $(sync~spin) $(warning) 1', 'no ai_share: no AI part');
  assert.equal(v.level, undefined, 'warnings leave the status bar neutral');
  assert.match(v.tooltip, /indexing…\): 1 file, 1 function/);
});

test('percent: rounded, tiny shares are <1%, clamped to 0..100', () => {
  assert.equal(formatPercent(0.004), '<1%');
  assert.equal(formatPercent(0.666), '67%');
  assert.equal(formatPercent(1.2), '100%');
});

test('fallback from diagnostics says it covers open files only', () => {
  const v = formatSummary(summaryFromCounts(2, { error: 0, warning: 3, info: 1, hint: 0 }));
  assert.equal(v.text, '$(shield) guardline $(warning) 3 $(info) 1');
  assert.match(v.tooltip, /findings in 2 open files \(the server provides no workspace summary\)/);
});

test('before the first summary', () => {
  assert.equal(formatSummary(undefined).text, '$(shield) guardline');
});

test('while the workspace scan runs, the AI share is over the files resolved so far and says partial', () => {
  const v = formatSummary({ files: 64, files_total: 130, functions: 128, findings: { error: 1 }, ai_lines: 410,
    analysed_lines: 1000, ai_share: 0.41, indexing: true, partial: true });
  // the share of the 64 resolved files is shown, marked partial, rather than 0% until the scan ends
  assert.equal(v.text, '$(shield) guardline $(sync~spin) $(error) 1 · AI 41% (partial)');
  assert.equal(v.aria, 'guardline: 1 error, 0 warnings, 0 info, 0 hints; AI 41% (partial); indexing');
  assert.match(v.tooltip, /64 files of 130, 128 functions/);
  assert.match(v.tooltip, /Partial: the workspace scan has not resolved every file yet/);
});

test('a complete scan is not partial', () => {
  const v = formatSummary({ files: 130, files_total: 130, functions: 260, findings: {}, ai_share: 0.41,
    analysed_lines: 2000, partial: false });
  assert.equal(v.text, '$(shield) guardline $(check) no findings · AI 41%');
  assert.doesNotMatch(v.tooltip, /Partial|of 130/);
});
