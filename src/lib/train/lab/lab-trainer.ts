import type { RunConfig } from '../config';
import type { ModelArtifactsJson } from '../core/weights';
import type { DigitPredictions, EvalResult, FeatureMaps, PerRun, RunMetrics, RunName } from './protocol';

export interface EvaluateOptions {
  /** Add each test batch's training-mode accuracy (a second pass). */
  trainMode?: boolean;
  /** Add the inference-mode confusion matrix. */
  confusion?: boolean;
}

/**
 * What the training loop and the worker's handler ask of the lab's twins, wherever they train:
 * both in this worker (TwinTrainer), or each in a worker of its own (SplitTrainer).
 */
export interface LabTrainer {
  readonly config: RunConfig;
  readonly step: number;
  readonly done: boolean;
  readonly runNames: RunName[];
  /** One optimizer step of each twin still training, on the same batch. No readback. */
  trainStep(): void;
  readMetrics(): Promise<PerRun<RunMetrics>>;
  /** `onProgress` hears how many of the examples × runs are done. */
  evaluate(examples?: number, onProgress?: (done: number, total: number) => void, options?: EvaluateOptions): Promise<PerRun<EvalResult>>;
  galleryPredictions(): Promise<PerRun<number[]>>;
  exportNetworks(only?: RunName): Promise<PerRun<ModelArtifactsJson>>;
  inspectDigit(pixels: Float32Array, layer: number): Promise<{ predictions: DigitPredictions; maps: FeatureMaps }>;
  dispose(): void;
}
