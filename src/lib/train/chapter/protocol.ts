/**
 * The contract between the chapter "BN in modern networks" and its worker (chapter.worker.ts),
 * which trains the small networks of two of its widgets off the main thread. Data only: the
 * page writes every sentence the reader sees.
 */
import type { ShiftKind } from '../../data/shifts';
import type { PreciseCheckpoint, ShiftResult } from './adaptation';
import type { DecayPoint } from './decay';
import type { PracticeResult, PracticeTask } from './practice-protocol';
import type { ModelArtifactsJson } from '../core/weights';

export type ChapterRequest =
  /** Section 4: load MNIST, train the BN CNN, keep it for `shift` requests. */
  | { type: 'adapt-train'; baseUrl: string }
  /** Section 4 with the reader's own network: a saved lab run's BN CNN, loaded instead of trained. */
  | { type: 'adapt-load'; baseUrl: string; network: ModelArtifactsJson }
  | { type: 'shift'; id: number; kind: ShiftKind; strength: number; seed: number }
  /** Section 2: train the BN MLP with weight decay λ (0 for the reference run). */
  | { type: 'decay-train'; baseUrl: string; id: number; weightDecay: number }
  /** BN in practice (practice.ts): a task on the network above, or on fresh ones. */
  | ({ type: 'practice'; baseUrl: string; id: number } & PracticeTask);

export type ChapterReply =
  | { type: 'data-progress'; loaded: number; total: number }
  | { type: 'train-progress'; id: number; step: number; total: number }
  | { type: 'checkpoint'; checkpoint: PreciseCheckpoint }
  | { type: 'adapt-ready'; backend: string }
  | ({ type: 'shift-result'; id: number } & ShiftResult)
  | { type: 'decay-result'; id: number; weightDecay: number; points: DecayPoint[] }
  | ({ type: 'practice-result'; id: number } & PracticeResult)
  | { type: 'error'; message: string };
