import { test, expect } from './fixtures';
import type { Locator, Page } from '@playwright/test';

const CHAPTER = '/chapters/the-transform/';

/** Algorithm 1 (Ioffe & Szegedy) in plain float64, written here independently of the page's code. */
function reference(x: number[], gamma: number, beta: number, eps: number) {
  const m = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / m;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / m; // biased: divides by m
  const normalized = x.map((v) => (v - mean) / Math.sqrt(variance + eps));
  const output = normalized.map((v) => gamma * v + beta);
  return { mean, variance, normalized, output };
}

/**
 * The page computes in float32. Its results must agree with float64 to a relative 1e-5; on top of that,
 * x̂ and y may carry the float32 rounding of the mean (≈ 2⁻²⁴·max|x|) amplified by 1/√(σ²+ε), which
 * matters only for batches far from zero (1000.5, 1001.5, …). The extra term is 4 ulp of that.
 */
function expectClose(got: number, want: number, what: string, cancellation = 0): void {
  expect(Number.isFinite(got), `${what}: ${got} is not a finite number`).toBe(true);
  const tolerance = 1e-5 * Math.max(Math.abs(want), 1e-6) + cancellation;
  expect(Math.abs(got - want), `${what}: got ${got}, want ${want} (tolerance ${tolerance})`).toBeLessThanOrEqual(tolerance);
}

const parseList = (text: string): number[] => text.split(',').map((s) => Number(s.trim()));

/** The four results, read by their accessible names the way a screen reader would find them. */
async function readOutputs(page: Page) {
  const text = async (name: string) => (await page.getByLabel(name, { exact: true }).textContent()) ?? '';
  return {
    mean: await text('batch mean'),
    variance: await text('batch variance'),
    normalized: await text('normalized values'),
    output: await text('output values'),
  };
}

async function expectMatchesReference(page: Page, x: number[], gamma: number, beta: number, eps: number): Promise<void> {
  const want = reference(x, gamma, beta, eps);
  const got = await readOutputs(page);
  // A relative 1e-5 also proves the lists are printed with at least 6 significant digits.
  const maxAbs = Math.max(...x.map(Math.abs));
  const meanRounding = (4 * maxAbs * 2 ** -24) / Math.sqrt(want.variance + eps);
  expectClose(Number(got.mean), want.mean, 'batch mean');
  expectClose(Number(got.variance), want.variance, 'batch variance', 4 * maxAbs * 2 ** -24 * Math.sqrt(want.variance));
  const normalized = parseList(got.normalized);
  const output = parseList(got.output);
  expect(normalized).toHaveLength(x.length);
  expect(output).toHaveLength(x.length);
  want.normalized.forEach((v, i) => expectClose(normalized[i]!, v, `x̂${i + 1}`, meanRounding));
  want.output.forEach((v, i) => expectClose(output[i]!, v, `y${i + 1}`, Math.abs(gamma) * meanRounding));
}

/** Opens the chapter and waits until the lazily loaded widget has mounted. */
async function openWidget(page: Page, tag: string, url = CHAPTER): Promise<Locator> {
  await page.goto(url);
  const widget = page.locator(tag);
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready');
  return widget;
}

/**
 * Types into the four fields; the widget has recomputed once the URL carries exactly these fields.
 * The batch field is a single-line input: Chromium turns typed or pasted line breaks into spaces,
 * so the link carries what the field holds.
 */
async function enter(page: Page, widget: Locator, fields: { values: string; gamma: string; beta: string; eps: string }): Promise<void> {
  const values = widget.getByLabel('Mini-batch values');
  await values.fill(fields.values);
  const held = await values.inputValue();
  expect(held.split(/\s+/).filter(Boolean), 'the field keeps every number, separated by whitespace').toEqual(
    fields.values.split(/\s+/).filter(Boolean),
  );
  await widget.getByLabel('gamma', { exact: true }).fill(fields.gamma);
  await widget.getByLabel('beta', { exact: true }).fill(fields.beta);
  await widget.getByLabel('epsilon', { exact: true }).fill(fields.eps);
  await expect
    .poll(() => {
      const q = new URL(page.url()).searchParams;
      return [q.get('t.values'), q.get('t.gamma'), q.get('t.beta'), q.get('t.eps')];
    })
    .toEqual([held, fields.gamma, fields.beta, fields.eps]);
}

