// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { PENDING, showChartVerdict } from '../../../components/lab/captions';
import type { RunCurves } from '../../../src/lib/lab/verdicts';

/** Two twins that compute the same thing (BN built but never called): no claim can hold. */
function levelRun(steps: number): RunCurves {
  const out: RunCurves = { metrics: [], evals: [] };
  for (let step = 1; step <= steps; step++) {
    if (step <= 10 || step % 10 === 0) out.metrics.push({ step, runs: { norm: { step, loss: 2 - step / 100, status: 'training' }, plain: { step, loss: 2 - step / 100, status: 'training' } } });
    if (step % 20 === 0) out.evals.push({ step, runs: { norm: { step, inferAccuracy: 0.5, examples: 1000 }, plain: { step, inferAccuracy: 0.5, examples: 1000 } } });
  }
  return out;
}

describe('captions that check themselves', () => {
  it('say when the run will be checked, then what it showed, and mark a claim the run contradicts', () => {
    const line = document.createElement('span');
    showChartVerdict(line, 'accuracy', { curves: levelRun(40), steps: 200, finished: false }, 2);
    expect(line.textContent).toBe(PENDING.accuracy);
    expect(line.dataset.holds).toBeUndefined();
    showChartVerdict(line, 'accuracy', { curves: levelRun(100), steps: 200, finished: false }, 2);
    expect(line.textContent).toBe('Not in this run: the two networks were level at step 20 (50.0%); try another seed or a higher learning rate.');
    expect(line.dataset.holds).toBe('false');
  });

  it('a run without running averages says there is nothing to check', () => {
    const line = document.createElement('span');
    showChartVerdict(line, 'running', { curves: levelRun(20), steps: 200, finished: false }, 0);
    expect(line.textContent).toMatch(/keeps no running averages/);
  });
});
