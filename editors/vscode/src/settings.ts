// Maps VS Code settings (`guardline.*`) to guardline config keys (config.DEFAULTS shape, docs/architecture.md).
// Pure: no `vscode` import, so it is unit-tested with the node test runner.

/** Settings that configure the extension itself and are never forwarded to the server. */
export const CLIENT_ONLY_PREFIXES: readonly string[] = ['server.', 'aiShading.', 'trace.', 'statusBar.'];

export type ConfigTree = { [key: string]: unknown };

/** `minTokens` -> `min_tokens`, `failOnAi` -> `fail_on_ai`; already snake/lower names pass unchanged. */
export function camelToSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function isClientOnly(setting: string): boolean {
  return CLIENT_ONLY_PREFIXES.some((p) => setting.startsWith(p));
}

/** A threshold limit may be null (= that severity is disabled); any other key skips null. */
function isThresholdLimit(path: readonly string[]): boolean {
  return path.length === 4 && path[0] === 'thresholds';
}

/**
 * Explicitly set settings (names without the `guardline.` prefix, e.g. `duplication.minTokens`) to the
 * nested config-key object the server merges over the workspace config file, e.g.
 * `{"duplication": {"min_tokens": 80}}`. Only values the user actually set are passed in, so file values
 * are not overridden by editor defaults.
 */
export function settingsToConfig(settings: Readonly<Record<string, unknown>>): ConfigTree {
  const out: ConfigTree = {};
  for (const name of Object.keys(settings).sort()) {
    const value = settings[name];
    if (value === undefined || isClientOnly(name)) continue;
    const path = name.split('.').map(camelToSnake);
    if (value === null && !isThresholdLimit(path)) continue;
    setPath(out, path, value);
  }
  return out;
}

function setPath(tree: ConfigTree, path: readonly string[], value: unknown): void {
  let node = tree;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as ConfigTree;
  }
  node[path[path.length - 1]] = Array.isArray(value) ? [...value] : value;
}

/** What `WorkspaceConfiguration.inspect` returns, reduced to the levels a user sets. */
export interface Inspected {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The values the user set for the given setting names (folder over workspace over user), leaving out
 * defaults (so the workspace's guardline.toml is not overridden by them) and client-only settings.
 */
export function explicitValues(names: readonly string[],
  inspect: (name: string) => Inspected | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    if (isClientOnly(name)) continue;
    const i = inspect(name);
    const value = i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
    if (value !== undefined) out[name] = value;
  }
  return out;
}
