import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../components/lab/settings';
import { alertLine, statusLine, progressLine } from '../../../components/lab/sentences';
import { boot, chooseBackend, failover, initialState, reduce, startNeedsBoot, type LabAction, type LabState } from '../../../components/lab/state';
import type { ProbeResult } from '../../../components/lab/probe';
import type { SavedRun } from '../../../src/lib/runs/types';
import type { LabEvent, PerRun, RunMetrics } from '../../../src/lib/train/lab/protocol';

const settings = (query: Record<string, string> = {}) => parseSettings(query).settings;
const ready = (over: Partial<Extract<LabEvent, { type: 'ready' }>> = {}): LabEvent => ({ type: 'ready', backend: 'wasm', trainCount: 60000, testCount: 10000, digits: { pixels: new Uint8Array(0), labels: [] }, gallery: {}, step: 0, ...over });
const metrics = (step: number, stepsPerSecond = 10): LabEvent => ({ type: 'metrics', metrics: { norm: { step, loss: 1, status: 'training' }, plain: { step, loss: 2, status: 'training' } } as PerRun<RunMetrics>, stepsPerSecond, tensors: 42 });
const run = (actions: LabAction[], from: LabState): LabState => actions.reduce(reduce, from);
const probe: ProbeResult = {
  key: 'cnn/batch 32',
  chosen: 'webgl',
  outcomes: [
    { backend: 'webgpu', examplesPerSecond: null, note: 'unavailable' },
    { backend: 'webgl', examplesPerSecond: 900 },
    { backend: 'wasm', examplesPerSecond: 400 },
  ],
  measuredAt: '2026-12-04T10:00:00Z',
};
const savedRun = (s: LabState, step: number): SavedRun => ({
  id: 'r1',
  date: '2026-12-04T10:00:00Z',
  updated: '2026-12-04T10:01:00Z',
  config: s.settings.config,
  backend: 'webgl',
  examplesPerSecond: 900,
  status: 'stopped',
  step: step + 5,
  curves: { metrics: [{ step, runs: {} }, { step: step + 5, runs: {} }], evals: [{ step, runs: { norm: { step, inferAccuracy: 0.9, examples: 1000 }, plain: { step, inferAccuracy: 0.8, examples: 1000 } } }] },
  accuracy: { norm: 0.9, plain: 0.8 },
  evalExamples: 1000,
  models: {},
  modelsStep: step,
});

