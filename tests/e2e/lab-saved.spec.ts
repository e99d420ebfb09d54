import { readFile } from 'node:fs/promises';
import { axeInBothThemes } from './axe';
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

/** The paper's MLP trains fast on WASM; its final evaluation of all 10 000 test images takes seconds. */
const SHORT = '/lab/?preset=mlp&steps=60&backend=wasm&seed=1&autostart=1';
/** The same page without autostart: a reload that does not train again. */
const SHORT_IDLE = SHORT.replace('&autostart=1', '');
const LONG = '/lab/?preset=mlp&steps=5000&backend=wasm&seed=1';

const region = (page: Page) => page.getByRole('region', { name: 'Saved runs' });
const entries = (page: Page) => region(page).getByRole('listitem');
const lossOverlay = (page: Page) => page.locator('[data-chart="loss"] g[aria-label="line"][stroke-dasharray="6,4"] path');
const accuracyOverlay = (page: Page) => page.locator('[data-chart="accuracy"] g[aria-label="line"][stroke-dasharray="6,4"] path');

async function exportedRun(page: Page, entry: ReturnType<typeof entries>): Promise<Record<string, any>> {
  const download = page.waitForEvent('download');
  await entry.getByRole('button', { name: /^Export run of .* as JSON$/ }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^bn-live-run-.*\.json$/);
  return JSON.parse(await readFile((await file.path())!, 'utf8'));
}

