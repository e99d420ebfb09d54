import { readFile } from 'node:fs/promises';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { pad, reading, READINGS } from './digit-tools';
import { test, expect, recordProblems, type PageProblems } from './fixtures';
import { chartTextProblems } from './chart-text';
import { ISOLATED_PORT } from './ports';
import { expectFastestChosen, type ProbeResult } from './probe-result';
import { axeInBothThemes } from './axe';

const percent = (text: string | null): number => Number((text ?? '').replace('%', ''));

/** The seeded run: the CNN, 200 steps of Adam at 0.01, batch 32, on WASM. */
const RUN_200 = '/lab/?preset=cnn&steps=200&batch=32&lr=0.01&opt=adam&seed=1&backend=wasm&autostart=1';

/** A vertical stroke down the middle of the pad, drawn with the mouse. */
async function drawVerticalStroke(page: Page, target: Locator): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  const x = box.x + box.width / 2;
  await page.mouse.move(x, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(x, box.y + box.height * (0.15 + 0.06 * i));
  await page.mouse.up();
}

// One training run, checked in turn by the tests below on the same page: each of them used to
// train its own CNN (200, 300 and 100 steps, and 10 with a final evaluation), which took most of
// the lab project's time on a busy machine. The run is in beforeAll, so a failing check does not
// skip the others: Playwright starts a new worker after a failure, which trains again for the rest.
test.describe('one seeded 200-step CNN run on WASM', () => {
  test.describe.configure({ mode: 'default' });
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  /** The run's BN test accuracy as the lab showed it, in percent. */
  let cnnAccuracy = Number.NaN;

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(300_000);
    // A context of the block's own, so the page outlives each test; its problems are recorded and
    // checked after each test as the fixture does for ordinary tests.
    const baseURL = test.info().project.use.baseURL;
    context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
    problems = recordProblems(context, baseURL);
    page = await context.newPage();
    await page.goto(RUN_200);
    const lab = page.locator('bn-lab');
    await expect(lab).toHaveAttribute('data-phase', 'training', { timeout: 60_000 });
    await expect(page.locator('p[data-status]')).toContainText('Training');
    await expect(lab).toHaveAttribute('data-backend', 'wasm');
    await expect(page.locator('p[data-status]')).toContainText('Finished', { timeout: 240_000 });
    cnnAccuracy = percent(await page.getByLabel('test accuracy (BN)', { exact: true }).textContent());
  });
  test.afterEach(() => expect(problems.unexpected(), 'page problems').toEqual([]));
  test.afterAll(() => context.close());

  // Whether the page stays responsive while the worker trains is a matter of time, so it is
  // measured by `npm run bench` (the longest script of the site's own), not asserted here.
  test('BN reaches 85% and beats no-BN, the final evaluation reported its progress, the charts are drawn', async () => {
    const accPlain = percent(await page.getByLabel('test accuracy (no BN)', { exact: true }).textContent());
    expect(cnnAccuracy).toBeGreaterThanOrEqual(85);
    expect(cnnAccuracy).toBeGreaterThanOrEqual(accPlain);
    await expect(page.locator('bn-lab')).toHaveAttribute('data-final-examples', '10000');
    // The final evaluation over the whole test set reported its progress to the end.
    await expect(page.locator('label[for="lab-data-progress"]')).toHaveText('Final evaluation');
    await expect(page.locator('[data-progress-text]')).toHaveText('20000 of 20000 test images (both runs together)');
    // Charts were drawn from real metrics.
    await expect(page.locator('[data-chart="loss"] g[aria-label="line"] path')).toHaveCount(2);
    await expect(page.locator('[data-chart="percentiles"] g[aria-label="area"] path')).toHaveCount(2);
    // Their text readable: 12 px or more, inside each chart, no label on another.
    expect(await chartTextProblems(page, 'bn-lab')).toEqual([]);
  });

  test('the digit tools: a drawn 1 is read as 1, four readings, the gallery, Clear, picking by keyboard, feature maps, every layer, confusion matrices', async () => {
    test.setTimeout(120_000);
    // The gallery: 24 test digits, each named with its label and both networks' predictions.
    const gallery = page.getByRole('list', { name: 'Test digits' }).getByRole('button');
    await expect(gallery).toHaveCount(24);
    const names = await gallery.evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label') ?? ''));
    for (const name of names) expect(name).toMatch(/^test digit \d: BN predicts \d, plain predicts \d$/);
    // Misclassified ones are marked, and only those.
    const marked = await page.locator('[data-gallery] li').evaluateAll((lis) => lis.map((li) => li.classList.contains('wrong')));
    names.forEach((name, i) => {
      const [, truth, bn, plain] = name.match(/test digit (\d): BN predicts (\d), plain predicts (\d)/)!;
      expect(marked[i], name).toBe(bn !== truth || plain !== truth);
    });
    expect(names.filter((n) => /test digit (\d): BN predicts \1,/.test(n)).length, 'BN right on most gallery digits').toBeGreaterThanOrEqual(18);

    // A vertical stroke in the middle of the pad is a 1 for the BN network in inference mode.
    await drawVerticalStroke(page, pad(page));
    await expect(reading(page, READINGS[0]!)).toHaveText(/^1 \(/);
    for (const label of READINGS) await expect(reading(page, label)).toHaveText(/^\d \(\d+%; next \d, \d+%\)$/);
    await expect(page.getByRole('img', { name: /^The 28×28 input the networks read/ })).toBeVisible();
    // Probabilities as ten bars per reading.
    await expect(page.locator('[data-bars="normInference"] .bar')).toHaveCount(10);

    // Clear empties the pad and the readings.
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect(pad(page)).toHaveAttribute('data-empty', 'true');
    for (const label of READINGS) await expect(reading(page, label)).toHaveText('—');
    await expect(page.getByRole('img', { name: 'The 28×28 input: empty' })).toBeAttached();

    // From the keyboard: a test digit placed in the pad is read like a drawing. Test digit 0 is a 7.
    await gallery.first().focus();
    await page.keyboard.press('Enter');
    await expect(pad(page)).toHaveAttribute('data-empty', 'false');
    await expect(reading(page, READINGS[0]!)).toHaveText(names[0]!.includes('BN predicts 7') ? /^7 \(/ : /^\d \(/);

    // Inside the network: a layer chosen by keyboard shows its maps before and after BN, and the plain twin's.
    const layer2 = page.getByRole('button', { name: 'conv 3×3, 16: show layer 2\'s feature maps' });
    await layer2.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'conv 3×3, 16: show layer 2\'s feature maps' })).toHaveAttribute('aria-pressed', 'true');
    const maps = page.locator('[data-feature-maps] canvas');
    await expect(maps).toHaveCount(3);
    await expect(maps.nth(0)).toHaveAttribute('aria-label', /^BN network, conv output \(into BN\), layer 2: 16 channels of 14×14/);
    await expect(maps.nth(1)).toHaveAttribute('aria-label', /^BN network, out of BN \(inference mode\), layer 2/);
    await expect(maps.nth(2)).toHaveAttribute('aria-label', /^plain network, conv output/);

    // Every hidden layer over time, both twins: six bands. The confusion matrices of the final evaluation.
    await expect(page.locator('[data-layer-bands] g[aria-label="area"] path')).toHaveCount(6);
    await expect(page.locator('[data-confusion]')).toHaveAttribute('aria-label', /^Confusion matrices on the test set\. normalized: most often \d read as \d \(\d+ times\); plain: most often/);
    await expect(page.locator('[data-confusion] g[aria-label="cell"]').first()).toBeAttached();
    // The layer bands' and the matrices' text readable: 12 px or more, inside its chart, no label on another.
    expect(await chartTextProblems(page, 'bn-lab')).toEqual([]);

    expect(await axeInBothThemes(page, ['[data-digits]'])).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('its curves export as CSV and its normalized model as tfjs files', async () => {
    const csv = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Curves as CSV' }).click();
    const csvFile = await csv;
    expect(csvFile.suggestedFilename()).toBe('bn-live-curves.csv');
    const text = await readFile((await csvFile.path())!, 'utf8');
    expect(text.split('\n')[0]).toBe('step,run,loss,test_accuracy_inference,test_accuracy_training_mode');
    expect(text).toMatch(/^200,norm,\d/m);
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await page.getByRole('button', { name: 'Normalized model (tfjs)' }).click();
    await expect.poll(() => downloads.slice().sort()).toEqual(['bn-live-norm.json', 'bn-live-norm.weights.bin']);
  });

  test('after it, the lab restarts with the MLP on the cpu backend', async () => {
    test.setTimeout(180_000);
    const status = page.locator('p[data-status]');
    // The paper's MLP: the CNN's final evaluation takes minutes on cpu.
    await page.locator('#lab-backend').selectOption('cpu');
    await page.locator('#lab-preset').selectOption('mlp');
    await page.locator('#lab-steps').fill('3');
    await page.getByRole('button', { name: 'Reset with these settings' }).click();
    await expect(page.locator('[data-out="backend"]')).toHaveText('cpu', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Start' }).click();
    await expect(status).toContainText('Finished: 3 steps', { timeout: 120_000 });
    expect(page.url()).toContain('backend=cpu');
    expect(page.url()).toContain('preset=mlp');
  });

  test("its saved BN CNN is offered to the modern-practice chapter's shift widget, which tests that very network", async () => {
    test.setTimeout(180_000);
    const labAccuracy = cnnAccuracy;
    expect(labAccuracy).toBeGreaterThan(50);

    // Unshifted digits (strength 0): with its stored statistics the network scores what it scored
    // in the lab (all 10 000 test digits there, the first 1 000 here), which no other network would.
    await page.goto('/chapters/modern-practice/?adapt.strength=0');
    const widget = page.locator('bn-shift-adapt');
    await widget.scrollIntoViewIfNeeded();
    await expect(widget).toHaveAttribute('data-state', 'ready');
    await expect(widget.locator('[data-lab-network]')).toContainText(`step 200, BN test accuracy ${labAccuracy.toFixed(1)}%`);
    await widget.getByRole('button', { name: 'Use my lab network' }).click();
    await expect(widget).toHaveAttribute('data-result', /\d/, { timeout: 120_000 });
    await expect(widget.locator('[data-out="status"]')).toContainText('your lab network (step 200); brightness at strength 0');
    const stored = percent(await widget.getByLabel('accuracy with stored statistics', { exact: true }).textContent());
    expect(Math.abs(stored - labAccuracy)).toBeLessThan(4);
    // The shift and its AdaBN answer work on the loaded network as on the chapter's own.
    await widget.getByLabel('strength').fill('0.5');
    await expect(widget.locator('[data-out="status"]')).toContainText('brightness at strength 0.5', { timeout: 60_000 });
    await expect(widget.getByLabel('accuracy with re-estimated statistics', { exact: true })).toHaveText(/^\d+(\.\d)?%$/);
  });
});

test.describe('the lab', () => {
  // Training saturates a core: the `lab` project has one worker (playwright.config.ts), and these
  // run there in file order, never beside each other.
  test.describe.configure({ mode: 'default' });

  test('learning-rate sweep: the plain network fails at a lower rate than the BN network', async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto('/lab/?backend=wasm&seed=1');
    const lab = page.locator('bn-lab');
    await expect(lab).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Learning-rate sweep' }).click();
    await expect(lab).toHaveAttribute('data-sweep', 'done', { timeout: 200_000 });
    const rows = page.locator('[data-sweep] tbody tr');
    await expect(rows).toHaveCount(6);
    const lowestFailure = async (run: string): Promise<number> => {
      for (let i = 0; i < 6; i++) {
        const row = rows.nth(i);
        if ((await row.locator(`td[data-run="${run}"]`).getAttribute('data-diverged')) === 'true') return Number(await row.locator('th').textContent());
      }
      return Number.POSITIVE_INFINITY;
    };
    await expect(page.locator('[data-sweep-chart] g[aria-label="x-axis tick label"] text')).toHaveText(['0.01', '0.1', '0.5', '1', '2', '5']);
    const plain = await lowestFailure('plain');
    const bn = await lowestFailure('norm');
    expect(plain).toBeLessThan(bn);
  });

  // These three count worker scripts and wasm fetches: one worker (workers=1) keeps the counts theirs; the two-worker twin has its own test below.
  test('Start applies the form, the backend included, in the same worker; disabled controls say why', async ({ page }) => {
    test.setTimeout(180_000);
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto('/lab/?preset=mlp&steps=5&backend=wasm&workers=1&autostart=1');
    const status = page.locator('p[data-status]');
    await expect(status).toContainText('Finished: 5 steps', { timeout: 120_000 });
    await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('title', 'Nothing is training.');
    await page.locator('#lab-backend').selectOption('cpu');
    await page.locator('#lab-steps').fill('3');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect(page.locator('[data-out="backend"]')).toHaveText('cpu', { timeout: 60_000 });
    await expect(status).toContainText('Finished: 3 steps', { timeout: 120_000 });
    expect(page.url()).toContain('backend=cpu');
    // The trainer was re-initialised, not replaced: MNIST stays decoded in the one worker.
    expect(workers.filter((u) => u.includes('train.worker'))).toHaveLength(1);
  });

  test('"best available" measures each backend and trains on the fastest, then remembers it', async ({ page }) => {
    test.setTimeout(180_000);
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto('/lab/?preset=mlp&steps=20&backend=auto&workers=1&autostart=1');
    const lab = page.locator('bn-lab');
    await expect(page.locator('[data-probe-line]')).toContainText('→', { timeout: 60_000 });
    const probe = JSON.parse((await lab.getAttribute('data-probe'))!) as ProbeResult;
    expectFastestChosen(probe);
    await expect(lab).toHaveAttribute('data-backend', probe.chosen, { timeout: 60_000 });
    await expect(page.locator('p[data-status]')).toContainText('Finished: 20 steps', { timeout: 120_000 });
    // One probe worker per candidate, then the trainer.
    expect(workers).toHaveLength(probe.outcomes.length + 1);
    // A second visit trains at once on the remembered choice.
    workers.length = 0;
    await page.reload();
    await expect(page.locator('[data-probe-line]')).toContainText('(measured', { timeout: 60_000 });
    await expect(lab).toHaveAttribute('data-phase', 'training', { timeout: 60_000 });
    expect(workers).toHaveLength(1);
  });

  test('one screen at 1440×900: the run controls and the four live charts in view together while training', async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/lab/?preset=mlp&steps=400&backend=wasm&autostart=1');
    const lab = page.locator('bn-lab');
    await expect(lab).toHaveAttribute('data-phase', 'training', { timeout: 60_000 });
    await expect(page.locator('[data-chart="accuracy"] g[aria-label="line"]')).toHaveCount(1, { timeout: 60_000 });
    await page.locator('form.lab').evaluate((form) => window.scrollTo(0, form.getBoundingClientRect().top + window.scrollY));
    const boxes = await page.evaluate(() =>
      ['[data-chart="loss"]', '[data-chart="accuracy"]', '[data-chart="percentiles"]', '[data-chart="running"]', '[data-action="start"]', '[data-action="pause"]'].map((sel) => {
        const r = document.querySelector(sel)!.getBoundingClientRect();
        return { sel, top: r.top, bottom: r.bottom, left: r.left, right: r.right };
      }),
    );
    for (const b of boxes) {
      expect(b.top, `${b.sel} top`).toBeGreaterThanOrEqual(0);
      expect(b.bottom, `${b.sel} bottom`).toBeLessThanOrEqual(900);
      expect(b.right, `${b.sel} right`).toBeLessThanOrEqual(1440);
    }
  });

  test('on a phone the settings fold behind a summary and the loss chart is in view after Start', async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto('/lab/?preset=mlp&steps=300&backend=wasm');
    const lab = page.locator('bn-lab');
    await expect(lab).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
    await expect(page.locator('[data-settings-summary]')).toHaveText('Settings: MLP · BN · SGD 0.5 · batch 60 · WASM');
    await expect(page.locator('details.lab-settings')).not.toHaveAttribute('open');
    const start = page.getByRole('button', { name: 'Start' });
    await start.scrollIntoViewIfNeeded();
    await start.click();
    await expect(page.locator('[data-chart="loss"] g[aria-label="line"]')).toHaveCount(1, { timeout: 60_000 });
    const loss = await page.locator('[data-chart="loss"]').boundingBox();
    expect(loss!.y, 'the loss chart starts on screen').toBeLessThan(740);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  });

  test.describe('on a cross-origin isolated page', () => {
    test.use({ baseURL: `http://127.0.0.1:${ISOLATED_PORT}` });

    test('the lab trains on the multi-threaded WASM build', async ({ page }) => {
      test.setTimeout(180_000);
      const wasmFiles: string[] = [];
      page.on('request', (r) => {
        if (r.url().endsWith('.wasm')) wasmFiles.push(new URL(r.url()).pathname.split('/').pop()!);
      });
      await page.goto('/lab/?preset=cnn&steps=30&batch=32&lr=0.01&opt=adam&seed=1&backend=wasm&workers=1&autostart=1');
      expect(await page.evaluate(() => crossOriginIsolated), 'page is cross-origin isolated').toBe(true);
      const lab = page.locator('bn-lab');
      await expect(lab).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
      expect(wasmFiles.filter((f) => f.startsWith('tfjs-backend-wasm-threaded-simd')), `wasm files fetched: ${wasmFiles.join(', ')}`).toHaveLength(1);
      // tfjs gives XNNPACK half the logical cores, at most 4: one thread on a two-core machine.
      const threads = Number(await lab.getAttribute('data-threads'));
      expect(threads).toBeGreaterThanOrEqual(1);
      await expect(page.locator('[data-out="backend"]')).toHaveText(threads === 1 ? 'wasm (one thread)' : `wasm (${threads} threads)`);
      await expect(page.locator('p[data-status]')).toContainText('Finished: 30 steps', { timeout: 150_000 });
      expect(percent(await page.getByLabel('test accuracy (BN)', { exact: true }).textContent())).toBeGreaterThanOrEqual(60);
    });
  });

  test('settings in the URL are validated: a bad value is reported and the default kept', async ({ page }) => {
    await page.goto('/lab/?lr=banana&batch=0&steps=<script>&backend=cpu');
    const alert = page.locator('#lab-error');
    await expect(alert).toContainText('"lr"');
    await expect(alert).toContainText('"batch"');
    await expect(page.locator('#lab-lr')).toHaveValue('0.01');
    await expect(page.locator('#lab-batch')).toHaveValue('32');
    await expect(page.locator('#lab-steps')).toHaveValue('200');
  });
});


