import * as Plot from '@observablehq/plot';
import { sequenceBatchMoments, tokenMoments } from '../../src/lib/bn';
import { normal, seededRng } from '../../src/lib/data/random';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plotWidth, showChart } from '../../src/lib/plot/mount';
import { panels } from '../../src/lib/plot/panels';
import { cpuTf } from '../../src/lib/tf/cpu';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { FEATURES, MAX_LENGTH, SEQUENCES, schema } from './schema';

const VOCABULARY = 40;
const EPS = 1e-5;
/** The embedding table is fixed (seed 1), so "other sequences" means other tokens, not other words. */
const TABLE_SEED = 1;

function embeddingTable(): number[][] {
  const rng = seededRng(TABLE_SEED);
  const featureMeans = Array.from({ length: FEATURES }, (_, f) => -1.5 + (3 * f) / (FEATURES - 1));
  return Array.from({ length: VOCABULARY }, () => featureMeans.map((m) => m + normal(rng)));
}

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const table = embeddingTable();
    const plots = { grid: ctx.el('[data-plot="grid"]'), stats: ctx.el('[data-plot="stats"]') };

    return {
      draw(state) {
        // The tokens and lengths depend on the seed alone; the shortest length only rescales them,
        // so moving the slider changes the padding, not the words.
        const rng = seededRng(state.seed);
        const tokens = Array.from({ length: SEQUENCES }, () => Array.from({ length: MAX_LENGTH }, () => Math.floor(rng() * VOCABULARY)));
        const lengthDraws = Array.from({ length: SEQUENCES }, () => rng());
        const lengths = lengthDraws.map((u, s) => (s === 0 ? MAX_LENGTH : state.shortest + Math.floor(u * (MAX_LENGTH - state.shortest + 1))));
        const values = tokens.map((row, s) => row.map((t, p) => (p < lengths[s]! ? table[t]! : new Array<number>(FEATURES).fill(0))));
        const mask = lengths.map((len) => Array.from({ length: MAX_LENGTH }, (_, p) => (p < len ? 1 : 0)));
        const f = state.feature - 1;

        const result = tf.tidy(() => {
          const x = tf.tensor3d(values);
          const m = tf.tensor2d(mask);
          const padded = sequenceBatchMoments(x, m, { masked: false });
          const masked = sequenceBatchMoments(x, m, { masked: true });
          const token = tokenMoments(x);
          return {
            padded: { mean: Array.from(padded.mean.dataSync()), variance: Array.from(padded.variance.dataSync()) },
            masked: { mean: Array.from(masked.mean.dataSync()), variance: Array.from(masked.variance.dataSync()) },
            tokenMean: token.mean.arraySync(),
            tokenVariance: token.variance.arraySync(),
          };
        });
        const first = values[0]![0]![f]!;
        const bnPadded = (first - result.padded.mean[f]!) / Math.sqrt(result.padded.variance[f]! + EPS);
        const bnMasked = (first - result.masked.mean[f]!) / Math.sqrt(result.masked.variance[f]! + EPS);
        const ln = (first - result.tokenMean[0]![0]!) / Math.sqrt(result.tokenVariance[0]![0]! + EPS);

        const cells = values.flatMap((row, s) => row.map((v, p) => ({ sequence: `${s + 1}`, position: p + 1, value: v[f]!, pad: p >= lengths[s]!, lnStd: Math.sqrt(result.tokenVariance[s]![p]!) })));
        showChart(
          plots.grid,
          Plot.plot({
            width: plotWidth(plots.grid),
            height: 220,
            marginLeft: 70,
            marginBottom: MARGIN_FOR_X_LABEL,
            style: PLOT_STYLE,
            // On a phone every other position is labelled: 10, 11 and 12 ran into one another.
            x: { label: 'position in the sequence', tickFormat: (d: number) => String(d), ticks: plotWidth(plots.grid) < 480 ? Array.from({ length: Math.ceil(MAX_LENGTH / 2) }, (_, i) => 2 * i + 1) : undefined, ...X_LABEL_BELOW },
            y: { label: 'sequence', domain: values.map((_, s) => `${s + 1}`) },
            color: { type: 'diverging', scheme: 'BuRd', domain: [-3, 3], legend: true, label: `feature ${state.feature} (padding: grey)` },
            marks: [
              Plot.cell(cells.filter((d) => !d.pad), { x: 'position', y: 'sequence', fill: 'value', inset: 0.5 }),
              Plot.cell(cells.filter((d) => d.pad), { x: 'position', y: 'sequence', fill: 'currentColor', fillOpacity: 0.12, inset: 0.5 }),
              Plot.text(cells.filter((d) => d.pad), { x: 'position', y: 'sequence', text: () => '·', fill: 'currentColor' }),
            ],
          }),
        );
        const statRows = Array.from({ length: FEATURES }, (_, k) => [
          { feature: k + 1, stat: 'mean', value: result.padded.mean[k]!, how: 'padding counted' },
          { feature: k + 1, stat: 'mean', value: result.masked.mean[k]!, how: 'padding masked' },
          { feature: k + 1, stat: 'standard deviation', value: Math.sqrt(result.padded.variance[k]!), how: 'padding counted' },
          { feature: k + 1, stat: 'standard deviation', value: Math.sqrt(result.masked.variance[k]!), how: 'padding masked' },
        ]).flat();
        const layout = panels(plotWidth(plots.stats), 'stat', ['mean', 'standard deviation'], 220);
        showChart(
          plots.stats,
          Plot.plot({
            width: plotWidth(plots.stats),
            ...layout.options,
            marginLeft: 44,
            marginBottom: MARGIN_FOR_X_LABEL,
            style: PLOT_STYLE,
            x: { label: 'feature', tickFormat: (d: number) => String(d), ...X_LABEL_BELOW },
            // The panels' titles (mean, standard deviation) say what the y axis is; a label there collided with them.
            y: { label: null, grid: true },
            color: { legend: true, domain: ['padding counted', 'padding masked'], range: ['var(--nobn)', 'var(--bn)'] },
            marks: [Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.3 }), Plot.dot(statRows, { x: 'feature', y: 'value', stroke: 'how', fill: 'how', symbol: 'how', r: 4, ...layout.facet }), ...layout.labels],
          }),
        );
        const padCount = mask.flat().filter((v) => v === 0).length;
        const total = SEQUENCES * MAX_LENGTH;
        plots.grid.setAttribute('aria-label', `Lengths ${lengths.join(', ')}: ${padCount} of ${total} positions are padding.`);
        plots.stats.setAttribute(
          'aria-label',
          `Feature ${state.feature}: mean ${formatNumber(result.padded.mean[f]!, 3)} with the padding counted, ${formatNumber(result.masked.mean[f]!, 3)} with it masked; standard deviation ${formatNumber(Math.sqrt(result.padded.variance[f]!), 3)} against ${formatNumber(Math.sqrt(result.masked.variance[f]!), 3)}.`,
        );
        ctx.out('padding').value = `${padCount} of ${total} positions (${Math.round((100 * padCount) / total)}%)`;
        ctx.out('bn-padded').value = formatNumber(bnPadded, 4);
        ctx.out('bn-masked').value = formatNumber(bnMasked, 4);
        ctx.out('ln').value = formatNumber(ln, 4);
        root.dataset.lengths = lengths.join(',');
        root.dataset.firstToken = values[0]![0]!.join(',');
        root.dataset.featureValues = values.flatMap((row, s) => row.filter((_, p) => p < lengths[s]!).map((v) => v[f]!)).join(',');
      },
    };
  });
