import { describe, expect, it } from 'vitest';
import { judge, type RunCurves } from '../../../src/lib/lab/verdicts';
import type { Percentiles, SweepPoint } from '../../../src/lib/train/lab/protocol';

/** Curves at the page's cadence (steps 1–10, then every 10; evaluations every 20) from per-step functions. */
function curves(loss: (run: 'norm' | 'plain', step: number) => number, acc: (run: 'norm' | 'plain', step: number) => number, upTo = 100, band?: (run: 'norm' | 'plain', step: number) => Percentiles): RunCurves {
  const out: RunCurves = { metrics: [], evals: [] };
  for (let step = 1; step <= upTo; step++) {
    if (step <= 10 || step % 10 === 0) {
      const run = (r: 'norm' | 'plain') => ({ step, loss: loss(r, step), status: 'training' as const, ...(band ? { percentiles: [band(r, step)], running: r === 'norm' ? [{ mean: 1 - Math.exp(-step / 10), variance: 2 - Math.exp(-step / 10) }] : undefined } : {}) });
      out.metrics.push({ step, runs: { norm: run('norm'), plain: run('plain') } });
    }
    if (step % 20 === 0) out.evals.push({ step, runs: { norm: { step, inferAccuracy: acc('norm', step), examples: 1000 }, plain: { step, inferAccuracy: acc('plain', step), examples: 1000 } } });
  }
  return out;
}

