import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

/** Problems the pages of a test reported: console errors, uncaught exceptions, failed or foreign requests. */
export class PageProblems {
  /** Everything reported so far, in order. */
  readonly errors: string[] = [];
  readonly #allowed: RegExp[] = [];

  /**
   * Declares problems the test provokes on purpose (a 404 page, a request the sandbox blocks), by
   * pattern: the checks leave out the reports they match, and only those.
   */
  allow(...patterns: RegExp[]): void {
    this.#allowed.push(...patterns);
  }

  /** The reports no `allow` pattern matches. */
  unexpected(): string[] {
    return this.errors.filter((e) => !this.#allowed.some((pattern) => pattern.test(e)));
  }
}

/**
 * Starts recording a browser context's problems: console errors, page errors, failed requests,
 * HTTP errors and any request to an origin other than `baseURL`'s. The `problems` fixture does
 * this for every test's context; tests sharing one page across a describe block call it themselves.
 */
export function recordProblems(context: BrowserContext, baseURL: string | undefined): PageProblems {
  const problems = new PageProblems();
  const origin = new URL(baseURL ?? 'http://127.0.0.1').origin;
  context.on('console', (msg) => {
    if (msg.type() === 'error') problems.errors.push(`console: ${msg.text()}`);
  });
  context.on('weberror', (err) => problems.errors.push(`pageerror: ${err.error().message}`));
  context.on('requestfailed', (req) => {
    const why = req.failure()?.errorText ?? '';
    // A test that navigates on before the page finishes cancels its pending requests (the
    // favicon, say): that is the test's doing. Missing files still show up as HTTP errors below.
    if (why === 'net::ERR_ABORTED') return;
    problems.errors.push(`failed: ${req.url()} ${why}`);
  });
  context.on('request', (req) => {
    const url = req.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) problems.errors.push(`foreign request: ${url}`);
  });
  context.on('response', (res) => {
    if (res.status() >= 400) problems.errors.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return problems;
}

/**
 * Every test's browser context records console errors, page errors, failed requests, HTTP errors
 * and any request to an origin other than the site's; after the test, automatically (unless it
 * already failed), it asserts that none happened beyond those declared with `problems.allow`.
 * `expectClean()` runs the same check in the middle of a test.
 */
export const test = base.extend<{ problems: PageProblems; expectClean: () => void; noPageProblems: void }>({
  problems: async ({ context, baseURL }, use) => {
    await use(recordProblems(context, baseURL));
  },
  expectClean: async ({ problems }, use) => {
    await use(() => expect(problems.unexpected(), 'page problems').toEqual([]));
  },
  noPageProblems: [
    async ({ problems }, use, testInfo) => {
      await use();
      // A test that failed reports its own failure first.
      if (testInfo.status !== testInfo.expectedStatus) return;
      expect(problems.unexpected(), 'page problems during the test (console errors, page errors, failed or foreign requests)').toEqual([]);
    },
    { auto: true },
  ],
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
