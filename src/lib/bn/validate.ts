import * as tf from '@tensorflow/tfjs-core';
import { BnInputError } from './errors';
import { checkEps } from './parse';

export { checkEps };

const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** Channels-last input: [N, C] (after a dense layer) or [N, H, W, C] (after a conv). */
export function checkRank(x: tf.Tensor, allowed: number[] = [2, 4]): void {
  if (!allowed.includes(x.rank)) {
    throw new BnInputError(
      `Expected a tensor of rank ${allowed.join(' or ')} (${allowed.map((r) => (r === 2 ? '[N, C]' : '[N, H, W, C]')).join(' or ')}), got rank ${x.rank} with shape ${shapeText(x.shape)}.`,
    );
  }
}

export const channelsOf = (x: tf.Tensor): number => x.shape[x.rank - 1]!;

/** Elements that share one channel's statistics: N·H·W (the paper's m·p·q). */
export const elementsPerChannel = (x: tf.Tensor): number => x.size / channelsOf(x);

export function checkPerChannel(name: string, t: tf.Tensor, channels: number): void {
  if (t.rank !== 1 || t.shape[0] !== channels) {
    throw new BnInputError(`${name} must have one value per channel: expected shape [${channels}], got ${shapeText(t.shape)}.`);
  }
}

export function checkSameShape(name: string, t: tf.Tensor, like: tf.Tensor): void {
  if (t.shape.join() !== like.shape.join()) {
    throw new BnInputError(`${name} must have the input's shape ${shapeText(like.shape)}, got ${shapeText(t.shape)}.`);
  }
}

/** Shapes and ε only (no readback): cheap enough for every call. */
export function checkAffine(x: tf.Tensor, p: { gamma: tf.Tensor; beta: tf.Tensor; eps: number }, rank: number[] = [2, 4]): void {
  checkRank(x, rank);
  const c = channelsOf(x);
  checkPerChannel('gamma', p.gamma, c);
  checkPerChannel('beta', p.beta, c);
  checkEps(p.eps);
}

export function checkMomentum(momentum: number | null): void {
  if (momentum !== null && !(momentum >= 0 && momentum <= 1)) {
    throw new BnInputError(`momentum must be between 0 and 1 (or null for a cumulative average); got ${momentum}.`);
  }
}

/** Reads the tensors back, so only call it on the small tensors widgets and tests pass in. */
export function checkFinite(named: Record<string, tf.Tensor>): void {
  for (const [name, t] of Object.entries(named)) {
    const values = t.dataSync();
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) throw new BnInputError(`${name} contains a non-finite value (${values[i]}) at index ${i}.`);
    }
  }
}

/** A variance below 0 has no square root; only typed or corrupted running statistics get here. */
export function checkNonNegative(name: string, t: tf.Tensor): void {
  const values = t.dataSync();
  const i = values.findIndex((v) => v < 0);
  if (i >= 0) throw new BnInputError(`${name} must not be negative; got ${values[i]} at index ${i}.`);
}

/** PyTorch refuses this too: one value per channel has zero variance, so x̂ would be 0 for every input. */
export function checkTrainingBatch(x: tf.Tensor): void {
  if (elementsPerChannel(x) <= 1) {
    throw new BnInputError(
      `Expected more than 1 value per channel when training: the batch variance of a single value is 0 and the normalized output would be meaningless, 0 whatever the input (got input shape ${shapeText(x.shape)}). Use inference mode, a larger batch, or a per-example normalization such as GroupNorm.`,
    );
  }
}

export function checkGroups(groups: number, channels: number): void {
  if (!Number.isInteger(groups) || groups < 1 || channels % groups !== 0) {
    throw new BnInputError(`The number of groups must be a whole number that divides the ${channels} channels; got ${groups}.`);
  }
}
