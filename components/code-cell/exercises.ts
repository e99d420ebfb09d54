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
  | { from: 'params'; key: string }
  /** The same number in every case (a setting PyTorch's files do not have, such as a ghost batch's size). */
  | { from: 'value'; value: number };

export interface Mistake {
  id: string;
  /** Shown when the reader's wrong outputs match this variant's. */
  hint: string;
  /** The variant, written as the reader would (same function name). */
  code: string;
  /**
   * Exercises that train ("Train with my BN"): the verdict this variant gets over the first 10
   * steps, and why, in words (tests/unit/cells/train.test.ts and tests/e2e/train-my-bn.spec.ts run it).
   */
  trains?: { verdict: 'agree' | 'output-differs' | 'gradient-differs'; because: string };
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
  /** PyTorch's reference files in ../shared/golden (without .json). */
  cases: string[];
  /**
   * Cases computed at build time in float64 by golden-cases.ts (the project's own reference,
   * reference64.ts), by name; the page names each case's source.
   */
  generated?: string[];
  /** When the starter is code with a bug to find: the declared mistake it makes. */
  starterMistake?: string;
  /** Offers "Train with my BN": the code's batchNorm trains the lab's CNN in the sandbox. */
  trains?: boolean;
  args: ArgSource[];
  /** Returned key → reference field. */
  outputs: Record<string, string>;
  mistakes: Mistake[];
  /**
   * Wrong variants whose forward values are right (so every reference case passes) but which
   * train differently: run only through "Train with my BN" (Algorithm 1).
   */
  trainingMistakes?: Mistake[];
}

export interface OpenCell {
  kind: 'open';
  id: string;
  title: string;
  /** A chapter's slug, or 'lab' for the lab page. */
  chapter: string;
  intro: string;
  starter: string;
  /** Offers "Train with my BN" (the code defines batchNorm). */
  trains?: boolean;
}

export type Cell = Exercise | OpenCell;

const BN_SOLUTION = `// x: tf.Tensor2D [N, C]; gamma, beta: tf.Tensor1D [C]; eps: number.
// runningMean, runningVar: the running averages (for inference; training mode does not use them).
function batchNorm(x, gamma, beta, eps, runningMean, runningVar) {
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
    trains: true,
    intro:
      'Write Algorithm 1 for a batch of shape [N, C]: return the normalized, scaled and shifted y, the batch mean and the biased batch variance, all as tensors. tf (tfjs-core’s ops) is in scope. Run checks it against PyTorch’s reference cases.',
    starter: `// x: tf.Tensor2D [N, C]; gamma, beta: tf.Tensor1D [C]; eps: number.
