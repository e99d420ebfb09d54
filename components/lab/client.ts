import { openChannel, type Channel, type Port } from '../../src/lib/train/core/channel';
import type { LabCommand, LabEvent, LabReplies, LabRequest, ToWorker } from '../../src/lib/train/lab/protocol';

/** The page's handle on the lab's trainer: commands, requests answered by id, events. */
export type TrainerClient = Channel<LabCommand, LabRequest, LabReplies>;

/**
 * How many workers train the twins: two (one per twin) where the browser reports two or more
 * logical cores, else one. The link's `workers=1` or `workers=2` says so instead (to compare the two).
 */
export function twinWorkers(search: string, cores: number | undefined): 1 | 2 {
  const asked = new URLSearchParams(search).get('workers');
  if (asked === '1' || asked === '2') return asked === '2' ? 2 : 1;
  return (cores ?? 1) >= 2 ? 2 : 1;
}

const labWorker = (): Worker => new Worker(new URL('../../src/lib/train/lab/train.worker.ts', import.meta.url), { type: 'module' });

/**
 * Starts the trainer in a worker where the browser can run one, else the same handler on the main
 * thread. With `workers: 2` a second worker trains the plain twin: the two are joined by a port
 * of their own, and the page talks to the first only. `onCrash` hears when either worker dies
 * (the page then starts new ones on Reset).
 */
export async function startTrainer(onEvent: (m: LabEvent) => void, onCrash: (why: string) => void, workers: 1 | 2 = 1): Promise<TrainerClient> {
  if (typeof Worker === 'undefined') return openChannel<LabCommand, LabRequest, LabReplies, LabEvent>(await mainThreadPort(), onEvent, onCrash);
  const lead = labWorker();
  if (workers === 1) return openChannel<LabCommand, LabRequest, LabReplies, LabEvent>(lead, onEvent, onCrash);
  const helper = labWorker();
  const pair = new MessageChannel();
  lead.postMessage({ type: 'pair', role: 'lead', port: pair.port1 } satisfies ToWorker, [pair.port1]);
  helper.postMessage({ type: 'pair', role: 'helper', port: pair.port2 } satisfies ToWorker, [pair.port2]);
  const channel = openChannel<LabCommand, LabRequest, LabReplies, LabEvent>(lead, onEvent, onCrash);
  helper.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    onCrash(e.message || 'the helper worker stopped unexpectedly');
  };
  return {
    ...channel,
    terminate: () => {
      helper.terminate();
      channel.terminate();
    },
  };
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
