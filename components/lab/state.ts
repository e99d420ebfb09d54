/**
 * The lab's state, and everything that changes it, as pure functions: `reduce` takes the worker's
 * events and the page's own actions; `boot`, `failover`, `chooseBackend` and `startNeedsBoot` are
 * the decisions mount.ts used to make inline. No DOM: panels render from this state
 * (panels/*.ts), sentences are worded from it (sentences.ts), and the unit tests drive it.
 */
import type { BackendChoice, BackendName } from '../../src/lib/train/config';
import type { EvalResult, Failure, GalleryDigits, LabEvent, PerRun, SweepPoint, SweepSpec } from '../../src/lib/train/lab/protocol';
import type { RunsListing } from '../../src/lib/runs/recorder';
import { networksStep, type History, type SavedRun } from '../../src/lib/runs/types';
import type { Phase } from './phases';
import type { ProbeOutcome, ProbeResult } from './probe';
import type { LabSettings } from './settings';

/** What the status line says (sentences.ts words it). */
export type Status =
  | { kind: 'waiting' }
  | { kind: 'loading' }
  | { kind: 'measuring' }
  | { kind: 'ready' }
  /** A saved run's networks are loaded at `step`; `done` when it had trained all its steps. */
  | { kind: 'loaded'; step: number; done: boolean }
  | { kind: 'training' }
  | { kind: 'paused' }
  | { kind: 'evaluating' }
  | { kind: 'finished' }
  | { kind: 'sweep-running'; label: string }
  | { kind: 'sweep-progress'; done: number; total: number }
  | { kind: 'sweep-done'; cancelled: boolean }
  /** A backend failed mid-run before any networks were saved. */
  | { kind: 'stopped-unsaved' }
  | { kind: 'not-started' };

/** The one-line alert (role="alert"); 'none' leaves it empty. */
export type Alert =
  | { kind: 'none' }
  | { kind: 'link-problems'; problems: string[] }
  | { kind: 'form-problems'; problems: string[] }
  | { kind: 'unavailable'; asked: BackendChoice; reason: string; using: BackendName }
  | { kind: 'diverged'; run: string; step: number; loss: number }
  | { kind: 'failure'; failure: Failure }
  /** A backend failed mid-run and the run goes on from its saved networks on another. */
  | { kind: 'failover'; failed: BackendName; failure: Failure; step: number; backend: BackendName; threads?: number }
  | { kind: 'crashed'; why: string };

/** What the progress bar shows. */
export type Progress =
  | { task: 'waiting' }
  | { task: 'download'; loaded: number; total: number }
  | { task: 'loaded'; train: number; test: number }
  | { task: 'training'; step: number; stepsPerSecond: number }
  | { task: 'final-evaluation'; done: number; total: number };

export interface Sweep {
  spec: SweepSpec;
  points: SweepPoint[];
  status: 'running' | 'done' | 'cancelled';
}

export interface LabState {
  /** The settings as applied from the link and the form. */
  settings: LabSettings;
  /** The settings the trainer was last initialised with. */
  running?: LabSettings;
  /** The live run's identity: a new one at every boot. */
  runKey: number;
  phase: Phase;
  status: Status;
  alert: Alert;
  progress: Progress;
  curves: History;
  /** Start as soon as the trainer is ready. */
  pendingStart: boolean;
  /** How many times the state has asked for a `start` command; the page sends one each time it grows. */
  starts: number;
  /** The saved run the trainer was last initialised from, if any. */
  resumed?: SavedRun;
  /** Why the run is being continued on another backend, while it is. */
  recovering?: { failed: BackendName; failure: Failure };
  /** `workers`: 2 when each twin trains in a worker of its own. */
  backend?: { name: BackendName; threads?: number; workers?: 2 };
  step: number;
  speed?: { stepsPerSecond: number; examplesPerSecond: number };
  tensors?: number;
  accuracy: { norm?: number; plain?: number; normTrainMode?: number };
  /** How many test images the final evaluation used. */
  finalExamples?: number;
  /** The backend race: in progress (no `chosen`) or done. */
  probe?: { outcomes: ProbeOutcome[]; result?: ProbeResult; remembered?: boolean };
  sweep?: Sweep;
  /** The digit tools: the gallery's digits, each twin's predictions, the final confusion matrices. */
  digits?: GalleryDigits;
  gallery: PerRun<number[]>;
  confusion?: PerRun<number[]>;
  saved: RunsListing;
  /** The saved run drawn under the live curves. */
  overlay?: string;
  /** The hidden layer the percentile and running-average charts show. */
  layer: number;
  /** Form fields whose values were not applied. */
  invalidFields: string[];
  /** Grows whenever the page sets the settings itself (not from the form): the form then shows them. */
  formVersion: number;
}

