import * as Plot from '@observablehq/plot';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plotWidth, powerOfTen, showChart } from '../../src/lib/plot/mount';
import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormTrain } from '../../src/lib/bn';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { schema } from './schema';

const DEPTH = 20;
const WIDTH = 32;
const BATCH = 64;
const FLOOR = 1e-10;
const CEILING = 1e10;

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    await import('@tensorflow/tfjs-core/dist/register_all_gradients');
    const plot = ctx.el('[data-plot="grads"]');

    /** Per-layer weight-gradient norms of a freshly initialized network, with or without BN. */
    const gradientNorms = (withBn: boolean, { scale, act, seed }: typeof ctx.state): number[] =>
      tf.tidy(() => {
        // Both networks draw the same inputs, targets and weights from the seed.
        const x = tf.randomNormal([BATCH, WIDTH], 0, 1, 'float32', seed);
        const target = tf.randomNormal([BATCH, 1], 0, 1, 'float32', seed + 1);
        const weights = Array.from({ length: DEPTH }, (_, i) => tf.randomNormal([WIDTH, WIDTH], 0, scale / Math.sqrt(WIDTH), 'float32', seed + 10 + i));
        const head = tf.randomNormal([WIDTH, 1], 0, 1 / Math.sqrt(WIDTH), 'float32', seed + 99);
        const nonlinearity = (z: ReturnType<typeof tf.tensor>) => (act === 'tanh' ? tf.tanh(z) : act === 'relu' ? tf.relu(z) : tf.sigmoid(z));
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

    return {
      draw(state) {
        const bn = Array.from(gradientNorms(true, state));
        const plain = Array.from(gradientNorms(false, state));
        const data = [
          ...bn.map((v, i) => ({ layer: i + 1, norm: v, net: 'with BN' })),
          ...plain.map((v, i) => ({ layer: i + 1, norm: v, net: 'without BN' })),
        ];
        // Values beyond the axis are clamped to its edge and marked there with a triangle.
        const offScale = data
          .filter((d) => !(d.norm >= FLOOR && d.norm <= CEILING))
          .map((d) => ({ ...d, norm: d.norm > CEILING ? CEILING : FLOOR, mark: d.norm > CEILING ? '▲' : '▼' }));
        showChart(
          plot,
          Plot.plot({
            width: plotWidth(plot),
            height: 260,
            marginLeft: 56,
            style: PLOT_STYLE,
            marginBottom: MARGIN_FOR_X_LABEL,
            x: { domain: [1, DEPTH], label: 'layer (1 = nearest the input)', ...X_LABEL_BELOW },
            y: { type: 'log', domain: [FLOOR, CEILING], clamp: true, label: 'gradient norm', grid: true, ticks: 11, tickFormat: powerOfTen },
            color: { legend: true, domain: ['with BN', 'without BN'], range: ['var(--bn)', 'var(--nobn)'] },
            marks: [
              Plot.lineY(data, { x: 'layer', y: 'norm', stroke: 'net', z: 'net' }),
              Plot.dot(data, { x: 'layer', y: 'norm', fill: 'net', r: 2.5 }),
              Plot.text(offScale.filter((d) => d.mark === '▼'), { x: 'layer', y: 'norm', text: 'mark', fill: 'net', fontSize: 14, dy: 6, ariaLabel: 'below the axis' }),
              Plot.text(offScale.filter((d) => d.mark === '▲'), { x: 'layer', y: 'norm', text: 'mark', fill: 'net', fontSize: 14, dy: -6, ariaLabel: 'above the axis' }),
            ],
          }),
        );
        const ratio = (v: number[]) => formatNumber(v[0]! / Math.max(v[DEPTH - 1]!, 1e-30), 3);
        ctx.out('ratio-bn').textContent = ratio(bn);
        ctx.out('ratio-plain').textContent = ratio(plain);
        ctx.out('off-scale').textContent = offScale.length === 0
          ? 'none'
          : `${offScale.length} (▼ below ${powerOfTen(FLOOR)}, ▲ above ${powerOfTen(CEILING)}, drawn at the edge)`;
        plot.setAttribute('aria-label', `Weight-gradient norm per layer with ${state.act}, weight scale ${state.scale}: with BN from ${formatNumber(bn[0]!, 3)} at layer 1 to ${formatNumber(bn[DEPTH - 1]!, 3)} at layer ${DEPTH}; without BN from ${formatNumber(plain[0]!, 3)} to ${formatNumber(plain[DEPTH - 1]!, 3)}.`);
      },
    };
  });
