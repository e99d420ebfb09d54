import type * as tfType from '@tensorflow/tfjs-core';
import { batchNormTrain } from '../../src/lib/bn';
import { traceBatchNorm } from '../../src/lib/bn/trace';
import type { StepNumbers } from './formulas';

type Tf = typeof tfType;

export interface StepResult {
  /** Exact decimal arithmetic (mathjs), shown in the formulas. */
  exact: StepNumbers;
  /** float32 tfjs, shown in the outputs: what a network would compute. */
  float: StepNumbers;
  /** Largest |tfjs − mathjs| over every shown quantity. */
  maxDifference: number;
}

/** Runs Algorithm 1 twice — tfjs float32 and mathjs exact — on the same parsed inputs. */
export function computeSteps(tf: Tf, x: number[], gamma: number, beta: number, eps: number): StepResult {
  const r = tf.tidy(() => {
    const out = batchNormTrain(tf.tensor2d(x, [x.length, 1]), { gamma: tf.tensor1d([gamma]), beta: tf.tensor1d([beta]), eps });
    return [out.mean, out.varianceBiased, out.varianceUnbiased, out.xHat, out.y];
  });
  const [mean, varianceBiased, varianceUnbiased, normalized, output] = r.map((t) => Array.from(t.dataSync()));
  tf.dispose(r);
  const float = {
    mean: mean![0]!,
    varianceBiased: varianceBiased![0]!,
    varianceUnbiased: varianceUnbiased![0]!,
    normalized: normalized!,
    output: output!,
  };
  const trace = traceBatchNorm(x, { gamma, beta, eps });
  const exact: StepNumbers = {
    x,
    gamma,
    beta,
    eps,
    mean: trace.mean.value,
    varianceBiased: trace.varianceBiased.value,
    varianceUnbiased: trace.varianceUnbiased.value,
    std: trace.std.value,
    normalized: trace.normalized.map((v) => v.value),
    output: trace.output.map((v) => v.value),
  };
  const floatNumbers: StepNumbers = { ...exact, ...float, std: Math.sqrt(float.varianceBiased + eps) };
  const pairs: Array<[number, number]> = [
    [float.mean, exact.mean],
    [float.varianceBiased, exact.varianceBiased],
    [float.varianceUnbiased, exact.varianceUnbiased],
    ...float.normalized.map((v, i): [number, number] => [v, exact.normalized[i]!]),
    ...float.output.map((v, i): [number, number] => [v, exact.output[i]!]),
  ];
  const maxDifference = Math.max(...pairs.map(([a, b]) => Math.abs(a - b)));
  return { exact, float: floatNumbers, maxDifference };
}
