/**
 * "Train with my BN": messages between the page (sandbox.ts), the sandbox iframe's host
 * (public/sandbox/index.html) and the training worker (my-bn.worker.ts), and the run's fixed
 * settings. The page sends everything the worker needs in one 'train' message (its source, the
 * tfjs WASM binary, the batches and test images): the sandbox itself can fetch nothing.
 */

/** The lab's CNN settings (src/lib/train/config.ts DEFAULT_CONFIG): Adam 0.01, batch 32, seed 1, PyTorch's convention. */
export const TRAIN_SETTINGS = { batchSize: 32, learningRate: 0.01, seed: 1, evalEvery: 10, testExamples: 500 } as const;
export const TRAIN_STEPS = 100;

/**
 * A step that has not finished after this long is stopped (the worker is terminated): a runaway
 * loop in the reader's layer. Per step, not per run: 100 steps take far longer than any one.
 */
export const STEP_LIMIT_MS = 5000;
/** Starting the worker and compiling the WASM binary, before the first step. */
export const START_LIMIT_MS = 30_000;

export interface TrainData {
  /** The batches in the lab's order, one after another: steps × batchSize images of 784 bytes. */
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

export interface TrainRequest {
  type: 'train';
  id: number;
  /** The training worker's code (the sandbox cannot load it). */
  source: string;
  /** tfjs-backend-wasm's SIMD binary. */
  wasm: ArrayBuffer;
  data: TrainData;
  steps: number;
  /** The reader's code defining batchNorm(x, gamma, beta, eps, runningMean, runningVar). */
  code: string;
  /** Their batchNormBackward, when they solved the backward exercise: then it is the gradient. */
  backwardCode?: string;
}

/** Where the reader's code is running, so that a stopped run can name it. */
export interface Place {
  step: number;
  layer: number;
  pass: 'forward' | 'backward';
}

export interface StepRecord {
  step: number;
  loss: { mine: number; site: number };
  /** Per conv layer, in the reader's run: how their layer's output compares with BN's on the same input. */
  layers: Array<{ maxDiff: number; outputVariance: number }>;
}

export interface EvalRecord {
  step: number;
  accuracy: { mine: number; site: number };
}

export type TrainEvent =
  | { type: 'started'; id: number; gradient: 'autodiff' | 'backward' }
  | { type: 'at'; id: number; place: Place }
  | { type: 'step'; id: number; record: StepRecord }
  | { type: 'eval'; id: number; record: EvalRecord }
  /** Their layer's statistics could not feed the running averages (e.g. the wrong shape). */
  | { type: 'note'; id: number; text: string }
  | { type: 'done'; id: number; examplesPerSecond: number }
  | { type: 'failed'; id: number; place?: Place; error: { name: string; message: string } }
  /** From the sandbox's host: the step passed STEP_LIMIT_MS and the worker was terminated. */
  | { type: 'train-stopped'; id: number; place?: Place; afterMs: number };
