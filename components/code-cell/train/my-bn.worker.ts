/**
 * "Train with my BN"'s worker: started from a blob: by the sandbox iframe (opaque origin, CSP
 * with connect-src 'none'), never by the page. It can fetch nothing, so the page's 'train'
 * message brings tfjs's WASM binary (compiled here: the sandbox allows 'wasm-unsafe-eval') and
 * the batches. Posts every step, and where the reader's code runs, so the host can stop a
 * runaway step and name it.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerLabKernels } from '../../../src/lib/kernels';
import { readerFunction } from '../run-cell';
import type { TrainEvent, TrainRequest } from './protocol';
import { LayerError, trainTwins } from './twin';

const post = (event: TrainEvent): void => self.postMessage(event);

/** tfjs fetches its binary through the platform's fetch: answer with the bytes the page sent. */
async function startWasm(binary: ArrayBuffer): Promise<void> {
  const name = 'sandbox:tfjs-backend-wasm-simd.wasm';
  setWasmPaths({ 'tfjs-backend-wasm.wasm': name, 'tfjs-backend-wasm-simd.wasm': name, 'tfjs-backend-wasm-threaded-simd.wasm': name }, true);
  tf.env().platform.fetch = async () => new Response(binary, { headers: { 'Content-Type': 'application/wasm' } });
  // The sandbox is not cross-origin isolated: no threads, so the SIMD binary sent is the one used.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) throw new Error('this browser’s WebAssembly has no SIMD, which the sandbox’s tfjs binary needs');
  registerLabKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('the WASM backend did not start in the sandbox');
}

self.onmessage = async (event: MessageEvent<TrainRequest>) => {
  const req = event.data;
  if (req.type !== 'train') return;
  const { id } = req;
  try {
    await startWasm(req.wasm);
    const norm = await readerFunction(req.code, 'batchNorm');
    const backward = req.backwardCode ? await readerFunction(req.backwardCode, 'batchNormBackward') : undefined;
    post({ type: 'started', id, gradient: backward ? 'backward' : 'autodiff' });
    const result = await trainTwins(
      req.data,
      req.steps,
      norm,
      {
        onPlace: (place) => post({ type: 'at', id, place }),
        onStep: (record) => post({ type: 'step', id, record }),
        onEval: (record) => post({ type: 'eval', id, record }),
        onNote: (text) => post({ type: 'note', id, text }),
      },
      backward,
    );
    post({ type: 'done', id, examplesPerSecond: result.examplesPerSecond });
  } catch (err) {
    const error = { name: err instanceof LayerError ? err.name : err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err) };
    post({ type: 'failed', id, ...(err instanceof LayerError ? { place: err.place } : {}), error });
  }
};
