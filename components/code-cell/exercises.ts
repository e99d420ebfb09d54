/**
 * Every code cell on the site, in one registry: the open cells (a ready example to change and run)
 * and the four exercises (a starter, a solution, the PyTorch reference cases they are checked on
 * and the classic wrong variants whose output names the reader's mistake). Text only: the page,
 * the build (which embeds the cases, see golden-cases.ts) and the sandbox worker all read it, and
 * it imports no tfjs, so the page's chunk stays free of it until a cell runs.
 */

/** Where an argument of the reader's function comes from in a reference case. */
export type ArgSource =
  | { from: 'inputs' | 'expected'; key: string }
  | { from: 'params'; key: string };

export interface Mistake {
  id: string;
  /** Shown when the reader's wrong outputs match this variant's. */
  hint: string;
  /** The variant, written as the reader would (same function name). */
  code: string;
}

export interface Exercise {
  kind: 'exercise';
  id: string;
  /** The cell's region name. */
  title: string;
  chapter: string;
  /** The function the reader writes. */
  fn: string;
  intro: string;
  starter: string;
  solution: string;
  /** Reference files in ../shared/golden (without .json). */
  cases: string[];
  args: ArgSource[];
  /** Returned key → reference field. */
  outputs: Record<string, string>;
  mistakes: Mistake[];
  /** Cases computed at build time in float64 beside PyTorch's (see golden-cases.ts). */
  derived?: 'near-eps';
}

export interface OpenCell {
  kind: 'open';
  id: string;
  title: string;
  chapter: string;
  intro: string;
  starter: string;
}

export type Cell = Exercise | OpenCell;

const BN_SOLUTION = `// x: tf.Tensor2D [N, C]; gamma, beta: tf.Tensor1D [C]; eps: number.
function batchNorm(x, gamma, beta, eps) {
  const mean = tf.mean(x, 0);
  const variance = tf.mean(tf.square(tf.sub(x, mean)), 0); // biased: divides by N
  const xHat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
  const y = tf.add(tf.mul(xHat, gamma), beta);
  return { y, mean, variance };
}
`;

const BACKWARD_SOLUTION = `// x, dy: tf.Tensor2D [N, C]; gamma: tf.Tensor1D [C]; eps: number.
function batchNormBackward(x, gamma, dy, eps) {
  const n = x.shape[0];
  const mean = tf.mean(x, 0);
  const variance = tf.mean(tf.square(tf.sub(x, mean)), 0);
  const invStd = tf.rsqrt(tf.add(variance, eps));
  const xHat = tf.mul(tf.sub(x, mean), invStd);
  const dbeta = tf.sum(dy, 0);
  const dgamma = tf.sum(tf.mul(dy, xHat), 0);
  // dx = γ/(N·σ) · (N·dy − Σdy − x̂·Σ(dy·x̂))
  const dx = tf.mul(tf.div(tf.mul(gamma, invStd), n), tf.sub(tf.sub(tf.mul(dy, n), dbeta), tf.mul(xHat, dgamma)));
  return { dx, dgamma, dbeta };
}
`;

