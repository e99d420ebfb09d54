import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormTrain } from '../../src/lib/bn';
import { LiveHistogram } from '../../src/lib/plot/histogram';
import { plotWidth } from '../../src/lib/plot/mount';
import { sampleActivations, seededRng } from '../../src/lib/data/random';
import { formatNumber } from '../../src/lib/widget/dom';
import { meanAndStd } from '../../src/lib/widget/summary';
import { mountWidget } from '../../src/lib/widget/runtime';
import { schema } from './schema';

const PANELS = ['input', 'normalized', 'output'] as const;
const BINS = 40;
/** Half-widths the shared x-axis snaps to, so it moves in a few clear steps instead of with every drag. */
const HALF_WIDTHS = [1, 2, 3, 5, 8, 10, 15, 20, 30, 50];

/** The bins span the panel's own values (clipped to the axis), never less than 1/1000 of the axis. */
function binRange(values: ArrayLike<number>, [lo, hi]: [number, number]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v >= lo && v <= hi) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (!(min <= max)) return [lo, hi];
  const least = (hi - lo) / 1000;
  if (max - min < least) return [Math.max(lo, (min + max) / 2 - least / 2), Math.min(hi, (min + max) / 2 + least / 2)];
  return [min, max];
}

/**
 * One x-axis for the three histograms, so that x, x̂ and y are drawn to the same scale (x̂ no longer
 * looks wider than an x that is three times as spread): symmetric about 0, wide enough for every
 * panel's mean ± 4 std, from a short ladder of round half-widths.
 */
export function sharedDomain(panels: ReadonlyArray<{ mean: number; std: number }>): [number, number] {
  const reach = Math.max(...panels.map(({ mean, std }) => Math.abs(mean) + 4 * std));
  const half = HALF_WIDTHS.find((h) => h >= reach) ?? HALF_WIDTHS.at(-1)!;
  return [-half, half];
}

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const plots = Object.fromEntries(PANELS.map((p) => [p, ctx.el(`[data-plot="${p}"]`)])) as Record<(typeof PANELS)[number], HTMLElement>;
    const histograms = Object.fromEntries(PANELS.map((p) => [p, new LiveHistogram(plots[p])])) as Record<(typeof PANELS)[number], LiveHistogram>;
    let lastHalfWidth = 0;
    return {
      resizes: plots.input,
      draw(state, changes) {
        const started = performance.now();
        // γ and β only move the last panel; every other parameter changes the batch itself.
        const batchChanged = (Object.keys(schema.params) as Array<keyof typeof schema.params>).some((k) => k !== 'gamma' && k !== 'beta' && changes.has(k));
        const x = sampleActivations(state.batch, state, seededRng(state.seed));
        const { normalized, output } = tf.tidy(() => {
          const input = tf.tensor2d(x, [state.batch, 1]);
          // One pass gives both panels (x̂ and y). The sampler and the schema's bounds guarantee
          // finite input and in-range γ, β, ε, so the library's value checks (readbacks) are
          // skipped to keep a drag under a frame.
          const bn = batchNormTrain(input, { gamma: tf.tensor1d([state.gamma]), beta: tf.tensor1d([state.beta]), eps: 10 ** state.logeps, validate: false });
          return { normalized: bn.xHat.dataSync() as Float32Array, output: bn.y.dataSync() as Float32Array };
        });
        const computed = performance.now();
        const width = plotWidth(plots.input, { min: 240 });
        const panels = [
          ['input', x, 'activation x', 'var(--nobn)'],
          ['normalized', normalized, 'normalized x̂', 'var(--bn)'],
          ['output', output, 'output y = γx̂ + β', 'var(--ok)'],
        ] as const;
        const domain = sharedDomain(panels.map(([, values]) => meanAndStd(values)));
        const domainChanged = domain[1] !== lastHalfWidth;
        lastHalfWidth = domain[1];
        for (const [name, values, label, color] of panels) {
          if (!batchChanged && !domainChanged && name !== 'output') continue;
          const { offAxis, mean, std } = histograms[name].draw(values, { domain, binRange: binRange(values, domain), bins: BINS, label, color, width });
          const outside = offAxis ? `; ${offAxis} value${offAxis === 1 ? '' : 's'} off the axis` : '';
          const summary = `mean ${formatNumber(mean, 4)}, std ${formatNumber(std, 4)}${outside}`;
          ctx.out(`${name}-stats`).textContent = summary;
          plots[name].setAttribute('aria-label', `Histogram of ${label} for a batch of ${state.batch}: ${summary}`);
        }
        const ended = performance.now();
        ctx.out('timing').textContent = `${(ended - started).toFixed(1)} ms: ${(computed - started).toFixed(1)} to sample and normalize, ${(ended - computed).toFixed(1)} to draw`;
      },
    };
  });
