import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormBackward, batchNormTrain, batchNormTrainFused, OPS_PASSES } from '../../../src/lib/bn';
import { expectLeakFree, fused, gradsOf, inputs, read, reference } from '../helpers/fused-bn';
import { close, tf, useCpu } from './setup';

beforeAll(useCpu);

// The op in tfjs ops (OPS_PASSES); its WASM kernels are tested in tests/unit/kernels/batchnorm.test.ts.
describe('fused training-mode BN (one op, closed-form gradient)', () => {
  for (const impl of ['ops'] as const) {
    for (const shape of [[8, 3], [4, 5, 5, 4]]) {
      it(`forward and statistics match batchNormTrain (${impl}, [${shape.join(', ')}])`, () => {
        const { x, gamma, beta } = inputs(shape);
        const ref = batchNormTrain(x, { gamma, beta, eps: 1e-5 });
        const ours = batchNormTrainFused(x, { gamma, beta, eps: 1e-5, passes: OPS_PASSES });
        close(ours.y.dataSync(), ref.y.dataSync(), 1e-4);
        close(ours.mean.dataSync(), ref.mean.dataSync(), 1e-5);
        close(ours.varianceBiased.dataSync(), ref.varianceBiased.dataSync(), 1e-4);
        close(ours.varianceUnbiased.dataSync(), ref.varianceUnbiased.dataSync(), 1e-4);
      });

      it(`gradients match autodiff through batchNormTrain and batchNormBackward (${impl}, [${shape.join(', ')}])`, () => {
        const { x, dy, gamma, beta } = inputs(shape);
        const ours = gradsOf(fused(1e-5, OPS_PASSES), x, gamma, beta, dy);
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

  it('validates like batchNormTrain', () => {
    const gamma = tf.ones([3]);
    const beta = tf.zeros([3]);
    expect(() => batchNormTrainFused(tf.ones([1, 3]), { gamma, beta, eps: 1e-5 })).toThrow();
    expect(() => batchNormTrainFused(tf.ones([4, 2]), { gamma, beta, eps: 1e-5 })).toThrow();
  });

  it('leaks no tensors in the forward or the backward pass (ops)', () => {
    expectLeakFree(OPS_PASSES);
  });
});
