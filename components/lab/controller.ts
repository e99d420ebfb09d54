/**
 * The lab's effects around its pure state: it holds the state, the trainer (a worker) and the
 * recorder of saved runs, hands every change to the panels, and turns the reader's actions and
 * the worker's events into actions, boots and commands. The decisions themselves are state.ts's.
 */
import { openRunStore } from '../../src/lib/runs/store';
import { createRecorder } from '../../src/lib/runs/recorder';
import type { SavedRun } from '../../src/lib/runs/types';
import type { Params } from '../../src/lib/state/url';
import type { Failure, LabEvent, LabReplies, RunName } from '../../src/lib/train/lab/protocol';
import { RequestFailed } from '../../src/lib/train/core/channel';
import { historyCsv } from './charts';
import { startTrainer, type TrainerClient } from './client';
import { EXPERIMENTS } from './experiments';
import { download, downloadModel } from './export';
import { forgetProbes, measureBackends, rememberedProbe } from './probe';
import { readSettingsForm, settingsToParams, type LabSettings } from './settings';
import { boot, chooseBackend, failover, liveRun, reduce, resumeOf, startNeedsBoot, type LabAction, type LabState } from './state';

const sameSettings = (a: LabSettings, b: LabSettings): boolean => JSON.stringify(settingsToParams(a)) === JSON.stringify(settingsToParams(b));
const failureOf = (err: unknown): Failure => (err instanceof RequestFailed ? (err.failure as Failure) : { cause: 'failed', detail: String(err) });

export interface Lab {
  dispatch(a: LabAction): void;
  /** Applies the form and starts (or goes on); false when the form has a bad value. */
  start(): boolean;
  command(type: 'step' | 'pause' | 'cancel-sweep'): void;
  /** Applies the form and restarts the trainer with it; `measure` forgets the backend race first. */
  reset(options?: { measure?: boolean }): void;
  /** Runs a registry experiment; false when it did not start (unknown, or the form has a bad value). */
  experiment(id: string): boolean;
  load(run: SavedRun): void;
  deleteRun(run: SavedRun): Promise<boolean>;
  exportCurves(format: 'csv' | 'json'): void;
  exportModel(run: RunName): void;
  inspect(pixels: Float32Array, layer: number): Promise<LabReplies['inspect']>;
  /** Starts the trainer with the settings in the state (from the link). */
  boot(): Promise<void>;
  dispose(): void;
}

