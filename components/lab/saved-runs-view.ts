/**
 * The "Saved runs" region: records the current run into the browser's store as the worker
 * reports it (at each evaluation, on pause and at the end, then both trained networks), lists
 * the saved runs, and lets the reader overlay one on the live charts, export it or delete it.
 * Storage that is unavailable or full is reported in one line; the lab goes on without it.
 */
import { TWIN_NORM_SHORT } from '../../src/lib/train/config';
import type { FromWorker, RunName, ToWorker } from '../../src/lib/train/protocol';
import { formatPercent, need } from '../../src/lib/widget/dom';
import type { History, Overlay } from './charts';
import { download } from './export';
import { newRunId, openRunStore, savedRunJson, type RunStore, type SavedRun, type StoreProblem } from './saved-runs';
import type { LabSettings } from './settings';

export interface SavedRunsHost {
  /** The region's element (markup in Lab.astro). */
  region: HTMLElement;
  /** The live run: its curves object (replaced when a new run starts), settings and backend in use. */
  current(): { curves: History; settings: LabSettings; backend: string | undefined };
  /** Asks the trainer for a network (answered by a `model` message). */
  send(msg: ToWorker): void;
  /** The overlay changed: redraw the loss and accuracy charts. */
  redraw(): void;
  /** Loads a saved run's networks and curves into the lab (to inspect them, or train on). */
  load(run: SavedRun): void;
}

export interface SavedRunsController {
  /** Every message from the worker, after the page has handled it. */
  hear(m: FromWorker): void;
  /** The worker died: keep what was saved and say so. */
  crashed(): void;
  /** The saved run drawn under the live curves, if any. */
  overlay(): Overlay | undefined;
  /** The live run as saved so far, if its networks are among what was saved (to go on from there). */
  resumable(): SavedRun | undefined;
  /** The live run is now this saved run, continued: later saves update its entry. */
  continueRun(run: SavedRun, curves: History): void;
  dispose(): void;
}

const pct = (v: number | undefined): string => (v === undefined ? '—' : formatPercent(v));
const when = (iso: string, style: 'medium' | 'short' = 'medium'): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: style === 'medium' ? 'medium' : undefined, timeStyle: style });
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
/** How a run is named in buttons and the overlay legend: its date, network and normalization. */
const runName = (r: SavedRun): string => `run of ${when(r.date)} (${r.config.preset.toUpperCase()}, ${TWIN_NORM_SHORT[r.config.norm]})`;
const lastStep = (h: History): number => h.metrics.at(-1)?.step ?? h.evals.at(-1)?.step ?? 0;

const problemLine = (p: StoreProblem, doing: string): string =>
  p.kind === 'unavailable'
    ? `Saved runs are off: this browser's storage is unavailable (${p.message}); the lab works without it.`
    : p.kind === 'full'
      ? `Storage is full: ${doing} was not saved. Delete saved runs to make room; the lab goes on.`
      : `Could not use the browser's storage (${p.message}): ${doing} was not saved; the lab goes on.`;

