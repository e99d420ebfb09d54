import { test, expect } from './fixtures';

/**
 * The chapter "BN in practice": each widget driven as a reader would, and its headline claim
 * recomputed here from what the page shows.
 */
const PAGE = '/chapters/bn-in-practice/';

const percent = (text: string | null): number => {
  const match = /^(\d+(?:\.\d+)?)%$/.exec((text ?? '').trim());
  if (!match) throw new Error(`not a percentage: ${text}`);
  return Number(match[1]);
};
const number = (text: string | null): number => {
  const value = Number((text ?? '').trim());
  if (!Number.isFinite(value)) throw new Error(`not a number: ${text}`);
  return value;
};

test('float16: the variance of small activations is lost in float16 and right in float32; Σx² overflows for large ones', async ({ page, expectClean }) => {
  await page.goto(PAGE);
  const widget = page.locator('bn-float16-bn');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready');
  const out = (label: string) => widget.getByLabel(label, { exact: true });
  /** The exact (double) variance of the activations the page used, at its scale. */
  const exactVariance = async (): Promise<number> => {
    const scale = Number(await widget.getAttribute('data-scale'));
    const xs = (await widget.getAttribute('data-activations'))!.split(',').map((v) => Number(v) * scale);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length;
  };
  const lost = (text: string | null, exact: number): boolean => /^0 /.test(text ?? '') || Math.abs(number(text) - exact) / exact > 0.1;

  // Default: activations of size 10⁻⁴: every square underflows, both float16 variances are 0.
  await expect(out('variance in float32')).not.toHaveText('—');
  await expect(widget).toHaveAttribute('data-scale', '0.0001');
  let exact = await exactVariance();
  expect(exact).toBeGreaterThan(0);
  expect(Math.abs(number(await out('variance in float32').textContent()) - exact) / exact).toBeLessThan(1e-3);
  for (const way of ['two passes', 'from Σx and Σx²']) expect(lost(await out(`variance in float16, ${way}`).textContent(), exact)).toBe(true);
  await expect(out('variance in float16, two passes')).toHaveText(/^0 \(underflow\)/);
  await expect(out('ε = 10⁻⁵ stored in float16')).toHaveText(/^0\.0000100136/);

  // 10⁻³: a subnormal variance, float32 still right.
  await widget.getByLabel('activation scale').selectOption('-3');
  await expect(widget).toHaveAttribute('data-scale', '0.001');
  exact = await exactVariance();
  expect(Math.abs(number(await out('variance in float32').textContent()) - exact) / exact).toBeLessThan(1e-3);
  expect(number(await out('variance in float16, two passes').textContent())).toBeLessThan(2 ** -14);

  // As they are: float16 is close (a control for the claim above).
  await widget.getByLabel('activation scale').selectOption('0');
  await expect(widget).toHaveAttribute('data-scale', '1');
  exact = await exactVariance();
  expect(Math.abs(number(await out('variance in float16, two passes').textContent()) - exact) / exact).toBeLessThan(0.02);

  // 100: Σx² passes 65504.
  await widget.getByLabel('activation scale').selectOption('2');
  await expect(out('Σx² as float16 holds it')).toHaveText('∞ (overflow)');
  await expect(page).toHaveURL(/fp16\.scale=2/);
  expectClean();
});

