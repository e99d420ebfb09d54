// The Firefox suite (`npm run test:firefox`, part of `npm test`): the built site in Debian's
// Firefox ESR, driven over WebDriver BiDi by puppeteer-core (Playwright's own Firefox build cannot
// be downloaded here). It opens every page with no page error, console error or failed request,
// checks that each draws as many live widgets as Chromium does (counted in Chromium by the same
// code, in the same run), passes the Algorithm 1 exercise in a code cell, and trains a seeded
// 30-step lab twin on WASM after the lab's probe has said that WebGPU is unavailable.
// Without Firefox (/usr/bin/firefox-esr or $FIREFOX_PATH) it says so and exits 0; `.ci/run`
// installs firefox-esr. Run `npm run build` first. `--screenshot DIR` saves the lab at 1440×900.
// Ends with "N passed, M failed", like the conformance runner.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { chromiumArgs, chromiumPath, serveDist } from '../../scripts/browser.ts';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const PORT = Number(process.env.FIREFOX_SUITE_PORT ?? 4397);
const BASE = `http://127.0.0.1:${PORT}`;
const args = process.argv.slice(2);
const screenshotDir = args.includes('--screenshot') ? args[args.indexOf('--screenshot') + 1] : undefined;

if (!existsSync(FIREFOX)) {
  console.log(`Firefox suite skipped: no Firefox at ${FIREFOX} (install firefox-esr, or set FIREFOX_PATH).`);
  process.exit(0);
}
if (!existsSync('dist/index.html')) {
  console.error('dist/ is empty: run `npm run build` first.');
  process.exit(1);
}

/** Every page of the built site: each index.html, as its path (the benchmark and sandbox pages are not the site's). */
function sitePages(dir = 'dist'): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!['bench', 'sandbox', '_astro', 'data'].includes(name)) out.push(...sitePages(path));
    } else if (name === 'index.html') out.push(`/${relative('dist', dir)}/`.replace('//', '/'));
  }
  return out.sort();
}

/** Page errors, console errors, failed requests and HTTP errors while `page` is open. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err instanceof Error ? err.message : String(err)}`));
  page.on('console', (msg) => msg.type() === 'error' && problems.push(`console: ${msg.text()}`));
  page.on('requestfailed', (req) => problems.push(`failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('response', (res) => res.status() >= 400 && problems.push(`HTTP ${res.status()}: ${res.url()}`));
  return problems;
}

/**
 * Scrolls through the page so every lazy widget comes near the viewport, waits until none is
 * still loading, and counts those that mounted (`data-state="ready"`) and those that failed.
 */
async function liveWidgets(page: Page, path: string): Promise<{ ready: number; failed: number }> {
  await page.goto(`${BASE}${path}`, { waitUntil: 'load' });
  await page.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
      scrollTo(0, y);
      await frame();
    }
  });
  await page.waitForFunction(() => document.querySelectorAll('[data-state="loading"]').length === 0, { timeout: 120_000, polling: 100 });
  return page.evaluate(() => ({
    ready: document.querySelectorAll('[data-state="ready"]').length,
    failed: document.querySelectorAll('[data-state="failed"]').length,
  }));
}