export const CELLS: Cell[] = [
  {
    kind: 'exercise',
    id: 'algorithm-1',
    title: 'Exercise: Algorithm 1',
    chapter: 'the-transform',
    fn: 'batchNorm',
    intro:
      'Write Algorithm 1 for a batch of shape [N, C]: return the normalized, scaled and shifted y, the batch mean and the biased batch variance, all as tensors. tf (tfjs-core’s ops) is in scope. Run checks it against PyTorch’s reference cases.',
    starter: `// x: tf.Tensor2D [N, C]; gamma, beta: tf.Tensor1D [C]; eps: number.
function batchNorm(x, gamma, beta, eps) {
  // TODO: the mean and the biased variance of each channel (over axis 0)
  const mean = tf.zerosLike(gamma);
  const variance = tf.onesLike(gamma);
  // TODO: normalize x with them, then scale by gamma and shift by beta
  const y = x;
  return { y, mean, variance };
}
`,
    solution: BN_SOLUTION,
    cases: ['bn1d_train_small', 'bn1d_train_random'],
    args: [
      { from: 'inputs', key: 'x' },
      { from: 'inputs', key: 'gamma' },
      { from: 'inputs', key: 'beta' },
      { from: 'params', key: 'eps' },
    ],
    outputs: { y: 'y', mean: 'batch_mean', variance: 'batch_var_biased' },
    derived: 'near-eps',
    mistakes: [
      {
        id: 'unbiased',
        hint: 'Your variance divides by N − 1 (the unbiased estimate). Algorithm 1 normalizes with the biased batch variance, dividing by N; PyTorch uses N − 1 only for the running variance.',
        code: BN_SOLUTION.replace('tf.mean(tf.square(tf.sub(x, mean)), 0); // biased: divides by N', 'tf.div(tf.sum(tf.square(tf.sub(x, mean)), 0), x.shape[0] - 1);'),
      },
      {
        id: 'eps-outside',
        hint: 'ε is added outside the square root: (x − μ)/(√σ² + ε). It belongs inside, (x − μ)/√(σ² + ε); the two differ when the variance is close to ε.',
        code: BN_SOLUTION.replace('tf.sqrt(tf.add(variance, eps))', 'tf.add(tf.sqrt(variance), eps)'),
      },
      {
        id: 'swapped',
        hint: 'γ and β are swapped: y = γ·x̂ + β scales by γ (gamma) and then shifts by β (beta).',
        code: BN_SOLUTION.replace('tf.add(tf.mul(xHat, gamma), beta)', 'tf.add(tf.mul(xHat, beta), gamma)'),
      },
    ],
  },
  {
    kind: 'exercise',
    id: 'running-update',
    title: 'Exercise: the running statistics',
    chapter: 'train-vs-inference',
    fn: 'updateRunning',
    intro:
      'Update the running mean and variance after one training batch, in PyTorch’s convention (momentum is the weight of the new batch; the running variance takes the unbiased batch variance). All arguments but momentum are tf.Tensor1D of length C.',
    starter: `function updateRunning(runningMean, runningVar, batchMean, batchVarUnbiased, momentum) {
  // TODO: blend the old running values with this batch's statistics
  const mean = runningMean;
  const variance = runningVar;
  return { mean, variance };
}
`,
    solution: `function updateRunning(runningMean, runningVar, batchMean, batchVarUnbiased, momentum) {
  // PyTorch: running = (1 − momentum)·running + momentum·batch
  const mean = tf.add(tf.mul(runningMean, 1 - momentum), tf.mul(batchMean, momentum));
  const variance = tf.add(tf.mul(runningVar, 1 - momentum), tf.mul(batchVarUnbiased, momentum));
  return { mean, variance };
}
`,
    cases: ['bn1d_train_small', 'bn1d_train_random', 'bn2d_train'],
    args: [
      { from: 'inputs', key: 'running_mean' },
      { from: 'inputs', key: 'running_var' },
      { from: 'expected', key: 'batch_mean' },
      { from: 'expected', key: 'batch_var_unbiased' },
      { from: 'params', key: 'momentum' },
    ],
    outputs: { mean: 'running_mean', variance: 'running_var' },
    mistakes: [
      {
        id: 'momentum-flipped',
        hint: 'The momentum convention is flipped: that is Keras/TensorFlow’s (running = m·running + (1 − m)·batch, m = 0.99). In PyTorch momentum weights the new batch: running = (1 − m)·running + m·batch, m = 0.1.',
        code: `function updateRunning(runningMean, runningVar, batchMean, batchVarUnbiased, momentum) {
  const mean = tf.add(tf.mul(runningMean, momentum), tf.mul(batchMean, 1 - momentum));
  const variance = tf.add(tf.mul(runningVar, momentum), tf.mul(batchVarUnbiased, 1 - momentum));
  return { mean, variance };
}
`,
      },
    ],
  },
  {
    kind: 'exercise',
    id: 'backward',
    title: 'Exercise: the backward pass',
    chapter: 'backward-pass',
    fn: 'batchNormBackward',
    intro:
      'Given the upstream gradient dy of a training-mode BN layer with input x [N, C], return the gradients dx, dgamma and dbeta (of sum(y·dy)). Recompute the batch statistics from x.',
    starter: `// x, dy: tf.Tensor2D [N, C]; gamma: tf.Tensor1D [C]; eps: number.
function batchNormBackward(x, gamma, dy, eps) {
  // TODO: recompute mean, variance and x̂ from x
  // TODO: dbeta and dgamma are sums over the batch; dx must account for the mean and variance depending on every x
  const dx = tf.zerosLike(x);
  const dgamma = tf.zerosLike(gamma);
  const dbeta = tf.zerosLike(gamma);
  return { dx, dgamma, dbeta };
}
`,
    solution: BACKWARD_SOLUTION,
    cases: ['bn1d_train_small', 'bn1d_train_random'],
    args: [
      { from: 'inputs', key: 'x' },
      { from: 'inputs', key: 'gamma' },
      { from: 'inputs', key: 'dy' },
      { from: 'params', key: 'eps' },
    ],
    outputs: { dx: 'dx', dgamma: 'dgamma', dbeta: 'dbeta' },
    derived: 'near-eps',
    mistakes: [
      {
        id: 'constant-stats',
        hint: 'Your dx treats the batch mean and variance as constants (dx = γ·dy/σ). Both depend on every example in the batch, which adds the −Σdy and −x̂·Σ(dy·x̂) terms.',
        code: BACKWARD_SOLUTION.replace(
          'tf.mul(tf.div(tf.mul(gamma, invStd), n), tf.sub(tf.sub(tf.mul(dy, n), dbeta), tf.mul(xHat, dgamma)))',
          'tf.mul(dy, tf.mul(gamma, invStd))',
        ),
      },
      {
        id: 'unbiased',
        hint: 'Your variance divides by N − 1 (the unbiased estimate). The forward pass normalized with the biased batch variance (dividing by N), so the gradient must use it too.',
        code: BACKWARD_SOLUTION.replace('tf.mean(tf.square(tf.sub(x, mean)), 0)', 'tf.div(tf.sum(tf.square(tf.sub(x, mean)), 0), n - 1)'),
      },
      {
        id: 'eps-outside',
        hint: 'ε is added outside the square root: 1/(√σ² + ε). The forward pass divides by √(σ² + ε), so its gradient does too; the two differ when the variance is close to ε.',
        code: BACKWARD_SOLUTION.replace('tf.rsqrt(tf.add(variance, eps))', 'tf.div(1, tf.add(tf.sqrt(variance), eps))'),
      },
    ],
  },
  {
    kind: 'exercise',
    id: 'fold',
    title: 'Exercise: folding BN into a conv',
    chapter: 'train-vs-inference',
    fn: 'fold',
    intro:
      'At inference BN is an affine map per output channel, so it can be folded into the convolution before it. Given an HWIO filter, its bias and BN’s γ, β, running mean and variance (one per output channel), return the folded { filter, bias }.',
    starter: `// filter: tf.Tensor4D [H, W, I, O]; bias, gamma, beta, mean, variance: tf.Tensor1D [O]; eps: number.
function fold(filter, bias, gamma, beta, mean, variance, eps) {
  // TODO: the per-channel scale BN applies, then the new filter and bias
  return { filter, bias };
}
`,
    solution: `// filter: tf.Tensor4D [H, W, I, O]; bias, gamma, beta, mean, variance: tf.Tensor1D [O]; eps: number.
function fold(filter, bias, gamma, beta, mean, variance, eps) {
  const scale = tf.div(gamma, tf.sqrt(tf.add(variance, eps))); // one per output channel (last axis)
  return { filter: tf.mul(filter, scale), bias: tf.add(tf.mul(tf.sub(bias, mean), scale), beta) };
}
`,
    cases: ['fold_conv_bn'],
    args: [
      { from: 'inputs', key: 'filter' },
      { from: 'inputs', key: 'bias' },
      { from: 'inputs', key: 'gamma' },
      { from: 'inputs', key: 'beta' },
      { from: 'inputs', key: 'running_mean' },
      { from: 'inputs', key: 'running_var' },
      { from: 'params', key: 'eps' },
    ],
    outputs: { filter: 'folded_filter', bias: 'folded_bias' },
    derived: 'near-eps',
    mistakes: [
      {
        id: 'swapped',
        hint: 'γ and β are swapped: γ (gamma) scales the filter, β (beta) is added to the bias.',
        code: `function fold(filter, bias, gamma, beta, mean, variance, eps) {
  const scale = tf.div(beta, tf.sqrt(tf.add(variance, eps)));
  return { filter: tf.mul(filter, scale), bias: tf.add(tf.mul(tf.sub(bias, mean), scale), gamma) };
}
`,
      },
      {
        id: 'conv-bias-dropped',
        hint: 'The conv’s own bias is lost: BN normalizes conv(x) + b, so the folded bias is (b − μ)·γ/√(σ² + ε) + β.',
        code: `function fold(filter, bias, gamma, beta, mean, variance, eps) {
  const scale = tf.div(gamma, tf.sqrt(tf.add(variance, eps)));
  return { filter: tf.mul(filter, scale), bias: tf.sub(beta, tf.mul(mean, scale)) };
}
`,
      },
      {
        id: 'eps-outside',
        hint: 'ε is added outside the square root: γ/(√σ² + ε). BN divides by √(σ² + ε), so the fold’s scale is γ/√(σ² + ε); the two differ when the running variance is close to ε.',
        code: `function fold(filter, bias, gamma, beta, mean, variance, eps) {
  const scale = tf.div(gamma, tf.add(tf.sqrt(variance), eps));
  return { filter: tf.mul(filter, scale), bias: tf.add(tf.mul(tf.sub(bias, mean), scale), beta) };
}
`,
      },
    ],
  },
  {
    kind: 'open',
    id: 'normalize-your-batch',
    title: 'Try it: normalize your own batch',
    chapter: 'why-normalize',
    intro: 'Three features on very different scales. Press Run (or Shift+Enter in the editor): every column comes out with mean 0, but its variance is σ²/(σ² + ε), 1 only where σ² is far above ε. The third column’s σ² = 2.19e-4 is about 22 ε, so its variance is 0.956. Change the numbers and watch which columns reach 1.',
    starter: `const x = tf.tensor2d([
  [1, 200, 0.01],
  [2, 180, 0.03],
  [3, 260, 0.02],
  [4, 240, 0.05],
]);
const { mean, variance } = tf.moments(x, 0);
console.log('mean', mean.arraySync());
console.log('variance', variance.arraySync());
return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
`,
  },
  {
    kind: 'open',
    id: 'compare-tf-batchnorm',
    title: 'Try it: your transform against tf.batchNorm',
    chapter: 'the-transform',
    intro: 'Normalize a random batch by hand and compare with tfjs’s own tf.batchNorm. Try a larger ε, or a batch of two.',
    starter: `const x = tf.randomNormal([8, 3], 5, 2, 'float32', 1);
const eps = 1e-3;
const { mean, variance } = tf.moments(x, 0);
const mine = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
const theirs = tf.batchNorm(x, mean, variance, undefined, undefined, eps);
console.log('largest difference', tf.max(tf.abs(tf.sub(mine, theirs))).dataSync()[0]);
return mine;
`,
  },
  {
    kind: 'open',
    id: 'conv-statistics',
    title: 'Try it: a conv layer’s statistics',
    chapter: 'conv-layers',
    intro: 'A batch of feature maps in NHWC. BN reduces over axes [0, 1, 2] (examples and positions) and keeps one mean and variance per channel. Try axes [0] to see what the statistics would be per position.',
    starter: `const x = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 7); // [N, H, W, C]
const { mean, variance } = tf.moments(x, [0, 1, 2]);
console.log('statistics per channel, shape', mean.shape);
return { mean, variance };
`,
  },
  {
    kind: 'open',
    id: 'autodiff-backward',
    title: 'Try it: the gradient by automatic differentiation',
    chapter: 'backward-pass',
    intro: 'tf.grad differentiates the normalization for you. The columns of dx sum to zero: shifting a whole channel does not change x̂.',
    starter: `const x = tf.tensor2d([[1, 2], [3, 6], [5, 4], [7, 0]]);
const dy = tf.tensor2d([[1, 0], [0, 1], [-1, 2], [0.5, -0.5]]);
const normalize = (x) => {
  const { mean, variance } = tf.moments(x, 0);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
};
const dx = tf.grad((x) => tf.sum(tf.mul(normalize(x), dy)))(x);
console.log('column sums of dx', tf.sum(dx, 0).arraySync());
return dx;
`,
  },
  {
    kind: 'open',
    id: 'running-mean-loop',
    title: 'Try it: a running mean over 50 batches',
    chapter: 'train-vs-inference',
    intro: 'The running mean follows the batch means with PyTorch’s momentum 0.1. Change the momentum or the number of steps.',
    starter: `const momentum = 0.1; // PyTorch's convention: the weight of the new batch
let runningMean = tf.zeros([2]);
for (let step = 0; step < 50; step++) {
  const batch = tf.randomNormal([32, 2], 3, 1, 'float32', step);
  runningMean = tf.add(tf.mul(runningMean, 1 - momentum), tf.mul(tf.mean(batch, 0), momentum));
}
return runningMean; // close to the true mean, 3
`,
  },
  {
    kind: 'open',
    id: 'micro-batch-variance',
    title: 'Try it: the variance each micro-batch normalizes with',
    chapter: 'bn-in-practice',
    intro: 'One batch of eight values cut into micro-batches of two, as gradient accumulation cuts it: each micro-batch normalizes with its own variance. Change the micro-batch size (it must divide 8) and compare their mean with the whole batch’s.',
    starter: `const x = tf.tensor1d([0.3, 1.9, -0.4, 2.2, 0.8, -1.1, 1.5, 0.1]);
const b = 2; // micro-batch size
const whole = tf.moments(x).variance;
const micro = tf.moments(tf.reshape(x, [8 / b, b]), 1).variance;
console.log('whole batch', whole.arraySync(), 'micro-batches', micro.arraySync());
return tf.mean(micro); // below the whole batch's variance
`,
  },
  {
    kind: 'open',
    id: 'batch-of-one',
    title: 'Try it: a batch of one',
    chapter: 'pitfalls',
    intro: 'In training mode a batch of one example normalizes to all zeros whatever the input: change the values and see. Add a second row to bring the signal back.',
    starter: `const x = tf.tensor2d([[3.7, -1.2, 0.5]]);
const { mean, variance } = tf.moments(x, 0);
console.log('variance', variance.arraySync());
return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
`,
  },
];

