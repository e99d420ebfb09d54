import { describe, expect, it } from 'vitest';
import { centreOfMass, MNIST_SIDE, toMnistInput, type InkImage } from '../../src/lib/data/digit-preprocess';

/**
 * A synthetic "digit" drawn on a pad: a ring over a vertical stroke (like a 9), at a given
 * position and size, anti-aliased by 4×4 supersampling as a canvas would.
 */
function drawDigit(pad: number, cx: number, cy: number, size: number): InkImage {
  const values = new Float32Array(pad * pad);
  const ink = (x: number, y: number): number => {
    const u = (x - cx) / size;
    const v = (y - cy) / size;
    const r = Math.hypot(u, v + 0.25);
    const ring = Math.abs(r - 0.22) < 0.07;
    const stem = Math.abs(u - 0.22) < 0.07 && v > -0.25 && v < 0.5;
    return ring || stem ? 1 : 0;
  };
  for (let y = 0; y < pad; y++) {
    for (let x = 0; x < pad; x++) {
      let s = 0;
      for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) s += ink(x + (a + 0.5) / 4, y + (b + 0.5) / 4);
      values[y * pad + x] = s / 16;
    }
  }
  return { values, width: pad, height: pad };
}

const maxAbsDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
const meanAbsDiff = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;

function inkBox(input: Float32Array): { width: number; height: number } {
  let minX = MNIST_SIDE, minY = MNIST_SIDE, maxX = -1, maxY = -1;
  input.forEach((v, i) => {
    if (v <= 0.05) return;
    const x = i % MNIST_SIDE, y = Math.floor(i / MNIST_SIDE);
    minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  });
  return { width: maxX - minX + 1, height: maxY - minY + 1 };
}

describe('toMnistInput (MNIST preprocessing of a drawing)', () => {
  const reference = toMnistInput(drawDigit(280, 140, 140, 200))!;

  it('returns null for an empty pad', () => {
    expect(toMnistInput({ values: new Float32Array(280 * 280), width: 280, height: 280 })).toBeNull();
  });

  it('fits the ink in a 20-pixel box, keeps grey levels in 0..1 and centres the mass at (14, 14)', () => {
    expect(reference).toHaveLength(784);
    const box = inkBox(reference);
    expect(Math.max(box.width, box.height)).toBeGreaterThanOrEqual(19);
    expect(Math.max(box.width, box.height)).toBeLessThanOrEqual(22);
    expect(box.width).toBeLessThan(box.height); // the aspect ratio is kept: the digit is taller than wide
    expect(Math.min(...reference)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...reference)).toBeLessThanOrEqual(1);
    expect(reference.some((v) => v > 0.05 && v < 0.95)).toBe(true); // anti-aliased edges
    const c = centreOfMass(reference, MNIST_SIDE, MNIST_SIDE);
    expect(c.x).toBeCloseTo(14, 0);
    expect(c.y).toBeCloseTo(14, 0);
  });

  it('gives the same input for the digit shifted on the pad', () => {
    for (const [cx, cy] of [[100, 115], [190, 175], [143.3, 121.7]] as const) {
      const moved = toMnistInput(drawDigit(280, cx, cy, 200))!;
      expect(meanAbsDiff(moved, reference), `at (${cx}, ${cy})`).toBeLessThan(0.01);
      expect(maxAbsDiff(moved, reference), `at (${cx}, ${cy})`).toBeLessThan(0.15); // sub-pixel positions resample the edges a little differently
    }
  });

  it('gives nearly the same input for the digit drawn smaller or larger', () => {
    for (const size of [120, 160, 220]) {
      const scaled = toMnistInput(drawDigit(280, 140, 140, size))!;
      expect(meanAbsDiff(scaled, reference), `size ${size}`).toBeLessThan(0.03);
      expect(maxAbsDiff(scaled, reference), `size ${size}`).toBeLessThan(0.3);
    }
  });

  it('differs clearly for a different digit (the tolerance above means something)', () => {
    const stroke: InkImage = drawDigit(280, 140, 140, 200);
    const bar = new Float32Array(280 * 280);
    for (let y = 40; y < 240; y++) for (let x = 130; x < 150; x++) bar[y * 280 + x] = 1;
    const one = toMnistInput({ values: bar, width: 280, height: 280 })!;
    expect(meanAbsDiff(one, toMnistInput(stroke)!)).toBeGreaterThan(0.05);
  });
});
