import { test, expect } from './fixtures';
import { expectFastestChosen, type ProbeResult } from './probe-result';

// WebGPU offered on a software adapter and WebGL on SwiftShader (the flags the bench uses): a
// renderer that runs on the CPU is named and not timed (its shaders alone took 13 s to compile,
// and its queued work went on for 30 s after the probe had moved on), and the lab trains on WASM.
// The browser has those flags in the `gpu` project (playwright.config.ts).

test('the backend probe names software renderers without timing them and trains on the fastest', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/lab/?preset=cnn&steps=5&backend=auto&autostart=1');
  await expect(page.locator('[data-probe-line]')).toContainText('→', { timeout: 90_000 });
  const probe = JSON.parse((await page.locator('bn-lab').getAttribute('data-probe'))!) as ProbeResult;
  expect(probe.outcomes.map((o) => o.backend)).toEqual(['webgpu', 'webgl', 'wasm']);
  const outcome = (b: string) => probe.outcomes.find((o) => o.backend === b)!;
  // --use-angle=swiftshader makes WebGL SwiftShader on any machine; WebGPU is SwiftShader where no GPU is.
  expect(outcome('webgl'), JSON.stringify(probe.outcomes)).toEqual({ backend: 'webgl', examplesPerSecond: null, note: 'software renderer' });
  const webgpu = outcome('webgpu');
  if (webgpu.examplesPerSecond === null) expect(webgpu.note, JSON.stringify(probe.outcomes)).toBe('software renderer');
  expectFastestChosen(probe);
  await expect(page.locator('[data-probe-line]')).toContainText('WebGL (software renderer)');
  await expect(page.locator('p[data-status]')).toContainText('Finished: 5 steps', { timeout: 120_000 });
});