export function mountSavedRuns(host: SavedRunsHost): SavedRunsController {
  const note = need<HTMLElement>(host.region, '[data-saved-note]');
  const list = need<HTMLElement>(host.region, '[data-saved-list]');
  const heading = need<HTMLElement>(host.region, 'h2, h3');
  let store: RunStore | undefined;
  let problem: string | undefined;
  let disposed = false;
  /** Saved runs, newest first, as in the store. */
  let runs: SavedRun[] = [];
  /** The record of the live run, and the curves object it belongs to. */
  let record: SavedRun | undefined;
  let recordFor: History | undefined;
  let examplesPerSecond: number | null = null;
  /** Networks asked for, and the record each belongs to. */
  const wanted = new Map<RunName, SavedRun>();
  const deleted = new Set<string>();
  let overlaid: { id: string; overlay: Overlay } | undefined;
  /** Writes go one after another, so a later state never lands before an earlier one. */
  let queue: Promise<void> = Promise.resolve();

  const showNote = (): void => {
    note.textContent = problem ?? (store ? (runs.length ? `${plural(runs.length, 'run')} saved in this browser.` : 'No saved runs yet: a run is saved here as it trains.') : 'Reading saved runs…');
    host.region.dataset.storage = problem ? 'problem' : store ? 'ok' : 'loading';
  };

  const render = (): void => {
    // Keep keyboard focus on the same button across a re-render.
    const active = document.activeElement as HTMLElement | null;
    const focus = active && list.contains(active) ? { id: active.closest<HTMLElement>('li')?.dataset.runId, action: active.dataset.saved } : undefined;
    list.replaceChildren(
      ...runs.map((r) => {
        const li = document.createElement('li');
        li.dataset.runId = r.id;
        li.dataset.status = r.status;
        const name = runName(r);
        const norm = TWIN_NORM_SHORT[r.config.norm];
        const title = document.createElement('p');
        title.className = 'saved-run-title';
        const state = r.status === 'finished' ? `finished, ${plural(r.step, 'step')}` : `stopped at step ${r.step} of ${r.config.steps}`;
        title.append(Object.assign(document.createElement('strong'), { textContent: when(r.date) }), ` · ${r.config.preset.toUpperCase()} · ${norm} · ${state}`);
        const facts = document.createElement('p');
        facts.className = 'saved-run-facts';
        const on = r.evalExamples ? ` on ${r.evalExamples.toLocaleString('en-US')} test images` : '';
        const speed = r.examplesPerSecond ? ` · ${Math.round(r.examplesPerSecond).toLocaleString('en-US')} examples/s` : '';
        const nets = !Object.keys(r.models).length ? ' · networks not stored' : r.modelsStep !== undefined && r.modelsStep < r.step ? ` · networks from step ${r.modelsStep}` : '';
        facts.textContent = `${norm} test accuracy ${pct(r.accuracy.norm)} (no BN ${pct(r.accuracy.plain)})${on} · ${r.backend}${speed}${nets}`;
        const buttons = document.createElement('div');
        buttons.className = 'controls buttons';
        const button = (action: string, text: string, label: string): HTMLButtonElement => {
          const b = Object.assign(document.createElement('button'), { type: 'button', className: 'secondary', textContent: text });
          b.dataset.saved = action;
          b.setAttribute('aria-label', `${text} ${label}`);
          return b;
        };
        const overlay = button('overlay', 'Overlay', `${name} on the loss and accuracy charts`);
        overlay.setAttribute('aria-pressed', String(overlaid?.id === r.id));
        buttons.append(overlay, button('export', 'Export', `${name} as JSON`), button('delete', 'Delete', name));
        // Networks saved with their running averages (this version on) can be loaded back.
        if (canLoad(r)) buttons.prepend(button('load', 'Load', `${name}'s networks into the lab`));
        li.append(title, facts, buttons);
        return li;
      }),
    );
    if (focus?.id) list.querySelector<HTMLElement>(`li[data-run-id="${CSS.escape(focus.id)}"] [data-saved="${focus.action}"]`)?.focus();
    showNote();
  };

  const save = (r: SavedRun, doing: string): void => {
    if (deleted.has(r.id)) return;
    r.updated = new Date().toISOString();
    // What the run is now: later steps of the live run must not slip into this write.
    const snapshot = structuredCloneRun(r);
    queue = queue.then(async () => {
      if (!store || disposed || deleted.has(r.id)) return;
      const result = await store.save(snapshot);
      if (disposed) return;
      if (!result.ok) {
        problem = problemLine(result.problem, doing);
        showNote();
        return;
      }
      problem = undefined;
      const at = runs.findIndex((x) => x.id === r.id);
      if (at >= 0) runs[at] = snapshot;
      else runs = [snapshot, ...runs].sort((a, b) => b.date.localeCompare(a.date));
      render();
    });
  };

  /** The record of the live run, started when its first evaluation arrives. */
  const current = (): SavedRun => {
    const { curves, settings, backend } = host.current();
    if (!record || recordFor !== curves) {
      const now = new Date();
      record = {
        id: newRunId(now),
        date: now.toISOString(),
        updated: now.toISOString(),
        config: settings.config,
        backendChoice: settings.backend,
        backend: backend ?? settings.backend,
        examplesPerSecond: null,
        status: 'stopped',
        step: 0,
        curves,
        accuracy: {},
        evalExamples: null,
        models: {},
      };
      recordFor = curves;
    }
    record.curves = curves;
    record.step = lastStep(curves);
    record.examplesPerSecond = examplesPerSecond;
    if (backend) record.backend = backend;
    return record;
  };

  const askForNetworks = (r: SavedRun): void => {
    for (const run of Object.keys(r.curves.metrics.at(-1)?.runs ?? {}) as RunName[]) {
      wanted.set(run, r);
      host.send({ type: 'export-model', run });
    }
  };

  const hear = (m: FromWorker): void => {
    if (disposed) return;
    switch (m.type) {
      case 'metrics': {
        const { settings } = host.current();
        examplesPerSecond = m.stepsPerSecond * settings.config.batchSize * Object.keys(m.metrics).length;
        break;
      }
      case 'eval': {
        const r = current();
        const { norm, plain } = m.results;
        r.accuracy = { norm: norm?.inferAccuracy, plain: plain?.inferAccuracy, normTrainMode: norm?.trainModeAccuracy };
        r.evalExamples = norm?.examples ?? plain?.examples ?? null;
        if (m.final) r.status = 'finished';
        if (m.networks) {
          r.models = m.networks.models;
          r.modelsStep = m.networks.step;
        }
        save(r, m.final ? 'the finished run' : `the run at step ${r.step}`);
        break;
      }
      case 'state':
        // Training again: the stored networks stay (with their step) until newer ones arrive.
        // A finished or paused run: store its networks too (the trainer is idle, its weights still).
        if ((m.state === 'finished' && record && recordFor === host.current().curves) || (m.state === 'paused' && host.current().curves.metrics.length)) {
          const r = current();
          if (m.state === 'paused') save(r, `the run at step ${r.step}`);
          askForNetworks(r);
        }
        break;
      case 'model': {
        const r = wanted.get(m.run);
        if (!r) break;
        wanted.delete(m.run);
        r.models = { ...r.models, [m.run]: m.artifacts };
        r.modelsStep = r.step;
        save(r, 'the trained network');
        break;
      }
    }
  };

  const onClick = (event: Event): void => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-saved]');
    const id = button?.closest<HTMLElement>('li')?.dataset.runId;
    const run = runs.find((r) => r.id === id);
    if (!button || !run) return;
    const action = button.dataset.saved;
    if (action === 'load') {
      host.load(run);
    } else if (action === 'overlay') {
      overlaid = overlaid?.id === run.id ? undefined : { id: run.id, overlay: { history: run.curves, label: `saved ${when(run.date, 'short')}` } };
      render();
      host.redraw();
    } else if (action === 'export') {
      download(savedRunJson(run), `bn-live-run-${run.date.replace(/[:.]/g, '-')}.json`, 'application/json');
    } else if (action === 'delete' && store) {
      const index = runs.indexOf(run);
      deleted.add(run.id);
      void store.delete(run.id).then((result) => {
        if (disposed) return;
        if (!result.ok) {
          deleted.delete(run.id);
          problem = problemLine(result.problem, 'the deletion');
          showNote();
          return;
        }
        runs = runs.filter((r) => r.id !== run.id);
        if (overlaid?.id === run.id) {
          overlaid = undefined;
          host.redraw();
        }
        render();
        // Focus goes to the next run's Delete button, else the region's heading.
        const next = list.querySelectorAll<HTMLElement>('[data-saved="delete"]')[Math.min(index, runs.length - 1)];
        (next ?? heading).focus();
      });
    }
  };
  host.region.addEventListener('click', onClick);

  showNote();
  // Saves wait in the queue until the store is open and listed.
  queue = openRunStore().then(async (opened) => {
    if (disposed) {
      if (opened.ok) opened.value.close();
      return;
    }
    if (!opened.ok) {
      problem = problemLine(opened.problem, 'this run');
      showNote();
      return;
    }
    store = opened.value;
    const listed = await store.list();
    if (disposed) return;
    if (listed.ok) runs = [...listed.value, ...runs.filter((r) => !listed.value.some((l) => l.id === r.id))];
    else problem = problemLine(listed.problem, 'this run');
    render();
  });

  return {
    hear,
    crashed() {
      if (!record) return;
      const saved = runs.find((r) => r.id === record!.id);
      problem = saved
        ? `The trainer stopped; the run is saved up to step ${saved.step} (below)${canLoad(saved) ? ': Load it to continue from there, on another backend if you choose one in the settings first' : '. Choose a backend in the settings and press Start to train again from step 0'}.`
        : 'The trainer stopped before its first evaluation: nothing of this run was saved.';
      showNote();
    },
    overlay: () => overlaid?.overlay,
    resumable: () => (record && recordFor === host.current().curves && canLoad(record) ? structuredCloneRun(record) : undefined),
    continueRun(run, curves) {
      record = { ...run, status: run.status, models: { ...run.models }, curves };
      recordFor = curves;
    },
    dispose() {
      disposed = true;
      host.region.removeEventListener('click', onClick);
      store?.close();
    },
  };
}

/** Both twins' networks were stored, with the stable names and running averages weights.ts writes. */
function canLoad(r: SavedRun): boolean {
  const names = Object.values(r.models).map((m) => m?.weightSpecs.map((s) => s.name) ?? []);
  return names.length === 2 && names.every((n) => n.includes('head/weight'));
}

/** A detached copy for the list, so later steps of the live run do not change a saved entry. */
function structuredCloneRun(r: SavedRun): SavedRun {
  return { ...r, curves: { metrics: r.curves.metrics.slice(), evals: r.curves.evals.slice() }, accuracy: { ...r.accuracy }, models: { ...r.models } };
}