test.describe('step-by-step widget', () => {
  test('outputs match Algorithm 1 computed independently, for several batches', async ({ page }) => {
    const widget = await openWidget(page, 'bn-transform-steps');
    const cases = [
      { what: 'an ordinary batch', values: '1.5, -2, 3.25, 7, 0.5', x: [1.5, -2, 3.25, 7, 0.5], gamma: 1.5, beta: 0.25, eps: 1e-5 },
      { what: 'a constant batch', values: '5, 5, 5, 5', x: [5, 5, 5, 5], gamma: 3, beta: -2, eps: 1e-5 },
      { what: 'a negative gamma', values: '2, 4, 9, -1', x: [2, 4, 9, -1], gamma: -2.5, beta: 1, eps: 0.001 },
      { what: 'whitespace and newlines', values: '  3\n-1.25   8\t0.125\n\n4 ', x: [3, -1.25, 8, 0.125, 4], gamma: 0.75, beta: -0.5, eps: 0.01 },
      { what: 'a large offset', values: '1000.5, 1001.5, 1003', x: [1000.5, 1001.5, 1003], gamma: 2, beta: 0.5, eps: 1e-5 },
    ];
    for (const c of cases) {
      await test.step(c.what, async () => {
        await enter(page, widget, { values: c.values, gamma: String(c.gamma), beta: String(c.beta), eps: String(c.eps) });
        await expect(widget.getByLabel('Mini-batch values')).not.toHaveAttribute('aria-invalid', 'true');
        await expectMatchesReference(page, c.x, c.gamma, c.beta, c.eps);
      });
    }
    // The constant batch spelled out: zero variance, every x̂ exactly 0, every y exactly β.
    await enter(page, widget, { values: '5, 5, 5, 5', gamma: '3', beta: '-2', eps: '0.00001' });
    await expect(page.getByLabel('batch variance', { exact: true })).toHaveText('0');
    await expect(page.getByLabel('normalized values', { exact: true })).toHaveText('0, 0, 0, 0');
    await expect(page.getByLabel('output values', { exact: true })).toHaveText('-2, -2, -2, -2');
  });

  test('bad input is reported in the widget and the last good result stays', async ({ page }) => {
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const widget = await openWidget(page, 'bn-transform-steps');
    const values = widget.getByLabel('Mini-batch values');
    const eps = widget.getByLabel('epsilon', { exact: true });
    const valuesError = widget.locator('[data-error-for="values"]');
    const epsError = widget.locator('[data-error-for="eps"]');
    const steps = widget.locator('ol[data-steps]');

    await enter(page, widget, { values: '2, 4, 6', gamma: '2', beta: '1', eps: '0.001' });
    await expectMatchesReference(page, [2, 4, 6], 2, 1, 0.001);
    const good = await readOutputs(page);
    const goodSteps = await steps.innerHTML();
    const goodUrl = page.url();

    const bad: Array<[string, string, RegExp]> = [
      ['empty', '', /empty/],
      ['letters', 'abc', /"abc" is not a number/],
      ['a single value', '7', /one value/],
      ['NaN', 'NaN', /"NaN" is not a finite number/],
      ['Infinity', 'Infinity', /"Infinity" is not a finite number/],
      ['4097 values', Array.from({ length: 4097 }, (_, i) => String(i % 10)).join(', '), /4097 values.*4096/],
      // The markup comes back as literal text (cut at 24 characters), never as HTML.
      ['markup', '<script>alert(1)</script>', /"<script>alert\(1\)<\/script…" is not a number/],
    ];
    for (const [what, text, message] of bad) {
      await test.step(`values: ${what}`, async () => {
        await values.fill(text);
        await expect(valuesError).toHaveText(message);
        await expect(values).toHaveAttribute('aria-invalid', 'true');
        await expect(widget.locator('[data-widget-error]')).toContainText('Not updated');
        expect(await readOutputs(page)).toEqual(good);
        expect(await steps.innerHTML()).toBe(goodSteps);
        expect(page.url(), 'a bad batch is not written to the link').toBe(goodUrl);
      });
    }
    // Fixing the field clears the message.
    await values.fill('2, 4, 6');
    await expect(values).not.toHaveAttribute('aria-invalid', 'true');
    await expect(valuesError).toHaveText('');
    await expect(widget.locator('[data-widget-error]')).toHaveText('');

    for (const badEps of ['0', '-0.001']) {
      await test.step(`epsilon ${badEps}`, async () => {
        await eps.fill(badEps);
        await expect(eps).toHaveAttribute('aria-invalid', 'true');
        await expect(epsError).toHaveText(/greater than 0/);
        await expect(values).not.toHaveAttribute('aria-invalid', 'true');
        expect(await readOutputs(page)).toEqual(good);
        await eps.fill('0.001');
        await expect(eps).not.toHaveAttribute('aria-invalid', 'true');
        await expect(epsError).toHaveText('');
        expect(await readOutputs(page)).toEqual(good);
      });
    }

    expect(dialogs, 'no alert() ran').toEqual([]);
    await expect(widget.locator('script, img, iframe')).toHaveCount(0);
    expect(await page.evaluate(() => document.querySelectorAll('bn-transform-steps script').length)).toBe(0);
  });

  test('the KaTeX steps are re-rendered with the new numbers', async ({ page }) => {
    const widget = await openWidget(page, 'bn-transform-steps');
    const steps = widget.locator('ol[data-steps]');
    await expect(steps).not.toContainText('4.583333');
    await enter(page, widget, { values: '1.25, 2.5, 10', gamma: '1', beta: '0', eps: '0.00001' });
    const want = reference([1.25, 2.5, 10], 1, 0, 1e-5);
    const seven = (v: number) => String(Number(v.toPrecision(7)));
    await expect(steps.locator('li')).toHaveCount(5);
    await expect(steps.locator('li .katex')).toHaveCount(5);
    await expect(steps.locator('.katex-error')).toHaveCount(0);
    await expect(steps).toContainText(seven(want.mean)); // 4.583333
    await expect(steps.locator('[data-step="mean"]')).toContainText(seven(want.mean));
    await expect(steps.locator('[data-step="variance"]')).toContainText(seven(want.variance));
    await expect(page.getByLabel('batch mean', { exact: true })).toHaveText(seven(want.mean));
  });

  test('on a 360 px phone the substituted formulas wrap instead of scrolling sideways', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 800 });
    const values = '1.234567,-2.345678,3.456789,4.567891,5.678912,-6.789123';
    const widget = await openWidget(page, 'bn-transform-steps', `${CHAPTER}?t.values=${values}&t.gamma=-1.5&t.beta=0.25`);
    const steps = widget.locator('ol[data-steps]');
    await expect(steps).toContainText('6.789123');
    const overflow = await steps.locator('.katex-display').evaluateAll((els) => els.map((e) => e.scrollWidth - e.clientWidth));
    expect(overflow).toHaveLength(5);
    for (const px of overflow) expect(px, `pixels each formula scrolls sideways: ${overflow.join(', ')}`).toBeLessThanOrEqual(1);
  });

  test('a shared link restores the fields and the result', async ({ page }) => {
    const widget = await openWidget(page, 'bn-transform-steps', `${CHAPTER}?t.values=2,4,4,4,5,5,7,9&t.gamma=2&t.beta=1&t.eps=0.001`);
    await expect(widget.getByLabel('Mini-batch values')).toHaveValue('2,4,4,4,5,5,7,9');
    await expect(widget.getByLabel('gamma', { exact: true })).toHaveValue('2');
    await expect(widget.getByLabel('beta', { exact: true })).toHaveValue('1');
    await expect(widget.getByLabel('epsilon', { exact: true })).toHaveValue('0.001');
    await expect(page.getByLabel('batch mean', { exact: true })).toHaveText('5');
    await expect(page.getByLabel('batch variance', { exact: true })).toHaveText('4');
    await expectMatchesReference(page, [2, 4, 4, 4, 5, 5, 7, 9], 2, 1, 0.001);
  });
});

