import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { PORT } from './ports';

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

/** The lab's step readout reaches the run's last step, 10. */
async function tenStepsTrained(lab: Page): Promise<void> {
  await expect.poll(() => lab.locator('[data-out="step"]').textContent(), { timeout: 180_000 }).toBe('10');
}

test('after one visit, a chapter and the lab work offline: a widget computes and 10 lab steps train', async ({ page, context, expectClean }) => {
  test.setTimeout(240_000);
  await page.goto(CHAPTER);
  await controlled(page);
  const lab = await context.newPage();
  await lab.goto(LAB);
  // The first run downloads MNIST into the lab's cache before its first step; its 10 steps are
  // enough (not the final evaluation over the whole test set that follows them).
  await tenStepsTrained(lab);

  await context.setOffline(true);
  await page.reload();
  await widgetComputes(page);
  await expect(page.locator('.katex').first()).toBeVisible();
  await lab.reload();
  await expect(lab.locator('bn-lab')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await tenStepsTrained(lab);
  expectClean();
});

/**
 * A copy of the built site to deploy again: every entry of dist/ linked, but the chapter's page and
 * the service worker copied, so the test can change them as a new build would.
 */
function deployableCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'bn-deploy-'));
  for (const name of readdirSync('dist')) if (name !== 'sw.js' && name !== 'chapters') symlinkSync(resolve('dist', name), join(root, name));
  cpSync('dist/chapters', join(root, 'chapters'), { recursive: true });
  cpSync('dist/sw.js', join(root, 'sw.js'));
  return root;
}

test('a new deploy waits until the reader accepts "A new version is available — reload", then serves only the new version', async ({ page, problems }) => {
  test.setTimeout(120_000);
  const root = deployableCopy();
  const port = PORT + 2;
  // The copy is served from a port of its own, which the fixture counts as another origin: its
  // requests are expected here; page errors are still checked below and by the fixture.
  problems.allow(new RegExp(`^foreign request: http://127\\.0\\.0\\.1:${port}/`));
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const server = spawn(process.execPath, ['scripts/serve.ts', root, String(port)], { stdio: 'ignore' });
  try {
    await expect.poll(() => fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false)).toBe(true);
    const url = `http://127.0.0.1:${port}${CHAPTER}`;
    await page.goto(url);
    await controlled(page);
    // The next deploy changes the chapter, and its service worker lists the page's new revision.
    const page1 = join(root, 'chapters/the-transform/index.html');
    writeFileSync(page1, readFileSync(page1, 'utf8').replace('</h1>', ' (second deploy)</h1>'));
    const sw = readFileSync(join(root, 'sw.js'), 'utf8');
    const entry = /\{url:"chapters\/the-transform\/index\.html",revision:"[0-9a-f]+"\}/;
    expect(sw, 'the worker precaches the chapter by revision').toMatch(entry);
    writeFileSync(join(root, 'sw.js'), sw.replace(entry, '{url:"chapters/the-transform/index.html",revision:"second-deploy"}'));

    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r!.update()));
    const note = page.getByRole('status').filter({ hasText: 'A new version is available — reload' });
    await expect(note).toBeVisible({ timeout: 60_000 });
    // Until the reader accepts, the old worker serves the old version whole.
    await page.reload();
    await expect(page.locator('h1')).not.toContainText('second deploy');
    await expect(note).toBeVisible({ timeout: 30_000 });
    await Promise.all([page.waitForEvent('load'), note.getByRole('button', { name: 'reload' }).click()]);
    await expect(page.locator('h1')).toContainText('(second deploy)');
    await expect(note).toHaveCount(0);
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r!.waiting))).toBeNull();
    expect(errors).toEqual([]);
  } finally {
    server.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
