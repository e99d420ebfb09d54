import { beforeAll, describe, it } from 'vitest';
import { batchNormBackward, batchNormInference, batchNormInferenceBackward, batchNormTrain } from '../../../src/lib/bn';
import { close, expectNoLeak, tf, useCpu } from './setup';

beforeAll(useCpu);

/** Gradients of sum(y·dy) by tfjs autodiff through the forward pass. */
function autodiff(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, dy: tf.Tensor, eps: number) {
  const f = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(batchNormTrain(xi, { gamma: gi, beta: bi, eps, validate: false }).y, dy));
  const [dx, dgamma, dbeta] = tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([x, gamma, beta]);
  return { dx: dx!, dgamma: dgamma!, dbeta: dbeta! };
}

describe('closed-form backward pass', () => {
  for (const shape of [[8, 3], [2, 4, 4, 3]]) {
    it(`agrees with autodiff on [${shape.join(', ')}]`, () => {
      const x = tf.randomNormal(shape, 1, 2, 'float32', 11);
      const dy = tf.randomNormal(shape, 0, 1, 'float32', 12);
      const gamma = tf.tensor1d([1.5, -0.5, 2]);
      const beta = tf.tensor1d([0.1, 0.2, 0.3]);
      const ours = batchNormBackward(x, gamma, dy, 1e-5);
      const auto = autodiff(x, gamma, beta, dy, 1e-5);
      close(ours.dx.dataSync(), auto.dx.dataSync(), 1e-4);
      close(ours.dgamma.dataSync(), auto.dgamma.dataSync(), 1e-4);
      close(ours.dbeta.dataSync(), auto.dbeta.dataSync(), 1e-4);
    });
  }

  for (const shape of [[5, 3], [2, 3, 3, 3]]) {
    it(`inference mode agrees with autodiff through tf.batchNorm on [${shape.join(', ')}]`, () => {
      const x = tf.randomNormal(shape, 0, 2, 'float32', 13);
      const dy = tf.randomNormal(shape, 0, 1, 'float32', 14);
      const gamma = tf.tensor1d([1.5, -0.5, 2]);
      const runningMean = tf.tensor1d([0.5, -1, 0]);
      const runningVar = tf.tensor1d([2, 0.25, 1]);
      const f = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) =>
        tf.sum(tf.mul(batchNormInference(xi, { gamma: gi, beta: bi, runningMean, runningVar, eps: 1e-3, validate: false }), dy));
      const [dx, dgamma, dbeta] = tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([x, gamma, tf.zeros([3])]);
      const ours = batchNormInferenceBackward(x, gamma, runningMean, runningVar, dy, 1e-3);
      close(ours.dx.dataSync(), dx!.dataSync(), 1e-4);
      close(ours.dgamma.dataSync(), dgamma!.dataSync(), 1e-4);
      close(ours.dbeta.dataSync(), dbeta!.dataSync(), 1e-4);
    });
  }

  it('gives a gradient with zero mean per channel (BN ignores shifts of its input)', () => {
    const x = tf.randomNormal([16, 2], 0, 1, 'float32', 3);
    const dy = tf.randomNormal([16, 2], 0, 1, 'float32', 4);
    const { dx } = batchNormBackward(x, tf.tensor1d([1, 1]), dy, 1e-5);
    close(tf.mean(dx, 0).dataSync(), [0, 0], 1e-5);
  });

  it('leaks no tensors', () => {
    const x = tf.randomNormal([4, 3]);
    const dy = tf.randomNormal([4, 3]);
    const g = tf.ones([3]) as tf.Tensor1D;
    expectNoLeak(() => {
      const r = batchNormBackward(x, g, dy, 1e-5);
      return [r.dx, r.dgamma, r.dbeta];
    });
  });
});