test('distributions: sliders move by keyboard, the plots follow, batch goes to 1024', async ({ page }) => {
  const widget = await openWidget(page, 'bn-distributions');
  const inputPlot = widget.locator('[data-plot="input"]');
  const inputStats = widget.locator('[data-out="input-stats"]');
  await expect(inputPlot.locator('svg')).toHaveCount(1);
  const svgBefore = await inputPlot.innerHTML();
  const statsBefore = (await inputStats.textContent()) ?? '';

  const mean = widget.getByRole('slider', { name: /^population mean/ });
  await expect(mean).toHaveValue('2');
  await mean.focus();
  for (let i = 0; i < 10; i++) await mean.press('ArrowRight');
  await expect(mean).toHaveValue('3');
  await expect(widget.locator('[data-display="mean"]')).toHaveText('3');
  await expect.poll(() => new URL(page.url()).searchParams.get('dist.mean')).toBe('3');
  await expect(inputStats).not.toHaveText(statsBefore);
  await expect.poll(() => inputPlot.innerHTML()).not.toBe(svgBefore);
  // The sample's mean moved with the population's: about 3 now.
  const sampleMean = Number(/mean (-?[\d.e-]+)/.exec((await inputStats.textContent()) ?? '')?.[1]);
  expect(Math.abs(sampleMean - 3)).toBeLessThan(0.5);

  const batch = widget.locator('input[name="batch"]');
  await batch.focus();
  await batch.press('End');
  await expect(batch).toHaveValue('1024');
  await expect(widget.locator('[data-display="batch"]')).toHaveText('1024');
  await expect.poll(() => new URL(page.url()).searchParams.get('dist.batch')).toBe('1024');
  for (const name of ['input', 'normalized', 'output']) {
    const plot = widget.locator(`[data-plot="${name}"]`);
    await expect(plot).toHaveAttribute('aria-label', /for a batch of 1024/);
    await expect(plot.locator('svg')).toHaveCount(1);
    await expect(plot.locator('svg')).toBeVisible();
  }
  // Every value is in one bar or counted off the axis, and bar heights are proportional to counts.
  for (const name of ['input', 'normalized', 'output']) {
    const bars = await widget.locator(`[data-plot="${name}"] [data-bars] rect`).evaluateAll((rects) =>
      rects.map((r) => ({ count: Number(r.getAttribute('data-count')), height: Number(r.getAttribute('height')) })),
    );
    expect(bars).toHaveLength(40);
    const offAxis = Number(/(\d+) values? off the axis/.exec((await widget.locator(`[data-out="${name}-stats"]`).textContent()) ?? '')?.[1] ?? 0);
    expect(bars.reduce((a, b) => a + b.count, 0) + offAxis, name).toBe(1024);
    const tallest = bars.reduce((a, b) => (b.count > a.count ? b : a));
    for (const b of bars) expect(b.height, name).toBeCloseTo((b.count / tallest.count) * tallest.height, 3);
  }
  // Whatever the population, x̂ has mean ≈ 0 and std ≈ 1.
  const normalizedStats = (await widget.locator('[data-out="normalized-stats"]').textContent()) ?? '';
  const [, m, s] = /mean (\S+), std (\S+?)(;|$)/.exec(normalizedStats) ?? [];
  expect(Math.abs(Number(m)), normalizedStats).toBeLessThan(1e-4);
  expect(Math.abs(Number(s) - 1), normalizedStats).toBeLessThan(1e-3);
  await expect(widget.locator('[data-out="timing"]')).toHaveText(/^\d+(\.\d+)? ms\b/);
  await expect(widget.locator('[data-widget-error]')).toHaveText('');
});

