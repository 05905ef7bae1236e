import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LANGUAGES } from '../src/languages';
import pkg from '../package.json';

const ROOT = path.resolve(__dirname, '..');   // the bundle runs from dist-test/

test('activates on every language guardline analyses', () => {
  assert.deepEqual(pkg.activationEvents, LANGUAGES.map((l) => `onLanguage:${l}`));
  assert.equal(LANGUAGES.length, 13, 'python, js/jsx, ts/tsx, go, java, rust, c, cpp, csharp, ruby, php');
});

test('every contributed command is registered by the extension, and vice versa', () => {
  const source = fs.readFileSync(path.join(ROOT, 'src', 'extension.ts'), 'utf8');
  const registered = [...source.matchAll(/reg\('([\w.]+)'/g)].map((m) => m[1]).sort();
  const contributed = pkg.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(registered, contributed);
});

test('engines.vscode accepts VS Code 1.100 (code-server 4.100.3 in the e2e)', () => {
  assert.equal(pkg.engines.vscode, '^1.100.0');
  assert.equal(pkg.main, './dist/extension.js');
});
