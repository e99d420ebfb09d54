import * as Plot from '@observablehq/plot';
import { PLOT_STYLE, plotWidth, showChart } from '../../src/lib/plot/mount';
import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormTrain } from '../../src/lib/bn';
import { ParamProblems, readParams, writeParams } from '../../src/lib/state/url';
import { formatNumber, frameScheduler, inputNamed, need } from '../../src/lib/widget/dom';
import type { Cleanup } from '../../src/lib/widget/lazy';

const DEPTH = 20;
const WIDTH = 32;
const BATCH = 64;
const ACTIVATIONS = ['tanh', 'relu', 'sigmoid'] as const;
type Activation = (typeof ACTIVATIONS)[number];

export async function mount(root: HTMLElement): Promise<Cleanup> {
  const tf = await cpuTf();
  await import('@tensorflow/tfjs-core/dist/register_all_gradients');
  const prefix = root.dataset.prefix ?? 'deep';
  const act = need<HTMLSelectElement>(root, 'select[name="act"]');
  const scaleInput = inputNamed(root, 'scale');
  const plot = need<HTMLElement>(root, '[data-plot="grads"]');
  const out = (k: string) => need<HTMLOutputElement>(root, `[data-out="${k}"]`);
  const p = new ParamProblems();
  const params = readParams(prefix);
  act.value = p.choice(params, 'act', ACTIVATIONS, 'tanh');
  scaleInput.value = String(p.number(params, 'scale', { min: 0.25, max: 4 }, 1));
  let seed = p.number(params, 'seed', { min: 0, max: 2 ** 31, integer: true }, 5);
  need<HTMLElement>(root, '[data-widget-error]').textContent = p.messages.join(' ');

  /** Per-layer weight-gradient norms of a freshly initialized network, with or without BN. */
  const gradientNorms = (withBn: boolean, scale: number, activation: Activation): number[] =>
    tf.tidy(() => {
      const x = tf.randomNormal([BATCH, WIDTH], 0, 1, 'float32', seed);
      const target = tf.randomNormal([BATCH, 1], 0, 1, 'float32', seed + 1);
      const weights = Array.from({ length: DEPTH }, (_, i) => tf.randomNormal([WIDTH, WIDTH], 0, scale / Math.sqrt(WIDTH), 'float32', seed + 10 + i));
      const head = tf.randomNormal([WIDTH, 1], 0, 1 / Math.sqrt(WIDTH), 'float32', seed + 99);
      const nonlinearity = (z: ReturnType<typeof tf.tensor>) => (activation === 'tanh' ? tf.tanh(z) : activation === 'relu' ? tf.relu(z) : tf.sigmoid(z));
      const gamma = tf.ones([WIDTH]);
      const beta = tf.zeros([WIDTH]);
      const loss = (...ws: Array<ReturnType<typeof tf.tensor>>) => {
        let h = x;
        for (const w of ws) {
          let z = tf.matMul(h, w);
          if (withBn) z = batchNormTrain(z, { gamma, beta, eps: 1e-5, validate: false }).y;
          h = nonlinearity(z);
        }
        return tf.mean(tf.square(tf.sub(tf.matMul(h, head), target)));
      };
      const grads = tf.grads(loss)(weights);
      return tf.stack(grads.map((g) => tf.norm(g)));
    }).dataSync() as unknown as number[];

  const draw = (): void => {
    const scale = Number(scaleInput.value);
    const activation = act.value as Activation;
    need(root, '[data-display="scale"]').textContent = String(scale);
    const bn = Array.from(gradientNorms(true, scale, activation));
    const plain = Array.from(gradientNorms(false, scale, activation));
    const data = [
      ...bn.map((v, i) => ({ layer: i + 1, norm: Math.max(v, 1e-12), net: 'with BN' })),
      ...plain.map((v, i) => ({ layer: i + 1, norm: Math.max(v, 1e-12), net: 'without BN' })),
    ];
    const width = plotWidth(plot);
    showChart(plot, 
      Plot.plot({
        width,
        height: 260,
        marginLeft: 56,
        style: PLOT_STYLE,
        x: { domain: [1, DEPTH], label: 'layer (1 = nearest the input)' },
        y: { type: 'log', domain: [1e-10, 1e3], clamp: true, label: 'gradient norm', grid: true },
        color: { legend: true, domain: ['with BN', 'without BN'], range: ['var(--bn)', 'var(--nobn)'] },
        marks: [Plot.lineY(data, { x: 'layer', y: 'norm', stroke: 'net', z: 'net' }), Plot.dot(data, { x: 'layer', y: 'norm', fill: 'net', r: 2.5 })],
      }),
    );
    const ratio = (v: number[]) => formatNumber(v[0]! / Math.max(v[DEPTH - 1]!, 1e-30), 3);
    out('ratio-bn').textContent = ratio(bn);
    out('ratio-plain').textContent = ratio(plain);
    plot.setAttribute('aria-label', `Weight-gradient norm per layer with ${activation}, weight scale ${scale}: with BN from ${formatNumber(bn[0]!, 3)} at layer 1 to ${formatNumber(bn[DEPTH - 1]!, 3)} at layer ${DEPTH}; without BN from ${formatNumber(plain[0]!, 3)} to ${formatNumber(plain[DEPTH - 1]!, 3)}.`);
    writeParams(prefix, { act: activation, scale: String(scale), seed: String(seed) });
    root.dataset.updates = String(Number(root.dataset.updates ?? 0) + 1);
  };
  const frame = frameScheduler(draw);
  const onClick = (e: Event): void => {
    if (!(e.target as HTMLElement).closest('[data-action="resample"]')) return;
    seed += 100;
    frame.schedule();
  };
  root.addEventListener('input', frame.schedule);
  root.addEventListener('change', frame.schedule);
  root.addEventListener('click', onClick);
  draw();
  return () => {
    frame.cancel();
    root.removeEventListener('input', frame.schedule);
    root.removeEventListener('change', frame.schedule);
    root.removeEventListener('click', onClick);
  };
}
