/**
 * The chapter "BN in practice"'s requests to the chapter worker (chapter.worker.ts) and their
 * results. Data only: the page writes every sentence the reader sees.
 */
import type { ShiftKind } from '../../data/shifts';
import type { AccumulationPoint, AffineDecayResult, FinetunePoint, SortedResult, TentResult } from './practice';

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