export function cellById(id: string): Cell {
  const cell = CELLS.find((c) => c.id === id);
  if (!cell) throw new Error(`No code cell "${id}" in components/code-cell/exercises.ts`);
  return cell;
}

/** One reference case as the page sends it to the sandbox: arguments resolved, outputs named. */
export interface CheckCase {
  name: string;
  /** Where its expected values come from, in words. */
  source: string;
  args: Array<{ shape: number[]; data: number[] } | number>;
  expected: Record<string, { shape: number[]; data: number[] }>;
  tolerance: { rtol: number; atol: number };
}

export interface FieldCheck {
  field: string;
  ok: boolean;
  maxError: number;
  problem?: string;
}

export interface CaseCheck {
  name: string;
  source: string;
  ok: boolean;
  maxError: number;
  fields: FieldCheck[];
}

/** Largest |got − want| and whether each is within atol + rtol·|want|. */
export function compare(got: { shape: number[]; data: ArrayLike<number> }, want: { shape: number[]; data: number[] }, tol: { rtol: number; atol: number }): { ok: boolean; maxError: number; problem?: string } {
  if (got.shape.join(',') !== want.shape.join(',')) return { ok: false, maxError: Infinity, problem: `shape [${got.shape.join(', ')}], expected [${want.shape.join(', ')}]` };
  let maxError = 0;
  let ok = true;
  for (let i = 0; i < want.data.length; i++) {
    const g = Number(got.data[i]);
    const w = want.data[i] as number;
    const err = Math.abs(g - w);
    if (!(err <= tol.atol + tol.rtol * Math.abs(w))) ok = false;
    maxError = Number.isNaN(err) ? Infinity : Math.max(maxError, err);
  }
  return { ok, maxError };
}