/** The page's own actions (the worker's events are the rest). */
export type PageAction =
  | { type: 'form-applied'; settings: LabSettings }
  | { type: 'form-rejected'; problems: Array<{ field: string; message: string }> }
  /** The page sets the settings itself: a loaded run's network, an experiment's variant. */
  | { type: 'settings-set'; settings: LabSettings }
  /** Start once the trainer is ready (or not: a loaded run waits for the reader). */
  | { type: 'start-when-ready'; on: boolean }
  | { type: 'probe-progress'; outcomes: ProbeOutcome[] }
  | { type: 'probe-done'; result: ProbeResult; remembered: boolean }
  | { type: 'sweep-started'; spec: SweepSpec; label: string }
  | { type: 'crashed'; why: string }
  | { type: 'request-failed'; failure: Failure }
  | { type: 'runs'; listing: RunsListing }
  | { type: 'overlay'; id: string | undefined }
  | { type: 'layer'; layer: number };

export type LabAction = LabEvent | PageAction;

const EMPTY: History = { metrics: [], evals: [] };

export function initialState(settings: LabSettings, linkProblems: string[] = []): LabState {
  return {
    settings,
    runKey: 0,
    phase: 'loading',
    status: { kind: 'waiting' },
    alert: linkProblems.length ? { kind: 'link-problems', problems: linkProblems } : { kind: 'none' },
    progress: { task: 'waiting' },
    curves: EMPTY,
    pendingStart: settings.autostart,
    starts: 0,
    step: 0,
    accuracy: {},
    gallery: {},
    saved: { storage: 'loading', runs: [] },
    layer: 2,
    invalidFields: [],
    formVersion: 0,
  };
}

/** The settings of the run on screen: the trainer's, or the form's before the first init. */
export const liveSettings = (s: LabState): LabSettings => s.running ?? s.settings;

/** Asks for one `start` command (the page sends it when `starts` grows). */
const start = (s: LabState): LabState => ({ ...s, pendingStart: false, starts: s.starts + 1 });

