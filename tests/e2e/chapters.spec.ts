import { test, expect } from './fixtures';
import { chartTextProblems } from './chart-text';
import { normal, seededRng } from '../../src/lib/data/random';
import { BATCH, EPS, SATURATED_BELOW, SEED } from '../../components/sigmoid-drift/saturation';

const numbers = (text: string | null): number[] => (text ?? '').split(',').map((s) => Number(s.trim()));

test.describe('training vs inference', () => {
  test('folding BN into the conv changes the output by at most 1e-4', async ({ page }) => {
    await page.goto('/chapters/train-vs-inference/');
    const fold = page.locator('bn-fold');
    await fold.scrollIntoViewIfNeeded();
    const diff = page.getByLabel('fold max difference', { exact: true });
    await expect(diff).not.toHaveText('—');
    expect(Number(await diff.textContent())).toBeLessThanOrEqual(1e-4);
    const tableBefore = await fold.locator('tbody').textContent();
    await fold.getByRole('button', { name: 'New weights and statistics' }).click();
    await expect(fold.locator('tbody')).not.toHaveText(tableBefore!);
    expect(Number(await diff.textContent())).toBeLessThanOrEqual(1e-4);
    // A bad epsilon is refused and the last result stays.
    const before = await diff.textContent();
    await fold.getByLabel('epsilon').fill('-1');
    await expect(fold.getByLabel('epsilon')).toHaveAttribute('aria-invalid', 'true');
    await expect(diff).toHaveText(before!);
  });

  test('one example: training-mode outputs vary with the batch, inference mode gives one answer', async ({ page }) => {
    await page.goto('/chapters/train-vs-inference/');
    await page.locator('bn-one-example').scrollIntoViewIfNeeded();
    const train = page.getByLabel('training-mode outputs for x', { exact: true });
    await expect(train).not.toHaveText('—');
    const values = numbers(await train.textContent());
    expect(values).toHaveLength(6);
    expect(new Set(values).size).toBeGreaterThan(1);
    const infer = Number(await page.getByLabel('inference-mode output for x', { exact: true }).textContent());
    // Running mean 0, variance 1, γ = 1, β = 0: the inference output is x/√(1 + ε).
    expect(infer).toBeCloseTo(1.5 / Math.sqrt(1 + 1e-5), 5);
    await page.getByLabel('the example x').fill('-2');
    await expect(page.getByLabel('inference-mode output for x', { exact: true })).toHaveText(String(Number((-2 / Math.sqrt(1 + 1e-5)).toPrecision(7))));
  });

  test('the running-average plot responds to the momentum slider', async ({ page }) => {
    await page.goto('/chapters/train-vs-inference/');
    const widget = page.locator('bn-running-averages');
    await widget.scrollIntoViewIfNeeded();
    await expect(widget).toHaveAttribute('data-state', 'ready');
    const path = widget.locator('[data-plot="mean"] g[aria-label="line"] path');
    const before = await path.getAttribute('d');
    const slider = widget.locator('input[name="momentum"]');
    await slider.focus();
    for (let i = 0; i < 20; i++) await slider.press('ArrowRight');
    await expect(widget.locator('[data-display="momentum"]')).toHaveText('0.3');
    await expect.poll(() => path.getAttribute('d')).not.toBe(before);
    await expect(page.getByLabel('weight of each new batch', { exact: true })).toContainText('0.3');
    expect(page.url()).toContain('ra.momentum=0.3');
  });
});

