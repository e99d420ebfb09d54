/**
 * The settings of the computations the chapter "BN in practice" runs in the chapter worker. Pure
 * data, so the widgets' shells can print them at build time without importing tfjs.
 */
import type { ShiftKind } from '../../data/shifts';

/** Micro-batches and gradient accumulation: one batch of training digits, cut into micro-batches. */
export const ACCUMULATION_RUN = {
  batchSize: 32,
  /** Micro-batch sizes compared (each divides the batch). */
  microBatches: [1, 2, 4, 8, 16],
  seed: 11,
} as const;

export interface FinetuneSettings {
  examples: number;
  steps: number;
  learningRate: number;
  checkEvery: number;
  testExamples: number;
  shift: ShiftKind;
  strength: number;
  seed: number;
}

/** Fine-tuning a trained BN CNN on a small shifted set with tiny batches, three ways. */
export const FINETUNE_RUN: Readonly<FinetuneSettings> = {
  /** Training digits (from the end of the split, unseen by the 200-step run) shifted for fine-tuning. */
  examples: 256,
  steps: 40,
  learningRate: 0.003,
  /** Accuracy on the old and the new test digits every this many steps. */
  checkEvery: 10,
  /** Test digits each accuracy is measured on (old: unshifted; new: shifted the same way). */
  testExamples: 500,
  shift: 'brightness',
  strength: 0.3,
  seed: 4,
};

/** Fine-tuning batch sizes offered. */
export const FINETUNE_BATCHES = [1, 2, 4, 8, 32] as const;

/** The three ways of treating BN while fine-tuning, in the order the page lists them. */
export const FINETUNE_MODES = [
  ['train', 'BN in training mode'],
  ['frozen', 'BN frozen (FrozenBatchNorm2d)'],
  ['stats-frozen', 'statistics frozen, γ and β trained'],
] as const;
export type FinetuneMode = (typeof FINETUNE_MODES)[number][0];

/** Class-sorted against shuffled test batches, BN in training mode. */
export const SORTED_RUN = {
  testExamples: 1000,
  seed: 9,
} as const;

/** Test batch sizes offered for the sorted-batch comparison. */
export const SORTED_BATCHES = [10, 20, 50, 100] as const;

export interface TentSettings {
  testExamples: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

/** Prediction-time BN and one TENT step on shifted test digits. */
export const TENT_RUN: Readonly<TentSettings> = {
  testExamples: 1000,
  /** Test digits per batch: prediction-time BN normalizes each with its own statistics. */
  batchSize: 100,
  /** The step on γ and β: plain gradient descent on the mean entropy of the batch (its gradient is small). */
  learningRate: 2,
  seed: 7,
};

/**
 * Weight decay with and without γ and β: the lab's BN MLP (sigmoid, BN before each sigmoid)
 * trained twice with plain SGD and L2 decay λ on every weight matrix, once with γ and β decayed too.
 */
export const AFFINE_DECAY_RUN = {
  steps: 300,
  batchSize: 60,
  learningRate: 0.2,
  seed: 3,
  recordEvery: 10,
  testExamples: 1000,
} as const;

/** Decays offered (large, so that 300 steps show what a long run does). */
export const AFFINE_DECAYS = [0.01, 0.03, 0.1] as const;