/** Applies a worker event or a page action. */
export function reduce(s: LabState, a: LabAction): LabState {
  switch (a.type) {
    case 'data-progress':
      return { ...s, progress: { task: 'download', loaded: a.loaded, total: a.total } };
    case 'ready': {
      let next: LabState = { ...s, progress: { task: 'loaded', train: a.trainCount, test: a.testCount }, backend: { name: a.backend, ...(a.threads ? { threads: a.threads } : {}), ...(a.workers ? { workers: a.workers } : {}) }, digits: a.digits, gallery: a.gallery };
      if (a.unavailable) next.alert = { kind: 'unavailable', asked: liveSettings(s).backend, reason: a.unavailable, using: a.backend };
      if (s.resumed && s.recovering) {
        // The alert keeps the one line about the failure and what was done; the status moves on to "Training…".
        next.alert = { kind: 'failover', failed: s.recovering.failed, failure: s.recovering.failure, step: a.step, backend: a.backend, ...(a.threads ? { threads: a.threads } : {}) };
        return start({ ...next, recovering: undefined });
      }
      if (s.resumed) {
        const done = a.step >= s.resumed.config.steps;
        const last = s.resumed.curves.evals.at(-1)?.runs;
        next = { ...next, status: { kind: 'loaded', step: a.step, done }, step: a.step, phase: done ? 'finished' : 'paused', accuracy: { ...next.accuracy, ...(last?.norm ? { norm: last.norm.inferAccuracy } : {}), ...(last?.plain ? { plain: last.plain.inferAccuracy } : {}) } };
      } else next = { ...next, status: { kind: 'ready' }, phase: 'ready' };
      return next.pendingStart ? start(next) : next;
    }
    case 'metrics': {
      const step = a.metrics.norm?.step ?? 0;
      const examplesPerSecond = a.stepsPerSecond * liveSettings(s).config.batchSize * Object.keys(a.metrics).length;
      return {
        ...s,
        curves: { ...s.curves, metrics: [...s.curves.metrics, { step, runs: a.metrics }] },
        step,
        speed: { stepsPerSecond: a.stepsPerSecond, examplesPerSecond },
        tensors: a.tensors,
        progress: { task: 'training', step, stepsPerSecond: a.stepsPerSecond },
      };
    }
    case 'diverged':
      return { ...s, alert: { kind: 'diverged', run: a.run, step: a.step, loss: a.loss } };
    case 'eval-progress':
      return { ...s, progress: { task: 'final-evaluation', done: a.done, total: a.total }, status: { kind: 'evaluating' } };
    case 'eval': {
      const { norm, plain } = a.results;
      const gallery = galleryOf(a.results);
      return {
        ...s,
        curves: { ...s.curves, evals: [...s.curves.evals, { step: norm?.step ?? 0, runs: a.results }] },
        accuracy: { ...s.accuracy, ...(norm ? { norm: norm.inferAccuracy } : {}), ...(plain ? { plain: plain.inferAccuracy } : {}), ...(norm?.trainModeAccuracy !== undefined ? { normTrainMode: norm.trainModeAccuracy } : {}) },
        ...(a.final ? { finalExamples: norm?.examples ?? 0, confusion: matricesOf(a.results) } : {}),
        ...(Object.keys(gallery).length ? { gallery } : {}),
      };
    }
    case 'state':
      return { ...s, phase: a.state, status: { kind: a.state }, pendingStart: false };
    case 'sweep-point':
      if (!s.sweep) return s;
      return { ...s, sweep: { ...s.sweep, points: [...s.sweep.points, a.point] }, status: { kind: 'sweep-progress', done: a.index + 1, total: a.total } };
    case 'sweep-done':
      return { ...s, ...(s.sweep ? { sweep: { ...s.sweep, status: a.cancelled ? 'cancelled' : 'done' } } : {}), status: { kind: 'sweep-done', cancelled: a.cancelled }, phase: s.curves.metrics.length ? 'paused' : 'ready' };
    case 'failure':
      if (!a.fatal) return { ...s, alert: { kind: 'failure', failure: a.failure } };
      // Mid-run, the page goes on elsewhere when it can (`failover`); this is where it cannot.
      return { ...s, alert: { kind: 'failure', failure: a.failure }, phase: 'failed', status: { kind: s.curves.metrics.length ? 'stopped-unsaved' : 'not-started' } };
    case 'form-applied':
      return { ...s, settings: a.settings, alert: { kind: 'none' }, invalidFields: [] };
    case 'settings-set':
      return { ...s, settings: a.settings, formVersion: s.formVersion + 1 };
    case 'form-rejected':
      return { ...s, alert: { kind: 'form-problems', problems: a.problems.map((p) => p.message) }, invalidFields: a.problems.map((p) => p.field) };
    case 'start-when-ready':
      return { ...s, pendingStart: a.on };
    case 'probe-progress':
      return { ...s, probe: { outcomes: a.outcomes }, status: { kind: 'measuring' } };
    case 'probe-done':
      return { ...s, probe: { outcomes: a.result.outcomes, result: a.result, remembered: a.remembered }, ...(a.remembered ? {} : { status: { kind: 'loading' } }) };
    case 'sweep-started':
      return { ...s, sweep: { spec: a.spec, points: [], status: 'running' }, phase: 'sweeping', status: { kind: 'sweep-running', label: a.label } };
    case 'crashed':
      return { ...s, alert: { kind: 'crashed', why: a.why }, phase: 'failed' };
    case 'request-failed':
      return { ...s, alert: { kind: 'failure', failure: a.failure } };
    case 'runs':
      return { ...s, saved: a.listing, ...(s.overlay && !a.listing.runs.some((r) => r.id === s.overlay) ? { overlay: undefined } : {}) };
    case 'overlay':
      return { ...s, overlay: a.id };
    case 'layer':
      return { ...s, layer: a.layer };
  }
}

