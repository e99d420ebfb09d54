/**
 * The chapter "BN in practice"'s requests to the chapter worker (chapter.worker.ts) and their
 * results. Data only: the page writes every sentence the reader sees.
 */
import type { ShiftKind } from '../data/shifts';
import type { AccumulationPoint, FinetunePoint, SortedResult, TentResult } from './practice';

/** What to compute. All but `accumulate` need the network of `adapt-train` or `adapt-load`. */
export type PracticeTask =
  | { task: 'accumulate' }
  | { task: 'finetune'; batchSize: number }
  | { task: 'sorted'; batchSize: number }
  | { task: 'tent'; kind: ShiftKind; strength: number };

export type PracticeResult =
  | { task: 'accumulate'; points: AccumulationPoint[]; headBias: HeadBiasGradients[] }
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
