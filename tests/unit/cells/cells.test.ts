import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { CELLS, type Exercise } from '../../../components/code-cell/exercises';
import { goldenCases, isGenerated, nearEpsCase } from '../../../components/code-cell/golden-cases';
import { runCell } from '../../../components/code-cell/run-cell';

const EXERCISES = CELLS.filter((c): c is Exercise => c.kind === 'exercise');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const check = (ex: Exercise, code: string) =>
  runCell({ type: 'run', id: 1, code, check: { fn: ex.fn, cases: goldenCases(ex), mistakes: ex.mistakes.map(({ id, code }) => ({ id, code })) } });

describe('the exercise registry', () => {
  it('has an exercise in every chapter, at least eight, each titled "Exercise: …"', () => {
    expect(EXERCISES.length).toBeGreaterThanOrEqual(8);
    const chapters = readdirSync('content').filter((f) => f.endsWith('.mdx')).map((f) => f.replace(/\.mdx$/, ''));
    for (const slug of chapters) expect(EXERCISES.map((e) => e.chapter), slug).toContain(slug);
    for (const ex of EXERCISES) expect(ex.title).toMatch(/^Exercise: /);
    expect(EXERCISES[0]!.title).toBe('Exercise: Algorithm 1');
    expect(new Set(CELLS.map((c) => c.id)).size).toBe(CELLS.length);
  });

  it('places every cell in its chapter’s .mdx, as a paragraph of its own', () => {
    for (const c of CELLS) {
      if (c.chapter === 'lab') {
        expect(readFileSync('src/pages/lab/index.astro', 'utf8'), c.id).toContain(`<CodeCell cell="${c.id}" />`);
        continue;
      }
      const mdx = readFileSync(`content/${c.chapter}.mdx`, 'utf8');
      expect(mdx, c.id).toMatch(new RegExp(`\\n\\n<CodeCell cell="${c.id}" />\\n`));
    }
  });

  it('names where each case’s expected values come from: PyTorch, or the float64 reference here', () => {
    for (const ex of EXERCISES) {
      for (const c of goldenCases(ex)) {
        if (isGenerated(c.name)) expect(c.source, `${ex.id} ${c.name}`).toMatch(/float64/);
        else expect(c.source, `${ex.id} ${c.name}`).toBe(`PyTorch (${c.name}.json)`);
      }
    }
  });

  it('reads the PyTorch cases from ../shared/golden', () => {
    const cases = goldenCases(EXERCISES[0]!);
    expect(cases.map((c) => c.name)).toEqual(['bn1d_train_small', 'bn1d_train_random', 'near_eps']);
    expect(cases[0]!.expected.variance!.data).toEqual([5, 5]);
  });
});

describe.each(EXERCISES.map((e) => [e.id, e] as const))('exercise %s', (_, ex) => {
  it('passes with the solution', async () => {
    const r = await check(ex, ex.solution);
    expect(r.type === 'result' && r.error).toBeFalsy();
    expect(r.type === 'result' && r.checks?.map((c) => c.ok)).toEqual(goldenCases(ex).map(() => true));
  });

  it('fails the starter, naming only the mistake it was written with', async () => {
    const r = await check(ex, ex.starter);
    expect(r.type === 'result' && r.checks?.some((c) => !c.ok)).toBe(true);
    expect(r.type === 'result' && r.mistake).toBe(ex.starterMistake);
  });

  it.each(ex.mistakes.map((m) => [m.id, m] as const))('names the mistake %s', async (_, m) => {
    expect(m.code).not.toBe(ex.solution);
    const r = await check(ex, m.code);
    expect(r.type === 'result' && r.checks?.some((c) => !c.ok)).toBe(true);
    expect(r.type === 'result' && r.mistake).toBe(m.id);
  });
});

describe('open cells', () => {
  it.each(CELLS.filter((c) => c.kind === 'open').map((c) => [c.id, c] as const))('%s runs its example', async (_, c) => {
    const r = await runCell({ type: 'run', id: 1, code: c.starter });
    expect(r.type === 'result' && r.error).toBeFalsy();
    expect(r.type === 'result' && (r.value ?? r.logs.join(''))).toBeTruthy();
  });

  it('reports the line of a runtime error in the reader’s code', async () => {
    const r = await runCell({ type: 'run', id: 1, code: 'const a = 1;\n\nnull.x;' });
    expect(r.type === 'result' && r.error).toMatchObject({ name: 'TypeError', line: 3 });
  });

  it('prints tensors with shape and dtype', async () => {
    const r = await runCell({ type: 'run', id: 1, code: 'console.log("hi", 2); return { t: tf.tensor1d([1, 2, 3]) };' });
    expect(r.type === 'result' && r.logs).toEqual(['hi 2']);
    expect(r.type === 'result' && r.value).toMatch(/^t: Tensor shape \[3\] float32\n\s*\[1, 2, 3\]/);
  });
});

describe('the sandbox page', () => {
  const html = readFileSync('public/sandbox/index.html', 'utf8');
  const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;

  it('allows its inline host script by hash, and nothing on the network', () => {
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const hash = createHash('sha256').update(script).digest('base64');
    expect(meta).toContain(`script-src 'sha256-${hash}' blob: 'unsafe-eval' 'wasm-unsafe-eval'`);
    expect(meta).toContain("connect-src 'none'");
    expect(meta).toContain("default-src 'none'");
    expect(meta).not.toContain("'self'");
  });

  it('has the same policy in public/_headers, which detaches the site-wide one', () => {
    const headers = readFileSync('public/_headers', 'utf8');
    const rule = headers.slice(headers.indexOf('/sandbox/*'));
    expect(rule).toContain('! Content-Security-Policy');
    expect(rule).toContain(`Content-Security-Policy: ${meta}; frame-ancestors 'self'`);
  });

  it('the near-ε case separates ε inside and outside the square root beyond its tolerance', () => {
    const c = nearEpsCase({ rtol: 1e-4, atol: 1e-5 });
    const [x, , , eps] = c.args as [{ data: number[] }, unknown, unknown, number];
    const col = x.data.filter((_, i) => i % 2 === 0);
    const mean = col.reduce((a, b) => a + b, 0) / col.length;
    const v = col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length;
    expect(Math.abs(1 / Math.sqrt(v + eps) - 1 / (Math.sqrt(v) + eps)) * Math.sqrt(v)).toBeGreaterThan(0.01);
  });
});

describe('the float64 reference cases', () => {
  it('the open cell’s third column has variance 2.19e-4 (about 22 ε), so its x̂ has variance 0.956', () => {
    const c = goldenCases(EXERCISES.find((e) => e.id === 'standardize')!).find((k) => k.name === 'open_cell_batch')!;
    const v = c.expected.xHatVariance!.data;
    expect(v[0]).toBeCloseTo(1, 4);
    expect(v[2]).toBeCloseTo(0.956, 3);
  });

  it('ghost batches of the whole batch give PyTorch’s BN output', () => {
    const ex = EXERCISES.find((e) => e.id === 'ghost-batch')!;
    const golden = JSON.parse(readFileSync('../shared/golden/bn1d_train_small.json', 'utf8')) as { inputs: { x: { shape: number[] } } };
    expect(golden.inputs.x.shape[0]).toBe((ex.args[4] as { value: number }).value);
  });
});
