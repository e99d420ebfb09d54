import { loadMnist, type Mnist } from '../../data/mnist';
import { softwareRenderer, useBackend, watchContextLoss } from '../core/backend';
import { answer, errorText, type Answer, type RequestFailure } from '../core/channel';
import { galleryDigits } from './inspect';
import { runTrainingLoop, type TrainingLoop } from './loop';
import type { BackendName, RunConfig } from '../config';
import type { FailureCause, FromWorker, LabEvent, LabReplies, LabRequest, ResumeState, ToWorker } from './protocol';
import { measureTraining } from './speed';
import { runSweep } from './sweep';
import { serveHelper } from './helper';
import type { LabTrainer } from './lab-trainer';
import { SplitTrainer } from './split';
import { TwinTrainer } from './trainer';

export type Post = (message: FromWorker, transfer?: Transferable[]) => void;

/** Thrown where the cause is known; anything else a request throws is 'failed'. */
class Refusal extends Error {
  constructor(readonly failureCause: FailureCause, detail: string) {
    super(detail);
  }
}
const classify = (err: unknown): RequestFailure<FailureCause> => ({ cause: err instanceof Refusal ? err.failureCause : 'failed', detail: errorText(err) });

/**
 * The lab trainer's message handler. The worker wires it to postMessage; where no worker can run
 * it, the page calls it directly (same messages, same code).
 */
export function createLabHandler(post: Post): (msg: ToWorker) => Promise<void> {
  let data: Mnist | undefined;
  let trainer: LabTrainer | undefined;
  let loop: TrainingLoop | undefined;
  /** The lead's port to its helper worker, when the page started one; whether the helper has MNIST yet. */
  let helperPort: MessagePort | undefined;
  let helperHasData = false;
  let sweepCancelled = false;
  const event = (m: LabEvent): void => post(m);

  const reply = <K extends LabRequest['type']>(id: number, work: () => Promise<{ reply: LabReplies[K]; transfer?: Transferable[] }>): Promise<void> =>
    answer(id, post as (m: Answer<LabReplies[K], FailureCause>, transfer?: Transferable[]) => void, work, classify);

  /**
   * The twins: each in its own worker where the page gave this one a helper and the backend runs
   * on the CPU (WASM, cpu: a second core is a second network's worth of speed; a GPU backend
   * shares one device either way), else both here. A helper that cannot start is not fatal.
   */
  const twins = async (config: RunConfig, mnist: Mnist, backend: BackendName, resume?: ResumeState): Promise<LabTrainer> => {
    if (helperPort && (backend === 'wasm' || backend === 'cpu')) {
      try {
        const split = await SplitTrainer.start(helperPort, config, mnist, backend, !helperHasData, resume);
        helperHasData = true;
        return split;
      } catch {
        // Trained here instead, both twins in this worker: the same curves, one core.
      }
    }
    const local = new TwinTrainer(config, mnist);
    if (resume) await local.restore(resume);
    return local;
  };

  return async (msg) => {
    if ('id' in msg) {
      switch (msg.type) {
        case 'inspect':
          return reply<'inspect'>(msg.id, async () => {
            if (!trainer) throw new Refusal('not-ready', 'the networks are not ready yet');
            return { reply: await trainer.inspectDigit(msg.pixels, msg.layer) };
          });
        case 'export-model':
          return reply<'export-model'>(msg.id, async () => {
            if (!trainer?.runNames.includes(msg.run)) throw new Refusal('not-ready', 'there is no trained model to export yet');
            const artifacts = (await trainer.exportNetworks(msg.run))[msg.run]!;
            return { reply: { artifacts }, transfer: [artifacts.weightData] };
          });
        // The probe's worker: start one backend, then time it (the page closes the worker after).
        case 'use-backend':
          return reply<'use-backend'>(msg.id, async () => {
            const used = await useBackend(msg.backend, { fallback: false }).catch((err: unknown) => {
              throw new Refusal('backend-unavailable', errorText(err));
            });
            if (used.name !== msg.backend) throw new Refusal('backend-unavailable', `${msg.backend} did not initialise`);
            const software = softwareRenderer();
            return { reply: software ? { software } : {} };
          });
        case 'measure-speed':
          return reply<'measure-speed'>(msg.id, async () => ({ reply: { examplesPerSecond: (await measureTraining(msg.config)).examplesPerSecond } }));
      }
    }
    try {
      switch (msg.type) {
        case 'init': {
          await loop?.pause();
          trainer?.dispose();
          trainer = undefined;
          const backend = await useBackend(msg.backend);
          // A lost WebGL context fails silently op by op: stop at once and say so; the page goes on elsewhere.
          watchContextLoss(() => {
            void loop?.pause();
            event({ type: 'failure', failure: { cause: 'context-lost' }, fatal: true });
          });
          data ??= await loadMnist(msg.baseUrl, (p) => event({ type: 'data-progress', ...p }));
          trainer = await twins(msg.config, data, backend.name, msg.resume);
          loop = runTrainingLoop(trainer, event);
          event({
            type: 'ready',
            backend: backend.name,
            ...(backend.unavailable ? { unavailable: backend.unavailable } : {}),
            ...(backend.threads ? { threads: backend.threads } : {}),
            trainCount: data.train.count,
            testCount: data.test.count,
            digits: galleryDigits(data.test),
            gallery: await trainer.galleryPredictions(),
            step: trainer.step,
            ...(trainer instanceof SplitTrainer ? { workers: 2 as const } : {}),
          });
          break;
        }
        case 'pair':
          if (msg.role === 'helper') serveHelper(msg.port);
          else helperPort = msg.port;
          break;
        case 'start':
          loop?.start();
          break;
        case 'pause':
          await loop?.pause();
          break;
        case 'step':
          await loop?.singleStep();
          break;
        case 'sweep': {
          if (!data) throw new Error('the data is not loaded yet');
          await loop?.pause();
          sweepCancelled = false;
          const total = msg.sweep.values.length;
          await runSweep(msg.sweep, msg.config, data, (point, index) => event({ type: 'sweep-point', point, index, total }), () => sweepCancelled);
          event({ type: 'sweep-done', cancelled: sweepCancelled });
          break;
        }
        case 'cancel-sweep':
          sweepCancelled = true;
          break;
      }
    } catch (err) {
      const init = msg.type === 'init';
      event({ type: 'failure', failure: { cause: init ? 'init' : 'failed', detail: errorText(err) }, fatal: init });
    }
  };
}
