import * as Plot from '@observablehq/plot';
import { logAxisX, logAxisY, oneTwoFive } from '../../src/lib/plot/log-axis';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plotWidth, showChart } from '../../src/lib/plot/mount';
import { cpuTf } from '../../src/lib/tf/cpu';
import { groupNorm } from '../../src/lib/bn';
import { loadMnistSample } from '../../src/lib/data/mnist';
import { FEATURE_CHANNELS, featureMaps } from '../../src/lib/data/features';
import { seededRng } from '../../src/lib/data/random';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { meanAndStd } from '../../src/lib/widget/summary';
import { renderTable } from '../../src/lib/widget/table';
import { schema } from './schema';

// From 2: a "batch" of the fixed digit alone would be the same batch every draw.
const SIZES = [2, 4, 8, 16, 32, 64, 128, 256];
const DRAWS = 300;
const EPS = 1e-5;
const GN_GROUPS = 2;

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const sample = await loadMnistSample(location.href);
    const count = sample.count;
    // Per-image, per-channel sums of x and x² (computed once by tfjs): a batch's mean and biased
    // variance over N·H·W are exact combinations of them, which makes 2,700 batches cheap.
    const { s1, s2, centre, perImage, gnValue } = tf.tidy(() => {
      const maps = featureMaps(tf, sample.images, count);
      const [, h, w, c] = maps.shape;
      const gn = groupNorm(tf.slice(maps, [0, 0, 0, 0], [1, -1, -1, -1]), { gamma: tf.ones([c]), beta: tf.zeros([c]), eps: EPS, groups: GN_GROUPS });
      return {
        s1: tf.sum(maps, [1, 2]).dataSync() as Float32Array,
        s2: tf.sum(tf.square(maps), [1, 2]).dataSync() as Float32Array,
        centre: tf.slice(maps, [0, h / 2, w / 2, 0], [1, 1, 1, -1]).dataSync() as Float32Array,
        perImage: h * w,
        gnValue: tf.slice(gn, [0, h / 2, w / 2, 0], [1, 1, 1, -1]).dataSync() as Float32Array,
      };
    }) as unknown as { s1: Float32Array; s2: Float32Array; centre: Float32Array; perImage: number; gnValue: Float32Array };

    const plots = { stats: ctx.el('[data-plot="stats"]'), example: ctx.el('[data-plot="example"]') };

    return {
      draw(state) {
        const c = Number(state.c);
        const rng = seededRng(state.seed);
        const sum = (arr: Float32Array, idx: number[]) => idx.reduce((a, i) => a + arr[i * FEATURE_CHANNELS + c]!, 0);
        const all = Array.from({ length: count }, (_, i) => i);
        const popMean = sum(s1, all) / (count * perImage);
        const popVar = sum(s2, all) / (count * perImage) - popMean ** 2;
        const rows = SIZES.map((b) => {
          const means: number[] = [];
          const vars: number[] = [];
          const xhat: number[] = [];
          for (let d = 0; d < DRAWS; d++) {
            // The fixed digit 0 plus b − 1 distinct others.
            const pool = all.slice(1);
            const idx = [0];
            for (let k = 0; k < b - 1; k++) idx.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]!);
            const m = sum(s1, idx) / (b * perImage);
            const v = Math.max(0, sum(s2, idx) / (b * perImage) - m * m);
            means.push(m);
            vars.push(v);
            xhat.push((centre[c]! - m) / Math.sqrt(v + EPS));
          }
          const normalized = meanAndStd(xhat);
          return { b, meanSpread: meanAndStd(means).std, varSpread: meanAndStd(vars).std, xhatMean: normalized.mean, xhatSpread: normalized.std };
        });
        const width = plotWidth(plots.stats);
        const base = { width, height: 220, marginLeft: 56, marginBottom: MARGIN_FOR_X_LABEL, style: PLOT_STYLE, x: { type: 'log' as const, domain: [2, 256] } };
        const xAxis = logAxisX(SIZES, { label: 'batch size (images)', ...X_LABEL_BELOW });
        const spreads = rows.flatMap((r) => [
          { b: r.b, value: r.meanSpread, stat: 'std of batch mean μ_B' },
          { b: r.b, value: r.varSpread, stat: 'std of batch variance σ²_B' },
        ]);
        // Two yardsticks for the spread of μ_B: the population's σ/√N if the images were independent,
        // and σ/√(N·H·W) if every activation were.
        const sigma = Math.sqrt(popVar);
        const yardsticks = rows.flatMap((r) => [
          { b: r.b, value: sigma / Math.sqrt(r.b), stat: 'σ/√N (dashed)' },
          { b: r.b, value: sigma / Math.sqrt(r.b * perImage), stat: 'σ/√(N·H·W) (dotted)' },
        ]);
        const spreadValues = [...spreads, ...yardsticks].map((d) => d.value);
        // Padded a little so the extreme points are not cut by the frame.
        const spreadDomain: [number, number] = [Math.min(...spreadValues) / 1.15, Math.max(...spreadValues) * 1.15];
        const statNames = ['std of batch mean μ_B', 'std of batch variance σ²_B', 'σ/√N (dashed)', 'σ/√(N·H·W) (dotted)'];
        showChart(
          plots.stats,
          Plot.plot({
            ...base,
            y: { type: 'log', domain: spreadDomain },
            color: { legend: true, domain: statNames, range: ['var(--bn)', 'var(--nobn)', 'currentColor', 'currentColor'] },
            marks: [
              xAxis,
              ...logAxisY(oneTwoFive(...spreadDomain), { label: 'spread across 300 batches' }),
              Plot.lineY(yardsticks.filter((d) => d.stat.includes('dashed')), { x: 'b', y: 'value', stroke: 'stat', strokeDasharray: '6,3', strokeOpacity: 0.7 }),
              Plot.lineY(yardsticks.filter((d) => d.stat.includes('dotted')), { x: 'b', y: 'value', stroke: 'stat', strokeDasharray: '2,3', strokeOpacity: 0.7 }),
              Plot.lineY(spreads, { x: 'b', y: 'value', stroke: 'stat', z: 'stat' }),
              Plot.dot(spreads, { x: 'b', y: 'value', fill: 'stat' }),
            ],
          }),
        );
        const band = rows.map((r) => ({ b: r.b, lo: r.xhatMean - r.xhatSpread, hi: r.xhatMean + r.xhatSpread, mid: r.xhatMean }));
        showChart(
          plots.example,
          Plot.plot({
            ...base,
            y: { label: "the digit's normalized value x̂", grid: true },
            marks: [
              xAxis,
              Plot.areaY(band, { x: 'b', y1: 'lo', y2: 'hi', fill: 'var(--bn)', fillOpacity: 0.2 }),
              Plot.lineY(band, { x: 'b', y: 'mid', stroke: 'var(--bn)' }),
              Plot.ruleY([gnValue[c]!], { stroke: 'var(--ok)', strokeDasharray: '5,3' }),
              Plot.text([{ b: 256, y: gnValue[c]! }], { x: 'b', y: 'y', text: () => 'GroupNorm (no batch)', textAnchor: 'end', dy: -8, fill: 'currentColor' }),
            ],
          }),
        );
        plots.stats.setAttribute('aria-label', `Spread of the batch mean falls from ${formatNumber(rows[0]!.meanSpread, 3)} at batch 2 to ${formatNumber(rows.at(-1)!.meanSpread, 3)} at batch 256; population mean ${formatNumber(popMean, 4)}, variance ${formatNumber(popVar, 4)}.`);
        plots.example.setAttribute('aria-label', `The fixed digit's BN output varies by ±${formatNumber(rows[0]!.xhatSpread, 3)} at batch 2 and ±${formatNumber(rows[4]!.xhatSpread, 3)} at batch 32; under GroupNorm it is always ${formatNumber(gnValue[c]!, 4)}.`);
        renderTable(
          ctx.el('[data-table]'),
          `Spread (standard deviation) across ${DRAWS} batches; population mean ${formatNumber(popMean, 4)}, variance ${formatNumber(popVar, 4)}`,
          ['batch', 'μ_B', 'σ²_B', "digit's x̂, BN", "digit's x̂, GN"],
          rows.map((r) => ({ head: String(r.b), data: { batch: String(r.b) }, cells: [formatNumber(r.meanSpread, 3), formatNumber(r.varSpread, 3), formatNumber(r.xhatSpread, 3), '0'] })),
        );
      },
    };
  });
