import type { Mnist } from '../../data/mnist';
import { useBackend } from '../core/backend';
import { answer, errorText } from '../core/channel';
import type { FromHelper, HelperReplies, HelperRequest, ToHelper } from './pair-protocol';
import { TwinTrainer } from './trainer';

/**
 * The helper worker's side of a twin pair: trains its twin (the plain network) on the lead's
 * commands and answers its reads. Messages are handled strictly one after another, so a read
 * answers after every step sent before it: the two twins stay in step at each read.
 */
export function serveHelper(port: MessagePort): void {
  let data: Mnist | undefined;
  let trainer: TwinTrainer | undefined;
  let queue: Promise<void> = Promise.resolve();
  const post = (m: FromHelper, transfer: Transferable[] = []): void => port.postMessage(m, transfer);

  const requireTrainer = (): TwinTrainer => {
    if (!trainer) throw new Error('the helper has no twin yet');
    return trainer;
  };
  const work = async (msg: Extract<ToHelper, { id: number }>): Promise<{ reply: HelperReplies[HelperRequest['type']]; transfer?: Transferable[] }> => {
    switch (msg.type) {
      case 'pair-init': {
        trainer?.dispose();
        trainer = undefined;
        if (msg.data) data = msg.data;
        if (!data) throw new Error('the helper has no MNIST');
        const used = await useBackend(msg.backend, { fallback: false });
        if (used.name !== msg.backend) throw new Error(`${msg.backend} did not initialise in the helper`);
        trainer = new TwinTrainer(msg.config, data, msg.variants);
        if (msg.resume) await trainer.restore(msg.resume);
        return { reply: { step: trainer.step } };
      }
      case 'pair-metrics':
        return { reply: await requireTrainer().readMetrics() };
      case 'pair-evaluate':
        return { reply: await requireTrainer().evaluate(msg.examples, (done) => post({ type: 'pair-eval-progress', done }), msg.options) };
      case 'pair-gallery':
        return { reply: await requireTrainer().galleryPredictions() };
      case 'pair-export': {
        const models = await requireTrainer().exportNetworks(msg.only);
        return { reply: models, transfer: Object.values(models).map((m) => m.weightData) };
      }
      case 'pair-inspect':
        return { reply: await requireTrainer().inspectPart(msg.pixels, msg.layer) };
    }
  };

  const handle = async (msg: ToHelper): Promise<void> => {
    if ('id' in msg) return answer(msg.id, post, () => work(msg), (err) => ({ cause: 'failed', detail: errorText(err) }));
    if (msg.type === 'pair-step') {
      // Even with its twin diverged: the step count and the batch order go on as in one worker.
      trainer?.trainStep();
    } else {
      trainer?.dispose();
      trainer = undefined;
    }
  };
  port.onmessage = (event: MessageEvent<ToHelper>) => {
    queue = queue.then(() => handle(event.data));
  };
}
