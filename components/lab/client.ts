import { openChannel, type Channel, type Port } from '../../src/lib/train/core/channel';
import type { LabCommand, LabEvent, LabReplies, LabRequest, ToWorker } from '../../src/lib/train/lab/protocol';

/** The page's handle on the lab's trainer: commands, requests answered by id, events. */
export type TrainerClient = Channel<LabCommand, LabRequest, LabReplies>;

/**
 * Starts the trainer in a worker where the browser can run one, else the same handler on the main
 * thread. `onCrash` hears when the worker dies (the page then starts a new one on Reset).
 */
export async function startTrainer(onEvent: (m: LabEvent) => void, onCrash: (why: string) => void): Promise<TrainerClient> {
  const port: Port<ToWorker> =
    typeof Worker !== 'undefined' ? new Worker(new URL('../../src/lib/train/lab/train.worker.ts', import.meta.url), { type: 'module' }) : await mainThreadPort();
  return openChannel<LabCommand, LabRequest, LabReplies, LabEvent>(port, onEvent, onCrash);
}

/** The worker's handler on the page's own thread, behind the same port. */
async function mainThreadPort(): Promise<Port<ToWorker>> {
  const { createLabHandler } = await import('../../src/lib/train/lab/handler');
  const port: Port<ToWorker> = {
    onmessage: null,
    onerror: null,
    postMessage: (msg) => void handle(msg),
    terminate: () => undefined,
  };
  const handle = createLabHandler((m) => port.onmessage?.(new MessageEvent('message', { data: m })));
  return port;
}
