import * as Plot from '@observablehq/plot';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { batchNormTrain } from '../../src/lib/bn';
import { loadMnistSample } from '../../src/lib/data/mnist';
import { FEATURE_CHANNELS, featureMaps } from '../../src/lib/data/features';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plotWidth, powerOfTen, showChart } from '../../src/lib/plot/mount';
import { cpuTf } from '../../src/lib/tf/cpu';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { schema } from './schema';
import { heFilters, propagate } from './stack';

const IMAGES = 32;
const CHANNELS = 8;
const LINES = ['γ = 1 (default)', 'γ = 0 (zero-γ)'];

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const sample = await loadMnistSample(location.href);
    const features = ctx.keep(tf.tidy(() => tf.avgPool(featureMaps(tf, sample.images, IMAGES), 2, 2, 'valid') as Tensor4D));
    const plots = { stream: ctx.el('[data-plot="stream"]'), gradient: ctx.el('[data-plot="gradient"]') };

    return {
      draw(state) {
        const [one, zero] = tf.tidy(() => {
          const stemStd = Math.sqrt(2 / (9 * FEATURE_CHANNELS));
          const stem = tf.randomNormal([3, 3, FEATURE_CHANNELS, CHANNELS], 0, stemStd, 'float32', state.seed);
          const x = tf.relu(batchNormTrain(tf.conv2d(features, stem as Tensor4D, 1, 'same'), { gamma: tf.ones([CHANNELS]), beta: tf.zeros([CHANNELS]), eps: 1e-5, validate: false }).y) as Tensor4D;
          const filters = heFilters(tf, state.depth, CHANNELS, state.seed);
          return [1, 0].map((gamma) => propagate(tf, x, filters, state.order, gamma, state.seed + 1));
        });
        const streamRows = [one!, zero!].flatMap((r, k) => r.streamVariance.map((v, l) => ({ block: l, value: v, line: LINES[k]! })));
        const gradRows = [one!, zero!].flatMap((r, k) => r.gradientSquare.map((v, l) => ({ block: l + 1, value: v, line: LINES[k]! })));
        const chart = (rows: typeof streamRows, label: string, min: number) =>
          Plot.plot({
            width: plotWidth(plots.stream),
            height: 210,
            marginLeft: 56,
            marginBottom: MARGIN_FOR_X_LABEL,
            style: PLOT_STYLE,
            x: { label: 'block (0: the stem)', domain: [0, state.depth], tickFormat: (d: number) => String(d), ...X_LABEL_BELOW },
            y: { type: 'log', label, grid: true, tickFormat: powerOfTen, domain: [Math.min(min, ...rows.map((r) => r.value)) * 0.8, Math.max(...rows.map((r) => r.value)) * 1.25] },
            color: { legend: true, domain: LINES, range: ['var(--nobn)', 'var(--bn)'] },
            marks: [Plot.lineY(rows, { x: 'block', y: 'value', stroke: 'line' }), Plot.dot(rows, { x: 'block', y: 'value', fill: 'line', r: 2.5 })],
          });
        showChart(plots.stream, chart(streamRows, 'variance of the residual stream', 0.1));
        showChart(plots.gradient, chart(gradRows, 'mean square of the gradient', 0.1));
        const top = (r: typeof one) => r!.streamVariance.at(-1)!;
        const ratio = (r: typeof one) => r!.gradientSquare[0]! / r!.gradientSquare.at(-1)!;
        plots.stream.setAttribute('aria-label', `Stream variance after ${state.depth} blocks: ${formatNumber(top(one), 3)} with γ = 1, ${formatNumber(top(zero), 3)} with γ = 0 (stem: ${formatNumber(one!.streamVariance[0]!, 3)}).`);
        plots.gradient.setAttribute('aria-label', `The gradient's mean square at the first block is ${formatNumber(ratio(one), 3)} times that at the last with γ = 1 and ${formatNumber(ratio(zero), 3)} times with γ = 0.`);
        ctx.out('var-one').value = formatNumber(top(one), 4);
        ctx.out('var-zero').value = formatNumber(top(zero), 4);
        ctx.out('grad-one').value = formatNumber(ratio(one), 4);
        ctx.out('grad-zero').value = formatNumber(ratio(zero), 4);
        root.dataset.stemVariance = String(one!.streamVariance[0]);
      },
    };
  });
