import { loadMnist, type Mnist } from '../data/mnist';
import { useBackend, watchContextLoss } from './backend';
import { runTrainingLoop, type LoopHost } from './loop';
import type { FromWorker, ToWorker } from './protocol';
import { measureTraining } from './probe';
import { runSweep } from './sweep';
import { TwinTrainer } from './trainer';
import { galleryDigits } from './inspect';

export type Post = (message: FromWorker, transfer?: Transferable[]) => void;

/**
 * The trainer's message handler. The worker wires it to postMessage; where no worker can run
 * it, the page calls it directly (same messages, same code).
 */
export function createTrainerHost(post: Post): (msg: ToWorker) => Promise<void> {
  let data: Mnist | undefined;
  let trainer: TwinTrainer | undefined;
  let loop: LoopHost | undefined;
  let sweepCancelled = false;

  return async (msg) => {
    try {
      switch (msg.type) {
        case 'init': {
          await loop?.pause();
          trainer?.dispose();
          trainer = undefined;
          const backend = await useBackend(msg.backend);
          // A lost WebGL context fails silently op by op: stop at once and say so; the page offers the saved state.
          watchContextLoss(() => {
            void loop?.pause();
            post({ type: 'error', message: 'Training stopped: the WebGL context was lost (the GPU was reset or its memory reclaimed).', fatal: true });
          });
          data ??= await loadMnist(msg.baseUrl, (p) => post({ type: 'data-progress', ...p }));
          trainer = new TwinTrainer(msg.config, data);
          if (msg.resume) await trainer.restore(msg.resume);
          loop = runTrainingLoop(trainer, post);
          post({
            type: 'ready',
            backend: backend.name,
            ...(backend.unavailable ? { unavailable: backend.unavailable } : {}),
            ...(backend.threads ? { threads: backend.threads } : {}),
            trainCount: data.train.count,
            testCount: data.test.count,
            digits: galleryDigits(data.test),
            gallery: await trainer.galleryPredictions(),
            step: trainer.step,
          });
          break;
        }
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
          await runSweep(msg.sweep, msg.config, data, (point, index) => post({ type: 'sweep-point', point, index, total }), () => sweepCancelled);
          post({ type: 'sweep-done', cancelled: sweepCancelled });
          break;
        }
        case 'probe': {
          // A probe worker measures one backend and is then closed by the page.
          const used = await useBackend(msg.backend, { fallback: false }).catch((err: Error) => ({ name: null, unavailable: err.message }));
          if (used.name !== msg.backend) {
            post({ type: 'probe-failed', backend: msg.backend, reason: used.unavailable ?? `${msg.backend} did not initialise` });
            break;
          }
          post({ type: 'probe-result', backend: msg.backend, ...(await measureTraining(msg.config)) });
          break;
        }
        case 'inspect': {
          if (!trainer) throw new Error('the networks are not ready yet');
          const { predictions, maps } = await trainer.inspectDigit(msg.pixels, msg.layer);
          post({ type: 'inspection', id: msg.id, predictions, maps });
          break;
        }
        case 'cancel-sweep':
          sweepCancelled = true;
          break;
        case 'export-model': {
          const run = trainer?.runs.find((r) => r.name === msg.run);
          if (!trainer || !run) throw new Error('there is no trained model to export yet');
          const artifacts = (await trainer.exportNetworks(msg.run))[msg.run]!;
          post({ type: 'model', run: msg.run, artifacts }, [artifacts.weightData]);
          break;
        }
      }
    } catch (err) {
      post({ type: 'error', message: err instanceof Error ? err.message : String(err), fatal: msg.type === 'init' });
    }
  };
}