test('gradient accumulation: the plain network accumulates the batch gradient to 1e-5, the BN network does not', async ({ page, expectClean }) => {
  test.setTimeout(120_000);
  await page.goto(PAGE);
  const widget = page.locator('bn-grad-accumulation');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready');
  await widget.getByRole('button', { name: 'Compute the gradients' }).click();
  await expect(widget).toHaveAttribute('data-computed', 'true', { timeout: 90_000 });

  /** Accumulation recomputed here: the mean of the micro-batches' head-bias gradients against the whole batch's. */
  const gaps = async () => {
    const h = JSON.parse((await widget.getAttribute('data-head-bias'))!) as { microBatch: number; bn: { whole: number[]; micro: number[][] }; plain: { whole: number[]; micro: number[][] } };
    const gap = ({ whole, micro }: { whole: number[]; micro: number[][] }) => {
      const accumulated = whole.map((_, i) => micro.reduce((a, g) => a + g[i]!, 0) / micro.length);
      const norm = Math.hypot(...whole);
      return Math.hypot(...accumulated.map((a, i) => a - whole[i]!)) / norm;
    };
    return { b: h.microBatch, k: h.bn.micro.length, bn: gap(h.bn), plain: gap(h.plain) };
  };
  const four = await gaps();
  expect(four).toMatchObject({ b: 4, k: 8 });
  expect(four.plain).toBeLessThan(1e-5);
  expect(four.bn).toBeGreaterThan(1e-2);
  // The page's own figures over every parameter say the same.
  expect(number(await widget.getByLabel('plain network: accumulated vs whole-batch gradient').textContent())).toBeLessThan(1e-5);
  const bnFour = number(await widget.getByLabel('BN network: accumulated vs whole-batch gradient').textContent());
  expect(bnFour).toBeGreaterThan(1e-2);

  await widget.getByLabel('micro-batch size b').selectOption('1');
  await expect(widget).toHaveAttribute('data-shown', '1');
  const one = await gaps();
  expect(one.k).toBe(32);
  expect(one.plain).toBeLessThan(1e-5);
  expect(one.bn).toBeGreaterThan(1e-2);
  expect(number(await widget.getByLabel('BN network: accumulated vs whole-batch gradient').textContent())).toBeGreaterThan(bnFour);
  await expect(page).toHaveURL(/accum\.b=1/);
  expectClean();
});

test('the shared network: frozen BN keeps the old digits when fine-tuning with batches of 2, training mode loses them; sorted batches; one TENT step', async ({ page, expectClean }) => {
  test.setTimeout(240_000);
  await page.goto(PAGE);
  const frozen = page.locator('bn-frozen-bn');
  const sorted = page.locator('bn-sorted-batches');
  const tent = page.locator('bn-tent-step');
  await frozen.scrollIntoViewIfNeeded();
  await expect(frozen).toHaveAttribute('data-state', 'ready');
  // A fresh browser has no lab run to offer.
  await expect(frozen.getByRole('button', { name: 'Use my lab network' })).toBeHidden();
  await frozen.getByRole('button', { name: 'Train the network' }).click();
  await expect(frozen).toHaveAttribute('data-network', 'ready', { timeout: 150_000 });

  // Fine-tuning with batches of 2 (the default), 40 seeded steps each way.
  await frozen.getByRole('button', { name: 'Fine-tune three ways' }).click();
  await expect(frozen).toHaveAttribute('data-result', /\d/, { timeout: 120_000 });
  await expect(frozen).toHaveAttribute('data-batch', '2');
  // The status line says the run finished, not its last progress step.
  await expect(frozen.locator('[data-out="status"]')).toContainText('finished: 40 steps each way with batches of 2');
  const read = async (label: string) => percent(await frozen.getByLabel(label, { exact: true }).textContent());
  const start = await read('old digits before fine-tuning');
  const trainMode = await read('old digits after, BN in training mode');
  const frozenBn = await read('old digits after, BN frozen');
  expect(start).toBeGreaterThan(90);
  // The stated margins: frozen within 4 points of where it started; training mode 5 or more below.
  expect(start - frozenBn).toBeLessThanOrEqual(4);
  expect(start - trainMode).toBeGreaterThanOrEqual(5);
  // Every way learned the new (brightened) digits.
  for (const way of ['BN in training mode', 'BN frozen', 'statistics frozen']) expect(await read(`new digits after, ${way}`)).toBeGreaterThan(85);

  // The sorted-batch widget evaluated the same network as soon as it was ready.
  await sorted.scrollIntoViewIfNeeded();
  await expect(sorted).toHaveAttribute('data-result', /\d/);
  const sortedRead = async (label: string) => percent(await sorted.getByLabel(label, { exact: true }).textContent());
  const check = async () => {
    const inference = await sortedRead('inference mode (stored statistics)');
    const shuffled = await sortedRead('training mode, shuffled batches');
    const bySorted = await sortedRead('training mode, class-sorted batches');
    expect(Math.abs(shuffled - inference)).toBeLessThan(3);
    expect(shuffled - bySorted).toBeGreaterThanOrEqual(5);
  };
  await check();
  const first = await sorted.getAttribute('data-result');
  await sorted.getByLabel('test batch size').selectOption('20');
  await expect(sorted).not.toHaveAttribute('data-result', first!);
  await expect(sorted).toHaveAttribute('data-batch', '20');
  await check();

  // TENT: prediction-time BN recovers the noise shift; the step lowers the entropy.
  await tent.scrollIntoViewIfNeeded();
  await expect(tent).toHaveAttribute('data-result', /\d/);
  const tentRead = (label: string) => tent.getByLabel(label, { exact: true }).textContent();
  expect(percent(await tentRead('accuracy with prediction-time BN'))).toBeGreaterThanOrEqual(percent(await tentRead('accuracy with stored statistics')) + 5);
  expect(number(await tentRead('mean entropy after the step (nats)'))).toBeLessThan(number(await tentRead('mean entropy before the step (nats)')));
  await expect(page).toHaveURL(/sorted\.batch=20/);
  expectClean();
});