test.describe('backward pass', () => {
  test('closed form, autodiff and finite differences agree within 1e-3 relative', async ({ page }) => {
    await page.goto('/chapters/backward-pass/');
    const widget = page.locator('bn-grad-check');
    await widget.scrollIntoViewIfNeeded();
    const auto = page.getByLabel('closed form vs autodiff', { exact: true });
    const fd = page.getByLabel('closed form vs finite differences', { exact: true });
    for (const [values, dy, gamma] of [
      ['1, 2, 4, 7, 11', '1, -2, 0.5, 3, -1', '1.5'],
      ['-3 0.25 8 8 1.5 -0.75', '0.3 0.1 -2 1 1 -0.4', '-0.8'],
    ] as const) {
      await widget.getByLabel('Mini-batch values').fill(values);
      await widget.getByLabel('Upstream gradient dy (one per value)').fill(dy);
      await widget.getByLabel('gamma').fill(gamma);
      await expect(widget.locator('tbody tr')).toHaveCount(values.split(/[ ,]+/).length + 2);
      // gamma is typed last, and each redraw writes the fields it used to the link: once the link
      // carries this gamma, the readouts come from this case's values, dy and gamma.
      await expect.poll(() => new URL(page.url()).searchParams.get('gc.gamma')).toBe(gamma);
      expect(Number(await auto.textContent())).toBeLessThan(1e-3);
      expect(Number(await fd.textContent())).toBeLessThan(1e-3);
    }
    await widget.getByLabel('Upstream gradient dy (one per value)').fill('1, 2');
    await expect(widget.locator('[data-widget-error]')).toContainText('dy needs one value per batch value');
  });

  test('gradient magnitudes per layer are computed for both networks', async ({ page }) => {
    await page.goto('/chapters/backward-pass/');
    const widget = page.locator('bn-deep-gradients');
    await widget.scrollIntoViewIfNeeded();
    await expect(widget.locator('[data-plot="grads"] g[aria-label="dot"] circle')).toHaveCount(40);
    const plain = page.getByLabel('first/last layer gradient ratio, without BN', { exact: true });
    const before = await plain.textContent();
    await widget.locator('select[name="act"]').selectOption('sigmoid');
    await expect(plain).not.toHaveText(before!);
  });
});

test('every pitfall demonstration runs', async ({ page }) => {
  await page.goto('/chapters/pitfalls/');
  for (const demo of ['train-mode', 'unused', 'batch-one', 'fine-tune', 'placement']) {
    const widget = page.locator(`#pit-${demo}`);
    await widget.scrollIntoViewIfNeeded();
    await expect(widget).toHaveAttribute('data-state', 'ready');
    await widget.getByRole('button').click();
    await expect(widget.locator('dd').first()).not.toBeEmpty();
  }
  // The unused layer changes nothing: its network's output equals the plain one exactly.
  await expect(page.locator('#pit-unused dd').nth(2)).toHaveText('0');
});

test.describe('why normalize', () => {
  test('gradient descent: standardizing lowers the condition number and the steps; above 2/λmax it diverges', async ({ page }) => {
    await page.goto('/chapters/why-normalize/');
    const widget = page.locator('bn-gd-valley');
    await widget.scrollIntoViewIfNeeded();
    await expect(widget).toHaveAttribute('data-state', 'ready');
    const read = async (label: string) => Number.parseFloat((await page.getByLabel(label, { exact: true }).textContent()) ?? '');
    const cond = page.getByLabel('condition number λmax/λmin', { exact: true });
    await expect(cond).not.toHaveText('—');
    // The curvatures are the eigenvalues of H = (2/n)XᵀX: check them against their trace and the condition number.
    const raw = { lmax: await read('largest curvature λmax'), lmin: await read('smallest curvature λmin'), cond: await read('condition number λmax/λmin') };
    // The readouts show three significant digits.
    expect(Math.abs(raw.cond - raw.lmax / raw.lmin) / raw.cond).toBeLessThan(0.02);
    // Raw features, mean 3 and 1: E[x₁²] ≈ 10, so λmax ≈ 2·(10 + 1.06) within sampling noise.
    expect(raw.lmax).toBeGreaterThan(15);
    expect(raw.lmax).toBeLessThan(30);
    const bestRaw = await read('steps at the best fixed η, 2/(λmax+λmin)');
    await widget.locator('select[name="features"]').selectOption('standardized');
    await expect(cond).not.toHaveText(String(raw.cond));
    const std = { lmax: await read('largest curvature λmax'), cond: await read('condition number λmax/λmin') };
    // Standardized: H is twice the correlation matrix, eigenvalues 2(1 ± ρ) with ρ ≈ 0.6.
    expect(std.lmax).toBeGreaterThan(2.6);
    expect(std.lmax).toBeLessThan(3.8);
    expect(std.cond).toBeLessThan(raw.cond / 10);
    expect(await read('steps at the best fixed η, 2/(λmax+λmin)')).toBeLessThan(bestRaw);
    // Just above 2/λmax the descent diverges; just below it converges.
    const limit = await read('divergence threshold 2/λmax');
    const slider = widget.locator('input[name="logeta"]');
    const setRate = async (eta: number) => {
      await slider.evaluate((el, v) => {
        const input = el as HTMLInputElement;
        input.value = String(v);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }, Math.log10(eta));
    };
    // The slider moves in steps of 0.05 in log10 η: pick the grid points either side of the threshold.
    const above = 10 ** (Math.ceil(Math.log10(limit) / 0.05 + 1e-9) * 0.05);
    const below = 10 ** (Math.floor(Math.log10(limit) / 0.05 - 1e-9) * 0.05);
    await setRate(above);
    await expect(widget).toHaveAttribute('data-steps', 'diverged');
    await expect(page.getByLabel('steps to converge at this η', { exact: true })).toContainText('diverges');
    await setRate(below);
    await expect(widget).toHaveAttribute('data-steps', /^\d+$/);
    await expect(widget.locator('[data-plot="valley"] svg')).toBeVisible();
  });
});