describe('the lab state', () => {
  it('boots, loads, and starts by itself once ready when the link asked for it', () => {
    const s0 = initialState(settings({ autostart: '1' }));
    expect(s0.pendingStart).toBe(true);
    const booted = boot(s0, s0.settings);
    expect(booted).toMatchObject({ phase: 'loading', status: { kind: 'loading' }, runKey: 1, running: s0.settings });
    const s = run([{ type: 'data-progress', loaded: 5e6, total: 1e7 }], booted);
    expect(progressLine(s.progress, 100, 0)).toEqual({ label: 'MNIST download', value: 0.5, text: '5.0 of 10.0 MB' });
    const r = reduce(s, ready({ threads: 1 }));
    expect(r.starts).toBe(booted.starts + 1);
    expect(r.pendingStart).toBe(false);
    expect(r.phase).toBe('ready');
    expect(statusLine(r)).toBe('Ready on wasm (one thread).');
    // Without autostart the trainer waits for Start.
    const quiet = initialState(settings());
    expect(reduce(boot(quiet, quiet.settings), ready()).starts).toBe(quiet.starts);
  });

  it('keeps the curves, speed and progress from metrics and evaluations, and words the end', () => {
    const s0 = initialState(settings({ steps: '100', batch: '32' }));
    let s = run([ready(), { type: 'state', state: 'training' }, metrics(1), metrics(10, 20)], boot(s0, s0.settings));
    expect(s.curves.metrics.map((m) => m.step)).toEqual([1, 10]);
    expect(s.speed).toEqual({ stepsPerSecond: 20, examplesPerSecond: 20 * 32 * 2 });
    expect(s.step).toBe(10);
    expect(progressLine(s.progress, 100, 3)).toEqual({ label: 'Training', value: 0.1, text: 'step 10 of 100: 3 s, about 5 s left' });
    s = run(
      [
        { type: 'eval-progress', done: 500, total: 20000 },
        { type: 'eval', final: true, results: { norm: { step: 100, inferAccuracy: 0.95, examples: 10000, confusion: [1] }, plain: { step: 100, inferAccuracy: 0.9, examples: 10000 } } },
        { type: 'state', state: 'finished' },
      ],
      s,
    );
    expect(s.finalExamples).toBe(10000);
    expect(s.confusion).toEqual({ norm: [1] });
    expect(statusLine(s)).toBe('Finished: 100 steps. Test accuracy on all 10000 test images (inference mode): BN 95.0%, no BN 90.0%.');
    expect(s.phase).toBe('finished');
  });

  it('says a trainer that could not start could not, and one that stopped unsaved stopped', () => {
    const s0 = initialState(settings());
    const failed = reduce(boot(s0, s0.settings), { type: 'failure', failure: { cause: 'init', detail: 'no tfjs backend could start' }, fatal: true });
    expect(failed.phase).toBe('failed');
    expect(statusLine(failed)).toMatch(/^The trainer could not start/);
    expect(alertLine(failed.alert)).toBe('no tfjs backend could start');
    const midRun = run([ready(), metrics(1), { type: 'failure', failure: { cause: 'step-failed', detail: 'out of memory' }, fatal: true }], boot(s0, s0.settings));
    expect(statusLine(midRun)).toMatch(/^Training stopped before its networks were saved/);
    expect(alertLine(midRun.alert)).toBe('Training stopped: out of memory');
  });

  it('fails over to the next fastest backend measured, from the saved networks, and says so in one line', () => {
    const s0 = initialState(settings({ backend: 'auto', steps: '60' }));
    let s = run([{ type: 'probe-done', result: probe, remembered: false }, ready({ backend: 'webgl' }), metrics(20)], boot(s0, s0.settings));
    const lost = { cause: 'context-lost' } as const;
    expect(failover(s, lost, undefined)).toBeUndefined();
    const saved = savedRun(s, 20);
    const next = failover(s, lost, saved)!;
    expect(next.settings.backend).toBe('wasm');
    expect(next.formVersion).toBe(s.formVersion + 1);
    expect(next.curves.metrics.map((m) => m.step)).toEqual([20]);
    expect(next.recovering).toEqual({ failed: 'webgl', failure: lost });
    expect(alertLine(next.alert)).toBe('Training stopped: the WebGL context was lost (the GPU was reset or its memory reclaimed).');
    expect(next.phase).toBe('loading');
    const going = reduce(next, ready({ backend: 'wasm', step: 20 }));
    expect(going.starts).toBe(next.starts + 1);
    expect(going.recovering).toBeUndefined();
    expect(alertLine(going.alert)).toBe('Training on webgl stopped: the WebGL context was lost (the GPU was reset or its memory reclaimed). Going on from step 20 (its last saved networks) on wasm.');
    // Nothing measured: WASM, and after WASM itself, cpu.
    const unmeasured = { ...s, probe: undefined };
    expect(failover(unmeasured, lost, saved)!.settings.backend).toBe('wasm');
    expect(failover({ ...unmeasured, backend: { name: 'wasm' } }, lost, saved)!.settings.backend).toBe('cpu');
  });

  it('loads a saved run at its networks’ step and waits for Start', () => {
    const s0 = initialState(settings({ steps: '60' }));
    const saved = savedRun(s0, 40);
    const s = reduce(boot(s0, s0.settings, saved), ready({ step: 40 }));
    expect(s.phase).toBe('paused');
    expect(s.accuracy).toEqual({ norm: 0.9, plain: 0.8 });
    expect(statusLine(s)).toBe("Loaded the saved run at step 40 on wasm: its networks are in the digit tools below. Start goes on from step 40 (the optimizer's moments start afresh).");
    const done = reduce(boot(s0, s0.settings, { ...saved, modelsStep: 60, step: 60 }), ready({ step: 60 }));
    expect(done.phase).toBe('finished');
    expect(statusLine(done)).toMatch(/It had finished; Start trains a new run\.$/);
  });

  it('chooses the backend as set, else the one measured fastest, else asks for a measurement', () => {
    expect(chooseBackend(settings({ backend: 'cpu' }), probe)).toBe('cpu');
    expect(chooseBackend(settings({ backend: 'auto' }), probe)).toBe('webgl');
    expect(chooseBackend(settings({ backend: 'auto' }), undefined)).toBe('measure');
  });

  it('starts on in the same trainer only with the same settings and a run that can go on', () => {
    const same = (a: LabState['settings'], b: LabState['settings']) => JSON.stringify(a) === JSON.stringify(b);
    const s0 = initialState(settings());
    expect(startNeedsBoot(s0, true, same)).toBe(true);
    const paused = run([ready(), { type: 'state', state: 'paused' }], boot(s0, s0.settings));
    expect(startNeedsBoot(paused, true, same)).toBe(false);
    expect(startNeedsBoot(paused, false, same)).toBe(true);
    expect(startNeedsBoot({ ...paused, settings: settings({ lr: '0.5' }) }, true, same)).toBe(true);
    expect(startNeedsBoot(reduce(paused, { type: 'state', state: 'finished' }), true, same)).toBe(true);
  });

  it('keeps a sweep’s points and returns to where it was when it ends', () => {
    const s0 = initialState(settings());
    let s = run([ready(), { type: 'sweep-started', spec: { kind: 'lr', values: [0.1, 1], steps: 60 }, label: 'Learning-rate sweep' }], boot(s0, s0.settings));
    expect(s.phase).toBe('sweeping');
    s = reduce(s, { type: 'sweep-point', point: { value: 0.1, runs: {} }, index: 0, total: 2 });
    expect(statusLine(s)).toBe('Sweep: 1 of 2 done.');
    s = reduce(s, { type: 'sweep-done', cancelled: true });
    expect(s.sweep?.status).toBe('cancelled');
    expect(s.phase).toBe('ready');
    expect(statusLine(s)).toBe('Sweep cancelled.');
  });

  it('marks the form fields that were not applied, and clears them when the form applies', () => {
    const s0 = initialState(settings(), ['"lr" must be a number.']);
    expect(alertLine(s0.alert)).toBe('"lr" must be a number.');
    const bad = reduce(s0, { type: 'form-rejected', problems: [{ field: 'steps', message: 'Steps must be at least 1.' }] });
    expect(bad.invalidFields).toEqual(['steps']);
    expect(alertLine(bad.alert)).toBe('Not applied: Steps must be at least 1.');
    const good = reduce(bad, { type: 'form-applied', settings: settings() });
    expect(good.invalidFields).toEqual([]);
    expect(alertLine(good.alert)).toBe('');
  });
});
