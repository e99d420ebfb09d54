/**
 * What is saved when: the live run is written to the store at every evaluation, on pause and at
 * the end; a paused or finished run then asks the trainer for both networks and stores them too.
 * Writes go one after another through a queue. No DOM: the list's view renders `RunsListing`.
 */
import type { ModelArtifactsJson } from '../train/core/weights';
import type { RunConfig } from '../train/config';
import type { LabEvent, RunName } from '../train/lab/protocol';
import { newRunId, type RunStore } from './store';
import type { History, SavedRun, StoreProblem, Stored } from './types';

/** The live run as the lab holds it; `key` changes whenever a new run (or a loaded one) starts. */
export interface LiveRun {
  key: number;
  curves: History;
  config: RunConfig;
  /** The backend in use, once the trainer reported it. */
  backend?: string;
  /** Examples per second over both twins, the last reading. */
  examplesPerSecond: number | null;
}

/** What was being saved when storage failed (the view words it). */
export type Saving = { kind: 'step'; step: number } | { kind: 'finished' } | { kind: 'networks' } | { kind: 'deletion' } | { kind: 'run' };

export type RunsNote =
  | { kind: 'problem'; problem: StoreProblem; saving: Saving }
  /** The trainer died: what of the live run is saved (its entry, if any). */
  | { kind: 'crashed'; saved?: SavedRun };

/** The saved runs as the view shows them. */
export interface RunsListing {
  storage: 'loading' | 'ok' | 'problem';
  /** Newest first, as in the store. */
  runs: SavedRun[];
  note?: RunsNote;
}

export interface RecorderDeps {
  open(): Promise<Stored<RunStore>>;
  /** Asks the trainer for one twin's network (rejects when it cannot answer). */
  askNetwork(run: RunName): Promise<ModelArtifactsJson>;
  /** The listing changed. */
  onChange(listing: RunsListing): void;
}

export interface Recorder {
  /** Every event from the worker, with the live run as it is after the lab has taken the event in. */
  hear(m: LabEvent, live: LiveRun): void;
  /** The worker died: keep what was saved and say so. */
  crashed(): void;
  /** The live run as saved so far, if its networks can be loaded (to go on from there). */
  resumable(live: LiveRun): SavedRun | undefined;
  /** The live run (`key`) is this saved run, continued: later saves update its entry. */
  continueRun(run: SavedRun, key: number): void;
  /** Deletes a saved run; false when the store refused. */
  delete(id: string): Promise<boolean>;
  dispose(): void;
}

const lastStep = (h: History): number => h.metrics.at(-1)?.step ?? h.evals.at(-1)?.step ?? 0;

/** Both twins' networks were stored, with the stable names and running averages weights.ts writes. */
export function canLoad(r: SavedRun): boolean {
  const names = Object.values(r.models).map((m) => m?.weightSpecs.map((s) => s.name) ?? []);
  return names.length === 2 && names.every((n) => n.includes('head/weight'));
}

/** A detached copy, so later steps of the live run do not change a saved entry. */
const snapshotOf = (r: SavedRun): SavedRun => ({ ...r, curves: { metrics: r.curves.metrics.slice(), evals: r.curves.evals.slice() }, accuracy: { ...r.accuracy }, models: { ...r.models } });

