import * as Plot from '@observablehq/plot';
import { ghostBatchStats, syncedStats } from '../../src/lib/bn';
import { ddpRunningAverages, unbiased } from '../../src/lib/bn/ddp-buffers';
import { FEATURE_CHANNELS, featureMaps } from '../../src/lib/data/features';
import { loadMnistSample } from '../../src/lib/data/mnist';
import { seededRng } from '../../src/lib/data/random';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plotWidth, showChart } from '../../src/lib/plot/mount';
import { cpuTf } from '../../src/lib/tf/cpu';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { DDP_BATCH, DDP_MOMENTUM, DDP_STEPS, schema } from './schema';

const LINES = ['DDP default: device 0 (saved)', 'broadcast_buffers=False: each device', 'SyncBN'];
const POSITIONS = 14 * 14;

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const sample = await loadMnistSample(location.href);
    const maps = ctx.keep(featureMaps(tf, sample.images, sample.count));
    const population = tf.tidy(() => Array.from(tf.moments(maps, [0, 1, 2]).variance.dataSync()));
    const plot = ctx.el('[data-plot="running"]');

    return {
      draw(state) {
        const g = Number(state.g);
        const c = Number(state.c);
        const rng = seededRng(state.seed);
        const perDevice = DDP_BATCH / g;
        const slices: number[][] = [];
        const global: number[] = [];
        tf.tidy(() => {
          for (let t = 0; t < DDP_STEPS; t++) {
            const picked = Array.from({ length: DDP_BATCH }, () => Math.floor(rng() * sample.count));
            const ghost = ghostBatchStats(tf.gather(maps, picked), g);
            const variances = ghost.variances.dataSync();
            slices.push(Array.from({ length: g }, (_, k) => unbiased(variances[k * FEATURE_CHANNELS + c]!, perDevice * POSITIONS)));
            global.push(unbiased(syncedStats(ghost).variance.dataSync()[c]!, DDP_BATCH * POSITIONS));
          }
        });
        const initial = 1;
        const broadcast = ddpRunningAverages(slices, global, 'broadcast', DDP_MOMENTUM, initial);
        const local = ddpRunningAverages(slices, global, 'local', DDP_MOMENTUM, initial);
        const sync = ddpRunningAverages(slices, global, 'sync', DDP_MOMENTUM, initial);
        const target = population[c]!;

        const rows = [
          ...local.flatMap((h, t) => h.map((v, k) => ({ step: t + 1, value: v, line: LINES[1]!, device: `d${k}` }))),
          ...broadcast.map((h, t) => ({ step: t + 1, value: h[0]!, line: LINES[0]!, device: 'd0' })),
          ...sync.map((h, t) => ({ step: t + 1, value: h[0]!, line: LINES[2]!, device: 'sync' })),
        ];
        const last = local.at(-1)!;
        const lo = Math.min(target, ...last, broadcast.at(-1)![0]!, sync.at(-1)![0]!);
        const hi = Math.max(target, ...last, broadcast.at(-1)![0]!, sync.at(-1)![0]!);
        showChart(
          plot,
          Plot.plot({
            width: plotWidth(plot),
            height: 270,
            marginLeft: 56,
            marginBottom: MARGIN_FOR_X_LABEL,
            style: PLOT_STYLE,
            x: { label: 'step', domain: [10, DDP_STEPS], ...X_LABEL_BELOW },
            y: { label: 'running variance', grid: true, domain: [lo - 0.25 * (hi - lo), hi + 0.25 * (hi - lo)] },
            color: { legend: true, domain: LINES, range: ['var(--nobn)', 'currentColor', 'var(--bn)'] },
            marks: [
              Plot.ruleY([target], { stroke: 'currentColor', strokeDasharray: '4,3', strokeOpacity: 0.7 }),
              Plot.lineY(rows.filter((r) => r.line === LINES[1] && r.step >= 10), { x: 'step', y: 'value', z: 'device', stroke: 'line', strokeOpacity: 0.25, strokeWidth: 1 }),
              Plot.lineY(rows.filter((r) => r.line !== LINES[1] && r.step >= 10), { x: 'step', y: 'value', stroke: 'line', strokeWidth: 2.5 }),
            ],
          }),
        );
        const saved = broadcast.at(-1)![0]!;
        const synced = sync.at(-1)![0]!;
        ctx.out('population').value = formatNumber(target, 4);
        ctx.out('broadcast').value = `${formatNumber(saved, 4)} (${formatNumber((100 * (saved - target)) / target, 2)}%)`;
        ctx.out('local').value = `${formatNumber(Math.min(...last), 4)} to ${formatNumber(Math.max(...last), 4)}`;
        ctx.out('sync').value = `${formatNumber(synced, 4)} (${formatNumber((100 * (synced - target)) / target, 2)}%)`;
        plot.setAttribute(
          'aria-label',
          `Running variances over ${DDP_STEPS} steps on ${g} devices: device 0's under DDP's default ends at ${formatNumber(saved, 3)}, SyncBN's at ${formatNumber(synced, 3)}, the variance over all digits (dashed) is ${formatNumber(target, 3)}; without broadcasting the devices end between ${formatNumber(Math.min(...last), 3)} and ${formatNumber(Math.max(...last), 3)}.`,
        );
        root.dataset.saved = String(saved);
        root.dataset.synced = String(synced);
        root.dataset.population = String(target);
      },
      resizes: plot,
    };
  });
