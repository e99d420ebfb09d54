/**
 * The five loops of fused-wasm.ts's BN kernels as a small WebAssembly module with 128-bit SIMD,
 * assembled here byte by byte (no build step, nothing generated in the repository) and run on
 * tfjs-backend-wasm's own memory, so tensors are read and written where they lie. Each function
 * handles 4 adjacent channels (one f32x4) over all rows of the channels-last [m, C] view, so C
 * must be a multiple of 4; fused-wasm.ts keeps its JavaScript loops for the other cases.
 *
 * Same bits as the JavaScript loops: f32x4 add/sub/mul round each lane as float32 ops do, and the
 * sums add float32 values promoted to float64 in row order, as those loops (and cpu's Sum) do.
 */

export interface SimdLoops {
  /** Σx of channels [k, k+4) as 4 float64 at `out`. */
  sums(x: number, rows: number, stride: number, out: number): void;
  /** Σ f(f(x − μ)²) as 4 float64 at `out`; μ: 4 float32 at `mean`. */
  squares(x: number, rows: number, stride: number, mean: number, out: number): void;
  /** y = f(f(f(x − μ)·s) + β); `params`: μ, s, β as 4 float32 each. */
  normalize(y: number, x: number, rows: number, stride: number, params: number): void;
  /** Σdy then Σ f(dy·f(x − μ)), 4 float64 each at `out`. */
  gradientSums(dy: number, x: number, rows: number, stride: number, mean: number, out: number): void;
  /** dx = f(f(f(dy·a) − f(f(x − μ)·k)) − b); `params`: μ, a, k, b as 4 float32 each. */
  inputGradient(dx: number, dy: number, x: number, rows: number, stride: number, params: number): void;
}

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];

const I32 = 0x7f;
const V128 = 0x7b;
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const simd = (op: number) => [0xfd, ...uleb(op)];
const load = (offset = 0) => [...simd(0x00), 0x00, ...uleb(offset)];
const store = (offset = 0) => [...simd(0x0b), 0x00, ...uleb(offset)];
const F32X4_ADD = simd(0xe4);
const F32X4_SUB = simd(0xe5);
const F32X4_MUL = simd(0xe6);
const F64X2_ADD = simd(0xf0);
const PROMOTE_LOW = simd(0x5f);
/** Lanes 2, 3 of an f32x4 moved to lanes 0, 1 (i8x16.shuffle of the vector with itself). */
const HIGH_HALF = [...simd(0x0d), 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];

/** acc_lo += promote(v[0..1]); acc_hi += promote(v[2..3]) for the f32x4 in local v. */
const accumulate = (v: number, lo: number, hi: number) => [
  ...get(lo), ...get(v), ...PROMOTE_LOW, ...F64X2_ADD, ...set(lo),
  ...get(hi), ...get(v), ...get(v), ...HIGH_HALF, ...PROMOTE_LOW, ...F64X2_ADD, ...set(hi),
];

/** for (; rows; rows--) { body; each pointer += stride } */
const rowLoop = (rows: number, stride: number, pointers: number[], body: number[]) => [
  0x02, 0x40, ...get(rows), 0x45, 0x0d, 0x00, // block; if rows == 0 break
  0x03, 0x40, // loop
  ...body,
  ...pointers.flatMap((p) => [...get(p), ...get(stride), 0x6a, ...set(p)]),
  ...get(rows), 0x41, 0x01, 0x6b, 0x22, ...uleb(rows), 0x0d, 0x00, // rows -= 1; continue while rows
  0x0b, 0x0b, // end loop, end block
];

interface Fn {
  name: string;
  params: number;
  locals: number; // v128 locals after the i32 params
  body: number[];
}

