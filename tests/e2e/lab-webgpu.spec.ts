import { test, expect } from './fixtures';
import { chromiumLaunchOptions } from '../../scripts/browser.ts';
import { expectFastestChosen, type ProbeResult } from './probe-result';

// WebGPU offered on a software adapter (the flags the bench uses): the probe must measure it too.
test.use({ launchOptions: chromiumLaunchOptions(['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader', '--enable-unsafe-swiftshader']) });

test('the backend probe measures WebGPU too and still trains on the fastest', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/lab/?preset=cnn&steps=5&backend=auto&autostart=1');
  await expect(page.locator('[data-probe-line]')).toContainText('→', { timeout: 90_000 });
  const probe = JSON.parse((await page.locator('bn-lab').getAttribute('data-probe'))!) as ProbeResult;
  expect(probe.outcomes.map((o) => o.backend)).toEqual(['webgpu', 'webgl', 'wasm']);
  expectFastestChosen(probe);
  await expect(page.locator('p[data-status]')).toContainText('Finished: 5 steps', { timeout: 120_000 });
});
