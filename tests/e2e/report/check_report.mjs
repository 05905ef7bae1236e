// guardline report e2e: open a written report.html in headless Debian Chromium (playwright-core driver, the
// same installs as tests/e2e/vscode/setup.sh under GUARDLINE_E2E_HOME) and describe what a person sees.
//
// env: REPORT (required, path to report.html), VIEWS (width:scheme,... default 1280:light), SCREENSHOT_DIR
//      (report-<width>-<scheme>.png per view), CHROMIUM (default /usr/bin/chromium),
//      GUARDLINE_E2E_HOME (default ~/.cache/guardline-e2e).
// stdout: one JSON object {console_errors, page_errors, requests, views: [{table, charts, overflow, ...}]}; exit 0 = ran
// (the pytest caller asserts), 2 = setup failure (error says why).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const env = (k, d) => (process.env[k] && process.env[k] !== '' ? process.env[k] : d);
const E2E = env('GUARDLINE_E2E_HOME', path.join(env('XDG_CACHE_HOME', path.join(os.homedir(), '.cache')), 'guardline-e2e'));
const REPORT = path.resolve(env('REPORT', ''));
const CHROMIUM = env('CHROMIUM', '/usr/bin/chromium');

const SHOT_DIR = env('SCREENSHOT_DIR', '');
const VIEWS = env('VIEWS', '1280:light').split(',').map((v) => { const [w, s] = v.split(':'); return { width: Number(w), scheme: s }; });

const out = { console_errors: [], page_errors: [], requests: [], views: [] };
let browser;

function describe() {
  const table = document.querySelector('table#quality');
  const charts = [...document.querySelectorAll('figure.chart')].map((f) => {
    const plot = f.querySelector('.plot');
    const box = plot ? plot.getBoundingClientRect() : { width: 0, height: 0 };
    const texts = (sel) => [...f.querySelectorAll(sel)].map((t) => t.textContent.trim()).filter(Boolean);
    return {
      kind: f.dataset.chart, caption: f.querySelector('figcaption')?.textContent ?? '',
      width: box.width, height: box.height,
      xticks: texts('.xtick text'), ytitle: texts('.g-ytitle text'), xtitle: texts('.g-xtitle text'),
      legend: texts('.legend .legendtext'), colorbar: f.querySelectorAll('.colorbar').length,
      colorbar_title: texts('.colorbar .cbtitle text'),
      traces: f.querySelectorAll('.scatterlayer .trace, .barlayer .trace').length,
      points: f.querySelectorAll('.scatterlayer .point, .barlayer .point').length,
      fills: [...new Set([...f.querySelectorAll('.scatterlayer .point')].map((p) => getComputedStyle(p).fill))],
    };
  });
  const overflow = [...document.querySelectorAll('th, td, figcaption, li, p, h1, h2')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => `${e.tagName}: ${e.textContent.slice(0, 60)}`);
  const docWidth = document.documentElement.scrollWidth;
  const chartOverflow = [...document.querySelectorAll('figure.chart')].filter((f) => {
    const fb = f.getBoundingClientRect();
    return [...f.querySelectorAll('.main-svg')].some((s) => s.getBoundingClientRect().right > fb.right + 1);
  }).map((f) => f.querySelector('figcaption').textContent);
  return {
    background: getComputedStyle(document.body).backgroundColor, color: getComputedStyle(document.body).color,
    table: table ? {
      headers: [...table.querySelectorAll('th')].map((t) => t.textContent.trim()),
      rows: [...table.querySelectorAll('tbody tr')].map((r) => [...r.cells].map((c) => c.innerText.trim())),
    } : null,
    charts, overflow, chart_overflow: chartOverflow, page_width: docWidth, viewport: window.innerWidth,
  };
}

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
  page.setDefaultTimeout(180000);   // a 5 MB page (plotly.js inlined) on a loaded machine
  page.on('console', (m) => { if (m.type() === 'error') out.console_errors.push(m.text()); });
  page.on('pageerror', (e) => out.page_errors.push(String(e)));
  page.on('request', (r) => out.requests.push(r.url()));
  for (const view of VIEWS) {
    await page.setViewportSize({ width: view.width, height: 900 });
    await page.emulateMedia({ colorScheme: view.scheme });
    await page.goto(pathToFileURL(REPORT).href, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    const seen = Object.assign({ width: view.width, scheme: view.scheme }, await page.evaluate(describe));
    if (SHOT_DIR) {
      fs.mkdirSync(SHOT_DIR, { recursive: true });
      seen.screenshot = path.join(path.resolve(SHOT_DIR), `report-${view.width}-${view.scheme}.png`);
      await page.screenshot({ path: seen.screenshot, fullPage: true });
    }
    out.views.push(seen);
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
