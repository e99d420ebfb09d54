import * as Plot from '@observablehq/plot';
import type { Tensor } from '@tensorflow/tfjs-core';
import { batchNormInference, batchNormTrain, dropoutVarianceShift } from '../../src/lib/bn';
import { loadMnistSample } from '../../src/lib/data/mnist';
import { FEATURE_CHANNELS, featureMaps } from '../../src/lib/data/features';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plotWidth, showChart } from '../../src/lib/plot/mount';
import { cpuTf } from '../../src/lib/tf/cpu';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { schema } from './schema';

const EPS = 1e-5;
const RATES = Array.from({ length: 19 }, (_, i) => i * 0.05);

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const sample = await loadMnistSample(location.href);
    // [values, channels]: every position of every digit, after the ReLU.
    const units = ctx.keep(tf.tidy(() => tf.reshape(tf.relu(featureMaps(tf, sample.images, sample.count)), [-1, FEATURE_CHANNELS])));
    const plot = ctx.el('[data-plot="variance"]');

    return {
      draw(state) {
        const c = Number(state.c);
        /** Training: dropout then BN on batch statistics; inference: no dropout, BN on the stored ones. */
        const measure = (p: number, seed: number) =>
          tf.tidy(() => {
            const x = tf.slice(units, [0, c], [-1, 1]);
            const dropped = p > 0 ? tf.dropout(x, p, undefined, seed) : x;
            const affine = { gamma: tf.ones([1]), beta: tf.zeros([1]), eps: EPS, validate: false };
            const train = batchNormTrain(dropped, affine);
            const inference = batchNormInference(x, { ...affine, runningMean: train.mean, runningVar: train.varianceBiased });
            const v = (t: Tensor) => tf.moments(t).variance.dataSync()[0]!;
            return { trainVariance: v(dropped), evalVariance: v(x), bnTrain: v(train.y), bnEval: v(inference), mean: tf.mean(x).dataSync()[0]! };
          });
        const curve = RATES.map((p, i) => ({ p, ...measure(p, state.seed + i) }));
        const now = measure(state.p, state.seed + 1000);
        const closed = RATES.map((p) => ({ p, ...dropoutVarianceShift(now.mean, now.evalVariance, p) }));
        const shift = dropoutVarianceShift(now.mean, now.evalVariance, state.p);
        const rows = [
          ...curve.map((d) => ({ p: d.p, value: d.bnTrain, line: 'after BN, training' })),
          ...curve.map((d) => ({ p: d.p, value: d.bnEval, line: 'after BN, inference' })),
        ];
        showChart(
          plot,
          Plot.plot({
            width: plotWidth(plot),
            height: 230,
            marginLeft: 50,
            marginBottom: MARGIN_FOR_X_LABEL,
            style: PLOT_STYLE,
            x: { label: 'dropout rate p', domain: [0, 0.9], ...X_LABEL_BELOW },
            y: { label: 'variance of the BN output', grid: true, domain: [0, 1.1] },
            color: { legend: true, domain: ['after BN, training', 'after BN, inference', 'closed form'], range: ['var(--bn)', 'var(--nobn)', 'currentColor'] },
            marks: [
              Plot.line(rows, { x: 'p', y: 'value', stroke: 'line' }),
              Plot.dot(rows, { x: 'p', y: 'value', fill: 'line', r: 2.5 }),
              Plot.line(closed, { x: 'p', y: 'bnOutputVariance', stroke: () => 'closed form', strokeDasharray: '4,3' }),
              Plot.ruleX([state.p], { stroke: 'currentColor', strokeOpacity: 0.4 }),
            ],
          }),
        );
        plot.setAttribute('aria-label', `After BN the unit has variance 1 in training at every rate; at inference it falls to ${formatNumber(curve.at(-1)!.bnEval, 3)} at p = 0.9 (at p = ${state.p}: ${formatNumber(now.bnEval, 3)}).`);
        ctx.out('train').value = formatNumber(now.trainVariance, 4);
        ctx.out('eval').value = formatNumber(now.evalVariance, 4);
        ctx.out('bn-train').value = formatNumber(now.bnTrain, 4);
        ctx.out('bn-eval').value = formatNumber(now.bnEval, 4);
        ctx.out('formula').value = `${formatNumber(shift.bnOutputVariance, 4)} (μ = ${formatNumber(now.mean, 4)}, σ² = ${formatNumber(now.evalVariance, 4)})`;
      },
    };
  });