export function createRecorder(deps: RecorderDeps): Recorder {
  let store: RunStore | undefined;
  let disposed = false;
  let listing: RunsListing = { storage: 'loading', runs: [] };
  /** The record of the live run, and the live run it belongs to. */
  let record: SavedRun | undefined;
  let recordKey: number | undefined;
  const deleted = new Set<string>();
  /** Writes go one after another, so a later state never lands before an earlier one. */
  let queue: Promise<void> = Promise.resolve();

  const publish = (next: Partial<RunsListing>): void => {
    listing = { ...listing, ...next };
    deps.onChange(listing);
  };
  const fail = (problem: StoreProblem, saving: Saving): void => publish({ storage: 'problem', note: { kind: 'problem', problem, saving } });

  const save = (r: SavedRun, saving: Saving): void => {
    if (deleted.has(r.id)) return;
    r.updated = new Date().toISOString();
    // What the run is now: later steps of the live run must not slip into this write.
    const snapshot = snapshotOf(r);
    queue = queue.then(async () => {
      if (!store || disposed || deleted.has(r.id)) return;
      const result = await store.save(snapshot);
      if (disposed) return;
      if (!result.ok) return fail(result.problem, saving);
      const runs = listing.runs.some((x) => x.id === r.id) ? listing.runs.map((x) => (x.id === r.id ? snapshot : x)) : [snapshot, ...listing.runs].sort((a, b) => b.date.localeCompare(a.date));
      publish({ storage: 'ok', runs, note: undefined });
    });
  };

  /** The record of the live run, started when its first evaluation arrives. */
  const current = (live: LiveRun): SavedRun => {
    if (!record || recordKey !== live.key) {
      const now = new Date();
      record = { id: newRunId(now), date: now.toISOString(), updated: now.toISOString(), config: live.config, backend: live.backend ?? 'unknown', examplesPerSecond: null, status: 'stopped', step: 0, curves: live.curves, accuracy: {}, evalExamples: null, models: {} };
      recordKey = live.key;
    }
    record.curves = live.curves;
    record.step = lastStep(live.curves);
    record.examplesPerSecond = live.examplesPerSecond;
    if (live.backend) record.backend = live.backend;
    return record;
  };

  const askForNetworks = (r: SavedRun): void => {
    for (const run of Object.keys(r.curves.metrics.at(-1)?.runs ?? {}) as RunName[]) {
      deps.askNetwork(run).then(
        (artifacts) => {
          r.models = { ...r.models, [run]: artifacts };
          r.modelsStep = r.step;
          save(r, { kind: 'networks' });
        },
        // The trainer went away (or had nothing to give): the run stays saved without this network.
        () => undefined,
      );
    }
  };

  // Saves wait in the queue until the store is open and listed.
  queue = deps.open().then(async (opened) => {
    if (disposed) {
      if (opened.ok) opened.value.close();
      return;
    }
    if (!opened.ok) return fail(opened.problem, { kind: 'run' });
    store = opened.value;
    const listed = await store.list();
    if (disposed) return;
    if (!listed.ok) return fail(listed.problem, { kind: 'run' });
    publish({ storage: 'ok', runs: [...listed.value, ...listing.runs.filter((r) => !listed.value.some((l) => l.id === r.id))] });
  });

  return {
    hear(m, live) {
      if (disposed) return;
      if (m.type === 'eval') {
        const r = current(live);
        const { norm, plain } = m.results;
        r.accuracy = { norm: norm?.inferAccuracy, plain: plain?.inferAccuracy, normTrainMode: norm?.trainModeAccuracy };
        r.evalExamples = norm?.examples ?? plain?.examples ?? null;
        if (m.final) r.status = 'finished';
        if (m.networks) {
          r.models = m.networks.models;
          r.modelsStep = m.networks.step;
        }
        save(r, m.final ? { kind: 'finished' } : { kind: 'step', step: r.step });
      } else if (m.type === 'state') {
        // Training again: the stored networks stay (with their step) until newer ones arrive.
        // A finished or paused run: store its networks too (the trainer is idle, its weights still).
        if ((m.state === 'finished' && record && recordKey === live.key) || (m.state === 'paused' && live.curves.metrics.length)) {
          const r = current(live);
          if (m.state === 'paused') save(r, { kind: 'step', step: r.step });
          askForNetworks(r);
        }
      }
    },
    crashed() {
      if (!record) return;
      const id = record.id;
      // After the writes still queued: one landing later would clear the note (seen on a busy machine).
      queue = queue.then(() => {
        if (!disposed) publish({ storage: 'problem', note: { kind: 'crashed', saved: listing.runs.find((r) => r.id === id) } });
      });
    },
    resumable: (live) => (record && recordKey === live.key && canLoad(record) ? snapshotOf(record) : undefined),
    continueRun(run, key) {
      record = { ...run, models: { ...run.models } };
      recordKey = key;
    },
    async delete(id) {
      if (!store) return false;
      deleted.add(id);
      const result = await store.delete(id);
      if (disposed) return false;
      if (!result.ok) {
        deleted.delete(id);
        fail(result.problem, { kind: 'deletion' });
        return false;
      }
      publish({ runs: listing.runs.filter((r) => r.id !== id) });
      return true;
    },
    dispose() {
      disposed = true;
      store?.close();
    },
  };
}
