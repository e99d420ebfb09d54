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
  // The lab's specs train for minutes each: listed first, they start first and the short page
  // tests fill the other worker around them. No test asserts a duration, so the two may share the
  // machine (`npx playwright test --project lab` runs the lab alone).
  projects: [
    { name: 'lab', testMatch: /lab(-[a-z]+)?\.spec\.ts$/ },
    { name: 'pages', testIgnore: /lab(-[a-z]+)?\.spec\.ts$/ },
  ],
  webServer: [staticServer(PORT), staticServer(ISOLATED_PORT, ' --isolate')],
});
