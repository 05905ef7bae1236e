import { test } from 'node:test';
import assert from 'node:assert/strict';
import { camelToSnake, explicitValues, settingsToConfig } from '../src/settings';

test('camelCase setting segments become snake_case config keys', () => {
  assert.equal(camelToSnake('minTokens'), 'min_tokens');
  assert.equal(camelToSnake('failOnAi'), 'fail_on_ai');
  assert.equal(camelToSnake('extraAiEmails'), 'extra_ai_emails');
  assert.equal(camelToSnake('debounceMs'), 'debounce_ms');
  assert.equal(camelToSnake('cognitive'), 'cognitive', 'lower-case names pass unchanged');
});

test('settings map to the nested config-key shape of docs/architecture.md', () => {
  const got = settingsToConfig({
    debounceMs: 200,
    'thresholds.ai.cognitive.warning': 10,
    'duplication.enabled': true,
    'duplication.minTokens': 80,
    'review.base': 'main',
    aiShare: 0.6,
  });
  // the exact example of the architecture doc, plus three more keys
  assert.deepEqual(got, {
    debounce_ms: 200,
    ai_share: 0.6,
    thresholds: { ai: { cognitive: { warning: 10 } } },
    duplication: { enabled: true, min_tokens: 80 },
    review: { base: 'main' },
  });
});

test('client-only settings are never sent to the server', () => {
  const got = settingsToConfig({ 'server.path': '/x/guardline', 'aiShading.enabled': false, 'trace.server': 'verbose' });
  assert.deepEqual(got, {}, 'server.path / aiShading / trace configure the extension only');
});

test('a null threshold disables that severity; null elsewhere is skipped', () => {
  const got = settingsToConfig({ 'thresholds.human.cyclomatic.error': null, 'review.base': null, include: undefined });
  assert.deepEqual(got, { thresholds: { human: { cyclomatic: { error: null } } } });
});

test('lists are copied, not shared', () => {
  const exclude = ['vendor/**'];
  const got = settingsToConfig({ exclude }) as { exclude: string[] };
  assert.deepEqual(got.exclude, ['vendor/**']);
  assert.notEqual(got.exclude, exclude);
});

test('only explicitly set values are forwarded: folder over workspace over user; defaults never', () => {
  const levels: Record<string, Record<string, unknown>> = {
    debounceMs: { globalValue: 100, workspaceValue: 300 },
    'review.base': { globalValue: 'main', workspaceValue: 'develop', workspaceFolderValue: 'release' },
    aiShare: {},                                   // only a default: not sent
    'duplication.enabled': { globalValue: false },
    'server.path': { globalValue: '/x/guardline' },  // client-only
  };
  const got = explicitValues(Object.keys(levels), (n) => levels[n]);
  assert.deepEqual(got, { debounceMs: 300, 'review.base': 'release', 'duplication.enabled': false });
  assert.deepEqual(settingsToConfig(got), { debounce_ms: 300, review: { base: 'release' }, duplication: { enabled: false } });
});
