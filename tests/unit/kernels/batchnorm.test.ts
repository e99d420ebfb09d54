import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { batchNormTrainFused, OPS_PASSES, updateRunningStats, type FusedPasses } from '../../../src/lib/bn';
import { BN_BACKWARD_KERNEL, BN_FORWARD_KERNEL, KERNEL_PASSES, labBatchNormTrain, labUpdateRunningStats, lastLoopPath, registerLabKernels, RUNNING_STATS_KERNEL } from '../../../src/lib/kernels';
import { CNN_CHANNELS, MLP_UNITS } from '../../../src/lib/train/config';
import { close, tf, useCpu } from '../bn/setup';
import { exactGradients, expectLeakFree, fused, gradsOf, inputs } from '../helpers/fused-bn';

beforeAll(async () => {
  registerLabKernels();
  await useCpu();
});

/**
 * The same numbers, bit for bit (as toEqual compares them: −0 ≠ +0, NaN = NaN), reported at the
 * first difference: a diff of whole 50 000-value arrays takes minutes to print.
 */
function expectSameBits(got: ArrayLike<number>, want: ArrayLike<number>, name: string): void {
  expect(got.length, `${name}: length`).toBe(want.length);
  const i = Array.from(want).findIndex((w, k) => !Object.is(got[k], w));
  expect(i < 0 ? 'the same' : `first difference at ${i}: ${got[i]} where the ops give ${want[i]}`, name).toBe('the same');
}

/** Runs `fn` on the WASM backend, then returns to cpu. */
async function onWasm<T>(fn: () => T): Promise<T> {
  await tf.setBackend('wasm');
  try {
    return fn();
  } finally {
    await useCpu();
  }
}

describe('training-mode BN as WASM kernels (src/lib/kernels/batchnorm.ts)', () => {
  // The kernels do in one kernel each way what OPS_PASSES does in tfjs ops, with the same float32
  // roundings: on the cpu backend (whose Sum adds in float64) the ops give the same bits. Channel
  // counts that are multiples of 4 run bn-loops.wat's SIMD loops (and the test checks they did, so
  // a changed instruction in the .wat fails here): the lab's conv layers after a ReLU (exact
  // zeros), 12 and a dense layer; the others run the JavaScript loops for their last 1 to 3
  // channels: 9 and 18 (groups of 4 and a remainder), 3.
  for (const shape of [[8, 28, 28, 8], [8, 14, 14, 16], [3, 5, 5, 12], [10, 16], [4, 5, 5, 9], [6, 18], [6, 3]]) {
    it(`on WASM the kernels give the bits of the ops form on cpu ([${shape.join(', ')}])`, async () => {
      const c = shape.at(-1)!;
      const x = tf.tidy(() => tf.relu(tf.add(tf.randomNormal(shape, 0, 1, 'float32', 3), 0.3)));
      const dy = tf.randomNormal(shape, 0, 1e-3, 'float32', 4);
      const gamma = tf.randomUniform([c], -1.5, 1.5, 'float32', 5);
      const beta = tf.randomUniform([c], -0.2, 0.2, 'float32', 6);
      const run = (passes: FusedPasses) => {
        const r = batchNormTrainFused(x, { gamma, beta, eps: 1e-5, passes });
        const g = gradsOf(fused(1e-5, passes), x, gamma, beta, dy);
        const out = [r.y, r.mean, r.varianceBiased, r.varianceUnbiased].map((t) => t.dataSync().slice());
        tf.dispose([r.y, r.mean, r.varianceBiased, r.varianceUnbiased]);
        return [...out, g.dx, g.dgamma, g.dbeta];
      };
      const want = run(OPS_PASSES);
      try {
        const got = await onWasm(() => {
          const before = tf.memory().numTensors;
          const out = run(KERNEL_PASSES);
          expect(tf.memory().numTensors).toBe(before);
          return out;
        });
        const path = c % 4 === 0 ? 'simd' : 'js';
        expect(lastLoopPath(BN_FORWARD_KERNEL), 'forward loops').toBe(path);
        expect(lastLoopPath(BN_BACKWARD_KERNEL), 'backward loops').toBe(path);
        ['y', 'mean', 'varianceBiased', 'varianceUnbiased', 'dx', 'dgamma', 'dbeta'].forEach((name, i) => expectSameBits(got[i]!, want[i]!, name));
      } finally {
        tf.dispose([x, dy, gamma, beta]);
      }
    });
  }

  // A broken SIMD loop must not hide behind the JavaScript ones: on every layer width the lab
  // trains (its CNN's channels, its MLP's units), the lab's BN op runs bn-loops.wat both ways.
  for (const [network, widths] of [['CNN', CNN_CHANNELS], ['MLP', MLP_UNITS]] as const) {
    for (const c of new Set(widths)) {
      it(`runs the SIMD loops on the lab's ${network} width ${c}`, async () => {
        const shape = network === 'CNN' ? [4, 6, 6, c] : [16, c];
        const { x, dy, gamma, beta } = inputs(shape);
        await onWasm(() => {
          const lab = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => labBatchNormTrain(xi, { gamma: gi as tf.Tensor1D, beta: bi as tf.Tensor1D, eps: 1e-5, validate: false }).y;
          gradsOf(lab, x, gamma, beta, dy);
        });
        expect(lastLoopPath(BN_FORWARD_KERNEL)).toBe('simd');
        expect(lastLoopPath(BN_BACKWARD_KERNEL)).toBe('simd');
        tf.dispose([x, dy, gamma, beta]);
      });
    }
  }

  it('on WASM (the kernels) is within 1e-4 of the exact gradients', async () => {
    const shape = [16, 7, 7, 4];
    const { x, dy, gamma, beta } = inputs(shape);
    const data = [x, dy, gamma, beta].map((t) => ({ values: t.dataSync().slice(), shape: t.shape }));
    const exact = exactGradients(data[0]!.values, data[1]!.values, Array.from(data[2]!.values), 1e-3);
    await onWasm(() => {
      const [xw, dyw, gw, bw] = data.map((d) => tf.tensor(d.values, d.shape));
      const before = tf.memory().numTensors;
      const ours = gradsOf(fused(1e-3, KERNEL_PASSES), xw!, gw!, bw!, dyw!);
      expect(tf.memory().numTensors).toBe(before);
      // Measured: 6e-5 (dγ on the channel with σ = 0.05, whose float32 centred values carry the
      // rounding of a mean of −3). WASM's autodiff through batchNormTrain is 3.5e-4 off there:
      // its Sum kernel adds the 784 values one by one in float32.
      for (const key of ['dx', 'dgamma', 'dbeta'] as const) close(ours[key], exact[key], 1e-4);
      tf.dispose([xw!, dyw!, gw!, bw!]);
    });
  });

  it('leaks no tensors in the forward or the backward pass (wasm-kernels)', async () => {
    await onWasm(() => expectLeakFree(KERNEL_PASSES));
  });

  it('is the ops form where no kernel is registered for the backend (cpu)', () => {
    const { x, gamma, beta } = inputs([6, 4]);
    const lab = labBatchNormTrain(x, { gamma, beta, eps: 1e-5 });
    const ops = batchNormTrainFused(x, { gamma, beta, eps: 1e-5 });
    expect(Array.from(lab.y.dataSync())).toEqual(Array.from(ops.y.dataSync()));
    tf.dispose([x, gamma, beta, lab.y, lab.mean, lab.varianceBiased, lab.varianceUnbiased, ops.y, ops.mean, ops.varianceBiased, ops.varianceUnbiased]);
  });
});