test('each twin in a worker of its own trains the one-worker curves bit for bit (WASM, seeded, 20 steps)', async ({ page }) => {
  /** Each metrics read's step and both losses, and each evaluation's accuracies, from the curves' JSON export. */
  const curves = async (workers: 1 | 2) => {
    await page.goto(`/lab/?preset=mlp&steps=20&seed=3&backend=wasm&workers=${workers}&autostart=1`);
    await expect(page.locator('p[data-status]')).toContainText('Finished', { timeout: 90_000 });
    await expect(page.locator('bn-lab')).toHaveAttribute('data-workers', String(workers));
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Curves as JSON' }).click();
    const json = JSON.parse(await readFile((await (await download).path())!, 'utf8')) as {
      metrics: Array<{ step: number; runs: Record<string, { loss: number }> }>;
      evals: Array<{ step: number; runs: Record<string, { inferAccuracy: number }> }>;
    };
    return {
      losses: json.metrics.map((m) => [m.step, m.runs.norm!.loss, m.runs.plain!.loss]),
      accuracies: json.evals.map((e) => [e.step, e.runs.norm!.inferAccuracy, e.runs.plain!.inferAccuracy]),
    };
  };
  const one = await curves(1);
  const two = await curves(2);
  expect(one.losses.map(([step]) => step)).toContain(20);
  expect(one.losses.every(([, norm, plain]) => Number.isFinite(norm) && Number.isFinite(plain))).toBe(true);
  expect(two).toEqual(one);
  await expect(page.locator('[data-out="speed"]')).toContainText('examples/s over both runs, each in a worker of its own');
});
