import type { Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { test, expect, afterRedraw } from './fixtures';
import { WIDGET_SCHEMAS } from './widget-schemas';
import { readValue, type ParamSpec } from '../../src/lib/widget/schema';

/** Values a link can carry that no widget should accept. */
const BAD = ['', 'NaN', 'Infinity', '-1e9', '1e999', 'ten', '<script>alert(1)</script>', '9'.repeat(10_000)];

/** The chapter that places each widget: the MDX file that imports it from its folder. */
const chapterOf = (folder: string): string => {
  const file = readdirSync('content').find((f) => f.endsWith('.mdx') && readFileSync(`content/${f}`, 'utf8').includes(`/components/${folder}/`));
  if (!file) throw new Error(`no chapter imports components/${folder}`);
  return `/chapters/${file.replace(/\.mdx$/, '')}/`;
};

const inLink = (spec: ParamSpec): boolean => !('url' in spec && spec.url === false);

/** Whether the widget must refuse `value` for this parameter (text fields: their own check). */
const refuses = (spec: ParamSpec, value: string): boolean => {
  const read = readValue(spec, value);
  if (!('value' in read)) return true;
  return spec.kind === 'text' && spec.check?.(read.value as string) != null;
};

/**
 * Groups a widget's parameters so each link carries the bad value in as many of them as fit in
 * a URL the server accepts (the 10 000-digit value goes one parameter per link).
 */
const linksFor = (value: string, keys: string[]): string[][] => {
  const groups: string[][] = [[]];
  let length = 0;
  for (const key of keys) {
    const size = key.length + encodeURIComponent(value).length + 8;
    if (length + size > 12_000 && groups.at(-1)!.length) {
      groups.push([]);
      length = 0;
    }
    groups.at(-1)!.push(key);
    length += size;
  }
  return groups;
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

for (const [folder, schema] of Object.entries(WIDGET_SCHEMAS)) {
  const params = Object.entries(schema.params).filter(([, spec]) => inLink(spec));
  if (params.length === 0) continue;
  test(`${schema.tag}: every link parameter fed bad values is reported, the default kept, nothing evaluated or injected`, async ({ page }) => {
    test.setTimeout(120_000);
    const dialogs = countDialogs(page);
    const path = chapterOf(folder);
    for (const [value, keys] of BAD.flatMap((v) => linksFor(v, params.map(([k]) => k)).map((ks) => [v, ks] as const))) {
      await page.goto(`${path}?${keys.map((key) => `${schema.prefix}.${key}=${encodeURIComponent(value)}`).join('&')}`);
      const widget = page.locator(schema.tag);
      await widget.scrollIntoViewIfNeeded();
      await expect(widget, `${schema.prefix}=${value.slice(0, 20)}`).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
      for (const [key, spec] of params.filter(([k]) => keys.includes(k))) {
        const what = `${schema.prefix}.${key}=${value.slice(0, 20)}`;
        if (!refuses(spec, value)) continue;
        if (spec.kind === 'text') await expect(widget.locator(`[name="${key}"]`), what).toHaveAttribute('aria-invalid', 'true');
        else await expect(widget.locator('[data-widget-error]'), what).toContainText(`"${key}"`);
      }
      await expect(widget.locator('script')).toHaveCount(0);
    }
    expect(dialogs()).toBe(0);
  });
}

test('the bad values are refused by every numeric and choice parameter', () => {
  // Guards the loop above: a parameter that accepted one of these would go untested for it.
  for (const schema of Object.values(WIDGET_SCHEMAS)) {
    for (const [key, spec] of Object.entries(schema.params)) {
      if (spec.kind === 'text' || !inLink(spec)) continue;
      for (const value of BAD) expect(refuses(spec, value), `${schema.prefix}.${key}=${value.slice(0, 20)}`).toBe(true);
    }
  }
});

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
