// Screenshots of built pages in light and dark mode at phone and desktop widths, for review.
// Usage: npm run screenshots -- [outDir] [path ...]   (expects `npm run build` first)
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { chromiumLaunchOptions, serveDist } from './browser.ts';

const [outDir = 'test-results/screenshots', ...argPaths] = process.argv.slice(2);
const paths = argPaths.length ? argPaths : ['/', '/chapters/the-transform/', '/lab/'];
const port = 4391;
mkdirSync(outDir, { recursive: true });

const server = await serveDist(port);
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  for (const path of paths) {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const [label, width] of [['phone', 360], ['desktop', 1280]] as const) {
        const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
        await page.goto(`http://127.0.0.1:${port}${path}`);
        await page.waitForTimeout(Number(process.env.SHOT_WAIT_MS ?? 1500));
        const name = `${path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home'}-${colorScheme}-${label}.png`;
        await page.screenshot({ path: `${outDir}/${name}`, fullPage: process.env.SHOT_FULL === '1' });
        await page.close();
        console.log(`${outDir}/${name}`);
      }
    }
  }
} finally {
  await browser.close();
  server.kill();
}
