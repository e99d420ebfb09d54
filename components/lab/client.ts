import type { FromWorker, ToWorker } from '../../src/lib/train/protocol';

/** The page's handle on the trainer: typed messages in, typed messages out. */
export interface TrainerClient {
  send(msg: ToWorker): void;
  terminate(): void;
}

/**
 * Starts the trainer in a worker where the browser can run one, else the same handler on the main
 * thread. `onCrash` hears when the worker dies (the page then starts a new one on Reset).
 */
export async function startTrainer(onMessage: (m: FromWorker) => void, onCrash: (why: string) => void): Promise<TrainerClient> {
  if (typeof Worker !== 'undefined') {
    const worker = new Worker(new URL('../../src/lib/train/train.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      onCrash(e.message || 'the training worker stopped unexpectedly');
    };
    return { send: (msg) => worker.postMessage(msg), terminate: () => worker.terminate() };
  }
  const { createTrainerHost } = await import('../../src/lib/train/host');
  const handle = createTrainerHost((m) => onMessage(m));
  return { send: (msg) => void handle(msg), terminate: () => undefined };
}
