/**
 * The contract between the lab page and its training worker: the messages each way and the data
 * they carry. It owns these types; the trainer, the sweeps and the page import them from here.
 * The worker sends data only; the page writes every sentence the reader sees.
 */
import type { BackendChoice, BackendName, RunConfig, TwinNorm } from '../config';
import type { Answer, Asked } from '../core/channel';
import type { ModelArtifactsJson } from '../core/weights';

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
  /** Per hidden layer: the watched unit's input to its nonlinearity on the watch batch (trainer.ts). */
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
  /** The final evaluation's confusion matrix: entry [true·10 + predicted], inference mode. */
  confusion?: number[];
  /** Inference-mode predicted class of each gallery digit (see `ready`'s `digits`). */
  gallery?: number[];
  examples: number;
}

/** One drawn digit's class probabilities (10 each), read four ways. */
export interface DigitPredictions {
  /** The normalized network in inference mode: its running averages. */
  normInference: number[];
  plain: number[];
  /** The normalized network in training mode, the digit alone: its own statistics. */
  normBatchOfOne: number[];
  /** The normalized network in training mode, the digit in a batch with 31 test digits. */
  normInBatch: number[];
}

/** One layer's activations for one digit, height × width × channels each (channel last). */
export interface LayerMap {
  height: number;
  width: number;
  channels: number;
  /** Going into the normalization (the layer's linear output; its activation with BN after the nonlinearity). */
  before: Float32Array;
  /** Out of the normalization (inference mode); absent without one. */
  after?: Float32Array;
}

export interface FeatureMaps {
  layer: number;
  norm: LayerMap;
  plain: LayerMap;
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

/** The gallery's test digits: pixels 0..255, one 28×28 image after another, and their labels. */
export interface GalleryDigits {
  pixels: Uint8Array;
  labels: number[];
}

/** A saved run to continue: both networks (weights and running averages) and the step they reached. */
export interface ResumeState {
  models: PerRun<ModelArtifactsJson>;
  step: number;
}

/** Commands: the worker acts on them and reports through events; nothing answers them one to one. */
export type LabCommand =
  /** `resume`: continue from a saved state (weights, running averages, step) instead of step 0. */
  | { type: 'init'; config: RunConfig; backend: BackendChoice; baseUrl: string; resume?: ResumeState }
  /**
   * Sent once, before `init`, when each twin trains in a worker of its own: the port between the
   * two workers. The lead runs the training loop and talks to the page; the helper trains the
   * plain twin on the lead's word (pair-protocol.ts).
   */
  | { type: 'pair'; role: 'lead' | 'helper'; port: MessagePort }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'sweep'; sweep: SweepSpec; config: RunConfig }
  | { type: 'cancel-sweep' };

/** Requests: each is answered once, by the reply of the same id (`request` in core/channel.ts). */
export type LabRequest =
  | { type: 'export-model'; run: RunName }
  /** Read a drawn digit (784 values in 0..1) and one layer's feature maps. */
  | { type: 'inspect'; pixels: Float32Array; layer: number }
  /** Start exactly this backend, or refuse as 'backend-unavailable' (the probe's worker, before it is timed). */
  | { type: 'use-backend'; backend: BackendName }
  /** Time a few warm training steps of `config` on the backend started by 'use-backend', on synthetic data. */
  | { type: 'measure-speed'; config: RunConfig };

/** What each request is answered with. */
export interface LabReplies {
  'export-model': { artifacts: ModelArtifactsJson };
  inspect: { predictions: DigitPredictions; maps: FeatureMaps };
  /** `software`: the renderer's name when a GPU backend runs on a software renderer (not timed). */
  'use-backend': { software?: string };
  'measure-speed': { examplesPerSecond: number };
}

/**
 * Why something failed, as data: the page words it. `detail` is the underlying error's own text
 * (tfjs's, the browser's), shown as it is and never parsed.
 */
export type FailureCause =
  /** The WebGL context was lost mid-run: the backend neither throws nor computes any more. */
  | 'context-lost'
  /** A training step or evaluation threw mid-run. */
  | 'step-failed'
  /** The trainer could not start (no backend, no data, a saved run that does not fit). */
  | 'init'
  /** The backend asked for does not start here (speed measurement). */
  | 'backend-unavailable'
  /** The networks are not there yet (inspect or export before the trainer is ready). */
  | 'not-ready'
  /** Any other command or request that threw. */
  | 'failed'
  /** The worker itself died (page side: its error event, or a request left unanswered). */
  | 'crashed';

export interface Failure {
  cause: FailureCause;
  detail?: string;
}

/** Events from the worker: progress, metrics and state. The page only draws them. */
/** `ready`'s `workers`: 2 when each twin trains in a worker of its own (absent: both in one). */
export type LabEvent =
  | { type: 'data-progress'; loaded: number; total: number }
  | { type: 'ready'; backend: BackendName; unavailable?: string; threads?: number; trainCount: number; testCount: number; digits: GalleryDigits; gallery: PerRun<number[]>; step: number; workers?: 2 }
  | { type: 'metrics'; metrics: PerRun<RunMetrics>; stepsPerSecond: number; tensors: number }
  | { type: 'diverged'; run: RunName; step: number; loss: number }
  | { type: 'eval-progress'; done: number; total: number }
  /** `networks`: both twins' state at this evaluation (every NETWORKS_EVERY steps), so a lost run can go on from here. */
  | { type: 'eval'; results: PerRun<EvalResult>; final: boolean; networks?: { step: number; models: PerRun<ModelArtifactsJson> } }
  | { type: 'state'; state: 'paused' | 'training' | 'finished' }
  | { type: 'sweep-point'; point: SweepPoint; index: number; total: number }
  | { type: 'sweep-done'; cancelled: boolean }
  /** `fatal`: the trainer cannot go on (failed to start, or its backend broke mid-run). */
  | { type: 'failure'; failure: Failure; fatal: boolean };

/** Everything the page posts to the worker, and everything the worker posts back. */
export type ToWorker = LabCommand | Asked<LabRequest>;
export type FromWorker = LabEvent | Answer<LabReplies[keyof LabReplies], FailureCause>;
