import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { batchNormBackward, batchNormTrain, batchNormTrainFused, type FusedImpl } from '../../../src/lib/bn';
import { close, expectNoLeak, tf, useCpu } from './setup';

beforeAll(useCpu);

type Grads = { dx: Float32Array; dgamma: Float32Array; dbeta: Float32Array };
const read = (ts: Array<tf.Tensor | null>): Grads => {
  const [dx, dgamma, dbeta] = ts.map((t) => t!.dataSync() as Float32Array);
  return { dx: dx!, dgamma: dgamma!, dbeta: dbeta! };
};

/** Gradients of sum(y·dy) through `fn`'s output, by tfjs autodiff (customGrad's gradFunc for the fused op). */
function gradsOf(fn: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor, x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, dy: tf.Tensor): Grads {
  return tf.tidy(() => read(tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(fn(xi, gi, bi), dy)))([x, gamma, beta])));
}

/** The closed-form gradients in float64, per channel, from flat channels-last data. */
function exactGradients(x: ArrayLike<number>, dy: ArrayLike<number>, gamma: number[], eps: number): Grads {
  const c = gamma.length;
  const m = x.length / c;
  const dx = new Float32Array(x.length);
  const dgamma = new Float32Array(c);
  const dbeta = new Float32Array(c);
  for (let k = 0; k < c; k++) {
    const idx = Array.from({ length: m }, (_, i) => i * c + k);
    const mean = idx.reduce((s, i) => s + x[i]!, 0) / m;
    const invStd = 1 / Math.sqrt(idx.reduce((s, i) => s + (x[i]! - mean) ** 2, 0) / m + eps);
    const sumDy = idx.reduce((s, i) => s + dy[i]!, 0);
    const sumDyXHat = idx.reduce((s, i) => s + dy[i]! * (x[i]! - mean) * invStd, 0);
    for (const i of idx) dx[i] = ((gamma[k]! * invStd) / m) * (m * dy[i]! - sumDy - (x[i]! - mean) * invStd * sumDyXHat);
    dgamma[k] = sumDyXHat;
    dbeta[k] = sumDy;
  }
  return { dx, dgamma, dbeta };
}

const reference = (eps: number) => (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => batchNormTrain(x, { gamma: g, beta: b, eps, validate: false }).y;
const fused = (eps: number, impl: FusedImpl) => (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => batchNormTrainFused(x, { gamma: g, beta: b, eps, impl, validate: false }).y;

// A channel with a large mean (the input of a layer whose bias has drifted) and one with a small
// spread, so a variance computed as E[x²] − E[x]² or a mis-signed term would show. Channels past
// the fourth repeat the pattern (the WASM kernels take channels in blocks of 8 plus a remainder).
function inputs(shape: number[]) {
  const c = shape.at(-1)!;
  const cycle = (v: number[]) => tf.tensor1d(Array.from({ length: c }, (_, k) => v[k % 4]! * (1 + Math.floor(k / 4) / 8)));
  const x = tf.tidy(() => tf.add(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 21), cycle([2, 0.05, 1, 3])), cycle([1, -3, 40, 0])));
  const dy = tf.randomNormal(shape, 0, 1, 'float32', 22);
  return { x, dy, gamma: cycle([1.5, -0.5, 2, 0.7]), beta: cycle([0.1, 0.2, 0.3, -0.4]) };
}

