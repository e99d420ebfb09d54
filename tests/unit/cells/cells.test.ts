import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { CELLS, type Exercise } from '../../../components/code-cell/exercises';
import { goldenCases, nearEpsCase } from '../../../components/code-cell/golden-cases';
import { runCell } from '../../../components/code-cell/run-cell';

const EXERCISES = CELLS.filter((c): c is Exercise => c.kind === 'exercise');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const check = (ex: Exercise, code: string) =>
  runCell({ type: 'run', id: 1, code, check: { fn: ex.fn, cases: goldenCases(ex), mistakes: ex.mistakes.map(({ id, code }) => ({ id, code })) } });

describe('the exercise registry', () => {
  it('names the four exercises and at least one open cell per chapter', () => {
    expect(EXERCISES.map((e) => [e.fn, e.chapter])).toEqual([
      ['batchNorm', 'the-transform'],
      ['updateRunning', 'train-vs-inference'],
      ['batchNormBackward', 'backward-pass'],
      ['fold', 'train-vs-inference'],
    ]);
    expect(EXERCISES[0]!.title).toBe('Exercise: Algorithm 1');
    const chapters = new Set(CELLS.filter((c) => c.kind === 'open').map((c) => c.chapter));
    for (const slug of ['why-normalize', 'the-transform', 'conv-layers', 'backward-pass', 'train-vs-inference', 'pitfalls']) expect(chapters).toContain(slug);
    expect(new Set(CELLS.map((c) => c.id)).size).toBe(CELLS.length);
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

  it('fails the starter without naming a mistake it did not make', async () => {
    const r = await check(ex, ex.starter);
    expect(r.type === 'result' && r.checks?.some((c) => !c.ok)).toBe(true);
    expect(r.type === 'result' && r.mistake).toBeFalsy();
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
    expect(meta).toContain(`script-src 'sha256-${hash}' blob: 'unsafe-eval'`);
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
