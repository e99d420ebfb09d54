import * as Plot from '@observablehq/plot';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plainTick, plotWidth, showChart } from '../../src/lib/plot/mount';
import { binCounts } from '../../src/lib/plot/histogram';
import { cpuTf } from '../../src/lib/tf/cpu';
import { normal, seededRng } from '../../src/lib/data/random';
import { formatNumber, formatPercent } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { schema } from './schema';
import { BATCH, SATURATED_BELOW, SEED, saturation } from './saturation';

const DOMAIN: [number, number] = [-16, 16];
const BINS = 64;
const CURVE = Array.from({ length: 321 }, (_, i) => DOMAIN[0] + (i * (DOMAIN[1] - DOMAIN[0])) / 320);

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const histPlot = ctx.el('[data-plot="inputs"]');
    const slopePlot = ctx.el('[data-plot="slope"]');
    const rng = seededRng(SEED);
    const base = Float32Array.from({ length: BATCH }, () => normal(rng));
    // The curves over the axis, from tfjs like the batch's values.
    const curves = tf.tidy(() => {
      const g = tf.sigmoid(tf.tensor1d(CURVE));
      return [g.dataSync(), tf.mul(g, tf.sub(1, g)).dataSync()] as const;
    });
    const lines = CURVE.flatMap((z, i) => [
      { z, value: curves[0][i]!, curve: 'g(z), the sigmoid' },
      { z, value: curves[1][i]!, curve: 'g′(z), its slope' },
    ]);

    return {
      resizes: slopePlot,
      draw(state) {
        const s = saturation(tf, base, state);
        const width = plotWidth(slopePlot);
        const binWidth = (DOMAIN[1] - DOMAIN[0]) / BINS;
        const { counts, offAxis } = binCounts(s.z, DOMAIN, BINS);
        const bins = Array.from(counts, (count, i) => ({ x1: DOMAIN[0] + i * binWidth, x2: DOMAIN[0] + (i + 1) * binWidth, count }));
        const x = { domain: DOMAIN, tickFormat: plainTick };
        showChart(
          histPlot,
          Plot.plot({
            width,
            height: 150,
            marginLeft: 48,
            style: PLOT_STYLE,
            x: { ...x, label: null },
            y: { label: 'inputs in the batch', grid: true, tickFormat: plainTick, ticks: 4 },
            marks: [Plot.rectY(bins, { x1: 'x1', x2: 'x2', y: 'count', fill: 'var(--nobn)', fillOpacity: 0.8, inset: 0.5 }), Plot.ruleY([0])],
          }),
        );
        const dots = Array.from(s.z, (z, i) => ({ z, value: s.slope[i]! })).filter((d) => d.z >= DOMAIN[0] && d.z <= DOMAIN[1]);
        showChart(
          slopePlot,
          Plot.plot({
            width,
            height: 230,
            marginLeft: 48,
            marginBottom: MARGIN_FOR_X_LABEL,
            style: PLOT_STYLE,
            x: { ...x, label: 'input z', ...X_LABEL_BELOW },
            y: { domain: [0, 1], label: null, grid: true, tickFormat: plainTick },
            color: { legend: true, domain: ['g(z), the sigmoid', 'g′(z), its slope', 'g′ at the batch’s inputs'], range: ['currentColor', 'var(--bn)', 'var(--nobn)'] },
            marks: [
              Plot.line(lines, { x: 'z', y: 'value', stroke: 'curve', z: 'curve', strokeWidth: 2 }),
              Plot.dot(dots, { x: 'z', y: 'value', r: 2, fill: () => 'g′ at the batch’s inputs', fillOpacity: 0.5 }),
            ],
          }),
        );
        const fmt = (v: number) => formatNumber(v, 3);
        ctx.out('zmean').textContent = fmt(s.zMean);
        ctx.out('zstd').textContent = fmt(s.zStd);
        ctx.out('slope').textContent = formatNumber(s.meanSlope, 4);
        ctx.out('share').textContent = formatPercent(s.meanSlope / 0.25);
        ctx.out('saturated').textContent = formatPercent(s.saturatedShare);
        ctx.out('off-axis').textContent = String(offAxis);
        const summary = `The batch's inputs have mean ${fmt(s.zMean)} and standard deviation ${fmt(s.zStd)}${state.bn ? ' after BN' : ''}; the sigmoid's mean slope over them is ${formatNumber(s.meanSlope, 3)}, ${formatPercent(s.meanSlope / 0.25)} of its largest, and ${formatPercent(s.saturatedShare)} of them have a slope below ${SATURATED_BELOW}.`;
        histPlot.setAttribute('aria-label', `Histogram of the batch's inputs z. ${summary}`);
        slopePlot.setAttribute('aria-label', `The sigmoid and its slope over z, with the batch's inputs marked. ${summary}`);
      },
    };
  });
