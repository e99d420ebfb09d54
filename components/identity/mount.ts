import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormTrain, parseBatch } from '../../src/lib/bn';
import { readParams, writeParams, fieldText } from '../../src/lib/state/url';
import { formatList, formatNumber, frameScheduler, inputNamed, need, setFieldError } from '../../src/lib/widget/dom';
import type { Cleanup } from '../../src/lib/widget/lazy';

const EPS = 1e-5;

export async function mount(root: HTMLElement): Promise<Cleanup> {
  const tf = await cpuTf();
  const prefix = root.dataset.prefix ?? 'undo';
  const field = inputNamed(root, 'values');
  const error = need<HTMLElement>(root, '[data-widget-error]');
  const out = (key: string) => need<HTMLOutputElement>(root, `[data-out="${key}"]`);
  const fromUrl = readParams(prefix).values;
  if (fromUrl !== undefined) field.value = fieldText(fromUrl);

  const update = (): void => {
    let x: number[];
    try {
      x = parseBatch(field.value);
    } catch (err) {
      setFieldError(field, error, `${err instanceof Error ? err.message : String(err)} The result below is from the last valid batch.`);
      return;
    }
    setFieldError(field, error, null);
    const [gammaT, betaT, xHatT, yT] = tf.tidy(() => {
      const input = tf.tensor2d(x, [x.length, 1]);
      const plain = batchNormTrain(input, { gamma: tf.ones([1]), beta: tf.zeros([1]), eps: EPS });
      // The identity parameters: γ = √(σ²_B + ε), β = μ_B.
      const gamma = tf.sqrt(tf.add(plain.varianceBiased, EPS));
      const restored = batchNormTrain(input, { gamma, beta: plain.mean, eps: EPS });
      return [gamma, plain.mean, plain.xHat, restored.y];
    });
    const r = { gamma: gammaT.dataSync()[0]!, beta: betaT.dataSync()[0]!, xHat: Array.from(xHatT.dataSync()), y: Array.from(yT.dataSync()) };
    tf.dispose([gammaT, betaT, xHatT, yT]);
    out('gamma').textContent = formatNumber(r.gamma);
    out('beta').textContent = formatNumber(r.beta);
    out('xhat').textContent = formatList(r.xHat);
    out('y').textContent = formatList(r.y);
    out('diff').textContent = `${formatNumber(Math.max(...r.y.map((v, i) => Math.abs(v - x[i]!))), 3)} (float32 rounding)`;
    writeParams(prefix, { values: field.value });
  };
  const frame = frameScheduler(update);
  field.addEventListener('input', frame.schedule);
  update();
  return () => {
    frame.cancel();
    field.removeEventListener('input', frame.schedule);
  };
}
