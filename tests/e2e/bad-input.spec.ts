import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

/** Values a link can carry that no widget should accept. */
const BAD = ['', 'NaN', 'Infinity', '-1e9', '1e999', 'ten', '<script>alert(1)</script>', '9'.repeat(10_000)];

/** A numeric or choice parameter per widget: the widget reports it and keeps its default. */
const PARAMS = [
  { path: '/chapters/the-transform/', tag: 'bn-distributions', param: 'dist.batch', name: 'batch' },
  { path: '/chapters/train-vs-inference/', tag: 'bn-running-averages', param: 'ra.momentum', name: 'momentum' },
  { path: '/chapters/backward-pass/', tag: 'bn-deep-gradients', param: 'deep.scale', name: 'scale' },
  { path: '/chapters/conv-layers/', tag: 'bn-norm-axes', param: 'axes.kind', name: 'kind' },
  { path: '/chapters/conv-layers/', tag: 'bn-batch-noise', param: 'noise.c', name: 'c' },
];

/** Text fields restored from the link: the field's own validation marks them. */
const FIELDS = [
  { path: '/chapters/the-transform/', tag: 'bn-transform-steps', param: 't.values', field: 'input[name="values"]' },
  { path: '/chapters/the-transform/', tag: 'bn-identity', param: 'undo.values', field: 'input[name="values"]' },
  { path: '/chapters/backward-pass/', tag: 'bn-grad-check', param: 'gc.values', field: 'input[name="values"]' },
  { path: '/chapters/train-vs-inference/', tag: 'bn-one-example', param: 'one.x', field: 'input[name="x"]' },
];

/** Counts dialogs (an injected alert() would open one) and dismisses them. */
const countDialogs = (page: Page): (() => number) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  return () => dialogs;
};

for (const p of PARAMS) {
  test(`bad ${p.param} in a link is reported, the default kept, nothing evaluated or injected`, async ({ page, expectClean }) => {
    const dialogs = countDialogs(page);
    for (const value of BAD.filter((v) => v !== '')) {
      await page.goto(`${p.path}?${p.param}=${encodeURIComponent(value)}`);
      const widget = page.locator(p.tag);
      await widget.scrollIntoViewIfNeeded();
      await expect(widget, `${p.param}=${value.slice(0, 20)}`).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
      await expect(widget.locator('[data-widget-error]')).toContainText(`"${p.name}"`);
      await expect(widget.locator('script')).toHaveCount(0);
    }
    expect(dialogs()).toBe(0);
    expectClean();
  });
}

for (const f of FIELDS) {
  test(`bad ${f.param} in a link marks its field invalid, nothing evaluated or injected`, async ({ page, expectClean }) => {
    const dialogs = countDialogs(page);
    for (const value of BAD) {
      await page.goto(`${f.path}?${f.param}=${encodeURIComponent(value)}`);
      const widget = page.locator(f.tag);
      await widget.scrollIntoViewIfNeeded();
      await expect(widget).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
      // -1e9 is a valid single number for the one-example field; everything else must be refused.
      if (f.param === 'one.x' && value === '-1e9') continue;
      await expect(widget.locator(f.field), `${f.param}=${value.slice(0, 20)}`).toHaveAttribute('aria-invalid', 'true');
      await expect(widget.locator('script')).toHaveCount(0);
    }
    expect(dialogs()).toBe(0);
    expectClean();
  });
}

test('pages fit 1440 px wide with plots sized to their column', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  for (const path of ['/chapters/the-transform/', '/chapters/conv-layers/', '/lab/']) {
    await page.goto(path);
    for (const el of await page.locator('[data-prefix]').all()) await el.scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
    for (const svg of await page.locator('.plot svg').all()) {
      const [w, parent] = await svg.evaluate((s) => [s.getBoundingClientRect().width, s.closest('.plot')!.getBoundingClientRect().width]);
      expect(w, path).toBeLessThanOrEqual(parent + 1);
    }
  }
});
