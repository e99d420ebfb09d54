import * as tf from '@tensorflow/tfjs-core';
import {
  batchNormBackward,
  batchNormInference,
  batchNormInferenceBackward,
  batchNormTrain,
  conv2dSame,
  CONVENTIONS,
  foldBatchNorm,
  groupNorm,
  updateRunningStats,
  type Convention,
} from '../../src/lib/bn';

/**
 * The PyTorch conformance runner (`npm run test:golden`, tests/unit/bn/golden.test.ts). It runs
 * one reference case (../shared/golden/README.md) through src/lib/bn's public functions, and
 * lives with the tests because nothing in the site uses it. Anything the runner does not
 * understand — an op, a param, an input, an expected field, a descriptive param whose text names
 * another convention — fails the case, so a new kind of case cannot pass by being skipped or by
 * being quietly run under the wrong convention.
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
  note?: string;
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

class CaseError extends Error {}

const TOP_LEVEL = new Set(['name', 'op', 'layout', 'source', 'note', 'params', 'inputs', 'expected', 'tolerance']);

type ParamCheck = (value: unknown) => string | undefined;
const isNumber: ParamCheck = (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'must be a finite number');
const isNumberOrNull: ParamCheck = (v) => (v === null ? undefined : isNumber(v));
const isBoolean: ParamCheck = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');
const isText: ParamCheck = (v) => (typeof v === 'string' ? undefined : 'must be a string');
/** Descriptive text still has to describe what the runner does. */
const startsWith =
  (...prefixes: string[]): ParamCheck =>
  (v) =>
    typeof v === 'string' && prefixes.some((p) => v.toLowerCase().startsWith(p)) ? undefined : `must start with ${prefixes.map((p) => `"${p}"`).join(' or ')}, got ${JSON.stringify(v)}`;

interface OpSpec {
  params: Record<string, ParamCheck>;
  inputs: string[];
  expected: string[];
  layouts: string[];
}

const NORM_PARAMS = { eps: isNumber, groups: isNumber, affine: startsWith('per-channel'), source: isText };
const OPS: Record<string, OpSpec> = {
  batch_norm: {
    params: {
      eps: isNumber,
      momentum: isNumberOrNull,
      training: isBoolean,
      num_batches_tracked_before: isNumberOrNull,
      momentum_convention: startsWith('pytorch', 'keras'),
      running_var_update_uses: startsWith('unbiased', 'biased'),
      source: isText,
    },
    inputs: ['x', 'gamma', 'beta', 'running_mean', 'running_var', 'dy'],
    expected: ['y', 'running_mean', 'running_var', 'dx', 'dgamma', 'dbeta', 'batch_mean', 'batch_var_biased', 'batch_var_unbiased'],
    layouts: ['NC', 'NHWC'],
  },
  layer_norm: { params: NORM_PARAMS, inputs: ['x', 'gamma', 'beta'], expected: ['y'], layouts: ['NHWC'] },
  instance_norm: { params: NORM_PARAMS, inputs: ['x', 'gamma', 'beta'], expected: ['y'], layouts: ['NHWC'] },
  group_norm: { params: NORM_PARAMS, inputs: ['x', 'gamma', 'beta'], expected: ['y'], layouts: ['NHWC'] },
  fold_conv_bn: {
    params: { eps: isNumber, padding: startsWith('same'), stride: (v) => (v === 1 ? undefined : `must be 1, got ${JSON.stringify(v)}`), filter_layout: startsWith('hwio'), source: isText },
    inputs: ['x', 'filter', 'bias', 'gamma', 'beta', 'running_mean', 'running_var'],
    expected: ['y', 'folded_filter', 'folded_bias'],
    layouts: ['NHWC'],
  },
};

const RANK_OF_LAYOUT: Record<string, number> = { NC: 2, NHWC: 4 };

