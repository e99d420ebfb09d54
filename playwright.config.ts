import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, SOFTWARE_GPU_FLAGS } from './scripts/browser.ts';
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

const GPU_SPECS = /(backends|lab-webgpu)\.spec\.ts$/;
const LAB_SPECS = /lab(-[a-z]+)?\.spec\.ts$/;

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
  // Projects in the order they start. A worker runs one project's tests (one browser, one set of
  // launch flags), and a free worker takes the next test of its own project before any other, so
  // tests needing another browser used to wait for the end and run alone there (the backends'
  // WebGPU test, a minute, on one worker while the other idled). The specs that need WebGPU's
  // flags are a project of their own and go first; then the lab's, which train for minutes each;
  // the short page tests fill in around them. No test asserts a duration, so they may share the
  // machine (`npx playwright test --project lab` runs the lab alone).
  projects: [
    { name: 'gpu', testMatch: GPU_SPECS, use: { launchOptions: chromiumLaunchOptions(SOFTWARE_GPU_FLAGS) } },
    { name: 'lab', testMatch: LAB_SPECS, testIgnore: GPU_SPECS },
    { name: 'pages', testIgnore: [LAB_SPECS, GPU_SPECS] },
  ],
  webServer: [staticServer(PORT), staticServer(ISOLATED_PORT, ' --isolate')],
});
