import { startChapterWorker, type ChapterWorker } from '../../lib/train/chapter/client';
import { ADAPTATION_RUN } from '../../lib/train/chapter/runs';
import type { ChapterReply } from '../../lib/train/chapter/protocol';
import type { PracticeResult, PracticeTask } from '../../lib/train/chapter/practice-protocol';
import { formatPercent } from '../../lib/widget/dom';
import { openRunStore } from '../../lib/runs/store';
import { networksStep, type SavedRun } from '../../lib/runs/types';

/**
 * The one network the chapter "BN in practice" shares between its widgets: one chapter worker
 * per page, holding the BN CNN it trained (the 200-step run of *BN in modern networks*) or the
 * reader's saved lab network. Any widget's "Train the network" trains it for all of them; each
 * widget then sends its own tasks (practice.ts), answered in order.
 */
export interface NetworkState {
  phase: 'none' | 'busy' | 'ready' | 'failed';
  /** 0..1 of the download and training. */
  progress: number;
  status: string;
  /** The saved lab run whose network is in use; undefined for the chapter's own. */
  labRun?: SavedRun;
  /** The reader's newest saved BN CNN, offered when there is one. */
  offered?: SavedRun;
  /** Counts the networks that became ready: a widget recomputes when it changes. */
  generation: number;
  /** The id of the widget whose button started the network: only its status line is announced. */
  initiator?: string;
}

type Listener = (state: NetworkState) => void;
/** A task's progress: 0..1 and a sentence. */
export type Progress = (fraction: number, text: string) => void;
type Pending = { kind: 'network' } | { kind: 'task'; id: number; resolve: (r: PracticeResult) => void; reject: (e: Error) => void; onProgress?: Progress };

const IDLE_STATUS = 'not trained yet: about 10 MB of MNIST and a few seconds of training';

/** The reader's newest saved lab run whose normalized twin is a BN CNN with its networks stored. */
async function savedBnCnn(): Promise<SavedRun | undefined> {
  const store = await openRunStore();
  if (!store.ok) return undefined;
  try {
    const runs = await store.value.list();
    return runs.ok ? runs.value.find((r) => r.config.preset === 'cnn' && r.config.norm === 'bn' && r.models.norm) : undefined;
  } finally {
    store.value.close();
  }
}

class PracticeNetwork {
  state: NetworkState = { phase: 'none', progress: 0, status: IDLE_STATUS, generation: 0 };
  readonly #listeners = new Set<Listener>();
  /** What the worker is working through, oldest first: it answers in arrival order. */
  readonly #queue: Pending[] = [];
  #worker: ChapterWorker | undefined;
  #nextId = 1;

  constructor() {
    // Storage that is unavailable simply leaves the offer out.
    void savedBnCnn().then((run) => run && this.#update({ offered: run }));
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    listener(this.state);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#reset();
    };
  }

  /** Which network the results come from, for the widgets' status lines. */
  describe(): string {
    return this.state.labRun ? `your lab network (step ${networksStep(this.state.labRun)})` : `the chapter's network (${ADAPTATION_RUN.steps} steps)`;
  }

  train(initiator: string): void {
    this.#startNetwork(initiator, undefined, { type: 'adapt-train', baseUrl: location.href });
  }

  useSaved(initiator: string): void {
    const run = this.state.offered;
    if (!run?.models.norm) return;
    this.#startNetwork(initiator, run, { type: 'adapt-load', baseUrl: location.href, network: run.models.norm });
  }