function checkStructure(c: GoldenCase): OpSpec {
  for (const key of Object.keys(c)) if (!TOP_LEVEL.has(key)) throw new CaseError(`unknown top-level field "${key}"`);
  const spec = OPS[c.op];
  if (!spec) throw new CaseError(`unknown op "${String(c.op)}"`);
  for (const [key, value] of Object.entries(c.params)) {
    const check = spec.params[key];
    if (!check) throw new CaseError(`unknown param "${key}" for ${c.op}`);
    const problem = check(value);
    if (problem) throw new CaseError(`params.${key} ${problem}`);
  }
  if (typeof c.params.eps !== 'number') throw new CaseError('params.eps is required');
  for (const key of Object.keys(c.inputs)) if (!spec.inputs.includes(key)) throw new CaseError(`unknown input "${key}" for ${c.op}`);
  for (const key of Object.keys(c.expected)) if (!spec.expected.includes(key)) throw new CaseError(`unknown expected field "${key}" for ${c.op}`);
  if (Object.keys(c.expected).length === 0) throw new CaseError('no expected fields');
  if (c.layout !== undefined && !spec.layouts.includes(c.layout)) throw new CaseError(`layout "${c.layout}" is not supported for ${c.op}`);
  const { rtol, atol } = c.tolerance;
  if (!(rtol >= 0 && atol >= 0)) throw new CaseError('tolerance needs rtol ≥ 0 and atol ≥ 0');
  return spec;
}

function computeBatchNorm(c: GoldenCase, input: (name: string) => tf.Tensor, eps: number): Record<string, tf.Tensor> {
  const x = input('x');
  if (c.layout !== undefined && x.rank !== RANK_OF_LAYOUT[c.layout]) throw new CaseError(`layout ${c.layout} but x has shape [${x.shape.join(', ')}]`);
  const gamma = input('gamma') as tf.Tensor1D;
  const beta = input('beta');
  const wants = (...fields: string[]): boolean => fields.some((f) => f in c.expected);
  const dy = wants('dx', 'dgamma', 'dbeta') ? input('dy') : undefined;
  const convention: Convention = String(c.params.momentum_convention ?? 'pytorch').toLowerCase().startsWith('keras') ? 'keras' : 'pytorch';
  const uses = c.params.running_var_update_uses;
  const variance = typeof uses === 'string' ? (uses.toLowerCase().startsWith('unbiased') ? 'unbiased' : 'biased') : CONVENTIONS[convention].variance;

  if (c.params.training === false) {
    const runningMean = input('running_mean') as tf.Tensor1D;
    const runningVar = input('running_var') as tf.Tensor1D;
    return {
      y: batchNormInference(x, { gamma, beta, runningMean, runningVar, eps }),
      // Inference leaves the running statistics alone.
      running_mean: runningMean,
      running_var: runningVar,
      ...(dy ? batchNormInferenceBackward(x, gamma, runningMean, runningVar, dy, eps) : {}),
    };
  }
  if (c.params.training !== true) throw new CaseError('params.training is required');
  const r = batchNormTrain(x, { gamma, beta, eps });
  const out: Record<string, tf.Tensor> = {
    y: r.y,
    batch_mean: r.mean,
    batch_var_biased: r.varianceBiased,
    batch_var_unbiased: r.varianceUnbiased,
    ...(dy ? batchNormBackward(x, gamma, dy, eps) : {}),
  };
  if (wants('running_mean', 'running_var')) {
    const momentum = c.params.momentum as number | null | undefined;
    const before = c.params.num_batches_tracked_before;
    if (momentum === null && typeof before !== 'number') throw new CaseError('a cumulative average (momentum null) needs num_batches_tracked_before');
    const running = updateRunningStats(
      { mean: input('running_mean') as tf.Tensor1D, variance: input('running_var') as tf.Tensor1D, batches: typeof before === 'number' ? before : 0 },
      r,
      { convention, momentum, variance },
    );
    out.running_mean = running.mean;
    out.running_var = running.variance;
  }
  return out;
}

