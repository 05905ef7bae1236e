// Writes package.json "contributes" (settings mirror guardline's config.DEFAULTS; commands; menus).
// Run `node scripts/contributes.mjs` after changing a setting; tests/test_vscode_e2e.py checks the settings
// against the Python DEFAULTS so the two cannot drift apart.
import fs from 'node:fs';

const LIMITS = {
  human: { cyclomatic: { info: 10, warning: 15, error: null }, cognitive: { info: null, warning: 15, error: 25 },
    maintainability: { info: 20, warning: 10, error: null } },
  ai: { cyclomatic: { info: null, warning: 10, error: 20 }, cognitive: { info: null, warning: 10, error: 15 },
    maintainability: { info: null, warning: 20, error: 10 } },
};
const strList = (description, def = []) => ({ type: 'array', items: { type: 'string' }, default: def, description });
const props = {
  'guardline.server.path': { type: 'string', default: '',
    markdownDescription: 'Path of the `guardline` executable. Empty: the workspace\'s `.venv`/`venv`, then `guardline` on `PATH`. Supports `~` and `${workspaceFolder}`. Install guardline from its repository: `pipx install /path/to/guardline` (or the wheel from `make dist`).' },
  'guardline.trace.server': { type: 'string', enum: ['off', 'messages', 'verbose'], default: 'off', scope: 'window',
    description: 'Traces the communication between VS Code and the guardline server (Output > guardline).' },
  'guardline.aiShading.enabled': { type: 'boolean', default: true,
    description: 'Shade AI-attributed lines (gutter mark + faint background; stronger when the function exceeds a limit).' },
  'guardline.debounceMs': { type: 'integer', minimum: 0, default: 200, description: 'Delay after a keystroke before the server re-analyses (ms).' },
  'guardline.cyclomaticProfile': { type: 'string', enum: ['guardline', 'radon', 'lizard'], default: 'guardline', description: 'How cyclomatic complexity is counted.' },
  'guardline.maintainabilityProfile': { type: 'string', enum: ['guardline', 'radon'], default: 'guardline', description: 'How the maintainability index is computed.' },
  'guardline.aiShare': { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'A function is "AI" when at least this share of its lines is attributed to AI (0..1).' },
  'guardline.include': strList('Globs of files to analyse (empty: every supported file).'),
  'guardline.exclude': strList('Globs of files to skip, in addition to .gitignore.'),
  'guardline.maxFileBytes': { type: 'integer', minimum: 0, default: 2000000, description: 'Files larger than this are not analysed.' },
  'guardline.excludeGenerated': { type: 'boolean', default: true, description: 'Skip generated and vendored files.' },
};
for (const [bucket, metrics] of Object.entries(LIMITS)) {
  for (const [metric, sevs] of Object.entries(metrics)) {
    for (const [sev, def] of Object.entries(sevs)) {
      const below = metric === 'maintainability';
      props[`guardline.thresholds.${bucket}.${metric}.${sev}`] = { type: ['number', 'null'], minimum: 0, default: def,
        markdownDescription: `${bucket === 'ai' ? 'AI-written' : 'Human-written'} code: a ${sev} when ${metric} ${below ? 'is below' : 'exceeds'} this (\`null\` = no ${sev}).` };
    }
  }
}
Object.assign(props, {
  'guardline.duplication.enabled': { type: 'boolean', default: true, description: 'Find duplicated code against the workspace clone index.' },
  'guardline.duplication.minTokens': { type: 'integer', minimum: 0, default: 50, description: 'Minimum clone size in tokens.' },
  'guardline.duplication.minLines': { type: 'integer', minimum: 0, default: 5, description: 'Minimum clone size in lines.' },
  'guardline.duplication.renamedMinTokens': { type: 'integer', minimum: 0, default: 100, description: 'Minimum size in tokens of clones with renamed identifiers.' },
  'guardline.duplication.renamedMinLines': { type: 'integer', minimum: 0, default: 10, description: 'Minimum size in lines of clones with renamed identifiers.' },
  'guardline.duplication.nearMiss': { type: 'boolean', default: false, description: 'Also report near-miss clones.' },
  'guardline.duplication.filePercentWarning': { type: 'number', minimum: 0, default: 5.0, description: 'Warn when this percentage of a file is duplicated.' },
  'guardline.duplication.maxFileBytes': { type: 'integer', minimum: 0, default: 1000000, description: 'Larger files are not indexed for duplication.' },
  'guardline.duplication.maxRelated': { type: 'integer', minimum: 0, default: 20, description: 'Maximum other locations listed per clone.' },
  'guardline.security.enabled': { type: 'boolean', default: true, description: 'Report security hotspots.' },
  'guardline.security.secrets': { type: 'boolean', default: true, description: 'Scan for hard-coded secrets.' },
  'guardline.security.disabledRules': strList('Security rule ids to turn off.'),
  'guardline.security.enabledRules': strList('Opt-in security rule ids to turn on.'),
  'guardline.origin.enabled': { type: 'boolean', default: true, description: 'Attribute code to AI or people from history and markers.' },
  'guardline.origin.sources': strList('Origin evidence sources, in order.', ['generated', 'markers', 'git-ai', 'agent-trace', 'author', 'message', 'file-header', 'paths']),
  'guardline.origin.aiPaths': strList('Globs of files to treat as AI-written.'),
  'guardline.origin.generatedPaths': strList('Globs of files to treat as generated.'),
  'guardline.origin.extraAiEmails': strList('Extra commit author/co-author e-mails that mean AI.'),
  'guardline.origin.extraAiTrailers': strList('Extra commit trailers that mean AI.'),
  'guardline.origin.extraBotEmails': strList('Extra e-mails of bots (origin "bot").'),
  'guardline.gate.failOn': { ...strList('Severities that fail the gate for human code.', ['error']), items: { type: 'string', enum: ['error', 'warning', 'info', 'hint'] } },
  'guardline.gate.failOnAi': { ...strList('Severities that fail the gate for AI code.', ['error']), items: { type: 'string', enum: ['error', 'warning', 'info', 'hint'] } },
  'guardline.gate.categories': strList('Finding categories the gate considers.', ['complexity', 'maintainability', 'duplication', 'security']),
  'guardline.editor.inlayHints': { type: 'string', enum: ['off', 'over-limit', 'always'], default: 'over-limit',
    markdownDescription: 'Inlay hint `cog N` after the name of each function: `off`, only functions `over-limit` (cognitive at warning level or above), or `always`. Also needs `editor.inlayHints.enabled`.' },
  'guardline.editor.inlayIncrements': { type: 'boolean', default: false, markdownDescription: 'Also an inlay hint `+N` at the end of every line that adds cognitive complexity.' },
  'guardline.editor.diagnostics': { type: 'string', enum: ['push', 'pull'], default: 'push',
    markdownDescription: '`push`: the server publishes diagnostics; `pull`: VS Code asks for them (LSP 3.17 pull diagnostics). Applies when the server starts.' },
  'guardline.docsUrl': { type: 'string', default: '', markdownDescription: 'Rule help links point here (+ `#rule-id`). Empty: the rules page shipped with the server (works offline).' },
  'guardline.disabledRules': strList('Rule ids (any category) to turn off everywhere.'),
  'guardline.overrides': { type: 'array', default: [], items: { type: 'object', required: ['paths'], properties: {
    paths: { type: 'array', items: { type: 'string' } }, thresholds: { type: 'object' }, disabled_rules: { type: 'array', items: { type: 'string' } } } },
    markdownDescription: 'Per-path limits and rule switches, the same tables as `[[tool.guardline.overrides]]` (keys `paths`, `thresholds`, `disabled_rules`); usually set in the project\'s config file instead.' },
  'guardline.review.base': { type: 'string', default: '', markdownDescription: 'Review mode: only code changed since the merge-base with this branch keeps its severity (e.g. `main`, or `auto`). Empty: off.' },
  'guardline.report.sample': { type: 'string', default: 'weekly', description: 'Trend sampling of the report.' },
  'guardline.report.maxSamples': { type: 'integer', minimum: 0, default: 52, description: 'Maximum trend samples in the report.' },
  'guardline.report.fixPattern': { type: 'string', default: '', description: 'Regex of commit messages that count as fixes in the report.' },
  'guardline.report.sprintDays': { type: 'integer', minimum: 1, default: 14, description: 'Sprint length in days for the report\'s technical debt added per sprint.' },
});
const commands = [
  ['guardline.explainFunction', 'Explain Function Complexity'],
  ['guardline.showDuplicatesOfFunction', 'Show Duplicates of This Function'],
  ['guardline.openQualityReport', 'Open Quality Report'],
  ['guardline.toggleAiShading', 'Toggle AI Shading'],
  ['guardline.restartServer', 'Restart Server'],
  ['guardline.openDocs', 'Open Documentation'],
  ['guardline.showOutput', 'Show Output'],
].map(([command, title]) => ({ command, title, category: 'guardline' }));
const langs = ['python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'go', 'java', 'rust', 'c', 'cpp', 'csharp', 'ruby', 'php'];
const pkgPath = new URL('../package.json', import.meta.url);
const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
pkg.activationEvents = langs.map((l) => `onLanguage:${l}`);
pkg.contributes = {
  configuration: { title: 'guardline', properties: props },
  commands,
  menus: {
    'editor/context': [
      { command: 'guardline.explainFunction', when: `resourceScheme == file && editorLangId =~ /^(${langs.join('|')})$/`, group: 'guardline@1' },
      { command: 'guardline.showDuplicatesOfFunction', when: `resourceScheme == file && editorLangId =~ /^(${langs.join('|')})$/`, group: 'guardline@2' },
    ],
  },
};
fs.writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
console.log(`${Object.keys(props).length} settings, ${commands.length} commands`);