test("SyncBN and DDP's buffers: without broadcasting, the devices' running variances scatter more with fewer images per device", async ({ page, expectClean }) => {
  await page.goto(PAGE);
  const widget = page.locator('bn-ddp-buffers');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready');
  const local = widget.getByLabel("devices' running variances, broadcast_buffers=False", { exact: true });
  await expect(local).not.toHaveText('—');
  const range = async () => {
    const [lo, hi] = (await local.textContent())!.split(' to ').map(Number);
    return hi! - lo!;
  };
  const many = await range();
  const saved = await widget.getAttribute('data-saved');
  await widget.getByLabel('devices', { exact: true }).selectOption('2');
  await expect(widget).not.toHaveAttribute('data-saved', saved!);
  // 32 devices of 4 images against 2 devices of 64: the spread of the devices' own copies shrinks.
  expect(await range()).toBeLessThan(many);
  await expect(page).toHaveURL(/ddp\.g=2/);
  expectClean();
});

test('Batch Renormalization: unclipped, the training outputs of a batch of 2 equal the inference outputs; r_max = 1, d_max = 0 is BN', async ({ page, expectClean }) => {
  await page.goto(PAGE);
  const widget = page.locator('bn-batch-renorm');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready');
  await expect(widget.getByLabel('BN: RMS gap to inference', { exact: true })).not.toHaveText('—');
  const gaps = async () => ({ bn: Number(await widget.getAttribute('data-gap-bn')), brn: Number(await widget.getAttribute('data-gap-brn')) });
  const r = number(await widget.getByLabel('r = σ_B/σ, clipped', { exact: true }).textContent());
  const open = await gaps();
  // With r and d inside their limits, x̂ = (x − μ)/σ: inference's output, to float32 rounding.
  expect(r).toBeGreaterThan(1 / 3);
  expect(r).toBeLessThan(3);
  expect(open.bn).toBeGreaterThan(0.05);
  expect(open.brn).toBeLessThan(1e-4);
  await widget.getByLabel('r_max').fill('1');
  await widget.getByLabel('d_max').fill('0');
  await expect.poll(async () => (await gaps()).brn).toBeCloseTo(open.bn, 4);
  await expect(page).toHaveURL(/brn\.dMax=0/);
  expectClean();
});

test('weight decay on γ and β: the decayed run’s γ sinks and its accuracy falls below the spared run’s', async ({ page, expectClean }) => {
  test.setTimeout(150_000);
  await page.goto(PAGE);
  const widget = page.locator('bn-affine-decay');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'ready');
  await widget.getByRole('button', { name: 'Train both networks' }).click();
  await expect(widget).toHaveAttribute('data-result', /\d/, { timeout: 120_000 });
  const read = (label: string) => widget.getByLabel(label, { exact: true }).textContent();
  const decayed = number(await read('mean γ at the end, γ and β decayed'));
  const spared = number(await read('mean γ at the end, γ and β spared'));
  // λ = 0.03 for 300 steps at η = 0.2: without its gradient γ would shrink by (1 − ηλ)³⁰⁰ ≈ 0.16.
  expect(decayed).toBeLessThan(0.6);
  expect(spared).toBeGreaterThan(0.9);
  expect(percent(await read('test accuracy, γ and β decayed'))).toBeLessThan(percent(await read('test accuracy, γ and β spared')));
  expectClean();
});
