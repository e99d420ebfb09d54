/**
 * Build time only (CodeCell.astro's frontmatter): the reference cases an exercise is checked on,
 * read from ../shared/golden (PyTorch 1.13, float64) next to the repository and embedded in the
 * page, so the check needs no request. A missing file fails the build.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ArgSource, CheckCase, Exercise } from './exercises';

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
  if (ex.derived === 'near-eps') cases.push(nearEpsCase(cases[0]?.tolerance ?? { rtol: 1e-4, atol: 1e-5 }));
  return cases;
}

/**
 * A batch whose variance is close to ε, where ε inside or outside the square root differs far
 * beyond the tolerance (in PyTorch's cases the variances are near 1 and the two agree to 1e-6).
 * Its expected values are Algorithm 1 in float64, computed here; the page says so.
 */
export function nearEpsCase(tolerance: { rtol: number; atol: number }): CheckCase {
  const eps = 1e-5;
  const rows = [
    [0.001, 1.5],
    [0.004, -0.5],
    [0.002, 2.0],
    [0.006, 0.25],
    [0.0, -1.0],
    [0.005, 0.75],
  ];
  const gamma = [1.5, 0.5];
  const beta = [0.25, -1];
  const n = rows.length;
  const mean = [0, 1].map((c) => rows.reduce((a, r) => a + (r[c] as number), 0) / n);
  const variance = [0, 1].map((c) => rows.reduce((a, r) => a + ((r[c] as number) - (mean[c] as number)) ** 2, 0) / n);
  const y = rows.flatMap((r) => [0, 1].map((c) => (((r[c] as number) - (mean[c] as number)) / Math.sqrt((variance[c] as number) + eps)) * (gamma[c] as number) + (beta[c] as number)));
  return {
    name: 'near_eps',
    source: 'variance near ε: Algorithm 1 in float64, computed at build time',
    args: [
      { shape: [n, 2], data: rows.flat() },
      { shape: [2], data: gamma },
      { shape: [2], data: beta },
      eps,
    ],
    expected: { y: { shape: [n, 2], data: y }, mean: { shape: [2], data: mean }, variance: { shape: [2], data: variance } },
    tolerance,
  };
}
