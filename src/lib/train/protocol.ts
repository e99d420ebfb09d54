/**
 * The contract between the lab page and its training worker: the messages each way and the data
 * they carry. It owns these types; the trainer, the sweeps and the page import them from here.
 * The worker sends data only; the page writes every sentence the reader sees.
 */
import type { BackendChoice, BackendName, RunConfig, TwinNorm } from './config';

/**
 * A twin's name: 'norm' and 'plain' in the standard comparison; a batch-size sweep trains
 * 'bn' against 'gn' (GroupNorm's statistics do not depend on the batch).
 */
export type RunName = 'norm' | 'plain' | 'bn' | 'gn';

/** Something per twin; only the twins of the current run are present. */
export type PerRun<T> = Partial<Record<RunName, T>>;

/** One of the networks trained in lockstep; `norm: null` is the plain network. */
export interface Variant {
  name: RunName;
  norm: TwinNorm | null;
}

export type RunStatus = 'training' | 'diverged' | 'finished';

export interface Percentiles {
  p15: number;
  p50: number;
  p85: number;
}

/** What one metrics read reports for one of the twins. */
export interface RunMetrics {
  step: number;
  loss: number;
  status: RunStatus;
  /** Per hidden layer: the watched unit's input to its nonlinearity on the probe batch. */
  percentiles?: Percentiles[];
  /** Per normalized layer, channel 0's running mean and variance. */
  running?: Array<{ mean: number; variance: number }>;
}

export interface EvalResult {
  step: number;
  /** Inference mode: running averages. */
  inferAccuracy: number;
  /** Training mode: each test batch normalized by its own statistics (not in every periodic evaluation). */
  trainModeAccuracy?: number;
  examples: number;
}

/**
 * A sweep: short twin runs across learning rates (normalized vs plain) or batch sizes (BN vs
 * GroupNorm).
 */
export type SweepKind = 'lr' | 'batch';

export interface SweepSpec {
  kind: SweepKind;
  values: number[];
  steps: number;
}

export interface SweepOutcome {
  /** The run's loss became non-finite, or it ended no better than FAILED_ACCURACY. */
  diverged: boolean;
  divergedAtStep: number | null;
  loss: number;
  accuracy: number;
}

export interface SweepPoint {
  value: number;
  runs: PerRun<SweepOutcome>;
}

/** What tfjs IO needs to save a model: the run's config as topology, weight specs and bytes. */
export interface ModelArtifactsJson {
  config: RunConfig;
  weightSpecs: Array<{ name: string; shape: number[]; dtype: 'float32' }>;
  weightData: ArrayBuffer;
}

/** Messages from the lab page to the training worker. */
export type ToWorker =
  | { type: 'init'; config: RunConfig; backend: BackendChoice; baseUrl: string }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'export-model'; run: RunName }
  | { type: 'sweep'; sweep: SweepSpec; config: RunConfig }
  | { type: 'cancel-sweep' }
  /** Time a few warm training steps of `config` on exactly this backend, on synthetic data. */
  | { type: 'probe'; config: RunConfig; backend: BackendName };

/** Messages from the worker: progress, metrics and state. The page only draws them. */
export type FromWorker =
  | { type: 'data-progress'; loaded: number; total: number }
  | { type: 'ready'; backend: BackendName; unavailable?: string; threads?: number; trainCount: number; testCount: number }
  | { type: 'metrics'; metrics: PerRun<RunMetrics>; stepsPerSecond: number; tensors: number }
  | { type: 'diverged'; run: RunName; step: number; loss: number }
  | { type: 'eval-progress'; done: number; total: number }
  | { type: 'eval'; results: PerRun<EvalResult>; final: boolean }
  | { type: 'state'; state: 'paused' | 'training' | 'finished' }
  | { type: 'model'; run: RunName; artifacts: ModelArtifactsJson }
  | { type: 'sweep-point'; point: SweepPoint; index: number; total: number }
  | { type: 'sweep-done'; cancelled: boolean }
  | { type: 'error'; message: string; fatal: boolean }
  | { type: 'probe-result'; backend: BackendName; examplesPerSecond: number; firstStepMs: number }
  | { type: 'probe-failed'; backend: BackendName; reason: string };
