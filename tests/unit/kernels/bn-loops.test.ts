import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleWat, MEMORY_IMPORT } from '../../../scripts/vite-wat';
import { jsLoops, simdLoops, type BnLoops } from '../../../src/lib/kernels/bn-loops';

const WAT = 'src/lib/kernels/bn-loops.wat';
const text = readFileSync(WAT, 'utf8');

/**
 * bn-loops.wat's SIMD functions against the JavaScript loops (the fallback where WebAssembly has
 * no SIMD), 4 lanes each, on a memory of our own: the same bytes out of every pass. The kernels'
 * tests (batchnorm.test.ts) hold both to the tfjs ops' bits on the lab's shapes.
 */
describe('bn-loops.wat, assembled by wabt (scripts/vite-wat.ts)', () => {
  it('assembles both ways, and the shared form instantiates on a shared memory like tfjs-wasm threaded build\'s', async () => {
    const { plain, shared } = await assembleWat(WAT, text);
    expect(WebAssembly.validate(plain as Uint8Array<ArrayBuffer>)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 32768, shared: true });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(shared as Uint8Array<ArrayBuffer>), { env: { memory } });
    expect(Object.keys(instance.exports).sort()).toEqual(['gradientSums', 'inputGradient', 'normalize', 'squares', 'sums']);
  });

  it("reports a .wat that does not assemble with wabt's line and column", async () => {
    const broken = text.replace('(local.set $u (v128.load (local.get $mean)))', '(local.set $u (v128.load (local.get $mean))');
    await expect(assembleWat(WAT, broken)).rejects.toThrow(/src\/lib\/kernels\/bn-loops\.wat:\d+:\d+: error/);
  });

  it("requires the one memory import the shared form is made from", async () => {
    await expect(assembleWat(WAT, text.replace(MEMORY_IMPORT, ''))).rejects.toThrow(/imports tfjs's memory exactly once/);
  });

  it('gives the bits of the JavaScript loops in every pass', () => {
    const memory = new WebAssembly.Memory({ initial: 4 });
    const simd = simdLoops(memory)!;
    expect(simd, 'SIMD loops instantiate here').not.toBeNull();
    const js = jsLoops(memory);
    const f32 = new Float32Array(memory.buffer);
    const f64 = new Float64Array(memory.buffer);
    // [rows, 8] channels-last rows; the loops take channels 4..7 (the second group).
    const rows = 50, c = 8, stride = 4 * c;
    const [x, dy, y, params, out] = [1024, 4096, 8192, 12288, 12544];
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 4 - 1.5;
    for (let i = 0; i < rows * c; i++) {
      f32[x / 4 + i] = random();
      f32[dy / 4 + i] = random() * 1e-3;
    }
    for (let i = 0; i < 16; i++) f32[params / 4 + i] = random();
    const group = 4 * 4;
    const run = (loops: BnLoops): number[][] => {
      const results: number[][] = [];
      const sums = () => Array.from(f64.subarray(out / 8, out / 8 + 8));
      const ys = () => Array.from(f32.subarray(y / 4, y / 4 + rows * c));
      f64.fill(0, out / 8, out / 8 + 8);
      loops.sums(x + group, rows, stride, out, 4);
      results.push(sums());
      loops.squares(x + group, rows, stride, params, out, 4);
      results.push(sums());
      loops.gradientSums(dy + group, x + group, rows, stride, params, out, 4);
      results.push(sums());
      f32.fill(0, y / 4, y / 4 + rows * c);
      loops.normalize(y + group, x + group, rows, stride, params, 4);
      results.push(ys());
      f32.fill(0, y / 4, y / 4 + rows * c);
      loops.inputGradient(y + group, dy + group, x + group, rows, stride, params, 4);
      results.push(ys());
      return results;
    };
    const want = run(js);
    const got = run(simd);
    ['sums', 'squares', 'gradientSums', 'normalize', 'inputGradient'].forEach((name, i) => expect(got[i], name).toEqual(want[i]));
  });
});
