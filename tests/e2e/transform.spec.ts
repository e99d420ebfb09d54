import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

/** Algorithm 1 in plain float64, independent of the page's code. */
function reference(x: number[], gamma: number, beta: number, eps: number) {
  const m = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / m;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / m;
  const normalized = x.map((v) => (v - mean) / Math.sqrt(variance + eps));
  return { mean, variance, normalized, output: normalized.map((v) => gamma * v + beta) };
}

const list = (text: string | null): number[] => (text ?? '').split(',').map((s) => Number(s.trim()));
const near = (got: number, want: number, what: string, rtol = 1e-5): void => {
  expect(Math.abs(got - want), `${what}: got ${got}, want ${want}`).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(want)));
};

async function outputs(page: Page) {
  const read = (name: string) => page.getByLabel(name, { exact: true }).textContent();
  return { mean: Number(await read('batch mean')), variance: Number(await read('batch variance')), normalized: list(await read('normalized values')), output: list(await read('output values')) };
}

async function ready(page: Page, url = '/chapters/the-transform/') {
  await page.goto(url);
  const widget = page.locator('bn-transform-steps');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready');
  return widget;
}

test.describe('the transform, step by step', () => {
  const cases = [
    { values: '1, 2, 3, 4', x: [1, 2, 3, 4], gamma: 1, beta: 0, eps: 1e-5 },
    { values: '5, 5, 5, 5', x: [5, 5, 5, 5], gamma: 2, beta: 0.5, eps: 1e-5 },
    { values: '-1.5 2.25\n8 0.125', x: [-1.5, 2.25, 8, 0.125], gamma: -2, beta: 1, eps: 0.001 },
    // float32 keeps ~7 digits of 1001.67, so x − μ (about 1) keeps only ~4–5: the page's outputs are
    // what a network computes, and the widget reports the gap to the exact mathjs result.
    { values: '1000.5, 1001.5, 1003', x: [1000.5, 1001.5, 1003], gamma: 0.5, beta: -3, eps: 1e-5, rtol: 1e-4 },
  ];
  for (const c of cases) {
    test(`outputs match Algorithm 1 for ${JSON.stringify(c.values)}, γ=${c.gamma}, β=${c.beta}`, async ({ page, expectClean }) => {
      const widget = await ready(page);
      await widget.getByLabel('Mini-batch values').fill(c.values);
      await widget.getByLabel('gamma', { exact: true }).fill(String(c.gamma));
      await widget.getByLabel('beta', { exact: true }).fill(String(c.beta));
      await widget.getByLabel('epsilon', { exact: true }).fill(String(c.eps));
      const want = reference(c.x, c.gamma, c.beta, c.eps);
      await expect.poll(async () => (await outputs(page)).output.length).toBe(c.x.length);
      await expect.poll(async () => Math.abs((await outputs(page)).output[0]! - want.output[0]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(want.output[0]!)));
      const got = await outputs(page);
      near(got.mean, want.mean, 'mean');
      near(got.variance, want.variance, 'variance');
      want.normalized.forEach((v, i) => near(got.normalized[i]!, v, `x̂${i + 1}`, c.rtol));
      want.output.forEach((v, i) => near(got.output[i]!, v, `y${i + 1}`, c.rtol));
      await expect(widget.locator('[data-check]')).toContainText('tfjs (float32) and mathjs (exact decimals) agree within');
      // The step formulas show the same numbers, rendered by KaTeX.
      await expect(widget.locator('[data-step="mean"] .katex')).toHaveCount(1);
      await expect(widget.locator('[data-step="mean"]')).toContainText(String(Number(want.mean.toPrecision(7))));
      expectClean();
    });
  }

  test('bad input shows a message and keeps the last good result', async ({ page, expectClean }) => {
    const widget = await ready(page);
    const field = widget.getByLabel('Mini-batch values');
    await field.fill('2, 4, 6');
    await expect(page.getByLabel('batch mean', { exact: true })).toHaveText('4');
    const before = await outputs(page);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const bad: Array<[string, RegExp]> = [
      ['', /empty/],
      ['abc', /"abc" is not a number/],
      ['7', /one value/],
      ['1, NaN', /not a finite number/],
      ['1, Infinity', /not a finite number/],
      [Array.from({ length: 4097 }, (_, i) => i % 10).join(','), /4096/],
      ['<script>alert(1)</script>', /is not a number/],
    ];
    for (const [text, message] of bad) {
      await field.fill(text);
      await expect(field).toHaveAttribute('aria-invalid', 'true');
      await expect(widget.locator('[data-error-for="values"]')).toHaveText(message);
      expect(await outputs(page)).toEqual(before);
    }
    for (const eps of ['0', '-1', 'x']) {
      await field.fill('2, 4, 6');
      await widget.getByLabel('epsilon', { exact: true }).fill(eps);
      await expect(widget.getByLabel('epsilon', { exact: true })).toHaveAttribute('aria-invalid', 'true');
      expect(await outputs(page)).toEqual(before);
    }
    expect(dialogs).toBe(0);
    await expect(widget.locator('script')).toHaveCount(0);
    expectClean();
  });

  test('a shared link reproduces the state', async ({ page, expectClean }) => {
    const widget = await ready(page, '/chapters/the-transform/?t.values=2,4,4,4,5,5,7,9&t.gamma=2&t.beta=1&t.eps=0.001');
    await expect(widget.getByLabel('Mini-batch values')).toHaveValue('2,4,4,4,5,5,7,9');
    await expect(page.getByLabel('batch mean', { exact: true })).toHaveText('5');
    await expect(page.getByLabel('batch variance', { exact: true })).toHaveText('4');
    const want = reference([2, 4, 4, 4, 5, 5, 7, 9], 2, 1, 0.001);
    const got = await outputs(page);
    want.output.forEach((v, i) => near(got.output[i]!, v, `y${i + 1}`));
    // Typing updates the link.
    await widget.getByLabel('gamma', { exact: true }).fill('3');
    await expect.poll(() => page.url()).toContain('t.gamma=3');
    expectClean();
  });

  test('without JavaScript the page shows the worked example', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/chapters/the-transform/');
    await expect(page.getByLabel('batch mean', { exact: true })).toHaveText('2.5');
    await expect(page.getByLabel('batch variance', { exact: true })).toHaveText('1.25');
    await expect(page.locator('[data-step="normalized"] .katex').first()).toBeVisible();
    await context.close();
  });
});

