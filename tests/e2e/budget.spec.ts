import { test, expect } from './fixtures';

/**
 * JavaScript bytes each page loads before the reader interacts (no scrolling). Pages without
 * widgets ship only the theme script and the layout's small module; widget code, tfjs, Plot,
 * mathjs and KaTeX's runtime load when a widget nears the viewport.
 */
const BUDGET_KB: Record<string, number> = {
  // The home page draws its figure (a batch you drag, normalized as you drag) at once, in plain
  // TypeScript and SVG: no tfjs or Plot, 30 KB at most.
  '/': 30,
  '/chapters/why-normalize/': 10,
  '/chapters/the-transform/': 10,
  '/chapters/conv-layers/': 10,
  '/chapters/backward-pass/': 10,
  // These two open with a widget within reach of the first screen, so its code (tfjs-core with the
  // cpu backend and the BN library, about 370 KB) loads at once — by design of the lazy contract —
  // with the widget frame's table of every widget's mount.ts and its chunks (src/lib/widget/mounts.ts, 4.4 KB).
  '/chapters/train-vs-inference/': 400,
  // Its first demonstration builds the lab's models, whose conv op comes with its registered
  // gradients (tfjs's register_all_gradients, 22 KB). 434 KB with the frame's table of 27 widgets'
  // mount.ts (5.8 KB), the layout's offline registration and solved-exercise marks (3.0 KB in all).
  '/chapters/pitfalls/': 436,
  '/chapters/modern-practice/': 10,
  '/chapters/bn-in-practice/': 10,
  // The lab starts its trainer at once: the page's controller and Plot (~270 KB) plus the worker
  // with tfjs, the WASM backend and whichever GPU backends it probes (~1.8 MB uncompressed).
  '/lab/': 2300,
};

for (const [path, budget] of Object.entries(BUDGET_KB)) {
  test(`${path} loads at most ${budget} KB of JavaScript on first paint`, async ({ page }) => {
    const sizes: Array<{ url: string; bytes: number }> = [];
    // Each script's body arrives after its response event: the test waits for every read, not a fixed time.
    const reads: Array<Promise<void>> = [];
    page.on('response', (res) => {
      if (res.request().resourceType() !== 'script') return;
      reads.push(
        res
          .body()
          .catch(() => Buffer.alloc(0))
          .then((body) => void sizes.push({ url: new URL(res.url()).pathname, bytes: body.length })),
      );
    });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    await Promise.all(reads);
    // A script fetched again (each worker of the lab's backend probe loads the trainer's bundle,
    // served from the cache after the first) costs its bytes once.
    const unique = [...new Map(sizes.map((s) => [s.url, s])).values()];
    const total = unique.reduce((a, s) => a + s.bytes, 0) / 1024;
    expect(total, unique.map((s) => `${s.url} ${(s.bytes / 1024).toFixed(1)} KB`).join('\n')).toBeLessThanOrEqual(budget);
    if (budget <= 30) expect(sizes.map((s) => s.url).filter((u) => /tfjs|tf-core|plot|mathjs|katex/i.test(u))).toEqual([]);
  });
}

test('the theme script is under 2 KB', async ({ request }) => {
  const body = await (await request.get('/theme-init.js')).body();
  expect(body.length).toBeLessThan(2048);
});
