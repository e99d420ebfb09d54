import * as Plot from '@observablehq/plot';
import { PLOT_STYLE, plotWidth, showChart } from '../../src/lib/plot/mount';
import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormTrain, batchWeight, updateRunningStats, type Convention, type RunningStats } from '../../src/lib/bn';
import { sampleActivations, seededRng } from '../../src/lib/data/random';
import { ParamProblems, readParams, writeParams } from '../../src/lib/state/url';
import { formatNumber, frameScheduler, inputNamed, need } from '../../src/lib/widget/dom';
import type { Cleanup } from '../../src/lib/widget/lazy';
import { meanAndStd } from '../../src/lib/widget/summary';

const STEPS = 300;
const DEFAULT_MOMENTUM: Record<Convention, number> = { pytorch: 0.1, keras: 0.99 };

export async function mount(root: HTMLElement): Promise<Cleanup> {
  const tf = await cpuTf();
  const prefix = root.dataset.prefix ?? 'ra';
  const convention = need<HTMLSelectElement>(root, 'select[name="convention"]');
  const bessel = inputNamed(root, 'bessel');
  const plots = { mean: need<HTMLElement>(root, '[data-plot="mean"]'), variance: need<HTMLElement>(root, '[data-plot="variance"]') };
  const out = (k: string) => need<HTMLOutputElement>(root, `[data-out="${k}"]`);
  const sliders = ['momentum', 'batch', 'mean', 'std'] as const;
  const p = new ParamProblems();
  const params = readParams(prefix);
  convention.value = p.choice(params, 'convention', ['pytorch', 'keras'] as const, 'pytorch');
  const rules = { momentum: { min: 0.01, max: 0.99 }, batch: { min: 2, max: 64, integer: true }, mean: { min: -3, max: 3 }, std: { min: 0.2, max: 3 } };
  for (const s of sliders) inputNamed(root, s).value = String(p.number(params, s, rules[s], Number(inputNamed(root, s).value)));
  if (params.bessel !== undefined) bessel.checked = params.bessel !== '0';
  let seed = p.number(params, 'seed', { min: 0, max: 2 ** 31, integer: true }, 7);
  need<HTMLElement>(root, '[data-widget-error]').textContent = p.messages.join(' ');

  const draw = (): void => {
    const value = (s: (typeof sliders)[number]) => Number(inputNamed(root, s).value);
    for (const s of sliders) need(root, `[data-display="${s}"]`).textContent = String(value(s));
    const conv = convention.value as Convention;
    const state = { momentum: value('momentum'), batch: value('batch'), mean: value('mean'), std: value('std') };
    const rng = seededRng(seed);
    let running: RunningStats = { mean: tf.zeros([1]), variance: tf.ones([1]), batches: 0 };
    const trace: Array<{ step: number; mean: number; variance: number }> = [];
    for (let step = 1; step <= STEPS; step++) {
      const x = sampleActivations(state.batch, { mean: state.mean, spread: state.std, skew: 0, outliers: 0 }, rng);
      const batchStats = tf.tidy(() => {
        const r = batchNormTrain(tf.tensor2d(x, [state.batch, 1]), { gamma: tf.ones([1]), beta: tf.zeros([1]), eps: 1e-5, validate: false });
        return { mean: r.mean, varianceBiased: r.varianceBiased, varianceUnbiased: r.varianceUnbiased };
      });
      const next = updateRunningStats(running, batchStats, { convention: conv, momentum: state.momentum, variance: bessel.checked ? 'unbiased' : 'biased' });
      tf.dispose(batchStats);
      tf.dispose([running.mean, running.variance]);
      running = next;
      trace.push({ step, mean: running.mean.dataSync()[0]!, variance: running.variance.dataSync()[0]! });
    }
    tf.dispose([running.mean, running.variance]);
    const trueVar = state.std ** 2;
    const width = plotWidth(plots.mean);
    const common = { width, height: 190, marginLeft: 44, style: PLOT_STYLE, x: { domain: [0, STEPS], label: 'step' } };
    showChart(plots.mean, 
      Plot.plot({ ...common, y: { domain: [-4, 4], label: 'running mean', grid: true }, marks: [Plot.ruleY([state.mean], { stroke: 'var(--ok)', strokeDasharray: '5,3' }), Plot.lineY(trace, { x: 'step', y: 'mean', stroke: 'var(--bn)' })] }),
    );
    const expectedBiased = (trueVar * (state.batch - 1)) / state.batch;
    showChart(plots.variance, 
      Plot.plot({
        ...common,
        y: { domain: [0, 12], label: 'running variance', grid: true, clamp: true },
        marks: [
          Plot.ruleY([trueVar], { stroke: 'var(--ok)', strokeDasharray: '5,3' }),
          bessel.checked ? null : Plot.ruleY([expectedBiased], { stroke: 'var(--nobn)', strokeDasharray: '2,3' }),
          Plot.lineY(trace, { x: 'step', y: 'variance', stroke: 'var(--bn)' }),
        ],
      }),
    );
    const tail = trace.slice(-100);
    const avgVar = meanAndStd(tail.map((t) => t.variance)).mean;
    const meanNoise = meanAndStd(tail.map((t) => t.mean)).std;
    const w = batchWeight({ convention: conv, momentum: state.momentum }, 1);
    out('weight').textContent = `${formatNumber(w, 3)} (remembers about ${Math.round(1 / w)} batches)`;
    out('final-var').textContent = formatNumber(avgVar, 4);
    out('true-var').textContent = `${formatNumber(trueVar, 4)}${bessel.checked ? '' : `; the biased estimate averages ${formatNumber(expectedBiased, 4)} = σ²·(n−1)/n`}`;
    out('noise').textContent = formatNumber(meanNoise, 3);
    plots.mean.setAttribute('aria-label', `Running mean over ${STEPS} steps, converging toward the population mean ${state.mean}; last value ${formatNumber(trace.at(-1)!.mean, 4)}`);
    plots.variance.setAttribute('aria-label', `Running variance over ${STEPS} steps; population variance ${formatNumber(trueVar, 4)}, average of the last 100 steps ${formatNumber(avgVar, 4)}`);
    writeParams(prefix, { convention: conv, ...Object.fromEntries(Object.entries(state).map(([k, v]) => [k, String(v)])), bessel: bessel.checked ? '1' : '0', seed: String(seed) });
    root.dataset.updates = String(Number(root.dataset.updates ?? 0) + 1);
  };
  const frame = frameScheduler(draw);
  const onInput = (e: Event): void => {
    if ((e.target as HTMLElement) === convention) {
      // Each convention's momentum means the opposite thing; switch to its default.
      inputNamed(root, 'momentum').value = String(DEFAULT_MOMENTUM[convention.value as Convention]);
    }
    frame.schedule();
  };
  const onClick = (e: Event): void => {
    if (!(e.target as HTMLElement).closest('[data-action="resample"]')) return;
    seed = (seed * 48271) % 2147483647;
    frame.schedule();
  };
  root.addEventListener('input', onInput);
  root.addEventListener('change', onInput);
  root.addEventListener('click', onClick);
  draw();
  return () => {
    frame.cancel();
    root.removeEventListener('input', onInput);
    root.removeEventListener('change', onInput);
    root.removeEventListener('click', onClick);
  };
}
