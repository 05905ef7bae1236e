// Finds the guardline executable. Pure: file-system checks are injected, so it is unit-tested without VS Code.
import * as path from 'node:path';

export interface DiscoveryInput {
  /** `guardline.server.path` as the user wrote it ('' = unset); may use ~ and ${workspaceFolder}. */
  configuredPath: string;
  /** Absolute paths of the workspace folders, in order. */
  workspaceFolders: readonly string[];
  platform: NodeJS.Platform;
  /** The PATH environment variable. */
  pathEnv: string;
  /** PATHEXT on Windows (e.g. ".EXE;.CMD"). */
  pathExt?: string;
  home: string;
  /**
   * VS Code's workspace trust. An untrusted workspace's own `.venv`/`venv` is never run: its `guardline`
   * is a file of the repository, and guardline never executes a repository's code.
   */
  trusted: boolean;
}

export interface Candidate {
  path: string;
  source: 'setting' | 'workspace venv' | 'PATH';
}

export type IsExecutable = (file: string) => boolean;

/** guardline is not on a public package index: it installs from its repository (or the wheel `make dist` builds). */
export const INSTALL_COMMAND = 'pipx install /path/to/guardline';

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** Expands ~ and ${workspaceFolder}; a relative path is taken relative to the first workspace folder. */
export function expandConfiguredPath(raw: string, input: DiscoveryInput): string {
  const p = pathApi(input.platform);
  const folder = input.workspaceFolders[0] ?? '';
  let value = raw.trim().replace(/\$\{workspaceFolder\}/g, folder);
  if (value === '~' || value.startsWith('~/') || value.startsWith('~\\')) value = input.home + value.slice(1);
  if (!p.isAbsolute(value) && folder) value = p.join(folder, value);
  return value;
}

/** Every place guardline may be, in priority order: setting, workspace venvs, then PATH. */
export function serverCandidates(input: DiscoveryInput): Candidate[] {
  const p = pathApi(input.platform);
  const win = input.platform === 'win32';
  const out: Candidate[] = [];
  if (input.configuredPath.trim()) {
    out.push({ path: expandConfiguredPath(input.configuredPath, input), source: 'setting' });
  }
  const venvBins = win
    ? [['.venv', 'Scripts', 'guardline.exe'], ['venv', 'Scripts', 'guardline.exe']]
    : [['.venv', 'bin', 'guardline'], ['venv', 'bin', 'guardline']];
  for (const folder of input.trusted ? input.workspaceFolders : []) {
    for (const parts of venvBins) out.push({ path: p.join(folder, ...parts), source: 'workspace venv' });
  }
  const exts = win ? (input.pathExt || '.EXE;.CMD;.BAT').split(';').filter(Boolean).map((e) => e.toLowerCase()) : [''];
  // Relative PATH entries (".", or an empty one) resolve against the workspace folder: skipped.
  for (const dir of input.pathEnv.split(win ? ';' : ':').filter((d) => p.isAbsolute(d))) {
    for (const ext of exts) out.push({ path: p.join(dir, `guardline${ext}`), source: 'PATH' });
  }
  return out;
}

export type Discovery =
  | { found: true; candidate: Candidate; tried: Candidate[] }
  | { found: false; tried: Candidate[]; reason: string };

/**
 * The first candidate that is an executable file. An explicit setting that points nowhere is an error
 * (not silently replaced by another guardline), so the user learns the setting is wrong.
 */
export function findServer(input: DiscoveryInput, isExecutable: IsExecutable): Discovery {
  const tried = serverCandidates(input);
  for (const candidate of tried) {
    if (isExecutable(candidate.path)) return { found: true, candidate, tried };
    if (candidate.source === 'setting') {
      return { found: false, tried: [candidate],
        reason: `guardline.server.path is set to "${candidate.path}", which is not an executable file.` };
    }
  }
  return { found: false, tried,
    reason: 'guardline was not found (not in the workspace\'s .venv/venv, not on PATH).' };
}
