import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/browser.ts';
import { ISOLATED_PORT, PORT } from './tests/e2e/ports';

/** The built site served by scripts/serve.ts, with the same headers a static host applies. */
function staticServer(port: number, flags = '') {
  return {
    command: `node scripts/serve.ts dist ${port}${flags}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  };
}

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    // System Chromium when there is one (CI installs Debian's); Playwright's own browser otherwise.
    launchOptions: chromiumLaunchOptions(),
    // The offline service worker precaches the whole site (about 8 MB) on every fresh context;
    // only tests/e2e/offline.spec.ts, which tests it, lets it register.
    serviceWorkers: 'block',
  },
  // The lab trains for minutes and its test bounds the site's own script time meanwhile. Beside
  // the other browser tests on a two-core machine, CPU starvation alone stretched ordinary 20 ms
  // tasks past 500 ms, and a script's measured duration is wall-clock too, so the lab runs after
  // them, on a quieter machine, in one worker: `--repeat-each` would otherwise train two repeats
  // at once.
  projects: [
    { name: 'pages', testIgnore: /lab(-[a-z]+)?\.spec\.ts$/ },
    { name: 'lab', testMatch: /lab(-[a-z]+)?\.spec\.ts$/, dependencies: ['pages'], workers: 1 },
  ],
  webServer: [staticServer(PORT), staticServer(ISOLATED_PORT, ' --isolate')],
});