test.describe('distributions', () => {
  test('sliders move by keyboard and the histograms follow, up to batch 1024', async ({ page, expectClean }) => {
    await page.goto('/chapters/the-transform/');
    const widget = page.locator('bn-distributions');
    await widget.scrollIntoViewIfNeeded();
    await expect(widget).toHaveAttribute('data-state', 'ready');
    const stats = widget.locator('[data-out="input-stats"]');
    const before = await stats.textContent();
    const mean = widget.locator('input[name="mean"]');
    await mean.focus();
    for (let i = 0; i < 10; i++) await mean.press('ArrowRight');
    await expect(widget.locator('[data-display="mean"]')).toHaveText('3');
    await expect(stats).not.toHaveText(before!);
    expect(page.url()).toContain('dist.mean=3');
    const batch = widget.locator('input[name="batch"]');
    await batch.focus();
    await batch.press('End');
    await expect(widget.locator('[data-display="batch"]')).toHaveText('1024');
    await expect(widget.locator('[data-plot="normalized"]')).toHaveAttribute('aria-label', /batch of 1024/);
    // x̂ has mean 0 and standard deviation 1 whatever the population.
    const [meanHat, stdHat] = ((await widget.locator('[data-out="normalized-stats"]').textContent()) ?? '').match(/-?[\d.]+(e-?\d+)?/g)!.map(Number);
    expect(Math.abs(meanHat!)).toBeLessThan(1e-4);
    expect(Math.abs(stdHat! - 1)).toBeLessThan(1e-3);
    await expect(widget.locator('[data-out="timing"]')).toContainText('ms');
    expectClean();
  });
});

test('γ = √(σ²+ε) and β = μ undo the normalization', async ({ page, expectClean }) => {
  await page.goto('/chapters/the-transform/');
  const widget = page.locator('bn-identity');
  await widget.scrollIntoViewIfNeeded();
  const diff = page.getByLabel('largest |y − x|', { exact: true });
  await expect(diff).not.toHaveText('—');
  expect(Number((await diff.textContent())!.split(' ')[0])).toBeLessThan(1e-4);
  await widget.getByLabel('Batch to normalize and restore').fill('100, 250, -75.5');
  await expect(page.getByLabel('output y', { exact: true })).toHaveText(/^100(\.0+\d*)?, 250/);
  expectClean();
});
