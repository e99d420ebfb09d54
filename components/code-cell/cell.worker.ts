/**
 * The sandbox's worker: started from a blob: inside the sandbox iframe (opaque origin, CSP with
 * connect-src 'none'), never by the page itself. `tf` is tfjs-core's ops on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tf.grad and friends work in cells (the open cell in The backward pass uses tf.grad).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { RunRequest } from './protocol';
import { runCell } from './run-cell';

const ready = tf.setBackend('cpu');

self.onmessage = async (event: MessageEvent<RunRequest>) => {
  await ready;
  self.postMessage(await runCell(event.data));
};
