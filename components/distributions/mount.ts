import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormTrain } from '../../src/lib/bn';
import { LiveHistogram } from '../../src/lib/plot/histogram';
import { plotWidth } from '../../src/lib/plot/mount';
import { sampleActivations, seededRng } from '../../src/lib/data/random';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { schema } from './schema';

const DOMAINS = { input: [-20, 20], normalized: [-5, 5], output: [-15, 15] } as const;
const PANELS = ['input', 'normalized', 'output'] as const;

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const plots = Object.fromEntries(PANELS.map((p) => [p, ctx.el(`[data-plot="${p}"]`)])) as Record<(typeof PANELS)[number], HTMLElement>;
    const histograms = Object.fromEntries(PANELS.map((p) => [p, new LiveHistogram(plots[p])])) as Record<(typeof PANELS)[number], LiveHistogram>;
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
        for (const [name, values, label, color] of panels) {
          if (!batchChanged && name !== 'output') continue;
          const { offAxis, mean, std } = histograms[name].draw(values, { domain: [...DOMAINS[name]], bins: 40, label, color, width });
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
