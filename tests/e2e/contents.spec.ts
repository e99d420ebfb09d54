import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

/** A smooth scroll can take a few frames to start moving, so "settled" asks for more than two still frames. */
const STABLE_FRAMES = 10;

/**
 * Resolves once the widgets near the viewport have loaded (the lazy loader starts those within
 * 400 px of it), none is loading anywhere, and the page kept its height and scroll position for
 * STABLE_FRAMES animation frames.
 */
async function widgetsSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    (stableFrames) => {
      const seen = window as unknown as { lastLayout?: string; stableFrames?: number };
      const near = [...document.querySelectorAll<HTMLElement>('main article *')].filter((el) => {
        if (!el.tagName.startsWith('BN-')) return false;
        const r = el.getBoundingClientRect();
        return r.bottom > -400 && r.top < innerHeight + 400;
      });
      // The page's height and scroll position (a smooth scroll may still be moving).
      const layout = `${document.documentElement.scrollHeight} ${scrollY}`;
      const busy = near.some((el) => el.dataset.state !== 'ready') || document.querySelector('[data-state="loading"]') !== null;
      seen.stableFrames = !busy && layout === seen.lastLayout ? (seen.stableFrames ?? 0) + 1 : 0;
      seen.lastLayout = layout;
      return seen.stableFrames >= stableFrames;
    },
    STABLE_FRAMES,
    { polling: 'raf', timeout: 45_000 },
  );
}

const headingTop = (page: Page, id: string): Promise<number> =>
  page.evaluate((id) => document.getElementById(id)!.getBoundingClientRect().top, id);

test.describe('contents links land their heading', () => {
  test.describe.configure({ timeout: 120_000 });

  test('at 1280 px, every contents link of a long chapter, after the widgets near it load', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    for (const chapter of ['conv-layers', 'the-transform']) {
      await page.goto(`/chapters/${chapter}/`);
      await widgetsSettled(page);
      const ids = await page.locator('aside.toc a').evaluateAll((as) => as.map((a) => decodeURIComponent((a as HTMLAnchorElement).hash.slice(1))));
      expect(ids.length).toBeGreaterThan(3);
      // In page order: each jump passes widgets that have not loaded yet, which load as it lands.
      for (const id of ids) {
        await page.locator(`aside.toc a[href="#${id}"]`).click();
        await widgetsSettled(page);
        const top = await headingTop(page, id);
        expect(top, `${chapter}#${id}`).toBeGreaterThanOrEqual(0);
        expect(top, `${chapter}#${id}`).toBeLessThanOrEqual(150);
      }
    }
    // A chapter's last section: Switching modes once landed 262 px down, the page ending too soon below it.
    await page.goto('/chapters/train-vs-inference/');
    await widgetsSettled(page);
    await page.locator('aside.toc a[href="#switching-modes"]').click();
    await widgetsSettled(page);
    const last = await headingTop(page, 'switching-modes');
    expect(last, 'train-vs-inference#switching-modes').toBeGreaterThanOrEqual(0);
    expect(last, 'train-vs-inference#switching-modes').toBeLessThanOrEqual(150);
  });

  test('at 360 px, a link into the page and a reload on it, after the widgets near it load', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    // Phones have no contents column; an in-page link to the heading jumps the same way.
    const jumps: Array<[string, string]> = [['pitfalls', 'before-or-after-the-nonlinearity'], ['the-transform', 'why-gamma-and-beta'], ['conv-layers', 'which-one-to-pick']];
    for (const [chapter, id] of jumps) {
      await page.goto(`/chapters/${chapter}/`);
      await widgetsSettled(page);
      await page.evaluate((id) => {
        const link = Object.assign(document.createElement('a'), { href: `#${id}`, textContent: 'jump' });
        document.querySelector('main article')!.prepend(link);
        link.click();
        link.remove();
      }, id);
      await widgetsSettled(page);
      const top = await headingTop(page, id);
      expect(top, `${chapter}#${id}`).toBeGreaterThanOrEqual(0);
      expect(top, `${chapter}#${id}`).toBeLessThanOrEqual(150);
    }
    // Opening a link with the fragment on a fresh page.
    await page.goto('/chapters/conv-layers/#batch-size-and-noise');
    await widgetsSettled(page);
    const reloaded = await headingTop(page, 'batch-size-and-noise');
    expect(reloaded).toBeGreaterThanOrEqual(0);
    expect(reloaded).toBeLessThanOrEqual(150);
  });
});

test.describe('widgets keep the height reserved for them', () => {
  for (const width of [1280, 360]) {
    test(`the tallest widgets grow by less than 60 px when they load (${width} px)`, async ({ page }) => {
      await page.setViewportSize({ width, height: 900 });
      // Each widget's height as first laid out, before its script could run.
      await page.addInitScript(() => {
        document.addEventListener('DOMContentLoaded', () => {
          const heights: Record<string, number> = {};
          for (const el of document.querySelectorAll<HTMLElement>('bn-norm-axes, bn-batch-noise, bn-grad-check, bn-fold, bn-transform-steps, bn-identity')) heights[el.tagName] = el.getBoundingClientRect().height;
          (window as unknown as { reserved: Record<string, number> }).reserved = heights;
        });
      });
      for (const path of ['/chapters/conv-layers/', '/chapters/backward-pass/', '/chapters/train-vs-inference/', ...(width < 500 ? ['/chapters/the-transform/'] : [])]) {
        await page.goto(path);
        const reserved = await page.evaluate(() => (window as unknown as { reserved: Record<string, number> }).reserved);
        expect(Object.keys(reserved).length, path).toBeGreaterThan(0);
        for (const [tag, before] of Object.entries(reserved)) {
          const widget = page.locator(tag.toLowerCase());
          await widget.scrollIntoViewIfNeeded();
          await expect(widget).toHaveAttribute('data-state', 'ready', { timeout: 45_000 });
          const after = (await widget.boundingBox())!.height;
          expect(Math.abs(after - before), `${path} ${tag}: ${Math.round(before)} px reserved, ${Math.round(after)} px loaded`).toBeLessThan(60);
        }
      }
    });

    test(`code cells keep their height within 12 px when the editor replaces the code (${width} px)`, async ({ page }) => {
      await page.setViewportSize({ width, height: 900 });
      await page.addInitScript(() => {
        document.addEventListener('DOMContentLoaded', () => {
          (window as unknown as { cells: number[] }).cells = [...document.querySelectorAll('bn-code-cell')].map((el) => el.getBoundingClientRect().height);
        });
      });
      // Cells of 5 to 11 lines: one- and two-digit line numbers.
      for (const path of ['/chapters/backward-pass/', '/chapters/pitfalls/']) {
        await page.goto(path);
        const reserved = await page.evaluate(() => (window as unknown as { cells: number[] }).cells);
        expect(reserved.length, path).toBeGreaterThan(0);
        for (const [i, before] of reserved.entries()) {
          const cell = page.locator('bn-code-cell').nth(i);
          await cell.scrollIntoViewIfNeeded();
          await expect(cell).toHaveAttribute('data-state', 'ready', { timeout: 45_000 });
          await expect(cell.locator('.cm-content')).toBeVisible();
          const after = (await cell.boundingBox())!.height;
          expect(Math.abs(after - before), `${path} cell ${i + 1}: ${Math.round(before)} px before, ${Math.round(after)} px with the editor`).toBeLessThan(12);
        }
      }
    });
  }
});
