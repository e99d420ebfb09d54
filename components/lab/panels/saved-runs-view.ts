/**
 * The "Saved runs" region: lists the saved runs (the recorder in src/lib/runs keeps them) and
 * offers each one's Load, Overlay, Export and Delete. It renders only; what is saved when is the
 * recorder's job. Storage that is unavailable or full is reported in one line.
 */
import { canLoad, type RunsListing, type RunsNote, type Saving } from '../../../src/lib/runs/recorder';
import { savedRunJson } from '../../../src/lib/runs/store';
import type { SavedRun } from '../../../src/lib/runs/types';
import { TWIN_NORM_SHORT } from '../../../src/lib/train/config';
import { formatPercent, need } from '../../../src/lib/widget/dom';
import { download } from '../export';
import { when } from '../sentences';
import type { Panel } from '../panel';

export interface SavedRunsActions {
  load(run: SavedRun): void;
  /** Draw this run under the live curves, or none. */
  overlay(id: string | undefined): void;
  /** Resolves false when the store refused. */
  delete(run: SavedRun): Promise<boolean>;
}

const pct = (v: number | undefined): string => (v === undefined ? '—' : formatPercent(v));
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
/** How a run is named in buttons: its date, network and normalization. */
const runName = (r: SavedRun): string => `run of ${when(r.date)} (${r.config.preset.toUpperCase()}, ${TWIN_NORM_SHORT[r.config.norm]})`;

const savingWhat = (s: Saving): string =>
  s.kind === 'step' ? `the run at step ${s.step}` : s.kind === 'finished' ? 'the finished run' : s.kind === 'networks' ? 'the trained network' : s.kind === 'deletion' ? 'the deletion' : 'this run';

/** The region's one line about the store. */
export function noteLine(listing: RunsListing): string {
  const note: RunsNote | undefined = listing.note;
  if (note?.kind === 'problem') {
    const { problem, saving } = note;
    return problem.kind === 'unavailable'
      ? `Saved runs are off: this browser's storage is unavailable (${problem.message}); the lab works without it.`
      : problem.kind === 'full'
        ? `Storage is full: ${savingWhat(saving)} was not saved. Delete saved runs to make room; the lab goes on.`
        : `Could not use the browser's storage (${problem.message}): ${savingWhat(saving)} was not saved; the lab goes on.`;
  }
  if (note?.kind === 'crashed') {
    const saved = note.saved;
    return saved
      ? `The trainer stopped; the run is saved up to step ${saved.step} (below)${canLoad(saved) ? ': Load it to continue from there, on another backend if you choose one in the settings first' : '. Choose a backend in the settings and press Start to train again from step 0'}.`
      : 'The trainer stopped before its first evaluation: nothing of this run was saved.';
  }
  if (listing.storage === 'loading') return 'Reading saved runs…';
  return listing.runs.length ? `${plural(listing.runs.length, 'run')} saved in this browser.` : 'No saved runs yet: a run is saved here as it trains.';
}

function entry(r: SavedRun, overlaid: boolean): HTMLLIElement {
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
  overlay.setAttribute('aria-pressed', String(overlaid));
  buttons.append(overlay, button('export', 'Export', `${name} as JSON`), button('delete', 'Delete', name));
  // Networks saved with their running averages (this version on) can be loaded back.
  if (canLoad(r)) buttons.prepend(button('load', 'Load', `${name}'s networks into the lab`));
  li.append(title, facts, buttons);
  return li;
}

export function savedRunsPanel(region: HTMLElement, actions: SavedRunsActions): Panel {
  const note = need<HTMLElement>(region, '[data-saved-note]');
  const list = need<HTMLElement>(region, '[data-saved-list]');
  const heading = need<HTMLElement>(region, 'h2, h3');
  let runs: SavedRun[] = [];
  let overlaid: string | undefined;

  const onClick = (event: Event): void => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-saved]');
    const id = button?.closest<HTMLElement>('li')?.dataset.runId;
    const run = runs.find((r) => r.id === id);
    if (!button || !run) return;
    const action = button.dataset.saved;
    if (action === 'load') actions.load(run);
    else if (action === 'overlay') actions.overlay(overlaid === run.id ? undefined : run.id);
    else if (action === 'export') download(savedRunJson(run), `bn-live-run-${run.date.replace(/[:.]/g, '-')}.json`, 'application/json');
    else if (action === 'delete') {
      const index = runs.indexOf(run);
      void actions.delete(run).then((done) => {
        if (!done) return;
        // Focus goes to the next run's Delete button, else the region's heading (after the list re-renders).
        const next = list.querySelectorAll<HTMLElement>('[data-saved="delete"]')[Math.min(index, list.children.length - 1)];
        (next ?? heading).focus();
      });
    }
  };
  region.addEventListener('click', onClick);

  return {
    render(s, prev) {
      if (prev && s.saved === prev.saved && s.overlay === prev.overlay) return;
      runs = s.saved.runs;
      overlaid = s.overlay;
      // Keep keyboard focus on the same button across a re-render.
      const active = document.activeElement as HTMLElement | null;
      const focus = active && list.contains(active) ? { id: active.closest<HTMLElement>('li')?.dataset.runId, action: active.dataset.saved } : undefined;
      list.replaceChildren(...runs.map((r) => entry(r, overlaid === r.id)));
      if (focus?.id) list.querySelector<HTMLElement>(`li[data-run-id="${CSS.escape(focus.id)}"] [data-saved="${focus.action}"]`)?.focus();
      note.textContent = noteLine(s.saved);
      region.dataset.storage = s.saved.storage;
    },
    dispose: () => region.removeEventListener('click', onClick),
  };
}
