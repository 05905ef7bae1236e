// Bundles the extension (dist/extension.js) or, with --tests, the unit tests (dist-test/*.test.js).
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const tests = process.argv.includes('--tests');
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'warning' };
if (tests) {
  const entryPoints = fs.readdirSync('test').filter((f) => f.endsWith('.test.ts')).map((f) => `test/${f}`);
  fs.rmSync('dist-test', { recursive: true, force: true });
  await esbuild.build({ ...common, entryPoints, outdir: 'dist-test', sourcemap: 'inline' });
} else {
  await esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js',
    external: ['vscode'], minify: true, sourcemap: false });
}
