/**
 * The page's side of "Train with my BN": what the sandbox cannot fetch itself (it has no
 * network) — tfjs's WASM binary, from the site's own assets, and the lab's batches of MNIST,
 * loaded as the lab loads them (Cache API: a second run, or a visit after the lab, reads from disk).
 */
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import { loadMnist, type LoadProgress, type Mnist } from '../../../src/lib/data/mnist';
import { trainDataFor } from './batch-order';
import type { TrainData } from './protocol';

/** Loaded once per page: a second run only gathers its batches. */
let mnist: Promise<Mnist> | undefined;

export async function trainingInputs(steps: number, onProgress: (p: LoadProgress) => void): Promise<{ wasm: ArrayBuffer; data: TrainData }> {
  const wasm = fetch(wasmSimdUrl).then((r) => {
    if (!r.ok) throw new Error(`could not load tfjs’s WASM binary (HTTP ${r.status})`);
    return r.arrayBuffer();
  });
  mnist ??= loadMnist(location.href, onProgress);
  mnist.catch(() => (mnist = undefined));
  return { wasm: await wasm, data: trainDataFor(await mnist, steps) };
}