test('chart text (ticks, labels, legends, diagrams) is at least 12 px as drawn, inside its chart and clear of other text, at 1280 and 360 px', async ({ page }) => {
  // Seven widgets on four pages, at two widths: it outlasts the default limit on a busy machine.
  test.setTimeout(150_000);
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 800 });
    // Deep gradients (legend, log ticks) and the graph diagram; batch noise (legend, two charts).
    // Residual stack, ghost batch, padded batch (with a colour ramp), dropout shift.
    for (const [path, charts] of [
      ['/chapters/backward-pass/', ['bn-deep-gradients [data-plot="grads"] svg']],
      ['/chapters/conv-layers/', ['bn-batch-noise [data-plot="stats"] svg']],
      ['/chapters/modern-practice/', ['bn-residual-init [data-plot="stream"] svg', 'bn-ghost-batch [data-plot="spread"] svg', 'bn-padded-batch [data-plot="grid"] svg', 'bn-dropout-shift [data-plot="variance"] svg']],
    ] as const) {
      await page.goto(path);
      for (const chart of charts) {
        await page.locator(chart.split(' ')[0]!).scrollIntoViewIfNeeded();
        await expect(page.locator(chart).first()).toBeVisible();
      }
      expect(await chartTextProblems(page, 'main article'), `${path} at ${width} px`).toEqual([]);
    }
  }
});

test('sigmoid drift: the mean slope over the batch matches a float64 recomputation as the inputs drift and under BN', async ({ page }) => {
  // The same seeded draw, in float64 here: z = mean + spread·ε, optionally normalized with the biased variance.
  const expected = (mean: number, spread: number, bn: boolean) => {
    const rng = seededRng(SEED);
    let z = Array.from({ length: BATCH }, () => mean + spread * normal(rng));
    if (bn) {
      const mu = z.reduce((a, v) => a + v, 0) / BATCH;
      const variance = z.reduce((a, v) => a + (v - mu) ** 2, 0) / BATCH;
      z = z.map((v) => (v - mu) / Math.sqrt(variance + EPS));
    }
    const slopes = z.map((v) => {
      const g = 1 / (1 + Math.exp(-v));
      return g * (1 - g);
    });
    return { slope: slopes.reduce((a, v) => a + v, 0) / BATCH, saturated: slopes.filter((v) => v < SATURATED_BELOW).length / BATCH };
  };
  await page.goto('/chapters/why-normalize/');
  const widget = page.locator('bn-sigmoid-drift');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready');
  const slope = page.getByLabel('mean slope g′(z) over the batch', { exact: true });
  const saturated = page.getByLabel('inputs with g′(z) below 0.01', { exact: true });
  const check = async (mean: number, spread: number, bn: boolean) => {
    const want = expected(mean, spread, bn);
    await expect.poll(async () => Math.abs(Number(await slope.textContent()) - want.slope), `slope at mean ${mean}, spread ${spread}, BN ${bn}`).toBeLessThan(1e-4);
    // Shown as a percentage with one decimal.
    expect(Math.abs(Number.parseFloat((await saturated.textContent()) ?? '') - 100 * want.saturated)).toBeLessThan(0.06);
    return want;
  };
  const centred = await check(0, 1, false);
  expect(centred.slope).toBeGreaterThan(0.19);
  await widget.locator('input[name="mean"]').fill('4');
  const drifted = await check(4, 1, false);
  expect(drifted.slope).toBeLessThan(centred.slope / 5);
  await widget.locator('input[name="spread"]').fill('3');
  await check(4, 3, false);
  // BN brings the batch back to mean 0, standard deviation 1, whatever the drift.
  await widget.getByLabel('normalize the batch first (BN with γ = 1, β = 0)').check();
  const normalized = await check(4, 3, true);
  expect(normalized.slope).toBeGreaterThan(0.19);
});
