import { axeViolations } from './axe';
import { test, expect } from './fixtures';

const PAGES = ['/', '/lab/', '/404.html', ...['why-normalize', 'the-transform', 'conv-layers', 'train-vs-inference', 'backward-pass', 'pitfalls', 'modern-practice', 'bn-in-practice'].map((s) => `/chapters/${s}/`)];

// One load per page, axe in both themes: the theme follows prefers-color-scheme through CSS
// custom properties, so switching the emulated scheme restyles the same widgets without reloading.
// The dark theme changes colours only (global.css's dark blocks set custom properties and
// color-scheme), so in dark axe runs the rules that read colours; every rule runs in light.
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];
for (const path of PAGES) {
  test(`axe finds no violations on ${path} (light and dark), widgets loaded`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(path);
    // Bring every widget into view so it mounts, then wait until none is still loading.
    for (const el of await page.locator('[data-prefix], bn-pitfalls, bn-code-cell').all()) await el.scrollIntoViewIfNeeded();
    await expect
      .poll(() => page.locator('[data-state="loading"]').count(), { timeout: 30_000 })
      .toBe(0);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect.poll(() => page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(scheme === 'dark');
      expect(await axeViolations(page, scheme === 'dark' ? { rules: COLOUR_RULES } : {}), scheme).toEqual([]);
    }
  });
}

// The check above can fail: on a page made to break two rules it reports both.
test('the axe check reports violations it is shown', async ({ page }) => {
  await page.goto('/404.html');
  await page.evaluate(() => {
    document.querySelector('main')!.insertAdjacentHTML('beforeend', '<p style="color:#bbb;background:#fff">faint text</p><img src="/favicon.svg">');
  });
  const found = await axeViolations(page);
  expect(found.some((v) => v.startsWith('color-contrast ')), found.join('\n')).toBe(true);
  expect(found.some((v) => v.startsWith('image-alt ')), found.join('\n')).toBe(true);
  expect((await axeViolations(page, { rules: COLOUR_RULES })).map((v) => v.split(' ')[0])).toEqual(['color-contrast']);
});
