import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiscoveryInput, findServer, INSTALL_COMMAND, serverCandidates } from '../src/discovery';

const posix = (over: Partial<DiscoveryInput> = {}): DiscoveryInput => ({
  configuredPath: '', workspaceFolders: ['/ws'], platform: 'linux', pathEnv: '/usr/local/bin:/usr/bin', home: '/home/u', trusted: true, ...over,
});
const only = (...files: string[]) => (f: string) => files.includes(f);

test('priority: setting, then workspace .venv, venv, then PATH', () => {
  const c = serverCandidates(posix({ configuredPath: '/opt/g/bin/guardline' }));
  assert.deepEqual(c.map((x) => x.path), ['/opt/g/bin/guardline', '/ws/.venv/bin/guardline', '/ws/venv/bin/guardline',
    '/usr/local/bin/guardline', '/usr/bin/guardline']);
  assert.deepEqual(c.map((x) => x.source), ['setting', 'workspace venv', 'workspace venv', 'PATH', 'PATH']);
});

test('the workspace venv wins over PATH', () => {
  const d = findServer(posix(), only('/ws/venv/bin/guardline', '/usr/bin/guardline'));
  assert.ok(d.found);
  assert.equal(d.found && d.candidate.path, '/ws/venv/bin/guardline');
});

test('an untrusted workspace: its own venv is never a candidate (it would run a file of the repository)', () => {
  const d = findServer(posix({ trusted: false }), only('/ws/.venv/bin/guardline', '/usr/bin/guardline'));
  assert.equal(d.found && d.candidate.path, '/usr/bin/guardline');
  assert.ok(!serverCandidates(posix({ trusted: false })).some((c) => c.source === 'workspace venv'));
});

test('relative PATH entries (the workspace folder) are skipped', () => {
  const c = serverCandidates(posix({ pathEnv: ':.:bin:/usr/bin' }));
  assert.deepEqual(c.filter((x) => x.source === 'PATH').map((x) => x.path), ['/usr/bin/guardline']);
});

test('PATH is used when no venv has guardline', () => {
  const d = findServer(posix(), only('/usr/bin/guardline'));
  assert.equal(d.found && d.candidate.source, 'PATH');
});

test('the setting expands ~ and ${workspaceFolder}, and is relative to the workspace', () => {
  assert.equal(serverCandidates(posix({ configuredPath: '~/bin/guardline' }))[0].path, '/home/u/bin/guardline');
  assert.equal(serverCandidates(posix({ configuredPath: '${workspaceFolder}/tools/guardline' }))[0].path, '/ws/tools/guardline');
  assert.equal(serverCandidates(posix({ configuredPath: 'tools/guardline' }))[0].path, '/ws/tools/guardline');
});

test('a setting pointing nowhere is an error naming it, not silently replaced', () => {
  const d = findServer(posix({ configuredPath: '/nope/guardline' }), only('/usr/bin/guardline'));
  assert.equal(d.found, false);
  assert.match(!d.found ? d.reason : '', /guardline\.server\.path.*\/nope\/guardline/);
});

test('nothing found: the reason carries the install command', () => {
  const d = findServer(posix(), only());
  assert.equal(d.found, false);
  assert.ok(!d.found && !d.reason.includes('Install'), 'the reason says what is wrong; the notification adds the install step once');
  assert.equal(INSTALL_COMMAND, 'pipx install /path/to/guardline', 'guardline is not on PyPI: install from the repository');
});

test('Windows: Scripts\\guardline.exe in venvs and PATHEXT on PATH', () => {
  const c = serverCandidates({ configuredPath: '', workspaceFolders: ['C:\\ws'], platform: 'win32',
    pathEnv: 'C:\\Py\\Scripts;C:\\bin', pathExt: '.EXE;.CMD', home: 'C:\\Users\\u', trusted: true });
  assert.deepEqual(c.map((x) => x.path), ['C:\\ws\\.venv\\Scripts\\guardline.exe', 'C:\\ws\\venv\\Scripts\\guardline.exe',
    'C:\\Py\\Scripts\\guardline.exe', 'C:\\Py\\Scripts\\guardline.cmd', 'C:\\bin\\guardline.exe', 'C:\\bin\\guardline.cmd']);
});

test('every workspace folder is searched, in order', () => {
  const d = findServer(posix({ workspaceFolders: ['/a', '/b'], pathEnv: '' }), only('/b/.venv/bin/guardline'));
  assert.equal(d.found && d.candidate.path, '/b/.venv/bin/guardline');
});
