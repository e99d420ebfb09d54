import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { CELLS, type Exercise } from '../../components/code-cell/exercises';
import { axeInBothThemes } from './axe';
import { test, expect } from './fixtures';
import { PORT } from './ports';

const EXERCISES = CELLS.filter((c): c is Exercise => c.kind === 'exercise');

/** The cell whose region has this name, scrolled into view and mounted. */
async function openCell(page: Page, chapter: string, name: string): Promise<Locator> {
  await page.goto(`/chapters/${chapter}/`);
  const cell = page.locator('bn-code-cell').filter({ has: page.getByRole('region', { name, exact: true }) });
  await cell.scrollIntoViewIfNeeded();
  await expect(cell).toHaveAttribute('data-state', 'ready');
  return cell;
}

async function setCode(cell: Locator, code: string): Promise<void> {
  await cell.locator('.cm-content').click();
  await cell.page().keyboard.press('ControlOrMeta+a');
  await cell.page().keyboard.insertText(code);
}

/** The editor's text, without trailing blank lines (the starters end with a newline). */
const codeOf = async (cell: Locator): Promise<string> =>
  (await cell.locator('.cm-content').evaluate((el) => [...el.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n'))).trimEnd();

/** Presses Run and waits for this run's output. */
async function run(cell: Locator): Promise<Locator> {
  const before = Number((await cell.getAttribute('data-runs')) ?? 0);
  await cell.getByRole('button', { name: 'Run' }).click();
  await expect(cell).toHaveAttribute('data-runs', String(before + 1), { timeout: 20_000 });
  return cell.locator('[data-output]');
}

/** Algorithm 1 written here, independently of the registry's solution. */
const MY_ALGORITHM_1 = `function batchNorm(x, gamma, beta, eps) {
  const n = x.shape[0];
  const mean = tf.div(tf.sum(x, 0), n);
  const centred = tf.sub(x, mean);
  const variance = tf.div(tf.sum(tf.mul(centred, centred), 0), n);
  return { y: tf.add(tf.mul(gamma, tf.div(centred, tf.sqrt(tf.add(variance, eps)))), beta), mean, variance };
}`;

test('Algorithm 1: a correct solution passes every reference case', async ({ page }) => {
  const cell = await openCell(page, 'the-transform', 'Exercise: Algorithm 1');
  await setCode(cell, MY_ALGORITHM_1);
  const out = await run(cell);
  await expect(out).toContainText('All 3 reference cases pass.');
  for (const name of ['bn1d_train_small', 'bn1d_train_random', 'near_eps']) await expect(out.locator(`tr[data-case="${name}"] td`).first()).toHaveText('pass');
  await expect(out.locator('.cell-hint')).toHaveCount(0);
  await expect(cell.getByRole('button', { name: 'Show solution' })).toBeHidden();
});

// Every exercise's every mistake is named on Node (tests/unit/cells/cells.test.ts, the same
// checker); in the page, Algorithm 1 shows each of its hints and the others their first.
for (const ex of EXERCISES) {
  const shown = ex.id === 'algorithm-1' ? ex.mistakes : ex.mistakes.slice(0, 1);
  test(`${ex.title}: the solution passes, and ${shown.length > 1 ? 'each classic mistake fails' : 'a classic mistake fails'} with its hint`, async ({ page }) => {
    test.setTimeout(120_000);
    const cell = await openCell(page, ex.chapter, ex.title);
    // The starter fails, which offers the solution.
    await expect(await run(cell)).toContainText('reference cases fail');
    for (const mistake of shown) {
      await setCode(cell, mistake.code);
      const out = await run(cell);
      await expect(out).toContainText('reference cases fail');
      await expect(out.locator('.cell-hint')).toHaveAttribute('data-mistake', mistake.id);
      await expect(out.locator('.cell-hint')).toContainText(mistake.hint);
    }
    await cell.getByRole('button', { name: 'Show solution' }).click();
    expect(await codeOf(cell)).toBe(ex.solution.trimEnd());
    await expect(await run(cell)).toContainText(`All ${ex.cases.length + (ex.generated?.length ?? 0)} reference cases pass.`);
  });
}

test('errors name the line in the reader’s code; tensors print with shape and dtype', async ({ page }) => {
  const cell = await openCell(page, 'why-normalize', 'Try it: normalize your own batch');
  await setCode(cell, 'const a = tf.tensor1d([1, 2]);\nconsole.log("before");\nnull.x;\n');
  let out = await run(cell);
  await expect(out.locator('.cell-log')).toHaveText('before');
  await expect(out.locator('.cell-error')).toContainText('Line 3: TypeError');
  await setCode(cell, 'const a = 1;\nconst b = ;\n');
  out = await run(cell);
  await expect(out.locator('.cell-error')).toContainText('Line 2: SyntaxError');
  await setCode(cell, 'return tf.tensor2d([[1, 2], [3, 4]]);');
  out = await run(cell);
  await expect(out.locator('.cell-value')).toContainText('Tensor shape [2, 2] float32');
  await expect(out.locator('.cell-value')).toContainText('[[1, 2],');
});

test('Shift+Enter in the editor runs the cell', async ({ page }) => {
  const cell = await openCell(page, 'conv-layers', 'Try it: a conv layer’s statistics');
  await cell.locator('.cm-content').click();
  await page.keyboard.press('Shift+Enter');
  await expect(cell).toHaveAttribute('data-runs', '1', { timeout: 20_000 });
  await expect(cell.locator('.cell-log')).toContainText('statistics per channel, shape [3]');
  await expect(cell.locator('.cell-value')).toContainText('mean: Tensor shape [3] float32');
});

test('Tab indents in the editor; Escape then Tab leaves it', async ({ page }) => {
  const cell = await openCell(page, 'pitfalls', 'Try it: a batch of one');
  await setCode(cell, 'x');
  await page.keyboard.press('Home');
  await page.keyboard.press('Tab');
  expect(await codeOf(cell)).toBe('  x');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  expect(await codeOf(cell)).toBe('  x');
  await expect(cell.locator('.cm-content')).not.toBeFocused();
  await expect(cell.getByRole('button', { name: 'Run' })).toBeFocused();
});

test('a reload keeps the edited code; Reset restores the starter', async ({ page }) => {
  const ex = EXERCISES.find((e) => e.id === 'fold')!;
  let cell = await openCell(page, ex.chapter, ex.title);
  const edited = '// my attempt\nfunction fold(filter, bias) { return { filter, bias }; }';
  await setCode(cell, edited);
  await page.reload();
  cell = page.locator('bn-code-cell').filter({ has: page.getByRole('region', { name: ex.title, exact: true }) });
  await cell.scrollIntoViewIfNeeded();
  await expect(cell).toHaveAttribute('data-state', 'ready');
  expect(await codeOf(cell)).toBe(edited);
  await cell.getByRole('button', { name: 'Reset' }).click();
  expect(await codeOf(cell)).toBe(ex.starter.trimEnd());
  await page.reload();
  await cell.scrollIntoViewIfNeeded();
  await expect(cell).toHaveAttribute('data-state', 'ready');
  expect(await codeOf(cell)).toBe(ex.starter.trimEnd());
});

test('code in a shared link is shown, not run until Run; a malformed link is reported and the cell keeps its code', async ({ page }) => {
  const open = CELLS.find((c) => c.id === 'normalize-your-batch')!;
  let cell = await openCell(page, open.chapter, open.title);
  const shared = 'const answer = 6 * 7;\nconsole.log("shared", answer);';
  await setCode(cell, shared);
  await cell.getByRole('button', { name: 'Copy link' }).click();
  const link = await cell.locator('[data-share-url]').inputValue();
  expect(new URL(link).searchParams.get(`cell.${open.id}`)).toMatch(/^[A-Za-z0-9_-]+$/);
  // The reader's own kept edit differs, so the page must show the link's code, not the storage's.
  await setCode(cell, '// my own edit');
  await page.goto(link);
  cell = page.locator('bn-code-cell').filter({ has: page.getByRole('region', { name: open.title, exact: true }) });
  await expect(cell).toHaveAttribute('data-state', 'ready');
  expect(await codeOf(cell)).toBe(shared);
  await expect(cell.locator('[data-from-link]')).toBeVisible();
  await expect(cell.locator('[data-from-link]')).toContainText('press Run to run it');
  // Nothing ran: no output and no run counted.
  await expect(cell.locator('[data-output]')).toBeEmpty();
  expect(await cell.getAttribute('data-runs')).toBeNull();
  const output = await run(cell);
  await expect(output.locator('.cell-log')).toHaveText('shared 42');
  // A link whose code is not base64url text: one line, and the cell shows its own code.
  await page.goto(`/chapters/${open.chapter}/?cell.${open.id}=%25%25not-code!#cell-${open.id}-root`);
  await expect(cell).toHaveAttribute('data-state', 'ready');
  await expect(cell.locator('[data-widget-error]')).toHaveText(/^The code in this link could not be read \(it is not base64url text\); the cell keeps its own code\.$/);
  expect(await codeOf(cell)).toBe('// my own edit');
  await expect(cell.locator('[data-from-link]')).toBeHidden();
  await expect(cell.locator('[data-output]')).toBeEmpty();
  // Code too long for a link is refused in one line.
  await setCode(cell, `// ${'x'.repeat(5000)}`);
  await cell.getByRole('button', { name: 'Copy link' }).click();
  await expect(cell.locator('[data-widget-error]')).toHaveText(/^This code is too long to share in a link: [\d,]+ characters encoded, at most 6,000\.$/);
  await cell.getByRole('button', { name: 'Reset' }).click();
});

test('an endless loop is stopped by the 5 s limit while the page keeps answering', async ({ page }) => {
  test.setTimeout(60_000);
  const cell = await openCell(page, 'backward-pass', 'Try it: the gradient by automatic differentiation');
  await setCode(cell, 'while (true) {}');
  await cell.getByRole('button', { name: 'Run' }).click();
  await expect(cell.locator('[data-output]')).toContainText('Running…');
  // While the loop spins in the sandbox's worker, the page still runs scripts and answers. (How
  // long that takes is the bench's business: no test asserts a duration.)
  while ((await cell.getAttribute('data-run-state')) === 'running') {
    expect(await page.evaluate(() => document.title.length)).toBeGreaterThan(0);
  }
  // The page's own limit stopped it (the sandbox's worker was terminated), not the test's timeout.
  await expect(cell.locator('.cell-error')).toHaveText(/^Stopped after 5 s/);
  // The sandbox starts a fresh worker: the next run works.
  await setCode(cell, 'return 1 + 1;');
  await expect(await run(cell)).toContainText('2');
});

test('reader code cannot reach the page or its storage', async ({ page }) => {
  const cell = await openCell(page, 'train-vs-inference', 'Try it: a running mean over 50 batches');
  await page.evaluate(() => localStorage.setItem('secret', 'page-only'));
  await setCode(
    cell,
    `const idb = await new Promise((done) => {
  try { const q = indexedDB.open('probe'); q.onsuccess = () => done('idb opened'); q.onerror = () => done('idb refused'); } catch (e) { done('idb refused'); }
});
return [typeof document, typeof localStorage, idb, self.origin].join(' ');`,
  );
  const out = await run(cell);
  // A worker has no document or localStorage, and its opaque origin gets no storage of its own.
  await expect(out.locator('.cell-value')).toHaveText('undefined undefined idb refused null');
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).not.toContain("'unsafe-eval'");
  await expect(page.locator('iframe[sandbox="allow-scripts"]')).toHaveAttribute('src', '/sandbox/');
});

test.describe('network from a cell', () => {
  const port = PORT + 2;
  const log = join(mkdtempSync(join(tmpdir(), 'cells-')), 'requests.log');
  let server: ChildProcess;
  test.use({ baseURL: `http://127.0.0.1:${port}` });
  test.beforeAll(async () => {
    server = spawn(process.execPath, ['scripts/serve.ts', 'dist', String(port), `--log=${log}`], { stdio: 'ignore' });
    await expect.poll(() => fetch(`http://127.0.0.1:${port}/`).then((r) => r.status, () => 0), { timeout: 20_000 }).toBe(200);
  });
  test.afterAll(() => void server.kill());

  test('fetch, synchronous XHR and importScripts reach no server', async ({ page, problems }) => {
    // The sandbox's policy refusing them may be reported; nothing else may go wrong (checked after the test).
    problems.allow(/cell-probe/);
    const cell = await openCell(page, 'conv-layers', 'Try it: a conv layer’s statistics');
    const base = `http://127.0.0.1:${port}`;
    await setCode(
      cell,
      `const results = [];
try { await fetch('${base}/cell-probe-fetch'); results.push('fetch reached'); } catch (e) { results.push('fetch blocked'); }
try { const r = new XMLHttpRequest(); r.open('GET', '${base}/cell-probe-xhr', false); r.send(); results.push('xhr reached'); } catch (e) { results.push('xhr blocked'); }
try { importScripts('${base}/cell-probe-import.js'); results.push('import reached'); } catch (e) { results.push('import blocked'); }
return results.join(', ');`,
    );
    const out = await run(cell);
    await expect(out.locator('.cell-value')).toHaveText('fetch blocked, xhr blocked, import blocked');
    const requests = readFileSync(log, 'utf8').split('\n');
    // The log works (the page and the sandbox were served) and holds no probe.
    expect(requests).toContain('GET /sandbox/');
    expect(requests.filter((r) => r.includes('cell-probe'))).toEqual([]);
  });
});

test('axe passes with a cell showing output and an error, in both themes', async ({ page }) => {
  const cell = await openCell(page, 'the-transform', 'Exercise: Algorithm 1');
  await run(cell);
  const open = page.locator('bn-code-cell').filter({ has: page.getByRole('region', { name: 'Try it: your transform against tf.batchNorm', exact: true }) });
  await open.scrollIntoViewIfNeeded();
  await expect(open).toHaveAttribute('data-state', 'ready');
  await setCode(open, 'const x = 1;\nnull.x;');
  await expect((await run(open)).locator('.cell-error')).toContainText('Line 2');
  expect(await axeInBothThemes(page, ['bn-code-cell'])).toEqual([]);
});

test('a solved exercise is marked in the chapter list, kept across pages, and the mark moves nothing', async ({ page, expectClean }) => {
  const ex = EXERCISES.find((e) => e.id === 'standardize')!;
  const cell = await openCell(page, ex.chapter, ex.title);
  const nav = page.locator('.nav-wide');
  const item = nav.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Why normalize?' }) });
  const mark = item.locator('.nav-progress');
  await expect(mark).toBeEmpty();
  const before = await item.getByRole('link').boundingBox();
  await setCode(cell, ex.solution);
  await expect(await run(cell)).toContainText('reference cases pass');
  await expect(mark).toHaveText('✓1 of 1 exercise solved');
  expect(await item.getByRole('link').boundingBox()).toEqual(before);
  // Another chapter's page reads the same store; the chapter with two exercises shows how many.
  await page.goto('/chapters/train-vs-inference/');
  await expect(page.locator('.nav-wide').getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Why normalize?' }) }).locator('.nav-progress')).toHaveText('✓1 of 1 exercise solved');
  await expect(page.locator('.nav-wide .nav-progress:not(:empty)')).toHaveCount(1);
  expectClean();
});
