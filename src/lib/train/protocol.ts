import type { BackendName, RunConfig } from './config';
import type { EvalResult, RunMetrics, RunName } from './trainer';
import type { SweepPoint, SweepSpec } from './sweep';

/** Messages from the lab page to the training worker. */
export type ToWorker =
  | { type: 'init'; config: RunConfig; backend: BackendName | 'auto'; baseUrl: string }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'export-model'; run: RunName }
  | { type: 'sweep'; sweep: SweepSpec; config: RunConfig }
  | { type: 'cancel-sweep' };

/** Messages from the worker: progress, metrics and state. The page only draws them. */
export type FromWorker =
  | { type: 'data-progress'; loaded: number; total: number }
  | { type: 'ready'; backend: BackendName; note?: string; threads?: number; trainCount: number; testCount: number }
  | { type: 'metrics'; metrics: Record<RunName, RunMetrics>; stepsPerSecond: number; tensors: number }
  | { type: 'eval-progress'; done: number; total: number }
  | { type: 'eval'; results: Record<RunName, EvalResult>; final: boolean }
  | { type: 'state'; state: 'paused' | 'training' | 'finished' }
  | { type: 'model'; run: RunName; artifacts: ModelArtifactsJson }
  | { type: 'sweep-point'; point: SweepPoint; index: number; total: number }
  | { type: 'sweep-done'; cancelled: boolean }
  | { type: 'error'; message: string; fatal: boolean };

/** What tfjs IO needs to save a model: the run's config as topology, weight specs and bytes. */
export interface ModelArtifactsJson {
  config: RunConfig;
  weightSpecs: Array<{ name: string; shape: number[]; dtype: 'float32' }>;
  weightData: ArrayBuffer;
}
