import { describe, expect, it, vi } from 'vitest';
import { createRecorder, type LiveRun, type RunsListing } from '../../../src/lib/runs/recorder';
import type { RunStore } from '../../../src/lib/runs/store';
import type { SavedRun } from '../../../src/lib/runs/types';
import { DEFAULT_CONFIG } from '../../../src/lib/train/config';
import type { ModelArtifactsJson } from '../../../src/lib/train/core/weights';

/** An in-memory store: what the recorder wrote, in order. */
function memoryStore(initial: SavedRun[] = [], fail?: 'full') {
  const writes: SavedRun[] = [];
  const rows = new Map(initial.map((r) => [r.id, r]));
  const store: RunStore = {
    save: async (r) => {
      if (fail) return { ok: false, problem: { kind: fail, message: 'QuotaExceededError' } };
      writes.push(r);
      rows.set(r.id, r);
      return { ok: true, value: undefined };
    },
    list: async () => ({ ok: true, value: [...rows.values()] }),
    delete: async (id) => (rows.delete(id), { ok: true, value: undefined }),
    close: () => undefined,
  };
  return { store, writes };
}

const network = (name: string): ModelArtifactsJson => ({ config: DEFAULT_CONFIG, weightSpecs: [{ name: 'head/weight', shape: [1], dtype: 'float32' }, { name, shape: [1], dtype: 'float32' }], weightData: new ArrayBuffer(8) });
const live = (key: number, steps: number[]): LiveRun => ({
  key,
  config: DEFAULT_CONFIG,
  backend: 'wasm',
  examplesPerSecond: 640,
  curves: { metrics: steps.map((step) => ({ step, runs: { norm: { step, loss: 1, status: 'training' as const }, plain: { step, loss: 2, status: 'training' as const } } })), evals: [] },
});

function setup(fail?: 'full') {
  const { store, writes } = memoryStore([], fail);
  const listings: RunsListing[] = [];
  const askNetwork = vi.fn(async (run: string) => network(run));
  const recorder = createRecorder({ open: async () => ({ ok: true, value: store }), askNetwork, onChange: (l) => listings.push(l) });
  return { recorder, writes, listings, askNetwork, latest: () => listings.at(-1)! };
}

describe('the run recorder', () => {
  it('saves the live run at each evaluation, one entry per run, newest state last', async () => {
    const { recorder, writes, latest } = setup();
    recorder.hear({ type: 'eval', final: false, results: { norm: { step: 20, inferAccuracy: 0.8, examples: 1000 } } }, live(1, [10, 20]));
    recorder.hear({ type: 'eval', final: true, results: { norm: { step: 40, inferAccuracy: 0.9, examples: 10000 } } }, live(1, [10, 20, 30, 40]));
    await vi.waitFor(() => expect(writes).toHaveLength(2));
    expect(new Set(writes.map((w) => w.id)).size).toBe(1);
    expect(writes.map((w) => [w.step, w.status, w.accuracy.norm])).toEqual([[20, 'stopped', 0.8], [40, 'finished', 0.9]]);
    expect(latest()).toMatchObject({ storage: 'ok', runs: [{ step: 40, examplesPerSecond: 640, backend: 'wasm' }] });
    // A new run (another key) is another entry.
    recorder.hear({ type: 'eval', final: false, results: { norm: { step: 20, inferAccuracy: 0.7, examples: 1000 } } }, live(2, [20]));
    await vi.waitFor(() => expect(latest().runs).toHaveLength(2));
  });

  it('on pause saves the run and asks for both networks, stored with their step', async () => {
    const { recorder, writes, askNetwork, latest } = setup();
    recorder.hear({ type: 'state', state: 'paused' }, live(1, [10, 20, 30]));
    await vi.waitFor(() => expect(latest().runs[0]?.models).toHaveProperty('plain'));
    expect(askNetwork.mock.calls.map((c) => c[0])).toEqual(['norm', 'plain']);
    expect(writes.at(-1)).toMatchObject({ step: 30, modelsStep: 30 });
    expect(recorder.resumable(live(1, [10, 20, 30]))?.modelsStep).toBe(30);
    expect(recorder.resumable(live(2, []))).toBeUndefined();
  });

  it('reports full storage as data, and the crashed trainer with what was saved', async () => {
    const { recorder, latest } = setup('full');
    recorder.hear({ type: 'eval', final: false, results: { norm: { step: 20, inferAccuracy: 0.8, examples: 1000 } } }, live(1, [20]));
    await vi.waitFor(() => expect(latest().note).toMatchObject({ kind: 'problem', problem: { kind: 'full' }, saving: { kind: 'step', step: 20 } }));
    recorder.crashed();
    await vi.waitFor(() => expect(latest()).toMatchObject({ storage: 'problem', note: { kind: 'crashed', saved: undefined } }));
  });

  it('keeps the crash note when a write queued before the crash lands after it', async () => {
    const { recorder, latest } = setup();
    recorder.hear({ type: 'eval', final: false, results: { norm: { step: 20, inferAccuracy: 0.8, examples: 1000 } } }, live(1, [20]));
    recorder.crashed();
    await vi.waitFor(() => expect(latest().note).toMatchObject({ kind: 'crashed', saved: { step: 20 } }));
  });

  it('deletes a run from the store and the list', async () => {
    const { recorder, latest } = setup();
    recorder.hear({ type: 'eval', final: true, results: { norm: { step: 20, inferAccuracy: 0.8, examples: 1000 } } }, live(1, [20]));
    await vi.waitFor(() => expect(latest().runs).toHaveLength(1));
    expect(await recorder.delete(latest().runs[0]!.id)).toBe(true);
    expect(latest().runs).toEqual([]);
  });
});
