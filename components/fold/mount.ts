import type * as tfTypes from '@tensorflow/tfjs-core';
import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormInference, conv2dSame, foldBatchNorm } from '../../src/lib/bn';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { renderTable } from '../../src/lib/widget/table';
import { parseEpsilon } from '../../src/lib/bn/parse';
import { schema } from './schema';

const OUT = 4;

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const digits = JSON.parse(root.dataset.digits ?? '[]') as number[][];
    const table = ctx.el('[data-table]');
    const x = ctx.keep(tf.tensor4d(digits.flat().map((v) => v / 255), [digits.length, 28, 28, 1]));
    // The four digits themselves, drawn once: ink dark on light in either theme, like paper.
    const strip = ctx.el('[data-digits-strip]');
    strip.replaceChildren(
      ...digits.map((pixels, i) => {
        const canvas = document.createElement('canvas');
        canvas.width = 28;
        canvas.height = 28;
        canvas.className = 'digit';
        canvas.setAttribute('aria-hidden', 'true');
        const g = canvas.getContext('2d');
        if (g) {
          const image = g.createImageData(28, 28);
          pixels.forEach((v, j) => {
            const shade = 255 - v;
            image.data.set([shade, shade, shade, 255], j * 4);
          });
          g.putImageData(image, 0, 0);
        }
        canvas.dataset.index = String(i);
        return canvas;
      }),
    );
    return {
      draw(state) {
        const eps = parseEpsilon(state.eps);
        // tfjs's normal sampler takes a seed of 0 as "unseeded"; a link may carry 0.
        const seed = Math.max(1, state.seed);
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
        ctx.out('diff').textContent = formatNumber(result.diff.dataSync()[0]!, 3);
        ctx.out('scale').textContent = `largest |y| is ${formatNumber(result.outScale.dataSync()[0]!, 4)}, so the difference is float32 rounding`;
        tf.dispose(Object.values(result));
        renderTable(
          table,
          'Per output channel: W′ = W · γ/√(σ̂²+ε), b′ = (b − μ̂) · γ/√(σ̂²+ε) + β',
          ['channel', 'μ̂', 'σ̂²', 'γ/√(σ̂²+ε)', 'b', 'b′'],
          scale!.map((s, c) => ({ head: String(c + 1), cells: [rm![c]!, rv![c]!, s, bias![c]!, foldedBias![c]!].map((v) => formatNumber(v, 4)) })),
        );
      },
    };
  });
