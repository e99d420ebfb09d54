import * as Plot from '@observablehq/plot';
import { PLOT_STYLE, plainTick, plotWidth, showChart } from '../../src/lib/plot/mount';
import { cpuTf } from '../../src/lib/tf/cpu';
import { normal, seededRng } from '../../src/lib/data/random';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { schema } from './schema';
import { descend, eigenvalues, minimizer, type Sym2, type Vec2 } from './valley';

const N = 200;
const SEED = 7;
const MAX_STEPS = 20000;

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const plot = ctx.el('[data-plot="valley"]');

    // The data: x₁ ~ N(3, 1), x₂ ~ N(1, 0.25²) with correlation 0.6, t = 2x₁ − 3x₂ + noise.
    const rng = seededRng(SEED);
    const rows: number[] = [];
    const targets: number[] = [];
    for (let i = 0; i < N; i++) {
      const z1 = normal(rng);
      const z2 = normal(rng);
      const x1 = 3 + z1;
      const x2 = 1 + 0.25 * (0.6 * z1 + 0.8 * z2);
      rows.push(x1, x2);
      targets.push(2 * x1 - 3 * x2 + 0.3 * normal(rng));
    }

    /** The loss's quadratic form for one feature treatment, computed from the data with tfjs. */
    const quadratic = (features: string): { h: Sym2; c: Vec2; k: number } => {
      const [hT, cT, kT] = tf.tidy(() => {
        let x: ReturnType<typeof tf.tensor2d> = tf.tensor2d(rows, [N, 2]);
        let t: ReturnType<typeof tf.tensor2d> = tf.tensor2d(targets, [N, 1]);
        if (features !== 'raw') {
          const { mean, variance } = tf.moments(x, 0);
          x = tf.sub(x, mean);
          if (features === 'standardized') x = tf.div(x, tf.sqrt(variance));
          t = tf.sub(t, tf.mean(t));
        }
        // L(w) = (1/n)‖Xw − t‖² = ½ wᵀHw − cᵀw + k with H = (2/n)XᵀX, c = (2/n)Xᵀt, k = (1/n)tᵀt.
        const h = tf.mul(tf.matMul(x, x, true, false), 2 / N);
        const c = tf.mul(tf.matMul(x, t, true, false), 2 / N);
        const k = tf.mean(tf.square(t));
        return [h, c, k];
      });
      const hv = hT.dataSync();
      const cv = cT.dataSync();
      const k = kT.dataSync()[0]!;
      tf.dispose([hT, cT, kT]);
      return { h: [hv[0]!, hv[1]!, hv[3]!], c: [cv[0]!, cv[1]!], k };
    };
    const forms = new Map<string, ReturnType<typeof quadratic>>();

    return {
      resizes: plot,
      draw(state) {
        if (!forms.has(state.features)) forms.set(state.features, quadratic(state.features));
        const { h, c, k } = forms.get(state.features)!;
        const eta = 10 ** state.logeta;
        const [lmax, lmin] = eigenvalues(h);
        const star = minimizer(h, c);
        const run = descend(h, c, eta, { maxSteps: MAX_STEPS });
        const best = descend(h, c, 2 / (lmax + lmin), { maxSteps: MAX_STEPS });
        const loss = (w1: number, w2: number) => 0.5 * (h[0] * w1 * w1 + 2 * h[1] * w1 * w2 + h[2] * w2 * w2) - c[0] * w1 - c[1] * w2 + k;
        const lossMin = loss(star[0], star[1]);
        const lossStart = loss(0, 0);
        // A square window holding the start and the minimum, same scale on both axes, so a round
        // valley looks round.
        const centre = [star[0] / 2, star[1] / 2];
        const half = 0.7 * Math.max(Math.abs(star[0]), Math.abs(star[1]));
        const [x1, x2, y1, y2] = [centre[0]! - half, centre[0]! + half, centre[1]! - half, centre[1]! + half];
        const levels = [1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1, 3, 10].map((f) => lossMin + f * (lossStart - lossMin));
        const size = Math.min(plotWidth(plot, { min: 260, max: 460 }), 460);
        const path = run.path.map(([w1, w2], i) => ({ w1, w2, i }));
        showChart(
          plot,
          Plot.plot({
            width: size,
            height: size,
            marginLeft: 52,
            marginBottom: 40,
            style: PLOT_STYLE,
            x: { domain: [x1, x2], label: state.features === 'standardized' ? 'w₁ (per standard deviation of x₁)' : 'w₁', tickFormat: plainTick },
            y: { domain: [y1, y2], label: state.features === 'standardized' ? 'w₂ (per standard deviation of x₂)' : 'w₂', tickFormat: plainTick },
            marks: [
              Plot.contour({ x1, x2, y1, y2, value: (a: number, b: number) => loss(a, b), thresholds: levels, stroke: 'currentColor', strokeOpacity: 0.35, fill: 'none' }),
              Plot.line(path, { x: 'w1', y: 'w2', stroke: 'var(--nobn)', strokeWidth: 1.5, clip: true }),
              Plot.dot(path.slice(0, 60), { x: 'w1', y: 'w2', fill: 'var(--nobn)', r: 2, clip: true }),
              Plot.dot([{ w1: star[0], w2: star[1] }], { x: 'w1', y: 'w2', symbol: 'times', r: 7, stroke: 'var(--ok)', strokeWidth: 2.5 }),
            ],
          }),
        );
        const fmt = (v: number) => formatNumber(v, 3);
        ctx.out('lmax').textContent = fmt(lmax);
        ctx.out('lmin').textContent = fmt(lmin);
        ctx.out('cond').textContent = fmt(lmax / lmin);
        ctx.out('limit').textContent = fmt(2 / lmax);
        const steps = run.diverged
          ? `diverges: η = ${fmt(eta)} is above 2/λmax`
          : run.steps === null
            ? `more than ${MAX_STEPS.toLocaleString('en-US')}`
            : String(run.steps);
        ctx.out('steps').textContent = steps;
        ctx.out('best').textContent = best.steps === null ? `more than ${MAX_STEPS.toLocaleString('en-US')}` : `${best.steps} (η = ${fmt(2 / (lmax + lmin))})`;
        root.dataset.steps = run.diverged ? 'diverged' : String(run.steps ?? 'none');
        plot.setAttribute('aria-label', `Loss contours over w₁ and w₂ with ${state.features} features: curvatures ${fmt(lmax)} and ${fmt(lmin)}, condition number ${fmt(lmax / lmin)}. Gradient descent with η = ${fmt(eta)} ${run.diverged ? 'diverges' : run.steps === null ? 'has not converged after ' + MAX_STEPS + ' steps' : 'converges in ' + run.steps + ' steps'}.`);
      },
    };
  });
