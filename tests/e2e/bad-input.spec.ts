import type { Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { test, expect, afterRedraw } from './fixtures';
import { WIDGET_SCHEMAS } from './widget-schemas';
import { BAD_LINK_VALUES, linkParams, refuses } from '../shared/bad-link-values';

/** The chapter that places each widget: the MDX file that imports it from its folder. */
const chapterOf = (folder: string): string => {
  const file = readdirSync('content').find((f) => f.endsWith('.mdx') && readFileSync(`content/${f}`, 'utf8').includes(`/components/${folder}/`));
  if (!file) throw new Error(`no chapter imports components/${folder}`);
  return `/chapters/${file.replace(/\.mdx$/, '')}/`;
};

/** Counts dialogs (an injected alert() would open one) and dismisses them. */
const countDialogs = (page: Page): (() => number) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  return () => dialogs;
};

// Every bad value against every parameter goes through the runtime's reader in
// tests/unit/widget/bad-links.test.ts. Here, one link per chapter carries a bad value in every
// parameter of every widget there at once (the injection attempt first, then the others in turn;
// each widget's parameters carry its own prefix), and the page must report each, keep every widget
// working, and evaluate nothing. One load per chapter: a load per widget cost 26 page loads.
const byChapter = new Map<string, (typeof WIDGET_SCHEMAS)[string][]>();
for (const [folder, schema] of Object.entries(WIDGET_SCHEMAS)) {
  if (linkParams(schema).length === 0) continue;
  const chapter = chapterOf(folder);
  byChapter.set(chapter, [...(byChapter.get(chapter) ?? []), schema]);
}

for (const [chapter, widgets] of byChapter) {
  const tags = widgets.map((schema) => schema.tag).join(', ');
  test(`${chapter} (${tags}): every link parameter fed bad values is reported, the default kept, nothing evaluated or injected`, async ({ page }) => {
    test.setTimeout(30_000 + 30_000 * widgets.length);
    const dialogs = countDialogs(page);
    const fed = widgets.map((schema) => ({
      schema,
      values: linkParams(schema).map(([key, spec], i) => [key, spec, BAD_LINK_VALUES[i % BAD_LINK_VALUES.length]!] as const),
    }));
    const query = fed.flatMap(({ schema, values }) => values.map(([key, , value]) => `${schema.prefix}.${key}=${encodeURIComponent(value)}`));
    await page.goto(`${chapter}?${query.join('&')}`);
    for (const { schema, values } of fed) {
      const widget = page.locator(schema.tag);
      await widget.scrollIntoViewIfNeeded();
      await expect(widget, schema.tag).toHaveAttribute('data-state', 'ready', { timeout: 45_000 });
      for (const [key, spec, value] of values) {
        const what = `${schema.tag}: ${schema.prefix}.${key}=${value.slice(0, 20)}`;
        if (!refuses(spec, value)) continue;
        if (spec.kind === 'text') await expect(widget.locator(`[name="${key}"]`), what).toHaveAttribute('aria-invalid', 'true');
        else await expect(widget.locator('[data-widget-error]'), what).toContainText(`"${key}"`);
      }
      await expect(widget.locator('script'), schema.tag).toHaveCount(0);
    }
    expect(dialogs()).toBe(0);
  });
}

test('pages fit 1440 px wide with plots sized to their column', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  for (const path of ['/chapters/the-transform/', '/chapters/conv-layers/', '/lab/']) {
    await page.goto(path);
    for (const el of await page.locator('[data-prefix]').all()) {
      await el.scrollIntoViewIfNeeded();
      await expect(el).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    }
    await afterRedraw(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
    // Measured in one pass: a widget redrawing meanwhile replaces its charts.
    const wider = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.plot svg'), (svg) => [svg.getBoundingClientRect().width, svg.closest('.plot')?.getBoundingClientRect().width ?? Infinity]).filter(([w, parent]) => w! > parent! + 1),
    );
    expect(wider, path).toEqual([]);
  }
});
