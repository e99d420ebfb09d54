import { test, expect, internalLinks } from './fixtures';

const CHAPTERS = ['why-normalize', 'the-transform', 'conv-layers', 'train-vs-inference', 'backward-pass', 'pitfalls', 'modern-practice', 'bn-in-practice'];

test('home links every chapter and the lab', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('h1')).toHaveText('Batch Normalization, live');
  const links = await internalLinks(page);
  for (const slug of CHAPTERS) expect(links).toContain(`/chapters/${slug}/`);
  expect(links).toContain('/lab/');
  await expect(page.locator('.katex').first()).toBeVisible();
});

test('every page reachable from home has real content and loads cleanly', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  const queue = await internalLinks(page);
  const seen = new Set<string>(['/']);
  while (queue.length) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    const h1 = page.locator('main h1');
    await expect(h1, path).toHaveCount(1);
    expect((await h1.textContent())?.trim().length, path).toBeGreaterThan(3);
    const words = (await page.locator('main').innerText()).split(/\s+/).length;
    expect(words, `${path} word count`).toBeGreaterThan(path.startsWith('/chapters/') ? 500 : 120);
    if (path.startsWith('/chapters/')) {
      // Chapters carry math; it must be KaTeX rendered at build time, with no parse errors.
      expect(await page.locator('.katex').count(), path).toBeGreaterThan(2);
      await expect(page.locator('.katex-error'), path).toHaveCount(0);
    }
    for (const link of await internalLinks(page)) if (!seen.has(link)) queue.push(link);
  }
  for (const slug of CHAPTERS) expect(seen).toContain(`/chapters/${slug}/`);
  expect(seen).toContain('/lab/');
});

test('chapters link previous and next in order', async ({ page }) => {
  await page.goto(`/chapters/${CHAPTERS[0]}/`);
  for (let i = 1; i < CHAPTERS.length; i++) {
    await page.locator('a[rel="next"]').click();
    await expect(page).toHaveURL(new RegExp(`/chapters/${CHAPTERS[i]}/$`));
  }
  await page.locator('a[rel="next"]').click();
  await expect(page).toHaveURL(/\/lab\/$/);
  await page.locator('a[rel="prev"]').click();
  await expect(page).toHaveURL(new RegExp(`/chapters/${CHAPTERS.at(-1)}/$`));
});

test('table of contents links to headings on the page', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/chapters/the-transform/');
  const tocLinks = page.locator('aside.toc a');
  expect(await tocLinks.count()).toBeGreaterThan(2);
  for (const href of await tocLinks.evaluateAll((as) => as.map((a) => a.getAttribute('href')!))) {
    await expect(page.locator(href)).toHaveCount(1);
  }
});

test('theme follows the OS, and the toggle overrides and persists', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const darkBg = await bg();
  const toggle = page.getByRole('button', { name: 'Dark theme' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await toggle.press('Enter');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  const lightBg = await bg();
  expect(lightBg).not.toBe(darkBg);
  await page.goto('/chapters/pitfalls/');
  expect(await bg()).toBe(lightBg);
  await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute('aria-pressed', 'false');
});

test('unknown paths get the 404 page', async ({ page, problems }) => {
  // The 404 status is the point: Chromium also logs it as a console error.
  problems.allow(/^HTTP 404: .*\/no-such-page\/$/, /^console: Failed to load resource: the server responded with a status of 404/);
  const res = await page.goto('/no-such-page/');
  expect(res?.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('Page not found');
});

test('pages fit a 360 px phone without horizontal scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ['/', '/lab/', ...CHAPTERS.map((s) => `/chapters/${s}/`)]) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
    // Nor does any control stick out of its widget's box (a long <select> option once did).
    const outside = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.widget :is(input, select, textarea, button)')).flatMap((el) => {
        const box = el.closest('.widget')!.getBoundingClientRect();
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > box.right + 0.5 || r.left < box.left - 0.5) ? [`${el.tagName.toLowerCase()}[name=${el.getAttribute('name')}] ${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(box.left)}–${Math.round(box.right)}`] : [];
      }),
    );
    expect(outside, path).toEqual([]);
  }
});

test('pages without widgets ship no KaTeX runtime', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
  });
  await page.goto('/chapters/why-normalize/');
  await page.waitForLoadState('networkidle');
  expect(scripts.filter((s) => /katex/i.test(s))).toEqual([]);
});

test('every page carries the same-origin Content-Security-Policy, and the headers file matches it', async ({ page, request }) => {
  const res = await page.goto('/chapters/the-transform/');
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toContain("default-src 'self'");
  expect(meta).not.toContain("'unsafe-eval'");
  expect(meta).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  const header = res?.headers()['content-security-policy'] ?? '';
  for (const directive of meta!.split('; ')) expect(header).toContain(directive);
  // No inline scripts anywhere: the policy would block them.
  for (const path of ['/', '/lab/', '/chapters/pitfalls/']) {
    await page.goto(path);
    expect(await page.locator('script:not([src])').count(), path).toBe(0);
  }
  expect((await request.get('/_headers')).status()).toBe(200);
});

