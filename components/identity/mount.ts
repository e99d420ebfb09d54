import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormInference, batchNormTrain, parseBatch } from '../../src/lib/bn';
import { formatList, formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { schema } from './schema';

const EPS = 1e-5;

const largestGap = (y: number[], x: number[]): number => Math.max(...y.map((v, i) => Math.abs(v - x[i]!)));

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    return {
      draw(state) {
        // The schema's checks have accepted both texts, so they parse.
        const x = parseBatch(state.values);
        const x2 = parseBatch(state.other);
        const [gammaT, betaT, xHatT, yT, y2TrainT, y2InferT] = tf.tidy(() => {
          const input = tf.tensor2d(x, [x.length, 1]);
          const second = tf.tensor2d(x2, [x2.length, 1]);
          const plain = batchNormTrain(input, { gamma: tf.ones([1]), beta: tf.zeros([1]), eps: EPS });
          // The identity parameters: γ = √(σ²_B + ε), β = μ_B, from the first batch.
          const gamma = tf.sqrt(tf.add(plain.varianceBiased, EPS));
          const restored = batchNormTrain(input, { gamma, beta: plain.mean, eps: EPS });
          // The same γ, β on another batch. Training mode normalizes it with its own statistics, so
          // its mean and spread are replaced by the first batch's: not the identity.
          const secondTrain = batchNormTrain(second, { gamma, beta: plain.mean, eps: EPS });
          // Inference mode with the first batch's statistics standing in for the population's
          // (Algorithm 2): y = γ(x − μ)/√(σ²+ε) + β = x for every input.
          const secondInfer = batchNormInference(second, {
            gamma, beta: plain.mean, eps: EPS, runningMean: plain.mean, runningVar: plain.varianceBiased,
          });
          return [gamma, plain.mean, plain.xHat, restored.y, secondTrain.y, secondInfer];
        });
        const y = Array.from(yT.dataSync());
        const y2Train = Array.from(y2TrainT.dataSync());
        const y2Infer = Array.from(y2InferT.dataSync());
        ctx.out('gamma').textContent = formatNumber(gammaT.dataSync()[0]!);
        ctx.out('beta').textContent = formatNumber(betaT.dataSync()[0]!);
        ctx.out('xhat').textContent = formatList(xHatT.dataSync());
        ctx.out('y').textContent = formatList(y);
        ctx.out('diff').textContent = `${formatNumber(largestGap(y, x), 3)} (float32 rounding)`;
        ctx.out('y2-train').textContent = formatList(y2Train);
        ctx.out('diff2-train').textContent = formatNumber(largestGap(y2Train, x2), 3);
        ctx.out('y2-infer').textContent = formatList(y2Infer);
        ctx.out('diff2-infer').textContent = `${formatNumber(largestGap(y2Infer, x2), 3)} (float32 rounding)`;
        tf.dispose([gammaT, betaT, xHatT, yT, y2TrainT, y2InferT]);
      },
    };
  });