// Parameter indices follow each function's signature in SimdLoops; v128 locals come after them.
const FUNCTIONS: Fn[] = [
  (() => {
    const [x, rows, stride, out, v, lo, hi] = [0, 1, 2, 3, 4, 5, 6];
    return { name: 'sums', params: 4, locals: 3, body: [...rowLoop(rows, stride, [x], [...get(x), ...load(), ...set(v), ...accumulate(v, lo, hi)]), ...get(out), ...get(lo), ...store(0), ...get(out), ...get(hi), ...store(16)] };
  })(),
  (() => {
    const [x, rows, stride, mean, out, u, v, lo, hi] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    const body = [...get(x), ...load(), ...get(u), ...F32X4_SUB, ...set(v), ...get(v), ...get(v), ...F32X4_MUL, ...set(v), ...accumulate(v, lo, hi)];
    return { name: 'squares', params: 5, locals: 4, body: [...get(mean), ...load(), ...set(u), ...rowLoop(rows, stride, [x], body), ...get(out), ...get(lo), ...store(0), ...get(out), ...get(hi), ...store(16)] };
  })(),
  (() => {
    const [y, x, rows, stride, params, u, s, b] = [0, 1, 2, 3, 4, 5, 6, 7];
    const body = [...get(y), ...get(x), ...load(), ...get(u), ...F32X4_SUB, ...get(s), ...F32X4_MUL, ...get(b), ...F32X4_ADD, ...store()];
    return { name: 'normalize', params: 5, locals: 3, body: [...get(params), ...load(0), ...set(u), ...get(params), ...load(16), ...set(s), ...get(params), ...load(32), ...set(b), ...rowLoop(rows, stride, [y, x], body)] };
  })(),
  (() => {
    const [dy, x, rows, stride, mean, out, u, g, c, s0, s1, q0, q1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const body = [...get(dy), ...load(), ...set(g), ...get(g), ...get(x), ...load(), ...get(u), ...F32X4_SUB, ...F32X4_MUL, ...set(c), ...accumulate(g, s0, s1), ...accumulate(c, q0, q1)];
    const outs = [s0, s1, q0, q1].flatMap((acc, i) => [...get(out), ...get(acc), ...store(16 * i)]);
    return { name: 'gradientSums', params: 6, locals: 7, body: [...get(mean), ...load(), ...set(u), ...rowLoop(rows, stride, [dy, x], body), ...outs] };
  })(),
  (() => {
    const [dx, dy, x, rows, stride, params, u, a, k, b] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const body = [
      ...get(dx),
      ...get(dy), ...load(), ...get(a), ...F32X4_MUL,
      ...get(x), ...load(), ...get(u), ...F32X4_SUB, ...get(k), ...F32X4_MUL,
      ...F32X4_SUB, ...get(b), ...F32X4_SUB, ...store(),
    ];
    const loads = [u, a, k, b].flatMap((l, i) => [...get(params), ...load(16 * i), ...set(l)]);
    return { name: 'inputGradient', params: 6, locals: 4, body: [...loads, ...rowLoop(rows, stride, [dx, dy, x], body)] };
  })(),
];

/** The module's bytes, importing env.memory (shared or not, to match tfjs's). */
function assemble(shared: boolean): Uint8Array<ArrayBuffer> {
  const arities = [...new Set(FUNCTIONS.map((f) => f.params))];
  const types = arities.map((n) => [0x60, ...vec(Array.from({ length: n }, () => [I32])), 0x00]);
  const limits = shared ? [0x03, 0x01, ...uleb(65536)] : [0x00, 0x01];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, ...limits]])),
    ...section(3, vec(FUNCTIONS.map((f) => uleb(arities.indexOf(f.params))))),
    ...section(7, vec(FUNCTIONS.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(FUNCTIONS.map((f) => {
      const code = [...vec([[...uleb(f.locals), V128]]), ...f.body, 0x0b];
      return [...uleb(code.length), ...code];
    }))),
  ];
  return new Uint8Array(bytes);
}

const cache = new WeakMap<WebAssembly.Memory, SimdLoops | null>();

/**
 * The loops on `memory` (tfjs-backend-wasm's), or null where this WebAssembly has no SIMD or the
 * module does not instantiate: the caller then keeps its JavaScript loops.
 */
export function simdLoops(memory: WebAssembly.Memory | undefined): SimdLoops | null {
  if (!memory) return null;
  if (cache.has(memory)) return cache.get(memory)!;
  let loops: SimdLoops | null = null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = assemble(shared);
    if (WebAssembly.validate(bytes)) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
      loops = instance.exports as unknown as SimdLoops;
    }
  } catch {
    loops = null;
  }
  cache.set(memory, loops);
  return loops;
}
