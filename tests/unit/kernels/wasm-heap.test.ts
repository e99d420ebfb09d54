import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerLabKernels, wasmHeap, WasmInternalsMoved } from '../../../src/lib/kernels';

/** tfjs-backend-wasm's internals as the accessor reads them, with `change` applied. */
function fakeBackend(change: (b: Record<string, unknown> & { wasm: Record<string, unknown> }) => void): object {
  const b = {
    makeOutput: () => undefined,
    typedArrayFromHeap: () => undefined,
    getMemoryOffset: () => 0,
    incRef: () => undefined,
    wasm: { _malloc: () => 0, asm: { memory: new WebAssembly.Memory({ initial: 1 }) } as Record<string, unknown> },
  };
  change(b);
  return b;
}

beforeAll(async () => {
  registerLabKernels();
  await tf.setBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('the one accessor to tfjs-backend-wasm internals (wasm-heap.ts)', () => {
  it("reads this tfjs version's backend", () => {
    const heap = wasmHeap(tf.backend());
    expect(heap.memory).toBeInstanceOf(WebAssembly.Memory);
    const t = tf.tensor1d([1, 2, 3]);
    const view = new Float32Array(heap.memory.buffer, heap.offsetOf(t), 3);
    expect(Array.from(view)).toEqual([1, 2, 3]);
    t.dispose();
  });

  it('accepts the threaded build, whose memory is wasm.wasmMemory', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    expect(wasmHeap(fakeBackend((b) => {
      delete b.wasm.asm;
      b.wasm.wasmMemory = memory;
    })).memory).toBe(memory);
  });

  // What a tfjs upgrade could move, and the message that names it.
  const moved: Array<[string, (b: Record<string, unknown> & { wasm: Record<string, unknown> }) => void, RegExp]> = [
    ['the memory', (b) => delete b.wasm.asm, /no longer has its WebAssembly\.Memory at BackendWasm\.wasm\.asm\.memory or BackendWasm\.wasm\.wasmMemory/],
    ['malloc', (b) => delete b.wasm._malloc, /no longer has BackendWasm\.wasm\._malloc\(\)/],
    ['the Emscripten module', (b) => delete (b as Record<string, unknown>).wasm, /no longer has BackendWasm\.wasm \(the Emscripten module\)/],
    ['the tensors\' heap offsets', (b) => delete b.getMemoryOffset, /no longer has BackendWasm\.getMemoryOffset\(\)/],
    ['makeOutput', (b) => delete b.makeOutput, /no longer has BackendWasm\.makeOutput\(\)/],
  ];
  for (const [what, change, message] of moved) {
    it(`throws naming ${what} when a backend lacks it`, () => {
      const backend = fakeBackend(change);
      expect(() => wasmHeap(backend)).toThrow(WasmInternalsMoved);
      expect(() => wasmHeap(backend)).toThrow(message);
      expect(() => wasmHeap(backend)).toThrow(/src\/lib\/kernels\/wasm-heap\.ts/);
    });
  }

  it('fails a kernel loudly rather than computing on a moved heap', () => {
    const kernel = tf.getKernel('LabRunningStatsUpdate', 'wasm')!;
    const t = tf.tensor1d([1]);
    expect(() => kernel.kernelFunc({ inputs: { runningMean: t, runningVariance: t, batchMean: t, batchVariance: t }, backend: fakeBackend((b) => delete b.wasm.asm) as tf.KernelBackend, attrs: { weight: 0.1 } })).toThrow(WasmInternalsMoved);
    t.dispose();
  });
});

describe('Identity on WASM (identity.ts)', () => {
  it('shares the data instead of copying it, and frees it with the last tensor', () => {
    const heap = wasmHeap(tf.backend());
    const before = tf.memory();
    const a = tf.tensor2d([[1, -2], [3, 4]]);
    const b = tf.clone(a);
    expect(heap.offsetOf(b)).toBe(heap.offsetOf(a));
    expect(tf.memory().numTensors).toBe(before.numTensors + 2);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers + 1);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, -2, 3, 4]);
    b.dispose();
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it('keeps what autodiff saves intact (its saved tensors are Identity clones)', () => {
    const x = tf.tensor1d([-1, 0.5, 2]);
    const before = tf.memory().numTensors;
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), v)))(x);
    expect(Array.from(g.dataSync())).toEqual([0, 1, 4]);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
