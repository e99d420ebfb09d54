import * as Plot from '@observablehq/plot';
import type { Tensor } from '@tensorflow/tfjs-core';
import { batchNormInference, batchNormTrain, batchRenorm } from '../../src/lib/bn';
import { FEATURE_CHANNELS, featureMaps } from '../../src/lib/data/features';
import { loadMnistSample } from '../../src/lib/data/mnist';
import { seededRng } from '../../src/lib/data/random';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plotWidth, showChart } from '../../src/lib/plot/mount';
import { cpuTf } from '../../src/lib/tf/cpu';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { schema } from './schema';

const EPS = 1e-5;
const LINES = ['BN', 'Batch Renorm'];
/** Values drawn per series: enough to see the pattern, few enough for a light chart. */
const SHOWN = 300;

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const sample = await loadMnistSample(location.href);
    const maps = ctx.keep(featureMaps(tf, sample.images, sample.count));
    // The population statistics stand in for converged running averages.
    const [populationMean, populationVar] = ctx.keep(tf.tidy(() => {
      const { mean, variance } = tf.moments(maps, [0, 1, 2]);
      return [mean, variance];
    }));
    const gamma = ctx.keep(tf.ones([FEATURE_CHANNELS]));
    const beta = ctx.keep(tf.zeros([FEATURE_CHANNELS]));
    const plot = ctx.el('[data-plot="outputs"]');

    return {
      draw(state) {
        const b = Number(state.b);
        const c = Number(state.c);
        const rng = seededRng(state.seed);
        const picked = Array.from({ length: b }, () => Math.floor(rng() * sample.count));
        const result = tf.tidy(() => {
          const batch = tf.gather(maps, picked);
          const common = { gamma, beta, eps: EPS, runningMean: populationMean!, runningVar: populationVar! };
          const inference = batchNormInference(batch, common);
          const bn = batchNormTrain(batch, { gamma, beta, eps: EPS }).y;
          const brn = batchRenorm(batch, { ...common, rMax: state.rMax, dMax: state.dMax });
          const channel = (t: Tensor) => Array.from(t.dataSync()).filter((_, i) => i % FEATURE_CHANNELS === c);
          return { inference: channel(inference), bn: channel(bn), brn: channel(brn.y), r: brn.r.dataSync()[c]!, d: brn.d.dataSync()[c]! };
        });
        const rms = (ys: number[]) => Math.sqrt(ys.reduce((a, y, i) => a + (y - result.inference[i]!) ** 2, 0) / ys.length);
        const gapBn = rms(result.bn);
        const gapBrn = rms(result.brn);
        ctx.out('r').value = formatNumber(result.r, 4);
        ctx.out('d').value = formatNumber(result.d, 4);
        ctx.out('gap-bn').value = formatNumber(gapBn, 3);
        ctx.out('gap-brn').value = formatNumber(gapBrn, 3);
        root.dataset.gapBn = String(gapBn);
        root.dataset.gapBrn = String(gapBrn);

        const step = Math.max(1, Math.floor(result.inference.length / SHOWN));
        const rows = result.inference.flatMap((x, i) =>
          i % step === 0
            ? [
                { inference: x, training: result.bn[i]!, line: LINES[0]! },
                { inference: x, training: result.brn[i]!, line: LINES[1]! },
              ]
            : [],
        );
        const extent = [Math.min(...rows.map((r) => Math.min(r.inference, r.training))), Math.max(...rows.map((r) => Math.max(r.inference, r.training)))];
        showChart(
          plot,
          Plot.plot({
            width: plotWidth(plot, { max: 520 }),
            height: 290,
            marginLeft: 50,
            marginBottom: MARGIN_FOR_X_LABEL,
            style: PLOT_STYLE,
            x: { label: 'inference output', domain: extent, ...X_LABEL_BELOW },
            y: { label: 'training output', domain: extent, grid: true },
            color: { legend: true, domain: LINES, range: ['var(--nobn)', 'var(--bn)'] },
            marks: [
              Plot.line([[extent[0]!, extent[0]!], [extent[1]!, extent[1]!]], { stroke: 'currentColor', strokeOpacity: 0.4, strokeDasharray: '4,3' }),
              Plot.dot(rows, { x: 'inference', y: 'training', stroke: 'line', symbol: 'line', r: 2.5 }),
            ],
          }),
        );
        plot.setAttribute(
          'aria-label',
          `Training-mode outputs of ${b} image${b === 1 ? '' : 's'} against inference outputs (dashed: equal). BN is off by ${formatNumber(gapBn, 2)} on average (root mean square), Batch Renorm by ${formatNumber(gapBrn, 2)}, with r = ${formatNumber(result.r, 3)} and d = ${formatNumber(result.d, 3)}.`,
        );
      },
      resizes: plot,
    };
  });
