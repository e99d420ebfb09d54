/**
 * The settings of the runs the chapter "BN in modern networks" trains in its worker. Pure data,
 * so the widgets' shells can print them at build time without importing tfjs.
 */

/** Section 4 (adaptation.ts): the BN CNN, its evaluation digits and its precise-BN checkpoints. */
export const ADAPTATION_RUN = {
  steps: 200,
  batchSize: 32,
  learningRate: 0.01,
  seed: 1,
  /** Compare the stored and the precise statistics every this many steps. */
  checkEvery: 25,
  /** Test digits every accuracy here is measured on (the first ones of MNIST's test set). */
  testExamples: 1000,
  /** Training digits "precise BN" recomputes the population statistics on. */
  preciseExamples: 500,
} as const;

/** Shifted digits the section 4 widget shows. */
export const PREVIEW_DIGITS = 6;

/** Section 2 (decay.ts): the BN MLP trained with plain SGD and weight decay. */
export const DECAY_RUN = {
  steps: 300,
  batchSize: 60,
  learningRate: 0.2,
  seed: 3,
  /** Record the norms every this many steps. */
  recordEvery: 5,
} as const;

/**
 * Where ‖Δw‖/‖w‖ settles for a scale-invariant layer under SGD with weight decay: the decay's
 * shrinking of ‖w‖² by 2ηλ‖w‖² balances the growth η²‖g‖² that a gradient orthogonal to w adds,
 * and then ‖Δw‖/‖w‖ = √(2ηλ) whatever the layer.
 */
export const equilibriumStep = (learningRate: number, weightDecay: number): number => Math.sqrt(2 * learningRate * weightDecay);
