import * as tf from '@tensorflow/tfjs-core';
import { batchNormInference, batchNormTrain } from './batchnorm';
import { batchNormBackward, batchNormInferenceBackward } from './backward';
import { updateRunningStats } from './running';
import { groupNorm } from './norms';
import { conv2dSame, foldBatchNorm } from './fold';

/**
 * Runs one PyTorch reference case (../shared/golden/README.md) through this library. Anything
 * the runner does not understand — an op, a param, an expected field — fails the case, so a
 * new kind of case cannot pass by being skipped.
 */
export interface GoldenTensor {
  shape: number[];
  data: number[];
}
export interface GoldenCase {
  name: string;
  op: string;
  layout?: string;
  source?: string;
  params: Record<string, unknown>;
  inputs: Record<string, GoldenTensor>;
  expected: Record<string, GoldenTensor>;
  tolerance: { rtol: number; atol: number };
}
export interface FieldResult {
  field: string;
  maxError: number;
  ok: boolean;
  reason?: string;
}
export interface CaseResult {
  name: string;
  ok: boolean;
  maxError: number;
  fields: FieldResult[];
  reason?: string;
}

/** Descriptive params that document a case rather than change it. */
const DESCRIPTIVE = new Set(['momentum_convention', 'running_var_update_uses', 'affine', 'filter_layout', 'source']);

const KNOWN: Record<string, { params: string[]; inputs: string[]; expected: string[] }> = {
  batch_norm: {
    params: ['eps', 'momentum', 'training', 'num_batches_tracked_before'],
    inputs: ['x', 'gamma', 'beta', 'running_mean', 'running_var', 'dy'],
    expected: ['y', 'running_mean', 'running_var', 'dx', 'dgamma', 'dbeta', 'batch_mean', 'batch_var_biased', 'batch_var_unbiased'],
  },
  layer_norm: { params: ['eps', 'groups'], inputs: ['x', 'gamma', 'beta'], expected: ['y'] },
  instance_norm: { params: ['eps', 'groups'], inputs: ['x', 'gamma', 'beta'], expected: ['y'] },
  group_norm: { params: ['eps', 'groups'], inputs: ['x', 'gamma', 'beta'], expected: ['y'] },
  fold_conv_bn: { params: ['eps', 'padding', 'stride'], inputs: ['x', 'filter', 'bias', 'gamma', 'beta', 'running_mean', 'running_var'], expected: ['y', 'folded_filter', 'folded_bias'] },
};

class CaseError extends Error {}

