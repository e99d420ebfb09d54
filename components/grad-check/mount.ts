import type { Tensor } from '@tensorflow/tfjs-core';
import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormBackward, batchNormTrain, parseBatch, parseNumber } from '../../src/lib/bn';
import { formatNumber } from '../../src/lib/widget/dom';
import { FieldProblem, mountWidget } from '../../src/lib/widget/runtime';
import { meanAndStd } from '../../src/lib/widget/summary';
import { renderTable } from '../../src/lib/widget/table';
import { schema } from './schema';

const EPS = 1e-5;

/** max |a − b| over max |b|: a scale-free difference that near-zero components cannot inflate. */
const relativeDifference = (a: number[], b: number[]): number =>
  Math.max(...a.map((v, i) => Math.abs(v - b[i]!))) / Math.max(1e-12, ...b.map(Math.abs));

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    await import('@tensorflow/tfjs-core/dist/register_all_gradients');
    const table = ctx.el('[data-table]');
    return {
      draw(state) {
        // Each field has passed its own check; only their lengths can disagree.
        const x = parseBatch(state.values);
        const dy = parseBatch(state.dy);
        const g = parseNumber(state.gamma, 'gamma');
        if (dy.length !== x.length) throw new FieldProblem('dy', `dy needs one value per batch value: the batch has ${x.length}, dy has ${dy.length}.`);
        const m = x.length;
        const loss = (xs: number[], gm: number, bt: number): number =>
          tf.tidy(() => tf.sum(tf.mul(batchNormTrain(tf.tensor2d(xs, [m, 1]), { gamma: tf.tensor1d([gm]), beta: tf.tensor1d([bt]), eps: EPS, validate: false }).y, tf.tensor2d(dy, [m, 1]))).dataSync()[0]!);

        const closed = tf.tidy(() => {
          const r = batchNormBackward(tf.tensor2d(x, [m, 1]), tf.tensor1d([g]), tf.tensor2d(dy, [m, 1]), EPS);
          return tf.concat([tf.reshape(r.dx, [-1]), r.dgamma, r.dbeta]);
        });
        const auto = tf.tidy(() => {
          const f = (xi: Tensor, gi: Tensor, bi: Tensor): Tensor =>
            tf.sum(tf.mul(batchNormTrain(xi, { gamma: gi, beta: bi, eps: EPS, validate: false }).y, tf.tensor2d(dy, [m, 1])));
          const [dx, dg, db] = tf.grads(f as (...a: Tensor[]) => Tensor)([tf.tensor2d(x, [m, 1]), tf.tensor1d([g]), tf.tensor1d([0])]);
          return tf.concat([tf.reshape(dx!, [-1]), dg!, db!]);
        });
        const closedValues = Array.from(closed.dataSync());
        const autoValues = Array.from(auto.dataSync());
        tf.dispose([closed, auto]);
        // Central differences in float32: a step of 1% of the batch's spread balances truncation against rounding.
        const h = 1e-2 * (meanAndStd(x).std || 1);
        const fd = x.map((_, i) => {
          const plus = x.slice();
          const minus = x.slice();
          plus[i]! += h;
          minus[i]! -= h;
          return (loss(plus, g, 0) - loss(minus, g, 0)) / (2 * h);
        });
        const hg = 1e-2 * Math.max(1, Math.abs(g));
        fd.push((loss(x, g + hg, 0) - loss(x, g - hg, 0)) / (2 * hg), (loss(x, g, 0.01) - loss(x, g, -0.01)) / 0.02);
        const labels = [...x.map((_, i) => `∂ℓ/∂x${i + 1}`), '∂ℓ/∂γ', '∂ℓ/∂β'];
        renderTable(
          table,
          'Gradients of ℓ = Σ y·dy',
          ['gradient', 'closed form', 'autodiff', 'finite differences'],
          labels.map((label, i) => ({ head: label, cells: [closedValues[i]!, autoValues[i]!, fd[i]!].map((v) => formatNumber(v, 6)) })),
        );
        ctx.out('auto').textContent = formatNumber(relativeDifference(closedValues, autoValues), 3);
        ctx.out('fd').textContent = formatNumber(relativeDifference(closedValues, fd), 3);
      },
    };
  });
