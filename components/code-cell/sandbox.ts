/**
 * The page's side of the sandbox: one hidden `<iframe sandbox="allow-scripts">` per page
 * (public/sandbox/index.html, an opaque origin with its own CSP and no network), which gets the
 * worker's source from here once and runs one cell at a time. Reader code never runs in the page.
 */
import workerUrl from './cell.worker.ts?worker&url';
import type { RunReply, RunRequest } from './protocol';

/** The iframe answers within RUN_LIMIT_MS (it stops a longer run itself); this is a backstop. */
const NO_ANSWER_MS = 15_000;

interface Sandbox {
  run(req: Omit<RunRequest, 'type' | 'id'>): Promise<RunReply>;
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
  let loaded!: () => void;
  let ready!: () => void;
  const isLoaded = new Promise<void>((r) => (loaded = r));
  const isReady = new Promise<void>((r) => (ready = r));
  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow) return;
    const m = event.data as RunReply | { type: 'loaded' } | { type: 'ready' };
    if (m.type === 'loaded') loaded();
    else if (m.type === 'ready') ready();
    else waiting.get(m.id)?.(m);
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
    run(req) {
      const result = queue.then(() => runOne(req));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