type Check = { name: string; run: () => Promise<void> };
const checks: Check[] = [];
const check = (name: string, run: () => Promise<void>) => checks.push({ name, run });
function assert(ok: unknown, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

const server = await serveDist(PORT);
const firefox: Browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
const pages = sitePages();

// Chromium's count of live widgets per page, by the same code: what Firefox must match.
const chromiumCounts = new Map<string, { ready: number; failed: number }>();
{
  const chromium = await puppeteer.launch({ executablePath: chromiumPath() ?? '/usr/bin/chromium', args: chromiumArgs(), headless: true });
  try {
    for (const path of pages) {
      const page = await chromium.newPage();
      await page.setViewport({ width: 1280, height: 800 });
      chromiumCounts.set(path, await liveWidgets(page, path));
      await page.close();
    }
  } finally {
    await chromium.close();
  }
}

/** A fresh Firefox page at 1280×800 with its problems watched. */
async function firefoxPage(width = 1280, height = 800): Promise<{ page: Page; problems: string[] }> {
  const page = await firefox.newPage();
  await page.setViewport({ width, height });
  return { page, problems: watchProblems(page) };
}

for (const path of pages) {
  check(`${path}: no page errors or failed requests; as many live widgets as in Chromium`, async () => {
    const { page, problems } = await firefoxPage();
    try {
      const got = await liveWidgets(page, path);
      const want = chromiumCounts.get(path)!;
      assert(want.failed === 0, `${want.failed} widgets failed in Chromium`);
      assert(got.failed === 0, `${got.failed} widgets failed to start in Firefox`);
      assert(got.ready === want.ready, `Firefox drew ${got.ready} live widgets, Chromium ${want.ready}`);
      assert(problems.length === 0, problems.join('\n'));
      console.log(`  ${path}: ${got.ready} live widgets in both browsers`);
    } finally {
      await page.close();
    }
  });
}

/** Algorithm 1 written here, independently of the registry's solution. */
const ALGORITHM_1 = `function batchNorm(x, gamma, beta, eps) {
  const n = x.shape[0];
  const mean = tf.div(tf.sum(x, 0), n);
  const centred = tf.sub(x, mean);
  const variance = tf.div(tf.sum(tf.mul(centred, centred), 0), n);
  return { y: tf.add(tf.mul(gamma, tf.div(centred, tf.sqrt(tf.add(variance, eps)))), beta), mean, variance };
}`;

check('the Algorithm 1 exercise passes in its code cell', async () => {
  const { page, problems } = await firefoxPage();
  try {
    await page.goto(`${BASE}/chapters/the-transform/`);
    const cell = await page.evaluateHandle(() =>
      [...document.querySelectorAll('bn-code-cell')].find((c) => c.querySelector('[aria-labelledby]')?.textContent?.includes('Exercise: Algorithm 1') || c.textContent?.includes('Exercise: Algorithm 1')),
    );
    const el = cell.asElement();
    assert(el, 'no code cell titled "Exercise: Algorithm 1" on the-transform');
    await el.evaluate((c) => (c as HTMLElement).scrollIntoView({ block: 'center' }));
    await page.waitForFunction((c) => (c as HTMLElement).dataset.state === 'ready', { timeout: 60_000 }, el);
    // Select the editor's text and type over it: CodeMirror takes the insertion as one input event
    // (typing key by key would have it auto-close brackets and indent).
    await el.$eval('.cm-content', (content) => (content as HTMLElement).focus());
    await page.keyboard.down('Control');
    await page.keyboard.press('a');
    await page.keyboard.up('Control');
    await el.$eval('.cm-content', (_content, code) => document.execCommand('insertText', false, code), ALGORITHM_1);
    const typed = await el.$eval('.cm-content', (c) => [...c.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n'));
    assert(typed.trimEnd() === ALGORITHM_1, `the editor holds:\n${typed}`);
    const runsBefore = Number((await el.evaluate((c) => (c as HTMLElement).dataset.runs)) ?? 0);
    await el.$eval('button[data-run]', (b) => (b as HTMLButtonElement).click());
    await page.waitForFunction((c, n) => Number((c as HTMLElement).dataset.runs ?? 0) > n, { timeout: 60_000 }, el, runsBefore);
    const output = await el.$eval('[data-output]', (o) => o.textContent ?? '');
    assert(/All \d+ reference cases pass\./.test(output), `output: ${output.slice(0, 300)}`);
    assert(problems.length === 0, problems.join('\n'));
  } finally {
    await page.close();
  }
});

check('the lab says WebGPU is unavailable and trains a seeded 30-step twin on WASM', async () => {
  const { page, problems } = await firefoxPage(1440, 900);
  try {
    await page.goto(`${BASE}/lab/?preset=cnn&steps=30&batch=32&lr=0.01&opt=adam&seed=1`);
    await page.waitForFunction(() => ['ready', 'failed'].includes(document.querySelector('bn-lab')?.getAttribute('data-phase') ?? ''), { timeout: 180_000, polling: 200 });
    const probeLine = await page.$eval('[data-probe-line]', (p) => p.textContent ?? '');
    const hasWebGpu = await page.evaluate(() => 'gpu' in navigator);
    if (!hasWebGpu) assert(probeLine.includes('WebGPU (unavailable)'), `probe line: ${probeLine}`);
    else assert(probeLine.includes('WebGPU'), `this Firefox offers WebGPU and the probe line does not report it: ${probeLine}`);
    await page.select('#lab-backend', 'wasm');
    await page.$eval('button[data-action="start"]', (b) => (b as HTMLButtonElement).click());
    await page.waitForFunction(() => /Finished: 30 steps/.test(document.querySelector('p[data-status]')?.textContent ?? ''), { timeout: 300_000, polling: 500 });
    const backend = await page.$eval('bn-lab', (l) => l.getAttribute('data-backend'));
    assert(backend === 'wasm', `trained on ${backend}`);
    const accuracy = await page.$eval('[data-out="acc-norm"]', (o) => o.textContent ?? '');
    assert(/^\d+(\.\d+)?%$/.test(accuracy.trim()), `BN test accuracy reads "${accuracy}"`);
    if (screenshotDir) await page.screenshot({ path: join(screenshotDir, 'lab-firefox-1440.png') as `${string}.png` });
    console.log(`  probe: ${probeLine.trim()}; BN test accuracy after 30 steps ${accuracy}`);
    assert(problems.length === 0, problems.join('\n'));
  } finally {
    await page.close();
  }
});

let passed = 0;
let failed = 0;
try {
  console.log(`Firefox suite: ${(await firefox.version())} against ${BASE}`);
  for (const c of checks) {
    try {
      await c.run();
      passed++;
      console.log(`ok   ${c.name}`);
    } catch (err) {
      failed++;
      console.log(`FAIL ${c.name}\n     ${(err instanceof Error ? err.message : String(err)).replace(/\n/g, '\n     ')}`);
    }
  }
} finally {
  await firefox.close();
  server.kill();
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
