// guardline report e2e: open a written report.html in headless Debian Chromium (playwright-core driver, the
// same installs as tests/e2e/vscode/setup.sh under GUARDLINE_E2E_HOME) and describe what a person sees.
//
// env: REPORT (required, path to report.html), SCREENSHOT (PNG path), CHROMIUM (default /usr/bin/chromium),
//      GUARDLINE_E2E_HOME (default ~/.cache/guardline-e2e).
// stdout: one JSON object {console_errors, page_errors, requests, table, charts}; exit 0 = ran
// (the pytest caller asserts), 2 = setup failure (error says why).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const env = (k, d) => (process.env[k] && process.env[k] !== '' ? process.env[k] : d);
const E2E = env('GUARDLINE_E2E_HOME', path.join(env('XDG_CACHE_HOME', path.join(os.homedir(), '.cache')), 'guardline-e2e'));
const REPORT = path.resolve(env('REPORT', ''));
const SCREENSHOT = env('SCREENSHOT', '');
const CHROMIUM = env('CHROMIUM', '/usr/bin/chromium');

const out = { console_errors: [], page_errors: [], requests: [] };
let browser;
try {
  const { chromium } = createRequire(`${E2E}/driver/noop.js`)('playwright-core');
  // A throw-away profile: nothing is written outside the temp directory.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'guardline-report-e2e-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const page = browser.pages()[0] || await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') out.console_errors.push(m.text()); });
  page.on('pageerror', (e) => out.page_errors.push(String(e)));
  page.on('request', (r) => out.requests.push(r.url()));
  await page.goto(pathToFileURL(REPORT).href, { waitUntil: 'load' });
  Object.assign(out, await page.evaluate(() => {
    const table = document.querySelector('table#quality');
    const charts = [...document.querySelectorAll('figure.chart')].map((f) => {
      const svg = f.querySelector('svg');
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      const count = (sel) => f.querySelectorAll(sel).length;
      return {
        kind: f.dataset.chart, caption: f.querySelector('figcaption')?.textContent ?? '',
        width: box.width, height: box.height,
        bars: count('rect.mark.bar'), lines: count('polyline.mark.trend-line'),
        line_points: count('circle.mark.trend-point'), scatter_points: count('circle.mark.scatter-point'),
        bar_heights: [...f.querySelectorAll('rect.mark.bar')].map((r) => r.getBoundingClientRect().height),
        shares: [...f.querySelectorAll('circle.mark.scatter-point')].map((c) => Number(c.dataset.aiShare)),
        fills: [...new Set([...f.querySelectorAll('circle.mark.scatter-point')].map((c) => getComputedStyle(c).fill))],
      };
    });
    return {
      table: table ? {
        headers: [...table.querySelectorAll('th')].map((t) => t.textContent.trim()),
        rows: [...table.querySelectorAll('tr')].slice(1).map((r) => [...r.cells].map((c) => c.textContent.trim())),
      } : null,
      charts,
    };
  }));
  if (SCREENSHOT) {
    fs.mkdirSync(path.dirname(path.resolve(SCREENSHOT)), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    out.screenshot = path.resolve(SCREENSHOT);
  }
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
  process.stdout.write(JSON.stringify(out));
} catch (err) {
  if (browser) await browser.close().catch(() => {});
  out.error = String(err && err.stack || err);
  process.stdout.write(JSON.stringify(out));
  process.exit(2);
}