test.describe('saved runs', () => {
  test.describe.configure({ mode: 'default' });

  test('a finished run is listed after a reload with its BN test accuracy; it can be overlaid, exported and deleted', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(SHORT);
    await expect(page.locator('p[data-status]')).toContainText('Finished', { timeout: 150_000 });
    const accuracy = (await page.getByLabel('test accuracy (BN)', { exact: true }).textContent())!;
    expect(accuracy).toMatch(/^\d+\.\d%$/);
    // Both trained networks are stored with it (the entry stops saying they are not).
    await expect(entries(page)).toHaveCount(1);
    await expect(entries(page).first()).toContainText(`BN test accuracy ${accuracy}`);
    await expect(entries(page).first()).not.toContainText('networks not stored');

    await page.goto(SHORT_IDLE);
    const entry = entries(page).first();
    await expect(entries(page)).toHaveCount(1);
    await expect(entry).toContainText('finished, 60 steps');
    await expect(entry).toContainText('MLP · BN');
    await expect(entry).toContainText(`BN test accuracy ${accuracy}`);
    await expect(entry).toContainText('on 10,000 test images');
    await expect(entry).toContainText('wasm');
    await expect(entry).toContainText(/\d examples\/s/);
    await expect(region(page).locator('[data-saved-note]')).toHaveText('1 run saved in this browser.');

    // Its curves drawn again, dashed, under the (empty) live charts, with legend entries.
    const overlay = entry.getByRole('button', { name: /^Overlay run of .* on the loss and accuracy charts$/ });
    await expect(overlay).toHaveAttribute('aria-pressed', 'false');
    await overlay.click();
    await expect(overlay).toHaveAttribute('aria-pressed', 'true');
    await expect(lossOverlay(page)).toHaveCount(2);
    await expect(accuracyOverlay(page)).toHaveCount(2);
    await expect(page.locator('[data-chart="loss"]')).toContainText('normalized (saved');
    await expect(page.locator('[data-chart="loss"]')).toHaveAttribute('aria-label', /dashed: saved/);
    // The region and the overlaid chart pass axe in both themes.
    expect(await axeInBothThemes(page, ['[data-saved-runs]', '[data-chart="loss"]'])).toEqual([]);
    await overlay.press('Enter');
    await expect(overlay).toHaveAttribute('aria-pressed', 'false');
    await expect(lossOverlay(page)).toHaveCount(0);

    // Export: one JSON document with the settings, curves, accuracies and both networks.
    const json = await exportedRun(page, entry);
    expect(json.format).toBe('bn-live-saved-run');
    expect(json.status).toBe('finished');
    expect(json.config.preset).toBe('mlp');
    expect(json.config.steps).toBe(60);
    expect(`${(json.accuracy.norm * 100).toFixed(1)}%`).toBe(accuracy);
    expect(json.evalExamples).toBe(10000);
    expect(json.curves.metrics.at(-1).step).toBe(60);
    for (const run of ['norm', 'plain']) {
      expect(json.models[run].weightSpecs.length, `${run} network's weights`).toBeGreaterThan(0);
      const bytes = Buffer.from(json.models[run].weightDataBase64, 'base64').length;
      const expected = json.models[run].weightSpecs.reduce((n: number, s: { shape: number[] }) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
      expect(bytes).toBe(expected);
    }

    // Delete, by keyboard: the entry goes, focus lands on the region's heading, and stays gone after a reload.
    await entry.getByRole('button', { name: /^Delete run of / }).focus();
    await page.keyboard.press('Enter');
    await expect(entries(page)).toHaveCount(0);
    await expect(region(page).getByRole('heading', { name: 'Saved runs' })).toBeFocused();
    await page.goto(SHORT_IDLE);
    await expect(region(page).locator('[data-saved-note]')).toHaveText(/No saved runs yet/);
    await expect(entries(page)).toHaveCount(0);
  });

  test('a reload in the middle of a run keeps the part already evaluated', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(`${LONG}&autostart=1`);
    await expect(entries(page).first()).toContainText(/stopped at step \d+ of 5000/, { timeout: 150_000 });
    await page.goto(LONG);
    const entry = entries(page).first();
    await expect(entries(page)).toHaveCount(1);
    const step = Number((await entry.textContent())!.match(/stopped at step (\d+) of 5000/)![1]);
    // Saved at each evaluation: the entry's step is an evaluation's, and everything up to it is there.
    expect(step).toBeGreaterThan(0);
    const json = await exportedRun(page, entry);
    expect(json.status).toBe('stopped');
    expect(json.step).toBe(step);
    expect(json.curves.evals.at(-1).step).toBe(step);
    expect(json.curves.metrics.at(-1).step).toBe(step);
    expect(json.accuracy.norm).toBeGreaterThan(0.1);
    await entry.getByRole('button', { name: /^Overlay / }).click();
    await expect(lossOverlay(page)).toHaveCount(2);
  });

  test('storage that is unavailable is reported in one line and the lab trains on', async ({ page }) => {
    test.setTimeout(180_000);
    await page.addInitScript(() => {
      IDBFactory.prototype.open = () => {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      };
    });
    await page.goto(SHORT);
    const note = region(page).locator('[data-saved-note]');
    await expect(note).toHaveText(/^Saved runs are off: this browser's storage is unavailable \(.+\); the lab works without it\.$/);
    await expect(page.locator('p[data-status]')).toContainText('Finished', { timeout: 150_000 });
    await expect(page.getByLabel('test accuracy (BN)', { exact: true })).toHaveText(/%$/);
    await expect(entries(page)).toHaveCount(0);
    expect((await note.textContent())!).not.toContain('\n');
  });

  test('a full storage (QuotaExceededError on put) is reported in one line and the lab trains on', async ({ page }) => {
    test.setTimeout(180_000);
    await page.addInitScript(() => {
      IDBObjectStore.prototype.put = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await page.goto(SHORT);
    const note = region(page).locator('[data-saved-note]');
    await expect(note).toHaveText(/^Storage is full: .* was not saved\. Delete saved runs to make room; the lab goes on\.$/, { timeout: 150_000 });
    await expect(page.locator('p[data-status]')).toContainText('Finished', { timeout: 150_000 });
    await expect(page.getByLabel('test accuracy (BN)', { exact: true })).toHaveText(/%$/);
    await expect(entries(page)).toHaveCount(0);
  });

  test('a crashed worker: the run so far stays saved, and the reader trains again on another backend', async ({ page }) => {
    test.setTimeout(180_000);
    // Keep a handle on the page's workers, to deliver the error event a crashing worker raises.
    await page.addInitScript(() => {
      const Native = window.Worker;
      const workers: Worker[] = [];
      (window as unknown as { labWorkers: Worker[] }).labWorkers = workers;
      window.Worker = class extends Native {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          workers.push(this);
        }
      };
    });
    await page.goto(`${LONG}&autostart=1`);
    await expect(entries(page).first()).toContainText(/stopped at step \d+ of 5000/, { timeout: 150_000 });
    await page.evaluate(() => {
      const [worker] = (window as unknown as { labWorkers: Worker[] }).labWorkers;
      worker!.onerror?.(new ErrorEvent('error', { message: 'simulated crash', cancelable: true }));
    });
    await expect(page.locator('#lab-error')).toContainText('simulated crash');
    await expect(region(page).locator('[data-saved-note]')).toHaveText(/^The trainer stopped; the run is saved up to step \d+ \(below\)\./);
    await expect(entries(page)).toHaveCount(1);
    // Continue on another backend: a new worker, same settings.
    await page.locator('#lab-backend').selectOption('cpu');
    await page.locator('#lab-steps').fill('5');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect(page.locator('[data-out="backend"]')).toHaveText('cpu', { timeout: 60_000 });
    await expect(page.locator('p[data-status]')).toContainText('Finished: 5 steps', { timeout: 150_000 });
    await expect(entries(page)).toHaveCount(2);
    await expect(entries(page).first()).toContainText('finished, 5 steps');
  });
});
