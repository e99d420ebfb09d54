import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';
import { ISOLATED_PORT, PORT } from './tests/e2e/ports';

// System Chromium when there is one (CI installs Debian's); Playwright's own browser otherwise.
const systemChromium = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

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
    launchOptions: {
      executablePath: systemChromium,
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  // The lab trains for minutes and its test asserts the page stays responsive meanwhile. Beside
  // the other browser tests on a two-core machine, CPU starvation alone stretched ordinary 20 ms
  // tasks past 500 ms (long tasks are wall-clock), so the lab runs after them, on a quiet machine,
  // in one worker: `--repeat-each` would otherwise train two repeats at once and fail the same way.
  projects: [
    { name: 'pages', testIgnore: /lab\.spec\.ts$/ },
    { name: 'lab', testMatch: /lab\.spec\.ts$/, dependencies: ['pages'], workers: 1 },
  ],
  webServer: [staticServer(PORT), staticServer(ISOLATED_PORT, ' --isolate')],
});
