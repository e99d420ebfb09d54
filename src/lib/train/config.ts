/** Everything that defines a lab run; it round-trips through the URL and the worker protocol. */
export type Preset = 'cnn' | 'mlp';
export type OptimizerName = 'sgd' | 'momentum' | 'adam';
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
/** Where BN sits: on the layer's linear output before its nonlinearity (the paper), or after it. */
export type Placement = 'before' | 'after';
/**
 * What the "normalized" twin uses: BN; GroupNorm; BN followed by noise with a drifting non-unit
 * mean and scale (Santurkar et al. 2018); or a BN layer that is built but never called — the
 * published pitfall, whose "BN" model is the plain model.
 */
export type NormKind = 'bn' | 'gn' | 'noisy-bn' | 'unused-bn';
export type Convention = 'pytorch' | 'keras';

export interface RunConfig {
  preset: Preset;
  norm: NormKind;
  placement: Placement;
  groups: number;
  convention: Convention;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  steps: number;
  seed: number;
  /** Read loss and instrumentation every this many steps (no readback in between). */
  metricsEvery: number;
  /** Test examples used for the periodic evaluation; the final one uses the whole test set. */
  evalExamples: number;
  instrument: boolean;
}

export const DEFAULT_CONFIG: RunConfig = {
  preset: 'cnn',
  norm: 'bn',
  placement: 'before',
  groups: 4,
  convention: 'pytorch',
  optimizer: 'adam',
  learningRate: 0.01,
  batchSize: 32,
  steps: 200,
  seed: 1,
  metricsEvery: 10,
  evalExamples: 1000,
  instrument: true,
};

/** The paper's Figure 1 network uses batch 60 and plain SGD. */
export const PRESET_DEFAULTS: Record<Preset, Partial<RunConfig>> = {
  cnn: { batchSize: 32, optimizer: 'adam', learningRate: 0.01 },
  mlp: { batchSize: 60, optimizer: 'sgd', learningRate: 0.5 },
};
