import { test, expect } from './fixtures';
import { axeInBothThemes } from './axe';

/**
 * The chapter "BN in modern networks": each widget on the page computes live; the assertions
 * recompute what they can from the numbers the page shows.
 */
const PAGE = '/chapters/modern-practice/';

const percent = (text: string | null): number => {
  const match = /^(\d+(?:\.\d+)?)%$/.exec((text ?? '').trim());
  if (!match) throw new Error(`not a percentage: ${text}`);
  return Number(match[1]);
};

test('test-time adaptation: re-estimated statistics beat stored ones by ≥ 5 points on the default shift; precise BN is charted', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(PAGE);
  const widget = page.locator('bn-shift-adapt');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready');
  // A fresh browser has no lab run to offer.
  await expect(widget.getByRole('button', { name: 'Use my lab network' })).toBeHidden();
  await widget.getByRole('button', { name: 'Train the network' }).click();
  await expect(widget).toHaveAttribute('data-trained', 'true', { timeout: 90_000 });
  const storedOut = widget.getByLabel('accuracy with stored statistics', { exact: true });
  const adaptedOut = widget.getByLabel('accuracy with re-estimated statistics', { exact: true });
  await expect(storedOut).toHaveText(/%$/);
  await expect(adaptedOut).toHaveText(/%$/);
  const before = percent(await storedOut.textContent());
  const after = percent(await adaptedOut.textContent());
  expect(after).toBeGreaterThanOrEqual(before + 5);
  // Six shifted digits are drawn, and the precise-BN chart has every checkpoint.
  await expect(widget.locator('[data-digits] canvas')).toHaveCount(6);
  await expect(widget.locator('[data-table] tbody tr')).toHaveCount(8);
  // axe on the widget once it has trained and drawn (a11y.spec.ts covers the page untrained).
  expect(await axeInBothThemes(page, ['bn-shift-adapt'])).toEqual([]);
  // With no shift, the two sets of statistics nearly agree: the gain came from the shift.
  await widget.getByLabel('strength').fill('0');
  await expect(widget).toHaveAttribute('data-result', '2');
  const cleanStored = percent(await storedOut.textContent());
  const cleanAdapted = percent(await adaptedOut.textContent());
  expect(Math.abs(cleanAdapted - cleanStored)).toBeLessThan(3);
  expect(cleanStored).toBeGreaterThan(before + 5);
  await expect(page).toHaveURL(/adapt\.strength=0/);
});

const number = (text: string | null): number => {
  const value = Number((text ?? '').trim());
  if (!Number.isFinite(value)) throw new Error(`not a number: ${text}`);
  return value;
};

test('residual stack: zero-γ blocks are identities (flat variance, unchanged gradient); γ = 1 grows with depth', async ({ page }) => {
  await page.goto(`${PAGE}?res.depth=16`);
  const widget = page.locator('bn-residual-init');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready');
  const out = (name: string) => widget.locator(`[data-out="${name}"]`);
  await expect(out('var-zero')).not.toHaveText('—');
  const stem = Number(await widget.getAttribute('data-stem-variance'));
  // ReLU of a standardized channel: variance ½ − 1/(2π) ≈ 0.34 for a Gaussian.
  expect(stem).toBeGreaterThan(0.2);
  expect(stem).toBeLessThan(0.5);
  expect(number(await out('var-zero').textContent())).toBeCloseTo(stem, 3);
  expect(number(await out('grad-zero').textContent())).toBeCloseTo(1, 5);
  const deep = number(await out('var-one').textContent());
  // Pre-activation: each block adds its branch's variance to the sum.
  expect(deep).toBeGreaterThan(stem + 16 * 0.3);
  expect(number(await out('grad-one').textContent())).toBeGreaterThan(10);
  const updates = Number(await widget.getAttribute('data-updates'));
  await widget.getByLabel('residual blocks').fill('4');
  await expect(widget).toHaveAttribute('data-updates', String(updates + 1));
  const shallow = number(await out('var-one').textContent());
  expect(shallow).toBeLessThan(deep / 2);
  await widget.getByLabel('block ordering').selectOption('post');
  await expect(widget).toHaveAttribute('data-updates', String(updates + 2));
  // Post-activation, γ = 0: ReLU(x + 0) = x for the non-negative stream.
  expect(number(await out('var-zero').textContent())).toBeCloseTo(stem, 3);
  await expect(page).toHaveURL(/res\.order=post/);
});

test('ghost batches: the device means average to the whole-batch (SyncBN) mean, and scatter more as devices get fewer images', async ({ page }) => {
  await page.goto(PAGE);
  const widget = page.locator('bn-ghost-batch');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready');
  const out = (name: string) => widget.locator(`[data-out="${name}"]`);
  const check = async (devices: number) => {
    await expect(out('per-device')).toHaveText(String(256 / devices));
    const means = (await widget.getAttribute('data-device-means'))!.split(',').map(Number);
    expect(means).toHaveLength(devices);
    const [wholeMean] = (await out('whole').textContent())!.split(',').map(Number);
    expect(means.reduce((a, b) => a + b, 0) / devices).toBeCloseTo(wholeMean!, 3);
    const sd = Math.sqrt(means.reduce((a, m) => a + (m - wholeMean!) ** 2, 0) / devices);
    return { wholeMean: wholeMean!, sd, spread: number(await out('spread').textContent()) };
  };
  await expect(widget.locator('[data-plot="spread"] g[aria-label="x-axis tick label"] text')).toHaveText(['1', '2', '4', '8', '16', '32', '64', '128']);
  const sixteen = await check(16);
  await widget.getByLabel('devices (ghost batches)').selectOption('128');
  const many = await check(128);
  expect(many.wholeMean).toBe(sixteen.wholeMean);
  expect(many.spread).toBeGreaterThan(1.5 * sixteen.spread);
  expect(many.sd).toBeGreaterThan(1.5 * sixteen.sd);
  await expect(page).toHaveURL(/ghost\.g=128/);
});

