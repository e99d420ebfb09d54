import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

// The one spec that lets the offline service worker register (playwright.config.ts blocks it elsewhere).
test.use({ serviceWorkers: 'allow' });

const CHAPTER = '/chapters/the-transform/';
const LAB = '/lab/?steps=10&batch=8&backend=wasm&seed=1&autostart=1';

/** Resolves once the service worker has precached the site and controls this page. */
async function controlled(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

/** The step-by-step widget recomputes a batch typed into it (its build-time numbers are for another batch). */
async function widgetComputes(page: Page): Promise<void> {
  const widget = page.locator('bn-transform-steps');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready');
  await widget.getByLabel('Mini-batch values').fill('2, 4, 9');
  await expect(page.getByLabel('batch mean', { exact: true })).toHaveText('5');
  await expect(page.getByLabel('normalized values', { exact: true })).toHaveText(/^-1\.01\d*, -0\.33\d*, 1\.35\d*$/);
}

test('after one visit, a chapter and the lab work offline: a widget computes and 10 lab steps train', async ({ page, context, expectClean }) => {
  test.setTimeout(240_000);
  await page.goto(CHAPTER);
  await controlled(page);
  const lab = await context.newPage();
  await lab.goto(LAB);
  // The first run downloads MNIST into the lab's cache.
  await expect(lab.locator('p[role="status"]')).toContainText('Finished: 10 steps', { timeout: 180_000 });

  await context.setOffline(true);
  await page.reload();
  await widgetComputes(page);
  await expect(page.locator('.katex').first()).toBeVisible();
  await lab.reload();
  await expect(lab.locator('bn-lab')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await expect(lab.locator('p[role="status"]')).toContainText('Finished: 10 steps', { timeout: 180_000 });
  expect(Number(await lab.locator('[data-out="step"]').textContent())).toBe(10);
  expectClean();
});

test('a new deploy waits until the reader reloads, then replaces the old version', async ({ page, context, expectClean }) => {
  await page.goto(CHAPTER);
  await controlled(page);
  const first = await page.evaluate(() => navigator.serviceWorker.controller!.scriptURL);
  // A new deploy: the same worker script with other bytes, as a changed precache manifest gives.
  await context.route('**/sw.js', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: `${await response.text()}\n// the next deploy\n` });
  });
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r!.update()));
  const note = page.getByRole('status').filter({ hasText: 'A new version is available' });
  await expect(note).toBeVisible({ timeout: 30_000 });
  // Until the reader accepts, the old worker still serves this page.
  expect(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r!.waiting !== null))).toBe(true);
  await Promise.all([page.waitForEvent('load'), note.getByRole('button', { name: 'reload' }).click()]);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r!.waiting === null && r!.active !== null))).toBe(true);
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(first);
  await expect(note).toHaveCount(0);
  expectClean();
});
