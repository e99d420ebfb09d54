import type * as tfTypes from '@tensorflow/tfjs-core';
import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormInference, conv2dSame, foldBatchNorm, parseNumber } from '../../src/lib/bn';
import { formatNumber, inputNamed, need, setFieldError } from '../../src/lib/widget/dom';
import type { Cleanup } from '../../src/lib/widget/lazy';
import { renderTable } from '../../src/lib/widget/table';

const OUT = 4;

export async function mount(root: HTMLElement): Promise<Cleanup> {
  const tf = await cpuTf();
  const digits = JSON.parse(root.dataset.digits ?? '[]') as number[][];
  const field = inputNamed(root, 'eps');
  const error = need<HTMLElement>(root, '[data-widget-error]');
  const table = need<HTMLElement>(root, '[data-table]');
  const out = (k: string) => need<HTMLOutputElement>(root, `[data-out="${k}"]`);
  const x = tf.tensor4d(digits.flat().map((v) => v / 255), [digits.length, 28, 28, 1]);
  let seed = 1;

  const update = (): void => {
    let eps: number;
    try {
      eps = parseNumber(field.value, 'epsilon');
      if (eps <= 0) throw new Error('epsilon must be greater than 0.');
    } catch (err) {
      setFieldError(field, error, `${(err as Error).message} Keeping the last result.`);
      return;
    }
    setFieldError(field, error, null);
    const result = tf.tidy(() => {
      const filter = tf.randomNormal([3, 3, 1, OUT], 0, 0.5, 'float32', seed) as tfTypes.Tensor4D;
      const bias = tf.randomUniform([OUT], -0.2, 0.2, 'float32', seed + 1) as tfTypes.Tensor1D;
      const conv = conv2dSame(x, filter, bias);
      // Running statistics as training would leave them: near the conv outputs' own statistics.
      const { mean, variance } = tf.moments(conv, [0, 1, 2]);
      const bn = {
        gamma: tf.randomUniform([OUT], 0.5, 2, 'float32', seed + 2) as tfTypes.Tensor1D,
        beta: tf.randomUniform([OUT], -1, 1, 'float32', seed + 3) as tfTypes.Tensor1D,
        runningMean: tf.mul(mean, tf.randomUniform([OUT], 0.8, 1.2, 'float32', seed + 4)) as tfTypes.Tensor1D,
        runningVar: tf.mul(variance, tf.randomUniform([OUT], 0.8, 1.2, 'float32', seed + 5)) as tfTypes.Tensor1D,
        eps,
      };
      const reference = batchNormInference(conv, bn);
      const folded = foldBatchNorm({ filter, bias, ...bn });
      const foldedOut = conv2dSame(x, folded.filter, folded.bias);
      const scale = tf.div(bn.gamma, tf.sqrt(tf.add(bn.runningVar, eps)));
      return {
        diff: tf.max(tf.abs(tf.sub(reference, foldedOut))),
        outScale: tf.max(tf.abs(reference)),
        scale,
        bias,
        foldedBias: folded.bias,
        runningMean: bn.runningMean,
        runningVar: bn.runningVar,
      };
    });
    const read = (t: tfTypes.Tensor): number[] => Array.from(t.dataSync());
    const [scale, bias, foldedBias, rm, rv] = [result.scale, result.bias, result.foldedBias, result.runningMean, result.runningVar].map(read);
    out('diff').textContent = formatNumber(result.diff.dataSync()[0]!, 3);
    out('scale').textContent = `largest |y| is ${formatNumber(result.outScale.dataSync()[0]!, 4)}, so the difference is float32 rounding`;
    tf.dispose(Object.values(result));
    renderTable(
      table,
      'Per output channel: W′ = W · γ/√(σ̂²+ε), b′ = (b − μ̂) · γ/√(σ̂²+ε) + β',
      ['channel', 'μ̂', 'σ̂²', 'γ/√(σ̂²+ε)', 'b', 'b′'],
      scale!.map((s, c) => ({ head: String(c + 1), cells: [rm![c]!, rv![c]!, s, bias![c]!, foldedBias![c]!].map((v) => formatNumber(v, 4)) })),
    );
  };
  const onClick = (e: Event): void => {
    if (!(e.target as HTMLElement).closest('[data-action="resample"]')) return;
    seed += 10;
    update();
  };
  field.addEventListener('input', update);
  root.addEventListener('click', onClick);
  update();
  return () => {
    field.removeEventListener('input', update);
    root.removeEventListener('click', onClick);
    x.dispose();
  };
}
