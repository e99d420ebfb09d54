import { test, expect, afterRedraw } from './fixtures';

type Block = { shape: [number, number, number, number]; data: number[] };

/** Mean and biased variance of the elements of channels/examples selected by `pick`, computed here. */
function statsOf(block: Block, pick: (n: number, c: number) => boolean) {
  const [N, H, W, C] = block.shape;
  const values: number[] = [];
  for (let n = 0; n < N; n++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) if (pick(n, c)) values.push(block.data[((n * H + h) * W + w) * C + c]!);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { size: values.length, mean, variance: values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length };
}

test('the highlighted set and its statistics match each normalization', async ({ page }) => {
  await page.goto('/chapters/conv-layers/');
  const widget = page.locator('bn-norm-axes');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  const block = await widget.evaluate((el) => {
    const a = (el as HTMLElement & { activations: { shape: [number, number, number, number]; data: Float32Array } }).activations;
    return { shape: a.shape, data: Array.from(a.data) };
  });
  expect(block.shape).toEqual([4, 14, 14, 4]);
  const [N, H, W, C] = block.shape;
  await widget.locator('select[name="n"]').selectOption({ value: '1' });
  await widget.locator('select[name="c"]').selectOption({ value: '2' });
  const cases = [
    { kind: 'batch', groups: '2', pick: (_n: number, c: number) => c === 2, size: N * H * W },
    { kind: 'layer', groups: '2', pick: (n: number) => n === 1, size: H * W * C },
    { kind: 'instance', groups: '2', pick: (n: number, c: number) => n === 1 && c === 2, size: H * W },
    { kind: 'group', groups: '2', pick: (n: number, c: number) => n === 1 && c >= 2, size: (H * W * C) / 2 },
    { kind: 'group', groups: '4', pick: (n: number, c: number) => n === 1 && c === 2, size: H * W },
    { kind: 'group', groups: '1', pick: (n: number) => n === 1, size: H * W * C },
  ];
  for (const k of cases) {
    await widget.locator(`input[name="kind"][value="${k.kind}"]`).check();
    if (k.kind === 'group') await widget.locator('select[name="groups"]').selectOption({ value: k.groups });
    const want = statsOf(block, k.pick);
    expect(want.size).toBe(k.size);
    // Consecutive cases can share a set size, so the size readout alone does not show the redraw happened.
    await afterRedraw(page);
    await expect(page.getByLabel('elements sharing this statistic', { exact: true })).toContainText(`${k.size} (`);
    expect(Number(await page.getByLabel('their mean', { exact: true }).textContent())).toBeCloseTo(want.mean, 4);
    expect(Number(await page.getByLabel('their variance', { exact: true }).textContent())).toBeCloseTo(want.variance, 4);
    const highlighted = await widget.locator('canvas.map.in-set').count();
    expect(highlighted * H * W, `${k.kind} ${k.groups}`).toBe(k.size);
  }
  expect(page.url()).toContain('axes.kind=group');
});

test('the batch-size noise table updates with the channel and shrinks with batch size', async ({ page }) => {
  await page.goto('/chapters/conv-layers/');
  const widget = page.locator('bn-batch-noise');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  const spread = (b: number) => widget.locator(`tr[data-batch="${b}"] td`).nth(2).textContent().then(Number);
  expect(await spread(2)).toBeGreaterThan(await spread(256));
  // Every batch size on the log x axes is labelled (d3's log format used to blank 8 and 64).
  for (const chart of ['stats', 'example']) {
    await expect(widget.locator(`[data-plot="${chart}"] g[aria-label="x-axis tick label"] text`)).toHaveText(['2', '4', '8', '16', '32', '64', '128', '256']);
  }
  // The log y axis labels 1, 2, 5 × 10ᵏ, all of them inside the chart's range and at least three.
  const yLabels = (await widget.locator('[data-plot="stats"] g[aria-label="y-axis tick label"] text').allTextContents()).map(Number);
  expect(yLabels.length).toBeGreaterThanOrEqual(3);
  for (const y of yLabels) expect([1, 2, 5]).toContain(Number((y / 10 ** Math.floor(Math.log10(y) + 1e-9)).toPrecision(6)));
  const before = await widget.locator('tbody').textContent();
  await widget.locator('select[name="c"]').selectOption({ value: '1' });
  await expect(widget.locator('tbody')).not.toHaveText(before!);
});