function computeCase(c: GoldenCase): Record<string, tf.Tensor> {
  checkStructure(c);
  const input = (name: string): tf.Tensor => {
    const t = c.inputs[name];
    if (!t) throw new CaseError(`missing input "${name}"`);
    return tf.tensor(t.data, t.shape, 'float32');
  };
  const eps = c.params.eps as number;
  if (c.op === 'batch_norm') return computeBatchNorm(c, input, eps);
  if (c.op === 'fold_conv_bn') {
    const bias = input('bias') as tf.Tensor1D;
    const folded = foldBatchNorm({
      filter: input('filter') as tf.Tensor4D,
      bias,
      gamma: input('gamma') as tf.Tensor1D,
      beta: input('beta') as tf.Tensor1D,
      runningMean: input('running_mean') as tf.Tensor1D,
      runningVar: input('running_var') as tf.Tensor1D,
      eps,
    });
    return { y: conv2dSame(input('x') as tf.Tensor4D, folded.filter, folded.bias), folded_filter: folded.filter, folded_bias: folded.bias };
  }
  const x = input('x') as tf.Tensor4D;
  if (x.rank !== 4) throw new CaseError(`${c.op} needs an NHWC input, got shape [${x.shape.join(', ')}]`);
  const channels = x.shape[3];
  const implied = c.op === 'layer_norm' ? 1 : c.op === 'instance_norm' ? channels : undefined;
  const groups = implied ?? c.params.groups;
  if (typeof groups !== 'number') throw new CaseError('params.groups is required for group_norm');
  if (c.params.groups !== undefined && c.params.groups !== groups) {
    throw new CaseError(`params.groups is ${String(c.params.groups)} but ${c.op} on ${channels} channels uses ${groups}`);
  }
  return { y: groupNorm(x, { gamma: input('gamma'), beta: input('beta'), eps, groups }) };
}

function compare(field: string, got: tf.Tensor | undefined, want: GoldenTensor, rtol: number, atol: number): FieldResult {
  const fail = (reason: string): FieldResult => ({ field, maxError: Number.POSITIVE_INFINITY, ok: false, reason });
  if (!got) return fail('not computed');
  if (!Array.isArray(want.data) || !Array.isArray(want.shape)) return fail('expected value needs shape and data');
  if (got.shape.join() !== want.shape.join() || got.size !== want.data.length) return fail(`shape [${got.shape.join(', ')}] vs expected [${want.shape.join(', ')}] (${want.data.length} values)`);
  const values = got.dataSync();
  let maxError = 0;
  let worst = -1;
  want.data.forEach((w, i) => {
    const err = typeof w === 'number' ? Math.abs(values[i]! - w) : Number.NaN;
    // NaN fails too: !(NaN <= tol).
    if (!(err <= atol + rtol * Math.abs(w)) && worst < 0) worst = i;
    maxError = Math.max(maxError, Number.isNaN(err) ? Number.POSITIVE_INFINITY : err);
  });
  if (worst < 0) return { field, maxError, ok: true };
  return { field, maxError, ok: false, reason: `index ${worst}: got ${values[worst]}, want ${want.data[worst]}, max error ${maxError.toExponential(2)}` };
}

/** `fallbackName` (say, the file name) labels a case that has no usable name of its own. */
export function runGoldenCase(raw: unknown, fallbackName = '(unnamed case)'): CaseResult {
  const c = raw as GoldenCase;
  const name = raw !== null && typeof raw === 'object' && typeof c.name === 'string' ? c.name : fallbackName;
  try {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new CaseError('a case must be a JSON object');
    for (const key of ['params', 'inputs', 'expected', 'tolerance'] as const) {
      if (c[key] === null || typeof c[key] !== 'object') throw new CaseError(`a case needs "${key}"`);
    }
    const { rtol, atol } = c.tolerance;
    const got = tf.tidy(() => computeCase(c));
    try {
      const fields = Object.entries(c.expected).map(([field, want]) => compare(field, got[field], want, rtol, atol));
      const maxError = Math.max(0, ...fields.map((f) => f.maxError));
      return { name, ok: fields.every((f) => f.ok), maxError, fields };
    } finally {
      tf.dispose(got);
    }
  } catch (err) {
    return { name, ok: false, maxError: Number.POSITIVE_INFINITY, fields: [], reason: err instanceof Error ? err.message : String(err) };
  }
}