  /** Sends a task; resolves with its result, in the order the worker takes them. */
  compute(task: PracticeTask, onProgress?: Progress): Promise<PracticeResult> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#queue.push({ kind: 'task', id, resolve, reject, onProgress });
      this.#ensureWorker().send({ type: 'practice', baseUrl: location.href, id, ...task });
    });
  }

  #startNetwork(initiator: string, labRun: SavedRun | undefined, request: Parameters<ChapterWorker['send']>[0]): void {
    if (this.state.phase === 'busy') return;
    this.#queue.push({ kind: 'network' });
    this.#update({ phase: 'busy', progress: 0, labRun, initiator, status: labRun ? 'loading your lab network…' : 'starting…' });
    this.#ensureWorker().send(request);
  }

  #ensureWorker(): ChapterWorker {
    return (this.#worker ??= startChapterWorker((m) => this.#onReply(m)));
  }

  #onReply(m: ChapterReply): void {
    switch (m.type) {
      case 'data-progress': {
        const head = this.#queue[0];
        const text = `loading MNIST: ${(m.loaded / 1e6).toFixed(1)} of ${(m.total / 1e6).toFixed(1)} MB`;
        if (head?.kind === 'task') head.onProgress?.(m.loaded / m.total, text);
        else if (this.state.phase === 'busy') this.#update({ progress: (0.3 * m.loaded) / m.total, status: text });
        break;
      }
      case 'train-progress': {
        const head = this.#queue[0];
        if (head?.kind === 'task' && head.id === m.id) head.onProgress?.(m.step / m.total, `step ${m.step} of ${m.total}`);
        else if (head?.kind === 'network') this.#update({ progress: 0.3 + (0.7 * m.step) / m.total, status: `training: step ${m.step} of ${m.total}` });
        break;
      }
      case 'adapt-ready':
        this.#queue.shift();
        this.#update({ phase: 'ready', progress: 1, status: `ready: ${this.describe()}`, generation: this.state.generation + 1 });
        break;
      case 'practice-result': {
        const head = this.#queue.shift();
        if (head?.kind === 'task') head.resolve(m);
        break;
      }
      case 'error': {
        const head = this.#queue.shift();
        if (head?.kind === 'task') head.reject(new Error(m.message));
        else this.#update({ phase: 'failed', status: `${this.state.labRun ? 'Loading your lab network' : 'Training'} failed: ${m.message}` });
        break;
      }
      default:
        break;
    }
  }

  #update(change: Partial<NetworkState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.#listeners) listener(this.state);
  }

  #reset(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    for (const p of this.#queue.splice(0)) if (p.kind === 'task') p.reject(new Error('the page closed the worker'));
    this.state = { phase: 'none', progress: 0, status: IDLE_STATUS, generation: 0, offered: this.state.offered };
  }
}

let shared: PracticeNetwork | undefined;

/** The page's one shared network. */
export const practiceNetwork = (): PracticeNetwork => (shared ??= new PracticeNetwork());

/** What a widget's network controls show (NetworkControls.astro), kept in step with the state. */
export function bindNetworkControls(root: HTMLElement, network: PracticeNetwork, onState: (state: NetworkState) => void): { actions: Record<string, () => void>; dispose: () => void } {
  const train = root.querySelector<HTMLButtonElement>('[data-action="train"]')!;
  const useSaved = root.querySelector<HTMLButtonElement>('[data-action="use-saved"]')!;
  const note = root.querySelector<HTMLElement>('[data-lab-network]')!;
  const progress = root.querySelector<HTMLProgressElement>('[data-network-progress]')!;
  const status = root.querySelector<HTMLOutputElement>('[data-network-status]')!;
  const unsubscribe = network.subscribe((state) => {
    train.disabled = useSaved.disabled = state.phase === 'busy';
    progress.value = state.progress;
    status.value = state.status;
    // Every widget shows the shared status; only the one the reader pressed announces it.
    status.setAttribute('aria-live', state.initiator === root.id ? 'polite' : 'off');
    if (state.offered) {
      const run = state.offered;
      const accuracy = run.accuracy.norm === undefined ? '' : `, BN test accuracy ${formatPercent(run.accuracy.norm)}`;
      note.textContent = `You have a BN CNN from the lab (run of ${new Date(run.date).toLocaleString()}, step ${networksStep(run)}${accuracy}): "Use my lab network" uses it in this chapter's widgets instead.`;
      note.hidden = useSaved.hidden = false;
    }
    root.dataset.network = state.phase;
    onState(state);
  });
  return { actions: { train: () => network.train(root.id), 'use-saved': () => network.useSaved(root.id) }, dispose: unsubscribe };
}