describe('fused training-mode BN (one op, closed-form gradient)', () => {
  for (const impl of ['ops'] as const) {
    for (const shape of [[8, 3], [4, 5, 5, 4]]) {
      it(`forward and statistics match batchNormTrain (${impl}, [${shape.join(', ')}])`, () => {
        const { x, gamma, beta } = inputs(shape);
        const ref = batchNormTrain(x, { gamma, beta, eps: 1e-5 });
        const ours = batchNormTrainFused(x, { gamma, beta, eps: 1e-5, impl });
        close(ours.y.dataSync(), ref.y.dataSync(), 1e-4);
        close(ours.mean.dataSync(), ref.mean.dataSync(), 1e-5);
        close(ours.varianceBiased.dataSync(), ref.varianceBiased.dataSync(), 1e-4);
        close(ours.varianceUnbiased.dataSync(), ref.varianceUnbiased.dataSync(), 1e-4);
      });

      it(`gradients match autodiff through batchNormTrain and batchNormBackward (${impl}, [${shape.join(', ')}])`, () => {
        const { x, dy, gamma, beta } = inputs(shape);
        const ours = gradsOf(fused(1e-5, impl), x, gamma, beta, dy);
        const auto = gradsOf(reference(1e-5), x, gamma, beta, dy);
        const closed = batchNormBackward(x, gamma, dy, 1e-5);
        for (const want of [auto, read([closed.dx, closed.dgamma, closed.dbeta])]) {
          close(ours.dx, want.dx, 1e-4);
          close(ours.dgamma, want.dgamma, 1e-4);
          close(ours.dbeta, want.dbeta, 1e-4);
        }
      });
    }
  }

  // The WASM kernels (fused-wasm.ts) do in one kernel each way what the 'ops' form does in
  // tfjs ops, with the same float32 roundings: on the cpu backend (whose Sum adds in float64)
  // that form gives the same bits. Channel counts that are multiples of 4 run the SIMD loops
  // (fused-simd.ts): the lab's conv layers after a ReLU (exact zeros), 12 and a dense layer; the
  // others the JavaScript loops: 9 and 18 (blocks of 8 and a remainder), 3.
  for (const shape of [[8, 28, 28, 8], [8, 14, 14, 16], [3, 5, 5, 12], [10, 16], [4, 5, 5, 9], [6, 18], [6, 3]]) {
    it(`on WASM the kernels give the bits of the ops form on cpu ([${shape.join(', ')}])`, async () => {
      const c = shape.at(-1)!;
      const x = tf.tidy(() => tf.relu(tf.add(tf.randomNormal(shape, 0, 1, 'float32', 3), 0.3)));
      const dy = tf.randomNormal(shape, 0, 1e-3, 'float32', 4);
      const gamma = tf.randomUniform([c], -1.5, 1.5, 'float32', 5);
      const beta = tf.randomUniform([c], -0.2, 0.2, 'float32', 6);
      const run = (impl: FusedImpl) => {
        const r = batchNormTrainFused(x, { gamma, beta, eps: 1e-5, impl });
        const g = gradsOf(fused(1e-5, impl), x, gamma, beta, dy);
        const out = [r.y, r.mean, r.varianceBiased, r.varianceUnbiased].map((t) => t.dataSync().slice());
        tf.dispose([r.y, r.mean, r.varianceBiased, r.varianceUnbiased]);
        return [...out, g.dx, g.dgamma, g.dbeta];
      };
      const want = run('ops');
      await tf.setBackend('wasm');
      try {
        const before = tf.memory().numTensors;
        const got = run('wasm-kernels');
        expect(tf.memory().numTensors).toBe(before);
        ['y', 'mean', 'varianceBiased', 'varianceUnbiased', 'dx', 'dgamma', 'dbeta'].forEach((name, i) => {
          expect(Array.from(got[i]!), name).toEqual(Array.from(want[i]!));
        });
      } finally {
        await useCpu();
        tf.dispose([x, dy, gamma, beta]);
      }
    });
  }

  it('on WASM (the kernels) is within 1e-4 of the exact gradients', async () => {
    const shape = [16, 7, 7, 4];
    const { x, dy, gamma, beta } = inputs(shape);
    const data = [x, dy, gamma, beta].map((t) => ({ values: t.dataSync().slice(), shape: t.shape }));
    const exact = exactGradients(data[0]!.values, data[1]!.values, Array.from(data[2]!.values), 1e-3);
    await tf.setBackend('wasm');
    try {
      const [xw, dyw, gw, bw] = data.map((d) => tf.tensor(d.values, d.shape));
      const before = tf.memory().numTensors;
      const ours = gradsOf(fused(1e-3, 'wasm-kernels'), xw!, gw!, bw!, dyw!);
      expect(tf.memory().numTensors).toBe(before);
      // Measured: 6e-5 (dγ on the channel with σ = 0.05, whose float32 centred values carry the
      // rounding of a mean of −3). WASM's autodiff through batchNormTrain is 3.5e-4 off there:
      // its Sum kernel adds the 784 values one by one in float32.
      for (const key of ['dx', 'dgamma', 'dbeta'] as const) close(ours[key], exact[key], 1e-4);
      tf.dispose([xw!, dyw!, gw!, bw!]);
    } finally {
      await useCpu();
    }
  });

  it('validates like batchNormTrain', () => {
    const gamma = tf.ones([3]);
    const beta = tf.zeros([3]);
    expect(() => batchNormTrainFused(tf.ones([1, 3]), { gamma, beta, eps: 1e-5 })).toThrow();
    expect(() => batchNormTrainFused(tf.ones([4, 2]), { gamma, beta, eps: 1e-5 })).toThrow();
  });

  for (const impl of ['ops', 'wasm-kernels'] as const) {
    it(`leaks no tensors in the forward or the backward pass (${impl})`, async () => {
      if (impl === 'wasm-kernels') await tf.setBackend('wasm');
      try {
        const { x, dy, gamma, beta } = inputs([6, 3]);
        expectNoLeak(() => {
          const r = batchNormTrainFused(x, { gamma, beta, eps: 1e-5, impl });
          return [r.y, r.mean, r.varianceBiased, r.varianceUnbiased];
        });
        expectNoLeak(() => tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(fused(1e-5, impl)(xi, gi, bi), dy)))([x, gamma, beta]));
        // keepStats: the statistics outlive the caller's tidy, equal to the clones, and are the
        // only tensors left until the caller disposes them.
        const before = tf.memory().numTensors;
        const want = batchNormTrainFused(x, { gamma, beta, eps: 1e-5, impl });
        const wanted = [want.mean, want.varianceBiased, want.varianceUnbiased].map((t) => Array.from(t.dataSync()));
        tf.dispose([want.y, want.mean, want.varianceBiased, want.varianceUnbiased]);
        const kept = tf.tidy(() => {
          const r = batchNormTrainFused(x, { gamma, beta, eps: 1e-5, impl, keepStats: true });
          return [r.mean, r.varianceBiased, r.varianceUnbiased].map((t) => ({ t }));
        }).map(({ t }) => t);
        expect(tf.memory().numTensors).toBe(before + 3);
        expect(kept.map((t) => Array.from(t.dataSync()))).toEqual(wanted);
        tf.dispose(kept);
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([x, dy, gamma, beta]);
      } finally {
        await useCpu();
      }
    });
  }
});