describe('twin verdicts', () => {
  const normAhead = curves((r, s) => (r === 'norm' ? 1 / s + 0.2 : 2 / s + 0.4), (r, s) => (r === 'norm' ? 0.9 : 0.7 + s / 1000));

  it('says so when the normalized run is ahead, with the figures', () => {
    const v = judge({ kind: 'ahead-early', upTo: 100, margin: 5 }, { curves: normAhead })!;
    expect(v.holds).toBe(true);
    expect(v.figures.norm).toBeCloseTo(0.9);
    expect(v.figures.plain).toBeCloseTo(0.76);
    expect(v.sentence).toBe('This run: the BN network was ahead over the evaluations up to step 100, 90.0% against 76.0% on average (14.0 points).');
    const loss = judge({ kind: 'loss-lower', upTo: 100 }, { curves: normAhead })!;
    expect(loss.holds).toBe(true);
    expect(loss.sentence).toMatch(/^This run: the BN network's training loss was lower over steps 1–100, 0\.\d+ against 0\.\d+ on average\.$/);
  });

  it('says "Not in this run" and where the plain network led when the claim fails', () => {
    // The seed 2 at the old defaults: plain ahead at the first evaluation, 80% against 72%.
    const plainEarly = curves((r, s) => (r === 'norm' ? 2 / s + 0.4 : 1 / s + 0.2), (r, s) => (r === 'norm' ? (s === 20 ? 0.72 : 0.9) : s === 20 ? 0.8 : 0.88));
    const v = judge({ kind: 'ahead-early', upTo: 100, margin: 5 }, { curves: plainEarly })!;
    expect(v.holds).toBe(false);
    expect(v.sentence).toBe('Not in this run: the plain network was ahead at step 20 (80.0% against 72.0%); try another seed or a higher learning rate.');
    const loss = judge({ kind: 'loss-lower', upTo: 100 }, { curves: plainEarly })!;
    expect(loss.holds).toBe(false);
    expect(loss.sentence).toMatch(/^Not in this run: the plain network's training loss was lower over steps 1–100/);
  });

  it('a lead smaller than the margin does not hold, and says by how much it led', () => {
    const close = curves(() => 1, (r) => (r === 'norm' ? 0.82 : 0.8));
    const v = judge({ kind: 'ahead-early', upTo: 100, margin: 5 }, { curves: close })!;
    expect(v.holds).toBe(false);
    expect(v.sentence).toContain('led by only 2.0 points');
  });

  it('twins that compute the same thing are level, not one ahead', () => {
    const same = curves(() => 0.7, () => 0.6);
    expect(judge({ kind: 'loss-lower', upTo: 100 }, { curves: same })!.sentence).toBe("Not in this run: both networks' training losses averaged 0.70 over steps 1–100; try another seed or a higher learning rate.");
    expect(judge({ kind: 'ahead-early', upTo: 100, margin: 5 }, { curves: same })!.sentence).toBe('Not in this run: the two networks were level at step 20 (60.0%); try another seed or a higher learning rate.');
  });

  it('waits until the run has reached the end of the window', () => {
    const partial = curves(() => 1, () => 0.5, 60);
    expect(judge({ kind: 'ahead-early', upTo: 100, margin: 5 }, { curves: partial })).toBeNull();
    expect(judge({ kind: 'loss-lower', upTo: 100 }, { curves: partial })).toBeNull();
    // A run of 60 steps is judged on its 60 steps.
    expect(judge({ kind: 'loss-lower', upTo: 100 }, { curves: partial, steps: 60 })?.figures.upTo).toBe(60);
  });

  it('a plain run that diverged counts as the higher loss', () => {
    const diverged = curves((r, s) => (r === 'plain' && s > 50 ? Number.NaN : 1), () => 0.5);
    const v = judge({ kind: 'loss-lower', upTo: 100 }, { curves: diverged })!;
    expect(v.holds).toBe(true);
    expect(v.sentence).toContain('against a diverged plain run');
  });

  it('band and running averages: drift against a band that stays put', () => {
    const band = (r: 'norm' | 'plain', s: number): Percentiles => (r === 'norm' ? { p15: -1, p50: 0, p85: 1 } : { p15: -1 + s / 50, p50: s / 50, p85: 1 + s / 25 });
    const c = curves(() => 1, () => 0.5, 100, band);
    const v = judge({ kind: 'band-steadier', layer: 0, ratio: 2 }, { curves: c })!;
    expect(v.holds).toBe(true);
    expect(v.figures.norm).toBe(0);
    const reversed = judge({ kind: 'band-steadier', layer: 0, ratio: 2 }, { curves: curves(() => 1, () => 0.5, 100, (r, s) => band(r === 'norm' ? 'plain' : 'norm', s)) })!;
    expect(reversed.holds).toBe(false);
    expect(reversed.sentence).toMatch(/^Not in this run/);
    expect(judge({ kind: 'running-settles', layer: 0 }, { curves: c })!.holds).toBe(true);
  });
});

describe('sweep and digit verdicts', () => {
  const point = (value: number, norm: [boolean, number], plain: [boolean, number]): SweepPoint => ({
    value,
    runs: { norm: { diverged: norm[0], divergedAtStep: null, loss: 1, accuracy: norm[1] }, plain: { diverged: plain[0], divergedAtStep: null, loss: 1, accuracy: plain[1] } },
  });

  it('learning rate: the plain network failing first holds; failing together does not', () => {
    const sweep = [point(0.01, [false, 0.9], [false, 0.9]), point(0.5, [false, 0.9], [true, 0.1]), point(5, [true, 0.1], [true, 0.1])];
    const v = judge({ kind: 'plain-fails-first' }, { sweep })!;
    expect(v.holds).toBe(true);
    expect(v.sentence).toBe('This run: the plain network failed first, at rate 0.5; the BN network failed only at rate 5.');
    const together = judge({ kind: 'plain-fails-first' }, { sweep: [point(0.5, [true, 0.1], [true, 0.1])] })!;
    expect(together.holds).toBe(false);
    expect(judge({ kind: 'plain-fails-first' }, { sweep: [] })).toBeNull();
  });

  it("a batch of 2: BN far below its batch-32 accuracy, GroupNorm's figures quoted", () => {
    const bnGn = (value: number, bn: number, gn: number): SweepPoint => ({
      value,
      runs: { bn: { diverged: false, divergedAtStep: null, loss: 1, accuracy: bn }, gn: { diverged: false, divergedAtStep: null, loss: 1, accuracy: gn } },
    });
    const claim = { kind: 'small-batch-drop', small: 2, large: 32, drop: 20 } as const;
    const v = judge(claim, { sweep: [bnGn(2, 0.526, 0.422), bnGn(32, 0.924, 0.882)] })!;
    expect(v.holds).toBe(true);
    expect(v.sentence).toBe('This run: BN reached 52.6% at batch 2 against 92.4% at batch 32 (GroupNorm: 42.2% and 88.2%).');
    expect(judge(claim, { sweep: [bnGn(2, 0.8, 0.72), bnGn(32, 0.85, 0.84)] })!.sentence).toMatch(/^Not in this run: .*less than 20 points apart/);
    expect(judge(claim, { sweep: [bnGn(2, 0.3, 0.7)] })).toBeNull();
  });

  it('one digit alone in training mode', () => {
    const oneHot = (k: number, p = 0.9) => Array.from({ length: 10 }, (_, i) => (i === k ? p : (1 - p) / 9));
    const predictions = { normInference: oneHot(7), plain: oneHot(7), normBatchOfOne: oneHot(3, 0.5), normInBatch: oneHot(7) };
    const v = judge({ kind: 'alone-differs' }, { digit: { predictions, label: 7 } })!;
    expect(v.holds).toBe(true);
    expect(v.sentence).toContain('alone in training mode as 3');
    expect(judge({ kind: 'alone-differs' }, { digit: { predictions: { ...predictions, normBatchOfOne: oneHot(7) }, label: 7 } })!.holds).toBe(false);
  });
});
