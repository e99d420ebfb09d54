import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';

const PAGES = ['/', '/lab/', '/404.html', ...['why-normalize', 'the-transform', 'conv-layers', 'train-vs-inference', 'backward-pass', 'pitfalls', 'modern-practice', 'bn-in-practice'].map((s) => `/chapters/${s}/`)];

for (const scheme of ['light', 'dark'] as const) {
  for (const path of PAGES) {
    test(`axe finds no violations on ${path} (${scheme}), widgets loaded`, async ({ page }) => {
      test.setTimeout(90_000);
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(path);
      // Bring every widget into view so it mounts, then wait until none is still loading.
      for (const el of await page.locator('[data-prefix], bn-pitfalls, bn-code-cell').all()) await el.scrollIntoViewIfNeeded();
      await expect
        .poll(() => page.locator('[data-state="loading"]').count(), { timeout: 30_000 })
        .toBe(0);
      const results = await new AxeBuilder({ page }).analyze();
      const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      expect(summary).toEqual([]);
    });
  }
}