/** `workers`: how many workers train the twins (client.ts's twinWorkers). */
export function createLab(initial: LabState, render: (s: LabState, prev?: LabState) => void, formValues: () => Params, workers: 1 | 2 = 1): Lab {
  let state = initial;
  let trainer: TrainerClient | undefined;
  const commit = (next: LabState): void => {
    const prev = state;
    state = next;
    render(state, prev);
    if (state.starts > prev.starts) trainer?.send({ type: 'start' });
  };
  const dispatch = (a: LabAction): void => commit(reduce(state, a));
  const recorder = createRecorder({
    open: openRunStore,
    askNetwork: (run) => (trainer ? trainer.request({ type: 'export-model', run }).then((r) => r.artifacts) : Promise.reject(new Error('no trainer'))),
    onChange: (listing) => dispatch({ type: 'runs', listing }),
  });

  const stopTrainer = (): void => {
    trainer?.terminate();
    trainer = undefined;
  };
  const onEvent = (m: LabEvent): void => {
    if (m.type === 'failure' && m.fatal && state.curves.metrics.length) {
      // Mid-run, this worker's backend is broken: go on from the saved networks on the next fastest backend.
      stopTrainer();
      const next = failover(state, m.failure, recorder.resumable(liveRun(state)));
      if (next) return void bootWith(next);
      recorder.crashed();
    }
    dispatch(m);
    recorder.hear(m, liveRun(state));
  };
  const onCrash = (why: string): void => {
    stopTrainer();
    dispatch({ type: 'crashed', why });
    recorder.crashed();
  };

  /** The backend to train on: as chosen, or for "best available" the fastest one measured here. */
  const pickBackend = async (settings: LabSettings) => {
    const remembered = settings.backend === 'auto' ? rememberedProbe(settings.config) : undefined;
    const choice = chooseBackend(settings, remembered);
    if (remembered) dispatch({ type: 'probe-done', result: remembered, remembered: true });
    if (choice !== 'measure') return choice;
    dispatch({ type: 'probe-progress', outcomes: [] });
    const result = await measureBackends(settings.config, (outcomes) => dispatch({ type: 'probe-progress', outcomes }));
    dispatch({ type: 'probe-done', result, remembered: false });
    return result.chosen;
  };

  /** Shows the booted state, then (re)initialises the trainer; a live worker keeps its decoded MNIST. */
  const bootWith = async (booted: LabState): Promise<void> => {
    commit(booted);
    if (booted.resumed) recorder.continueRun(booted.resumed, booted.runKey);
    trainer ??= await startTrainer(onEvent, onCrash, workers);
    const settings = booted.running!;
    const backend = await pickBackend(settings);
    const resume = resumeOf(booted.resumed);
    trainer.send({ type: 'init', config: settings.config, backend, baseUrl: location.href, ...(resume ? { resume } : {}) });
  };

  /** Applies the form; on a bad value keeps the current settings and marks the fields that are wrong. */
  const applyForm = (): boolean => {
    const read = readSettingsForm(formValues());
    if ('problems' in read) {
      dispatch({ type: 'form-rejected', problems: read.problems });
      return false;
    }
    dispatch({ type: 'form-applied', settings: read.settings });
    return true;
  };

  return {
    dispatch,
    start() {
      if (!applyForm()) return false;
      // Start applies the form: new settings (the backend included) or a finished run start afresh.
      if (!trainer || startNeedsBoot(state, true, sameSettings)) {
        dispatch({ type: 'start-when-ready', on: true });
        void bootWith(boot(state, state.settings));
      } else trainer.send({ type: 'start' });
      return true;
    },
    command: (type) => trainer?.send({ type }),
    reset({ measure = false } = {}) {
      if (measure) forgetProbes();
      if (applyForm()) void bootWith(boot(state, state.settings));
    },
    experiment(id) {
      const experiment = EXPERIMENTS.find((e) => e.id === id);
      if (!experiment || !applyForm()) return false;
      const plan = experiment.plan(state.settings.config);
      if (plan.kind === 'twin') {
        dispatch({ type: 'settings-set', settings: { ...state.settings, config: plan.config } });
        dispatch({ type: 'start-when-ready', on: true });
        void bootWith(boot(state, state.settings));
        return true;
      }
      if (!trainer) return false;
      dispatch({ type: 'sweep-started', spec: plan.spec, label: experiment.label });
      trainer.send({ type: 'sweep', sweep: plan.spec, config: plan.config });
      return true;
    },
    load(run) {
      // The form's backend (and the rest) as the reader set it; the network and its run from the save.
      if (!applyForm()) return;
      dispatch({ type: 'settings-set', settings: { ...state.settings, config: run.config } });
      dispatch({ type: 'start-when-ready', on: false });
      void bootWith(boot(state, state.settings, run));
    },
    deleteRun: (run) => recorder.delete(run.id),
    exportCurves(format) {
      if (format === 'csv') download(historyCsv(state.curves), 'bn-live-curves.csv', 'text/csv');
      else download(JSON.stringify({ config: state.running?.config, ...state.curves }, null, 2), 'bn-live-curves.json', 'application/json');
    },
    exportModel(run) {
      trainer?.request({ type: 'export-model', run }).then(
        (r) => downloadModel(r.artifacts, `bn-live-${run}`),
        (err: unknown) => dispatch({ type: 'request-failed', failure: failureOf(err) }),
      );
    },
    inspect: (pixels, layer) => (trainer ? trainer.request({ type: 'inspect', pixels, layer }) : Promise.reject(new Error('no trainer'))),
    boot: () => bootWith(boot(state, state.settings)),
    dispose() {
      stopTrainer();
      recorder.dispose();
    },
  };
}
