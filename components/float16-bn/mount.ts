import * as Plot from '@observablehq/plot';
import { FLOAT16_MAX, FLOAT16_MIN_NORMAL, FLOAT16_MIN_SUBNORMAL, f16round, momentsFloat16OnePass, momentsFloat16TwoPass } from '../../src/lib/bn/float16';
import { FEATURE_CHANNELS, featureMaps } from '../../src/lib/data/features';
import { loadMnistSample } from '../../src/lib/data/mnist';
import { logAxisX } from '../../src/lib/plot/log-axis';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plotWidth, powerOfTen, showChart } from '../../src/lib/plot/mount';
import { cpuTf } from '../../src/lib/tf/cpu';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { FLOAT16_BATCH, schema } from './schema';

const EPS = 1e-5;
const X_DOMAIN: [number, number] = [1e-16, 1e8];
const X_TICKS = [1e-16, 1e-12, 1e-8, 1e-4, 1, 1e4, 1e8];
const LIMITS = [
  { x: FLOAT16_MIN_SUBNORMAL, text: '2⁻²⁴' },
  { x: FLOAT16_MIN_NORMAL, text: '2⁻¹⁴' },
  { x: FLOAT16_MAX, text: '65504' },
];

/** A float16 result as text: ∞ and 0 said plainly. */
const show16 = (v: number): string => (v === Infinity ? '∞ (overflow)' : Number.isNaN(v) ? 'NaN' : v === 0 ? '0 (underflow)' : formatNumber(v, 4));

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const sample = await loadMnistSample(location.href);
    const maps = ctx.keep(featureMaps(tf, sample.images, FLOAT16_BATCH));
    const plot = ctx.el('[data-plot="values"]');

    return {
      draw(state) {
        const c = Number(state.c);
        const scale = 10 ** Number(state.scale);
        const raw = Array.from(maps.dataSync()).filter((_, i) => i % FEATURE_CHANNELS === c);
        // float32: the scaled activations as a float32 tensor, moments by TensorFlow.js.
        const f32 = tf.tidy(() => tf.moments(tf.mul(tf.tensor1d(raw), scale)).variance.dataSync()[0]!);
        const scaled = raw.map((v) => v * scale);
        const one = momentsFloat16OnePass(scaled);
        const two = momentsFloat16TwoPass(scaled);
        ctx.out('f32').value = formatNumber(f32, 4);
        ctx.out('f16-one').value = show16(one.variance);
        ctx.out('f16-two').value = show16(two.variance);
        ctx.out('error').value = Number.isFinite(two.variance) && f32 > 0 ? `${formatNumber((100 * (two.variance - f32)) / f32, 3)}%` : '—';
        ctx.out('sumsq').value = show16(one.sumOfSquares!);
        ctx.out('eps').value = `${formatNumber(f16round(EPS), 6)} (a subnormal)`;
        // The unscaled float32 activations, for the browser test to recompute the exact variance.
        root.dataset.activations = raw.map((v) => Math.fround(v).toPrecision(9)).join(',');
        root.dataset.scale = String(scale);

        const clamp = (v: number): number => Math.min(X_DOMAIN[1], Math.max(X_DOMAIN[0], v));
        const rows = scaled.filter((v) => v !== 0).flatMap((v) => [
          { value: clamp(Math.abs(v)), what: '|x|' },
          { value: clamp(v * v), what: 'x²' },
        ]);
        showChart(
          plot,
          Plot.plot({
            width: plotWidth(plot),
            height: 170,
            marginLeft: 40,
            marginTop: 24,
            marginBottom: MARGIN_FOR_X_LABEL,
            style: PLOT_STYLE,
            x: { type: 'log', domain: X_DOMAIN, axis: null },
            y: { domain: ['|x|', 'x²'], label: null },
            marks: [
              logAxisX(X_TICKS, { label: 'magnitude (log scale)', format: powerOfTen, ...X_LABEL_BELOW }),
              Plot.rectX([{ x1: X_DOMAIN[0], x2: FLOAT16_MIN_SUBNORMAL / 2 }], { x1: 'x1', x2: 'x2', fill: 'var(--nobn)', fillOpacity: 0.15 }),
              Plot.rectX([{ x1: FLOAT16_MAX, x2: X_DOMAIN[1] }], { x1: 'x1', x2: 'x2', fill: 'var(--nobn)', fillOpacity: 0.15 }),
              Plot.ruleX(LIMITS, { x: 'x', stroke: 'currentColor', strokeOpacity: 0.5, strokeDasharray: '3,3' }),
              Plot.text(LIMITS, { x: 'x', text: 'text', frameAnchor: 'top', dy: -14, fill: 'currentColor' }),
              Plot.dot(rows, { x: 'value', y: 'what', r: 2, fill: 'var(--bn)', fillOpacity: 0.25, stroke: null }),
            ],
          }),
        );
        const underflow = scaled.filter((v) => v !== 0 && f16round(v * v) === 0).length;
        plot.setAttribute(
          'aria-label',
          `The ${scaled.length} values and their squares on a log scale, with float16's smallest subnormal (2⁻²⁴), smallest normal (2⁻¹⁴) and largest value (65504): ${underflow} of the squares round to 0 in float16.`,
        );
      },
      resizes: plot,
    };
  });