const galleryOf = (results: PerRun<EvalResult>): PerRun<number[]> => Object.fromEntries(Object.entries(results).flatMap(([name, r]) => (r?.gallery ? [[name, r.gallery]] : [])));
const matricesOf = (results: PerRun<EvalResult>): PerRun<number[]> => Object.fromEntries(Object.entries(results).flatMap(([name, r]) => (r?.confusion ? [[name, r.confusion]] : [])));

/**
 * (Re)initialises the run with `settings`; with a saved run, its curves up to its networks' step
 * come back (the curves after it are dropped: they will be retrained).
 */
export function boot(s: LabState, settings: LabSettings, saved?: SavedRun): LabState {
  const from = saved ? networksStep(saved) : 0;
  const curves = saved ? { metrics: saved.curves.metrics.filter((m) => m.step <= from), evals: saved.curves.evals.filter((e) => e.step <= from) } : EMPTY;
  return {
    ...s,
    settings,
    running: settings,
    runKey: s.runKey + 1,
    curves,
    resumed: saved,
    accuracy: {},
    finalExamples: undefined,
    gallery: {},
    confusion: undefined,
    phase: 'loading',
    status: { kind: 'loading' },
    progress: { task: 'download', loaded: 0, total: 0 },
  };
}

/** The `resume` part of the trainer's init for a saved run: its networks and their step. */
export const resumeOf = (saved: SavedRun | undefined) => (saved ? { models: saved.models, step: networksStep(saved) } : undefined);

/**
 * After a backend failed mid-run (a lost WebGL context, say): the same run, from its last saved
 * networks, on the next fastest backend the race measured (else WASM, or cpu after WASM). Undefined
 * when nothing can be continued (no networks saved yet, or no backend reported).
 */
export function failover(s: LabState, failure: Failure, saved: SavedRun | undefined): LabState | undefined {
  const failed = s.backend?.name;
  if (!saved || !failed) return undefined;
  const measured = s.probe?.result?.outcomes ?? [];
  const faster = measured.filter((o) => o.backend !== failed && o.examplesPerSecond !== null).sort((a, b) => b.examplesPerSecond! - a.examplesPerSecond!);
  const next: BackendName = faster[0]?.backend ?? (failed === 'wasm' ? 'cpu' : 'wasm');
  const settings: LabSettings = { ...s.settings, backend: next, config: saved.config };
  // The alert says what stopped the run until the new trainer is ready (then it says what was done).
  return { ...boot(s, settings, saved), recovering: { failed, failure }, alert: { kind: 'failure', failure }, formVersion: s.formVersion + 1 };
}

/** The backend to train on: as chosen; for "best available", the one measured fastest, or 'measure' when none is known. */
export function chooseBackend(settings: LabSettings, remembered: ProbeResult | undefined): BackendChoice | 'measure' {
  if (settings.backend !== 'auto') return settings.backend;
  return remembered ? remembered.chosen : 'measure';
}

/** Start trains on in the same trainer only for the same settings and a run that can go on. */
export function startNeedsBoot(s: LabState, trainerAlive: boolean, same: (a: LabSettings, b: LabSettings) => boolean): boolean {
  return !s.running || !trainerAlive || s.phase === 'finished' || s.phase === 'failed' || !same(s.settings, s.running);
}

/** The live run as the recorder needs it. */
export const liveRun = (s: LabState) => ({ key: s.runKey, curves: s.curves, config: liveSettings(s).config, ...(s.backend ? { backend: s.backend.name } : {}), examplesPerSecond: s.speed?.examplesPerSecond ?? null });