function computeCase(c: GoldenCase): Record<string, tf.Tensor> {
  const known = KNOWN[c.op];
  if (!known) throw new CaseError(`unknown op "${c.op}"`);
  for (const key of Object.keys(c.params)) {
    if (!known.params.includes(key) && !DESCRIPTIVE.has(key)) throw new CaseError(`unknown param "${key}" for ${c.op}`);
  }
  for (const key of Object.keys(c.expected)) if (!known.expected.includes(key)) throw new CaseError(`unknown expected field "${key}" for ${c.op}`);
  if (c.layout !== undefined && c.layout !== 'NC' && c.layout !== 'NHWC') throw new CaseError(`unsupported layout "${c.layout}"`);
  const input = (name: string): tf.Tensor => {
    const t = c.inputs[name];
    if (!t) throw new CaseError(`missing input "${name}"`);
    return tf.tensor(t.data, t.shape, 'float32');
  };
  const eps = c.params.eps;
  if (typeof eps !== 'number') throw new CaseError('params.eps must be a number');

  if (c.op === 'batch_norm') {
    const x = input('x');
    const gamma = input('gamma');
    const beta = input('beta');
    const runningMean = input('running_mean');
    const runningVar = input('running_var');
    const dy = input('dy');
    const momentum = c.params.momentum;
    if (momentum !== null && typeof momentum !== 'number') throw new CaseError('params.momentum must be a number or null');
    if (typeof c.params.training !== 'boolean') throw new CaseError('params.training must be true or false');
    if (!c.params.training) {
      const grads = batchNormInferenceBackward(x, gamma as tf.Tensor1D, runningMean as tf.Tensor1D, runningVar as tf.Tensor1D, dy, eps);
      return {
        y: batchNormInference(x, { gamma, beta, runningMean, runningVar, eps }),
        running_mean: runningMean,
        running_var: runningVar,
        ...grads,
      };
    }
    const before = c.params.num_batches_tracked_before;
    if (before !== null && before !== undefined && typeof before !== 'number') throw new CaseError('params.num_batches_tracked_before must be a number or null');
    if (momentum === null && typeof before !== 'number') throw new CaseError('a cumulative average (momentum null) needs num_batches_tracked_before');
    const r = batchNormTrain(x, { gamma, beta, eps });
    const running = updateRunningStats(
      { mean: runningMean as tf.Tensor1D, variance: runningVar as tf.Tensor1D, batches: typeof before === 'number' ? before : 0 },
      r,
      { convention: 'pytorch', momentum },
    );
    const grads = batchNormBackward(x, gamma as tf.Tensor1D, dy, eps);
    return {
      y: r.y,
      running_mean: running.mean,
      running_var: running.variance,
      batch_mean: r.mean,
      batch_var_biased: r.varianceBiased,
      batch_var_unbiased: r.varianceUnbiased,
      ...grads,
    };
  }
  if (c.op === 'fold_conv_bn') {
    if (c.params.stride !== undefined && c.params.stride !== 1) throw new CaseError(`only stride 1 is supported, got ${String(c.params.stride)}`);
    if (c.params.padding !== undefined && !String(c.params.padding).startsWith('same')) throw new CaseError(`only 'same' padding is supported, got ${String(c.params.padding)}`);
    const x = input('x') as tf.Tensor4D;
    const filter = input('filter') as tf.Tensor4D;
    const bias = input('bias') as tf.Tensor1D;
    const folded = foldBatchNorm({
      filter,
      bias,
      gamma: input('gamma') as tf.Tensor1D,
      beta: input('beta') as tf.Tensor1D,
      runningMean: input('running_mean') as tf.Tensor1D,
      runningVar: input('running_var') as tf.Tensor1D,
      eps,
    });
    return { y: conv2dSame(x, folded.filter, folded.bias), folded_filter: folded.filter, folded_bias: folded.bias };
  }
  const x = input('x') as tf.Tensor4D;
  if (x.rank !== 4) throw new CaseError(`${c.op} needs an NHWC input`);
  const channels = x.shape[3];
  const groups = c.op === 'layer_norm' ? 1 : c.op === 'instance_norm' ? channels : c.params.groups;
  if (typeof groups !== 'number') throw new CaseError('params.groups must be a number');
  if (c.params.groups !== undefined && c.params.groups !== groups) {
    throw new CaseError(`params.groups is ${String(c.params.groups)} but ${c.op} on ${channels} channels uses ${groups}`);
  }
  return { y: groupNorm(x, { gamma: input('gamma'), beta: input('beta'), eps, groups }) };
}

export function runGoldenCase(c: GoldenCase): CaseResult {
  const name = typeof c.name === 'string' ? c.name : '(unnamed case)';
  try {
    if (!c.expected || !c.inputs || !c.params || !c.tolerance) throw new CaseError('a case needs params, inputs, expected and tolerance');
    const { rtol, atol } = c.tolerance;
    const got = tf.tidy(() => computeCase(c));
    let fields: FieldResult[];
    try {
      fields = Object.entries(c.expected).map(([field, want]): FieldResult => {
        const t = got[field];
        if (!t) return { field, maxError: Number.POSITIVE_INFINITY, ok: false, reason: 'not computed' };
        if (t.size !== want.data.length || t.shape.join() !== want.shape.join()) {
          return { field, maxError: Number.POSITIVE_INFINITY, ok: false, reason: `shape [${t.shape.join(', ')}] vs expected [${want.shape.join(', ')}]` };
        }
        const values = t.dataSync();
        let maxError = 0;
        let ok = true;
        want.data.forEach((w, i) => {
          const err = Math.abs(values[i]! - w);
          maxError = Math.max(maxError, err);
          if (!(err <= atol + rtol * Math.abs(w))) ok = false;
        });
        return { field, maxError, ok };
      });
    } finally {
      tf.dispose(got);
    }
    const maxError = Math.max(0, ...fields.map((f) => f.maxError));
    return { name, ok: fields.length > 0 && fields.every((f) => f.ok), maxError, fields, ...(fields.length ? {} : { reason: 'no expected fields' }) };
  } catch (err) {
    return { name, ok: false, maxError: Number.POSITIVE_INFINITY, fields: [], reason: err instanceof Error ? err.message : String(err) };
  }
}
