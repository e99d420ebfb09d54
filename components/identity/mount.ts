import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormTrain, parseBatch } from '../../src/lib/bn';
import { formatList, formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { schema } from './schema';

const EPS = 1e-5;

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    return {
      draw(state) {
        // The schema's check has accepted the text, so it parses.
        const x = parseBatch(state.values);
        const [gammaT, betaT, xHatT, yT] = tf.tidy(() => {
          const input = tf.tensor2d(x, [x.length, 1]);
          const plain = batchNormTrain(input, { gamma: tf.ones([1]), beta: tf.zeros([1]), eps: EPS });
          // The identity parameters: γ = √(σ²_B + ε), β = μ_B.
          const gamma = tf.sqrt(tf.add(plain.varianceBiased, EPS));
          const restored = batchNormTrain(input, { gamma, beta: plain.mean, eps: EPS });
          return [gamma, plain.mean, plain.xHat, restored.y];
        });
        const y = Array.from(yT.dataSync());
        ctx.out('gamma').textContent = formatNumber(gammaT.dataSync()[0]!);
        ctx.out('beta').textContent = formatNumber(betaT.dataSync()[0]!);
        ctx.out('xhat').textContent = formatList(xHatT.dataSync());
        ctx.out('y').textContent = formatList(y);
        ctx.out('diff').textContent = `${formatNumber(Math.max(...y.map((v, i) => Math.abs(v - x[i]!))), 3)} (float32 rounding)`;
        tf.dispose([gammaT, betaT, xHatT, yT]);
      },
    };
  });