test('padded sequences: BN outputs depend on the padding, LayerNorm does not; values recomputed from the tokens', async ({ page }) => {
  await page.goto(PAGE);
  const widget = page.locator('bn-padded-batch');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready');
  const out = (name: string) => widget.locator(`[data-out="${name}"]`);
  const eps = 1e-5;
  const expected = async () => {
    const real = (await widget.getAttribute('data-feature-values'))!.split(',').map(Number);
    const token = (await widget.getAttribute('data-first-token'))!.split(',').map(Number);
    const lengths = (await widget.getAttribute('data-lengths'))!.split(',').map(Number);
    const pads = lengths.reduce((a, len) => a + 12 - len, 0);
    const stats = (v: number[]) => {
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return { m, s2: v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length };
    };
    const masked = stats(real);
    const padded = stats([...real, ...new Array<number>(pads).fill(0)]);
    const ln = stats(token);
    const x = token[0]!;
    return { pads, masked: (x - masked.m) / Math.sqrt(masked.s2 + eps), padded: (x - padded.m) / Math.sqrt(padded.s2 + eps), ln: (x - ln.m) / Math.sqrt(ln.s2 + eps) };
  };
  await expect(out('ln')).not.toHaveText('—');
  const before = await expected();
  expect(before.pads).toBeGreaterThan(0);
  expect(number(await out('bn-masked').textContent())).toBeCloseTo(before.masked, 3);
  expect(number(await out('bn-padded').textContent())).toBeCloseTo(before.padded, 3);
  expect(number(await out('ln').textContent())).toBeCloseTo(before.ln, 3);
  const ln = await out('ln').textContent();
  await widget.getByLabel('shortest sequence (tokens)').fill('12');
  await expect(out('padding')).toHaveText(/^0 of 96/);
  const after = await expected();
  expect(number(await out('bn-padded').textContent())).toBeCloseTo(after.padded, 3);
  expect(number(await out('bn-padded').textContent())).toBeCloseTo(number(await out('bn-masked').textContent()), 4);
  await expect(out('ln')).toHaveText(ln!);
  await expect(page).toHaveURL(/pad\.shortest=12/);
});

test('dropout before BN: inference variance after BN matches the closed form recomputed here; training variance stays 1', async ({ page }) => {
  await page.goto(PAGE);
  const widget = page.locator('bn-dropout-shift');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready');
  const out = (name: string) => widget.locator(`[data-out="${name}"]`);
  const check = async (p: number) => {
    const [, mu, s2] = /μ = ([\d.e-]+), σ² = ([\d.e-]+)/.exec((await out('formula').textContent())!)!.map(Number);
    const trainVariance = (s2! + mu! ** 2) / (1 - p) - mu! ** 2;
    expect(number(await out('eval').textContent())).toBeCloseTo(s2!, 4);
    expect(Math.abs(number(await out('train').textContent()) / trainVariance - 1)).toBeLessThan(0.02);
    expect(Math.abs(number(await out('bn-eval').textContent()) - s2! / trainVariance)).toBeLessThan(0.01);
    expect(number(await out('bn-train').textContent())).toBeCloseTo(1, 3);
    return number(await out('bn-eval').textContent());
  };
  await expect(out('bn-eval')).not.toHaveText('—');
  const half = await check(0.5);
  expect(half).toBeLessThan(0.6);
  await widget.getByLabel('dropout rate p').fill('0');
  await expect(page).toHaveURL(/drop\.p=0/);
  expect(await check(0)).toBeCloseTo(1, 3);
});

test('weight decay under BN: the decayed weights shrink and their relative step grows toward √(2ηλ)', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(PAGE);
  const widget = page.locator('bn-weight-decay');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready');
  await widget.getByRole('button', { name: 'Train both networks' }).click();
  await expect(widget).toHaveAttribute('data-trained', '0.03', { timeout: 90_000 });
  const out = async (name: string) => number(await widget.locator(`[data-out="${name}"]`).textContent());
  expect(await out('equilibrium')).toBeCloseTo(Math.sqrt(2 * 0.2 * 0.03), 3);
  expect(await out('norm-decay')).toBeLessThan(0.7 * (await out('norm-plain')));
  expect(await out('step-decay')).toBeGreaterThan(1.5 * (await out('step-plain')));
  expect(await out('step-decay')).toBeLessThan(await out('equilibrium'));
  await expect(widget.getByRole('progressbar', { name: 'training' })).toHaveJSProperty('value', 1);
  expect(await axeInBothThemes(page, ['bn-weight-decay'])).toEqual([]);
});
