import { test as base, expect, type Page } from '@playwright/test';

/** Problems a page reported while a test ran: console errors, uncaught exceptions, failed or foreign requests. */
export interface PageProblems {
  errors: string[];
}

/**
 * Every test gets a page that records console errors, page errors, failed requests and any
 * request to an origin other than the site's; `expectClean()` asserts none happened.
 */
export const test = base.extend<{ problems: PageProblems; expectClean: () => void }>({
  problems: async ({ page, baseURL }, use) => {
    const problems: PageProblems = { errors: [] };
    const origin = new URL(baseURL ?? 'http://127.0.0.1').origin;
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.errors.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.errors.push(`pageerror: ${err.message}`));
    page.on('requestfailed', (req) => {
      const why = req.failure()?.errorText ?? '';
      // A test that navigates on before the page finishes cancels its pending requests (the
      // favicon, say): that is the test's doing. Missing files still show up as HTTP errors below.
      if (why === 'net::ERR_ABORTED') return;
      problems.errors.push(`failed: ${req.url()} ${why}`);
    });
    page.on('request', (req) => {
      const url = req.url();
      if (url.startsWith('data:') || url.startsWith('blob:')) return;
      if (new URL(url).origin !== origin) problems.errors.push(`foreign request: ${url}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.errors.push(`HTTP ${res.status()}: ${res.url()}`);
    });
    await use(problems);
  },
  expectClean: async ({ problems }, use) => {
    await use(() => expect(problems.errors, 'page problems').toEqual([]));
  },
});

export { expect };

/** Same-origin links on a page, as paths, without fragments. */
export async function internalLinks(page: Page): Promise<string[]> {
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
  const origin = new URL(page.url()).origin;
  return [...new Set(hrefs.filter((h) => h.startsWith(origin)).map((h) => new URL(h).pathname))];
}

/**
 * Resolves after the page has drawn two more animation frames. Widgets redraw in the next
 * animation frame after an input (frameScheduler), and a readout whose text does not change (the
 * same set size, say) cannot be waited on, so tests read such readouts after this barrier.
 */
export async function afterRedraw(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
}
