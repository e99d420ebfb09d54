import type * as tfTypes from '@tensorflow/tfjs-core';
import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormTrain, groupNorm, statisticId, statisticSize, type NormKind } from '../../src/lib/bn';
import { loadMnistSample } from '../../src/lib/data/mnist';
import { CHANNEL_NAMES, featureMaps } from '../../src/lib/data/features';
import { LiveHistogram } from '../../src/lib/plot/histogram';
import { plotWidth } from '../../src/lib/plot/mount';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { renderTable } from '../../src/lib/widget/table';
import { schema } from './schema';

/**
 * Column heads are narrower than "horizontal" on a phone, and Chromium on Linux often has no
 * hyphenation dictionary for `hyphens: auto`: soft hyphens at syllable breaks ("hori-zontal")
 * keep the words from breaking mid-syllable or spilling into the next column.
 */
const SOFT_HYPHENS: Record<string, string> = { horizontal: 'hori\u00ADzontal', vertical: 'ver\u00ADtical', diagonal: 'diag\u00ADonal' };
const hyphenable = (text: string): string => text.replace(/\p{L}+/gu, (word) => SOFT_HYPHENS[word] ?? word);

const N = 4;

/** The raw activation block, for readers poking at it from the console and for the browser tests. */
export interface NormAxesElement extends HTMLElement {
  activations?: { shape: [number, number, number, number]; data: Float32Array };
}

function paint(canvas: HTMLCanvasElement, values: Float32Array, scale: number): void {
  const size = Math.sqrt(values.length);
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(size, size);
  values.forEach((v, i) => {
    // Diverging map: blue for negative, orange for positive, white at 0.
    const t = Math.max(-1, Math.min(1, v / scale));
    const [r, g, b] = t >= 0 ? [255, 255 - 140 * t, 255 - 255 * t] : [255 + 225 * t, 255 + 150 * t, 255];
    img.data.set([r, g, b, 255], i * 4);
  });
  ctx.putImageData(img, 0, 0);
}

