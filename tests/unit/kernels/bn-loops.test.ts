import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleWat, MEMORY_IMPORT } from '../../../scripts/vite-wat';
import { jsLoops, simdLoops, type BnLoops } from '../../../src/lib/kernels/bn-loops';

const WAT = 'src/lib/kernels/bn-loops.wat';
const text = readFileSync(WAT, 'utf8');

/**
 * bn-loops.wat's SIMD functions (8 and 4 channels) against the JavaScript loops (the fallback
 * where WebAssembly has no SIMD) on a memory of our own: the same bits out of every pass. The
 * kernels' tests (batchnorm.test.ts) hold both to the tfjs ops' bits on the lab's shapes.
 */
describe('bn-loops.wat, assembled by wabt (scripts/vite-wat.ts)', () => {
  it('assembles both ways, and the shared form instantiates on a shared memory like tfjs-wasm threaded build\'s', async () => {
    const { plain, shared } = await assembleWat(WAT, text);
    expect(WebAssembly.validate(plain as Uint8Array<ArrayBuffer>)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 32768, shared: true });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(shared as Uint8Array<ArrayBuffer>), { env: { memory } });
    expect(Object.keys(instance.exports).sort()).toEqual(['gradientSums', 'gradientSums8', 'inputGradient', 'inputGradient8', 'normalize', 'normalize8', 'squares', 'squares8', 'sums', 'sums8']);
  });

  it("reports a .wat that does not assemble with wabt's line and column", async () => {
    const broken = text.replace('(local.set $u (v128.load (local.get $mean)))', '(local.set $u (v128.load (local.get $mean))');
    await expect(assembleWat(WAT, broken)).rejects.toThrow(/src\/lib\/kernels\/bn-loops\.wat:\d+:\d+: error/);
  });

  it("requires the one memory import the shared form is made from", async () => {
    await expect(assembleWat(WAT, text.replace(MEMORY_IMPORT, ''))).rejects.toThrow(/imports tfjs's memory exactly once/);
  });

  // Channels-last [rows, 8] data, per-channel parameters, and each pass run over all 8 channels
  // either by the 8-channel function or by a 4-channel one twice; results in channel order.
  const memory = new WebAssembly.Memory({ initial: 4 });
  const f32 = new Float32Array(memory.buffer);
  const f64 = new Float64Array(memory.buffer);
  const rows = 50, c = 8, stride = 4 * c;
  const [x, dy, y, params, mean, out] = [1024, 4096, 8192, 12288, 12800, 13056];
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 4 - 1.5;
  for (let i = 0; i < rows * c; i++) {
    f32[x / 4 + i] = random();
    f32[dy / 4 + i] = random() * 1e-3;
  }
  /** μ, then 3 more per-channel parameters, 8 channels each. */
  const parameters = Array.from({ length: 4 }, () => Array.from({ length: 8 }, random));
  f32.set(parameters[0]!, mean / 4);
  const sums = (n: number) => Array.from(f64.subarray(out / 8, out / 8 + n));
  const ys = () => Array.from(f32.subarray(y / 4, y / 4 + rows * c));

  /** Every pass over channels [first, first + lanes), its parameters laid out `lanes` wide. */
  function passes(loops: BnLoops, first: number, lanes: number): number[][] {
    parameters.forEach((values, i) => f32.set(values.slice(first, first + lanes), params / 4 + i * lanes));
    const at = 4 * first;
    f64.fill(0, out / 8, out / 8 + 16);
    loops.sums(x + at, rows, stride, out, lanes);
    const s = sums(lanes);
    loops.squares(x + at, rows, stride, mean + at, out, lanes);
    const q = sums(lanes);
    loops.gradientSums(dy + at, x + at, rows, stride, mean + at, out, lanes);
    const g = sums(2 * lanes);
    f32.fill(0, y / 4, y / 4 + rows * c);
    loops.normalize(y + at, x + at, rows, stride, params, lanes);
    const n = ys();
    f32.fill(0, y / 4, y / 4 + rows * c);
    loops.inputGradient(y + at, dy + at, x + at, rows, stride, params, lanes);
    return [s, q, g.slice(0, lanes), g.slice(lanes), n, ys()];
  }
  /** The passes over all 8 channels as two groups of 4 (the output arrays only hold their group's rows). */
  const twoGroups = (loops: BnLoops): number[][] => {
    const [a, b] = [passes(loops, 0, 4), passes(loops, 4, 4)];
    return a.map((part, i) => (i < 4 ? [...part, ...b[i]!] : part.map((v, j) => (j % c < 4 ? v : b[i]![j]!))));
  };
  const NAMES = ['sums', 'squares', 'gradientSums (Σdy)', 'gradientSums (Σdy·(x − μ))', 'normalize', 'inputGradient'];

  it('gives the bits of the JavaScript loops in every pass, 4 and 8 channels at a time', () => {
    const simd = simdLoops(memory)!;
    expect(simd, 'SIMD loops instantiate here').not.toBeNull();
    const want = twoGroups(jsLoops(memory));
    const four = twoGroups(simd[4]);
    const eight = passes(simd[8], 0, 8);
    NAMES.forEach((name, i) => {
      expect(four[i], `${name}, 4 channels`).toEqual(want[i]);
      expect(eight[i], `${name}, 8 channels`).toEqual(want[i]);
    });
  });
});
