/**
 * The chapter "BN in practice"'s requests to the chapter worker (chapter.worker.ts) and their
 * results. Data only: the page writes every sentence the reader sees.
 */
import type { ShiftKind } from '../../data/shifts';
import type { FinetuneMode } from './practice-runs';

/** What to compute. `accumulate` and `affine-decay` build their own networks; the others need the one of `adapt-train` or `adapt-load`. */
export type PracticeTask =
  | { task: 'accumulate' }
  | { task: 'affine-decay'; weightDecay: number }
  | { task: 'finetune'; batchSize: number }
  | { task: 'sorted'; batchSize: number }
  | { task: 'tent'; kind: ShiftKind; strength: number };

export type PracticeResult =
  | { task: 'accumulate'; points: AccumulationPoint[]; headBias: HeadBiasGradients[] }
  | ({ task: 'affine-decay'; weightDecay: number } & AffineDecayResult)
  | { task: 'finetune'; batchSize: number; points: FinetunePoint[] }
  | ({ task: 'sorted'; batchSize: number } & SortedResult)
  | ({ task: 'tent'; kind: ShiftKind; strength: number } & TentResult);

/**
 * The head's bias gradient for one micro-batch size: the whole batch's, and each micro-batch's,
 * so that a reader (and the browser test) can average the micro-batches' and compare.
 */
export interface HeadBiasGradients {
  microBatch: number;
  bn: { whole: number[]; micro: number[][] };
  plain: { whole: number[]; micro: number[][] };
}

export interface AccumulationPoint {
  microBatch: number;
  /** ‖g_accumulated − g_batch‖ / ‖g_batch‖ over every trainable parameter, BN network. */
  bnGap: number;
  /** The same for the plain network (same initial weights, no BN). */
  plainGap: number;
  /** First BN layer: the micro-batches' variance (mean over micro-batches and channels) over the whole batch's. */
  varianceRatio: number;
}

export interface FinetunePoint {
  mode: FinetuneMode;
  step: number;
  /** Accuracy on unshifted test digits: what the network knew. */
  old: number;
  /** Accuracy on shifted test digits: what it is being fine-tuned for. */
  new: number;
}

export interface SortedResult {
  /** Inference mode (stored statistics): the batch does not matter. */
  inference: number;
  /** Training mode, each test batch a random draw of the test digits. */
  shuffled: number;
  /** Training mode, the test digits sorted by label, so that most batches hold one class. */
  sorted: number;
}

export interface TentResult {
  /** Inference mode with the stored running averages. */
  stored: number;
  /** Prediction-time BN: each test batch normalized with its own statistics. */
  predictionTime: number;
  /** Prediction-time BN after one TENT step on γ and β (entropy of the first test batch). */
  afterStep: number;
  /** Mean prediction entropy (nats) over the shifted digits, before and after the step. */
  entropyBefore: number;
  entropyAfter: number;
}

export interface AffineDecayPoint {
  step: number;
  /** Whether γ and β were decayed with the weights in this run. */
  affineDecayed: boolean;
  /** Mean γ over every hidden unit. */
  gamma: number;
}

export interface AffineDecayResult {
  points: AffineDecayPoint[];
  /** Inference-mode test accuracy at the end: γ and β decayed, and spared. */
  accuracyDecayed: number;
  accuracySpared: number;
}