export const mount = (root: NormAxesElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const sample = await loadMnistSample(location.href);
    const block = ctx.keep(featureMaps(tf, sample.images, N));
    const shape = block.shape as [number, number, number, number];
    const [, H, W, C] = shape;
    root.activations = { shape, data: block.dataSync() as Float32Array };

    const groupsSelect = ctx.el<HTMLSelectElement>('select[name="groups"]');
    const grid = ctx.el('[data-grid]');
    const cells: HTMLCanvasElement[][] = [];
    grid.replaceChildren();
    grid.style.setProperty('--cols', String(C));
    grid.append(document.createElement('span'));
    for (let c = 0; c < C; c++) {
      const head = document.createElement('span');
      head.className = 'map-head';
      head.textContent = hyphenable(CHANNEL_NAMES[c] ?? `channel ${c + 1}`);
      grid.append(head);
    }
    for (let n = 0; n < N; n++) {
      const label = document.createElement('span');
      label.className = 'map-head';
      label.textContent = `example ${n + 1}`;
      grid.append(label);
      cells.push([]);
      for (let c = 0; c < C; c++) {
        const canvas = document.createElement('canvas');
        canvas.className = 'map';
        canvas.dataset.n = String(n);
        canvas.dataset.c = String(c);
        grid.append(canvas);
        cells[n]!.push(canvas);
      }
    }

    const normalize = (kind: NormKind, groups: number): tfTypes.Tensor4D =>
      tf.tidy(() => {
        const affine = { gamma: tf.ones([C]), beta: tf.zeros([C]), eps: 1e-5 };
        if (kind === 'batch') return batchNormTrain(block, affine).y as tfTypes.Tensor4D;
        return groupNorm(block, { ...affine, groups: kind === 'layer' ? 1 : kind === 'instance' ? C : groups });
      });

    const histPlots = { 'hist-before': ctx.el('[data-plot="hist-before"]'), 'hist-after': ctx.el('[data-plot="hist-after"]') };
    const histograms = { 'hist-before': new LiveHistogram(histPlots['hist-before']), 'hist-after': new LiveHistogram(histPlots['hist-after']) };
    /** The per-channel table and the chosen channel's histograms: BatchNorm's view, whatever the kind. */
    const drawChannel = (c0: number): void => {
      const r = tf.tidy(() => {
        const { mean, variance } = tf.moments(block, [0, 1, 2]);
        const y = batchNormTrain(block, { gamma: tf.ones([C]), beta: tf.zeros([C]), eps: 1e-5 }).y;
        const channel = (t: tfTypes.Tensor) => tf.slice(t, [0, 0, 0, c0], [-1, -1, -1, 1]).dataSync() as Float32Array;
        return { means: mean.dataSync(), vars: variance.dataSync(), before: channel(block), after: channel(y) };
      }) as unknown as { means: Float32Array; vars: Float32Array; before: Float32Array; after: Float32Array };
      renderTable(
        ctx.el('[data-table]'),
        `Mean and variance of each channel over N·H·W = ${N * H * W} values`,
        ['channel', 'mean', 'variance'],
        Array.from(r.means, (m, c) => ({ head: `${c + 1}: ${CHANNEL_NAMES[c]}`, cells: [formatNumber(m, 5), formatNumber(r.vars[c]!, 5)], ...(c === c0 ? { className: 'chosen' } : {}) })),
      );
      const width = plotWidth(grid);
      for (const [key, values, label] of [['hist-before', r.before, `channel ${c0 + 1} before BN`], ['hist-after', r.after, `channel ${c0 + 1} after BN`]] as const) {
        const domain: [number, number] = key === 'hist-after' ? [-4, 6] : [Math.min(...values), Math.max(...values) + 1e-6];
        const { mean, std } = histograms[key].draw(values, { domain, bins: 30, label, color: key === 'hist-after' ? 'var(--bn)' : 'var(--nobn)', width, height: 150 });
        histPlots[key].setAttribute('aria-label', `Histogram of ${label}: mean ${formatNumber(mean, 3)}, std ${formatNumber(std, 3)}`);
      }
    };

    return {
      draw(state) {
        const { kind } = state;
        const groups = Number(state.groups);
        const n0 = Number(state.n);
        const c0 = Number(state.c);
        groupsSelect.disabled = kind !== 'group';
        const target = statisticId(kind, shape, groups, n0, c0);
        const inSet = (n: number, c: number) => statisticId(kind, shape, groups, n, c) === target;
        const shown = state.normalized ? normalize(kind, groups) : block;
        const maps = tf.tidy(() => tf.unstack(tf.transpose(shown, [0, 3, 1, 2])).map((e) => tf.unstack(e)));
        const scale = tf.tidy(() => tf.max(tf.abs(shown)).dataSync()[0]!) || 1;
        maps.forEach((row, n) =>
          row.forEach((m, c) => {
            const canvas = cells[n]![c]!;
            paint(canvas, m.dataSync() as Float32Array, scale);
            canvas.classList.toggle('in-set', inSet(n, c));
            canvas.setAttribute('aria-label', `example ${n + 1}, ${CHANNEL_NAMES[c]}${inSet(n, c) ? ', shares the statistic' : ''}`);
          }),
        );
        tf.dispose(maps.flat());
        if (shown !== block) shown.dispose();
        // The highlighted set's statistics, from a mask over the whole block.
        const stats = tf.tidy(() => {
          const mask = tf.tensor4d(
            Array.from({ length: N * C }, (_, i) => (inSet(Math.floor(i / C), i % C) ? 1 : 0)),
            [N, 1, 1, C],
          );
          const weights = tf.mul(tf.ones(shape), mask);
          const count = tf.sum(weights);
          const mean = tf.div(tf.sum(tf.mul(block, weights)), count);
          const variance = tf.div(tf.sum(tf.mul(tf.square(tf.sub(block, mean)), weights)), count);
          return tf.stack([count, mean, variance]).dataSync();
        });
        const size = statisticSize(kind, shape, groups);
        if (stats[0] !== size) throw new Error(`highlighted ${stats[0]} elements, expected ${size}`);
        ctx.out('size').textContent = `${size} (${kind === 'batch' ? `N·H·W = ${N}·${H}·${W}` : kind === 'layer' ? `H·W·C = ${H}·${W}·${C}` : kind === 'instance' ? `H·W = ${H}·${W}` : `H·W·C/G = ${H}·${W}·${C}/${groups}`})`;
        ctx.out('mean').textContent = formatNumber(stats[1]!);
        ctx.out('var').textContent = formatNumber(stats[2]!);
        grid.setAttribute('aria-label', `Feature maps, ${N} examples by ${C} channels; ${size} activations in ${kind === 'batch' ? `channel ${c0 + 1} across all examples` : kind === 'layer' ? `example ${n0 + 1}, all channels` : kind === 'instance' ? `example ${n0 + 1}, channel ${c0 + 1}` : `example ${n0 + 1}, the group of channel ${c0 + 1}`} share mean ${formatNumber(stats[1]!, 4)} and variance ${formatNumber(stats[2]!, 4)}`);
        drawChannel(c0);
      },
    };
  });
