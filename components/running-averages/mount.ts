import * as Plot from '@observablehq/plot';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plotWidth, showChart } from '../../src/lib/plot/mount';
import { cpuTf } from '../../src/lib/tf/cpu';
import { CONVENTIONS, batchNormTrain, batchWeight, updateRunningStats, type RunningStats } from '../../src/lib/bn';
import { sampleActivations, seededRng } from '../../src/lib/data/random';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { meanAndStd } from '../../src/lib/widget/summary';
import { schema } from './schema';

const STEPS = 300;

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const plots = { mean: ctx.el('[data-plot="mean"]'), variance: ctx.el('[data-plot="variance"]') };
    return {
      onInput(key) {
        // Each convention's momentum means the opposite thing; switch to its default.
        if (key === 'convention') ctx.set({ momentum: CONVENTIONS[ctx.state.convention].momentum });
      },
      draw(state) {
        const rng = seededRng(state.seed);
        const options = { convention: state.convention, momentum: state.momentum, variance: state.bessel ? 'unbiased' : 'biased' } as const;
        let running: RunningStats = { mean: tf.zeros([1]), variance: tf.ones([1]), batches: 0 };
        const trace: Array<{ step: number; mean: number; variance: number }> = [];
        for (let step = 1; step <= STEPS; step++) {
          const x = sampleActivations(state.batch, { mean: state.mean, spread: state.std, skew: 0, outliers: 0 }, rng);
          const batchStats = tf.tidy(() => {
            const r = batchNormTrain(tf.tensor2d(x, [state.batch, 1]), { gamma: tf.ones([1]), beta: tf.zeros([1]), eps: 1e-5, validate: false });
            return { mean: r.mean, varianceBiased: r.varianceBiased, varianceUnbiased: r.varianceUnbiased };
          });
          const next = updateRunningStats(running, batchStats, options);
          tf.dispose(batchStats);
          tf.dispose([running.mean, running.variance]);
          running = next;
          trace.push({ step, mean: running.mean.dataSync()[0]!, variance: running.variance.dataSync()[0]! });
        }
        tf.dispose([running.mean, running.variance]);
        const trueVar = state.std ** 2;
        const width = plotWidth(plots.mean);
        const common = { width, height: 190, marginLeft: 44, marginBottom: MARGIN_FOR_X_LABEL, style: PLOT_STYLE, x: { domain: [0, STEPS], label: 'step', ...X_LABEL_BELOW } };
        showChart(
          plots.mean,
          Plot.plot({ ...common, y: { domain: [-4, 4], label: 'running mean', grid: true }, marks: [Plot.ruleY([state.mean], { stroke: 'var(--ok)', strokeDasharray: '5,3' }), Plot.lineY(trace, { x: 'step', y: 'mean', stroke: 'var(--bn)' })] }),
        );
        const expectedBiased = (trueVar * (state.batch - 1)) / state.batch;
        showChart(
          plots.variance,
          Plot.plot({
            ...common,
            y: { domain: [0, 12], label: 'running variance', grid: true, clamp: true },
            marks: [
              Plot.ruleY([trueVar], { stroke: 'var(--ok)', strokeDasharray: '5,3' }),
              state.bessel ? null : Plot.ruleY([expectedBiased], { stroke: 'var(--nobn)', strokeDasharray: '2,3' }),
              Plot.lineY(trace, { x: 'step', y: 'variance', stroke: 'var(--bn)' }),
            ],
          }),
        );
        const tail = trace.slice(-100);
        const avgVar = meanAndStd(tail.map((t) => t.variance)).mean;
        const meanNoise = meanAndStd(tail.map((t) => t.mean)).std;
        const w = batchWeight(options, 1);
        ctx.out('weight').textContent = `${formatNumber(w, 3)} (remembers about ${Math.round(1 / w)} batches)`;
        ctx.out('final-var').textContent = formatNumber(avgVar, 4);
        ctx.out('true-var').textContent = `${formatNumber(trueVar, 4)}${state.bessel ? '' : `; the biased estimate averages ${formatNumber(expectedBiased, 4)} = σ²·(n−1)/n`}`;
        ctx.out('noise').textContent = formatNumber(meanNoise, 3);
        plots.mean.setAttribute('aria-label', `Running mean over ${STEPS} steps, converging toward the population mean ${state.mean}; last value ${formatNumber(trace.at(-1)!.mean, 4)}`);
        plots.variance.setAttribute('aria-label', `Running variance over ${STEPS} steps; population variance ${formatNumber(trueVar, 4)}, average of the last 100 steps ${formatNumber(avgVar, 4)}`);
      },
    };
  });