// runningMean, runningVar: the running averages (for inference; training mode does not use them).
function batchNorm(x, gamma, beta, eps, runningMean, runningVar) {
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
      { from: 'inputs', key: 'running_mean' },
      { from: 'inputs', key: 'running_var' },
    ],
    outputs: { y: 'y', mean: 'batch_mean', variance: 'batch_var_biased' },
    generated: ['near_eps'],
    mistakes: [
      {
        id: 'unbiased',
        hint: 'Your variance divides by N − 1 (the unbiased estimate). Algorithm 1 normalizes with the biased batch variance, dividing by N; PyTorch uses N − 1 only for the running variance.',
        code: BN_SOLUTION.replace('tf.mean(tf.square(tf.sub(x, mean)), 0); // biased: divides by N', 'tf.div(tf.sum(tf.square(tf.sub(x, mean)), 0), x.shape[0] - 1);'),
        trains: { verdict: 'agree', because: 'a conv layer’s statistics are over N·H·W ≥ 1,568 values per channel, where N and N − 1 differ by under 0.1%' },
      },
      {
        id: 'eps-outside',
        hint: 'ε is added outside the square root: (x − μ)/(√σ² + ε). It belongs inside, (x − μ)/√(σ² + ε); the two differ when the variance is close to ε.',
        code: BN_SOLUTION.replace('tf.sqrt(tf.add(variance, eps))', 'tf.add(tf.sqrt(variance), eps)'),
        trains: { verdict: 'agree', because: 'the conv outputs’ variances are far above ε, where inside and outside the root agree (the near-ε reference case tells them apart)' },
      },
      {
        id: 'swapped',
        hint: 'γ and β are swapped: y = γ·x̂ + β scales by γ (gamma) and then shifts by β (beta).',
        code: BN_SOLUTION.replace('tf.add(tf.mul(xHat, gamma), beta)', 'tf.add(tf.mul(xHat, beta), gamma)'),
        trains: { verdict: 'output-differs', because: 'with γ = 1 and β = 0 at the start, x̂·β + γ is the constant 1: every channel’s output carries no signal' },
      },
      {
        id: 'wrong-axis',
        hint: 'Your statistics are taken over axis 1, across the channels of each example, not over axis 0: BN keeps one mean and one variance per channel, over the batch.',
        code: BN_SOLUTION.replace('const mean = tf.mean(x, 0);', 'const mean = tf.mean(x, 1, true);').replace('tf.mean(tf.square(tf.sub(x, mean)), 0);', 'tf.mean(tf.square(tf.sub(x, mean)), 1, true);'),
        trains: { verdict: 'output-differs', because: 'each position is normalized across its channels, and the statistics are not per channel, so there are no running averages for inference' },
      },
      {
        id: 'running-in-training',
        hint: 'Your layer normalizes with the running averages. In training Algorithm 1 uses this batch’s own mean and variance; the running averages are for inference.',
        code: BN_SOLUTION.replace('const mean = tf.mean(x, 0);', 'const mean = runningMean;').replace('tf.mean(tf.square(tf.sub(x, mean)), 0);', 'runningVar;'),
        trains: { verdict: 'output-differs', because: 'the running averages start at mean 0 and variance 1 and lag behind: the layer barely normalizes, and the gradient never sees the batch statistics' },
      },
    ],
    trainingMistakes: [
      {
        id: 'detached',
        hint: 'Your mean and variance are read out of the graph (dataSync) and made into new tensors, so the gradient treats them as constants. The forward values are right and every reference case passes; training shows the difference.',
        code: BN_SOLUTION.replace('const mean = tf.mean(x, 0);', 'const mean = tf.tensor(tf.mean(x, 0).dataSync());').replace(
          'const variance = tf.mean(tf.square(tf.sub(x, mean)), 0); // biased: divides by N',
          'const variance = tf.tensor(tf.mean(tf.square(tf.sub(x, mean)), 0).dataSync());',
        ),
        trains: { verdict: 'gradient-differs', because: 'the forward values are BN’s, but the gradient misses the terms through the mean and variance (the backward exercise’s constant-statistics mistake)' },
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
    generated: ['near_eps_backward'],
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
    generated: ['near_eps_fold'],
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
    kind: 'exercise',
    id: 'standardize',
    title: 'Exercise: standardize a batch',
    chapter: 'why-normalize',
    fn: 'standardize',
    intro:
      'Standardize each column of a batch [N, C]: x̂ = (x − μ)/√(σ² + ε) with the column’s mean and biased variance. Also return, from σ² and ε alone (without measuring x̂), the variance each column of x̂ will have. On the open cell’s batch one column’s is not 1: which, and why?',
    starter: `// x: tf.Tensor2D [N, C]; eps: number.
function standardize(x, eps) {
  // TODO: each column's mean and biased variance (over axis 0)
  // TODO: x̂, and the variance x̂ will have, computed from the variance and eps
  const xHat = x;
  const xHatVariance = tf.onesLike(tf.mean(x, 0));
  return { xHat, xHatVariance };
}
`,
    solution: `// x: tf.Tensor2D [N, C]; eps: number.
function standardize(x, eps) {
  const { mean, variance } = tf.moments(x, 0); // biased: divides by N
  const xHat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
  // x̂'s variance is σ²/(σ² + ε): 1 only when σ² is far above ε. The third column's σ² = 2.19e-4 is about 22 ε, so 0.956.
  const xHatVariance = tf.div(variance, tf.add(variance, eps));
  return { xHat, xHatVariance };
}
`,
    cases: [],
    generated: ['open_cell_batch', 'constant_column'],
    args: [
      { from: 'inputs', key: 'x' },
      { from: 'params', key: 'eps' },
    ],
    outputs: { xHat: 'xHat', xHatVariance: 'xHatVariance' },
    mistakes: [
      {
        id: 'variance-is-one',
        hint: 'You report a variance of exactly 1 for x̂. With ε in the denominator x̂’s variance is σ²/(σ² + ε): the open cell’s third column has σ² = 2.19e-4, only about 22 ε, so its x̂ has variance 0.956, and a constant column’s x̂ has variance 0.',
        code: `function standardize(x, eps) {
  const { mean, variance } = tf.moments(x, 0);
  const xHat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
  return { xHat, xHatVariance: tf.onesLike(variance) };
}
`,
      },
      {
        id: 'no-eps',
        hint: 'ε is left out: x̂ = (x − μ)/σ divides by zero on a constant column (NaN) and claims variance 1 everywhere. ε keeps the division finite, at the price of a variance a little under 1.',
        code: `function standardize(x, eps) {
  const { mean, variance } = tf.moments(x, 0);
  const xHat = tf.div(tf.sub(x, mean), tf.sqrt(variance));
  return { xHat, xHatVariance: tf.div(variance, variance) };
}
`,
      },
      {
        id: 'no-sqrt',
        hint: 'You divide by the variance, not by its square root (the standard deviation): x̂ = (x − μ)/√(σ² + ε). Dividing by σ² leaves x̂ in units of 1/x.',
        code: `function standardize(x, eps) {
  const { mean, variance } = tf.moments(x, 0);
  const xHat = tf.div(tf.sub(x, mean), tf.add(variance, eps));
  const xHatVariance = tf.div(variance, tf.square(tf.add(variance, eps)));
  return { xHat, xHatVariance };
}
`,
      },
      {
        id: 'unbiased',
        hint: 'Your variance divides by N − 1. Standardizing a batch as BN does uses the biased variance, dividing by N (the batch is the whole population it normalizes).',
        code: `function standardize(x, eps) {
  const n = x.shape[0];
  const mean = tf.mean(x, 0);
  const variance = tf.div(tf.sum(tf.square(tf.sub(x, mean)), 0), n - 1);
  const xHat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
  return { xHat, xHatVariance: tf.div(variance, tf.add(variance, eps)) };
}
`,
      },
    ],
  },
  {
    kind: 'exercise',
    id: 'conv-channel-stats',
    title: 'Exercise: BN for a conv layer',
    chapter: 'conv-layers',
    fn: 'batchNorm2d',
    intro:
      'Training-mode BN for a conv layer’s output in NHWC, [N, H, W, C]: one mean and one biased variance per channel, over the examples and every position, then y = γ·x̂ + β. Return y and the statistics, each of shape [C].',
    starter: `// x: tf.Tensor4D [N, H, W, C]; gamma, beta: tf.Tensor1D [C]; eps: number.
function batchNorm2d(x, gamma, beta, eps) {
  // TODO: which axes does BN reduce over in a conv layer?
  const mean = tf.zerosLike(gamma);
  const variance = tf.onesLike(gamma);
  const y = x;
  return { y, mean, variance };
}
`,
    solution: `// x: tf.Tensor4D [N, H, W, C]; gamma, beta: tf.Tensor1D [C]; eps: number.
function batchNorm2d(x, gamma, beta, eps) {
  // Every example and every position of a channel share its statistics: axes N, H, W.
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const xHat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
  return { y: tf.add(tf.mul(xHat, gamma), beta), mean, variance };
}
`,
    cases: ['bn2d_train'],
    args: [
      { from: 'inputs', key: 'x' },
      { from: 'inputs', key: 'gamma' },
      { from: 'inputs', key: 'beta' },
      { from: 'params', key: 'eps' },
    ],
    outputs: { y: 'y', mean: 'batch_mean', variance: 'batch_var_biased' },
    mistakes: [
      {
        id: 'all-axes',
        hint: 'Your statistics are over all four axes, channels included: one mean for the whole tensor. BN keeps one per channel, reducing over N, H and W only (axes [0, 1, 2]).',
        code: `function batchNorm2d(x, gamma, beta, eps) {
  const { mean, variance } = tf.moments(x);
  const xHat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
  return { y: tf.add(tf.mul(xHat, gamma), beta), mean, variance };
}
`,
      },
      {
        id: 'instance-norm',
        hint: 'Your statistics are over H and W only, one per example and channel: that is InstanceNorm. BN also reduces over the batch axis N: axes [0, 1, 2].',
        code: `function batchNorm2d(x, gamma, beta, eps) {
  const { mean, variance } = tf.moments(x, [1, 2], true);
  const xHat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
  return { y: tf.add(tf.mul(xHat, gamma), beta), mean, variance };
}
`,
      },
      {
        id: 'batch-axis-only',
        hint: 'Your statistics are over the batch axis only, one per position and channel: BN for dense layers applied to each pixel. In a conv layer all positions of a channel share one mean and variance: axes [0, 1, 2].',
        code: `function batchNorm2d(x, gamma, beta, eps) {
  const { mean, variance } = tf.moments(x, 0);
  const xHat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
  return { y: tf.add(tf.mul(xHat, gamma), beta), mean, variance };
}
`,
      },
    ],
  },
  {
    kind: 'exercise',
    id: 'find-the-bug',
    title: 'Exercise: find the bug in the evaluation loop',
    chapter: 'pitfalls',
    fn: 'predict',
    intro:
      'A trained BN layer scores test examples one at a time, as a server would. This loop has a bug: every example comes out as β, whatever its values. Fix it so it gives the trained layer’s test-time output.',
    starterMistake: 'train-mode-one',
    starter: `// x: tf.Tensor2D [N, C], test examples scored one at a time.
// gamma, beta, runningMean, runningVar: the trained layer (tf.Tensor1D [C]); eps: number.
function predict(x, gamma, beta, runningMean, runningVar, eps) {
  const rows = [];
  for (let i = 0; i < x.shape[0]; i++) {
    const example = tf.slice(x, [i, 0], [1, -1]);
    const { mean, variance } = tf.moments(example, 0);
    const xHat = tf.div(tf.sub(example, mean), tf.sqrt(tf.add(variance, eps)));
    rows.push(tf.add(tf.mul(xHat, gamma), beta));
  }
  return { y: tf.concat(rows, 0) };
}
`,
    solution: `// x: tf.Tensor2D [N, C], test examples scored one at a time.
// gamma, beta, runningMean, runningVar: the trained layer (tf.Tensor1D [C]); eps: number.
function predict(x, gamma, beta, runningMean, runningVar, eps) {
  const rows = [];
  for (let i = 0; i < x.shape[0]; i++) {
    const example = tf.slice(x, [i, 0], [1, -1]);
    // Evaluation mode: the running averages from training, not this one example's statistics.
    const xHat = tf.div(tf.sub(example, runningMean), tf.sqrt(tf.add(runningVar, eps)));
    rows.push(tf.add(tf.mul(xHat, gamma), beta));
  }
  return { y: tf.concat(rows, 0) };
}
`,
    cases: ['bn1d_eval'],
    args: [
      { from: 'inputs', key: 'x' },
      { from: 'inputs', key: 'gamma' },
      { from: 'inputs', key: 'beta' },
      { from: 'inputs', key: 'running_mean' },
      { from: 'inputs', key: 'running_var' },
      { from: 'params', key: 'eps' },
    ],
    outputs: { y: 'y' },
    mistakes: [
      {
        id: 'train-mode-one',
        hint: 'Evaluation mode is forgotten and each example is its own batch of one: its mean is itself and its variance 0, so x̂ = 0 and every output is β. Use the running averages (model.eval() in PyTorch, training: false in Keras).',
        code: `function predict(x, gamma, beta, runningMean, runningVar, eps) {
  const rows = [];
  for (let i = 0; i < x.shape[0]; i++) {
    const example = tf.slice(x, [i, 0], [1, -1]);
    const { mean, variance } = tf.moments(example, 0);
    rows.push(tf.add(tf.mul(tf.div(tf.sub(example, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta));
  }
  return { y: tf.concat(rows, 0) };
}
`,
      },
      {
        id: 'train-mode-batch',
        hint: 'Evaluation mode is still forgotten: the whole test batch is normalized by its own statistics, so an example’s output depends on which others share its batch. At test time BN uses the running averages.',
        code: `function predict(x, gamma, beta, runningMean, runningVar, eps) {
  const { mean, variance } = tf.moments(x, 0);
  return { y: tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta) };
}
`,
      },
      {
        id: 'never-called',
        hint: 'The BN layer is built but never called: the examples pass through unchanged. Its γ, β and running averages must be applied.',
        code: `function predict(x, gamma, beta, runningMean, runningVar, eps) {
  return { y: tf.clone(x) };
}
`,
      },
    ],
  },
  {
    kind: 'exercise',
    id: 'ghost-batch',
    title: 'Exercise: ghost batch normalization',
    chapter: 'modern-practice',
    fn: 'ghostBatchNorm',
    intro:
      'Ghost batch norm (Hoffer et al., 2017) splits a large batch [N, C] into consecutive groups of ghostSize rows and normalizes each group by its own mean and biased variance, as if each were a small batch of its own. N is a multiple of ghostSize.',
    starter: `// x: tf.Tensor2D [N, C]; gamma, beta: tf.Tensor1D [C]; eps: number; ghostSize: number.
function ghostBatchNorm(x, gamma, beta, eps, ghostSize) {
  // TODO: normalize each group of ghostSize rows with its own statistics
  const y = x;
  return { y };
}
`,
    solution: `// x: tf.Tensor2D [N, C]; gamma, beta: tf.Tensor1D [C]; eps: number; ghostSize: number.
function ghostBatchNorm(x, gamma, beta, eps, ghostSize) {
  const [n, c] = x.shape;
  // [groups, ghostSize, C]: the statistics over axis 1 are each ghost batch's own.
  const groups = tf.reshape(x, [n / ghostSize, ghostSize, c]);
  const { mean, variance } = tf.moments(groups, 1, true);
  const xHat = tf.div(tf.sub(groups, mean), tf.sqrt(tf.add(variance, eps)));
  return { y: tf.add(tf.mul(tf.reshape(xHat, [n, c]), gamma), beta) };
}
`,
    cases: ['bn1d_train_small'],
    generated: ['ghost_of_4', 'ghost_of_2'],
    args: [
      { from: 'inputs', key: 'x' },
      { from: 'inputs', key: 'gamma' },
      { from: 'inputs', key: 'beta' },
      { from: 'params', key: 'eps' },
      // bn1d_train_small has 4 rows: one ghost batch of 4 is the whole batch, PyTorch's own y.
      { from: 'value', value: 4 },
    ],
    outputs: { y: 'y' },
    mistakes: [
      {
        id: 'whole-batch',
        hint: 'Every row is normalized by the statistics of the whole batch: that is ordinary BN. Ghost BN reshapes to [N/ghostSize, ghostSize, C] and takes the moments over axis 1.',
        code: `function ghostBatchNorm(x, gamma, beta, eps, ghostSize) {
  const { mean, variance } = tf.moments(x, 0);
  return { y: tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta) };
}
`,
      },
      {
        id: 'wrong-grouping',
        hint: 'Your groups interleave the rows (row i goes to group i mod G) instead of taking consecutive rows: reshape to [N/ghostSize, ghostSize, C], not [ghostSize, N/ghostSize, C].',
        code: `function ghostBatchNorm(x, gamma, beta, eps, ghostSize) {
  const [n, c] = x.shape;
  const groups = tf.reshape(x, [ghostSize, n / ghostSize, c]);
  const { mean, variance } = tf.moments(groups, 0, true);
  const xHat = tf.div(tf.sub(groups, mean), tf.sqrt(tf.add(variance, eps)));
  return { y: tf.add(tf.mul(tf.reshape(xHat, [n, c]), gamma), beta) };
}
`,
      },
      {
        id: 'first-ghost-only',
        hint: 'Every ghost batch is normalized with the first one’s statistics. Each group of ghostSize rows needs its own mean and variance.',
        code: `function ghostBatchNorm(x, gamma, beta, eps, ghostSize) {
  const first = tf.slice(x, [0, 0], [ghostSize, -1]);
  const { mean, variance } = tf.moments(first, 0);
  return { y: tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta) };
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
    kind: 'exercise',
    id: 'batch-renorm',
    title: 'Exercise: Batch Renormalization in training mode',
    chapter: 'bn-in-practice',
    fn: 'batchRenorm',
    intro:
      'Batch Renorm (Ioffe, 2017) normalizes with the batch’s statistics and then corrects towards the running ones: x̂ = (x − μ_B)/σ_B · r + d, with σ_B = √(σ²_B + ε) from the biased batch variance, σ = √(running variance + ε), r = clip(σ_B/σ, 1/r_max, r_max) and d = clip((μ_B − μ)/σ, −d_max, d_max); y = γ·x̂ + β. With r_max = 1 and d_max = 0 it is plain BN.',
    starter: `// x: tf.Tensor2D [N, C]; gamma, beta, runningMean, runningVar: tf.Tensor1D [C]; eps, rMax, dMax: numbers.
function batchRenorm(x, gamma, beta, eps, runningMean, runningVar, rMax, dMax) {
  const { mean, variance } = tf.moments(x, 0);
  // TODO: r and d, then y
  const y = x;
  return { y };
}
`,
    solution: `// x: tf.Tensor2D [N, C]; gamma, beta, runningMean, runningVar: tf.Tensor1D [C]; eps, rMax, dMax: numbers.
function batchRenorm(x, gamma, beta, eps, runningMean, runningVar, rMax, dMax) {
  const { mean, variance } = tf.moments(x, 0);
  const sigmaB = tf.sqrt(tf.add(variance, eps));
  const sigma = tf.sqrt(tf.add(runningVar, eps));
  const r = tf.clipByValue(tf.div(sigmaB, sigma), 1 / rMax, rMax);
  const d = tf.clipByValue(tf.div(tf.sub(mean, runningMean), sigma), -dMax, dMax);
  const xHat = tf.add(tf.mul(tf.div(tf.sub(x, mean), sigmaB), r), d);
  return { y: tf.add(tf.mul(xHat, gamma), beta) };
}
`,
    cases: [],
    generated: ['renorm_loose', 'renorm_clipped', 'renorm_as_bn'],
    args: [],
    outputs: { y: 'y' },
    mistakes: [
      {
        id: 'r-inverted',
        hint: 'Your r is σ/σ_B, upside down: r = σ_B/σ, so that (x − μ_B)/σ_B · r = (x − μ_B)/σ, the running statistics’ scale.',
        code: `function batchRenorm(x, gamma, beta, eps, runningMean, runningVar, rMax, dMax) {
  const { mean, variance } = tf.moments(x, 0);
  const sigmaB = tf.sqrt(tf.add(variance, eps));
  const sigma = tf.sqrt(tf.add(runningVar, eps));
  const r = tf.clipByValue(tf.div(sigma, sigmaB), 1 / rMax, rMax);
  const d = tf.clipByValue(tf.div(tf.sub(mean, runningMean), sigma), -dMax, dMax);
  return { y: tf.add(tf.mul(tf.add(tf.mul(tf.div(tf.sub(x, mean), sigmaB), r), d), gamma), beta) };
}
`,
      },
      {
        id: 'no-clipping',
        hint: 'r and d are not clipped: r must stay in [1/r_max, r_max] and d in [−d_max, d_max], which is what lets training start as plain BN (r_max = 1, d_max = 0) and relax on a schedule.',
        code: `function batchRenorm(x, gamma, beta, eps, runningMean, runningVar, rMax, dMax) {
  const { mean, variance } = tf.moments(x, 0);
  const sigmaB = tf.sqrt(tf.add(variance, eps));
  const sigma = tf.sqrt(tf.add(runningVar, eps));
  const r = tf.div(sigmaB, sigma);
  const d = tf.div(tf.sub(mean, runningMean), sigma);
  return { y: tf.add(tf.mul(tf.add(tf.mul(tf.div(tf.sub(x, mean), sigmaB), r), d), gamma), beta) };
}
`,
      },
      {
        id: 'd-over-batch-sigma',
        hint: 'Your d divides by the batch’s σ_B: d = (μ_B − μ)/σ measures the batch mean’s offset in units of the running σ.',
        code: `function batchRenorm(x, gamma, beta, eps, runningMean, runningVar, rMax, dMax) {
  const { mean, variance } = tf.moments(x, 0);
  const sigmaB = tf.sqrt(tf.add(variance, eps));
  const sigma = tf.sqrt(tf.add(runningVar, eps));
  const r = tf.clipByValue(tf.div(sigmaB, sigma), 1 / rMax, rMax);
  const d = tf.clipByValue(tf.div(tf.sub(mean, runningMean), sigmaB), -dMax, dMax);
  return { y: tf.add(tf.mul(tf.add(tf.mul(tf.div(tf.sub(x, mean), sigmaB), r), d), gamma), beta) };
}
`,
      },
    ],
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
  {
    kind: 'open',
    id: 'lab-my-bn',
    title: 'Try it: your BN in the lab’s network',
    chapter: 'lab',
    trains: true,
    intro:
      'Write BN for a batch of shape [N, C] (or keep this one) and train the lab’s CNN with it: the network hands your function each conv layer’s activations as [N·H·W, C]. The run happens in the code cells’ sandbox, beside a twin with the site’s own BN.',
    starter: `${BN_SOLUTION}
// Run tries it on a random batch; "Train with my BN" trains the lab's CNN with it.
const { y } = batchNorm(tf.randomNormal([64, 4], 3, 2, 'float32', 1), tf.ones([4]), tf.zeros([4]), 1e-5);
const { mean, variance } = tf.moments(y, 0);
console.log('output mean', mean.arraySync(), 'variance', variance.arraySync());
`,
  },
];

/** A chapter's exercise ids, in the registry's order (the chapter list's progress marks). */
export const exercisesIn = (chapter: string): string[] => CELLS.filter((c) => c.kind === 'exercise' && c.chapter === chapter).map((c) => c.id);

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
    // NaN where NaN is expected counts as equal (a wrong variant's NaN, when naming a mistake).
    const err = Number.isNaN(g) && Number.isNaN(w) ? 0 : Math.abs(g - w);
    if (!(err === 0 || err <= tol.atol + tol.rtol * Math.abs(w))) ok = false;
    maxError = Number.isNaN(err) ? Infinity : Math.max(maxError, err);
  }
  return { ok, maxError };
}
