import type { LossSequenceResult } from '../../src/lib/bench/harness';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

type Optimizer = 'adam' | 'momentum';

/**
 * The GPU backends train the lab's networks as WASM does: the CNN twin (BN and plain), 3 steps
 * at a fixed seed on each backend in one page (/bench/), with SGD + momentum and with Adam, every
 * step's loss held against WASM's. Three steps: the first compiles every shader (a WebGPU step takes
 * seconds on SwiftShader), and a wrong gradient shows from the second step on (below).
 * WASM is the reference because its gradients are the ones the unit tests pin to the cpu
 * backend's kernels (tests/unit/train/loss-sequence.test.ts). With no GPU here, WebGL and WebGPU
 * run on SwiftShader (software), with the flags `npm run bench` launches them with.
 */
// WebGPU offered and both GPU backends on SwiftShader: the `gpu` project's browser (playwright.config.ts).

const STEPS = 3;
const SEED = 1;
/**
 * Relative tolerance per step. Measured on SwiftShader: WebGPU and WebGL within 2e-7 of WASM at
 * every step with momentum, WebGPU also with Adam (one or two float32 roundings: summation order,
 * exp/log in the cross-entropy). 1e-5 leaves 50× that and still catches a wrong gradient: WASM's
 * stock max-pool gradient (which drops the gradient of windows whose values are all ≤ 0) moved the
 * BN-after-ReLU loss by 6e-3 after 2 steps, and WebGL's Adam ε of 1e-4 moves it by 2e-3 after one.
 */
const TOLERANCE = 1e-5;

test.describe('GPU backends train as WASM does', () => {
  // In file order in one worker, so WASM's runs are made once and reused; a failure skips nothing.
  test.describe.configure({ mode: 'default' });
  const wasm: Partial<Record<Optimizer, LossSequenceResult>> = {};

  // One page load per test: lossSequence switches the backend and builds its twin afresh from the
  // seed each time, and the backend keeps its compiled shaders from one optimizer to the next.
  const run = async (page: Page, backend: 'wasm' | 'webgl' | 'webgpu', optimizer: Optimizer): Promise<LossSequenceResult> => {
    if (new URL(page.url(), 'http://x').pathname !== '/bench/') await page.goto('/bench/');
    await page.waitForFunction(() => window.bnBench?.ready === true, null, { timeout: 60_000 });
    return page.evaluate((o) => window.bnBench!.lossSequence(o), { backend, steps: STEPS, seed: SEED, optimizer });
  };

  /** The largest relative difference over both twins' steps, and every step for the message. */
  const compare = (got: LossSequenceResult, want: LossSequenceResult): { worst: number; report: string } => {
    const rows: string[] = [];
    let worst = 0;
    for (const twin of ['norm', 'plain'] as const) {
      expect(got.losses[twin]).toHaveLength(STEPS);
      got.losses[twin].forEach((loss, i) => {
        const ref = want.losses[twin][i]!;
        const rel = Math.abs(loss - ref) / Math.abs(ref);
        worst = Math.max(worst, rel);
        rows.push(`${twin} step ${i + 1}: ${loss.toFixed(7)} against WASM's ${ref.toFixed(7)} (${rel.toExponential(1)})`);
      });
    }
    return { worst, report: `${got.backend} (ε ${got.epsilon}) against WASM (ε ${want.epsilon}):\n${rows.join('\n')}` };
  };

  const check = async (page: Page, backend: 'webgl' | 'webgpu'): Promise<void> => {
    for (const optimizer of ['momentum', 'adam'] as const) {
      wasm[optimizer] ??= await run(page, 'wasm', optimizer);
      const ref = wasm[optimizer]!;
      expect(ref.error ?? ref.backend, 'WASM trained').toBe('wasm');
      const got = await run(page, backend, optimizer);
      expect(got.error ?? got.backend, `${backend} trained`).toBe(backend);
      const { worst, report } = compare(got, ref);
      // The figures stay in the test's output (the README quotes them) when it passes too.
      console.log(`${optimizer}: ${report}`);
      // tf.train.adam adds the backend's ε to √v̂: a backend with float16 render targets (WebGL on
      // SwiftShader here) uses 1e-4, not 1e-7, so its Adam is another optimizer. Momentum has no ε.
      if (optimizer === 'adam' && got.epsilon !== ref.epsilon) {
        test.info().annotations.push({ type: 'adam not compared', description: `${backend}'s ε is ${got.epsilon}, WASM's ${ref.epsilon}; ${report}` });
        continue;
      }
      expect(worst, `${optimizer}: ${report}`).toBeLessThan(TOLERANCE);
    }
  };

  test('WebGL', async ({ page }) => {
    test.setTimeout(300_000);
    await check(page, 'webgl');
  });

  test('WebGPU', async ({ page }) => {
    test.setTimeout(300_000);
    await page.goto('/bench/');
    const adapter = await page.evaluate(async () => {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      if (!gpu) return 'navigator.gpu is undefined';
      return (await gpu.requestAdapter().catch(() => null)) ? null : 'requestAdapter() returned no adapter';
    });
    test.skip(adapter !== null, `WebGPU cannot start in this headless Chromium with the SwiftShader flags: ${adapter}`);
    await check(page, 'webgpu');
  });
});
