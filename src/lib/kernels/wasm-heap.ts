import type * as tf from '@tensorflow/tfjs-core';

/**
 * What the lab's WASM kernels use of tfjs-backend-wasm, read in this one place. Kernels work on
 * the WASM heap where tensors lie, as tfjs-backend-wasm's own Concat or Identity kernels do; part
 * of that is public API of its BackendWasm class (makeOutput, typedArrayFromHeap,
 * getMemoryOffset, incRef), part is the Emscripten module inside it (`wasm._malloc` and the
 * WebAssembly.Memory, at `wasm.asm.memory`, or `wasm.wasmMemory` in the threaded build), which
 * no tfjs version promises. If an upgrade moves any of them, `wasmHeap` throws naming it, so the
 * kernels fail loudly (and their unit tests with them) instead of reading the wrong memory.
 */
export interface WasmHeap {
  /** tfjs's WebAssembly memory: a view taken before an allocation may be detached after it. */
  readonly memory: WebAssembly.Memory;
  /** A new float32 tensor on the heap (an output of the kernel that calls it). */
  makeOutput(shape: number[]): tf.TensorInfo;
  /** A tensor's values as a view on the heap. */
  values(t: tf.TensorInfo): Float32Array;
  /** Byte offset of a tensor's values in `memory`. */
  offsetOf(t: tf.TensorInfo): number;
  /** One more tensor on the same data (the data is freed with the last one). */
  share(t: tf.TensorInfo): tf.TensorInfo;
  /** `bytes` on the heap, never freed (scratch space that lives as long as the backend). */
  malloc(bytes: number): number;
}

/** The shape of tfjs-backend-wasm 4.22's BackendWasm that the accessor reads. */
interface BackendWasmShape {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  getMemoryOffset(dataId: object): number;
  incRef(dataId: object): void;
  wasm: { _malloc(bytes: number): number; asm?: { memory?: unknown }; wasmMemory?: unknown };
}

export class WasmInternalsMoved extends Error {
  constructor(what: string) {
    super(
      `tfjs-backend-wasm no longer has ${what}, which the lab's WASM kernels (src/lib/kernels) read: ` +
        'a tfjs upgrade moved it. Find where this version keeps it and update src/lib/kernels/wasm-heap.ts.',
    );
    this.name = 'WasmInternalsMoved';
  }
}

const heaps = new WeakMap<object, WasmHeap>();

/** The heap of a tfjs-backend-wasm backend (a kernel's `backend` argument); throws if its internals moved. */
export function wasmHeap(backend: unknown): WasmHeap {
  if (typeof backend !== 'object' || backend === null) throw new WasmInternalsMoved('a backend object (the kernel got none)');
  const known = heaps.get(backend);
  if (known) return known;
  const b = backend as Partial<BackendWasmShape>;
  for (const method of ['makeOutput', 'typedArrayFromHeap', 'getMemoryOffset', 'incRef'] as const) {
    if (typeof b[method] !== 'function') throw new WasmInternalsMoved(`BackendWasm.${method}()`);
  }
  const module = b.wasm;
  if (typeof module !== 'object' || module === null) throw new WasmInternalsMoved('BackendWasm.wasm (the Emscripten module)');
  if (typeof module._malloc !== 'function') throw new WasmInternalsMoved('BackendWasm.wasm._malloc()');
  const memory = module.asm?.memory ?? module.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new WasmInternalsMoved('its WebAssembly.Memory at BackendWasm.wasm.asm.memory or BackendWasm.wasm.wasmMemory (threaded build)');
  }
  const backendWasm = b as BackendWasmShape;
  const heap: WasmHeap = {
    memory,
    makeOutput: (shape) => backendWasm.makeOutput(shape, 'float32'),
    values: (t) => backendWasm.typedArrayFromHeap(t),
    offsetOf: (t) => backendWasm.getMemoryOffset(t.dataId),
    share: (t) => {
      backendWasm.incRef(t.dataId);
      return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
    },
    malloc: (bytes) => backendWasm.wasm._malloc(bytes),
  };
  heaps.set(backend, heap);
  return heap;
}
