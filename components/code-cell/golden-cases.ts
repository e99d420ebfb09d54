/**
 * Build time only (CodeCell.astro's frontmatter): the reference cases an exercise is checked on,
 * read from ../shared/golden (PyTorch 1.13, float64) next to the repository and embedded in the
 * page, so the check needs no request. A missing file fails the build.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ArgSource, CheckCase, Exercise } from './exercises';
import { batchRenorm64, ghostBatchNorm64, matrix, standardize64, vector } from './reference64';

interface GoldenTensor {
  shape: number[];
  data: number[];
}
interface GoldenFile {
  name: string;
  source?: string;
  params: Record<string, unknown>;
  inputs: Record<string, GoldenTensor>;
  expected: Record<string, GoldenTensor>;
  tolerance: { rtol: number; atol: number };
}

/** The repository's sibling folder of reference cases (the site build always uses this one). */
export const GOLDEN_DIR = resolve(process.cwd(), '../shared/golden');

function arg(file: GoldenFile, a: ArgSource): GoldenTensor | number {
  if (a.from === 'value') return a.value;
  if (a.from === 'params') {
    const v = file.params[a.key];
    if (typeof v !== 'number') throw new Error(`${file.name}: param ${a.key} is not a number`);
    return v;
  }
  const t = file[a.from][a.key];
  if (!t) throw new Error(`${file.name}: no ${a.from}.${a.key}`);
  return t;
}

export function goldenCases(ex: Exercise, dir = GOLDEN_DIR): CheckCase[] {
  const cases = ex.cases.map((name): CheckCase => {
    const file = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as GoldenFile;
    const expected: CheckCase['expected'] = {};
    for (const [out, field] of Object.entries(ex.outputs)) {
      const t = file.expected[field];
      if (!t) throw new Error(`${name}.json: no expected.${field}`);
      expected[out] = t;
    }
    return { name, source: `PyTorch (${name}.json)`, args: ex.args.map((a) => arg(file, a)), expected, tolerance: file.tolerance };
  });
  for (const name of ex.generated ?? []) {
    const build = GENERATED[name];
    if (!build) throw new Error(`${ex.id}: no generated case "${name}" in golden-cases.ts`);
    cases.push(build(cases[0]?.tolerance ?? FLOAT32_TOLERANCE));
  }
  return cases;
}

/** A batch of two channels whose first channel's variance (about 5e-6) is below ε = 1e-5. */
const NEAR_EPS_ROWS = [
  [0.001, 1.5],
  [0.004, -0.5],
  [0.002, 2.0],
  [0.006, 0.25],
  [0.0, -1.0],
  [0.005, 0.75],
];
const EPS = 1e-5;

/** Per-channel biased mean and variance of NEAR_EPS_ROWS, in float64. */
function nearEpsStats(): { mean: number[]; variance: number[] } {
  const n = NEAR_EPS_ROWS.length;
  const mean = [0, 1].map((c) => NEAR_EPS_ROWS.reduce((a, r) => a + r[c]!, 0) / n);
  const variance = [0, 1].map((c) => NEAR_EPS_ROWS.reduce((a, r) => a + (r[c]! - mean[c]!) ** 2, 0) / n);
  return { mean, variance };
}

/**
 * A batch whose variance is close to ε, where ε inside or outside the square root differs far
 * beyond the tolerance (in PyTorch's cases the variances are near 1 and the two agree to 1e-6).
 * Its expected values are Algorithm 1 in float64, computed here; the page says so.
 */
export function nearEpsCase(tolerance: { rtol: number; atol: number }): CheckCase {
  const gamma = [1.5, 0.5];
  const beta = [0.25, -1];
  const n = NEAR_EPS_ROWS.length;
  const { mean, variance } = nearEpsStats();
  const y = NEAR_EPS_ROWS.flatMap((r) => [0, 1].map((c) => ((r[c]! - mean[c]!) / Math.sqrt(variance[c]! + EPS)) * gamma[c]! + beta[c]!));
  return {
    name: 'near_eps',
    source: 'variance near ε: Algorithm 1 in float64, computed at build time',
    args: [
      { shape: [n, 2], data: NEAR_EPS_ROWS.flat() },
      { shape: [2], data: gamma },
      { shape: [2], data: beta },
      EPS,
      // The running averages the site passes in training (Algorithm 1 does not use them).
      { shape: [2], data: [0, 0] },
      { shape: [2], data: [1, 1] },
    ],
    expected: { y: { shape: [n, 2], data: y }, mean: { shape: [2], data: mean }, variance: { shape: [2], data: variance } },
    tolerance,
  };
}

