import AxeBuilder from '@axe-core/playwright';
import { chartTextProblems } from './chart-text';
import { test, expect } from './fixtures';
import type { Locator, Page } from '@playwright/test';

/** The run: the default CNN, 300 steps, on WASM, seeded. */
const RUN_300 = '/lab/?preset=cnn&steps=300&backend=wasm&seed=1&autostart=1';
const READINGS = ['BN network, inference mode', 'plain network', 'BN network, training mode on a batch of one', 'BN network, training mode in a batch of 31 test digits and yours'];

const status = (page: Page) => page.locator('p[role="status"]');
const reading = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const pad = (page: Page) => page.getByRole('img', { name: 'Draw a digit' });

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

test.describe('the lab\'s digit tools', () => {
  test.describe.configure({ mode: 'default' });

  test('after a 300-step run: a drawn 1 is read as 1, four readings, the gallery, Clear, picking by keyboard, feature maps, every layer, confusion matrices', async ({ page, expectClean }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(RUN_300);
    await expect(status(page)).toContainText('Finished', { timeout: 200_000 });

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

    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const results = await new AxeBuilder({ page }).include('[data-digits]').analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`), scheme).toEqual([]);
    }
    expectClean();
  });

  test('on a phone, drawing with touch gives a prediction', async ({ browser }) => {
    test.setTimeout(180_000);
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto('/lab/?preset=cnn&steps=20&backend=wasm&seed=1&autostart=1');
    await expect(status(page)).toContainText('Finished', { timeout: 150_000 });
    const target = pad(page);
    await target.scrollIntoViewIfNeeded();
    const box = (await target.boundingBox())!;
    expect(box.x + box.width, 'the pad fits the phone').toBeLessThanOrEqual(360);
    // Playwright's touchscreen only taps; a stroke is touch events through the DevTools protocol.
    const cdp = await context.newCDPSession(page);
    const x = box.x + box.width / 2;
    const point = (f: number) => [{ x, y: box.y + box.height * f }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(0.15) });
    for (let i = 1; i <= 12; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(0.15 + 0.06 * i) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await expect(target).toHaveAttribute('data-empty', 'false');
    await expect(reading(page, READINGS[0]!)).toHaveText(/^\d \(/);
    await context.close();
  });

  test('a lost WebGL context stops the run with one line; it goes on on WASM from its saved networks, and a saved run loads back into the digit tools', async ({ page, expectClean }) => {
    test.setTimeout(300_000);
    await page.goto('/lab/?preset=cnn&steps=60&backend=webgl&seed=1&autostart=1');
    const lab = page.locator('bn-lab');
    await expect(lab).toHaveAttribute('data-backend', 'webgl', { timeout: 60_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-out="step"]')?.textContent) >= 20, undefined, { timeout: 200_000 });
    // Pausing stores both networks with the run.
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(lab).toHaveAttribute('data-phase', 'paused');
    const entries = page.getByRole('region', { name: 'Saved runs' }).getByRole('listitem');
    await expect(entries.first().getByRole('button', { name: /^Load run of/ })).toBeVisible();
    const pausedAt = Number(await page.locator('[data-out="step"]').textContent());
    await page.getByRole('button', { name: 'Start' }).click();
    await expect(lab).toHaveAttribute('data-phase', 'training');

    // The context goes, as when the GPU is reset: tfjs's engine is global in the worker.
    const worker = page.workers().find((w) => w.url().includes('train.worker'));
    expect(worker, 'the training worker').toBeTruthy();
    await worker!.evaluate(() => {
      const engine = (self as unknown as { _tfengine: { backend: { gpgpu: { gl: WebGLRenderingContext } } } })._tfengine;
      engine.backend.gpgpu.gl.getExtension('WEBGL_lose_context')!.loseContext();
    });
    // One line says what happened and what was done: the same run goes on from the networks saved at the pause, on WASM.
    await expect(page.getByRole('alert')).toContainText(`Training on webgl stopped: the WebGL context was lost (the GPU was reset or its memory reclaimed). Going on from step ${pausedAt} (its last saved networks) on wasm`, { timeout: 60_000 });
    await expect(page.locator('select[name="backend"]')).toHaveValue('wasm');
    await expect(status(page)).toContainText('Finished: 60 steps', { timeout: 200_000 });
    await expect(entries).toHaveCount(1);
    await expect(entries.first()).toContainText('finished, 60 steps');

    // After a reload, Load puts the saved networks back: the digit tools read with them.
    await page.goto('/lab/?preset=cnn&steps=60&backend=wasm&seed=1');
    await expect(lab).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
    await entries.first().getByRole('button', { name: /^Load run of/ }).click();
    await expect(status(page)).toContainText('Loaded the saved run at step 60 on wasm', { timeout: 60_000 });
    await expect(status(page)).toContainText('It had finished');
    await expect(page.getByLabel('test accuracy (BN)', { exact: true })).toHaveText(/^\d+\.\d%$/);
    const gallery = page.getByRole('list', { name: 'Test digits' }).getByRole('button');
    await expect(gallery.first()).toHaveAttribute('aria-label', /^test digit 7: BN predicts \d, plain predicts \d$/);
    await gallery.first().click();
    await expect(reading(page, READINGS[0]!)).toHaveText(/^\d \(/);
    expectClean();
  });
});
