import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormBackward, batchNormTrain, parseBatch, parseNumber } from '../../src/lib/bn';
import { readParams, writeParams, fieldText } from '../../src/lib/state/url';
import { formatNumber, frameScheduler, inputNamed, need } from '../../src/lib/widget/dom';
import type { Cleanup } from '../../src/lib/widget/lazy';
import { renderTable } from '../../src/lib/widget/table';

const EPS = 1e-5;
const FIELDS = ['values', 'dy', 'gamma'] as const;

/** max |a − b| over max |b|: a scale-free difference that near-zero components cannot inflate. */
const relativeDifference = (a: number[], b: number[]): number =>
  Math.max(...a.map((v, i) => Math.abs(v - b[i]!))) / Math.max(1e-12, ...b.map(Math.abs));

export async function mount(root: HTMLElement): Promise<Cleanup> {
  const tf = await cpuTf();
  await import('@tensorflow/tfjs-core/dist/register_all_gradients');
  const prefix = root.dataset.prefix ?? 'gc';
  const inputs = Object.fromEntries(FIELDS.map((k) => [k, inputNamed(root, k)])) as Record<(typeof FIELDS)[number], HTMLInputElement>;
  const error = need<HTMLElement>(root, '[data-widget-error]');
  const table = need<HTMLElement>(root, '[data-table]');
  const out = (k: string) => need<HTMLOutputElement>(root, `[data-out="${k}"]`);
  const params = readParams(prefix);
  for (const k of FIELDS) if (params[k] !== undefined) inputs[k].value = fieldText(params[k]!);

  /** Each field parsed on its own, so the message names the one to fix. */
  const parseFields = (): { x: number[]; dy: number[]; gamma: number } | { field: (typeof FIELDS)[number]; message: string } => {
    const attempt = <T>(field: (typeof FIELDS)[number], read: () => T): T | { field: (typeof FIELDS)[number]; message: string } => {
      try {
        return read();
      } catch (err) {
        return { field, message: (err as Error).message };
      }
    };
    const x = attempt('values', () => parseBatch(inputs.values.value));
    if (!Array.isArray(x)) return x;
    const dy = attempt('dy', () => parseBatch(inputs.dy.value));
    if (!Array.isArray(dy)) return dy;
    if (dy.length !== x.length) return { field: 'dy', message: `dy needs one value per batch value: the batch has ${x.length}, dy has ${dy.length}.` };
    const gamma = attempt('gamma', () => parseNumber(inputs.gamma.value, 'gamma'));
    if (typeof gamma !== 'number') return gamma;
    return { x, dy, gamma };
  };

  const update = (): void => {
    for (const k of FIELDS) inputs[k].removeAttribute('aria-invalid');
    const parsed = parseFields();
    if ('message' in parsed) {
      inputs[parsed.field].setAttribute('aria-invalid', 'true');
      error.textContent = `${parsed.message} Keeping the last result.`;
      return;
    }
    const { x, dy, gamma: g } = parsed;
    error.textContent = '';
    const m = x.length;
    const loss = (xs: number[], gm: number, bt: number): number =>
      tf.tidy(() => tf.sum(tf.mul(batchNormTrain(tf.tensor2d(xs, [m, 1]), { gamma: tf.tensor1d([gm]), beta: tf.tensor1d([bt]), eps: EPS, validate: false }).y, tf.tensor2d(dy, [m, 1]))).dataSync()[0]!);

    const closed = tf.tidy(() => {
      const r = batchNormBackward(tf.tensor2d(x, [m, 1]), tf.tensor1d([g]), tf.tensor2d(dy, [m, 1]), EPS);
      return tf.concat([tf.reshape(r.dx, [-1]), r.dgamma, r.dbeta]);
    });
    const auto = tf.tidy(() => {
      const f = (xi: tfTensor, gi: tfTensor, bi: tfTensor) =>
        tf.sum(tf.mul(batchNormTrain(xi, { gamma: gi, beta: bi, eps: EPS, validate: false }).y, tf.tensor2d(dy, [m, 1])));
      const [dx, dg, db] = tf.grads(f as (...a: tfTensor[]) => tfTensor)([tf.tensor2d(x, [m, 1]), tf.tensor1d([g]), tf.tensor1d([0])]);
      return tf.concat([tf.reshape(dx!, [-1]), dg!, db!]);
    });
    const closedValues = Array.from(closed.dataSync());
    const autoValues = Array.from(auto.dataSync());
    tf.dispose([closed, auto]);
    // Central differences in float32: a step of 1% of the batch's spread balances truncation against rounding.
    const spread = Math.sqrt(x.reduce((a, v) => a + (v - x.reduce((s, w) => s + w, 0) / m) ** 2, 0) / m) || 1;
    const h = 1e-2 * spread;
    const fd = x.map((_, i) => {
      const plus = x.slice();
      const minus = x.slice();
      plus[i]! += h;
      minus[i]! -= h;
      return (loss(plus, g, 0) - loss(minus, g, 0)) / (2 * h);
    });
    const hg = 1e-2 * Math.max(1, Math.abs(g));
    fd.push((loss(x, g + hg, 0) - loss(x, g - hg, 0)) / (2 * hg), (loss(x, g, 0.01) - loss(x, g, -0.01)) / 0.02);
    const labels = [...x.map((_, i) => `∂ℓ/∂x${i + 1}`), '∂ℓ/∂γ', '∂ℓ/∂β'];
    renderTable(
      table,
      'Gradients of ℓ = Σ y·dy',
      ['gradient', 'closed form', 'autodiff', 'finite differences'],
      labels.map((label, i) => ({ head: label, cells: [closedValues[i]!, autoValues[i]!, fd[i]!].map((v) => formatNumber(v, 6)) })),
    );
    out('auto').textContent = formatNumber(relativeDifference(closedValues, autoValues), 3);
    out('fd').textContent = formatNumber(relativeDifference(closedValues, fd), 3);
    writeParams(prefix, Object.fromEntries(FIELDS.map((k) => [k, inputs[k].value])));
  };
  type tfTensor = ReturnType<typeof tf.tensor>;
  const frame = frameScheduler(update);
  root.addEventListener('input', frame.schedule);
  update();
  return () => {
    frame.cancel();
    root.removeEventListener('input', frame.schedule);
  };
}
