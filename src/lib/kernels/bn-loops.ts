import { plain, shared } from './bn-loops.wat';

/**
 * The passes over the data of the BN kernels (batchnorm.ts): bn-loops.wat's SIMD functions, each
 * over 8 or 4 adjacent channels of the channels-last [rows, C] view, or the same passes as plain
 * JavaScript loops over `lanes` ≤ 4 channels (C not a multiple of 4, or a WebAssembly without
 * SIMD). Pointers are byte offsets into tfjs's WASM memory; rows are `stride` bytes apart;
 * per-channel parameters and sums are arrays of `lanes` values (4 for the JavaScript loops). All
 * give the bits of src/lib/bn/fused.ts's tfjs ops on the cpu backend
 * (tests/unit/kernels/batchnorm.test.ts).
 */
export interface BnLoops {
  /** Σx as float64 at `out`. */
  sums(x: number, rows: number, stride: number, out: number, lanes: number): void;
  /** Σ f(f(x − μ)²) as float64 at `out`; μ: float32 at `mean`. */
  squares(x: number, rows: number, stride: number, mean: number, out: number, lanes: number): void;
  /** y = f(f(f(x − μ)·s) + β); `params`: μ, s, β as float32 arrays. */
  normalize(y: number, x: number, rows: number, stride: number, params: number, lanes: number): void;
  /** Σdy, then Σ f(dy·f(x − μ)), as float64 arrays at `out`. */
  gradientSums(dy: number, x: number, rows: number, stride: number, mean: number, out: number, lanes: number): void;
  /** dx = f(f(f(dy·a) − f(f(x − μ)·k)) − b); `params`: μ, a, k, b as float32 arrays. */
  inputGradient(dx: number, dy: number, x: number, rows: number, stride: number, params: number, lanes: number): void;
}

export type LoopPath = 'simd' | 'js';

/** bn-loops.wat's functions over 8 channels and over 4 (they ignore `lanes`). */
export type SimdLoops = Record<8 | 4, BnLoops>;

const simdCache = new WeakMap<WebAssembly.Memory, SimdLoops | null>();

/**
 * bn-loops.wat instantiated on `memory`, or null where this WebAssembly has no SIMD. A module
 * that validates but does not instantiate throws: a broken module must not hide behind the
 * JavaScript loops.
 */
export function simdLoops(memory: WebAssembly.Memory): SimdLoops | null {
  const cached = simdCache.get(memory);
  if (cached !== undefined) return cached;
  const isShared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = (isShared ? shared : plain) as Uint8Array<ArrayBuffer>;
  let loops: SimdLoops | null = null;
  if (WebAssembly.validate(bytes)) {
    try {
      const e = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as Record<string, BnLoops[keyof BnLoops]>;
      const set = (suffix: string): BnLoops => ({
        sums: e[`sums${suffix}`] as BnLoops['sums'],
        squares: e[`squares${suffix}`] as BnLoops['squares'],
        normalize: e[`normalize${suffix}`] as BnLoops['normalize'],
        gradientSums: e[`gradientSums${suffix}`] as BnLoops['gradientSums'],
        inputGradient: e[`inputGradient${suffix}`] as BnLoops['inputGradient'],
      });
      loops = { 8: set('8'), 4: set('') };
    } catch (err) {
      throw new Error(`bn-loops.wat does not instantiate on tfjs's ${isShared ? 'shared ' : ''}memory: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  simdCache.set(memory, loops);
  return loops;
}

const jsCache = new WeakMap<WebAssembly.Memory, BnLoops>();

/** The same passes as one plain loop each, `lanes` channels (at most 4) at a time, over arrays of 4. */
export function jsLoops(memory: WebAssembly.Memory): BnLoops {
  const cached = jsCache.get(memory);
  if (cached) return cached;
  const f = Math.fround;
  // Views of the current buffer (the heap may have grown since the last call). Sums add float32
  // values in float64 in row order, and each float32 op's result is rounded by `f` or by the store.
  const f32 = () => new Float32Array(memory.buffer);
  const f64 = () => new Float64Array(memory.buffer);
  const loops: BnLoops = {
    sums(x, rows, stride, out, lanes) {
      const v = f32(), d = f64();
      for (let j = 0; j < lanes; j++) {
        let s = 0;
        for (let r = 0, i = x / 4 + j; r < rows; r++, i += stride / 4) s += v[i]!;
        d[out / 8 + j] = s;
      }
    },
    squares(x, rows, stride, mean, out, lanes) {
      const v = f32(), d = f64();
      for (let j = 0; j < lanes; j++) {
        const u = v[mean / 4 + j]!;
        let s = 0;
        for (let r = 0, i = x / 4 + j; r < rows; r++, i += stride / 4) {
          const a = f(v[i]! - u);
          s += f(a * a);
        }
        d[out / 8 + j] = s;
      }
    },
    normalize(y, x, rows, stride, params, lanes) {
      const v = f32(), p = params / 4;
      for (let j = 0; j < lanes; j++) {
        const u = v[p + j]!, s = v[p + 4 + j]!, b = v[p + 8 + j]!;
        for (let r = 0, i = x / 4 + j, o = y / 4 + j; r < rows; r++, i += stride / 4, o += stride / 4) v[o] = f(f(v[i]! - u) * s) + b;
      }
    },
    gradientSums(dy, x, rows, stride, mean, out, lanes) {
      const v = f32(), d = f64();
      for (let j = 0; j < lanes; j++) {
        const u = v[mean / 4 + j]!;
        let s = 0, q = 0;
        for (let r = 0, g = dy / 4 + j, i = x / 4 + j; r < rows; r++, g += stride / 4, i += stride / 4) {
          s += v[g]!;
          q += f(v[g]! * f(v[i]! - u));
        }
        d[out / 8 + j] = s;
        d[out / 8 + 4 + j] = q;
      }
    },
    inputGradient(dx, dy, x, rows, stride, params, lanes) {
      const v = f32(), p = params / 4;
      for (let j = 0; j < lanes; j++) {
        const u = v[p + j]!, a = v[p + 4 + j]!, k = v[p + 8 + j]!, b = v[p + 12 + j]!;
        for (let r = 0, o = dx / 4 + j, g = dy / 4 + j, i = x / 4 + j; r < rows; r++, o += stride / 4, g += stride / 4, i += stride / 4) {
          v[o] = f(f(v[g]! * a) - f(f(v[i]! - u) * k)) - b;
        }
      }
    },
  };
  jsCache.set(memory, loops);
  return loops;
}
