/**
 * A saved lab run and the store's results, as data: no DOM, no Plot. The lab records runs
 * (recorder.ts), the store keeps them (store.ts), and both the lab and the chapter's shift
 * widget read them.
 */
import type { RunConfig } from '../train/config';
import type { ModelArtifactsJson } from '../train/core/weights';
import type { EvalResult, PerRun, RunMetrics } from '../train/lab/protocol';

/** A run's curves: every metrics read and every evaluation, in step order. */
export interface History {
  metrics: Array<{ step: number; runs: PerRun<RunMetrics> }>;
  evals: Array<{ step: number; runs: PerRun<EvalResult> }>;
}

export interface SavedRun {
  /** Unique within the browser; also the sort key (creation time first). */
  id: string;
  /** When the run started (ISO 8601). */
  date: string;
  /** When it was last written (ISO 8601). */
  updated: string;
  config: RunConfig;
  /** The backend the run trained on, as the worker reported it. */
  backend: string;
  /** Examples per second over both twins, the last reading. */
  examplesPerSecond: number | null;
  /** 'finished': trained all its steps and evaluated on the whole test set. */
  status: 'finished' | 'stopped';
  /** The last step whose metrics are stored. */
  step: number;
  curves: History;
  /** Inference-mode test accuracy of each twin: the final evaluation, else the latest periodic one. */
  accuracy: { norm?: number; plain?: number; normTrainMode?: number };
  /** How many test images that accuracy was measured on. */
  evalExamples: number | null;
  /** The trained networks, where the worker sent them (finished or paused runs, and every 100 steps). */
  models: PerRun<ModelArtifactsJson>;
  /** The step the stored networks are from (a run in progress saves them less often than its curves). */
  modelsStep?: number;
}

/** The step a saved run's networks are from: modelsStep, else (saved before it existed) the run's last step. */
export const networksStep = (run: SavedRun): number => run.modelsStep ?? run.step;

export type StoreProblem = { kind: 'unavailable' | 'full' | 'failed'; message: string };
export type Stored<T> = { ok: true; value: T } | { ok: false; problem: StoreProblem };

