// Safari cannot run here, so each Web API the site has a fallback for (scripts/safari-support.ts
// lists them with MDN's Safari versions) is hidden in Chromium, in the page or in the lab's
// workers, and the fallback is checked: what the reader is told, and that the lab still trains.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

const LAB = '/lab/?preset=mlp&steps=3&seed=1&autostart=1';

/**
 * Runs `code` at the top of every worker bundle the site starts (trainer, probe, chapter and
 * cell workers): Playwright's init scripts reach only pages.
 */
async function hideInWorkers(page: Page, code: string): Promise<void> {
  await page.route(/\/_astro\/[^/]*\.worker-[^/]*\.js$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: `${code}\n${await response.text()}` });
  });
}

const undefine = (owner: string, name: string): string => `Object.defineProperty(${owner}, '${name}', { get: () => undefined, configurable: true });`;

async function finishes(page: Page): Promise<void> {
  await expect(page.locator('p[data-status]')).toContainText('Finished: 3 steps', { timeout: 120_000 });
}

test.describe('fallbacks for APIs older Safari lacks', () => {
  test.describe.configure({ mode: 'default' });

  test('no WebGPU and no WebGL in a worker (no OffscreenCanvas): the probe says both are unavailable and WASM trains', async ({ page, expectClean }) => {
    test.setTimeout(180_000);
    await page.addInitScript(`${undefine('Navigator.prototype', 'gpu')}`);
    await hideInWorkers(page, `${undefine('WorkerNavigator.prototype', 'gpu')} ${undefine('self', 'OffscreenCanvas')}`);
    await page.goto(LAB);
    const probe = page.locator('[data-probe-line]');
    await expect(probe).toContainText('WebGPU (unavailable)', { timeout: 90_000 });
    await expect(probe).toContainText('WebGL (unavailable)');
    await expect(page.locator('bn-lab')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
    await finishes(page);
    expectClean();
  });

  test('no Cache API: MNIST is fetched again on the next visit and the lab trains', async ({ page, expectClean }) => {
    test.setTimeout(180_000);
    await hideInWorkers(page, undefine('self', 'caches'));
    const downloads: string[] = [];
    page.on('response', (r) => r.url().endsWith('.gz') && downloads.push(new URL(r.url()).pathname));
    await page.goto(`${LAB}&backend=wasm`);
    await finishes(page);
    const first = downloads.length;
    expect(first, 'the MNIST files').toBeGreaterThanOrEqual(4);
    await page.reload();
    await finishes(page);
    expect(downloads.length, 'fetched again: nothing kept them').toBe(2 * first);
    expectClean();
  });

  test('no IndexedDB: one line says runs are not saved and the lab trains on', async ({ page, expectClean }) => {
    test.setTimeout(180_000);
    await page.addInitScript(undefine('window', 'indexedDB'));
    await page.goto(`${LAB}&backend=wasm`);
    await expect(page.locator('[data-saved-note]')).toContainText("Saved runs are off: this browser's storage is unavailable");
    await finishes(page);
    expectClean();
  });

  test('no DecompressionStream: the lab names the missing API instead of failing silently', async ({ page }) => {
    test.setTimeout(120_000);
    await hideInWorkers(page, undefine('self', 'DecompressionStream'));
    await page.goto(`${LAB}&backend=wasm`);
    await expect(page.locator('#lab-error')).toContainText('no DecompressionStream', { timeout: 90_000 });
    await expect(page.locator('bn-lab')).toHaveAttribute('data-phase', 'failed');
  });
});
