/**
 * Every widget's schema, keyed by its folder under components/. Tests loop over this list (the
 * bad-input test feeds every declared link parameter bad values); a new widget adds its line.
 */
import type { WidgetSchema } from '../src/lib/widget/schema';
import { schema as distributions } from './distributions/schema';
import { schema as identity } from './identity/schema';
import { schema as transformSteps } from './transform-steps/schema';
import { schema as gradCheck } from './grad-check/schema';
import { schema as fold } from './fold/schema';
import { schema as oneExample } from './one-example/schema';
import { schema as pitfalls } from './pitfalls/schema';
import { schema as runningAverages } from './running-averages/schema';
import { schema as batchNoise } from './batch-noise/schema';
import { schema as normAxes } from './norm-axes/schema';
import { schema as deepGradients } from './deep-gradients/schema';
import { schema as gdValley } from './gd-valley/schema';
import { schema as sigmoidDrift } from './sigmoid-drift/schema';
import { schema as residualInit } from './residual-init/schema';
import { schema as weightDecay } from './weight-decay/schema';
import { schema as ghostBatch } from './ghost-batch/schema';
import { schema as shiftAdapt } from './shift-adapt/schema';
import { schema as paddedBatch } from './padded-batch/schema';
import { schema as dropoutShift } from './dropout-shift/schema';
import { schema as gradAccumulation } from './grad-accumulation/schema';
import { schema as frozenBn } from './frozen-bn/schema';
import { schema as float16Bn } from './float16-bn/schema';
import { schema as sortedBatches } from './sorted-batches/schema';
import { schema as tentStep } from './tent-step/schema';
import { schema as ddpBuffers } from './ddp-buffers/schema';
import { schema as batchRenorm } from './batch-renorm/schema';
import { schema as affineDecay } from './affine-decay/schema';

export const WIDGET_SCHEMAS: Record<string, WidgetSchema> = {
  distributions,
  identity,
  'transform-steps': transformSteps,
  'grad-check': gradCheck,
  fold,
  'one-example': oneExample,
  pitfalls,
  'running-averages': runningAverages,
  'batch-noise': batchNoise,
  'norm-axes': normAxes,
  'deep-gradients': deepGradients,
  'gd-valley': gdValley,
  'sigmoid-drift': sigmoidDrift,
  'residual-init': residualInit,
  'weight-decay': weightDecay,
  'ghost-batch': ghostBatch,
  'shift-adapt': shiftAdapt,
  'padded-batch': paddedBatch,
  'dropout-shift': dropoutShift,
  'grad-accumulation': gradAccumulation,
  'frozen-bn': frozenBn,
  'float16-bn': float16Bn,
  'sorted-batches': sortedBatches,
  'tent-step': tentStep,
  'ddp-buffers': ddpBuffers,
  'batch-renorm': batchRenorm,
  'affine-decay': affineDecay,
};
