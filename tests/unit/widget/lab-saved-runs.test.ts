import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/lib/train/config';
import { newRunId, openRunStore, savedRunJson } from '../../../src/lib/runs/store';
import type { SavedRun } from '../../../src/lib/runs/types';

const run = (weights: number[]): SavedRun => ({
  id: newRunId(new Date('2026-11-24T09:00:00Z')),
  date: '2026-11-24T09:00:00.000Z',
  updated: '2026-11-24T09:01:00.000Z',
  config: DEFAULT_CONFIG,
  backend: 'wasm',
  examplesPerSecond: 400,
  status: 'finished',
  step: 200,
  curves: { metrics: [{ step: 200, runs: { norm: { step: 200, loss: 0.2, status: 'finished' } } }], evals: [] },
  accuracy: { norm: 0.9, plain: 0.85 },
  evalExamples: 10000,
  models: { norm: { config: DEFAULT_CONFIG, weightSpecs: [{ name: 'w', shape: [weights.length], dtype: 'float32' }], weightData: new Float32Array(weights).buffer } },
});

describe('saved runs', () => {
  it('ids sort by start time and differ for runs started in the same millisecond', () => {
    const at = new Date('2026-11-24T09:00:00Z');
    expect(newRunId(at)).toMatch(/^2026-11-24T09:00:00\.000Z-[a-z0-9]+$/);
    expect(newRunId(at)).not.toBe(newRunId(at));
    expect(newRunId(at) < newRunId(new Date('2026-11-24T09:00:01Z'))).toBe(true);
  });

  it('exports a run as JSON with each network’s weights in base64, byte for byte', () => {
    const weights = Array.from({ length: 50_000 }, (_, i) => Math.sin(i));
    const json = JSON.parse(savedRunJson(run(weights)));
    expect(json.format).toBe('bn-live-saved-run');
    expect(json.accuracy).toEqual({ norm: 0.9, plain: 0.85 });
    expect(json.models.norm.weightSpecs).toEqual([{ name: 'w', shape: [50_000], dtype: 'float32' }]);
    const bytes = Buffer.from(json.models.norm.weightDataBase64, 'base64');
    expect(Array.from(new Float32Array(Uint8Array.from(bytes).buffer))).toEqual(Array.from(new Float32Array(weights)));
  });

  it('reports a missing IndexedDB as unavailable instead of throwing', async () => {
    const opened = await openRunStore();
    expect(opened).toEqual({ ok: false, problem: { kind: 'unavailable', message: 'this browser offers no IndexedDB' } });
  });
});
