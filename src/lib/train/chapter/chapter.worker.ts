/// <reference lib="webworker" />
import { getBackend } from '@tensorflow/tfjs-core';
import { loadMnist, type Mnist } from '../../data/mnist';
import { trainForAdaptation, evaluateShift, loadForAdaptation, ADAPTATION_RUN, type AdaptationModel } from './adaptation';
import { useBackend } from '../core/backend';
import type { ChapterReply, ChapterRequest } from './protocol';
import { trainWithDecay, DECAY_RUN } from './decay';
import { runPractice } from './practice';

/**
 * Trains the chapter's small networks on WASM (deterministic for a seed, and seconds for these
 * sizes), one request at a time in arrival order.
 */
declare const self: DedicatedWorkerGlobalScope;

const post = (m: ChapterReply): void => self.postMessage(m);
let data: Promise<Mnist> | undefined;
let adapted: AdaptationModel | undefined;
let queue: Promise<void> = Promise.resolve();

const mnist = (baseUrl: string): Promise<Mnist> =>
  (data ??= useBackend('wasm').then(() => loadMnist(baseUrl, (p) => post({ type: 'data-progress', ...p }))));

async function handle(msg: ChapterRequest): Promise<void> {
  switch (msg.type) {
    case 'adapt-train': {
      const mnistData = await mnist(msg.baseUrl);
      adapted?.dispose();
      adapted = await trainForAdaptation(
        mnistData,
        (step) => post({ type: 'train-progress', id: 0, step, total: ADAPTATION_RUN.steps }),
        (checkpoint) => post({ type: 'checkpoint', checkpoint }),
      );
      post({ type: 'adapt-ready', backend: getBackend() });
      break;
    }
    case 'adapt-load': {
      const mnistData = await mnist(msg.baseUrl);
      const loaded = loadForAdaptation(mnistData, msg.network);
      adapted?.dispose();
      adapted = loaded;
      post({ type: 'adapt-ready', backend: getBackend() });
      break;
    }
    case 'shift': {
      if (!adapted) throw new Error('the network is not trained yet');
      post({ type: 'shift-result', id: msg.id, ...(await evaluateShift(adapted, msg.kind, msg.strength, msg.seed)) });
      break;
    }
    case 'decay-train': {
      const mnistData = await mnist(msg.baseUrl);
      const points = await trainWithDecay(mnistData, msg.weightDecay, (step) => post({ type: 'train-progress', id: msg.id, step, total: DECAY_RUN.steps }));
      post({ type: 'decay-result', id: msg.id, weightDecay: msg.weightDecay, points });
      break;
    }
    case 'practice': {
      const { type: _, baseUrl, id, ...task } = msg;
      const result = await runPractice(task, await mnist(baseUrl), adapted?.model, (step, total) => post({ type: 'train-progress', id, step, total }));
      post({ type: 'practice-result', id, ...result });
      break;
    }
  }
}

self.onmessage = (event: MessageEvent<ChapterRequest>) => {
  queue = queue.then(() => handle(event.data)).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
};