/** The same batch through the backward pass: dx, dγ, dβ of Σ y·dy in float64 (the closed form). */
export function nearEpsBackwardCase(tolerance: { rtol: number; atol: number }): CheckCase {
  const gamma = [1.5, 0.5];
  const dy = [
    [0.5, -1],
    [-0.25, 0.5],
    [1, 0.25],
    [-0.75, -0.5],
    [0.2, 1],
    [0.1, -0.3],
  ];
  const n = NEAR_EPS_ROWS.length;
  const { mean, variance } = nearEpsStats();
  const sigma = variance.map((v) => Math.sqrt(v + EPS));
  const xHat = NEAR_EPS_ROWS.map((r) => [0, 1].map((c) => (r[c]! - mean[c]!) / sigma[c]!));
  const dbeta = [0, 1].map((c) => dy.reduce((a, r) => a + r[c]!, 0));
  const dgamma = [0, 1].map((c) => dy.reduce((a, r, i) => a + r[c]! * xHat[i]![c]!, 0));
  const dx = dy.flatMap((r, i) => [0, 1].map((c) => (gamma[c]! / (n * sigma[c]!)) * (n * r[c]! - dbeta[c]! - xHat[i]![c]! * dgamma[c]!)));
  return {
    name: 'near_eps',
    source: 'variance near ε: the closed-form gradient in float64, computed at build time',
    args: [{ shape: [n, 2], data: NEAR_EPS_ROWS.flat() }, { shape: [2], data: gamma }, { shape: [n, 2], data: dy.flat() }, EPS],
    expected: { dx: { shape: [n, 2], data: dx }, dgamma: { shape: [2], data: dgamma }, dbeta: { shape: [2], data: dbeta } },
    tolerance,
  };
}

/** Folding with running variances near ε: a 1×1 conv, 2 inputs, 2 outputs, in float64. */
export function nearEpsFoldCase(tolerance: { rtol: number; atol: number }): CheckCase {
  const filter = [0.5, -1.25, 2, 0.75]; // HWIO [1, 1, 2, 2]: output channel is the last axis
  const bias = [0.1, -0.2];
  const gamma = [1.5, 0.5];
  const beta = [0.25, -1];
  const mean = [0.003, 0.5];
  const variance = [4e-6, 2e-5];
  const scale = [0, 1].map((o) => gamma[o]! / Math.sqrt(variance[o]! + EPS));
  const vec = (data: number[]) => ({ shape: [2], data });
  return {
    name: 'near_eps',
    source: 'running variance near ε: the fold in float64, computed at build time',
    args: [{ shape: [1, 1, 2, 2], data: filter }, vec(bias), vec(gamma), vec(beta), vec(mean), vec(variance), EPS],
    expected: {
      filter: { shape: [1, 1, 2, 2], data: filter.map((w, i) => w * scale[i % 2]!) },
      bias: vec([0, 1].map((o) => (bias[o]! - mean[o]!) * scale[o]! + beta[o]!)),
    },
    tolerance,
  };
}

/** PyTorch's cases' tolerance, for exercises whose cases are all generated. */
const FLOAT32_TOLERANCE = { rtol: 1e-4, atol: 1e-5 };

/** The open cell's batch in Why normalize?: its third column's variance, 2.19e-4, is only about 22 ε. */
export const OPEN_CELL_BATCH = [
  [1, 200, 0.01],
  [2, 180, 0.03],
  [3, 260, 0.02],
  [4, 240, 0.05],
];

function standardizeCase(name: string, source: string, rows: number[][], tolerance: { rtol: number; atol: number }): CheckCase {
  const { xHat, xHatVariance } = standardize64(rows, EPS);
  return { name, source, args: [matrix(rows), EPS], expected: { xHat: matrix(xHat), xHatVariance: vector(xHatVariance) }, tolerance };
}

