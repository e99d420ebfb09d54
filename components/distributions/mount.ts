import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormTrain } from '../../src/lib/bn';
import { LiveHistogram } from '../../src/lib/plot/histogram';
import { plotWidth } from '../../src/lib/plot/mount';
import { sampleActivations, seededRng, type PopulationShape } from '../../src/lib/data/random';
import { readParams, writeParams, ParamProblems } from '../../src/lib/state/url';
import { frameScheduler, formatNumber, inputNamed, need } from '../../src/lib/widget/dom';
import type { Cleanup } from '../../src/lib/widget/lazy';

interface State extends PopulationShape {
  batch: number;
  gamma: number;
  beta: number;
  logeps: number;
  seed: number;
}

const RULES = {
  mean: { min: -5, max: 5 },
  spread: { min: 0.1, max: 5 },
  skew: { min: -8, max: 8 },
  outliers: { min: 0, max: 0.2 },
  batch: { min: 2, max: 1024, integer: true },
  gamma: { min: -3, max: 3 },
  beta: { min: -3, max: 3 },
  logeps: { min: -8, max: 0, integer: true },
  seed: { min: 0, max: 2 ** 31, integer: true },
} as const;
type Key = keyof typeof RULES;
const SLIDERS: Key[] = ['mean', 'spread', 'skew', 'outliers', 'batch', 'gamma', 'beta', 'logeps'];

const DOMAINS = { input: [-20, 20], normalized: [-5, 5], output: [-15, 15] } as const;

export async function mount(root: HTMLElement): Promise<Cleanup> {
  const tf = await cpuTf();
  const prefix = root.dataset.prefix ?? 'dist';
  const problems = new ParamProblems();
  const params = readParams(prefix);
  const state = {} as State;
  for (const key of Object.keys(RULES) as Key[]) {
    const fallback = key === 'seed' ? 1 : Number(inputNamed(root, key).value);
    state[key] = problems.number(params, key, RULES[key], fallback);
  }
  const error = need<HTMLElement>(root, '[data-widget-error]');
  error.textContent = problems.messages.join(' ');

  const plots = {
    input: need<HTMLElement>(root, '[data-plot="input"]'),
    normalized: need<HTMLElement>(root, '[data-plot="normalized"]'),
    output: need<HTMLElement>(root, '[data-plot="output"]'),
  };
  const histograms = { input: new LiveHistogram(plots.input), normalized: new LiveHistogram(plots.normalized), output: new LiveHistogram(plots.output) };
  const out = (name: string) => need<HTMLOutputElement>(root, `[data-out="${name}"]`);
  const display = (name: string) => need<HTMLOutputElement>(root, `[data-display="${name}"]`);

  const syncControls = (): void => {
    for (const key of SLIDERS) {
      inputNamed(root, key).value = String(state[key]);
      display(key).textContent = key === 'logeps' ? `1e${state.logeps}` : String(state[key]);
    }
  };

  // γ and β only move the last panel; every other control changes the batch itself.
  const OUTPUT_ONLY: Key[] = ['gamma', 'beta'];
  let stalePanels: 'all' | 'output' = 'all';
  // The link is rewritten once per drawn frame, not on every input event of a drag.
  let urlStale = false;

  const draw = (): void => {
    const started = performance.now();
    const redraw = stalePanels;
    stalePanels = 'output';
    const x = sampleActivations(state.batch, state, seededRng(state.seed));
    const { normalized, output } = tf.tidy(() => {
      const input = tf.tensor2d(x, [state.batch, 1]);
      // One pass gives both panels (x̂ and y). The sampler and the validated sliders guarantee
      // finite input and in-range γ, β, ε, so the library's value checks (readbacks) are skipped
      // to keep a drag under a frame.
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
      if (redraw === 'output' && name !== 'output') continue;
      const { offAxis, mean, std } = histograms[name].draw(values, { domain: [...DOMAINS[name]], bins: 40, label, color, width });
      const outside = offAxis ? `; ${offAxis} value${offAxis === 1 ? '' : 's'} off the axis` : '';
      const summary = `mean ${formatNumber(mean, 4)}, std ${formatNumber(std, 4)}${outside}`;
      out(`${name}-stats`).textContent = summary;
      plots[name].setAttribute('aria-label', `Histogram of ${label} for a batch of ${state.batch}: ${summary}`);
    }
    const ended = performance.now();
    out('timing').textContent = `${(ended - started).toFixed(1)} ms: ${(computed - started).toFixed(1)} to sample and normalize, ${(ended - computed).toFixed(1)} to draw`;
    root.dataset.updates = String(Number(root.dataset.updates ?? 0) + 1);
    if (urlStale) {
      urlStale = false;
      writeParams(prefix, Object.fromEntries(Object.entries(state).map(([k, v]) => [k, String(v)])));
    }
  };

  const frame = frameScheduler(draw);
  const onInput = (event: Event): void => {
    const target = event.target as HTMLInputElement;
    const key = target.name as Key;
    if (!SLIDERS.includes(key)) return;
    state[key] = Number(target.value);
    if (!OUTPUT_ONLY.includes(key)) stalePanels = 'all';
    display(key).textContent = key === 'logeps' ? `1e${state.logeps}` : target.value;
    urlStale = true;
    frame.schedule();
  };
  const onClick = (event: Event): void => {
    if (!(event.target as HTMLElement).closest('[data-action="resample"]')) return;
    state.seed = (state.seed * 1103515245 + 12345) % 2 ** 31;
    stalePanels = 'all';
    urlStale = true;
    frame.schedule();
  };
  const resize = new ResizeObserver(() => {
    stalePanels = 'all';
    frame.schedule();
  });
  root.addEventListener('input', onInput);
  root.addEventListener('click', onClick);
  resize.observe(plots.input);
  syncControls();
  draw();
  return () => {
    frame.cancel();
    resize.disconnect();
    root.removeEventListener('input', onInput);
    root.removeEventListener('click', onClick);
  };
}
