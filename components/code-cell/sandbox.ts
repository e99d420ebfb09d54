/**
 * The page's side of the sandbox: one hidden `<iframe sandbox="allow-scripts">` per page
 * (public/sandbox/index.html, an opaque origin with its own CSP and no network), which gets the
 * worker's source from here once and runs one cell at a time. Reader code never runs in the page.
 */
import workerUrl from './cell.worker.ts?worker&url';
import type { RunReply, RunRequest } from './protocol';
import type { TrainEvent, TrainRequest } from './train/protocol';

/** The iframe answers within RUN_LIMIT_MS (it stops a longer run itself); this is a backstop. */
const NO_ANSWER_MS = 15_000;

/** A training run in the sandbox: its events arrive through `onEvent` until 'done', 'failed' or 'train-stopped'. */
export interface TrainingRun {
  cancel(): void;
}

interface Sandbox {
  run(req: Omit<RunRequest, 'type' | 'id'>): Promise<RunReply>;
  /** Starts "Train with my BN" (one at a time: a new one replaces the last). The buffers are transferred. */
  train(req: Omit<TrainRequest, 'type' | 'id'>, onEvent: (event: TrainEvent) => void): TrainingRun;
}

let sandbox: Promise<Sandbox> | undefined;

export function getSandbox(): Promise<Sandbox> {
  sandbox ??= open();
  return sandbox;
}

async function open(): Promise<Sandbox> {
  // The page may read its own origin; the sandbox may not, so the page hands it the worker's code.
  const source = fetch(workerUrl).then((r) => {
    if (!r.ok) throw new Error(`could not load the sandbox worker (HTTP ${r.status})`);
    return r.text();
  });
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.title = 'Sandbox that runs the code cells';
  frame.hidden = true;
  frame.tabIndex = -1;
  frame.setAttribute('aria-hidden', 'true');
  const waiting = new Map<number, (reply: RunReply) => void>();
  const trainings = new Map<number, (event: TrainEvent) => void>();
  let loaded!: () => void;
  let ready!: () => void;
  const isLoaded = new Promise<void>((r) => (loaded = r));
  const isReady = new Promise<void>((r) => (ready = r));
  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow) return;
    const m = event.data as RunReply | TrainEvent | { type: 'loaded' } | { type: 'ready' };
    if (m.type === 'loaded') loaded();
    else if (m.type === 'ready') ready();
    else if (m.type === 'result' || m.type === 'stopped') waiting.get(m.id)?.(m);
    else trainings.get(m.id)?.(m);
  });
  frame.src = '/sandbox/';
  document.body.append(frame);
  await isLoaded;
  frame.contentWindow?.postMessage({ type: 'init', source: await source }, '*');
  await isReady;

  let next = 1;
  let queue: Promise<unknown> = Promise.resolve();
  const runOne = (req: Omit<RunRequest, 'type' | 'id'>): Promise<RunReply> =>
    new Promise((resolve) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        resolve({ type: 'result', id, logs: [], error: { name: 'Error', message: 'The sandbox did not answer.' } });
      }, NO_ANSWER_MS);
      waiting.set(id, (reply) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(reply);
      });
      const message: RunRequest = { type: 'run', id, ...req };
      frame.contentWindow?.postMessage(message, '*');
    });
  return {
    train(req, onEvent) {
      const id = next++;
      for (const other of trainings.keys()) trainings.delete(other);
      trainings.set(id, (e) => {
        if (e.type === 'done' || e.type === 'failed' || e.type === 'train-stopped') trainings.delete(id);
        onEvent(e);
      });
      const message: TrainRequest = { type: 'train', id, ...req };
      const { data } = req;
      frame.contentWindow?.postMessage(message, '*', [req.wasm, data.trainImages.buffer, data.trainLabels.buffer, data.testImages.buffer, data.testLabels.buffer]);
      return {
        cancel() {
          trainings.delete(id);
          frame.contentWindow?.postMessage({ type: 'train-cancel', id }, '*');
        },
      };
    },
    run(req) {
      const result = queue.then(() => runOne(req));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
