/**
 * The BN math, in one place: widgets, the lab's trainer and the tests all normalize through
 * these functions. Pure functions on tfjs tensors (channels-last) that run on any backend; the
 * lab's backend-specific kernels for them are in src/lib/kernels.
 */
export { BnInputError } from './errors';
export { batchNormTrain, batchNormInference, reductionAxes, type AffineParams, type InferenceParams, type BatchNormTrainResult } from './batchnorm';
export { updateRunningStats, runningUpdateInputs, batchWeight, CONVENTIONS, type Convention, type RunningStats, type BatchStats, type UpdateOptions } from './running';
export { batchNormBackward, batchNormInferenceBackward, type BatchNormGradients, type BackwardOptions } from './backward';
export { batchNormTrainFused, OPS_PASSES, type FusedPasses, type FusedParams, type FusedBatchNormResult } from './fused';
export { groupNorm, layerNorm, instanceNorm, statisticId, statisticSize, type NormKind, type GroupParams } from './norms';
export { batchRenorm, type RenormParams, type RenormResult } from './renorm';
export { foldBatchNorm, conv2dSame, type FoldInputs } from './fold';
export { ghostBatchStats, syncedStats, type GhostStats } from './ghost';
export { sequenceBatchMoments, tokenMoments } from './sequence';
export { dropoutVarianceShift } from './dropout';
export { parseBatch, parseNumber, readDecimal, MAX_BATCH } from './parse';
// traceBatchNorm itself is imported from './trace' directly: a value export here would pull mathjs
// into every widget's chunk, and the transform chapter loads it only when its trace is shown.
export type { BatchTrace, TraceValue, TraceInput, TraceParams } from './trace';
export { elementsPerChannel, channelsOf } from './validate';