test('identity: γ = √(σ²+ε), β = μ give back the input', async ({ page }) => {
  const widget = await openWidget(page, 'bn-identity');
  const diff = page.getByLabel('largest |y − x|', { exact: true });
  await expect(diff).toHaveText(/^\d/);
  const largest = Number.parseFloat((await diff.textContent()) ?? '');
  expect(largest).toBeGreaterThanOrEqual(0);
  expect(largest).toBeLessThan(1e-4);
  // And y reads back as x.
  const x = [3, 7, 8, 10, 12, -4.5];
  const y = parseList((await page.getByLabel('output y', { exact: true }).textContent()) ?? '');
  x.forEach((v, i) => expectClose(y[i]!, v, `y${i + 1}`, 1e-5));
  await expect(widget.locator('[data-widget-error]')).toHaveText('');
});

test('identity: a second batch is not given back in training mode, and is in inference mode', async ({ page }) => {
  const widget = await openWidget(page, 'bn-identity');
  const x = [3, 7, 8, 10, 12, -4.5];
  const ref = reference(x, 1, 0, 1e-5);
  const gamma = Math.sqrt(ref.variance + 1e-5);
  const x2 = [0, 10, 20, 30];
  const field = page.getByLabel('A second batch, same γ and β', { exact: true });
  await field.fill(x2.join(', '));
  const trainOut = page.getByLabel('training mode y', { exact: true });
  // Training mode: the second batch is normalized by its own statistics, then given the first
  // batch's spread and mean — independently recomputed here.
  const want = reference(x2, gamma, ref.mean, 1e-5).output;
  // The redraw comes on the next frame: wait until the readout holds the new batch's first value.
  await expect.poll(async () => Math.abs(parseList((await trainOut.textContent()) ?? '')[0]! - want[0]!)).toBeLessThan(1e-3);
  const yTrain = parseList((await trainOut.textContent()) ?? '');
  want.forEach((v, i) => expectClose(yTrain[i]!, v, `training y${i + 1}`, 1e-4));
  const gapTrain = Number.parseFloat((await page.getByLabel('training mode, largest |y − x|', { exact: true }).textContent()) ?? '');
  expect(gapTrain).toBeGreaterThan(1);
  // Inference mode with the first batch's statistics: y = x.
  const yInfer = parseList((await page.getByLabel('inference mode y', { exact: true }).textContent()) ?? '');
  x2.forEach((v, i) => expectClose(yInfer[i]!, v, `inference y${i + 1}`, 1e-4));
  const gapInfer = Number.parseFloat((await page.getByLabel('inference mode, largest |y − x|', { exact: true }).textContent()) ?? '');
  expect(gapInfer).toBeLessThan(1e-4);
  await expect(widget.locator('[data-widget-error]')).toHaveText('');
});


test.describe('without JavaScript', () => {
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
