import { pad, reading, READINGS } from './digit-tools';
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

const status = (page: Page) => page.locator('p[data-status]');

// The digit tools after a full run are checked on the lab's one 200-step run (lab.spec.ts).
test.describe('the lab\'s digit tools', () => {
  test.describe.configure({ mode: 'default' });

  test('on a phone, drawing with touch gives a prediction', async ({ browser }) => {
    test.setTimeout(180_000);
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    // Any trained network will do: the fewest steps.
    await page.goto('/lab/?preset=cnn&steps=5&backend=wasm&seed=1&autostart=1');
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

  test('a lost WebGL context stops the run with one line; it goes on on WASM from its saved networks, and a saved run loads back into the digit tools', async ({ page }) => {
    test.setTimeout(300_000);
    await page.goto('/lab/?preset=cnn&steps=40&backend=webgl&seed=1&autostart=1');
    const lab = page.locator('bn-lab');
    await expect(lab).toHaveAttribute('data-backend', 'webgl', { timeout: 60_000 });
    // A few WebGL steps are enough to have networks to save: on a software renderer each is slow.
    await page.waitForFunction(() => Number(document.querySelector('[data-out="step"]')?.textContent) >= 5, undefined, { timeout: 200_000 });
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
    await expect(page.locator('#lab-error')).toContainText(`Training on webgl stopped: the WebGL context was lost (the GPU was reset or its memory reclaimed). Going on from step ${pausedAt} (its last saved networks) on wasm`, { timeout: 60_000 });
    await expect(page.locator('select[name="backend"]')).toHaveValue('wasm');
    await expect(status(page)).toContainText('Finished: 40 steps', { timeout: 200_000 });
    await expect(entries).toHaveCount(1);
    await expect(entries.first()).toContainText('finished, 40 steps');

    // After a reload, Load puts the saved networks back: the digit tools read with them.
    await page.goto('/lab/?preset=cnn&steps=40&backend=wasm&seed=1');
    await expect(lab).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
    await entries.first().getByRole('button', { name: /^Load run of/ }).click();
    await expect(status(page)).toContainText('Loaded the saved run at step 40 on wasm', { timeout: 60_000 });
    await expect(status(page)).toContainText('It had finished');
    await expect(page.getByLabel('test accuracy (BN)', { exact: true })).toHaveText(/^\d+\.\d%$/);
    const gallery = page.getByRole('list', { name: 'Test digits' }).getByRole('button');
    await expect(gallery.first()).toHaveAttribute('aria-label', /^test digit 7: BN predicts \d, plain predicts \d$/);
    await gallery.first().click();
    await expect(reading(page, READINGS[0]!)).toHaveText(/^\d \(/);
  });
});