/** Rows of a batch of 8 with 3 channels on different scales, for the ghost-batch cases. */
const GHOST_ROWS = [
  [0.5, 12, -3],
  [1.5, 9, -2.5],
  [-0.25, 15, -4],
  [2, 11, -1],
  [0.75, 30, -3.5],
  [1.25, 28, -2],
  [-1, 35, -6],
  [0, 31, -0.5],
];

function ghostCase(name: string, rows: number[][], ghostSize: number, tolerance: { rtol: number; atol: number }): CheckCase {
  const c = rows[0]!.length;
  const gamma = Array.from({ length: c }, (_, j) => 1 + 0.25 * j);
  const beta = Array.from({ length: c }, (_, j) => 0.5 - 0.5 * j);
  return {
    name,
    source: `ghost batches of ${ghostSize}: per-group Algorithm 1 in float64 (reference64.ts), computed at build time`,
    args: [matrix(rows), vector(gamma), vector(beta), EPS, ghostSize],
    expected: { y: matrix(ghostBatchNorm64(rows, gamma, beta, EPS, ghostSize)) },
    tolerance,
  };
}

/** Six examples of three channels, and running statistics that lag behind them (a small-batch run). */
const RENORM_ROWS = [
  [0.5, 12, -3],
  [1.5, 9, -2.5],
  [-0.25, 15, -4],
  [2, 11, -1],
  [0.75, 14, -3.5],
  [1.25, 10, -2],
];
const RENORM_RUNNING = { mean: [0.6, 11, -1], variance: [0.8, 9, 0.2] };

function renormCase(name: string, rMax: number, dMax: number, what: string, tolerance: { rtol: number; atol: number }): CheckCase {
  const gamma = [1, 1.5, 0.5];
  const beta = [0, -0.5, 0.25];
  const { mean, variance } = RENORM_RUNNING;
  return {
    name,
    source: `r_max ${rMax}, d_max ${dMax} (${what}): Batch Renorm in float64 (reference64.ts), computed at build time`,
    args: [matrix(RENORM_ROWS), vector(gamma), vector(beta), EPS, vector(mean), vector(variance), rMax, dMax],
    expected: { y: matrix(batchRenorm64(RENORM_ROWS, gamma, beta, EPS, mean, variance, rMax, dMax)) },
    tolerance,
  };
}

/**
 * The cases computed here in float64, by name (an exercise's `generated`): where PyTorch's
 * vectors have no case for what the exercise asks, or none that separates a classic mistake.
 */
const GENERATED: Record<string, (tolerance: { rtol: number; atol: number }) => CheckCase> = {
  near_eps: nearEpsCase,
  near_eps_backward: nearEpsBackwardCase,
  near_eps_fold: nearEpsFoldCase,
  open_cell_batch: (t) => standardizeCase('open_cell_batch', 'the open cell’s batch: standardized in float64 (reference64.ts), computed at build time', OPEN_CELL_BATCH, t),
  constant_column: (t) =>
    standardizeCase(
      'constant_column',
      'a constant column (variance 0): standardized in float64 (reference64.ts), computed at build time',
      [
        [3, -1, 0.004],
        [3, 2, 0.001],
        [3, 0.5, 0.002],
        [3, 4.5, 0.005],
        [3, -2, 0.003],
      ],
      t,
    ),
  ghost_of_4: (t) => ghostCase('ghost_of_4', GHOST_ROWS, 4, t),
  ghost_of_2: (t) => ghostCase('ghost_of_2', GHOST_ROWS.slice(0, 6), 2, t),
  renorm_loose: (t) => renormCase('renorm_loose', 3, 5, 'r and d unclipped', t),
  renorm_clipped: (t) => renormCase('renorm_clipped', 1.2, 0.5, 'r and d clipped in some channels', t),
  renorm_as_bn: (t) => renormCase('renorm_as_bn', 1, 0, 'r = 1, d = 0: plain BN', t),
};

/** Where a case's expected values come from, for the page: PyTorch or this file's float64 code. */
export const isGenerated = (name: string): boolean => name in GENERATED;
