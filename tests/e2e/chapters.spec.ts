import { test, expect } from './fixtures';

const numbers = (text: string | null): number[] => (text ?? '').split(',').map((s) => Number(s.trim()));

test.describe('training vs inference', () => {
  test('folding BN into the conv changes the output by at most 1e-4', async ({ page, expectClean }) => {
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
    expectClean();
  });

  test('one example: training-mode outputs vary with the batch, inference mode gives one answer', async ({ page, expectClean }) => {
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
    expectClean();
  });

  test('the running-average plot responds to the momentum slider', async ({ page, expectClean }) => {
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
    expectClean();
  });
});

test.describe('backward pass', () => {
  test('closed form, autodiff and finite differences agree within 1e-3 relative', async ({ page, expectClean }) => {
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
    expectClean();
  });

  test('gradient magnitudes per layer are computed for both networks', async ({ page, expectClean }) => {
    await page.goto('/chapters/backward-pass/');
    const widget = page.locator('bn-deep-gradients');
    await widget.scrollIntoViewIfNeeded();
    await expect(widget.locator('[data-plot="grads"] g[aria-label="dot"] circle')).toHaveCount(40);
    const plain = page.getByLabel('first/last layer gradient ratio, without BN', { exact: true });
    const before = await plain.textContent();
    await widget.locator('select[name="act"]').selectOption('sigmoid');
    await expect(plain).not.toHaveText(before!);
    expectClean();
  });
});

test('every pitfall demonstration runs', async ({ page, expectClean }) => {
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
  expectClean();
});