describe('the running averages as one WASM kernel', () => {
  // On WASM one kernel does what updateRunningStats's ops do on cpu: the same bits, for both
  // conventions, a cumulative average and a weight whose float32 rounding matters (0.1, 1/3).
  it('on WASM gives the bits of the ops on cpu', async () => {
    const values = (seed: number) => tf.tidy(() => tf.randomUniform([12], 0.1, 5, 'float32', seed).dataSync().slice());
    const cases = [
      { options: { convention: 'pytorch' as const }, batches: 0 },
      { options: { convention: 'keras' as const }, batches: 0 },
      { options: { convention: 'pytorch' as const, momentum: null }, batches: 2 },
    ];
    const run = (update: typeof updateRunningStats) =>
      cases.map(({ options, batches }) => {
        const [rm, rv, bm, bvb, bvu] = [1, 2, 3, 4, 5].map((seed) => tf.tensor1d(values(seed)));
        const r = update({ mean: rm!, variance: rv!, batches }, { mean: bm!, varianceBiased: bvb!, varianceUnbiased: bvu! }, options);
        const out = [Array.from(r.mean.dataSync()), Array.from(r.variance.dataSync())];
        tf.dispose([rm!, rv!, bm!, bvb!, bvu!, r.mean, r.variance]);
        return out;
      });
    const want = run(updateRunningStats);
    await tf.setBackend('wasm');
    try {
      const before = tf.memory().numTensors;
      let got: number[][][] = [];
      const profile = await tf.profile(() => void (got = run(labUpdateRunningStats)));
      expect(got).toEqual(want);
      expect(profile.kernels.filter((k) => k.name === RUNNING_STATS_KERNEL)).toHaveLength(cases.length);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await useCpu();
    }
  });
});