test('at 360 px the site title keeps to one line and the theme toggle shows, in both themes', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto('/chapters/the-transform/');
    const brand = page.locator('.brand');
    const { height, lineHeight, clipped } = await brand.evaluate((el) => ({
      height: el.getBoundingClientRect().height,
      lineHeight: parseFloat(getComputedStyle(el).lineHeight),
      clipped: el.scrollWidth > el.clientWidth,
    }));
    expect(height, colorScheme).toBeLessThan(lineHeight * 1.5);
    expect(clipped, `${colorScheme}: title cut short`).toBe(false);
    const toggle = page.locator('#theme-toggle');
    await expect(toggle).toBeVisible();
    const box = (await toggle.boundingBox())!;
    expect(box.x + box.width, colorScheme).toBeLessThanOrEqual(360);
  }
});

/**
 * Shade (mean of R, G, B) at the box's left edge, middle and right edge, as drawn, in the middle of
 * its top padding (no text there, and below a rounded corner's curve).
 */
async function edgeShades(box: import('@playwright/test').Locator): Promise<{ left: number; middle: number; right: number }> {
  const png = await box.screenshot();
  const row = await box.evaluate((el) => Math.floor(parseFloat(getComputedStyle(el).paddingTop) / 2));
  return box.page().evaluate(async ([bytes, y]) => {
    const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    const shade = (x: number) => {
      const [r, g, b] = context.getImageData(x, y, 1, 1).data;
      return (r! + g! + b!) / 3;
    };
    return { left: shade(1), middle: shade(Math.floor(bitmap.width / 2)), right: shade(bitmap.width - 2) };
  }, [[...png], row] as const);
}

test('at 360 px a wide equation or code block shows a shadow on each side that has more to scroll to, in both themes', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const [path, selector] of [['/chapters/the-transform/', '.katex-display'], ['/chapters/pitfalls/', '.prose pre']] as const) {
      await page.goto(path);
      const wide = page.locator(selector).filter({ visible: true }).nth(
        await page.locator(selector).evaluateAll((boxes) => boxes.filter((b) => b.getClientRects().length > 0).findIndex((b) => b.scrollWidth > b.clientWidth + 100)),
      );
      const label = `${colorScheme} ${path} ${selector}`;
      await wide.evaluate((box) => box.scrollIntoView({ block: 'center' }));
      // At the start: the right edge is shaded, the left is the box's own background.
      let shades = await edgeShades(wide);
      expect(Math.abs(shades.left - shades.middle), `${label}, start, left`).toBeLessThan(3);
      expect(Math.abs(shades.right - shades.middle), `${label}, start, right`).toBeGreaterThan(20);
      await wide.evaluate((box) => (box.scrollLeft = 60));
      shades = await edgeShades(wide);
      expect(Math.abs(shades.left - shades.middle), `${label}, middle, left`).toBeGreaterThan(20);
      expect(Math.abs(shades.right - shades.middle), `${label}, middle, right`).toBeGreaterThan(20);
      await wide.evaluate((box) => (box.scrollLeft = box.scrollWidth));
      shades = await edgeShades(wide);
      expect(Math.abs(shades.left - shades.middle), `${label}, end, left`).toBeGreaterThan(20);
      expect(Math.abs(shades.right - shades.middle), `${label}, end, right`).toBeLessThan(3);
    }
  }
});

test('a formula that scrolls sideways takes a tab stop, and gives it up when the window is wide enough', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/chapters/the-transform/');
  // Each formula's tab stop against whether it overflows now, as [overflowing, focusable] pairs.
  const marks = () => page.locator('.katex-display').evaluateAll((boxes) => boxes.map((b) => [b.scrollWidth > b.clientWidth + 1, b.getAttribute('tabindex') === '0']));
  const mismatches = async () => (await marks()).filter(([wide, focusable]) => wide !== focusable).length;
  await expect.poll(mismatches).toBe(0);
  expect((await marks()).filter(([wide]) => wide).length, 'formulas wider than a phone').toBeGreaterThan(0);
  await page.setViewportSize({ width: 1440, height: 900 });
  await expect.poll(mismatches).toBe(0);
  expect((await marks()).filter(([, focusable]) => focusable).length).toBeLessThan((await page.locator('.katex-display').count()));
});

test('code blocks in the chapters are highlighted in both themes', async ({ page }) => {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto('/chapters/pitfalls/');
    const block = page.locator('.prose pre.astro-code').first();
    await expect(block).toBeVisible();
    const colours = await block.evaluate((pre) => [...new Set([...pre.querySelectorAll('span span')].map((s) => getComputedStyle(s).color))]);
    // Keywords, names, numbers, comments and plain text: at least four colours, none of them unset.
    expect(colours.length, `${colorScheme}: ${colours.join(', ')}`).toBeGreaterThanOrEqual(4);
    expect(colours.filter((c) => c === 'rgba(0, 0, 0, 0)')).toEqual([]);
  }
});
