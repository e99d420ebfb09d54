import * as Plot from '@observablehq/plot';
import type { Tensor } from '@tensorflow/tfjs-core';
import { ghostBatchStats, syncedStats } from '../../src/lib/bn';
import { loadMnistSample } from '../../src/lib/data/mnist';
import { FEATURE_CHANNELS, featureMaps } from '../../src/lib/data/features';
import { seededRng } from '../../src/lib/data/random';
import { logAxisX } from '../../src/lib/plot/log-axis';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plotWidth, showChart } from '../../src/lib/plot/mount';
import { cpuTf } from '../../src/lib/tf/cpu';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { meanAndStd } from '../../src/lib/widget/summary';
import { GHOST_BATCH, GHOST_COUNTS, schema } from './schema';

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const sample = await loadMnistSample(location.href);
    const maps = ctx.keep(featureMaps(tf, sample.images, sample.count));
    const plots = { ghosts: ctx.el('[data-plot="ghosts"]'), spread: ctx.el('[data-plot="spread"]') };

    return {
      draw(state) {
        const g = Number(state.g);
        const c = Number(state.c);
        // A seeded batch of GHOST_BATCH distinct images; devices take consecutive slices of it.
        const rng = seededRng(state.seed);
        const pool = Array.from({ length: sample.count }, (_, i) => i);
        const picked = Array.from({ length: GHOST_BATCH }, () => pool.splice(Math.floor(rng() * pool.length), 1)[0]!);
        const perCount = tf.tidy(() => {
          const batch = tf.gather(maps, picked);
          return GHOST_COUNTS.map((count) => {
            const ghost = ghostBatchStats(batch, count);
            const synced = syncedStats(ghost);
            const pick = (t: Tensor) => Array.from(t.dataSync()).filter((_, i) => i % FEATURE_CHANNELS === c);
            return { count, means: pick(ghost.means), stds: pick(ghost.variances).map(Math.sqrt), mean: synced.mean.dataSync()[c]!, std: Math.sqrt(synced.variance.dataSync()[c]!) };
          });
        });
        const whole = perCount[0]!;
        const chosen = perCount.find((r) => r.count === g)!;
        const spreadRows = perCount.map((r) => ({ count: r.count, mean: meanAndStd(r.means).std / whole.std, std: meanAndStd(r.stds).std / whole.std }));

        const ghostRows = chosen.means.flatMap((m, k) => [
          { device: k + 1, value: m, stat: 'mean' },
          { device: k + 1, value: chosen.stds[k]!, stat: 'standard deviation' },
        ]);
        const wholeRows = [
          { value: chosen.mean, stat: 'mean' },
          { value: chosen.std, stat: 'standard deviation' },
        ];
        // One strip per statistic, each on its own scale, fixed by the widest scatter (128 devices
        // of 2 images), so that more devices visibly spread the dots.
        const widest = perCount.at(-1)!;
        const range = (values: number[]) => [Math.min(...values), Math.max(...values)];
        const domains: Record<string, number[]> = { mean: range(widest.means), 'standard deviation': range(widest.stds) };
        const strip = (stat: string, label: string) =>
          Plot.plot({
            width: plotWidth(plots.ghosts),
            // Room above the dots for the SyncBN label, below the ticks for the axis label.
            height: 100,
            marginTop: 28,
            marginLeft: 20,
            marginRight: 20,
            marginBottom: MARGIN_FOR_X_LABEL,
            style: PLOT_STYLE,
            x: { label, grid: true, domain: domains[stat], nice: true, ...X_LABEL_BELOW },
            y: { axis: null },
            marks: [
              Plot.dot(ghostRows.filter((d) => d.stat === stat), { x: 'value', stroke: 'var(--nobn)', r: 4, strokeOpacity: 0.8 }),
              Plot.tickX(wholeRows.filter((d) => d.stat === stat), { x: 'value', stroke: 'var(--bn)', strokeWidth: 3 }),
              Plot.text(wholeRows.filter((d) => d.stat === stat), { x: 'value', text: () => 'SyncBN', dy: -20, fill: 'var(--bn)' }),
            ],
          });
        const both = document.createElement('div');
        both.append(strip('mean', `channel ${c + 1}: each device's mean`), strip('standard deviation', `channel ${c + 1}: each device's standard deviation`));
        showChart(plots.ghosts, both);
        showChart(
          plots.spread,
          Plot.plot({
            width: plotWidth(plots.spread),
            height: 220,
            marginLeft: 56,
            marginBottom: MARGIN_FOR_X_LABEL,
            style: PLOT_STYLE,
            x: { type: 'log' },
            y: { label: 'spread across devices (÷ whole-batch std)', grid: true },
            color: { legend: true, domain: ['device means', 'device standard deviations'], range: ['var(--bn)', 'var(--nobn)'] },
            marks: [
              logAxisX(GHOST_COUNTS, { label: 'devices g (batch 256 split g ways)', ...X_LABEL_BELOW }),
              Plot.lineY(spreadRows, { x: 'count', y: 'mean', stroke: () => 'device means' }),
              Plot.lineY(spreadRows, { x: 'count', y: 'std', stroke: () => 'device standard deviations' }),
              Plot.dot(spreadRows.filter((r) => r.count === g), { x: 'count', y: 'mean', r: 5, fill: 'var(--bn)' }),
              Plot.dot(spreadRows.filter((r) => r.count === g), { x: 'count', y: 'std', r: 5, fill: 'var(--nobn)' }),
            ],
          }),
        );
        const chosenSpread = spreadRows.find((r) => r.count === g)!;
        plots.ghosts.setAttribute('aria-label', `${g} devices: their means range from ${formatNumber(Math.min(...chosen.means), 3)} to ${formatNumber(Math.max(...chosen.means), 3)}; the whole batch's mean is ${formatNumber(chosen.mean, 4)}.`);
        plots.spread.setAttribute('aria-label', `The spread of the device means grows from 0 with one device to ${formatNumber(spreadRows.at(-1)!.mean, 3)} whole-batch standard deviations with ${GHOST_COUNTS.at(-1)} devices of 2 images.`);
        ctx.out('per-device').value = String(GHOST_BATCH / g);
        ctx.out('whole').value = `${formatNumber(chosen.mean, 4)}, ${formatNumber(chosen.std, 4)}`;
        ctx.out('spread').value = formatNumber(chosenSpread.mean, 3);
        ctx.out('sync').value = g === 1 ? 'nothing (one device)' : '2 numbers per channel, each way';
        root.dataset.deviceMeans = chosen.means.join(',');
        root.dataset.batch = picked.join(',');
      },
    };
  });
